"""The signals gold set: which real messages were labelled, how they were drawn, and where their text lives.

``data/gold/signals.csv`` holds only ``source``, ``id``, ``stratum``, ``split`` and one 0/1 column per
signal; the text is read from ../shared/data by id at evaluation time and never stored in the project.
``draw_sample`` is the seeded stratified draw that chose the messages (half random, half oversampled by the
lexicon so that rare signals have positives); ``split_of`` hashes the id so the held-out part never moves.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parallax.enrich.signals.lexicon import SIGNALS, matched_signals

# source -> (file under the data dir, id column, text column, keep-row filter column/value or None)
SOURCES: dict[str, tuple[str, str, str, tuple[str, str] | None]] = {
    "airline-tweets": ("airline-tweets/tweets_dev.csv", "tweet_id", "text", None),
    "twcs": ("customer-support-tweets/twcs_head5000.csv", "tweet_id", "text", ("inbound", "True")),
    "spotifycares": ("customer-support-tweets/spotifycares_inbound_requests.csv", "tweet_id", "text", None),
    "cfpb": (
        "cfpb-complaints-sample/complaints_sample.csv",
        "Complaint ID",
        "Consumer complaint narrative",
        None,
    ),
}
# How many messages each source contributes per stratum (random, keyword-oversampled).
PLAN: dict[str, tuple[int, int]] = {
    "airline-tweets": (120, 120),
    "twcs": (40, 40),
    "spotifycares": (20, 20),
    "cfpb": (30, 30),
}
MAX_CFPB_CHARS = 1500  # long narratives were left out so each could be read whole while labelling
HELDOUT_PERCENT = 30


@dataclass(frozen=True)
class GoldRow:
    """One labelled message: where it came from and its 0/1 label per signal."""

    source: str
    id: str
    stratum: str  # random | keyword
    split: str  # dev | heldout
    labels: dict[str, int]


def split_of(source: str, message_id: str) -> str:
    """``heldout`` for a fixed 30% of messages by hash of source and id, ``dev`` otherwise."""
    digest = int(hashlib.sha1(f"{source}:{message_id}".encode()).hexdigest(), 16)
    return "heldout" if digest % 100 < HELDOUT_PERCENT else "dev"


def iter_source(data_dir: Path, source: str) -> Iterator[tuple[str, str]]:
    """(id, text) of every usable message of ``source``, first occurrence of each id only."""
    relative, id_column, text_column, keep = SOURCES[source]
    seen: set[str] = set()
    with (data_dir / relative).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            message_id, text = (row.get(id_column) or "").strip(), (row.get(text_column) or "").strip()
            if not message_id or not text or message_id in seen:
                continue
            if keep is not None and row.get(keep[0]) != keep[1]:
                continue
            if source == "cfpb" and len(text) > MAX_CFPB_CHARS:
                continue
            seen.add(message_id)
            yield message_id, text


def load_texts(data_dir: Path, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Texts for the (source, id) pairs in ``wanted``, read from the shared data folder."""
    texts: dict[tuple[str, str], str] = {}
    for source in sorted({source for source, _ in wanted}):
        for message_id, text in iter_source(data_dir, source):
            if (source, message_id) in wanted:
                texts[(source, message_id)] = text
    return texts


def draw_sample(data_dir: Path, seed: int = 7) -> list[tuple[str, str, str]]:
    """The stratified draw: (source, id, stratum) for every message to label."""
    rng = random.Random(seed)
    drawn: list[tuple[str, str, str]] = []
    for source, (n_random, n_keyword) in PLAN.items():
        pool = list(iter_source(data_dir, source))
        rng.shuffle(pool)
        chosen = pool[:n_random]
        drawn.extend((source, message_id, "random") for message_id, _ in chosen)
        taken = {message_id for message_id, _ in chosen}
        by_signal: dict[str, list[str]] = {signal: [] for signal in SIGNALS}
        for message_id, text in pool[n_random:]:
            for signal in matched_signals(text):
                by_signal[signal].append(message_id)
        drawn.extend((source, mid, "keyword") for mid in _round_robin(by_signal, taken, n_keyword))
    return drawn


def _round_robin(by_signal: dict[str, list[str]], taken: set[str], limit: int) -> list[str]:
    """Take matches signal by signal in turn so the rare signals get as many as the common ones."""
    picked: list[str] = []
    queues = {signal: iter(ids) for signal, ids in by_signal.items()}
    while len(picked) < limit and queues:
        for signal in list(queues):
            message_id = next((mid for mid in queues[signal] if mid not in taken), None)
            if message_id is None:
                del queues[signal]
                continue
            taken.add(message_id)
            picked.append(message_id)
            if len(picked) == limit:
                break
    return picked


def read_gold(path: Path) -> list[GoldRow]:
    """The labelled rows of ``data/gold/signals.csv``."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            GoldRow(
                source=row["source"],
                id=row["id"],
                stratum=row["stratum"],
                split=row["split"],
                labels={signal: int(row[signal]) for signal in SIGNALS},
            )
            for row in csv.DictReader(handle)
        ]
