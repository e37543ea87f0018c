"""``init`` and ``serve``: set up a workspace, serve the API and dashboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from parallax.cli.context import console, context, err_console
from parallax.kit.clock import utcnow
from parallax.kit.db import session_scope
from parallax.kit.signing_key import SecretKeyMissing, serve_secret
from parallax.store.workspaces import create_api_key, ensure_workspace

DbOption = Annotated[
    str | None,
    typer.Option("--database-url", help="Overrides PARALLAX_DATABASE_URL (default: var/parallax.sqlite)."),
]


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("serve")(serve)


def init(
    workspace: Annotated[str, typer.Option(help="Workspace (tenant) id to create.")] = "demo",
    name: Annotated[str, typer.Option(help="Display name of the workspace.")] = "Demo Airline",
    key_expires_days: Annotated[
        int | None,
        typer.Option(min=1, help="The API key stops working after this many days (default: never)."),
    ] = None,
    database_url: DbOption = None,
) -> None:
    """Create the database (migrations), a workspace and an API key; prints the key once."""
    ctx = context(database_url)
    expires = None if key_expires_days is None else utcnow() + timedelta(days=key_expires_days)
    with session_scope(ctx.session_factory) as session:
        ensure_workspace(session, workspace, name)
        secret = create_api_key(session, workspace, "cli", expires_at=expires)
    console.print(f"workspace [bold]{workspace}[/] ready in {ctx.settings.database_url}")
    until = "" if expires is None else f", valid until {expires:%Y-%m-%d %H:%M} UTC"
    console.print(f"API key (shown once, keep it{until}): [bold]{secret}[/]")


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    live: Annotated[
        bool,
        typer.Option(help="Also run the stream worker: enrich, detect spikes and alert as data arrives."),
    ] = True,
    nats_url: Annotated[
        str | None, typer.Option(help="Use NATS JetStream at this URL as the bus (default: in-process).")
    ] = None,
    tier: Annotated[str | None, typer.Option(help="Enrichment tier of the live worker.")] = None,
    enrich_workers: Annotated[
        int,
        typer.Option(
            min=0, max=16, help="Processes that run the live worker's models (0: inside the server process)."
        ),
    ] = 1,
    database_url: DbOption = None,
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard until Ctrl-C; with --live, the stream too.

    Off loopback, PARALLAX_SECRET_KEY must be set (it signs login sessions)."""
    ctx = context(database_url)
    bind = host or ctx.settings.host
    try:
        secret = serve_secret(ctx.settings.secret_key, bind)
    except SecretKeyMissing as exc:
        err_console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc
    run_server(
        ctx.settings.database_url,
        bind,
        port or ctx.settings.port,
        secret,
        live=live,
        nats_url=nats_url,
        tier=tier or ctx.settings.sentiment_tier,
        enrich_workers=enrich_workers,
    )


GRACEFUL_EXIT_S = 3


def run_server(
    database_url: str,
    host: str,
    port: int,
    secret: str,
    live: bool,
    nats_url: str | None,
    tier: str,
    enrich_workers: int = 1,
) -> None:
    """Build the app with ``secret`` as its session signing key and serve it with uvicorn."""
    import uvicorn

    from parallax.api.app import create_app

    app = create_app(database_url, live=live, nats_url=nats_url, tier=tier, enrich_workers=enrich_workers)
    app.state.web_secret = secret
    # On SIGTERM, open connections (a dashboard's live event stream never ends by itself) get a few seconds,
    # then the worker checkpoints and the process exits.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=GRACEFUL_EXIT_S)
