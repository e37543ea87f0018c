"""Fast text features for the category models: hashed word n-grams and mean static embeddings.

Both run on the normalised text (handles -> @user, links -> http) shared with the other fast models. The
hashing vectoriser has no vocabulary to ship; a trained head keeps only the hashed columns it saw often
enough in training, which keeps its artifact small.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from parallax.enrich.linear import featurize_shared
from parallax.enrich.static import DIM, load_encoder
from parallax.enrich.textnorm import normalise

N_HASH = 1 << 20


@cache
def _vectoriser() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=N_HASH,
        ngram_range=(1, 2),
        alternate_sign=False,
        norm="l2",
        lowercase=True,
        token_pattern=r"(?u)\b\w[\w']*\b",
    )


def normalised(texts: list[str]) -> list[str]:
    return [normalise(text) for text in texts]


def hashed(texts: list[str]) -> sparse.csr_matrix:
    """(n, 2^20) L2-normalised counts of hashed word unigrams and bigrams of already-normalised texts."""
    return sparse.csr_matrix(_vectoriser().transform(texts))


def embedded(texts: list[str]) -> np.ndarray:
    """(n, 256) unit-length mean static embeddings of already-normalised texts."""
    encoder = load_encoder()
    return np.asarray(encoder.embed(encoder.tokenize(texts)), dtype=np.float32)


def shared_embeddings(texts: list[str]) -> np.ndarray:
    """(n, 256) static embeddings of raw ``texts`` (normalised inside), identical to ``embedded`` but read
    from the fast sentiment tier's one-batch feature memory, so a pipeline embeds each batch once."""
    return np.ascontiguousarray(featurize_shared(list(texts)).dense[:, :DIM], dtype=np.float32)
