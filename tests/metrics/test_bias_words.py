"""How a correction was made, in the words the report and the web page share."""

from __future__ import annotations

import doctest

import pytest

from parallax.metrics import bias_words
from parallax.metrics.bias import AT_RANDOM, FOLLOW_UP, BiasCorrection
from parallax.metrics.bias_words import gap_words, how_corrected


def _two_phase(gap: float) -> BiasCorrection:
    return BiasCorrection(
        "nps", -3.0, (-9.7, 2.7), -12.9, (-19.0, -3.6), 4805, 468, method="two_phase", assumption=FOLLOW_UP,
        sensitivity=((5.0, -14.1), (10.0, -15.3)), followed_up=1240, followup_responded=233,
        nonrespondent_gap=gap, corrected_ci_with_gap=(-21.5 if gap > 0 else -19.0, -3.6),
    )  # fmt: skip


def test_docstring_examples() -> None:
    result = doctest.testmod(bias_words)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("gap", "words"), [(3.8, "3.8 points below"), (-3.8, "3.8 points above"), (0.0, "0.0 points below")]
)
def test_a_gap_reads_as_a_distance_and_a_direction(gap: float, words: str) -> None:
    assert gap_words(gap) == words


def test_a_negative_gap_is_above_and_does_not_widen_the_interval() -> None:
    how = how_corrected(_two_phase(-3.8))
    assert how.followup == "233 of 1,240 followed up answered, 3.8 points above similar online answers"
    assert "not widened: [-19.0, -3.6]" in how.widened and "below" not in how.widened


def test_a_positive_gap_is_below_and_widens_the_interval() -> None:
    how = how_corrected(_two_phase(3.5))
    assert how.method == "two-phase (non-response follow-up)" and how.assumption == FOLLOW_UP
    assert how.followup.endswith("3.5 points below similar online answers")
    assert how.widened == "if the silent are as far below again: [-21.5, -3.6]"
    assert how.band == "5 points lower: -14.1, 10 points lower: -15.3"


def test_without_a_follow_up_only_the_band_and_the_assumption() -> None:
    aipw = BiasCorrection("csat_satisfied_pct", 80.0, (78.0, 82.0), 70.0, (68.0, 72.0), 100, 50,
                          sensitivity=((5.0, 67.5), (10.0, 65.1)))  # fmt: skip
    how = how_corrected(aipw)
    assert (how.metric, how.assumption, how.followup, how.widened) == ("CSAT % satisfied", AT_RANDOM, "", "")
    assert how.method.startswith("AIPW") and how.band == "5 points lower: 67.5, 10 points lower: 65.1"


def test_the_report_says_above_for_a_negative_gap() -> None:
    from parallax.cli.report_cmd import _sensitivity

    assert _sensitivity(_two_phase(-3.8)).startswith("233 of 1,240 followed up answered, 3.8 points above")
    assert "as far below again: [-21.5, -3.6]" in _sensitivity(_two_phase(3.5))
