"""Static token embeddings from the ``wordllama`` package, loaded from its wheel (never downloaded).

WordLlama ships the ``l2_supercat`` token embedding table (32,000 x 256, fp16) and its tokenizer inside the
package; its own loader looks for the tokenizer in a folder the wheel does not have and then tries the
network, so the files are opened directly here. Inference is a table lookup and a mean: numpy only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from parallax.kit.errors import ParallaxError

VOCAB = 32000
DIM = 256
WORD_CACHE = 200_000  # distinct words remembered before the memory starts again (tens of MB at most)
_METASPACE = "\u2581"


@dataclass(frozen=True)
class Tokens:
    """A batch of tokenised texts, flattened: token ``ids`` and the ``rows`` (text index) they belong to."""

    ids: np.ndarray
    rows: np.ndarray
    n: int


class StaticEncoder:
    """Tokenises with the WordLlama tokenizer and mean-pools its static embeddings.

    The tokenizer is a SentencePiece-style BPE whose merges never join across a space (checked once at load,
    ``splits_on_spaces``), so a text's tokens are its space-separated words' tokens in order. Words repeat
    across a firehose, so each word is encoded once and remembered: a batch costs a dictionary lookup per
    word, and only words never seen before reach the tokenizer.
    """

    def __init__(self, table: np.ndarray, tokenizer: object, splits_on_spaces: bool = False) -> None:
        self.table = table
        self.tokenizer = tokenizer
        self.splits_on_spaces = splits_on_spaces
        self._words: dict[str, list[int]] = {}

    def tokenize(self, texts: list[str]) -> Tokens:
        per_text = self._cached_ids(texts) if self.splits_on_spaces else self._encode(texts)
        lengths = np.fromiter(map(len, per_text), dtype=np.int64, count=len(texts))
        ids = np.fromiter(chain.from_iterable(per_text), dtype=np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        return Tokens(ids=ids, rows=rows, n=len(texts))

    def _encode(self, texts: list[str]) -> list[list[int]]:
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=False)  # type: ignore[attr-defined]
        return [list(e.ids) for e in encodings]

    def _cached_ids(self, texts: list[str]) -> list[list[int]]:
        if len(self._words) > WORD_CACHE:
            self._words.clear()  # a bounded memory: a long-running worker must not grow without end
        known = self._words
        # Leading, trailing or repeated spaces (and the metaspace itself) make multi-space tokens: such a
        # text goes to the tokenizer whole.
        split = [text.split(" ") if _plain(text) else None for text in texts]
        words_seen = chain.from_iterable(words for words in split if words is not None)
        missing = list(set(words_seen).difference(known))  # set operations in C, not a Python loop a word
        if missing:
            known.update(zip(missing, self._encode(missing), strict=True))
        whole = [text for text, words in zip(texts, split, strict=True) if words is None]
        encoded = iter(self._encode(whole) if whole else [])
        lookup = known.__getitem__
        return [
            list(chain.from_iterable(map(lookup, words))) if words is not None else next(encoded)
            for words in split
        ]

    def embed(self, tokens: Tokens) -> np.ndarray:
        """Mean of token vectors per text, L2-normalised; an empty text gets a zero vector."""
        # A sparse (texts x vocabulary) count matrix times the table sums each text's vectors without
        # materialising one 256-wide row per token, which is where a gather-then-sum spends its time.
        counts = sparse.csr_matrix(
            (np.ones(len(tokens.ids), dtype=np.float32), (tokens.rows, tokens.ids)),
            shape=(tokens.n, self.table.shape[0]),
        )
        sums = np.asarray(counts @ self.table, dtype=np.float32)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return np.asarray(sums / np.maximum(norms, 1e-6), dtype=np.float32)


def _plain(text: str) -> bool:
    return bool(text) and "  " not in text and text[0] != " " and text[-1] != " " and _METASPACE not in text


def splits_on_spaces(tokenizer_config: dict[str, Any]) -> bool:
    """True when no BPE merge can join a space (the metaspace) to the text before it."""
    model = tokenizer_config.get("model", {})
    if tokenizer_config.get("pre_tokenizer") is not None or model.get("type") != "BPE":
        return False
    for merge in model.get("merges", []):
        left, right = merge.split(" ") if isinstance(merge, str) else merge
        if right.startswith(_METASPACE) and set(left) != {_METASPACE}:
            return False
    return not any(_METASPACE in token[1:] and set(token) != {_METASPACE} for token in model.get("vocab", {}))


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
    config = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    # fp32 once at load: summing from an fp16 table and converting per batch costs more than the memory.
    return StaticEncoder(
        table.astype(np.float32), Tokenizer.from_file(str(tokenizer_file)), splits_on_spaces(config)
    )
