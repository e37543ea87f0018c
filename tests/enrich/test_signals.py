"""Consumer-side signals: the lexicon, the trained heads, the step and the gold set's shape."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parallax.enrich.pipeline import Enriched
from parallax.enrich.signals.gold import SOURCES, read_gold, split_of
from parallax.enrich.signals.lexicon import SIGNALS, lexicon_scores, matched_signals
from parallax.enrich.signals.model import friction_index, shipped_head
from parallax.enrich.signals.step import SignalsStep, make_step
from parallax.enrich.signals.train import best_thresholds, score_table

GOLD = Path(__file__).resolve().parents[2] / "data" / "gold" / "signals.csv"


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("This is the third time I have called about the same refund", "repeated_effort"),
        ("Still waiting for my bag, called twice already", "repeated_effort"),
        ("One agent told me one thing and another agent said something different", "inconsistency"),
        ("Nobody can explain why the flight is late and there are no updates", "uncertainty"),
        ("On hold for 2 hours and then disconnected", "friction"),
        ("I am so stressed and anxious, please help!", "stress"),
        ("Thanks so much for your help, all sorted now", "helped"),
        ("Your agent was useless and did not help at all", "not_helped"),
    ],
)
def test_lexicon_fires_on_clear_examples(text: str, signal: str) -> None:
    assert lexicon_scores(text)[signal] >= 0.5
    assert signal in matched_signals(text)


@pytest.mark.parametrize(
    "text", ["Lovely flight, great view over the bay", "What time does boarding start?", "Happy holidays all"]
)
def test_lexicon_is_quiet_on_neutral_or_happy_text(text: str) -> None:
    scores = lexicon_scores(text)
    assert set(scores) == set(SIGNALS)
    assert all(scores[s] < 0.5 for s in SIGNALS if s != "helped")
    assert scores["repeated_effort"] == 0.0


def test_baseline_step_fills_every_field() -> None:
    batch = [Enriched(1, "Third time calling, still no update"), Enriched(2, "Great view today")]
    step = make_step("baseline")
    step.apply(batch)
    assert step.version == "lexicon-1"
    assert batch[0].repeated_effort is True and batch[1].repeated_effort is False
    assert 0.0 <= batch[1].friction < batch[0].friction <= 1.0  # type: ignore[operator]
    assert set(batch[0].signals) == set(SIGNALS)


@pytest.mark.skipif(shipped_head() is None, reason="signals head not trained (parallax train signals)")
def test_trained_heads_separate_clear_examples() -> None:
    step = SignalsStep(shipped_head())
    bad = Enriched(
        1, "@airline third time I call, on hold 2 hours, still no refund and nobody can explain why"
    )
    good = Enriched(2, "@airline thank you so much for the help, the agent sorted it out in minutes!")
    step.apply([bad, good])
    assert bad.repeated_effort is True and good.repeated_effort is False
    assert bad.signals["friction"] > 0.8 > good.signals["friction"]
    assert good.signals["helped"] > bad.signals["helped"]
    assert all(0.0 <= value <= 1.0 for value in [*bad.signals.values(), *good.signals.values()])


def test_friction_index_is_bounded_and_monotone() -> None:
    assert friction_index({}) == 0.0
    assert friction_index({s: 1.0 for s in SIGNALS}) == pytest.approx(1.0)
    assert friction_index({"friction": 0.9}) > friction_index({"friction": 0.2})


def test_thresholds_and_scores() -> None:
    labels = np.array([[1], [1], [0], [0]])
    probs = np.array([[0.9], [0.6], [0.3], [0.2]])
    assert 0.3 <= best_thresholds(probs, labels)[0] <= 0.6
    row = score_table(np.repeat(labels, 7, axis=1), np.repeat(probs >= 0.5, 7, axis=1))[0]
    assert (row["precision"], row["recall"], row["support"]) == (1.0, 1.0, 2)


def test_gold_set_holds_ids_and_labels_only() -> None:
    rows = read_gold(GOLD)
    assert len(rows) >= 400
    header = GOLD.read_text().splitlines()[0].split(",")
    assert header == ["source", "id", "stratum", "split", *SIGNALS]
    assert {row.source for row in rows} <= set(SOURCES)
    assert all(row.split == split_of(row.source, row.id) for row in rows)
    for part in ("dev", "heldout"):
        for signal in SIGNALS:
            assert sum(row.labels[signal] for row in rows if row.split == part) >= 5, (part, signal)


def test_anchors_are_necessary_for_every_cue_match() -> None:
    from parallax.enrich.signals.anchors import anchors
    from parallax.enrich.signals.lexicon import CUES

    assert sorted(anchors(r"\b(no help|useless)\b") or []) == ["no help", "useless"]
    assert anchors(r"\d+") is None  # nothing literal to require
    texts = [
        "third time calling, still waiting, nobody can explain, no updates at all!!!",
        "thank you so much for your help, it works now. great service from the crew",
        "one agent told me one thing and another agent said something different; useless, hung up on me",
        "i'm so stressed and anxious, please help! my bag is lost and the app doesn't work",
    ]
    for cues in CUES.values():
        for cue in cues:
            for text in texts:
                if cue.pattern.search(text) and cue.anchors is not None:
                    assert any(anchor in text for anchor in cue.anchors), cue.pattern.pattern
