"""The Gantt chart's model as pure functions: facts in (GanttData), a chart model out (rows,
bars, points, ticks, with their Danish hover texts), and the colours and legend names both
drawings share. The interactive Plotly figure (app/reports/gantt_plotly.py) and the static SVG
for PDFs (app/reports/gantt_svg.py) draw the same model.

Collapsed groups are one summary bar each; only what the chart draws is drawn. Within a group
the tasks come in the plan's tree order, each labelled with its number (1.2.3) and indented by
its level; a task with sub-tasks is a summary bar (thin, hatched, with end marks; named in the
legend), since its dates and progress are computed from its sub-tasks. Tasks with
neither a start nor a due date are not drawn but kept in the model as `undated`, so the page,
the JSON and the PDF can name them; a task with one date is a one-day bar at that date. A task
dated outside the project's period is outlined, marked and says so in its hover text.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.charts import label
from app.danish import format_date
from app.inputs import within_window
from app.workstreams.models import TASK_STATUS_LABELS, TaskStatus

MONTHS_SHORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
LABEL_CHARS = 46

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
MARKER_COLOURS = {"meeting": "#5b2a86", "activity": "#0f6e6e", "communication": "#7a4b00"}
MARKER_LABELS = {
    "meeting": "Beslutningsmøde",
    "activity": "Ekstern aktivitet",
    "communication": "Kommunikation",
}
PROJECT_ROW = "Hele projektet"
OUTSIDE_COLOUR = "#a0231b"
OUTSIDE_LABEL = "Uden for projektperioden"
UNDATED_LABEL = "uden datoer"
UNANCHORED = "Ikke forankret i en gruppe"
PARENT_LABEL = "Overordnet opgave (samlet for underopgaverne)"
PARENT_NOTE = "datoer og fremdrift beregnet ud fra underopgaverne"
# A task not done whose due date has passed (workstreams.tasks.overdue_days): the stretch from
# its due date to the status day is drawn hatched in this colour.
OVERDUE_COLOUR = "#a0231b"
OVERDUE_LABEL = "Forsinket opgave"
# A milestone's health in the legend, in the order the legend names them; slipping and overdue
# milestones have a symbol of their own (a cross in the diamond), not only a colour.
HEALTH_NAMES = {
    "on_track": "Milepæl følger planen",
    "slipping": "Milepæl skrider",
    "overdue": "Milepæl overskredet",
    "reached": "Milepæl nået",
    "reached_late": "Milepæl nået for sent",
    "cancelled": "Milepæl udgået",
}
LATE_HEALTHS = ("slipping", "overdue")


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
    # workstreams.tasks.outside_period, computed where the task is loaded
    outside_period: bool = False
    # Its place in the group's plan (app/workstreams/hierarchy.py): "1.2", level 2, and how
    # many sub-tasks it has (a parent is drawn as a summary of them).
    number: str = ""
    level: int = 1
    children: int = 0
    # workstreams.tasks.overdue_days on the chart's day: None unless it is late
    overdue_days: int | None = None


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
    # Tasks with neither a start nor a due date, of every shown group (expanded or not).
    undated: list[GanttTask] = field(default_factory=list)
    project_start: date | None = None
    project_end: date | None = None


# The chart model


@dataclass(frozen=True)
class Row:
    y: int
    label: str
    kind: str  # project, group, task
    task_id: int = 0
    number: str = ""
    level: int = 0  # a task's level in its group's plan (1 at the top)
    parent: bool = False  # a task with sub-tasks: a summary row

    @property
    def text(self) -> str:
        """The row's label with its number: »1.2 Kortlæg …«."""
        return f"{self.number} {self.label}" if self.number else self.label


@dataclass(frozen=True)
class Bar:
    y: int
    start: date
    end: date  # exclusive: the day after the last day
    hover: str
    key: str  # status, "summary" or "baseline"
    outside: bool = False  # a task dated outside the project's period
    task_id: int = 0
    parent: bool = False  # a task with sub-tasks: drawn as a summary bar
    overdue_days: int | None = None  # a task not done after its due date


@dataclass(frozen=True)
class Point:
    y: int
    day: date
    hover: str
    key: str  # health of a milestone, kind of a marker, or "baseline"


@dataclass(frozen=True)
class Undated:
    """A task the chart cannot draw: it has neither a start nor a due date."""

    id: int
    title: str
    group: str
    owner: str
    status: TaskStatus
    number: str = ""


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
    undated: list[Undated] = field(default_factory=list)
    # "01.11.2012–30.11.2015": the project's period, named where a task lies outside it
    period: str = ""

    @property
    def outside(self) -> list[Bar]:
        return [b for b in self.bars if b.outside]

    @property
    def overdue(self) -> list[Bar]:
        """The late stretches of overdue tasks: from the day after the due date to the chart's
        day (its dashed line; at least a day), cut to the window (only those it shows)."""
        late = [
            Bar(
                b.y,
                max(b.end, self.window_start),
                min(max(self.today, b.end + timedelta(days=1)), self.window_end),
                b.hover,
                "overdue",
                task_id=b.task_id,
                overdue_days=b.overdue_days,
            )
            for b in self.bars
            if b.overdue_days
        ]
        return [b for b in late if b.start < b.end]

    @property
    def task_bars(self) -> list[Bar]:
        """Bars of tasks without sub-tasks (drawn in their status's colour)."""
        return [b for b in self.bars if not b.parent]

    @property
    def parent_bars(self) -> list[Bar]:
        """Bars of tasks with sub-tasks (summary bars: their span and progress are computed)."""
        return [b for b in self.bars if b.parent]


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
    if days <= 21:
        # A week or two: every day (»13.5.«), the week under each Monday and the first day.
        day = start
        while day <= end:
            tick = f"{day.day}.{day.month}."
            if day == start or day.weekday() == 0:
                tick += f"<br>uge {week_of(day)}"
            ticks.append((day, tick))
            day += timedelta(days=1)
        return ticks
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


def short_label(text: str, chars: int = LABEL_CHARS) -> str:
    """The text cut to `chars` characters with »…« (the full text is in the hover and table)."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


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


def period_text(start: date | None, end: date | None) -> str:
    """01.11.2012–30.11.2015 (a side left open when the project has no such date)."""
    if start is None and end is None:
        return ""
    return f"{format_date(start) or '…'}–{format_date(end) or '…'}"


def outside_text(period: str) -> str:
    return f"Ligger uden for projektets periode ({period})" if period else OUTSIDE_LABEL


def _task_hover(t: GanttTask, group: str, start: date, end: date, period: str = "") -> str:
    dates = _dates(start, end)
    if t.start is None:
        dates += " – kun slutdato kendt"
    elif t.due is None:
        dates += " – kun startdato kendt"
    lines = [
        f"<b>{label(t.number + ' ' if t.number else '')}{label(t.title)}</b>",
        label(group),
        f"Ansvarlig: {label(t.owner) if t.owner else 'ingen'}",
        dates,
        f"Status: {TASK_STATUS_LABELS[t.status]}, {t.progress} % færdig",
    ]
    if t.children:
        noun = "underopgave" if t.children == 1 else "underopgaver"
        lines.append(f"Overordnet opgave: {PARENT_NOTE} ({t.children} {noun})")
    if t.outside_period:
        lines.append(f"<b>⚠ {outside_text(period)}</b>")
    if t.overdue_days:
        lines.append(f"<b>⚠ {OVERDUE_LABEL}: {days_text(t.overdue_days)} over slutdatoen</b>")
    base = _span(t.baseline_start, t.baseline_due)
    if base and base != (start, end):
        lines.append(f"Godkendt plan: {_dates(*base)}")
    return "<br>".join(lines)


def days_text(days: int) -> str:
    return "1 dag" if days == 1 else f"{days} dage"


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
        period=period_text(data.project_start, data.project_end),
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
            parent = t.children > 0
            model.rows.append(Row(y, t.title, "task", t.id, t.number, t.level, parent))
            task_row[t.id] = y
            task_span[t.id] = span
            hover = _task_hover(t, g.name, *span, period=model.period)
            model.bars.append(
                Bar(
                    y,
                    span[0],
                    span[1],
                    hover,
                    t.status.value,
                    t.outside_period,
                    t.id,
                    parent,
                    t.overdue_days,
                )
            )
            base = _span(t.baseline_start, t.baseline_due)
            if base is not None:
                model.baselines.append(
                    Bar(y, base[0], base[1], f"Godkendt plan: {_dates(*base)}", "baseline")
                )
    model.undated = [
        Undated(t.id, t.title, names.get(t.group_id, UNANCHORED), t.owner, t.status, t.number)
        for t in [*data.undated, *(t for t in data.tasks if t.start is None and t.due is None)]
        if t.group_id in names
    ]
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
