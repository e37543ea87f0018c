"""``parallax train|eval signals`` and ``parallax train|eval categories``: the consumer-side models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from parallax.cli import pii_cmd
from parallax.cli.context import console, err_console
from parallax.cli.groups import bench_app, eval_app, train_app
from parallax.enrich.pipeline import Enriched, Step

DataDirOption = Annotated[Path, typer.Option(help="The shared real-data folder (read only).")]
GoldOption = Annotated[Path, typer.Option(help="Gold labels: source, id, split and one column per signal.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")]
WriteOption = Annotated[bool, typer.Option(help="Write the figures to their BENCHMARKS.md section.")]
DEFAULT_DATA = Path("../shared/data")
DEFAULT_GOLD = Path("data/gold/signals.csv")


def register(app: typer.Typer) -> None:
    """Adds the commands to the shared ``train`` and ``eval`` groups (``app`` is unused but kept uniform)."""
    train_app.command("signals")(train_signals)
    eval_app.command("signals")(eval_signals)
    train_app.command("categories")(train_categories)
    eval_app.command("categories")(eval_categories)
    bench_app.command("enrich-steps")(bench_enrich_steps)
    pii_cmd.register(app)  # parallax eval pii


def require_data(data_dir: Path) -> None:
    if not data_dir.is_dir():
        err_console.print(f"[red]{data_dir} is absent: this command needs the shared real data.[/]")
        raise typer.Exit(2)


def train_signals(data_dir: DataDirOption = DEFAULT_DATA, gold: GoldOption = DEFAULT_GOLD) -> None:
    """Fit the signal heads on the gold set's development part and write the shipped artifact."""
    from parallax.enrich.signals.model import artifact_path
    from parallax.enrich.signals.train import load_gold, train_head

    require_data(data_dir)
    head, _, c = train_head(load_gold(gold, data_dir))
    head.save(artifact_path())
    console.print(f"signals head [bold]{head.version}[/] (C={c:g}) written to {artifact_path()}")
    console.print(
        "thresholds: " + ", ".join(f"{s}={t:.2f}" for s, t in zip(head.signals, head.thresholds, strict=True))
    )


def eval_signals(
    data_dir: DataDirOption = DEFAULT_DATA,
    gold: GoldOption = DEFAULT_GOLD,
    as_json: JsonOption = False,
    write: WriteOption = True,
) -> None:
    """Precision, recall, F1 and support per signal on the gold set: development part and held-out part."""
    from parallax.enrich.signals.model import shipped_head
    from parallax.enrich.signals.report import markdown
    from parallax.enrich.signals.train import evaluate, load_gold

    require_data(data_dir)
    data = load_gold(gold, data_dir)
    results = evaluate(data, shipped_head())
    if as_json:
        console.print_json(json.dumps(results))
    else:
        console.print(markdown(results, len(data.dev), len(data.heldout)))
    if write:
        from parallax.kit.benchmarks import write_section

        write_section("signals", markdown(results, len(data.dev), len(data.heldout)))


DatasetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dataset", help="airline (negativereason) and/or cfpb (Issue); repeat for both (default)."
    ),
]


def _datasets(chosen: list[str] | None) -> list[str]:
    from parallax.enrich.categories.data import DATASETS

    names = chosen or list(DATASETS)
    unknown = [name for name in names if name not in DATASETS]
    if unknown:
        err_console.print(f"[red]unknown dataset {', '.join(unknown)}; expected {', '.join(DATASETS)}[/]")
        raise typer.Exit(2)
    return names


def train_categories(data_dir: DataDirOption = DEFAULT_DATA, dataset: DatasetOption = None) -> None:
    """Train the supervised category head of each pack on its data set's training part; write artifacts."""
    from parallax.enrich.categories.data import DATASETS, load_labelled
    from parallax.enrich.categories.fewshot import PrototypeClassifier
    from parallax.enrich.categories.supervised import artifact_path, train_head
    from parallax.enrich.categories.taxonomy import load_taxonomy

    require_data(data_dir)
    for name in _datasets(dataset):
        pack = DATASETS[name][4]
        taxonomy = load_taxonomy(pack)
        train, _ = load_labelled(data_dir, name, taxonomy)
        head = train_head(train.texts, train.labels, fewshot=PrototypeClassifier(taxonomy))
        head.save(artifact_path(pack))
        console.print(f"{pack}: head {head.version} on {len(train.texts)} texts -> {artifact_path(pack)}")


def eval_categories(
    data_dir: DataDirOption = DEFAULT_DATA,
    dataset: DatasetOption = None,
    as_json: JsonOption = False,
    write: WriteOption = True,
) -> None:
    """Macro-F1 of our category classifiers vs a TF-IDF + LR baseline, on the same held-out split."""
    from dataclasses import asdict

    from parallax.enrich.categories.evaluate import evaluate
    from parallax.enrich.categories.report import markdown

    require_data(data_dir)
    names = _datasets(dataset)
    results = {name: evaluate(data_dir, name) for name in names}
    if as_json:
        payload = {name: [asdict(score) for score in scores] for name, (scores, _, _) in results.items()}
        console.print_json(json.dumps(payload))
    else:
        console.print(markdown(results))
    if write and len(names) > 1:
        from parallax.kit.benchmarks import write_section

        write_section("categories", markdown(results))


def bench_enrich_steps(
    data_dir: DataDirOption = DEFAULT_DATA,
    n: Annotated[int, typer.Option(help="Airline tweets to time each step on.")] = 5000,
    write: WriteOption = True,
) -> None:
    """Messages/second of the PII, entities, signals and categories steps alone, with VADER as the ratio."""
    import csv
    import time

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from parallax.enrich import entities, pii
    from parallax.enrich.categories import step as categories_step
    from parallax.enrich.signals import step as signals_step

    require_data(data_dir)
    with (data_dir / "airline-tweets" / "tweets_dev.csv").open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)][:n]
    vader = SentimentIntensityAnalyzer()
    started = time.perf_counter()
    for text in texts:
        vader.polarity_scores(text)
    vader_rate = len(texts) / (time.perf_counter() - started)
    rows = [("VADER alone (baseline)", vader_rate)]
    steps: list[tuple[str, Step]] = [
        ("pii", pii.make_step("fast")),
        ("entities", entities.make_step("fast")),
        ("signals, lexicon (baseline tier)", signals_step.make_step("baseline")),
        ("signals, trained heads (fast tier)", signals_step.make_step("fast")),
        ("categories, few-shot (baseline tier)", categories_step.make_step("baseline")),
        ("categories, head + few-shot (fast tier)", categories_step.make_step("fast")),
    ]
    steps.append(
        ("signals + categories, fast tier, one shared featurisation", _Both(steps[3][1], steps[5][1]))
    )
    for name, step in steps:
        step.apply([Enriched(0, texts[0])])  # load models outside the timing; also evicts the feature memory
        batch = [Enriched(i, text) for i, text in enumerate(texts)]
        started = time.perf_counter()
        step.apply(batch)
        rows.append((name, len(texts) / (time.perf_counter() - started)))
    body = "\n".join(
        [
            "## Enrichment steps alone: PII, entities, signals, categories",
            "",
            f"`parallax bench enrich-steps --n {n}`: one batch of {len(texts)} airline tweets per step, one "
            "process; the whole pipeline is timed by `parallax bench enrich`.",
            "",
            "| step | messages/s | x VADER |",
            "| --- | --- | --- |",
            *[f"| {name} | {rate:,.0f} | {rate / vader_rate:.2f} |" for name, rate in rows],
        ]
    )
    console.print(body)
    if write:
        from parallax.kit.benchmarks import write_section

        write_section("enrich-steps", body)


class _Both:
    """Two steps run back to back on one batch, as the pipeline runs them."""

    name, version = "both", "1"

    def __init__(self, first: Step, second: Step) -> None:
        self.first, self.second = first, second

    def apply(self, batch: list[Enriched]) -> None:
        self.first.apply(batch)
        self.second.apply(batch)
