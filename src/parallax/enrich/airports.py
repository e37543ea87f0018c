"""Airport knowledge from the maintained ``airportsdata`` package: IATA codes, city names, and a stop list.

Many three-letter English words and acronyms are also IATA codes (THE, AND, BAG, USA, TSA...). The
stop list in ``artifacts/iata_stopwords.txt`` holds those; ``build_stoplist`` built it from the word counts
of ../shared/data (a code is a stop word when written in lower case more often than in upper case, at least
three times) plus a short curated list of acronyms that are not airports in customer text. Stop-listed
codes still count inside an explicit route ("SEA-DEN"), where the pattern itself is the context.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import airportsdata

STOPLIST_FILE = "iata_stopwords.txt"
# Acronyms written in upper case in customer text that mean something other than an airport.
_ACRONYMS = (
    "AAA ABC ACH API ATM BBB BMW BOA CEO CNN CPU CRA CRS DOB DOE EST ETR FAA FIN GAP HUD IMO IRS IVR LTV MVP "
    "NUS OSX PDF PMI PNC POS PSN SMS SOC SOP SPS SSN SWA SYS TMS TSA UAL USA USC VPN"
)
CURATED_ACRONYMS = frozenset(_ACRONYMS.split())
_INTERNATIONAL = re.compile(r"\b(International|Intl|Intcntl|Ntl)\b")


@lru_cache(maxsize=1)
def iata_airports() -> dict[str, Any]:
    """IATA code -> airport record (name, city, country, ...), loaded once per process."""
    return dict(airportsdata.load("IATA"))


@lru_cache(maxsize=1)
def stop_codes() -> frozenset[str]:
    """IATA codes that are also common words or acronyms: only accepted inside explicit routes."""
    text = resources.files("parallax.enrich").joinpath("artifacts", STOPLIST_FILE).read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def city_codes() -> dict[str, str]:
    """Lower-case city name -> its one main airport code; cities with no clear main airport are left out.

    The main airport is the only one whose name says international, or the city's only airport. Cities with
    several international airports (Chicago: ORD and MDW) are ambiguous and deliberately absent.
    """
    by_city: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, record in iata_airports().items():
        by_city[str(record.get("city", "")).strip().lower()].append((code, str(record.get("name", ""))))
    resolved: dict[str, str] = {}
    for city, airports in by_city.items():
        if len(city) < 3:
            continue
        international = [code for code, name in airports if _INTERNATIONAL.search(name)]
        if len(international) == 1:
            resolved[city] = international[0]
        elif len(airports) == 1 and not international:
            resolved[city] = airports[0][0]
    return resolved


def build_stoplist(texts: Iterable[str], min_count: int = 3) -> list[str]:
    """The stop list from a corpus: codes written more often in lower case than upper, plus acronyms."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts:
        lower.update(word.upper() for word in re.findall(r"\b[a-zA-Z][a-z]{2}\b", text))
        upper.update(re.findall(r"\b[A-Z]{3}\b", text))
    codes = set(iata_airports())
    words = {word for word, count in lower.items() if count >= min_count and count > upper[word]}
    return sorted((words & codes) | (CURATED_ACRONYMS & codes))
