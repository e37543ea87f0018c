"""``parallax eval pii``: precision and recall of redaction on the labelled set, and a look at real texts."""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from parallax.cli.context import console, err_console
from parallax.cli.groups import eval_app

DEFAULT_DATA = Path("../shared/data")


def register(app: typer.Typer) -> None:
    eval_app.command("pii")(eval_pii)


def eval_pii(
    n: Annotated[int, typer.Option(min=50, max=20_000, help="Labelled messages to generate.")] = 1_000,
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 7,
    real: Annotated[bool, typer.Option(help="Also count what is redacted in the shared real texts.")] = True,
    data_dir: Annotated[Path, typer.Option(help="The shared real data (read in place).")] = DEFAULT_DATA,
    write: Annotated[bool, typer.Option(help="Write the section of BENCHMARKS.md.")] = True,
    bench_file: Annotated[Path, typer.Option(help="Where the section goes.")] = Path("BENCHMARKS.md"),
) -> None:
    """Span- and character-level precision and recall per kind, rules only and with the NER model."""
    from parallax.enrich.pii import ner
    from parallax.enrich.pii.eval_corpus import corpus
    from parallax.enrich.pii.eval_score import score, table

    items = corpus(n, seed)
    started = time.perf_counter()
    rules = score(items, model=False)
    rules_s = time.perf_counter() - started
    with_model = None
    if ner.available():
        started = time.perf_counter()
        with_model = score(items, model=True)
        model_s = time.perf_counter() - started
    else:
        err_console.print("[yellow]the pii extra is absent: rules only (pip install 'parallax-cx[pii]')[/]")
    rows = table(rules, with_model)
    for row in rows:
        console.print(row, markup=False)
    lines = [
        "## PII redaction: precision and recall on planted identifiers",
        "",
        f"`parallax eval pii --n {n} --seed {seed}`: {n} generated messages "
        f"(`parallax.enrich.pii.eval_corpus`), {rules.messages} scored. Span level: a planted identifier is "
        "caught when every non-space character of it is masked; a masked span is a false positive when it "
        "touches no planted one. Character level: over non-space characters. The templates, name lists and "
        "hard negatives are ours, written with the detectors, so these figures say the detectors do what "
        "they were built for on the formats we planted; they are not a measurement on real traffic.",
        "",
        *rows,
        "",
        f"Time: rules {1000 * rules_s / len(items):.1f} ms a message"
        + (f", with the model {1000 * model_s / len(items):.1f} ms" if with_model else "")
        + " (shared 2-core machine).",
    ]
    if real:
        lines += ["", *_real_lines(data_dir)]
    if write:
        from parallax.kit.benchmarks import write_section

        write_section("pii", "\n".join(lines), bench_file)
        console.print(f"wrote the pii section of {bench_file}")


def _texts(path: Path, column: str, keep: str | None = None) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return [r[column] for r in rows if r.get(column) and (keep is None or r.get(keep) == "True")]


def _real_lines(data_dir: Path) -> list[str]:
    """What the policy masks in real texts: CFPB narratives (personal data already removed by the CFPB, so
    nearly every mask is a false positive) and inbound customer-support tweets (consumer ids anonymised)."""
    from parallax.enrich.pii.detect import find_pii
    from parallax.enrich.pii.spans import KINDS

    sets = [
        ("CFPB narratives", data_dir / "cfpb-complaints-sample" / "complaints_sample.csv",
         "Consumer complaint narrative", None),
        ("customer-support tweets (inbound)", data_dir / "customer-support-tweets" / "twcs_head5000.csv",
         "text", "inbound"),
    ]  # fmt: skip
    lines = ["Real texts, read in place from `../shared/data` (not copied): what the policy masks.", ""]
    lines += ["| texts | n | with a mask | masks by kind |", "| --- | --- | --- | --- |"]
    for label, path, column, keep in sets:
        if not path.exists():
            lines.append(f"| {label} | absent | - | - |")
            continue
        texts = _texts(path, column, keep)
        kinds: Counter[str] = Counter()
        masked = 0
        for text in texts:
            spans = find_pii(text, kinds=KINDS)
            masked += bool(spans)
            kinds.update(s.kind for s in spans)
        by_kind = ", ".join(f"{k} {v}" for k, v in kinds.most_common()) or "none"
        lines.append(f"| {label} | {len(texts)} | {masked} | {by_kind} |")
    return lines
