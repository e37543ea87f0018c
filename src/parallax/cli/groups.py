"""Shared command groups: ``parallax bench``, ``parallax eval`` and ``parallax train``; rooms add to them."""

from __future__ import annotations

import typer

bench_app = typer.Typer(
    help="Measure speed; each benchmark writes its section of BENCHMARKS.md.", no_args_is_help=True
)
eval_app = typer.Typer(help="Measure model quality on labelled data (held-out splits).", no_args_is_help=True)
train_app = typer.Typer(help="Train the shipped model artifacts reproducibly (seeded).", no_args_is_help=True)
