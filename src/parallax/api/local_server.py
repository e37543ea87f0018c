"""``parallax serve`` in its own process on a free loopback port, for benchmarks: started, waited for until
healthy, and stopped (SIGTERM, then the time it takes to exit is known to the caller)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class LocalServer:
    base: str
    process: subprocess.Popen[bytes]
    stop_seconds: float | None = None  # how long it took to exit after SIGTERM


@contextmanager
def local_server(url: str, live: bool = False, startup_s: float = 120.0) -> Iterator[str]:
    """The base URL of a server over the store at ``url``; ``live`` runs the stream worker beside it."""
    with running_server(url, live, startup_s) as server:
        yield server.base


@contextmanager
def running_server(url: str, live: bool = False, startup_s: float = 120.0) -> Iterator[LocalServer]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "parallax.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--live" if live else "--no-live", "--database-url", url]
    # Its log goes to a file: a pipe nobody reads would block the server once full.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        server = LocalServer(f"http://127.0.0.1:{port}", process)
        try:
            _wait_healthy(server.base, process, startup_s, log)
            yield server
        finally:
            _stop(server)


def _stop(server: LocalServer) -> None:
    started = time.monotonic()
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
        server.stop_seconds = time.monotonic() - started
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def _wait_healthy(base: str, process: subprocess.Popen[bytes], startup_s: float, log: Any) -> None:
    deadline = time.monotonic() + startup_s  # a loaded 2-core machine has needed more than 60 s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            detail = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"the API server exited early: {detail}")
        try:
            if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the API server did not become healthy within {startup_s:.0f} s")
