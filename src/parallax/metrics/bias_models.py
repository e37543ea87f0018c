"""The two models of the survey correction: who answers, and what they would say (logistic, C = 1)."""

from __future__ import annotations

import numpy as np

MIN_PROPENSITY = 0.02


def propensity(x: np.ndarray, rows: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Chance of answering for every row of ``x``, fitted on ``rows`` (clipped at MIN_PROPENSITY).

    Newton-Cholesky: many more invitees than columns, so each step is one small dense solve.
    """
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=100, C=1.0, solver="newton-cholesky")
    model.fit(x[rows], answered[rows])
    return np.clip(model.predict_proba(x)[:, 1], MIN_PROPENSITY, 1.0)


def outcome(x_fit: np.ndarray, y_fit: np.ndarray, x_predict: np.ndarray) -> np.ndarray:
    """Expected value of the answer for every row of ``x_predict``, fitted on the answers ``y_fit``.

    The values are few (0/100 for a share; -100/0/100 for NPS), so a (multinomial) logistic regression gives
    their probabilities and the prediction is the probability-weighted value: always inside the score's
    range. A linear model would predict below 0 % satisfied for the worst-hit invitees, which happens to
    pull the estimate towards the truth in the simulator but is no estimate of anything.
    """
    from sklearn.linear_model import LogisticRegression

    levels = np.unique(y_fit)
    if levels.size < 2:
        return np.full(len(x_predict), float(levels[0]) if levels.size else 0.0)
    model = LogisticRegression(max_iter=100, C=1.0, solver="newton-cholesky")
    model.fit(x_fit, y_fit)
    return np.asarray(model.predict_proba(x_predict) @ model.classes_, dtype=float)
