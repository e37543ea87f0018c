"""Labelled category data from ../shared/data: airline ``negativereason`` and CFPB ``Issue``.

Labels are mapped onto a taxonomy through its ``maps_from`` lists; rows whose label maps to no category
(airline "Can't Tell", rare CFPB issues such as "Other") are left out. Each row is held out or not by a
hash of its id, so the split never moves and duplicated tweet ids (kept once) cannot straddle it.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from parallax.enrich.categories.taxonomy import Taxonomy

DATASETS: dict[str, tuple[str, str, str, str, str]] = {
    # name -> (file under the data dir, id column, text column, label column, taxonomy pack)
    "airline": ("airline-tweets/tweets_dev.csv", "tweet_id", "text", "negativereason", "airline"),
    "cfpb": (
        "cfpb-complaints-sample/complaints_sample.csv",
        "Complaint ID",
        "Consumer complaint narrative",
        "Issue",
        "banking",
    ),
}
HELDOUT_MODULO = 5  # one id in five (by hash) is held out


@dataclass(frozen=True)
class Labelled:
    """Texts and category ids for one part of a data set."""

    ids: list[str]
    texts: list[str]
    labels: list[str]


def is_heldout(dataset: str, row_id: str) -> bool:
    digest = int(hashlib.sha1(f"{dataset}:{row_id}".encode()).hexdigest(), 16)
    return digest % HELDOUT_MODULO == 0


def load_labelled(data_dir: Path, dataset: str, taxonomy: Taxonomy) -> tuple[Labelled, Labelled]:
    """(training part, held-out part) of ``dataset`` with labels mapped onto ``taxonomy``."""
    relative, id_column, text_column, label_column, _ = DATASETS[dataset]
    mapping = taxonomy.label_map()
    parts: dict[bool, Labelled] = {False: Labelled([], [], []), True: Labelled([], [], [])}
    seen: set[str] = set()
    with (data_dir / relative).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            row_id, text = row[id_column].strip(), (row[text_column] or "").strip()
            category = mapping.get((row[label_column] or "").strip())
            if not row_id or not text or category is None or row_id in seen:
                continue
            seen.add(row_id)
            part = parts[is_heldout(dataset, row_id)]
            part.ids.append(row_id)
            part.texts.append(text)
            part.labels.append(category)
    return parts[False], parts[True]
