"""Static token embeddings from the ``wordllama`` package, loaded from its wheel (never downloaded).

WordLlama ships the ``l2_supercat`` token embedding table (32,000 x 256, fp16) and its tokenizer inside the
package; its own loader looks for the tokenizer in a folder the wheel does not have and then tries the
network, so the files are opened directly here. Inference is a table lookup and a mean: numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from parallax.kit.errors import ParallaxError

VOCAB = 32000
DIM = 256


@dataclass(frozen=True)
class Tokens:
    """A batch of tokenised texts, flattened: token ``ids`` and the ``rows`` (text index) they belong to."""

    ids: np.ndarray
    rows: np.ndarray
    n: int


class StaticEncoder:
    """Tokenises with the WordLlama tokenizer and mean-pools its static embeddings."""

    def __init__(self, table: np.ndarray, tokenizer: object) -> None:
        self.table = table
        self.tokenizer = tokenizer

    def tokenize(self, texts: list[str]) -> Tokens:
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=False)  # type: ignore[attr-defined]
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
        ids = np.fromiter((i for e in encodings for i in e.ids), dtype=np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        return Tokens(ids=ids, rows=rows, n=len(texts))

    def embed(self, tokens: Tokens) -> np.ndarray:
        """Mean of token vectors per text, L2-normalised; an empty text gets a zero vector."""
        sums = np.zeros((tokens.n, self.table.shape[1]), dtype=np.float32)
        if len(tokens.ids):
            # Rows are contiguous, so one reduceat over the non-empty rows' start offsets sums each text.
            present, starts = np.unique(tokens.rows, return_index=True)
            sums[present] = np.add.reduceat(self.table[tokens.ids], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return np.asarray(sums / np.maximum(norms, 1e-6), dtype=np.float32)


@cache
def load_encoder() -> StaticEncoder:
    """The encoder, loaded once per process from the installed wordllama package."""
    import wordllama
    from safetensors import safe_open
    from tokenizers import Tokenizer

    root = Path(wordllama.__file__).parent
    weights = root / "weights" / f"l2_supercat_{DIM}.safetensors"
    tokenizer_file = root / "tokenizers" / "l2_supercat_tokenizer_config.json"
    if not weights.exists() or not tokenizer_file.exists():
        raise ParallaxError(f"wordllama is installed without its l2_supercat files ({root}); reinstall it")
    with safe_open(str(weights), framework="np") as handle:
        table = handle.get_tensor("embedding.weight")
    # fp32 once at load: gathering from an fp16 table and converting per batch costs more than the memory.
    return StaticEncoder(table.astype(np.float32), Tokenizer.from_file(str(tokenizer_file)))
