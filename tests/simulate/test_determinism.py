from __future__ import annotations

from pathlib import Path

from parallax.simulate import simulate_world, write_world

FILES = ("surveys.csv", "tickets.csv", "reviews.csv", "social.jsonl", "agent_notes.jsonl")
TRUTH = ("customers.csv", "trips.csv", "identities.csv", "interactions.csv", "segments.csv", "summary.json")


def _files(folder: Path) -> dict[str, bytes]:
    names = list(FILES) + [f"truth/{name}" for name in TRUTH]
    return {name: (folder / name).read_bytes() for name in names}


def test_same_seed_writes_identical_files(tmp_path: Path) -> None:
    write_world(simulate_world(seed=5, days=3, customers=1500), tmp_path / "a")
    write_world(simulate_world(seed=5, days=3, customers=1500), tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_another_seed_writes_another_world(tmp_path: Path) -> None:
    write_world(simulate_world(seed=5, days=3, customers=1500), tmp_path / "a")
    write_world(simulate_world(seed=6, days=3, customers=1500), tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert all(a[name] != b[name] for name in FILES)


def test_tiny_worlds_write_valid_files(tmp_path: Path) -> None:
    """A world too small to have tickets or posts still writes every file (warnings are errors here)."""
    for seed in range(6):
        summary = write_world(simulate_world(seed=seed, days=1, customers=100), tmp_path / str(seed))
        assert summary["n_trips"] >= 0
        assert all((tmp_path / str(seed) / name).exists() for name in FILES)
