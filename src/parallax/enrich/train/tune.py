"""Fine-tuning MiniLM's top layers for sentiment on CPU.

The lower layers stay frozen and run once, int8-quantised exactly as at inference, their outputs cached per
length-sorted batch; each epoch then trains only the top layer(s) and the head. The best epoch is chosen on
the calibration slice of the training split (never on evaluation data) and the temperature is fitted there.
"""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from parallax.enrich.datasets import DEFAULT_DATA, Labelled, airline_tweets, tweeteval
from parallax.enrich.eval.metrics import Metrics, classification_metrics
from parallax.enrich.minilm import LAYERS, attention_bias, build_encoder, load_tokenizer, mean_pool, modules
from parallax.enrich.textnorm import normalise
from parallax.enrich.train.fast import SENTIMENT_LABELS
from parallax.enrich.train.linear import fit_temperature, in_calibration
from parallax.enrich.tuned import save_tuned
from parallax.kit.errors import ValidationFailed

# TweetEval emotion train as polarity: general-domain tweets (the airline file is one domain, one month).
# It has no neutral tweets; the neutral class is learnt from the airline tweets alone.
EMOTION_POLARITY = {"anger": "negative", "sadness": "negative", "joy": "positive", "optimism": "positive"}


@dataclass(frozen=True)
class TuneConfig:
    seed: int = 13
    first_tuned: int = 3
    epochs: int = 2
    batch: int = 32
    lr_layers: float = 1e-4
    lr_head: float = 2e-3
    threads: int = 2


@dataclass(frozen=True)
class TuneReport:
    artifact: Path
    version: str
    n_train: int
    best_epoch: int
    temperature: float
    calibration: Metrics
    seconds: float


def _cache_lower(lower: Any, texts: Sequence[str], cfg: TuneConfig) -> list[tuple[np.ndarray, Any, Any]]:
    """(row indices, lower-layer output, mask) per length-sorted batch; no autograd graph kept."""
    torch, _ = modules()
    encodings = load_tokenizer().encode_batch([normalise(t) for t in texts])
    lengths = np.array([sum(e.attention_mask) for e in encodings])
    order = np.argsort(lengths, kind="stable")
    batches = []
    with torch.no_grad():
        for start in range(0, len(order), cfg.batch):
            index = order[start : start + cfg.batch]
            width = int(lengths[index].max())
            ids = torch.tensor([encodings[i].ids[:width] for i in index])
            mask = torch.tensor([encodings[i].attention_mask[:width] for i in index])
            hidden = lower.run(lower.embeddings(ids), attention_bias(torch, mask), 0, cfg.first_tuned)
            batches.append((index, hidden, mask))
    return batches


class _Top:
    """The trainable part: the top layers (copied from the base) and a linear head."""

    def __init__(self, encoder: Any, n_labels: int, cfg: TuneConfig) -> None:
        torch, _ = modules()
        self.torch = torch
        self.layers = torch.nn.ModuleList(copy.deepcopy(encoder.encoder.layer[cfg.first_tuned :]))
        self.head = torch.nn.Linear(384, n_labels)

    def train(self, on: bool) -> None:
        self.layers.train(on)
        self.head.train(on)

    def __call__(self, hidden: Any, mask: Any) -> Any:
        bias = attention_bias(self.torch, mask)
        for layer in self.layers:
            hidden = layer(hidden, bias)
        return self.head(mean_pool(hidden, mask))

    def logits(self, batches: list[tuple[np.ndarray, Any, Any]], n: int, k: int) -> np.ndarray:
        self.train(False)
        out = np.zeros((n, k))
        with self.torch.no_grad():
            for index, hidden, mask in batches:
                out[index] = self(hidden, mask).numpy()
        return out


def _lower_encoder(cfg: TuneConfig) -> tuple[Any, Any]:
    torch, _ = modules()
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    base = build_encoder().eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch announces the eager quantisation API's move to torchao
        lower = torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(base), {torch.nn.Linear}, dtype=torch.qint8
        )
    return base, lower


def fine_tune(data: Labelled, labels: Sequence[str], out: Path, version: str, cfg: TuneConfig) -> TuneReport:
    """Train on ``data`` minus its calibration slice; keep the best epoch on that slice; save the artifact."""
    started = time.monotonic()
    base, lower = _lower_encoder(cfg)
    torch = modules()[0]
    calib = np.array([in_calibration(i) for i in data.ids])
    y = np.array([labels.index(label) for label in data.labels])
    fit = _cache_lower(lower, [t for t, c in zip(data.texts, calib, strict=True) if not c], cfg)
    held = _cache_lower(lower, [t for t, c in zip(data.texts, calib, strict=True) if c], cfg)
    y_fit, y_held = torch.tensor(y[~calib]), y[calib]
    counts = np.bincount(y[~calib], minlength=len(labels))
    # Square-root class weights: the airline data is two-thirds negative; full balancing costs accuracy.
    weights = torch.tensor(np.sqrt(counts.sum() / (len(labels) * counts)), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    top = _Top(base, len(labels), cfg)
    optimiser = torch.optim.AdamW(
        [
            {"params": top.layers.parameters(), "lr": cfg.lr_layers},
            {"params": top.head.parameters(), "lr": cfg.lr_head},
        ],
        weight_decay=0.01,
    )
    rng = np.random.default_rng(cfg.seed)
    best: tuple[float, int, Any, Any, np.ndarray] | None = None
    for epoch in range(1, cfg.epochs + 1):
        top.train(True)
        for b in rng.permutation(len(fit)):
            index, hidden, mask = fit[b]
            loss = loss_fn(top(hidden, mask), y_fit[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        logits = top.logits(held, len(y_held), len(labels))
        truth = [labels[i] for i in y_held]
        score = classification_metrics(truth, [labels[i] for i in logits.argmax(1)], labels).macro_f1
        if best is None or score > best[0]:
            best = (
                score,
                epoch,
                copy.deepcopy(top.layers.state_dict()),
                copy.deepcopy(top.head.state_dict()),
                logits,
            )
    assert best is not None
    _, best_epoch, layer_state, head_state, held_logits = best
    temperature = fit_temperature(held_logits, y_held)
    named = {
        f"encoder.layer.{cfg.first_tuned + int(k.split('.', 1)[0])}.{k.split('.', 1)[1]}": v
        for k, v in layer_state.items()
    }
    save_tuned(out, named, head_state, labels, temperature, version)
    predicted = [labels[i] for i in held_logits.argmax(axis=1)]
    calibration = classification_metrics([labels[i] for i in y_held], predicted, labels)
    return TuneReport(
        out, version, len(y_fit), best_epoch, temperature, calibration, time.monotonic() - started
    )


def general_polarity(data_dir: Path = DEFAULT_DATA) -> Labelled:
    """TweetEval emotion train (its val split is kept for figures), each emotion mapped to its polarity."""
    emotion = tweeteval(data_dir / "tweeteval", "emotion", "train")
    polarity = tuple(EMOTION_POLARITY[label] for label in emotion.labels)
    return Labelled(emotion.ids, emotion.texts, polarity)


def training_data(data_dir: Path = DEFAULT_DATA, general: bool = True) -> Labelled:
    """The airline training split, plus the general-domain polarity tweets unless ``general`` is off."""
    airline = airline_tweets(data_dir, "train")
    if not general:
        return airline
    extra = general_polarity(data_dir)
    return Labelled(airline.ids + extra.ids, airline.texts + extra.texts, airline.labels + extra.labels)


def tune_sentiment(
    out: Path,
    data_dir: Path = DEFAULT_DATA,
    seed: int = 13,
    epochs: int = 2,
    tuned_layers: int = 3,
    general: bool = True,
) -> TuneReport:
    """The accurate tier: MiniLM's top ``tuned_layers`` layers fine-tuned on the airline training split
    (plus TweetEval emotion train as polarity when ``general``)."""
    if not 1 <= tuned_layers <= LAYERS:
        raise ValidationFailed(f"tuned layers must be between 1 and {LAYERS}, not {tuned_layers}")
    cfg = TuneConfig(seed=seed, epochs=epochs, first_tuned=LAYERS - tuned_layers)
    data_tag = "air+emo" if general else "air"
    version = f"minilm-l6-tuned-top{tuned_layers}-int8-{data_tag}-e{epochs}-s{seed}"
    return fine_tune(training_data(data_dir, general), SENTIMENT_LABELS, out, version, cfg)
