"""The survey correction as the survey page, ``GET /v1/metrics/survey-bias`` and ``parallax report`` give
it: one computation, kept per data version.

The correction fits logistic regressions over every invitee (``bias.py``): on a week of the demo world
(4,805 invitations, 447 covariate columns) that is a few seconds of dense algebra, and it is done here

* on one BLAS thread: OpenBLAS's second thread spins while it waits, and on the busy 2-core machine the same
  fit took 6 to 9 times longer with it (``parallax bench survey`` in BENCHMARKS.md);
* once per data version: the result is kept in the process, keyed by the store's read marks (highest
  interaction, enrichment, customer and identity-event ids, the number of linked interactions and the latest
  customer change: ``rollup_repository.current_marks``, which the metric roll-up reads on every board) and by
  the workspace's creation time. A second call costs those index reads; any ingest, enrichment or identity
  change computes it afresh. Callers that arrive while it is being computed wait for that one computation.

A workspace without survey rows (every new tenant) answers ``no_survey_answers`` at once; one whose answers
are too few to model answers ``not_enough_answers``, with the reason in ``bias.note``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from parallax.metrics.repository import has_surveys, workspace_created
from parallax.metrics.rollup_repository import current_marks
from parallax.metrics.service import SurveyBias, survey_bias

CORRECTED = "corrected"
NOT_ENOUGH = "not_enough_answers"
NO_SURVEYS = "no_survey_answers"
STATES = (CORRECTED, NOT_ENOUGH, NO_SURVEYS)
NO_SURVEYS_NOTE = "no survey answers yet: import survey invitations and answers to see them corrected"
CACHE_SIZE = 32

Version = tuple[object, ...]


@dataclass(frozen=True)
class SurveyCorrection:
    state: str  # one of STATES
    bias: SurveyBias
    version: Version  # the data version it was computed at


_cache: OrderedDict[Version, SurveyCorrection] = OrderedDict()
_computing: dict[Version, Lock] = {}
_guard = Lock()


def data_version(session: Session, workspace_id: str) -> Version:
    """What the correction depends on, as a key: store, workspace and the store's read marks."""
    marks = current_marks(session)
    created = workspace_created(session, workspace_id)
    bind = session.get_bind()
    store = str(bind.engine.url)  # an Engine's .engine is itself; a Connection's is its engine
    return (store, workspace_id, created, *sorted(marks.items()))


def survey_correction(session: Session, workspace_id: str) -> SurveyCorrection:
    """The workspace's corrected CSAT and NPS at the current data version (computed at most once each)."""
    version = data_version(session, workspace_id)
    with _guard:
        if version in _cache:
            return _cache[version]
        computing = _computing.setdefault(version, Lock())
    with computing:
        with _guard:
            found = _cache.get(version)
        if found is not None:
            return found
        try:
            result = compute(session, workspace_id, version)
        finally:
            with _guard:
                _computing.pop(version, None)
        with _guard:
            _cache[version] = result
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return result


def compute(session: Session, workspace_id: str, version: Version = ()) -> SurveyCorrection:
    """The correction itself, uncached (``parallax report`` and the benchmark's cold figure)."""
    if not has_surveys(session, workspace_id):
        return SurveyCorrection(NO_SURVEYS, SurveyBias(None, None, NO_SURVEYS_NOTE), version)
    with threadpool_limits(limits=1, user_api="blas"):
        bias = survey_bias(session, workspace_id)
    state = CORRECTED if bias.csat is not None or bias.nps is not None else NOT_ENOUGH
    return SurveyCorrection(state, bias, version)


def clear() -> None:
    """Forget every kept result (tests that reuse a database under the same marks)."""
    with _guard:
        _cache.clear()
