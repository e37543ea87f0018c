"""BENCHMARKS.md is shared by every benchmark: each owns one section, replaced in place when re-run."""

from __future__ import annotations

import platform
import re
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_PATH = Path("BENCHMARKS.md")
HEADER = (
    "# Benchmarks\n\nFigures written by `parallax bench ...` and `parallax eval ...`; each section says the "
    "command that reproduces it. The machine is shared and noisy (2 cores), so speed is also given as a "
    "ratio against a baseline run in the same process where one exists.\n"
)


def machine_line() -> str:
    return f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}"


def read_section(name: str, path: Path = DEFAULT_PATH) -> str:
    """The current text of section ``name`` ("" when there is none), for a bench that keeps some rows."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = path.read_text() if path.exists() else ""
    found = re.search(re.escape(start) + r"(.*?)" + re.escape(end), text, re.S)
    return found.group(1) if found else ""


def write_section(name: str, body: str, path: Path = DEFAULT_PATH) -> None:
    """Replace (or append) the section ``name`` in BENCHMARKS.md, stamped with date and machine."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    stamp = f"_Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine_line()}._"
    block = f"{start}\n{body.rstrip()}\n\n{stamp}\n{end}"
    text = path.read_text() if path.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    )
    path.write_text(text)
