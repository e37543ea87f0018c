"""Customers (tier, value, how vocal, which channels they use) and the identifiers they show on each channel.

One person shows different faces: a booking email on surveys and tickets, sometimes a work email by email,
a phone on WhatsApp, a handle on Twitter or Instagram, a name on Facebook and review sites. Some of these
link (same email, same phone), some only by a name-like handle: that is what identity resolution must solve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from parallax.simulate.config import WorldConfig
from parallax.simulate.names import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    HANDLE_WORDS,
    LAST_NAMES,
    PHONE_PREFIXES,
    WORK_DOMAINS,
)

NAME_KINDS = frozenset({"review", "nickname"})
CHANNELS: tuple[str, ...] = ("twitter", "facebook", "instagram", "review", "chat", "whatsapp", "email")


@dataclass(frozen=True)
class Customers:
    """Columnar customer table; index ``i`` is customer ``C{i+1:07d}``."""

    tier: np.ndarray
    value: np.ndarray  # yearly revenue, EUR
    rate: np.ndarray  # trips per day
    vocal: np.ndarray  # propensity to speak up, standard normal
    first: np.ndarray  # index into FIRST_NAMES
    last: np.ndarray
    channels: np.ndarray  # bool (n, len(CHANNELS)): channels this person uses to speak up
    email: tuple[str, ...]
    has_phone: np.ndarray
    has_work_email: np.ndarray
    pattern: np.ndarray  # int (n, 4): how this person builds handles
    loyalty_id: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.tier.size)

    def name(self, i: int) -> str:
        return f"{FIRST_NAMES[self.first[i]]} {LAST_NAMES[self.last[i]]}"


def build_customers(config: WorldConfig, rng: np.random.Generator) -> Customers:
    """Tiers, value and trip rates, names, channel habits and booking emails for ``config.customers``."""
    n = config.customers
    tier = rng.choice(4, size=n, p=np.array(config.tier_p))
    value = rng.lognormal(np.log(600.0), 0.8, size=n) * np.array([1.0, 2.0, 3.5, 7.0])[tier]
    rate = config.trip_rate * np.array(config.tier_rate)[tier] * rng.gamma(2.0, 0.5, size=n)
    first = rng.integers(len(FIRST_NAMES), size=n)
    last = rng.integers(len(LAST_NAMES), size=n)
    pattern = rng.integers(0, 1000, size=(n, 4))
    channels = _channel_habits(config, rng, n)
    email = _emails(first, last, pattern[:, 0])
    loyalty = tuple("" if t == 0 else f"PX{(i * 7919 + 100003) % 10**8:08d}" for i, t in enumerate(tier))
    return Customers(
        tier=tier,
        value=value.round(2),
        rate=rate,
        vocal=rng.normal(0.0, 1.0, size=n),
        first=first,
        last=last,
        channels=channels,
        email=email,
        has_phone=rng.random(n) < 0.75,
        has_work_email=rng.random(n) < 0.3,
        pattern=pattern,
        loyalty_id=loyalty,
    )


def _channel_habits(config: WorldConfig, rng: np.random.Generator, n: int) -> np.ndarray:
    """Each person uses 1-3 channels, drawn without replacement by weight (Gumbel top-k)."""
    weights = np.array([w for _, w in config.voice.channel_weights])
    keys = np.log(weights)[None, :] + rng.gumbel(size=(n, len(CHANNELS)))
    order = np.argsort(-keys, axis=1)
    k = rng.choice([1, 2, 3], size=n, p=[0.4, 0.4, 0.2])
    chosen = np.zeros((n, len(CHANNELS)), dtype=bool)
    rows = np.arange(n)
    for rank in range(3):
        take = k > rank
        chosen[rows[take], order[take, rank]] = True
    return chosen


_LOCAL_PARTS = ("{f}.{l}", "{i}{l}", "{f}{j}{n}", "{l}.{f}", "{f}_{l}{m}")


def _emails(first: np.ndarray, last: np.ndarray, pattern: np.ndarray) -> tuple[str, ...]:
    """Booking emails from a handful of habits; a clash gets digits, so every email is one person's."""
    firsts = [name.lower() for name in FIRST_NAMES]
    lasts = [name.lower().replace("'", "") for name in LAST_NAMES]
    seen: set[str] = set()
    out = []
    for i, (f, la, p) in enumerate(zip(first.tolist(), last.tolist(), pattern.tolist(), strict=True)):
        fn, ln = firsts[f], lasts[la]
        local = _LOCAL_PARTS[p % 5].format(f=fn, l=ln, i=fn[0], j=ln[0], n=p % 100, m=p % 90 + 10)
        domain = EMAIL_DOMAINS[(p // 5) % len(EMAIL_DOMAINS)]
        candidate, bump = f"{local}@{domain}", i
        while candidate in seen:
            bump += 1
            candidate = f"{local}{(bump * 31 + p) % 997}@{domain}"
        seen.add(candidate)
        out.append(candidate)
    return tuple(out)


@dataclass
class IdentityBook:
    """Builds (and remembers) the identifiers a customer shows on each channel, unique across people.

    Mutable on purpose: identifiers are made lazily for the few who speak up, in a fixed order, so the
    result is still a pure function of the seed.
    """

    customers: Customers
    _cache: dict[tuple[int, str], str] = field(default_factory=dict)
    _taken: set[str] = field(default_factory=set)

    def get(self, i: int, kind: str) -> str:
        key = (i, kind)
        if key not in self._cache:
            value = getattr(self, f"_make_{kind}")(i)
            # names are not identifiers: two people may both review as "Ana K."
            self._cache[key] = value if kind in NAME_KINDS else self._unique(value, i)
        return self._cache[key]

    def _unique(self, value: str, i: int) -> str:
        local, at, domain = value.partition("@")
        bump = i
        while value in self._taken:
            bump = (bump * 7 + 3) % 9973
            value = f"{local}{bump}{at}{domain}"
        self._taken.add(value)
        return value

    def _parts(self, i: int) -> tuple[str, str, int]:
        c = self.customers
        return FIRST_NAMES[c.first[i]], LAST_NAMES[c.last[i]].replace("'", ""), int(c.pattern[i, 1])

    def _make_twitter(self, i: int) -> str:
        f, la, p = self._parts(i)
        options = (
            f"{f}{la[0]}{p % 100}",
            f"{f[0]}{la}_{p % 90}",
            f"{HANDLE_WORDS[p % 16]}_{f}",
            f"{la}{f[0]}",
        )
        return options[p % 4].lower()

    def _make_instagram(self, i: int) -> str:
        f, la, p = self._parts(i)
        options = (f"{f}.{HANDLE_WORDS[p % 16]}", f"{f}_{la}", f"the.{HANDLE_WORDS[(p // 3) % 16]}.{f}")
        return options[p % 3].lower()

    def _make_facebook(self, i: int) -> str:
        f, la, p = self._parts(i)
        return f"{f}.{la}.{p % 50}".lower()

    def _make_review(self, i: int) -> str:
        f, la, p = self._parts(i)
        options = (f"{f} {la[0]}.", f"{f}{HANDLE_WORDS[p % 16].title()}", f"{f[0]}. {la}")
        return options[p % 3]

    def _make_phone(self, i: int) -> str:
        p = int(self.customers.pattern[i, 2])
        return f"{PHONE_PREFIXES[p % len(PHONE_PREFIXES)]}{(i * 7907 + 13) % 10**8:08d}"

    def _make_work_email(self, i: int) -> str:
        f, la, p = self._parts(i)
        return f"{f[0]}.{la}{i % 1000}@{WORK_DOMAINS[p % len(WORK_DOMAINS)]}".lower()

    def _make_nickname(self, i: int) -> str:
        f, la, p = self._parts(i)
        return (f, f"{f} {la[0]}", f"{f} {la}")[p % 3]
