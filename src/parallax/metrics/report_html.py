"""The HTML report: the board, the corrected survey, hidden failures, timing and frontline, with charts.

Charts are Plotly figures; plotly.js is embedded in the page from the installed ``plotly`` package (never a
CDN), so the file opens offline and can be mailed as is.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from parallax.metrics.board import Board
from parallax.metrics.frontline import Theme
from parallax.metrics.hidden import HiddenFailure
from parallax.metrics.mirror_report import MirrorReport
from parallax.metrics.service import SurveyBias
from parallax.metrics.timing import TimingLag


@dataclass(frozen=True)
class ReportData:
    workspace_id: str
    overall: Board
    weekly: Board
    boards: tuple[Board, ...]
    bias: SurveyBias
    hidden: tuple[HiddenFailure, ...]
    timing: TimingLag
    themes: tuple[Theme, ...]
    mirror: MirrorReport | None = None


def render_html(data: ReportData) -> str:
    from plotly.offline import get_plotlyjs

    env = Environment(loader=PackageLoader("parallax.metrics", "templates"), autoescape=select_autoescape())
    figures = {
        "weekly": _weekly_figure(data.weekly),
        "gap": [_gap_figure(b) for b in data.boards],
        "bias": _bias_figure(data.bias),
        "hidden": _hidden_figure(data.hidden),
        "timing": _timing_figure(data.timing),
    }
    return env.get_template("report.html.j2").render(
        data=data,
        overall=data.overall.cells[0] if data.overall.cells else None,
        figures={k: json.dumps(v, default=str) for k, v in figures.items()},
        plotly_js=get_plotlyjs(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        asdict=asdict,
    )


def _weekly_figure(board: Board) -> dict[str, Any]:
    x = [c.period for c in board.cells]
    return {
        "data": [
            {"type": "scatter", "name": "inside (surveys)", "x": x, "y": [c.gap.inside for c in board.cells]},
            {
                "type": "scatter",
                "name": "outside (volunteered)",
                "x": x,
                "y": [c.gap.outside for c in board.cells],
            },
        ],
        "layout": {"title": "Inside vs outside, 0-100, by week", "yaxis": {"range": [0, 100]}},
    }


def _gap_figure(board: Board) -> dict[str, Any]:
    cells = [c for c in board.cells if c.gap.gap is not None]
    return {
        "data": [
            {
                "type": "bar",
                "x": [c.segment for c in cells],
                "y": [c.gap.gap for c in cells],
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [(c.gap.ci_high or 0) - (c.gap.gap or 0) for c in cells],
                    "arrayminus": [(c.gap.gap or 0) - (c.gap.ci_low or 0) for c in cells],
                },
            }
        ],
        "layout": {
            "title": f"Perception gap by {board.attribute} (95% CI)",
            "yaxis": {"title": "inside - outside"},
        },
    }


def _bias_figure(bias: SurveyBias) -> dict[str, Any]:
    rows = [r for r in (bias.csat,) if r is not None]
    return {
        "data": [
            {
                "type": "bar",
                "x": ["naive (respondents)", "corrected (everyone invited)"],
                "y": [r.naive, r.corrected],
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [r.naive_ci[1] - r.naive, r.corrected_ci[1] - r.corrected],
                    "arrayminus": [r.naive - r.naive_ci[0], r.corrected - r.corrected_ci[0]],
                },
            }
            for r in rows
        ],
        "layout": {
            "title": "CSAT % satisfied: survey vs corrected for non-response",
            "yaxis": {"range": [0, 100]},
        },
    }


def _hidden_figure(hidden: tuple[HiddenFailure, ...]) -> dict[str, Any]:
    top = list(hidden[:15])[::-1]
    return {
        "data": [
            {"type": "bar", "orientation": "h", "y": [f.label for f in top], "x": [f.impact for f in top]}
        ],
        "layout": {"title": "Hidden failures by impact", "margin": {"l": 260}},
    }


def _timing_figure(timing: TimingLag) -> dict[str, Any]:
    return {
        "data": [
            {
                "type": "bar",
                "x": [b.label for b in timing.buckets],
                "y": [b.satisfied_pct for b in timing.buckets],
                "text": [f"n={b.n}" for b in timing.buckets],
            }
        ],
        "layout": {
            "title": "CSAT % satisfied by delay since the moment of friction",
            "yaxis": {"range": [0, 100]},
        },
    }
