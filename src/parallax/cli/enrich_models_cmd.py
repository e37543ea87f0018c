"""``parallax train sentiment|emotion``, ``parallax eval sentiment|emotion`` and ``parallax bench enrich``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.table import Table

from parallax.cli.context import console, err_console
from parallax.cli.groups import bench_app, eval_app, train_app
from parallax.enrich.datasets import Labelled, Split
from parallax.enrich.eval.run import EvalResult
from parallax.kit.errors import ParallaxError

DATA = Path("../shared/data")
DataOption = Annotated[Path, typer.Option(help="The shared data folder (read, never copied).")]
SeedOption = Annotated[int, typer.Option(help="Random seed (folds, initialisation, shuffling).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")]


def register() -> None:
    train_app.command("sentiment")(train_sentiment)
    train_app.command("emotion")(train_emotion)
    eval_app.command("sentiment")(eval_sentiment)
    eval_app.command("emotion")(eval_emotion)
    eval_app.command("enrich-quality")(eval_quality)
    bench_app.command("enrich")(bench_enrich)


def _require_data(data_dir: Path) -> None:
    if not data_dir.is_dir():
        err_console.print(f"[red]data folder {data_dir} not found (pass --data-dir)[/]")
        raise typer.Exit(2)


def train_sentiment(
    tier: Annotated[
        str, typer.Option(help="fast (numpy head) or accurate (MiniLM, transformer extra).")
    ] = "fast",
    data_dir: DataOption = DATA,
    seed: SeedOption = 13,
    epochs: Annotated[
        int, typer.Option(help="accurate tier: epochs (the best on the calibration slice is kept).")
    ] = 2,
    tuned_layers: Annotated[int, typer.Option(help="accurate tier: MiniLM's top layers to fine-tune.")] = 3,
    general: Annotated[
        bool, typer.Option(help="accurate tier: add TweetEval emotion train, mapped to polarity.")
    ] = True,
) -> None:
    """Train the sentiment artifact on the airline tweets' training split (held-out split untouched)."""
    from parallax.enrich.artifacts_path import ARTIFACTS

    _require_data(data_dir)
    try:
        if tier == "fast":
            from parallax.enrich.train.fast import train_fast_sentiment

            report = train_fast_sentiment(ARTIFACTS / "sentiment_fast.npz", data_dir, seed)
            _print_metrics("calibration slice (10% of the training split)", report.calibration.as_dict())
            console.print(f"temperature {report.temperature:.3f}; wrote {report.artifact} ({report.version})")
            console.print("the accurate tier stacks over this head: retrain it too (--tier accurate)")
        elif tier == "accurate":
            from parallax.enrich.train.accurate import train_accurate

            done = train_accurate(ARTIFACTS, data_dir, seed, epochs, tuned_layers, general)
            tuned, stack = done.tuned, done.stack
            _print_metrics(
                f"MiniLM, calibration slice, best epoch {tuned.best_epoch}", tuned.calibration.as_dict()
            )
            console.print(
                f"temperature {tuned.temperature:.3f}; {tuned.seconds:.0f} s; wrote {tuned.artifact}"
            )
            _print_metrics("MiniLM (int8) alone, airline calibration slice", stack.minilm_alone.as_dict())
            _print_metrics(
                "stacked with the fast tier, 5-fold on that slice", stack.cross_validated.as_dict()
            )
            console.print(f"wrote {stack.artifact} ({stack.version})")
        else:
            raise typer.BadParameter("tier must be fast or accurate")
    except ParallaxError as exc:
        err_console.print(f"[red]{exc.detail}[/]")
        raise typer.Exit(2) from exc


def train_emotion(data_dir: DataOption = DATA, seed: SeedOption = 13) -> None:
    """Train the fast emotion head on TweetEval emotion (train split; val kept for figures)."""
    from parallax.enrich.artifacts_path import ARTIFACTS
    from parallax.enrich.train.fast import train_fast_emotion

    _require_data(data_dir)
    report = train_fast_emotion(ARTIFACTS / "emotion_fast.npz", data_dir, seed)
    _print_metrics("calibration slice (10% of the training split)", report.calibration.as_dict())
    console.print(f"temperature {report.temperature:.3f}; wrote {report.artifact} ({report.version})")


def eval_sentiment(
    input_csv: Annotated[Path | None, typer.Option("--input", help="CSV file with texts and labels.")] = None,
    text_column: Annotated[str, typer.Option(help="CSV column with the text.")] = "text",
    label_column: Annotated[str, typer.Option(help="CSV column with negative/neutral/positive.")] = "label",
    id_column: Annotated[
        str | None, typer.Option(help="CSV id column: deduplicates, and selects --split by hashing ids.")
    ] = None,
    tweeteval_dir: Annotated[Path | None, typer.Option(help="Folder of TweetEval text/label pairs.")] = None,
    split: Annotated[
        str,
        typer.Option(
            help="CSV: holdout | train | all (needs --id-column); TweetEval: the file split, e.g. val."
        ),
    ] = "holdout",
    tier: Annotated[str, typer.Option(help="baseline (VADER) | fast | accurate.")] = "fast",
    as_json: JsonOption = False,
) -> None:
    """Accuracy, macro-F1, macro-recall, confusion matrix and messages/second of a sentiment tier."""
    from parallax.enrich.eval.run import evaluate
    from parallax.enrich.sentiment.base import LABELS
    from parallax.enrich.sentiment.models import sentiment_model

    try:
        data = _labelled(input_csv, text_column, label_column, id_column, tweeteval_dir, "sentiment", split)
        result = evaluate(f"sentiment/{tier}", sentiment_model(tier), LABELS, data)
    except ParallaxError as exc:
        err_console.print(f"[red]{exc.detail}[/]")
        raise typer.Exit(2) from exc
    _report(result, as_json)


def eval_emotion(
    tweeteval_dir: Annotated[Path, typer.Option(help="Folder of TweetEval text/label pairs.")] = DATA
    / "tweeteval",
    split: Annotated[str, typer.Option(help="TweetEval split (val; train was used for training).")] = "val",
    as_json: JsonOption = False,
) -> None:
    """Accuracy, macro-F1, macro-recall and confusion matrix of the emotion head on TweetEval emotion."""
    from parallax.enrich.datasets import tweeteval
    from parallax.enrich.emotion import EMOTIONS, load_emotion_model
    from parallax.enrich.eval.run import evaluate

    try:
        result = evaluate(
            "emotion/fast", load_emotion_model(), EMOTIONS, tweeteval(tweeteval_dir, "emotion", split)
        )
    except ParallaxError as exc:
        err_console.print(f"[red]{exc.detail}[/]")
        raise typer.Exit(2) from exc
    _report(result, as_json)


def _labelled(
    input_csv: Path | None,
    text_column: str,
    label_column: str,
    id_column: str | None,
    tweeteval_dir: Path | None,
    task: str,
    split: str,
) -> Labelled:
    from parallax.enrich.datasets import read_csv, select_split, tweeteval
    from parallax.kit.errors import ValidationFailed

    if tweeteval_dir is not None:
        return tweeteval(tweeteval_dir, task, split)
    if input_csv is None:
        raise ValidationFailed("pass --input CSV or --tweeteval-dir DIR")
    if split not in ("holdout", "train", "all"):
        raise ValidationFailed("for a CSV, --split is holdout, train or all")
    if split != "all" and id_column is None:
        raise ValidationFailed(
            "--split holdout/train selects rows by hashing ids: pass --id-column (or --split all)"
        )
    return select_split(read_csv(input_csv, text_column, label_column, id_column), cast(Split, split))


def _print_metrics(title: str, figures: dict[str, object]) -> None:
    console.print(f"[bold]{title}[/]")
    for key in ("n", "accuracy", "macro_f1", "macro_recall"):
        value = figures[key]
        console.print(f"  {key:<13} {value:.4f}" if isinstance(value, float) else f"  {key:<13} {value}")


def _report(result: EvalResult, as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps(result.as_dict()))
        return
    _print_metrics(f"{result.name} ({result.version})", result.metrics.as_dict())
    console.print(f"  {'msgs/s':<13} {result.per_second:,.0f}")
    table = Table(title="confusion (rows: truth, columns: predicted)")
    table.add_column("")
    for label in result.metrics.labels:
        table.add_column(label, justify="right")
    for label, row in zip(result.metrics.labels, result.metrics.confusion, strict=True):
        table.add_row(label, *(str(x) for x in row))
    console.print(table)


def bench_enrich(
    data_dir: DataOption = DATA,
    limit: Annotated[int, typer.Option(help="Messages for the fast and baseline tiers.")] = 10000,
    accurate_limit: Annotated[int, typer.Option(help="Messages for the accurate tier (0 skips it).")] = 2000,
    workers: Annotated[
        list[int] | None,
        typer.Option(
            "--workers", help="Worker processes; repeat for several rows per tier (default: 1 and 2)."
        ),
    ] = None,
    write: Annotated[bool, typer.Option(help="Write the enrich section of BENCHMARKS.md.")] = True,
) -> None:
    """Messages/second of the whole pipeline per tier, with VADER alone as the baseline ratio."""
    from parallax.enrich.datasets import airline_tweets

    _require_data(data_dir)
    counts = sorted(set(workers or [1, 2]))
    if counts[0] < 1:
        raise typer.BadParameter("--workers must be at least 1")
    texts = list(airline_tweets(data_dir).texts)
    texts = (texts * (max(limit, accurate_limit) // len(texts) + 1))[: max(limit, accurate_limit)]
    timings = []
    for tier, n in (("baseline", limit), ("fast", limit), ("accurate", accurate_limit)):
        for count in counts if n > 0 else []:
            try:
                timing = _time_tier(tier, count, texts[:n])
            except ParallaxError as exc:
                err_console.print(f"[yellow]{tier}: skipped ({exc.detail})[/]")
                break
            console.print(
                f"{tier}, {count} worker(s): {timing.per_second:,.0f} msgs/s over {timing.n:,} "
                f"({timing.per_cpu_second:,.0f} per CPU-s), {timing.ratio:.3f}x VADER alone, "
                f"load {timing.load_seconds:.1f} s"
            )
            timings.append(timing)
    flags = "".join(f" --workers {count}" for count in counts)
    command = f"parallax bench enrich --limit {limit} --accurate-limit {accurate_limit}{flags}"
    source = f"airline tweets (dev file, repeated to {len(texts):,} where needed)"
    if write:
        from parallax.enrich.bench import markdown
        from parallax.kit.benchmarks import write_section

        write_section("enrich", markdown(timings, source, command))
        console.print("wrote the enrich section of BENCHMARKS.md")


def _time_tier(tier: str, workers: int, texts: list[str]) -> Any:
    import time

    from parallax.enrich.bench import time_pipeline, time_pool
    from parallax.enrich.pool import PipelinePool
    from parallax.enrich.registry import default_pipeline

    if workers > 1:
        with PipelinePool(tier, workers) as pool:
            return time_pool(tier, pool, texts)
    started = time.perf_counter()
    pipeline = default_pipeline(tier)
    return time_pipeline(tier, pipeline, texts, load_seconds=time.perf_counter() - started)


AIRLINE_ARGS = (
    "--input {data}/airline-tweets/tweets_dev.csv --label-column airline_sentiment --id-column tweet_id"
)


def eval_quality(
    data_dir: DataOption = DATA,
    write: Annotated[bool, typer.Option(help="Write the enrich-quality section of BENCHMARKS.md.")] = True,
) -> None:
    """Run every standard sentiment and emotion evaluation and write the enrich-quality section."""
    from parallax.enrich.datasets import airline_tweets, tweeteval
    from parallax.enrich.emotion import EMOTIONS, load_emotion_model
    from parallax.enrich.eval.report import Row, quality_markdown
    from parallax.enrich.eval.run import evaluate
    from parallax.enrich.sentiment.base import LABELS
    from parallax.enrich.sentiment.models import sentiment_model
    from parallax.kit.benchmarks import write_section

    _require_data(data_dir)
    airline = airline_tweets(data_dir, "holdout")
    general = tweeteval(data_dir / "tweeteval", "sentiment", "val")
    rows: list[Row] = []
    skipped: list[str] = []
    for tier in ("baseline", "fast", "accurate"):
        try:
            model = sentiment_model(tier)
        except ParallaxError as exc:
            skipped.append(f"{tier} ({exc.detail})")
            continue
        base = f"parallax eval sentiment --tier {tier}"
        airline_command = f"{base} {AIRLINE_ARGS.format(data=data_dir)} --split holdout"
        general_command = f"{base} --tweeteval-dir {data_dir}/tweeteval --split val"
        for label, data, command in (
            ("airline held-out", airline, airline_command),
            ("TweetEval sentiment val", general, general_command),
        ):
            rows.append(Row(label, command, evaluate(f"sentiment/{tier}", model, LABELS, data)))
            console.print(f"{command}: accuracy {rows[-1].result.metrics.accuracy:.3f}")
    emotion = tweeteval(data_dir / "tweeteval", "emotion", "val")
    rows.append(
        Row(
            "TweetEval emotion val",
            "parallax eval emotion --split val",
            evaluate("emotion/fast", load_emotion_model(), EMOTIONS, emotion),
        )
    )
    body = quality_markdown(rows, skipped)
    console.print(body)
    if write:
        write_section("enrich-quality", body)
        console.print("wrote the enrich-quality section of BENCHMARKS.md")
