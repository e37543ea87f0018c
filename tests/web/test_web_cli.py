"""``parallax users add/list`` and ``parallax bench web`` on a small store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax.cli.main import app
from parallax.kit.db import make_engine, make_sessionmaker
from parallax.web.auth.users import authenticate


def test_users_add_then_log_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["users", "add", "ops@air.test", "--role", "agent", "--workspace", "air", "--database-url", url],
        input="long-password\nlong-password\n",
    )
    assert added.exit_code == 0, added.output
    assert "long-password" not in added.output
    listed = runner.invoke(app, ["users", "list", "--workspace", "air", "--database-url", url])
    assert listed.output.split() == ["ops@air.test", "agent"]
    again = runner.invoke(
        app,
        ["users", "add", "ops@air.test", "--workspace", "air", "--database-url", url],
        input="long-password\nlong-password\n",
    )
    assert again.exit_code == 1 and "already exists" in again.output
    with make_sessionmaker(make_engine(url))() as session:
        assert authenticate(session, "air", "ops@air.test", "long-password") is not None


@pytest.mark.slow
def test_bench_web_times_every_page(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "web",
            "--interactions",
            "2000",
            "--repeat",
            "1",
            "--no-write",
            "--store",
            str(tmp_path / "b.sqlite"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if " median " in line]
    assert len(lines) == 12 and all(line.startswith("200 ") for line in lines)
