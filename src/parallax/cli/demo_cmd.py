"""``parallax demo``: the whole product on one machine, from nothing to a served dashboard.

Simulate an airline's week → ingest its exports through the built-in mappings → enrich → link customers
(shared identifiers, then Splink across channels) and thread cases → report → serve.
Every step is idempotent, so running the demo twice gives the same store. The demo world has a
non-response follow-up (a third of those who skip the online survey are phoned), so the report's corrected
survey figure is the two-phase one, and the demo prints the simulator's truth beside it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from parallax.cli import enrich_cmd, ingest_cmd, report_cmd, simulate_cmd
from parallax.cli.context import console, context, err_console
from parallax.cli.core import DbOption, run_server
from parallax.kit.db import is_sqlite, session_scope
from parallax.kit.settings import DEFAULT_DATA_DIR
from parallax.kit.signing_key import SecretKeyMissing, serve_secret, stored_secret
from parallax.metrics.bias import BiasCorrection
from parallax.store.workspaces import create_api_key, ensure_workspace

WORKSPACE = "demo"
# Each simulator export and the built-in mapping that reads it (docs/ingest.md).
EXPORTS = (
    ("surveys.csv", "survey"),
    ("tickets.csv", "tickets"),
    ("reviews.csv", "reviews"),
    ("social.jsonl", "parallax"),
    ("agent_notes.jsonl", "parallax"),
    ("mirror.csv", "mirror"),
)
REPORT_BREAKDOWNS = ["loyalty_tier", "airport", "channel"]
DEMO_FOLLOWUP = 1 / 3  # the share of non-respondents phoned: what the two-phase figures are measured at
EVIDENCE = ("rated low", "same ticket", "came back")  # parallax.identity.unresolved, in the order printed


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Stop after the report (for scripts).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Simulator seed.")] = 7,
    days: Annotated[int, typer.Option(min=1, help="Days to simulate.")] = 7,
    customers: Annotated[int, typer.Option(min=100, help="Customers in the simulated world.")] = 10_000,
    tier: Annotated[str, typer.Option(help="Enrichment tier: fast | accurate | baseline.")] = "baseline",
    followup: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share of survey non-respondents phoned by a follow-up (0: none)."
        ),
    ] = DEMO_FOLLOWUP,
    world_dir: Annotated[Path, typer.Option(help="Where the simulated exports are written.")] = Path(
        "var/demo-world"
    ),
    database_url: DbOption = None,
) -> None:
    """Simulate an airline week, ingest it, enrich it, print the gap report and serve the dashboard."""
    ctx = context(database_url)
    url = ctx.settings.database_url
    secret = "" if no_serve else _secret_or_exit(url)  # before the long steps: a bad key fails at once
    console.rule("[bold]1/5 simulate")
    simulate_cmd.simulate(out=world_dir, seed=seed, days=days, customers=customers, followup=followup)
    console.rule("[bold]2/5 ingest")
    for filename, mapping in EXPORTS:
        # A small world may leave an export with a header only (no reviews in a day): not an error here.
        ingest_cmd.ingest(
            world_dir / filename, mapping=mapping, workspace=WORKSPACE, database_url=url, allow_empty=True
        )
    console.rule("[bold]3/5 enrich")
    truth = json.loads((world_dir / "truth" / "summary.json").read_text())
    _warn_if_another_world(url, truth)
    enrich_cmd.enrich(workspace=WORKSPACE, tier=tier, database_url=url)
    console.rule("[bold]4/5 link customers")
    _link_customers(url, world_dir)
    console.rule("[bold]5/5 report")
    data = report_cmd.report(workspace=WORKSPACE, attribute=REPORT_BREAKDOWNS, database_url=url)
    if data is not None and data.bias.csat is not None:
        _print_truth(truth, data.bias.csat)
    if no_serve:
        return
    _print_access(url)
    run_server(url, ctx.settings.host, ctx.settings.port, secret, live=True, nats_url=None, tier=tier)


def demo_secret(url: str) -> str:
    """PARALLAX_SECRET_KEY when set (and strong), else the demo's own random key, made once and reused."""
    configured = context(url).settings
    if configured.secret_key:
        return serve_secret(configured.secret_key, configured.host)
    return stored_secret(secret_path(url))


def _secret_or_exit(url: str) -> str:
    try:
        return demo_secret(url)
    except SecretKeyMissing as exc:
        err_console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc


def secret_path(url: str) -> Path:
    """Where the demo keeps its session signing key: beside its SQLite store (var/ otherwise), mode 0600."""
    if is_sqlite(url):
        store = url.split("///", 1)[-1]
        if store and store != ":memory:":
            return Path(store).parent / "secret_key"
    return DEFAULT_DATA_DIR / "secret_key"


def _warn_if_another_world(url: str, summary: dict[str, Any]) -> None:
    """Ingest keeps rows already stored, so a store from an earlier demo world (another seed, size or
    follow-up) keeps that world's survey rows: say so rather than report a mix against this world's truth."""
    from sqlalchemy import func, select

    from parallax.store.models import Interaction

    expected = summary["n_responses"] + summary.get("followup", {}).get("n_answered", 0)
    answers = select(func.count()).where(
        Interaction.workspace_id == WORKSPACE,
        Interaction.kind == "survey_response",
        Interaction.score_type == "csat",
        Interaction.score_value.is_not(None),
    )
    with session_scope(context(url).session_factory) as session:
        stored = session.scalar(answers) or 0
    if stored != expected:
        console.print(
            f"[bold red]The store holds {stored:,} CSAT answers in workspace {WORKSPACE!r}, this world "
            f"has {expected:,}: it was built from another demo world. Remove it (or pass --database-url) "
            "to start over; the figures below mix the two.[/]"
        )


def _print_truth(summary: dict[str, Any], csat: BiasCorrection) -> None:
    """What only a simulated world can show: the survey figures beside the population's true satisfaction."""
    truth = summary["true_pct_satisfied"]
    console.print(
        f"[bold]simulator's truth[/] (demo only): {truth:.1f}% of everyone invited satisfied; the survey is "
        f"off by {csat.naive - truth:+.1f} points, the corrected figure by {csat.corrected - truth:+.1f}"
    )


def _link_customers(url: str, world_dir: Path) -> None:
    """Attach every interaction to a customer by shared identifiers, join the customers Splink links across
    channels (``parallax customers recluster``), thread cases, and say what was found beside the truth."""
    from parallax.identity import link_unattached
    from parallax.identity import repository as repo
    from parallax.identity.cases_sync import sync_cases
    from parallax.identity.recluster import recluster
    from parallax.identity.unresolved_eval import score_world
    from parallax.kit.clock import utcnow

    ctx = context(url)
    with session_scope(ctx.session_factory) as session:
        resolutions = link_unattached(session, WORKSPACE, utcnow())
        splink = recluster(session, WORKSPACE, utcnow())
        cases = sync_cases(session, WORKSPACE)
        flagged = repo.unresolved_tickets(session, WORKSPACE)
    linked = sum(1 for r in resolutions if r.customer_id is not None)
    console.print(
        f"linked {linked:,} interactions by shared identifiers; Splink joined {splink.merges:,} pairs of "
        f"customers across channels: {splink.customers_before:,} -> {splink.customers_after:,} customers"
    )
    console.print(
        f"{cases.cases_created:,} cases opened; {cases.closed_not_resolved:,} tickets closed but not "
        f"resolved ({_evidence_counts(flagged)})"
    )
    score = score_world(flagged, world_dir)
    console.print(
        f"[bold]simulator's truth[/] (demo only): {score.truth:,} tickets closed without fixing the problem, "
        f"{score.said:,} of them with the customer's word after closing (a low rating, a later message); "
        f"flagged {score.hits:,} of the {score.truth:,} ({score.recall:.0%}) and {score.said_hits:,} of the "
        f"{score.said:,}; {score.flagged - score.hits:,} flagged wrongly (resolved)"
    )


def _evidence_counts(flagged: dict[str, list[str]]) -> str:
    counts = Counter(kind for kinds in flagged.values() for kind in kinds)
    return ", ".join(f"{kind}: {counts[kind]:,}" for kind in EVIDENCE if counts[kind]) or "none"


def _print_access(url: str) -> None:
    ctx = context(url)
    with session_scope(ctx.session_factory) as session:
        ensure_workspace(session, WORKSPACE)
        key = create_api_key(session, WORKSPACE, "demo")
        login = _demo_login(session)
    console.rule("[bold]serving")
    console.print(f"dashboard: http://{ctx.settings.host}:{ctx.settings.port}/  ({login})")
    console.print(f"API docs:  http://{ctx.settings.host}:{ctx.settings.port}/docs  (API key: {key})")
    console.print("Ctrl-C to stop.")


def _demo_login(session: object) -> str:
    from parallax.web.auth import ensure_demo_user

    email, password = ensure_demo_user(session, WORKSPACE)  # type: ignore[arg-type]
    return f"log in as {email} / {password}"
