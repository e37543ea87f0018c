"""``init`` and ``serve``: set up a workspace, serve the API and dashboard."""

from __future__ import annotations

from typing import Annotated

import typer

from parallax.cli.context import console, context
from parallax.kit.db import session_scope
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
    database_url: DbOption = None,
) -> None:
    """Create the database (migrations), a workspace and an API key; prints the key once."""
    ctx = context(database_url)
    with session_scope(ctx.session_factory) as session:
        ensure_workspace(session, workspace, name)
        secret = create_api_key(session, workspace, "cli")
    console.print(f"workspace [bold]{workspace}[/] ready in {ctx.settings.database_url}")
    console.print(f"API key (shown once, keep it): [bold]{secret}[/]")


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
    database_url: DbOption = None,
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard until Ctrl-C; with --live, the stream too."""
    import uvicorn

    from parallax.api.app import create_app

    ctx = context(database_url)
    app = create_app(
        ctx.settings.database_url, live=live, nats_url=nats_url, tier=tier or ctx.settings.sentiment_tier
    )
    uvicorn.run(app, host=host or ctx.settings.host, port=port or ctx.settings.port, log_level="warning")
