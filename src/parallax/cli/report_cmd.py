"""``parallax report`` (the board view in the terminal, and an HTML report) and ``parallax bench metrics``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parallax.cli.context import console, context
from parallax.cli.groups import bench_app
from parallax.kit.db import session_scope
from parallax.metrics import rollup_service
from parallax.metrics.bias import BiasCorrection
from parallax.metrics.bias_words import how_corrected
from parallax.metrics.board import Board, cell_stats
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import StoreEngine
from parallax.metrics.flaggap import flag_gaps
from parallax.metrics.hidden import HiddenFailure
from parallax.metrics.mirror import load_questionnaire
from parallax.metrics.mirror_report import MirrorReport, mirror_report
from parallax.metrics.report_html import ReportData, render_html
from parallax.metrics.rollup import WHOLE
from parallax.metrics.service import find_hidden_failures, frontline, survey_timing
from parallax.metrics.survey_correction import survey_correction

DbOption = Annotated[
    str | None,
    typer.Option("--database-url", help="Overrides PARALLAX_DATABASE_URL (default: var/parallax.sqlite)."),
]


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def _fmt(value: float | int | None, suffix: str = "", digits: int = 1) -> str:
    if value is None:
        return "[dim]-[/]"
    return f"{value:,.{digits}f}{suffix}" if isinstance(value, float) else f"{value:,}{suffix}"


def board_table(board: Board, title: str) -> Table:
    """One row per cell: what the dashboards say, what customers say unasked, and the gap between."""
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in ("segment", "period", "CSAT % sat", "CSAT mean", "NPS", "resp. rate", "median close h"):
        table.add_column(column, justify="left" if column in ("segment", "period") else "right")
    for column in ("voice n", "neg. share", "complaints", "gap (95% CI)"):
        table.add_column(column, justify="right", style="magenta" if column != "gap (95% CI)" else "bold")
    for cell in board.cells:
        i, o, g = cell.inside, cell.outside, cell.gap
        gap = (
            f"{g.gap:+.1f} [{g.ci_low:+.1f}, {g.ci_high:+.1f}]"
            if g.gap is not None and g.ci_low is not None and g.ci_high is not None
            else "[dim]too little data[/]"
        )
        table.add_row(
            cell.segment,
            cell.period.isoformat() if cell.period else "all",
            _fmt(i.csat_satisfied_pct, "%"),
            _fmt(i.csat_mean, digits=2),
            _fmt(i.nps),
            _fmt(i.response_rate_pct, "%"),
            _fmt(i.median_hours_to_close),
            _fmt(o.voice),
            _fmt(o.negative_share_pct, "%"),
            _fmt(o.complaints),
            gap,
        )
    return table


def report(
    workspace: Annotated[str, typer.Option(help="Workspace to report on.")] = "demo",
    attribute: Annotated[
        list[str] | None, typer.Option("--by", help="Segment attribute(s) to break down by (repeatable).")
    ] = None,
    period: Annotated[str, typer.Option(help="Period grain for the breakdowns: day, week or all.")] = "all",
    html: Annotated[
        Path | None, typer.Option(help="Also write the HTML report (charts) to this file.")
    ] = None,
    full: Annotated[
        bool, typer.Option(help="Also survey bias, hidden failures, timing lag and frontline themes.")
    ] = True,
    bias_samples: Annotated[
        int,
        typer.Option(hidden=True, help="Unused: the survey intervals are analytic (kept for old scripts)."),
    ] = 30,
    flag: Annotated[
        str | None,
        typer.Option(
            help="A company-side yes/no segment as the inside view, e.g. timely_response=yes (CFPB)."
        ),
    ] = None,
    rollup: Annotated[
        bool, typer.Option(help="Bring the metric roll-up up to date first and read the board from it.")
    ] = True,
    database_url: DbOption = None,
) -> ReportData | None:
    """Print the board view: inside view (surveys, tickets) next to the outside view and their gap."""
    ctx = context(database_url)
    with session_scope(ctx.session_factory) as session:
        engine = StoreEngine(session)
        if flag is not None:
            print_flag_gaps(engine, workspace, attribute or ["product"], flag)
            return None
        if rollup:
            rollup_service.refresh(session, workspace, attributes=[WHOLE, *(attribute or ["route"])])
        overall = rollup_service.board(session, Scope(workspace, None, "all"))
        console.print(board_table(overall, f"Workspace {workspace}: inside vs outside"))
        boards = []
        for name in attribute or ["route"]:
            boards.append(rollup_service.board(session, Scope(workspace, name, period)))
            console.print(board_table(boards[-1], f"By {name} ({period})"))
        if not full and html is None:
            return None
        data = ReportData(
            workspace,
            overall,
            rollup_service.board(session, Scope(workspace, None, "week")),
            tuple(boards),
            survey_correction(session, workspace).bias,  # as the survey page and the API give it
            tuple(find_hidden_failures(engine, workspace)),
            survey_timing(session, workspace),
            tuple(frontline(session, workspace)),
            mirror_report(session, workspace, load_questionnaire()),
        )
    print_findings(data)
    if html is not None:
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(render_html(data))
        console.print(f"HTML report written to {html}")
    return data


def print_flag_gaps(engine: StoreEngine, workspace: str, attributes: list[str], flag: str) -> None:
    """Company-side flag (share of yes) vs the customers' words, per segment, with the gap's interval."""
    name, _, yes = flag.partition("=")
    for attribute in attributes:
        cells = cell_stats(engine, Scope(workspace, f"{attribute}*{name}", "all"))
        table = Table(title=f"{name}={yes} vs customers' words, by {attribute}", title_justify="left")
        for column in (attribute, "cases", f"% {name}", "scored texts", "words 0-100", "gap (95% CI)"):
            table.add_column(column, justify="left" if column == attribute else "right")
        for g in flag_gaps(cells, yes):
            gap = (
                f"{g.gap:+.1f} [{g.ci_low:+.1f}, {g.ci_high:+.1f}]"
                if g.gap is not None
                else "[dim]too little data[/]"
            )
            table.add_row(g.segment, f"{g.cases:,}", f"{g.inside:.1f}", f"{g.scored:,}", _fmt(g.outside), gap)
        console.print(table)


def _sensitivity(r: BiasCorrection) -> str:
    """The sensitivity band in words: how far the figure moves if those not heard from are less satisfied."""
    how = how_corrected(r)
    if not how.followup:
        return f"if those not heard from are {how.band}"
    return "; ".join(part for part in (how.followup, how.widened) if part)


def survey_line(r: BiasCorrection) -> str:
    """``CSAT: survey says 81.3% satisfied [ci]; corrected for who did not answer 68.9% [ci] (...)``."""
    csat = r.metric == "csat_satisfied_pct"
    name, unit, fmt = ("CSAT", "%", ".1f") if csat else ("NPS", "", "+.1f")

    def figure(value: float, ci: tuple[float, float], words: str = "") -> str:
        return f"{value:{fmt}}{unit}{words} [{ci[0]:{fmt}}, {ci[1]:{fmt}}]"

    wave = " online" if r.method == "two_phase" else ""
    return (
        f"[bold]{name}[/]: survey says {figure(r.naive, r.naive_ci, ' satisfied' if csat else '')}; "
        f"corrected for who did not answer {figure(r.corrected, r.corrected_ci)} "
        f"({r.responded:,} of {r.invited:,} invitees answered{wave})"
    )


def _hidden_label(f: HiddenFailure) -> str:
    """The segment, with the narrower cause it is mainly about and the segments it accounts for."""
    notes = ([f"mainly {f.mainly}"] if f.mainly else []) + (
        [f"explains {', '.join(f.explains)}"] if f.explains else []
    )
    return f.label + (f" ({'; '.join(notes)})" if notes else "")


def print_findings(data: ReportData) -> None:
    """The corrected survey, hidden failures, timing lag and frontline themes, as terminal tables."""
    for r in (data.bias.csat, data.bias.nps):
        if r is not None:
            console.print(survey_line(r))
            console.print(f"[dim]  {r.assumption}; {_sensitivity(r)}[/]")
    if data.bias.note:
        console.print(f"[dim]{data.bias.note}[/]")
    table = Table(title="Hidden failures (FDR 5%, by impact)", title_justify="left", header_style="bold")
    for column in ("segment", "n", "bad %", "shrunk %", "vs %", "q", "impact"):
        table.add_column(column, justify="left" if column == "segment" else "right")
    for f in data.hidden[:20]:
        table.add_row(
            _hidden_label(f),
            f"{f.n:,}",
            f"{f.rate_pct:.1f}",
            f"{f.shrunk_rate_pct:.1f}",
            f"{f.comparison_rate_pct:.1f}",
            f"{f.q_value:.2g}",
            f"{f.impact:,.1f}",
        )
    console.print(table)
    t = data.timing
    console.print(
        f"Survey timing: {t.answers} answers after a known friction, median delay {t.median_lag_hours} h, "
        f"Spearman rho(delay, score) {t.spearman_rho}; "
        + ", ".join(f"{b.label}: {_fmt(b.satisfied_pct, '%')} sat (n={b.n})" for b in t.buckets)
    )
    themes = Table(title="Frontline themes", title_justify="left", header_style="bold")
    for column in ("top terms", "notes", "trend/week"):
        themes.add_column(column, justify="left" if column == "top terms" else "right")
    for th in data.themes:
        themes.add_row(", ".join(th.terms[:5]), f"{th.count:,}", f"{th.slope_per_week:+.1f}")
    console.print(themes)
    if data.mirror is not None and not data.mirror.empty:
        console.print(mirror_table(data.mirror))


def mirror_table(report: MirrorReport) -> Table:
    """Employees' prediction of the customers' answers beside the customers' own, per CX Index dimension."""
    title = f"Mirror survey ({report.customers:,} customers, {report.employees:,} employees; 5-25)"
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in ("dimension", "customers say", "employees predict", "gap", "q"):
        table.add_column(column, justify="left" if column == "dimension" else "right")
    for g in report.gaps:
        table.add_row(
            g.label, f"{g.customer_mean:.1f}", f"{g.employee_mean:.1f}", f"{g.gap:+.1f}", f"{g.q_value:.2g}"
        )
    return table


@bench_app.command("metrics")
def bench_metrics(
    sizes: Annotated[
        list[int] | None, typer.Option("--size", help="Interactions to benchmark (repeatable).")
    ] = None,
    store_max: Annotated[
        int,
        typer.Option(
            help="Run the store's SQL over every row (direct report, roll-up build) only up to this size; "
            "above it DuckDB builds the roll-up."
        ),
    ] = 1_000_000,
    duckdb: Annotated[bool, typer.Option(help="Also time the direct report on DuckDB.")] = True,
    spark: Annotated[bool, typer.Option(help="Also time the direct report on Spark (local mode).")] = False,
    spark_max: Annotated[
        int, typer.Option(help="Run Spark only for sizes up to this (its 2-core local mode is slow).")
    ] = 10_000_000,
    write: Annotated[bool, typer.Option(help="Write the metrics section of BENCHMARKS.md.")] = True,
) -> None:
    """Time the full gap report (20 routes x 8 weeks) from the roll-up and directly, on each engine."""
    from parallax.kit.benchmarks import read_section, write_section
    from parallax.kit.db import make_engine, make_sessionmaker
    from parallax.metrics.bench_run import Figures, data_for, kept_rows, markdown, run_size, with_spark

    chosen = sizes or [1_000_000]
    rows: list[Figures] = []
    for n in chosen:
        data = data_for(n)
        engine = make_engine(f"sqlite:///{data.store}")
        figures, rolled = run_size(make_sessionmaker(engine), data, n, store_max, duckdb)
        engine.dispose()
        if spark and n <= spark_max:
            figures = with_spark(figures, rolled, data)
        rows.append(figures)
        console.print(markdown([figures], [], "").splitlines()[-1])
    flags = "".join(f" --size {n}" for n in chosen)
    flags += "" if store_max == 1_000_000 else f" --store-max {store_max}"
    flags += ("" if duckdb else " --no-duckdb") + (f" --spark --spark-max {spark_max}" if spark else "")
    if write:
        kept = kept_rows(read_section("metrics"), chosen)
        write_section("metrics", markdown(rows, kept, f"parallax bench metrics{flags}"))
