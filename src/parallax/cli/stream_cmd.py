"""Real-time commands: ``parallax detect series``, ``parallax eval spikes`` (and the stream commands)."""

from __future__ import annotations

import asyncio
import csv
import os
import re
from pathlib import Path

import typer
from rich.table import Table

from parallax.alerts.baselines import SCORERS
from parallax.alerts.nab_corpus import read_series
from parallax.alerts.series import evaluate, leave_one_out, leave_one_out_total, load, score_series
from parallax.cli.context import console, err_console
from parallax.cli.groups import bench_app, eval_app
from parallax.kit.benchmarks import write_section
from parallax.stream.bench import BenchResult, run_bench

detect_app = typer.Typer(help="Run the spike detectors over files.", no_args_is_help=True)
DEFAULT_NAB = Path("../shared/data/nab-dev")


@detect_app.command("series")
def detect_series(
    input_csv: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="NAB-format CSV: timestamp,value"
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write timestamp,value,anomaly_score"),
) -> None:
    """Score a series in one streaming pass (each score uses only earlier rows), for NAB's own tools."""
    timestamps, values = read_series(input_csv)
    scores = score_series(timestamps, values)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "value", "anomaly_score"])
        for t, x, s in zip(timestamps, values, scores, strict=True):
            writer.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), f"{x:g}", f"{s:.6f}"])
    console.print(f"scored {len(scores)} rows -> {output}")


@eval_app.command("spikes")
def eval_spikes(
    nab_dir: Path = typer.Option(DEFAULT_NAB, help="A NAB-layout folder (data/, labels/, profiles.json)"),
    detector: str = typer.Option("spike", help=f"One of {', '.join(SCORERS)}"),
    write: bool = typer.Option(True, help="Write the 'nab' section of BENCHMARKS.md (spike detector only)"),
    sensitivity: bool = typer.Option(False, help="Instead: the standard score of one-argument variants"),
) -> None:
    """NAB scores per series and in total (standard, low-FP and low-FN profiles), plus leave-one-out."""
    if sensitivity:
        _sensitivity(nab_dir)
        return
    if not (nab_dir / "labels" / "combined_windows.json").is_file():
        err_console.print(f"no NAB corpus at {nab_dir} (needs labels/combined_windows.json); skipping")
        raise typer.Exit(2)
    if detector not in SCORERS:
        raise typer.BadParameter(f"unknown detector {detector!r}; one of {', '.join(SCORERS)}")
    corpus, profiles = load(nab_dir)
    scorer = SCORERS[detector]
    scores = {s.name: scorer(s) for s in corpus}
    report = evaluate(corpus, lambda s: scores[s.name], profiles, detector)
    held = leave_one_out(corpus, scores)
    table = Table(title=f"NAB ({detector}), threshold optimised over the corpus per profile")
    for column in ["series", *profiles, "standard, leave-one-out", "windows", "detected", "false pos."]:
        table.add_column(column, justify="left" if column == "series" else "right")
    standard = report.results.get("standard") or next(iter(report.results.values()))
    for i, row in enumerate(standard.series):
        cells = [f"{report.results[p].series[i].normalised:.1f}" for p in profiles]
        extra = [f"{held[row.name]:.1f}", str(row.windows), str(row.detected), str(row.false_positives)]
        table.add_row(Path(row.name).stem, *cells, *extra)
    totals = [f"{report.results[p].total:.1f}" for p in profiles]
    table.add_row("TOTAL", *totals, "", "", "", "", style="bold")
    console.print(table)
    console.print("thresholds: " + ", ".join(f"{p}={r.threshold:.6f}" for p, r in report.results.items()))
    held_total = leave_one_out_total(corpus, scores)
    console.print(f"standard total with leave-one-out thresholds: {held_total:.1f}")
    if write and detector == "spike":
        write_section("nab", _markdown(report, held, nab_dir) + f" **{held_total:.1f}** |")


def _sensitivity(nab_dir: Path) -> None:
    from parallax.alerts.baselines import VARIANTS, variant_scorer
    from parallax.alerts.nab import STANDARD

    corpus, _ = load(nab_dir)
    console.print(
        "| variant | total | " + " | ".join(Path(s.name).stem for s in corpus) + " |", soft_wrap=True
    )
    for name in VARIANTS:
        result = evaluate(corpus, variant_scorer(name), {"standard": STANDARD}, name).results["standard"]
        cells = " | ".join(f"{s.normalised:.1f}" for s in result.series)
        console.print(f"| {name} | {result.total:.1f} | {cells} |", soft_wrap=True)


def _markdown(report, held: dict[str, float], nab_dir: Path) -> str:  # type: ignore[no-untyped-def]
    profiles = list(report.results)
    lines = [
        "## NAB (spike detector, tweet-volume development series)",
        "",
        f"`parallax eval spikes --nab-dir {nab_dir}`: NAB scoring as published (windows, scaled sigmoid, "
        "profile weights, one threshold optimised over the corpus, normalised: null = 0, perfect = 100). "
        "Leave-one-out: each series scored at the threshold optimised on the other four.",
        "",
        "| series | " + " | ".join(profiles) + " | standard, leave-one-out |",
        "|---" * (len(profiles) + 2) + "|",
    ]
    standard = report.results["standard"]
    for i, row in enumerate(standard.series):
        cells = " | ".join(f"{report.results[p].series[i].normalised:.1f}" for p in profiles)
        lines.append(f"| {row.name} | {cells} | {held[row.name]:.1f} |")
    totals = " | ".join(f"**{report.results[p].total:.1f}**" for p in profiles)
    lines.append(f"| **total** | {totals} |")  # the leave-one-out total follows
    return "\n".join(lines)


@bench_app.command("stream")
def bench_stream(
    seconds: float = typer.Option(300.0, help="How long to publish (300 s for the published figure)"),
    rate: int = typer.Option(2000, help="Interactions per second"),
    bus: str = typer.Option("both", help="inprocess, nats or both"),
    nats_url: str = typer.Option("nats://127.0.0.1:4222", help="NATS server for --bus nats"),
    workers: int = typer.Option(2, help="Enrichment processes"),
    compression: float = typer.Option(0.0, help="Simulated seconds per wall second (0: 4 hours per run)"),
    write: bool = typer.Option(True, help="Write the 'stream' section of BENCHMARKS.md"),
) -> None:
    """Arrival-to-alert latency (p50/p95/p99) at a sustained rate, in-process and through NATS."""
    kinds = ["inprocess", "nats"] if bus == "both" else [bus]
    compression = compression or max(4 * 3600 / seconds, 1.0)
    results = []
    for kind in kinds:
        console.print(f"[bold]{kind}[/bold]: {rate}/s for {seconds:g} s ...")
        result = asyncio.run(run_bench(kind, seconds, rate, nats_url, workers, compression))
        results.append(result)
        console.print(_bench_line(result))
    if write:
        write_section("stream", _bench_markdown(results, workers, compression))


def _bench_line(r: BenchResult) -> str:
    p50, p95, p99 = r.latency
    alerts = ", ".join(f"{x:.3f}" for x in r.alert_latencies) or "-"
    stages = ", ".join(
        f"{k.split(':', 1)[1]} {1e6 * v / max(r.published, 1):.0f}" for k, v in r.cpu.items() if ":" in k
    )
    return (
        f"{r.bus}: published {r.published} ({r.achieved_rate:.0f}/s), processed {r.processed}, "
        f"duplicates {r.duplicates}, lost {r.lost}, drained {r.drain_seconds:.1f} s after the last publish; "
        f"arrival->processed p50 {p50:.3f} s, p95 {p95:.3f} s, p99 {p99:.3f} s; "
        f"{len(r.alert_latencies)} alerts, arrival->alert committed {alerts} s; "
        f"CPU us/message: total {r.cpu_us('total'):.0f} = worker {r.cpu_us('worker'):.0f} + enrichment "
        f"{r.cpu_us('enrichment'):.0f} + publisher {r.cpu_us('publisher'):.0f} + server "
        f"{r.cpu_us('server'):.0f} (worker stages: {stages}); load {r.load[0]:.1f} -> {r.load[1]:.1f}; "
        f"{r.batches} batches, checkpoint {r.checkpoint_bytes / 1e6:.1f} MB"
    )


def _bench_markdown(results: list[BenchResult], workers: int, compression: float) -> str:
    r0 = results[0]
    lines = [
        "## Stream (arrival to alert)",
        "",
        f"`parallax bench stream --seconds {r0.seconds:g} --rate {r0.rate_target} --workers {workers}`: "
        f"a paced publisher, enrichment (fast tier: sentiment on every message, categories and entities on "
        f"complaints) in {workers} processes, per-key detectors, alert rows in SQLite; simulated time runs "
        f"{compression:g}x so a planted disruption happens within the run. Latency is from a message's "
        "arrival on the bus to its batch being scored (and any new alert committed); alert latency is to "
        "the alert row's commit (docs/realtime.md). "
        f"{os.cpu_count()} cores shared with other work; load average (1 min) before -> after each run.",
        "",
        "| bus | published | rate/s | lost | dup. | drain s | p50 s | p95 s | p99 s | alerts | "
        "arrival->alert s (p95) | CPU us/msg (worker + enrich + publisher + server) | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += _kept_rows({r.bus for r in results})
    for r in results:
        alerts = ", ".join(f"{x:.2f}" for x in r.alert_latencies) or "-"
        cpu = (
            f"{r.cpu_us('total'):.0f} ({r.cpu_us('worker'):.0f} + {r.cpu_us('enrichment'):.0f} + "
            f"{r.cpu_us('publisher'):.0f} + {r.cpu_us('server'):.0f})"
        )
        lines.append(
            f"| {r.bus} | {r.published:,} | {r.achieved_rate:.0f} | {r.lost} | {r.duplicates} | "
            f"{r.drain_seconds:.1f} | {r.latency[0]:.3f} | {r.latency[1]:.3f} | {r.latency[2]:.3f} | "
            f"{len(r.alert_latencies)} | {alerts} ({r.alert_p95:.2f}) | {cpu} | "
            f"{r.load[0]:.1f} -> {r.load[1]:.1f} |"
        )
    return "\n".join(lines)


def _kept_rows(buses: set[str]) -> list[str]:
    """Rows of the other buses from the section as it stands, when ``--bus`` re-runs only one."""
    section = re.search(
        r"<!-- bench:stream:start -->(.*?)<!-- bench:stream:end -->", _benchmarks_text(), re.S
    )
    rows = section.group(1).splitlines() if section else []
    return [
        row
        for row in rows
        if row.startswith("| ") and row.split(" | ")[0][2:] in {"inprocess", "nats"} - buses
    ]


def _benchmarks_text() -> str:
    from parallax.kit.benchmarks import DEFAULT_PATH

    return DEFAULT_PATH.read_text() if DEFAULT_PATH.exists() else ""


stream_app = typer.Typer(help="Run the streaming pipeline (worker, publisher).", no_args_is_help=True)


@stream_app.command("worker")
def stream_worker(
    nats_url: str = typer.Option("nats://127.0.0.1:4222", help="NATS JetStream server to consume from"),
    checkpoint: Path = typer.Option(Path("var/stream.ckpt"), help="Where the detector state is checkpointed"),
    webhook: list[str] = typer.Option([], help="Slack-compatible webhook URL (repeatable)"),
    smtp_host: str | None = typer.Option(None, help="SMTP server for email alerts"),
    smtp_port: int = typer.Option(25),
    email_from: str = typer.Option("alerts@parallax.local"),
    email_to: list[str] = typer.Option([], help="Recipient (repeatable)"),
    tier: str = typer.Option("fast", help="Enrichment tier"),
    workers: int = typer.Option(2, help="Enrichment processes beside the detectors (0: one process)"),
    database_url: str | None = typer.Option(None, help="Defaults to PARALLAX_DATABASE_URL"),
) -> None:
    """Consume interactions from NATS until Ctrl-C; alerts go to the store, webhooks and email."""
    from parallax.alerts.notify import EmailNotifier, Notifier, WebhookNotifier
    from parallax.cli.context import context
    from parallax.stream.checkpoint import FileCheckpoint
    from parallax.stream.worker import run_stream_worker

    notifiers: list[Notifier] = [WebhookNotifier(url) for url in webhook]
    if smtp_host and email_to:
        notifiers.append(EmailNotifier(smtp_host, smtp_port, email_from, tuple(email_to)))
    ctx = context(database_url)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        import signal

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        stats = await run_stream_worker(
            ctx.session_factory,
            stop,
            nats_url=nats_url,
            checkpoints=FileCheckpoint(checkpoint),
            notifiers=notifiers,
            tier=tier,
            workers=workers,
        )
        console.print(
            f"processed {stats.processed}, duplicates {stats.duplicates}, new alerts {stats.alerts_new}"
        )

    asyncio.run(main())


@stream_app.command("publish")
def stream_publish(
    input_jsonl: Path = typer.Argument(..., exists=True, dir_okay=False, help="One interaction per line"),
    workspace: str = typer.Option(..., help="Workspace the interactions belong to"),
    nats_url: str = typer.Option("nats://127.0.0.1:4222"),
) -> None:
    """Publish interactions (validated like the HTTP API) to NATS for the worker."""
    import json

    from parallax.ingest.record import InteractionIn
    from parallax.stream.nats_bus import NatsBus

    async def main() -> int:
        bus = await NatsBus(nats_url).connect(consume=False)
        sent, batch = 0, []
        try:
            with input_jsonl.open() as handle:
                for line in handle:
                    if line.strip():
                        record = InteractionIn.model_validate_json(line)
                        batch.append({"workspace_id": workspace, **json.loads(record.model_dump_json())})
                    if len(batch) == 500:  # one wait for the server's acks per batch, not per message
                        await bus.publish_many(batch)
                        sent, batch = sent + len(batch), []
            await bus.publish_many(batch)
            sent += len(batch)
        finally:
            await bus.close()
        return sent

    console.print(f"published {asyncio.run(main())} interactions")


@stream_app.command("publish-flights")
def stream_publish_flights(
    input_csv: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="flight,origin,destination,scheduled,status,delay_min"
    ),
    workspace: str = typer.Option(..., help="Workspace the flights belong to"),
    nats_url: str = typer.Option("nats://127.0.0.1:4222"),
) -> None:
    """Publish a flight-status feed (one row per flight at its scheduled departure) to NATS for the worker's
    ops detector; rows that fail validation are listed and not sent."""
    from parallax.stream.flight_feed import read_flights_csv
    from parallax.stream.nats_bus import NatsBus

    messages, errors = read_flights_csv(input_csv, workspace)
    for error in errors:
        err_console.print(f"skipped {error}")

    async def main() -> None:
        bus = await NatsBus(nats_url).connect(consume=False)
        try:
            await bus.publish_many(messages)
        finally:
            await bus.close()

    asyncio.run(main())
    console.print(f"published {len(messages)} flight statuses ({len(errors)} rows skipped)")


@eval_app.command("stream-sim")
def eval_stream_sim(
    seed: list[int] = typer.Option([7], help="World seed (repeat for several worlds: --seed 3 --seed 7)"),
    days: int = typer.Option(7, help="Simulated days"),
    customers: int = typer.Option(300_000, help="Customers (volume scales with them)"),
    write: bool = typer.Option(True, help="Write the 'stream-sim' section of BENCHMARKS.md"),
) -> None:
    """Replay seeded simulated worlds: storm (and its complaints) to first alert about it, false alerts."""
    from parallax.simulate import simulate_world
    from parallax.stream.sim_replay import markdown, replay, summary

    runs = []
    for s in seed:
        world = simulate_world(seed=s, days=days, customers=customers)
        result = replay(world)
        runs.append((s, world.disruption.airports, result))
        console.print(summary(s, world.disruption.airports, result))
        for alert in result.alerts:
            about = ", ".join(alert.entities[:3])
            cause = f" (after {alert.flight})" if alert.flight else ""
            console.print(f"  {alert.verdict:>15} {alert.at:%Y-%m-%d %H:%M} {alert.key} {about}{cause}")
        for ops in result.ops_alerts:
            flights = ", ".join(ops.flights[:3])
            console.print(
                f"  {'ops ' + ops.verdict:>15} {ops.at:%Y-%m-%d %H:%M} airport {ops.airport}: {flights}"
            )
    if write:
        seeds = " ".join(f"--seed {s}" for s in seed)
        command = f"parallax eval stream-sim {seeds} --days {days} --customers {customers}"
        write_section("stream-sim", markdown(command, runs))


def register(app: typer.Typer) -> None:
    app.add_typer(detect_app, name="detect")
    app.add_typer(stream_app, name="stream")
