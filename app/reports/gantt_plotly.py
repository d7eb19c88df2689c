"""The Gantt chart as a Plotly figure, drawn from the chart model (app/reports/gantt.py).

Built for scale: one bar trace per task status with arrays (never a trace per task), the
dependencies as one line trace with gaps, every marker kind in one trace, and the today line
as a layout shape, so a chart has at most eighteen traces whatever its size. Each milestone
health is a trace of its own (named in the legend, late ones with a cross in the diamond), and
the late stretch of every overdue task is one hatched trace, »Forsinket opgave«. Parent tasks (with
sub-tasks) are one thin hatched trace of summary bars. Bars of tasks dated
outside the project's period are outlined and carry a cross at their end (one trace, named in
the legend). The tasks without dates, which no chart can draw, travel in `layout.meta.undated`.
"""

from datetime import date, timedelta
from typing import Any

from app import charts
from app.charts import Figure, label
from app.danish import format_date
from app.reports.gantt import (
    BASELINE_COLOUR,
    DEPENDENCY_COLOUR,
    HEALTH_COLOURS,
    HEALTH_NAMES,
    MARKER_COLOURS,
    OUTSIDE_COLOUR,
    OVERDUE_COLOUR,
    OVERDUE_LABEL,
    PARENT_LABEL,
    STATUS_COLOURS,
    SUMMARY_COLOUR,
    TODAY_COLOUR,
    Bar,
    ChartModel,
    Point,
    outside_text,
    short_label,
)
from app.workstreams.models import TASK_STATUS_LABELS, TaskStatus

DAY_MS = 86_400_000
# Width of a label character in the 12 px font, generously (bold group names included): the left
# margin is reckoned from the longest label, because Plotly's automargin measures every label and
# draws the chart twice, which with 300 rows took longer than the drawing itself (bench/README.md).
LABEL_CHAR_PX = 7.5
INK = "#1d2430"
FONT = {
    "family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
    "size": 12,
    "color": INK,
}
# A sub-task's label is indented this many characters per level.
INDENT_CHARS = 2
MARKER_SYMBOLS = {"meeting": "triangle-down", "activity": "star", "communication": "circle"}
# A milestone's symbol by health: a late one carries a cross (slipping +, overdue ×), so its
# lateness is told by shape as well as colour.
HEALTH_SYMBOLS = {"slipping": "diamond-cross", "overdue": "diamond-x"}


def _iso(day: date) -> str:
    return day.isoformat()


def _bar_trace(
    bars: list[Bar],
    *,
    name: str,
    colour: str,
    width: float,
    offset: float = 0.0,
    opacity: float = 1.0,
    legendrank: int = 1000,
) -> dict[str, Any]:
    return {
        "type": "bar",
        "name": name,
        "orientation": "h",
        "base": [_iso(b.start) for b in bars],
        "x": [(b.end - b.start).days * DAY_MS for b in bars],
        "y": [b.y + offset for b in bars],
        "width": width,
        "marker": {"color": colour, "line": _outlines(bars)},
        "opacity": opacity,
        "hovertext": [b.hover for b in bars],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "legendrank": legendrank,
    }


def _outlines(bars: list[Bar]) -> dict[str, Any]:
    """No outline, except around the bars of tasks dated outside the project's period."""
    if not any(b.outside for b in bars):
        return {"width": 0}
    return {
        "width": [2.5 if b.outside else 0 for b in bars],
        "color": [OUTSIDE_COLOUR if b.outside else "#ffffff" for b in bars],
    }


def _marker_trace(
    points: list[Point], *, name: str, marker: dict[str, Any], legendrank: int
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "name": name,
        "mode": "markers",
        "x": [_iso(p.day) for p in points],
        "y": [p.y for p in points],
        "marker": marker,
        "hovertext": [p.hover for p in points],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "legendrank": legendrank,
    }


def figure(model: ChartModel, *, title: str = "") -> Figure:
    """The chart as a Plotly figure with at most eighteen traces."""
    traces: list[dict[str, Any]] = []
    if model.baselines:
        traces.append(
            _bar_trace(
                model.baselines,
                name="Godkendt plan (baseline)",
                colour=BASELINE_COLOUR,
                width=0.2,
                offset=0.36,
                opacity=0.7,
                legendrank=900,
            )
        )
    if model.summaries:
        traces.append(
            _bar_trace(
                model.summaries,
                name="Gruppe samlet",
                colour=SUMMARY_COLOUR,
                width=0.34,
                opacity=0.85,
                legendrank=800,
            )
        )
    if model.parent_bars:
        # A parent task: a thin hatched bar (shape, not colour alone, tells it from a task of
        # its own; its status is in its hover and the table).
        parents = _bar_trace(
            model.parent_bars,
            name=PARENT_LABEL,
            colour=SUMMARY_COLOUR,
            width=0.3,
            legendrank=700,
        )
        parents["marker"] |= {
            "pattern": {
                "shape": "/",
                "fillmode": "overlay",
                "fgcolor": "#ffffff",
                "size": 6,
                "solidity": 0.35,
            },
        }
        traces.append(parents)
    for rank, status in enumerate(TaskStatus):
        bars = [b for b in model.task_bars if b.key == status.value]
        if bars:
            traces.append(
                _bar_trace(
                    bars,
                    name=f"Status: {TASK_STATUS_LABELS[status]}",
                    colour=STATUS_COLOURS[status],
                    width=0.56,
                    legendrank=rank + 1,
                )
            )
    if model.overdue:
        # The stretch from the due date to the status day, hatched (a pattern, not colour alone).
        late = _bar_trace(
            model.overdue,
            name=f"⚠ {OVERDUE_LABEL} (fra slutdato til i dag)",
            colour="#ffffff",
            width=0.56,
            legendrank=40,
        )
        late["marker"] = {
            "color": "#ffffff",
            "line": {"width": 1.5, "color": OVERDUE_COLOUR},
            "pattern": {
                "shape": "x",
                "fgcolor": OVERDUE_COLOUR,
                "bgcolor": "#ffffff",
                "size": 6,
                "solidity": 0.3,
            },
        }
        traces.append(late)
    if model.outside:
        traces.append(
            _marker_trace(
                # At the bar's end, kept inside the window so the mark is seen.
                [
                    Point(b.y, min(b.end, model.window_end - timedelta(days=2)), b.hover, "outside")
                    for b in model.outside
                ],
                name=f"⚠ {outside_text(model.period)}",
                marker={
                    "symbol": "x",
                    "size": 10,
                    "color": OUTSIDE_COLOUR,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                legendrank=50,
            )
        )
    if model.dependencies:
        xs: list[str | None] = []
        ys: list[float | None] = []
        for x0, y0, x1, y1 in model.dependencies:
            xs += [_iso(x0), _iso(x1), None]
            ys += [y0, y1, None]
        traces.append(
            {
                "type": "scatter",
                "name": "Afhængighed",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "hoverinfo": "skip",
                "line": {"color": DEPENDENCY_COLOUR, "width": 1, "dash": "dot"},
                "legendrank": 950,
            }
        )
    if model.milestone_baselines:
        traces.append(
            _marker_trace(
                model.milestone_baselines,
                name="Milepæl i godkendt plan",
                marker={
                    "symbol": "diamond-open",
                    "size": 12,
                    "color": BASELINE_COLOUR,
                    "line": {"width": 2},
                },
                legendrank=910,
            )
        )
    for rank, (health, name) in enumerate(HEALTH_NAMES.items()):
        points = [p for p in model.milestones if p.key == health]
        if points:
            crossed = health in HEALTH_SYMBOLS
            traces.append(
                _marker_trace(
                    points,
                    name=name,
                    marker={
                        "symbol": HEALTH_SYMBOLS.get(health, "diamond"),
                        "size": 15 if crossed else 13,
                        "color": HEALTH_COLOURS[health],
                        "line": {"width": 1.5 if crossed else 1, "color": "#ffffff"},
                    },
                    legendrank=100 + rank,
                )
            )
    if model.markers:
        traces.append(
            _marker_trace(
                model.markers,
                name="Møder, aktiviteter og kommunikation",
                marker={
                    "symbol": [MARKER_SYMBOLS[p.key] for p in model.markers],
                    "size": 11,
                    "color": [MARKER_COLOURS[p.key] for p in model.markers],
                },
                legendrank=200,
            )
        )
    rows = len(model.rows)
    today_shown = model.window_start <= model.today < model.window_end
    shapes = []
    annotations = []
    if today_shown:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": _iso(model.today),
                "x1": _iso(model.today),
                "y0": 0,
                "y1": 1,
                "line": {"color": TODAY_COLOUR, "width": 2, "dash": "dash"},
                "name": "I dag",
            }
        )
        annotations.append(
            {
                "x": _iso(model.today),
                "y": 0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "top",
                "text": f"I dag {format_date(model.today)}",
                "showarrow": False,
                "font": {"color": TODAY_COLOUR, "size": 11},
            }
        )
    labels = [short_label(r.text) for r in model.rows]
    texts = [
        f"<b>{label(text)}</b>" if r.kind != "task" or r.parent else label(text)
        for r, text in zip(model.rows, labels, strict=True)
    ]
    # A plan with sub-tasks: the labels are left-aligned annotations indented by level (tick
    # labels are right-aligned, where an indent cannot be seen); a flat plan keeps tick labels.
    nested = any(r.level > 1 for r in model.rows)
    indents = [max(r.level - 1, 0) for r in model.rows]
    widest = max(
        (len(text) + INDENT_CHARS * i for text, i in zip(labels, indents, strict=True)), default=0
    )
    left = 20 + round(LABEL_CHAR_PX * widest)
    if nested:
        annotations += [
            {
                "xref": "paper",
                "x": 0,
                "xanchor": "left",
                "xshift": -(left - 8) + round(LABEL_CHAR_PX * INDENT_CHARS * i),
                "yref": "y",
                "y": r.y,
                "text": text,
                "showarrow": False,
                "align": "left",
                "font": {"size": 12},
            }
            for r, text, i in zip(model.rows, texts, indents, strict=True)
        ]
    layout: Figure = {
        "barmode": "overlay",
        "height": max(300, 150 + rows * 26),
        "margin": {
            "l": left,
            "r": 20,
            "t": 70 if title else 50,
            "b": 80,
        },
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": -0.02,
            "yanchor": "top",
            "traceorder": "normal",
        },
        "xaxis": {
            "type": "date",
            "side": "top",
            "range": [_iso(model.window_start), _iso(model.window_end)],
            "tickvals": [_iso(d) for d, _ in model.ticks],
            "ticktext": [text for _, text in model.ticks],
            "showgrid": True,
            "gridcolor": "#e3e7ec",
            "ticks": "",
            "zeroline": False,
        },
        "yaxis": {
            "tickvals": [r.y for r in model.rows],
            "ticktext": texts,
            "showticklabels": not nested,
            "range": [rows - 0.5, -0.5],
            "fixedrange": True,
            "ticks": "",
            "showgrid": False,
            "zeroline": False,
        },
        "shapes": shapes,
        "annotations": annotations,
        "separators": ",.",
        # What the chart cannot draw, for the JSON's readers and the page's list.
        "meta": {
            "undated": [
                {"id": u.id, "number": u.number, "title": u.title, "group": u.group}
                for u in model.undated
            ],
            # The rows top to bottom: a task's id, number and level in its group's plan.
            "rows": [
                {
                    "y": r.y,
                    "kind": r.kind,
                    "title": label(r.label),
                    "task_id": r.task_id or None,
                    "number": r.number or None,
                    "level": r.level or None,
                    "parent": r.parent,
                }
                for r in model.rows
            ],
            "outside_period": [b.task_id for b in model.outside],
            "period": model.period,
        },
    }
    if title:
        layout["title"] = {"text": label(title), "x": 0, "font": {"size": 15}}
    return {"data": traces, "layout": layout}


def page_json(fig: Figure) -> str:
    """The figure for a page: drag to zoom the time axis, double-click to reset."""
    return charts.page_json(fig, doubleClick="reset")
