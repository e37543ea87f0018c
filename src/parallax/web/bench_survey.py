"""``parallax bench survey``: the survey correction's cost on the demo world, before and after it was kept
per data version and fitted on one BLAS thread (``parallax.metrics.survey_correction``).

It works on a copy of the demo store (an API key and the demo login are added to the copy, never to the
store itself). *Before* is what every call used to cost: the correction with the BLAS library's default
threads and nothing kept (the page added the hidden-failure search). *Cold* is the first request at a data
version, *warm* the same request again (median of ``repeat``); both in-process through the app, like
``parallax bench web``.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from parallax.api.app import create_app
from parallax.kit.db import session_scope
from parallax.metrics import survey_correction
from parallax.metrics.engines import StoreEngine
from parallax.metrics.service import find_hidden_failures, survey_bias
from parallax.store.workspaces import create_api_key
from parallax.web.auth import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_user
from parallax.web.queries import survey as survey_queries

API = "/v1/metrics/survey-bias"
PAGE = "/survey"


@dataclass(frozen=True)
class SurveyTiming:
    path: str
    before_s: float
    cold_s: float
    warm_ms: float
    status: int


def _seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _before(url: str, workspace: str, repeat: int) -> tuple[float, float]:
    """(median seconds of the old correction, seconds of the hidden-failure search the page added)."""
    app = create_app(url)  # migrates the copy, so a store from an older demo still logs in
    with session_scope(app.state.session_factory) as session:
        fits = [_seconds(lambda: survey_bias(session, workspace)) for _ in range(repeat)]
        hidden = _seconds(lambda: find_hidden_failures(StoreEngine(session), workspace))
    app.state.engine.dispose()
    return statistics.median(fits), hidden


def _client(url: str, workspace: str) -> tuple[TestClient, dict[str, str]]:
    """A client logged in to the web app, and the API key header, over the copied store."""
    app = create_app(url, migrate=False)
    app.state.web_secret = "bench"
    with session_scope(app.state.session_factory) as session:
        ensure_demo_user(session, workspace)
        key = create_api_key(session, workspace, "bench survey")
    client = TestClient(app)
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    token = found.group(1) if found else ""
    form = {"workspace": workspace, "email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token}
    client.post("/login", data=form)
    return client, {"Authorization": f"Bearer {key}"}


def _cold_and_warm(
    client: TestClient, path: str, headers: dict[str, str], repeat: int
) -> tuple[float, float, int]:
    survey_queries.clear()  # the page's figures and the survey correction: the next request is the first
    started = time.perf_counter()
    status = client.get(path, headers=headers).status_code
    cold = time.perf_counter() - started
    warm = [_seconds(lambda: client.get(path, headers=headers)) * 1000 for _ in range(repeat)]
    return cold, statistics.median(warm), status


def time_survey(
    store: Path, workspace: str, repeat: int, log: Callable[[str], None]
) -> tuple[list[SurveyTiming], int]:
    """The timings of the API and the page, and the number of invitations corrected."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "parallax.sqlite"
        shutil.copyfile(store, copy)
        url = f"sqlite:///{copy}"
        fit, hidden = _before(url, workspace, repeat)
        log(f"before: correction {fit:.1f} s (median of {repeat}), hidden-failure search {hidden:.1f} s")
        client, headers = _client(url, workspace)
        out = []
        for path, before in ((API, fit), (PAGE, fit + hidden)):
            cold, warm, status = _cold_and_warm(client, path, headers, repeat)
            out.append(SurveyTiming(path, before, cold, warm, status))
            log(f"{path}: {status}, before {before:.1f} s, cold {cold:.1f} s, warm {warm:.0f} ms")
        csat = client.get(API, headers=headers).json().get("csat") or {}
        client.app.state.engine.dispose()  # type: ignore[attr-defined]
    survey_correction.clear()
    return out, int(csat.get("invited", 0))


def markdown(timings: list[SurveyTiming], invitations: int, repeat: int, command: str, load: float) -> str:
    rows = "\n".join(
        f"| `{t.path}` | {t.status} | {t.before_s:.1f} s | {t.cold_s:.1f} s | {t.warm_ms:.0f} ms |"
        for t in timings
    )
    return (
        "## survey\n\n"
        f"The survey correction on the demo world ({invitations:,} invitations), in-process. *Before*: "
        "every call computed it with the BLAS library's default threads and kept nothing (median of "
        f"{repeat}; the page also ran the hidden-failure search on each load). *Cold*: the first request "
        "at a data version, now fitted on one BLAS thread; *warm*: the same request again (median of "
        f"{repeat}), read from the result kept for that data version. An ingest, enrichment or identity "
        "change makes a new data version (tests/metrics/test_survey_correction.py). Load average when it "
        f"started: {load:.1f} on {os.cpu_count()} cores (the before/cold ratio grows with the load).\n\n"
        f"Reproduce: `{command}`\n\n"
        "| request | status | before | cold | warm |\n|---|---|---|---|---|\n" + rows
    )
