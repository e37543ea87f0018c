"""Evaluation plumbing: metrics, the held-out split by hashed ids, the data readers and the eval command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from parallax.cli.main import app
from parallax.enrich.datasets import in_holdout, read_csv, select_split, tweeteval
from parallax.enrich.eval.metrics import classification_metrics
from parallax.enrich.eval.run import evaluate
from parallax.kit.errors import ValidationFailed


def test_metrics_match_a_hand_count() -> None:
    truth = ["neg", "neg", "neg", "neu", "pos", "pos"]
    predicted = ["neg", "neg", "pos", "neu", "pos", "neu"]
    m = classification_metrics(truth, predicted, ("neg", "neu", "pos"))
    assert m.n == 6 and m.accuracy == pytest.approx(4 / 6)
    assert m.macro_recall == pytest.approx((2 / 3 + 1 + 1 / 2) / 3)
    assert m.per_class_f1 == pytest.approx((0.8, 2 / 3, 0.5))
    assert m.confusion == ((2, 0, 1), (0, 1, 0), (0, 1, 1))


def test_holdout_is_a_stable_fifth_of_ids() -> None:
    ids = [str(570_000_000_000_000_000 + i) for i in range(5000)]
    share = sum(in_holdout(i) for i in ids) / len(ids)
    assert 0.18 < share < 0.22
    assert [in_holdout(i) for i in ids[:50]] == [in_holdout(i) for i in ids[:50]]


def _write_csv(path: Path) -> Path:
    rows = ["id,text,label", "1,great crew,positive", "1,great crew again,positive", "2,lost my bag,negative"]
    rows += [f"{i},gate {i} is open,neutral" for i in range(3, 40)]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_csv_reader_deduplicates_ids_and_splits(tmp_path: Path) -> None:
    data = read_csv(_write_csv(tmp_path / "d.csv"), "text", "label", "id")
    assert len(data) == 39 and data.texts[0] == "great crew"
    holdout, train = select_split(data, "holdout"), select_split(data, "train")
    assert len(holdout) + len(train) == 39 and not set(holdout.ids) & set(train.ids)
    with pytest.raises(ValidationFailed, match="no column"):
        read_csv(tmp_path / "d.csv", "body", "label")


def test_tweeteval_pairs_are_mapped(tmp_path: Path) -> None:
    (tmp_path / "sentiment_mapping.txt").write_text("0\tnegative\n1\tneutral\n2\tpositive\n")
    (tmp_path / "sentiment_val_text.txt").write_text("bad\nok\ngood\n")
    (tmp_path / "sentiment_val_labels.txt").write_text("0\n1\n2\n")
    assert tweeteval(tmp_path, "sentiment", "val").labels == ("negative", "neutral", "positive")


class _Constant:
    version = "constant"

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return np.tile([0.1, 0.8, 0.1], (len(texts), 1))


def test_evaluate_refuses_unknown_labels(tmp_path: Path) -> None:
    data = read_csv(_write_csv(tmp_path / "d.csv"), "text", "label", "id")
    result = evaluate("constant", _Constant(), ("negative", "neutral", "positive"), data)
    assert result.metrics.accuracy == pytest.approx(37 / 39)
    with pytest.raises(ValidationFailed, match="not among"):
        evaluate("constant", _Constant(), ("a", "b", "c"), data)


def test_eval_command_prints_figures_as_json(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "d.csv")
    args = ["eval", "sentiment", "--input", str(path), "--label-column", "label", "--split", "all"]
    result = CliRunner().invoke(app, [*args, "--tier", "baseline", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["n"] == 40 and figures["accuracy"] == 1.0  # every row is plain for VADER
    assert len(figures["confusion"]) == 3 and "macro_recall" in figures
    refused = CliRunner().invoke(app, [*args[:-2], "--split", "holdout"])
    assert refused.exit_code == 2
