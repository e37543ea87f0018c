"""Labelled data readers for training and evaluation (files under ../shared/data; never copied).

The airline file repeats some tweet ids: the first row of each id is kept. Its held-out part is chosen by a
hash of the tweet id (salted, so it is independent of how the file itself was split from its test part):
the same tweet is always on the same side, whatever the file order.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from parallax.kit.errors import NotFound, ValidationFailed

Split = Literal["train", "holdout", "all"]
HOLDOUT_PERCENT = 20
HOLDOUT_SALT = "parallax-holdout-v1:"
DEFAULT_DATA = Path("../shared/data")


@dataclass(frozen=True)
class Labelled:
    """Parallel tuples of ids, texts and string labels."""

    ids: tuple[str, ...]
    texts: tuple[str, ...]
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.texts)


def in_holdout(item_id: str) -> bool:
    digest = hashlib.sha1((HOLDOUT_SALT + item_id).encode()).hexdigest()
    return int(digest, 16) % 100 < HOLDOUT_PERCENT


def read_csv(path: Path, text_column: str, label_column: str, id_column: str | None = None) -> Labelled:
    """Rows with a text and a label; with ``id_column``, the first row of each id only."""
    if not path.exists():
        raise NotFound(f"no such file: {path}")
    ids: list[str] = []
    texts: list[str] = []
    labels: list[str] = []
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {c for c in (text_column, label_column, id_column) if c} - set(reader.fieldnames or ())
        if missing:
            raise ValidationFailed(f"{path} has no column(s) {', '.join(sorted(missing))}")
        for number, row in enumerate(reader):
            item_id = row[id_column] if id_column else str(number)
            if item_id in seen or not row[text_column] or not row[label_column]:
                continue
            seen.add(item_id)
            ids.append(item_id)
            texts.append(row[text_column])
            labels.append(row[label_column].strip())
    return Labelled(tuple(ids), tuple(texts), tuple(labels))


def select_split(data: Labelled, split: Split) -> Labelled:
    if split == "all":
        return data
    keep = [i for i, item_id in enumerate(data.ids) if in_holdout(item_id) == (split == "holdout")]
    return Labelled(
        tuple(data.ids[i] for i in keep),
        tuple(data.texts[i] for i in keep),
        tuple(data.labels[i] for i in keep),
    )


def airline_tweets(data_dir: Path = DEFAULT_DATA, split: Split = "all") -> Labelled:
    """The airline tweets dev file, deduplicated on tweet id, labels negative/neutral/positive."""
    path = data_dir / "airline-tweets" / "tweets_dev.csv"
    return select_split(read_csv(path, "text", "airline_sentiment", "tweet_id"), split)


def tweeteval(directory: Path, task: str, split: str) -> Labelled:
    """A TweetEval text/label file pair, with integer labels mapped to names by ``<task>_mapping.txt``."""
    text_path = directory / f"{task}_{split}_text.txt"
    label_path = directory / f"{task}_{split}_labels.txt"
    mapping_path = directory / f"{task}_mapping.txt"
    for path in (text_path, label_path, mapping_path):
        if not path.exists():
            raise NotFound(f"no such file: {path}")
    mapping = dict(line.split("\t", 1) for line in mapping_path.read_text().splitlines() if line.strip())
    texts = text_path.read_text(encoding="utf-8").splitlines()
    labels = [mapping[line.strip()].strip() for line in label_path.read_text().splitlines() if line.strip()]
    if len(texts) != len(labels):
        raise ValidationFailed(f"{text_path} has {len(texts)} lines but {label_path} has {len(labels)}")
    ids = tuple(f"{task}-{split}-{i}" for i in range(len(texts)))
    return Labelled(ids, tuple(texts), tuple(labels))
