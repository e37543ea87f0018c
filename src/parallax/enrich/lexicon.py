"""Lexicon features from VADER's human-rated word list, vectorised for batches.

The features are what a linear head cannot get from averaged embeddings: how much rated-positive and
rated-negative vocabulary a text holds, with negation flipping a word's sign ("not good"), plus emphasis
(exclamation marks, capitals) and contrast ("but").
"""

from __future__ import annotations

import re
from functools import cache
from itertools import repeat

import numpy as np

WORD_RE = re.compile(r"[a-z][a-z']*|[:;=8xX][-o^]?[()\[\]dDpP/\\|*]")
_NEGATION_WORDS = (
    "not no never none nobody nothing neither nor nowhere cannot cant can't dont don't doesnt doesn't didnt "
    "didn't isnt isn't wasnt wasn't wont won't wouldnt wouldn't shouldnt shouldn't couldnt couldn't aint "
    "ain't arent aren't havent haven't hasnt hasn't hadnt hadn't without"
)
NEGATIONS = frozenset(_NEGATION_WORDS.split())
NEGATION_WINDOW = 3
NEGATION_FACTOR = -0.74  # VADER's own scalar for a negated word
FEATURES = (
    "pos_sum",
    "neg_sum",
    "pos_max",
    "neg_max",
    "pos_count",
    "neg_count",
    "negations",
    "exclaims",
    "questions",
    "caps_share",
    "has_but",
    "length",
)


@cache
def valences() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return dict(SentimentIntensityAnalyzer().lexicon)


def lexicon_features(texts: list[str]) -> np.ndarray:
    """An (n, len(FEATURES)) float32 array; the word-level work is one pass over the batch's words."""
    lexicon = valences()
    words_per = [WORD_RE.findall(text.lower()) for text in texts]
    counts = np.fromiter(map(len, words_per), dtype=np.int64, count=len(texts))
    words = [word for text_words in words_per for word in text_words]
    rows = np.repeat(np.arange(len(texts)), counts)
    out = np.zeros((len(texts), len(FEATURES)), dtype=np.float64)
    if words:
        _valence_columns(out, words, rows, counts, lexicon)
    out[:, 7] = [min(text.count("!"), 5) for text in texts]
    out[:, 8] = [min(text.count("?"), 5) for text in texts]
    out[:, 9] = [_caps_share(text) for text in texts]
    out[:, 10] = [float("but" in text_words) for text_words in words_per]
    out[:, 11] = np.log1p(counts)
    return out.astype(np.float32)


def _valence_columns(
    out: np.ndarray, words: list[str], rows: np.ndarray, counts: np.ndarray, lexicon: dict[str, float]
) -> None:
    """Fill the valence and negation columns from the batch's words in text order."""
    n = len(words)
    # map() over bound methods walks the words in C; a generator expression costs twice as much.
    negation = np.fromiter(map(NEGATIONS.__contains__, words), dtype=bool, count=n)
    value = np.fromiter(map(lexicon.get, words, repeat(np.nan)), dtype=np.float64, count=n)
    index = np.arange(n)
    first = np.repeat(np.cumsum(counts) - counts, counts)  # index of each word's text's first word
    # The last negation at or before each word, in its own text ("not good": good is within the window).
    last = np.maximum.accumulate(np.where(negation, index, -1))
    negated = (last >= first) & (index - last <= NEGATION_WINDOW)
    rated = ~negation & ~np.isnan(value)
    value = np.where(negated, value * NEGATION_FACTOR, value) / 4.0
    positive, negative = rated & (value > 0), rated & ~(value > 0)
    size = len(out)
    out[:, 0] = np.bincount(rows[positive], weights=value[positive], minlength=size)
    out[:, 1] = -np.bincount(rows[negative], weights=value[negative], minlength=size)
    np.maximum.at(out[:, 2], rows[positive], value[positive])
    np.maximum.at(out[:, 3], rows[negative], -value[negative])
    out[:, 4] = np.bincount(rows[positive], minlength=size)
    out[:, 5] = np.bincount(rows[negative], minlength=size)
    out[:, 6] = np.bincount(rows[negation], minlength=size)


_ASCII_NOT_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())
_ASCII_NOT_UPPER = bytes(b for b in range(128) if not chr(b).isupper())


def _caps_share(text: str) -> float:
    """Upper-case letters over all letters (two byte deletions for ASCII text, a scan otherwise)."""
    if text.isascii():
        raw = text.encode()
        letters = len(raw.translate(None, _ASCII_NOT_LETTER))
        return len(raw.translate(None, _ASCII_NOT_UPPER)) / letters if letters else 0.0
    alphabetic = [ch for ch in text if ch.isalpha()]
    return sum(ch.isupper() for ch in alphabetic) / len(alphabetic) if alphabetic else 0.0
