"""Slot-filling for the message templates, and what a listening tool would tag from the text it produced."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from parallax.simulate.network import CITY

BRAND = "Parallax Air"
BRAND_HANDLE = "@ParallaxAir"
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")

_OPENERS = ("", "", "", "Hi, ", "Hello. ", "Honestly, ", "Seriously ", "Wow. ", "Ok so ", "Unreal. ")
_CLOSERS = (
    "",
    "",
    "",
    " Not impressed.",
    " #PXfail",
    " Sort it out.",
    " Ridiculous.",
    " Thanks for nothing.",
)


class Slots(NamedTuple):
    """Everything a template may mention about one trip and one person (a tuple: made a million times)."""

    flight: str
    origin: str
    destination: str
    ref: str
    delay_min: int
    name: str
    ticket: str = ""
    nth: int = 2
    agent: str = ""


def _slot(slots: Slots, name: str) -> str:
    """One slot's text; computed only for the slots a template uses (a million renders add up)."""
    hours = max(1, round(slots.delay_min / 60))
    match name:
        case "origin_city":
            return CITY[slots.origin]
        case "dest_city":
            return CITY[slots.destination]
        case "airport":
            return slots.origin
        case "route":
            return f"{slots.origin}-{slots.destination}"
        case "delay":
            return f"{slots.delay_min} minutes" if slots.delay_min < 120 else f"{hours} hours"
        case "hours":
            return str(hours)
        case "nth":
            return ORDINALS[min(max(slots.nth, 2), 6) - 2]
        case "brand":
            return BRAND
        case "handle":
            return BRAND_HANDLE
        case _:
            return str(getattr(slots, name))


class _Lazy(dict[str, str]):
    def __init__(self, slots: Slots) -> None:
        super().__init__()
        self.slots = slots

    def __missing__(self, key: str) -> str:
        return _slot(self.slots, key)


@lru_cache(maxsize=4096)
def slot_names(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def render(template: str, slots: Slots) -> str:
    return template.format_map(_Lazy(slots))


def revealed_segments(template: str, slots: Slots) -> dict[str, str]:
    """Only what the words give away: a tagger can read a flight number or an airport code, not a cabin."""
    names = slot_names(template)
    found: dict[str, str] = {}
    if "flight" in names:
        found["flight_number"] = slots.flight
    if "route" in names or {"origin", "destination"} <= names or {"origin_city", "dest_city"} <= names:
        found["route"] = f"{slots.origin}-{slots.destination}"
    if "airport" in names or "origin" in names:
        found["airport"] = slots.origin
    return found


def pick(templates: tuple[str, ...], rng: random.Random) -> str:
    return templates[int(rng.random() * len(templates))]


def with_tone(text: str, rng: random.Random, angry: bool) -> str:
    """Vary the voice: openers, sign-offs, and the odd all-caps rant from the angriest."""
    if not angry:
        return text
    opener = pick(_OPENERS, rng)
    if opener.endswith((", ", "so ", "Seriously ")):
        text = text[0].lower() + text[1:] if text[:2].istitle() and text[1] != "'" else text
    text = opener + text + pick(_CLOSERS, rng)
    if rng.random() < 0.06:
        text = text.upper()
    return text


@dataclass(frozen=True)
class TripText:
    """Builds the ``Slots`` of a trip from the world's columns (plain lists: numpy scalar reads are slow)."""

    flight_code: list[str]  # per trip, e.g. "PX204"
    origin: list[str]
    destination: list[str]
    ref: list[str]
    delay_min: list[int]
    first_name: list[str]  # per customer

    def slots(self, trip: int, customer: int, ticket: str = "", nth: int = 2) -> Slots:
        return Slots(
            flight=self.flight_code[trip],
            origin=self.origin[trip],
            destination=self.destination[trip],
            ref=self.ref[trip],
            delay_min=self.delay_min[trip],
            name=self.first_name[customer],
            ticket=ticket,
            nth=nth,
        )


def python_rng(rng: np.random.Generator) -> random.Random:
    """A stdlib generator seeded from a numpy stream: ~20x cheaper per scalar draw inside Python loops."""
    return random.Random(int(rng.integers(2**62)))
