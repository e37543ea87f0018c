"""Frontline intelligence: the themes in agent notes and escalation threads, with counts and trends.

TF-IDF over the notes (English stop words, words and word pairs seen in at least 3 notes), then NMF with
``k`` themes (seeded, so reruns agree); each note goes to its strongest theme when that weight is
meaningful. Counts per week give the trend: the least-squares slope of weekly counts, in notes per week.

Example:
    >>> from datetime import datetime, timedelta
    >>> t = datetime(2026, 3, 2)
    >>> notes = [(t + timedelta(days=k), "bag delayed at FCO, courier booked") for k in range(12)]
    >>> notes += [(t + timedelta(days=k), "refund for cancelled flight sent to finance") for k in range(6)]
    >>> themes = frontline_themes(notes, k=2)
    >>> [(th.count, "bag" in th.terms or "refund" in th.terms) for th in themes]
    [(12, True), (6, True)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

MIN_WEIGHT = 1e-3


@dataclass(frozen=True)
class Theme:
    terms: tuple[str, ...]
    count: int
    weekly: tuple[tuple[date, int], ...]
    slope_per_week: float
    example: str


def frontline_themes(notes: Sequence[tuple[datetime, str]], k: int = 6, top_terms: int = 6) -> list[Theme]:
    """Themes by volume, each with its top terms, weekly counts, trend and one example note."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(notes) < 5:
        return []
    texts = [text for _, text in notes]
    vectorizer = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        min_df=min(3, len(texts)),
        token_pattern=r"(?u)\b[a-zA-Z]{3,}\b",
    )
    matrix = vectorizer.fit_transform(texts)
    k = max(1, min(k, matrix.shape[1], len(texts) - 1))
    model = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=400)
    # A near-exact factorisation leaves sklearn's reconstruction error a rounding-negative under its square
    # root (a RuntimeWarning in scikit-learn 1.9); that error is not used here, the weights are exact.
    with np.errstate(invalid="ignore"):
        weights = model.fit_transform(matrix)
    vocab = np.array(vectorizer.get_feature_names_out())
    best = weights.argmax(axis=1)
    strong = weights.max(axis=1) > MIN_WEIGHT
    themes = []
    for topic in range(k):
        members = np.flatnonzero((best == topic) & strong)
        if members.size == 0:
            continue
        terms = tuple(vocab[np.argsort(model.components_[topic])[::-1][:top_terms]])
        weekly = _weekly([notes[int(i)][0] for i in members])
        exemplar = members[np.argmax(weights[members, topic])]
        themes.append(Theme(terms, int(members.size), weekly, _slope(weekly), texts[exemplar][:200]))
    return sorted(themes, key=lambda t: -t.count)


def _weekly(times: list[datetime]) -> tuple[tuple[date, int], ...]:
    weeks = Counter((t - timedelta(days=t.weekday())).date() for t in times)
    return tuple(sorted(weeks.items()))


def _slope(weekly: tuple[tuple[date, int], ...]) -> float:
    if len(weekly) < 3:
        return 0.0  # two points (often a partial week) are no trend
    x = np.array([(w - weekly[0][0]).days / 7.0 for w, _ in weekly])
    y = np.array([n for _, n in weekly], dtype=float)
    return round(float(np.polyfit(x, y, 1)[0]), 3)
