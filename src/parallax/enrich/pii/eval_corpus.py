"""A labelled set for measuring redaction: customer messages with planted identifiers, seeded.

The templates and name, street and town lists are ours, so the set measures the detectors on the formats we
thought of, in the phrasing we wrote; it is not a sample of real traffic. Each message plants one to three
identifiers (emails; UK, Spanish, French, German, Italian, Dutch, US and Indian phones in national and
international formats; IBANs with valid check digits; DNI, NIE, NINO and SSN; passports; payment cards;
names with and without a cue; addresses in five countries' formats; booking refs) among hard negatives
that must stay: flight numbers, dates, times, prices, ticket, order and case numbers, airport codes, seats.
Every planted number is valid (phones by libphonenumber, checksums by python-stdnum), so a miss is a miss.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as std_iban


@dataclass(frozen=True)
class Labelled:
    text: str
    planted: tuple[tuple[int, int, str], ...]  # (start, end, kind)


FIRST = ("Sarah", "James", "María", "José", "Chloé", "Jean", "Lukas", "Anna", "Giulia", "Priya", "Rahul",
         "Sophie", "Daan", "Aoife", "Oliver", "Lucía", "Hannah", "Marco", "Emma", "Kwame")  # fmt: skip
LAST = ("Connor", "Whitfield", "García López", "Dupont", "Müller", "Rossi", "Sharma", "van Dijk", "O'Brien",
        "Fernández", "Martin", "Schneider", "Patel", "Okafor", "Bianchi", "Kowalski", "Moreau")  # fmt: skip
STREETS = ("Baker", "Station", "Church", "Victoria", "Mill", "Oak", "Elm", "Park")
TOWNS = ("Leeds", "Bristol", "Springfield", "Madrid", "Sevilla", "Lyon", "Berlin", "München", "Valencia")
FILLER = ("my bag never arrived", "the flight was delayed again", "nobody answers the phone",
          "I still have no refund", "the app keeps crashing", "the crew were lovely though",
          "please sort this out", "this is the third time I write")  # fmt: skip

Gen = Callable[[random.Random], str]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _valid_phone(rng: random.Random, region: str, shape: Callable[[random.Random], str]) -> str:
    while True:
        raw = shape(rng)
        if phonenumbers.is_valid_number(phonenumbers.parse(raw, region)):
            return raw


PHONES: dict[str, tuple[str, Gen]] = {
    "gb_nat": ("GB", lambda r: f"020 7946 {_digits(r, 4)}"),
    "gb_mob": ("GB", lambda r: f"07{r.choice('4579')}{_digits(r, 2)} {_digits(r, 6)}"),
    "gb_int": ("GB", lambda r: f"+44 20 7946 {_digits(r, 4)}"),
    "es_mob": ("ES", lambda r: f"6{_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}"),
    "es_int": ("ES", lambda r: f"+34 6{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}"),
    "es_fix": ("ES", lambda r: f"91 {_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}"),
    "fr_mob": ("FR", lambda r: "06 " + " ".join(_digits(r, 2) for _ in range(4))),
    "fr_int": ("FR", lambda r: "+33 6 " + " ".join(_digits(r, 2) for _ in range(4))),
    "de_fix": ("DE", lambda r: f"030 {_digits(r, 8)}"),
    "de_int": ("DE", lambda r: f"+49 151 {_digits(r, 8)}"),
    "it_mob": ("IT", lambda r: f"3{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 4)}"),
    "nl_mob": ("NL", lambda r: f"06-{_digits(r, 8)}"),
    "us_nat": ("US", lambda r: f"({r.choice(['415', '212', '646', '312'])}) {_digits(r, 3)}-{_digits(r, 4)}"),
    "us_int": ("US", lambda r: f"+1 617 {_digits(r, 3)} {_digits(r, 4)}"),
    "in_int": ("IN", lambda r: f"+91 98{_digits(r, 3)} {_digits(r, 5)}"),
    "in_nat": ("IN", lambda r: f"098{_digits(r, 3)} {_digits(r, 5)}"),
}


def phone(rng: random.Random) -> str:
    region, shape = PHONES[rng.choice(sorted(PHONES))]
    return _valid_phone(rng, region, shape)


def iban(rng: random.Random) -> str:
    bban = rng.choice(["GB", "ES", "DE", "FR", "NL"])
    body = {
        "GB": lambda: "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + _digits(rng, 14),
        "ES": lambda: _digits(rng, 20),
        "DE": lambda: _digits(rng, 18),
        "FR": lambda: _digits(rng, 23),
        "NL": lambda: "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + _digits(rng, 10),
    }[bban]()
    number = bban + std_iban.calc_check_digits(bban + "00" + body) + body
    if not std_iban.is_valid(number):  # Spanish and French IBANs carry a national check too: draw again
        return iban(rng)
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if rng.random() < 0.7 else number


def national_id(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["dni", "nie", "nino", "ssn"])
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    if kind == "dni":
        n = rng.randrange(10_000_000, 99_999_999)
        return "DNI ", f"{n}{letters[n % 23]}"
    if kind == "nie":
        p = rng.randrange(3)
        n = rng.randrange(1_000_000, 9_999_999)
        return "NIE ", f"{'XYZ'[p]}{n}{letters[int(f'{p}{n}') % 23]}"
    if kind == "nino":
        prefix = rng.choice("ABCEHJKLMPRSTWXYZ") + rng.choice("ABCEHJKLMPRSTWXYZ")
        return (
            "NI number ",
            f"{prefix} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {rng.choice('ABCD')}",
        )
    return "SSN ", f"{rng.randrange(1, 665):03d}-{rng.randrange(1, 99):02d}-{rng.randrange(1, 9999):04d}"


def passport(rng: random.Random) -> tuple[str, str]:
    spanish = "PA" + rng.choice("ABC") + _digits(rng, 6)
    number = rng.choice([_digits(rng, 9), spanish, _digits(rng, 2) + "AB" + _digits(rng, 5)])
    lead = rng.choice(["passport number ", "passport no. ", "pasaporte ", "passeport n° ", "Reisepass "])
    return lead, number


def card(rng: random.Random) -> str:
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    for check in range(10):
        candidate = "".join(map(str, [*digits, check]))
        total = sum(int(d) if i % 2 else (2 * int(d) - 9 if int(d) > 4 else 2 * int(d))
                    for i, d in enumerate(candidate))  # fmt: skip
        if total % 10 == 0:
            sep = rng.choice([" ", "-", ""])
            return sep.join(candidate[i : i + 4] for i in range(0, 16, 4))
    raise AssertionError("unreachable")


def name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def address(rng: random.Random) -> str:
    n, street, town = rng.randrange(1, 300), rng.choice(STREETS), rng.choice(TOWNS)
    return rng.choice(
        [
            f"{n} {street} Road, {town} LS{rng.randrange(1, 29)} {rng.randrange(1, 9)}AB",
            f"{n} {street} Street, {town}, IL 627{_digits(rng, 2)}",
            f"Calle de {rng.choice(['Alcalá', 'Serrano', 'Toledo'])} {n}, 280{_digits(rng, 2)} {town}",
            f"{n} rue de la {rng.choice(['Paix', 'Liberté', 'Gare'])}, 690{_digits(rng, 2)} {town}",
            f"{rng.choice(['Haupt', 'Bahnhof', 'Linden'])}straße {n}, 10{_digits(rng, 3)} {town}",
        ]
    )


def booking_ref(rng: random.Random) -> str:
    chars = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"
    return "".join(rng.choice(chars) for _ in range(5)) + rng.choice(string.ascii_uppercase)


def email(rng: random.Random) -> str:
    first, last = rng.choice(FIRST).lower(), rng.choice(LAST).split()[0].lower().replace("'", "")
    return f"{first}.{last}{rng.randrange(100)}@{rng.choice(['gmail.com', 'example.co.uk', 'correo.es'])}"


def _plain(gen: Gen) -> Callable[[random.Random], tuple[str, str]]:
    return lambda rng: ("", gen(rng))


VALUES: dict[str, Callable[[random.Random], tuple[str, str]]] = {
    "email": _plain(email),
    "phone": _plain(phone),
    "iban": _plain(iban),
    "national_id": national_id,
    "passport": passport,
    "card": _plain(card),
    "name": _plain(name),
    "address": _plain(address),
    "booking_ref": _plain(booking_ref),
}
SENTENCES: dict[str, tuple[str, ...]] = {
    "email": ("write to {}", "my email is {}", "contact: {} thanks"),
    "phone": ("call me on {}", "my number is {}", "ring me at {} after 6pm", "mi móvil es el {}",
              "appelez-moi au {}", "rufen Sie mich unter {} an", "WhatsApp {}"),
    "iban": ("refund to IBAN {}", "my account is {}", "please pay it into {} today"),
    "national_id": ("my {} is on file", "ID: {}", "they asked for my {} at the desk"),
    "passport": ("my {} expires soon", "they typed my {} wrong", "{} on the booking"),
    "card": ("you charged my card {} twice", "card number {}", "tarjeta {} cobrada dos veces"),
    "name": ("my name is {}", "this is {} writing again", "Regards,\n{}", "{} here, still waiting",
             "spoke to {} at the desk", "the booking is under {}", "ask {} at your Leeds office"),
    "address": ("please send the voucher to {}", "my address is {}", "envíenlo a {}",
                "mon adresse : {}", "meine Adresse: {}"),
    "booking_ref": ("booking ref {}", "my confirmation code is {}", "PNR {}", "localizador {}"),
}  # fmt: skip
NEGATIVES: tuple[Gen, ...] = (
    lambda r: (
        f"flight {r.choice(['UA', 'BA', 'IB', 'AF', 'LH'])} {r.randrange(10, 9999)} from "
        f"{r.choice(['LHR', 'MAD', 'JFK', 'CDG'])} to {r.choice(['FRA', 'BCN', 'ORD', 'DEL'])}"
    ),
    lambda r: (
        f"{r.choice(['BA', 'IB', 'AA'])}{r.randrange(100, 9999)} on {r.randrange(1, 28):02d}/"
        f"{r.randrange(1, 12):02d}/20{r.randrange(15, 26)} at "
        f"{r.randrange(0, 23):02d}:{r.randrange(0, 59):02d}"
    ),
    lambda r: f"I paid {r.choice(['£', '€', '$'])}{r.randrange(1, 3)},{_digits(r, 3)}.{_digits(r, 2)}",
    lambda r: (
        f"it cost {r.randrange(100, 999)},{_digits(r, 2)} € on "
        f"{r.randrange(2015, 2026)}-0{r.randrange(1, 9)}-1{r.randrange(0, 9)}"
    ),
    lambda r: f"ticket {r.choice(['016', '125', '075'])}{_digits(r, 10)}",
    lambda r: f"order {_digits(r, 9)}",
    lambda r: f"case {_digits(r, 7)}",
    lambda r: f"seat {r.randrange(1, 40)}{r.choice('ABCDEF')} at gate {r.choice('ABC')}{r.randrange(1, 60)}",
    lambda r: f"waited {r.randrange(2, 9)} hours at terminal {r.randrange(1, 5)}",
    lambda r: f"Complaint ID {_digits(r, 7)} about my XXXX account",
)


def message(rng: random.Random) -> Labelled:
    """One message: one to three planted identifiers, one or two hard negatives, a filler, shuffled."""
    parts: list[tuple[str, str, str]] = []  # (before, value, kind); kind "" for unlabelled text
    kinds = sorted(VALUES)
    for _ in range(0 if rng.random() < 0.15 else rng.randint(1, 3)):
        kind = rng.choice(kinds)
        lead, value = VALUES[kind](rng)
        before, after = rng.choice(SENTENCES[kind]).split("{}")
        parts.append((before + lead, value, kind))
        parts.append((after, "", ""))
    for _ in range(rng.randint(1, 2)):
        parts.append((rng.choice(NEGATIVES)(rng), "", ""))
    parts.append((rng.choice(FILLER), "", ""))
    return _assemble(rng, parts)


def _assemble(rng: random.Random, parts: list[tuple[str, str, str]]) -> Labelled:
    # Keep each planted sentence with its tail: group (planted, tail) pairs before shuffling.
    groups: list[list[tuple[str, str, str]]] = []
    for part in parts:
        if groups and groups[-1][-1][2] and not part[1] and not part[2] and len(groups[-1]) == 1:
            groups[-1].append(part)
        else:
            groups.append([part])
    rng.shuffle(groups)
    text, planted = "", []
    for i, group in enumerate(groups):
        text += ". " if i else ""
        for before, value, kind in group:
            text += before
            if kind:
                planted.append((len(text), len(text) + len(value), kind))
                text += value
    return Labelled(text + ".", tuple(planted))


def corpus(n: int = 1_000, seed: int = 7) -> list[Labelled]:
    """``n`` labelled messages from a seeded generator (the same seed gives the same set)."""
    rng = random.Random(seed)
    return [message(rng) for _ in range(n)]
