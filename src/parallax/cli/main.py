"""The ``parallax`` command. Each module below registers its own commands on ``app``."""

from __future__ import annotations

import typer

import parallax.cli.customers_cmd as customers_cmd
import parallax.cli.simulate_cmd as simulate_cmd
import parallax.cli.web_cmd as web_cmd
from parallax.cli import (
    bench_api_cmd,
    core,
    demo_cmd,
    enrich_b_cmd,
    enrich_cmd,
    ingest_cmd,
    report_cmd,
    stream_cmd,
)
from parallax.cli.groups import bench_app, eval_app, train_app

app = typer.Typer(
    name="parallax",
    help="Parallax: what your dashboards say vs what your customers say.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
core.register(app)
app.add_typer(bench_app, name="bench")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
demo_cmd.register(app)
enrich_cmd.register(app)
simulate_cmd.register(app)
report_cmd.register(app)
ingest_cmd.register(app)
stream_cmd.register(app)
enrich_b_cmd.register(app)
web_cmd.register(app)
customers_cmd.register(app)
bench_api_cmd.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
