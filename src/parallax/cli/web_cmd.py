"""``parallax users ...`` (web app logins), ``parallax bench web`` (page server times) and
``parallax bench survey`` (the survey correction, before and after it was kept per data version)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from parallax.cli.context import console, context, err_console
from parallax.cli.core import DbOption
from parallax.cli.groups import bench_app
from parallax.kit.db import session_scope
from parallax.kit.errors import ParallaxError
from parallax.store.workspaces import ensure_workspace

users_app = typer.Typer(help="Web app users: add them and list them.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    bench_app.command("web")(bench_web)
    bench_app.command("survey")(bench_survey)


@users_app.command("add")
def add_user(
    email: Annotated[str, typer.Argument(help="Login email.")],
    role: Annotated[str, typer.Option(help="admin | analyst | agent | viewer.")] = "viewer",
    workspace: Annotated[str, typer.Option(help="Workspace the user belongs to.")] = "demo",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters."),
    ] = "",
    database_url: DbOption = None,
) -> None:
    """Create a web login (the password is hashed with Argon2 and never printed)."""
    from parallax.web.auth.users import create_user

    ctx = context(database_url)
    try:
        with session_scope(ctx.session_factory) as session:
            ensure_workspace(session, workspace)
            create_user(session, workspace, email, password, role, name)
    except ParallaxError as exc:
        err_console.print(f"[red]{exc.detail}[/]")
        raise typer.Exit(1) from exc
    console.print(f"user [bold]{email}[/] ({role}) added to workspace {workspace}")


@users_app.command("list")
def list_all(
    workspace: Annotated[str, typer.Option(help="Workspace to list.")] = "demo", database_url: DbOption = None
) -> None:
    """Emails and roles of a workspace's users."""
    from parallax.web.auth.users import list_users

    ctx = context(database_url)
    with session_scope(ctx.session_factory) as session:
        for user in list_users(session, workspace):
            console.print(f"{user.email}\t{user.role}\t{user.name}")


def bench_web(
    interactions: Annotated[
        int, typer.Option(min=1000, help="Interactions in the benchmark store.")
    ] = 1_000_000,
    store: Annotated[Path, typer.Option(help="SQLite file to build once and reuse.")] = Path(
        "var/bench-web.sqlite"
    ),
    repeat: Annotated[int, typer.Option(min=1, help="Requests per page.")] = 5,
    write: Annotated[bool, typer.Option(help="Write the web section of BENCHMARKS.md.")] = True,
) -> None:
    """Server time of every page with N interactions in the embedded store (target: under 300 ms)."""
    from parallax.kit.benchmarks import write_section
    from parallax.web.bench import build_store, incremental_refresh_ms, markdown, time_pages

    url = build_store(store, interactions, console.print)
    timings = time_pages(url, repeat)
    refresh = incremental_refresh_ms(url)
    console.print(
        f"rollup refresh after 1,000 new interactions: {refresh[0]:.0f} ms ({refresh[1]} days rebuilt)"
    )
    for t in timings:
        console.print(
            f"{t.status} median {t.median_ms:6.0f} ms first {t.first_ms:6.0f} ms {t.path}", soft_wrap=True
        )
    if write:
        write_section("web", markdown(timings, interactions, repeat, refresh))
        console.print("wrote the web section of BENCHMARKS.md")


def bench_survey(
    store: Annotated[
        Path, typer.Option(help="The demo world's SQLite store (parallax demo --no-serve).")
    ] = Path("var/parallax.sqlite"),
    workspace: Annotated[str, typer.Option(help="Workspace holding the surveys.")] = "demo",
    repeat: Annotated[int, typer.Option(min=1, help="Requests per median.")] = 3,
    write: Annotated[bool, typer.Option(help="Write the survey section of BENCHMARKS.md.")] = True,
) -> None:
    """Time GET /v1/metrics/survey-bias and /survey on a copy of the demo store: before, cold and warm."""
    from parallax.kit.benchmarks import write_section
    from parallax.web.bench_survey import markdown, time_survey

    if not store.is_file():
        err_console.print(f"[red]{store} not found: run `parallax demo --no-serve` first[/]")
        raise typer.Exit(1)
    load = os.getloadavg()[0]
    timings, invitations = time_survey(store, workspace, repeat, console.print)
    if invitations == 0:
        err_console.print(f"[red]workspace {workspace} has no survey invitations to correct[/]")
        raise typer.Exit(1)
    flags = "" if repeat == 3 else f" --repeat {repeat}"
    command = f"parallax demo --no-serve && parallax bench survey{flags}"
    text = markdown(timings, invitations, repeat, command, load)
    console.print(text.splitlines()[-1])
    if write:
        write_section("survey", text)
