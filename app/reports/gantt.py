"""The Gantt chart as pure functions: facts in, a chart model out, and the model as a Plotly
figure. The static SVG for PDFs (app/reports/gantt_svg.py) draws the same model.

Built for scale: one bar trace per task status with arrays (never a trace per task), the
dependencies as one line trace with gaps, every marker kind in one trace, and the today line
as a layout shape, so a chart has at most ten traces whatever its size. Collapsed groups are
one summary bar each; only what the chart draws is in the model.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app import charts
from app.charts import Figure, label
from app.danish import format_date
from app.inputs import within_window
from app.workstreams.models import TASK_STATUS_LABELS, TaskStatus

MONTHS_SHORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
DAY_MS = 86_400_000
LABEL_CHARS = 46
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

# Status colours with white text contrast; the legend names each status in words.
STATUS_COLOURS = {
    TaskStatus.not_started: "#6b7687",
    TaskStatus.in_progress: "#1f4e8c",
    TaskStatus.done: "#1e6b35",
    TaskStatus.blocked: "#a0231b",
}
SUMMARY_COLOUR = "#3d4a5c"
BASELINE_COLOUR = "#9aa5b4"
TODAY_COLOUR = "#a0231b"
DEPENDENCY_COLOUR = "#4a5566"
HEALTH_COLOURS = {
    "reached": "#1e6b35",
    "reached_late": "#7a4b00",
    "cancelled": "#8a94a3",
    "overdue": "#a0231b",
    "slipping": "#c77700",
    "on_track": "#1f4e8c",
}
MARKER_SYMBOLS = {"meeting": "triangle-down", "activity": "star", "communication": "circle"}
MARKER_COLOURS = {"meeting": "#5b2a86", "activity": "#0f6e6e", "communication": "#7a4b00"}
MARKER_LABELS = {
    "meeting": "Styregruppemøde",
    "activity": "Ekstern aktivitet",
    "communication": "Kommunikation",
}
PROJECT_ROW = "Hele projektet"
UNANCHORED = "Ikke forankret i en gruppe"


# Facts in


@dataclass(frozen=True)
class GanttTask:
    id: int
    title: str
    group_id: int | None
    owner: str
    start: date | None
    due: date | None
    status: TaskStatus
    progress: int
    baseline_start: date | None = None
    baseline_due: date | None = None
    depends_on: tuple[int, ...] = ()


@dataclass(frozen=True)
class GanttSummary:
    """A collapsed group: the span of its tasks and how many there are in each status."""

    group_id: int | None
    start: date
    end: date
    counts: dict[str, int]
    progress: int  # average, in per cent


@dataclass(frozen=True)
class GanttMilestone:
    id: int
    name: str
    group_id: int | None
    expected: date
    baseline: date
    health: str
    health_label: str
    status_label: str


@dataclass(frozen=True)
class GanttMarker:
    kind: str  # meeting, activity, communication
    day: date
    title: str
    group_id: int | None
    detail: str = ""


@dataclass(frozen=True)
class GanttGroup:
    id: int | None  # None: tasks not anchored in a group
    name: str
    expanded: bool


@dataclass
class GanttData:
    window_start: date
    window_end: date
    today: date
    groups: list[GanttGroup]
    tasks: list[GanttTask] = field(default_factory=list)
    summaries: dict[int | None, GanttSummary] = field(default_factory=dict)
    milestones: list[GanttMilestone] = field(default_factory=list)
    markers: list[GanttMarker] = field(default_factory=list)


# The chart model


@dataclass(frozen=True)
class Row:
    y: int
    label: str
    kind: str  # project, group, task


@dataclass(frozen=True)
class Bar:
    y: int
    start: date
    end: date  # exclusive: the day after the last day
    hover: str
    key: str  # status, "summary" or "baseline"


@dataclass(frozen=True)
class Point:
    y: int
    day: date
    hover: str
    key: str  # health of a milestone, kind of a marker, or "baseline"


@dataclass
class ChartModel:
    window_start: date
    window_end: date  # exclusive
    today: date
    rows: list[Row] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    summaries: list[Bar] = field(default_factory=list)
    baselines: list[Bar] = field(default_factory=list)
    milestones: list[Point] = field(default_factory=list)
    milestone_baselines: list[Point] = field(default_factory=list)
    markers: list[Point] = field(default_factory=list)
    dependencies: list[tuple[date, int, date, int]] = field(default_factory=list)
    ticks: list[tuple[date, str]] = field(default_factory=list)


def week_of(day: date) -> int:
    return day.isocalendar().week


def month_label(day: date) -> str:
    """nov 2012"""
    return f"{MONTHS_SHORT[day.month - 1]} {day.year}"


def time_ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Tick positions and Danish labels for the time axis: weeks ("uge 47", with the month
    under the first week of each month) for a short window, months ("nov 2012" with the week
    the month starts in) for a longer one, quarters for years."""
    days = (end - start).days
    ticks: list[tuple[date, str]] = []
    if days <= 150:
        day = start + timedelta(days=(7 - start.weekday()) % 7)
        last_month = None
        while day <= end:
            tick = f"uge {week_of(day)}"
            if (day.year, day.month) != last_month:
                tick += f"<br>{month_label(day)}"
                last_month = (day.year, day.month)
            ticks.append((day, tick))
            day += timedelta(days=7)
        return ticks
    step = 1 if days <= 550 else (3 if days <= 1500 else 6)
    month = date(start.year, start.month, 1)
    if month < start:
        month = _add_months(month, 1)
    month = _add_months(month, (-(month.month - 1)) % step)
    while month <= end:
        ticks.append((month, f"{month_label(month)}<br>uge {week_of(month)}"))
        month = _add_months(month, step)
    return ticks


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def short_label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _span(start: date | None, end: date | None) -> tuple[date, date] | None:
    first = start or end
    last = end or start
    if first is None or last is None:
        return None
    first, last = within_window(first), within_window(last)
    return first, max(first, last) + timedelta(days=1)


def _dates(start: date, end_exclusive: date) -> str:
    last = end_exclusive - timedelta(days=1)
    weeks = (
        f"uge {week_of(start)}"
        if week_of(start) == week_of(last) and (last - start).days < 7
        else f"uge {week_of(start)}–{week_of(last)}"
    )
    if start == last:
        return f"{format_date(start)} ({weeks})"
    return f"{format_date(start)}–{format_date(last)} ({weeks})"


def _task_hover(t: GanttTask, group: str, start: date, end: date) -> str:
    lines = [
        f"<b>{label(t.title)}</b>",
        label(group),
        f"Ansvarlig: {label(t.owner) if t.owner else 'ingen'}",
        _dates(start, end),
        f"Status: {TASK_STATUS_LABELS[t.status]}, {t.progress} % færdig",
    ]
    base = _span(t.baseline_start, t.baseline_due)
    if base and base != (start, end):
        lines.append(f"Godkendt plan: {_dates(*base)}")
    return "<br>".join(lines)


def _summary_hover(name: str, s: GanttSummary) -> str:
    total = sum(s.counts.values())
    parts = [
        f"{s.counts[status.value]} {TASK_STATUS_LABELS[status].lower()}"
        for status in TaskStatus
        if s.counts.get(status.value)
    ]
    noun = "opgave" if total == 1 else "opgaver"
    return "<br>".join(
        [
            f"<b>{label(name)}</b>",
            f"{total} {noun}: {', '.join(parts)}",
            _dates(s.start, s.end),
            f"Gennemsnitlig fremdrift {s.progress} %",
        ]
    )


def build_model(data: GanttData) -> ChartModel:
    """Rows, bars, milestones, markers, dependencies and ticks of the chart."""
    model = ChartModel(
        window_start=data.window_start,
        window_end=data.window_end + timedelta(days=1),
        today=data.today,
        ticks=time_ticks(data.window_start, data.window_end),
    )
    group_row: dict[int | None, int] = {}
    names = {g.id: g.name for g in data.groups}
    project_items = any(m.group_id is None for m in data.milestones) or any(
        k.group_id is None for k in data.markers
    )
    if project_items:
        model.rows.append(Row(0, PROJECT_ROW, "project"))
    tasks_by_group: dict[int | None, list[GanttTask]] = defaultdict(list)
    for t in data.tasks:
        tasks_by_group[t.group_id].append(t)
    task_row: dict[int, int] = {}
    task_span: dict[int, tuple[date, date]] = {}
    for g in data.groups:
        y = len(model.rows)
        group_row[g.id] = y
        model.rows.append(Row(y, g.name, "group"))
        summary = data.summaries.get(g.id)
        if summary is not None:
            model.summaries.append(
                Bar(y, summary.start, summary.end, _summary_hover(g.name, summary), "summary")
            )
        if not g.expanded:
            continue
        for t in tasks_by_group.get(g.id, []):
            span = _span(t.start, t.due)
            if span is None:
                continue
            y = len(model.rows)
            model.rows.append(Row(y, t.title, "task"))
            task_row[t.id] = y
            task_span[t.id] = span
            model.bars.append(
                Bar(y, span[0], span[1], _task_hover(t, g.name, *span), t.status.value)
            )
            base = _span(t.baseline_start, t.baseline_due)
            if base is not None:
                model.baselines.append(
                    Bar(y, base[0], base[1], f"Godkendt plan: {_dates(*base)}", "baseline")
                )
    for t in data.tasks:
        for before in t.depends_on:
            if before in task_span and t.id in task_span:
                model.dependencies.append(
                    (task_span[before][1], task_row[before], task_span[t.id][0], task_row[t.id])
                )
    # Milestones and markers without a group belong to the whole project, not to the row of
    # the tasks that are not anchored in a group.
    row_of: dict[int | None, int] = {k: v for k, v in group_row.items() if k is not None}
    if project_items:
        row_of[None] = 0
    for m in data.milestones:
        at = row_of.get(m.group_id)
        if at is None:
            continue
        group = names.get(m.group_id, PROJECT_ROW) if m.group_id else PROJECT_ROW
        hover = "<br>".join(
            [
                f"<b>◆ {label(m.name)}</b>",
                label(group),
                f"Forventet: {format_date(m.expected)} (uge {week_of(m.expected)})",
                f"Godkendt plan: {format_date(m.baseline)}",
                f"Status: {m.status_label} – {m.health_label}",
            ]
        )
        model.milestones.append(Point(at, m.expected, hover, m.health))
        if m.baseline != m.expected:
            model.milestone_baselines.append(
                Point(
                    at,
                    m.baseline,
                    f"Godkendt plan for »{label(m.name)}«: {format_date(m.baseline)}",
                    "baseline",
                )
            )
    for k in data.markers:
        at = row_of.get(k.group_id)
        if at is None:
            continue
        lines = [
            f"<b>{MARKER_LABELS[k.kind]}: {label(k.title)}</b>",
            f"{format_date(k.day)} (uge {week_of(k.day)})",
        ]
        if k.detail:
            lines.append(label(k.detail))
        model.markers.append(Point(at, k.day, "<br>".join(lines), k.kind))
    return model


# The Plotly figure


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
        "marker": {"color": colour, "line": {"width": 0}},
        "opacity": opacity,
        "hovertext": [b.hover for b in bars],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "legendrank": legendrank,
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
    """The chart as a Plotly figure with at most ten traces."""
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
    for rank, status in enumerate(TaskStatus):
        bars = [b for b in model.bars if b.key == status.value]
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
    if model.milestones:
        traces.append(
            _marker_trace(
                model.milestones,
                name="Milepæl (farve: rettidig, skrider, overskredet, nået)",
                marker={
                    "symbol": "diamond",
                    "size": 13,
                    "color": [HEALTH_COLOURS[p.key] for p in model.milestones],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                legendrank=100,
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
    labels = [short_label(r.label) for r in model.rows]
    widest = max((len(text) for text in labels), default=0)
    layout: Figure = {
        "barmode": "overlay",
        "height": max(300, 150 + rows * 26),
        "margin": {
            "l": 20 + round(LABEL_CHAR_PX * widest),
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
            "ticktext": [
                f"<b>{label(text)}</b>" if r.kind != "task" else label(text)
                for r, text in zip(model.rows, labels, strict=True)
            ],
            "range": [rows - 0.5, -0.5],
            "fixedrange": True,
            "ticks": "",
            "showgrid": False,
            "zeroline": False,
        },
        "shapes": shapes,
        "annotations": annotations,
        "separators": ",.",
    }
    if title:
        layout["title"] = {"text": label(title), "x": 0, "font": {"size": 15}}
    return {"data": traces, "layout": layout}


def page_json(fig: Figure) -> str:
    """The figure for a page: drag to zoom the time axis, double-click to reset."""
    return charts.page_json(fig, doubleClick="reset")
