"""Survey correction and statistical hidden failures from the metrics room's services, kept per process and
data version (``parallax.metrics.survey_correction``: recomputed only after new interactions, enrichments
or identity changes). The correction is the one ``GET /v1/metrics/survey-bias`` and ``parallax report``
give, so the page and the API share it."""

from __future__ import annotations

import importlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any

from sqlalchemy.orm import Session

CACHE_SIZE = 16
_cache: OrderedDict[tuple[object, ...], SurveyFigures] = OrderedDict()
_lock = Lock()


@dataclass(frozen=True)
class CorrectedFigure:
    """One corrected metric and how it was corrected, worded by the metrics room (the page only shows it)."""

    figure: Any  # parallax.metrics.bias.BiasCorrection
    how: Any  # parallax.metrics.bias_words.HowCorrected


@dataclass(frozen=True)
class SurveyFigures:
    state: str  # corrected | not_enough_answers | no_survey_answers (survey_correction.STATES)
    bias: Any  # parallax.metrics.service.SurveyBias
    hidden: list[Any]  # parallax.metrics.hidden.HiddenFailure, most impactful first
    corrected: list[CorrectedFigure]  # CSAT then NPS, those with enough invitations to correct


def metrics_service() -> Any | None:
    """The metrics room's service module, or None where this installation does not have it yet."""
    try:
        return importlib.import_module("parallax.metrics.service")
    except ImportError:
        return None


def survey_figures(session: Session, workspace_id: str) -> SurveyFigures | None:
    service = metrics_service()
    if service is None:
        return None
    from parallax.metrics.bias_words import how_corrected
    from parallax.metrics.engines import StoreEngine
    from parallax.metrics.survey_correction import data_version, survey_correction

    key = data_version(session, workspace_id)
    with _lock:
        if key in _cache:
            return _cache[key]
    found = survey_correction(session, workspace_id)
    bias = found.bias
    figures = SurveyFigures(
        state=found.state,
        bias=bias,
        hidden=list(service.find_hidden_failures(StoreEngine(session), workspace_id)),
        corrected=[CorrectedFigure(b, how_corrected(b)) for b in (bias.csat, bias.nps) if b is not None],
    )
    with _lock:
        _cache[key] = figures
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return figures


def clear() -> None:
    """Forget every kept page figure and survey correction (tests that reuse a database's marks)."""
    from parallax.metrics import survey_correction

    with _lock:
        _cache.clear()
    survey_correction.clear()
