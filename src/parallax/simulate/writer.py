"""Write a world to disk: the exports a company would have, and the truth it never sees, apart."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parallax.simulate.columns import strings, write_csv
from parallax.simulate.exports import (
    REVIEW_COLUMNS,
    flight_status_table,
    mirror_table,
    survey_table,
    ticket_table,
)
from parallax.simulate.mirror import planted_truth
from parallax.simulate.summary import build_summary
from parallax.simulate.truth import write_truth
from parallax.simulate.world import World


def write_world(world: World, out_dir: Path | str) -> dict[str, Any]:
    """Write every file under ``out_dir`` (created if needed) and return truth/summary.json's content."""
    out = Path(out_dir)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    surveys, survey_trip = survey_table(world)
    reviews = {name: strings([str(r[name]) for r in world.records.reviews]) for name in REVIEW_COLUMNS}
    counts = {
        "surveys.csv": write_csv(out / "surveys.csv", surveys),
        "tickets.csv": write_csv(out / "tickets.csv", ticket_table(world)),
        "reviews.csv": write_csv(out / "reviews.csv", reviews),
        "social.jsonl": _write_jsonl(out / "social.jsonl", world.records.social),
        "agent_notes.jsonl": _write_jsonl(out / "agent_notes.jsonl", world.records.notes),
        "mirror.csv": write_csv(out / "mirror.csv", mirror_table(world)),
    }
    # Operational data, not customer interactions: outside the interaction counts.
    write_csv(out / "flights.csv", flight_status_table(world))
    write_truth(world, out / "truth", surveys["response_id"], survey_trip)
    (out / "truth" / "mirror.json").write_text(json.dumps(planted_truth(world.mirror), indent=2) + "\n")
    summary = build_summary(world, counts)
    (out / "truth" / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> int:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(encode(row) + "\n" for row in rows)
    return len(rows)
