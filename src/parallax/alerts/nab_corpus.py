"""Reading a NAB-layout folder: ``data/<category>/<name>.csv``, ``labels/combined_windows.json``, profiles.

Layout as in the NAB repository; ``../shared/data/nab-dev`` holds five of the ten realTweets series.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from parallax.alerts.nab import PROFILE_NAMES, Profile, Window


@dataclass(frozen=True)
class LabelledSeries:
    """One NAB data file with its anomaly windows; ``name`` is its path under ``data/``."""

    name: str
    timestamps: tuple[datetime, ...]
    values: tuple[float, ...]
    windows: tuple[Window, ...]


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


def read_series(path: Path) -> tuple[list[datetime], list[float]]:
    """A NAB CSV (``timestamp,value``) as two lists, in file order."""
    timestamps: list[datetime] = []
    values: list[float] = []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            timestamps.append(parse_timestamp(row["timestamp"]))
            values.append(float(row["value"]))
    return timestamps, values


def load_corpus(nab_dir: Path) -> list[LabelledSeries]:
    """Every series named in ``labels/combined_windows.json`` whose data file is present."""
    labels = json.loads((nab_dir / "labels" / "combined_windows.json").read_text())
    corpus = []
    for name in sorted(labels):
        path = nab_dir / "data" / name
        if not path.is_file():
            continue
        timestamps, values = read_series(path)
        windows = tuple((parse_timestamp(a), parse_timestamp(b)) for a, b in labels[name])
        corpus.append(LabelledSeries(name, tuple(timestamps), tuple(values), windows))
    if not corpus:
        raise FileNotFoundError(f"no labelled NAB series found under {nab_dir}")
    return corpus


def load_profiles(nab_dir: Path) -> dict[str, Profile]:
    """NAB's profiles (``profiles.json``) keyed standard / low_fp / low_fn."""
    raw = json.loads((nab_dir / "profiles.json").read_text())
    profiles = {}
    for key, short in PROFILE_NAMES.items():
        if key in raw:
            cost = raw[key]["CostMatrix"]
            profiles[short] = Profile(
                tp_weight=cost["tpWeight"],
                fp_weight=cost["fpWeight"],
                fn_weight=cost["fnWeight"],
                tn_weight=cost.get("tnWeight", 1.0),
            )
    return profiles
