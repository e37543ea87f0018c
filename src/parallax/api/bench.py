"""``parallax bench api``: does one hostile client slow everyone else down?

A live server (``parallax serve`` as deployed: the API, the stream worker, and the models in a process of
their own) runs on a loopback port over a throwaway SQLite store. A probe client sends, at a steady pace,
what every user sends: ``GET /v1/health`` and a normal ingest of five interactions. It does so twice, for
the same time each: alone ("quiet"), then while an attacker in another process, holding another
workspace's key, sends pathological requests back to back ("attacked"): texts built to make regular
expressions backtrack, a text of 5 MB, a 40 MB body, dates in 2099 and year 1, a batch of 1,000 long texts
to enrich, rows that are not objects, broken JSON. The figures are the probe's latency percentiles in each
phase, their ratio (the same machine and process, so the noise of a shared box cancels), what the
attacker's requests got back, and how long the server took to exit on SIGTERM right after the attack.
Target: p99 under 200 ms for both probes while attacked.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from parallax.api.local_server import running_server
from parallax.kit.db import make_engine, make_sessionmaker
from parallax.store.migrate import upgrade
from parallax.store.workspaces import create_api_key, ensure_workspace

TARGET_MS = 200.0


@dataclass
class Latencies:
    samples: dict[str, list[float]] = field(default_factory=dict)  # probe -> seconds
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, probe: str, seconds: float) -> None:
        self.samples.setdefault(probe, []).append(seconds)

    def percentile_ms(self, probe: str, q: float) -> float:
        values = sorted(self.samples.get(probe, []))
        if not values:
            return float("nan")
        return 1000.0 * values[min(len(values) - 1, int(q * len(values)))]


@dataclass
class ApiFigures:
    seconds: float
    quiet: Latencies
    attacked: Latencies
    attacks: Counter[str]  # "what -> status" counts of the attacker's requests
    stop_seconds: float | None


def make_store(folder: Path) -> tuple[str, str, str]:
    """The store's URL and two API keys: the probe's workspace and the attacker's (another tenant)."""
    url = f"sqlite:///{folder / 'bench-api.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    keys = []
    with make_sessionmaker(engine)() as session:
        for workspace in ("probe", "attacker"):
            ensure_workspace(session, workspace)
            keys.append(create_api_key(session, workspace, "bench"))
        session.commit()
    engine.dispose()
    return url, keys[0], keys[1]


def _row(external_id: str, text: str, occurred_at: str | None = None) -> dict[str, Any]:
    return {
        "source": "bench",
        "external_id": external_id,
        "channel": "twitter",
        "kind": "post",
        "occurred_at": occurred_at or datetime.now(UTC).isoformat(),
        "text": text,
        "segments": {"airport": "LHR"},
    }


NORMAL_TEXTS = (
    "@airline flight BA117 delayed 3 hours at LHR and nobody tells us anything",
    "Thanks for sorting my rebooking so quickly, great crew today",
    "My bag did not arrive in MAD, third time this year. Reference ABC123",
    "The app keeps logging me out when I try to check in",
    "Refund still not here after six weeks, I have called four times",
)


def _probe(client: httpx.Client, phase: Latencies, seconds: float, pace: float, tag: str) -> None:
    """Health and a normal ingest, alternately, every ``pace`` seconds, for ``seconds``."""
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
        started = time.perf_counter()
        try:
            if n % 2:
                response = client.get("/v1/health")
                probe = "health"
            else:
                rows = [_row(f"{tag}-{n}-{k}", text) for k, text in enumerate(NORMAL_TEXTS)]
                response = client.post("/v1/interactions", json={"interactions": rows})
                probe = "ingest"
            phase.add(probe, time.perf_counter() - started)
            if response.status_code != 200:
                phase.errors[f"{probe} {response.status_code}"] += 1
        except httpx.HTTPError as exc:
            phase.errors[type(exc).__name__] += 1
        time.sleep(max(0.0, pace - (time.perf_counter() - started)))


def _attacks() -> list[tuple[str, Callable[[int], bytes]]]:
    """What the attacker sends: a name and a body for attempt ``n`` (distinct ids, so nothing dedupes)."""

    def batch(rows: list[dict[str, Any]]) -> bytes:
        return json.dumps({"interactions": rows}).encode()

    bombs = ("%" * 90_000 + "@", "a@" * 45_000, "flight " + " " * 90_000 + "x", "1 " * 45_000 + "a")
    long_text = " ".join(NORMAL_TEXTS) * 5  # about 1,800 characters of ordinary complaint
    return [
        ("regex bombs (4 x 90 KB)", lambda n: batch([_row(f"bomb-{n}-{k}", b) for k, b in enumerate(bombs)])),
        ("5 MB text", lambda n: batch([_row(f"huge-{n}", "a" * 5_000_000)])),
        ("40 MB body", lambda n: b'{"interactions": [' + b" " * 40_000_000 + b"]}"),
        (
            "dates 2099 and 0001",
            lambda n: batch(
                [
                    _row(f"future-{n}", "late again", "2099-01-01T00:00:00Z"),
                    _row(f"past-{n}", "late again", "0001-01-01T00:00:00Z"),
                ]
            ),
        ),
        ("1,000 long texts", lambda n: batch([_row(f"long-{n}-{k}", long_text) for k in range(1000)])),
        ("rows not objects", lambda n: b'{"interactions": [1, "x", null, [], {"source": 5}]}'),
        ("broken JSON", lambda n: b'{"interactions": [{"source": '),
    ]


def _attack(base: str, key: str, stop: Any, counts: Any) -> None:
    """The hostile client (its own process, so building its bodies does not slow the probe)."""
    attacks = _attacks()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    n = 0
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        while not stop.is_set():
            name, body = attacks[n % len(attacks)]
            n += 1
            try:
                status = str(client.post("/v1/interactions", content=body(n)).status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            counts[f"{name} -> {status}"] = counts.get(f"{name} -> {status}", 0) + 1


def run(seconds: float = 20.0, pace: float = 0.05, live: bool = True) -> ApiFigures:
    with tempfile.TemporaryDirectory() as folder:
        url, key, attacker_key = make_store(Path(folder))
        with running_server(url, live=live) as server:
            headers = {"Authorization": f"Bearer {key}"}
            with httpx.Client(base_url=server.base, headers=headers, timeout=60) as client:
                _probe(client, Latencies(), 2.0, pace, "warm")  # first requests load the models
                quiet, attacked = Latencies(), Latencies()
                _probe(client, quiet, seconds, pace, "quiet")
                context = multiprocessing.get_context("spawn")
                with context.Manager() as manager:
                    stop, counts = manager.Event(), manager.dict()
                    attacker = context.Process(target=_attack, args=(server.base, attacker_key, stop, counts))
                    attacker.start()
                    try:
                        _probe(client, attacked, seconds, pace, "attacked")
                    finally:
                        stop.set()
                        attacker.join(timeout=180)
                        if attacker.is_alive():
                            attacker.terminate()
                    attacks = Counter({str(k): int(v) for k, v in counts.items()})
        return ApiFigures(seconds, quiet, attacked, attacks, server.stop_seconds)


def markdown(figures: ApiFigures) -> str:
    lines = [
        "## API under a hostile client (`parallax bench api`)",
        "",
        f"`parallax serve` (API and live worker as deployed: models in one process of their own, SQLite, "
        f"127.0.0.1); a probe sends `GET /v1/health` and a 5-row ingest alternately every 50 ms, "
        f"{figures.seconds:.0f} s alone, then {figures.seconds:.0f} s while another process, with another "
        f"workspace's key, sends pathological requests back to back. "
        f"Target: p99 under {TARGET_MS:.0f} ms for both probes while attacked.",
        "",
        "| probe | phase | n | p50 ms | p95 ms | p99 ms | max ms | p99 attacked / quiet |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for probe in ("health", "ingest"):
        ratio = figures.attacked.percentile_ms(probe, 0.99) / figures.quiet.percentile_ms(probe, 0.99)
        for phase, data in (("quiet", figures.quiet), ("attacked", figures.attacked)):
            n = len(data.samples.get(probe, []))
            cells = [data.percentile_ms(probe, q) for q in (0.5, 0.95, 0.99, 1.0)]
            tail = f"{ratio:.2f}" if phase == "attacked" else ""
            figures_ms = " | ".join(f"{c:.1f}" for c in cells)
            lines.append(f"| {probe} | {phase} | {n} | {figures_ms} | {tail} |")
    errors = figures.quiet.errors + figures.attacked.errors
    lines += ["", f"Probe errors: {dict(errors) or 'none'}.", "", "| attacker's request -> status | count |"]
    lines += ["|---|---:|"] + [f"| {name} | {count} |" for name, count in sorted(figures.attacks.items())]
    stop = "did not exit within 30 s" if figures.stop_seconds is None else f"{figures.stop_seconds:.1f} s"
    lines += ["", f"Exit on SIGTERM right after the attack: {stop}."]
    return "\n".join(lines)


def verdict(figures: ApiFigures) -> list[str]:
    """What missed the target (empty when everything held)."""
    misses = []
    for probe in ("health", "ingest"):
        p99 = figures.attacked.percentile_ms(probe, 0.99)
        if not p99 < TARGET_MS:
            misses.append(f"{probe} p99 {p99:.0f} ms while attacked (target {TARGET_MS:.0f} ms)")
    if figures.stop_seconds is None or figures.stop_seconds > 10:
        misses.append("the server did not exit within 10 s of SIGTERM")
    return misses
