"""Lexicon features from VADER's human-rated word list, vectorised for batches.

The features are what a linear head cannot get from averaged embeddings: how much rated-positive and
rated-negative vocabulary a text holds, with negation flipping a word's sign ("not good"), plus emphasis
(exclamation marks, capitals) and contrast ("but").
"""

from __future__ import annotations

import re
from functools import cache

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


def _one(text: str, lexicon: dict[str, float]) -> list[float]:
    words = WORD_RE.findall(text.lower())
    pos: list[float] = []
    neg: list[float] = []
    last_negation = -NEGATION_WINDOW - 1
    for position, word in enumerate(words):
        if word in NEGATIONS:
            last_negation = position
            continue
        value = lexicon.get(word)
        if value is None:
            continue
        if position - last_negation <= NEGATION_WINDOW:
            value *= NEGATION_FACTOR
        (pos if value > 0 else neg).append(value / 4.0)
    letters = [ch for ch in text if ch.isalpha()]
    caps = sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0
    return [
        sum(pos),
        -sum(neg),
        max(pos, default=0.0),
        -min(neg, default=0.0),
        float(len(pos)),
        float(len(neg)),
        float(sum(word in NEGATIONS for word in words)),
        float(min(text.count("!"), 5)),
        float(min(text.count("?"), 5)),
        caps,
        float("but" in words),
        float(np.log1p(len(words))),
    ]


def lexicon_features(texts: list[str]) -> np.ndarray:
    """An (n, len(FEATURES)) float32 array."""
    lexicon = valences()
    return np.array([_one(text, lexicon) for text in texts], dtype=np.float32).reshape(
        len(texts), len(FEATURES)
    )
