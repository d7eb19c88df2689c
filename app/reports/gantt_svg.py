"""The Gantt chart as a static SVG, drawn from the same chart model as the interactive figure.

Made here, without a browser or network (no kaleido), so a status report's PDF can carry its
Gantt chart, and an issued report can keep the picture exactly as it was sent. Under the chart a
line names the tasks without dates, which it cannot draw.
"""

import textwrap
from dataclasses import dataclass, replace
from datetime import date
from xml.sax.saxutils import escape

from app.danish import format_date
from app.reports.gantt import (
    BASELINE_COLOUR,
    DEPENDENCY_COLOUR,
    HEALTH_COLOURS,
    HEALTH_NAMES,
    MARKER_COLOURS,
    MARKER_LABELS,
    OUTSIDE_COLOUR,
    OVERDUE_COLOUR,
    OVERDUE_LABEL,
    PARENT_LABEL,
    STATUS_COLOURS,
    SUMMARY_COLOUR,
    TODAY_COLOUR,
    ChartModel,
    Row,
    outside_text,
    short_label,
)
from app.workstreams.models import TASK_STATUS_LABELS, TaskStatus

WIDTH = 760
LABEL_WIDTH = 220
RIGHT = 8
AXIS_HEIGHT = 34
ROW_HEIGHT = 16
FONT = "DejaVu Sans, Arial, sans-serif"
UNDATED_NAMED = 10
NOTE_CHARS = 150
INDENT = 8  # per level of a sub-task's label
# Width of a character of a label (DejaVu Sans, 8.5 units, bold included), generously.
CHAR_WIDTH = 4.6


# Printing on landscape pages: the SVG's units drawn this much larger than CSS pixels (8.5 units
# of text print at about 7.3 pt), with the page's margins and the room a page's heading takes.
PRINT_SCALE = 1.15
MM = 96 / 25.4  # CSS pixels per millimetre
MARGIN_MM = (14, 12, 14, 12)  # top, right, bottom, left
HEAD_MM = 20
# Room a page's SVG needs besides its rows: the axis, the status day's label, up to three lines
# of legend and the note about tasks without dates.
CHROME = AXIS_HEIGHT + 22 + 3 * 13 + 8 + 2 * 13


@dataclass(frozen=True)
class Paper:
    """A landscape page the chart is printed on, and the size of the chart's parts on it."""

    key: str  # a4, a3
    name: str  # A4, A3
    width_mm: int
    height_mm: int

    @property
    def svg_width(self) -> int:
        return int((self.width_mm - MARGIN_MM[1] - MARGIN_MM[3]) * MM / PRINT_SCALE)

    @property
    def label_width(self) -> int:
        """Two fifths of the width: titles up to ~75 characters whole on A4, ~110 on A3."""
        return self.svg_width * 2 // 5

    @property
    def rows_per_page(self) -> int:
        height = (self.height_mm - MARGIN_MM[0] - MARGIN_MM[2] - HEAD_MM) * MM / PRINT_SCALE
        return int((height - CHROME) / ROW_HEIGHT)


PAPERS = {"a4": Paper("a4", "A4", 297, 210), "a3": Paper("a3", "A3", 420, 297)}


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Scale:
    def __init__(self, model: ChartModel, width: int, label_width: int) -> None:
        self.start = model.window_start
        self.days = max((model.window_end - model.window_start).days, 1)
        self.left = label_width
        self.width = width - label_width - RIGHT

    def x(self, day: date) -> float:
        offset = min(max((day - self.start).days, 0), self.days)
        return self.left + self.width * offset / self.days

    def inside(self, day: date) -> bool:
        return 0 <= (day - self.start).days <= self.days


def _row_y(y: int) -> float:
    return AXIS_HEIGHT + y * ROW_HEIGHT


def _diamond(
    cx: float, cy: float, r: float, fill: str, stroke: str = "#ffffff", width: float = 0.8
) -> str:
    points = (
        f"{_f(cx)},{_f(cy - r)} {_f(cx + r)},{_f(cy)} {_f(cx)},{_f(cy + r)} {_f(cx - r)},{_f(cy)}"
    )
    return (
        f'<polygon points="{points}" fill="{fill}" stroke="{stroke}" stroke-width="{_f(width)}"/>'
    )


def _milestone(health: str, cx: float, cy: float, r: float) -> str:
    """A milestone's diamond in its health's colour; a late one carries a white cross (slipping
    +, overdue ×), so lateness is told by shape as well as colour."""
    out = _diamond(cx, cy, r, HEALTH_COLOURS[health])
    d = r * 0.45
    if health == "slipping":
        path = (
            f"M{_f(cx - d)},{_f(cy)} L{_f(cx + d)},{_f(cy)} "
            f"M{_f(cx)},{_f(cy - d)} L{_f(cx)},{_f(cy + d)}"
        )
    elif health == "overdue":
        path = (
            f"M{_f(cx - d)},{_f(cy - d)} L{_f(cx + d)},{_f(cy + d)} "
            f"M{_f(cx - d)},{_f(cy + d)} L{_f(cx + d)},{_f(cy - d)}"
        )
    else:
        return out
    return out + f'<path d="{path}" stroke="#ffffff" stroke-width="1.3"/>'


def _hatch(x: float, y: float, w: float, h: float) -> str:
    """The late stretch of an overdue task: outlined and hatched (drawn lines, not an SVG
    pattern, so every PDF renderer draws it)."""
    lines = [
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" fill="#ffffff" '
        f'stroke="{OVERDUE_COLOUR}" stroke-width="0.9"/>'
    ]
    step = 4.0
    k = 0.0
    path = []
    while k < w + h:
        x0, y0 = x + min(k, w), y + max(0.0, k - w)
        x1, y1 = x + max(0.0, k - h), y + min(k, h)
        path.append(f"M{_f(x0)},{_f(y0)} L{_f(x1)},{_f(y1)}")
        k += step
    lines.append(f'<path d="{" ".join(path)}" stroke="{OVERDUE_COLOUR}" stroke-width="0.7"/>')
    return "".join(lines)


def _marker(kind: str, cx: float, cy: float) -> str:
    colour = MARKER_COLOURS[kind]
    if kind == "meeting":
        return (
            f'<polygon points="{_f(cx - 4.5)},{_f(cy - 4)} {_f(cx + 4.5)},{_f(cy - 4)} '
            f'{_f(cx)},{_f(cy + 4)}" fill="{colour}"/>'
        )
    if kind == "activity":
        return (
            f'<polygon points="{_f(cx)},{_f(cy - 5)} {_f(cx + 1.5)},{_f(cy - 1.5)} '
            f"{_f(cx + 5)},{_f(cy - 1.5)} {_f(cx + 2.2)},{_f(cy + 1)} {_f(cx + 3.2)},"
            f"{_f(cy + 5)} {_f(cx)},{_f(cy + 2.6)} {_f(cx - 3.2)},{_f(cy + 5)} "
            f"{_f(cx - 2.2)},{_f(cy + 1)} {_f(cx - 5)},{_f(cy - 1.5)} {_f(cx - 1.5)},"
            f'{_f(cy - 1.5)}" fill="{colour}"/>'
        )
    return f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="3.6" fill="{colour}"/>'


def label_chars(label_width: int, indent: float = 12) -> int:
    """How many characters of a label fit in the label column (DejaVu Sans at 8.5, bold)."""
    return max(int((label_width - indent - 6) / CHAR_WIDTH), 12)


def svg(
    model: ChartModel,
    *,
    label: str,
    width: int = WIDTH,
    label_width: int = LABEL_WIDTH,
    note: bool = True,
) -> str:
    """The chart as an SVG document (text, Danish labels, a legend that names every colour).
    The dashed line marks `model.today`: a report's status date (its PDF is read long after,
    so "Statusdato", never "I dag"). A wider `label_width` leaves long titles whole; `note`
    names the tasks without dates under the chart."""
    scale = _Scale(model, width, label_width)
    rows = max(len(model.rows), 1)
    chart_bottom = AXIS_HEIGHT + rows * ROW_HEIGHT
    out: list[str] = []
    for row in model.rows:
        top = _row_y(row.y)
        if row.kind != "task":
            out.append(
                f'<rect x="0" y="{_f(top)}" width="{width}" height="{ROW_HEIGHT}" fill="#eef1f5"/>'
            )
        weight = ' font-weight="bold"' if row.kind != "task" or row.parent else ""
        indent = 4 if row.kind != "task" else 12 + INDENT * max(row.level - 1, 0)
        out.append(
            f'<text x="{indent}" y="{_f(top + ROW_HEIGHT * 0.68)}"{weight}>'
            f"{escape(short_label(row.text, label_chars(label_width, indent)))}</text>"
        )
    for day, text in model.ticks:
        if not scale.inside(day):
            continue
        x = scale.x(day)
        out.append(
            f'<line x1="{_f(x)}" y1="{AXIS_HEIGHT - 4}" x2="{_f(x)}" y2="{chart_bottom}" '
            f'stroke="#d5dae1" stroke-width="0.6"/>'
        )
        # A tick near the right edge is written leftwards of its line, so it is not cut off.
        at = f'x="{_f(x - 2)}" text-anchor="end"' if x > width - RIGHT - 40 else f'x="{_f(x + 2)}"'
        for i, line in enumerate(text.split("<br>")):
            out.append(f'<text {at} y="{12 + i * 10}" font-size="7.5">{escape(line)}</text>')
    out.append(
        f'<line x1="{label_width}" y1="{AXIS_HEIGHT}" x2="{width - RIGHT}" '
        f'y2="{AXIS_HEIGHT}" stroke="#7b8594" stroke-width="0.8"/>'
    )

    def bar(
        b_start: date,
        b_end: date,
        y: float,
        h: float,
        fill: str,
        opacity: float = 1,
        outside: bool = False,
    ) -> None:
        if b_end <= model.window_start or b_start >= model.window_end:
            return
        x0, x1 = scale.x(b_start), scale.x(b_end)
        stroke = f' stroke="{OUTSIDE_COLOUR}" stroke-width="1.4"' if outside else ""
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(y)}" width="{_f(max(x1 - x0, 1.5))}" '
            f'height="{_f(h)}" fill="{fill}" fill-opacity="{_f(opacity)}"{stroke}/>'
        )
        if outside:
            out.append(_cross(x1 + 5, y + h / 2))

    for b in model.baselines:
        top = _row_y(b.y)
        bar(b.start, b.end, top + ROW_HEIGHT * 0.74, ROW_HEIGHT * 0.18, BASELINE_COLOUR, 0.9)
    for b in model.summaries:
        top = _row_y(b.y)
        bar(b.start, b.end, top + ROW_HEIGHT * 0.33, ROW_HEIGHT * 0.34, SUMMARY_COLOUR, 0.85)
    for b in model.parent_bars:
        top = _row_y(b.y)
        bar(b.start, b.end, top + ROW_HEIGHT * 0.3, ROW_HEIGHT * 0.26, SUMMARY_COLOUR)
        for day in (b.start, b.end):
            if model.window_start <= day <= model.window_end:
                out.append(_cap(scale.x(day), top + ROW_HEIGHT * 0.3, right=day == b.end))
    for b in model.task_bars:
        top = _row_y(b.y)
        bar(
            b.start,
            b.end,
            top + ROW_HEIGHT * 0.2,
            ROW_HEIGHT * 0.52,
            STATUS_COLOURS[TaskStatus(b.key)],
            outside=b.outside,
        )
    for b in model.overdue:
        top = _row_y(b.y)
        x0, x1 = scale.x(b.start), scale.x(b.end)
        out.append(_hatch(x0, top + ROW_HEIGHT * 0.2, max(x1 - x0, 2), ROW_HEIGHT * 0.52))
    for x0d, y0, x1d, y1 in model.dependencies:
        if not (scale.inside(x0d) and scale.inside(x1d)):
            continue
        out.append(
            f'<line x1="{_f(scale.x(x0d))}" y1="{_f(_row_y(y0) + ROW_HEIGHT / 2)}" '
            f'x2="{_f(scale.x(x1d))}" y2="{_f(_row_y(y1) + ROW_HEIGHT / 2)}" '
            f'stroke="{DEPENDENCY_COLOUR}" stroke-width="0.7" stroke-dasharray="2,2"/>'
        )
    for p in model.milestone_baselines:
        if scale.inside(p.day):
            out.append(
                _diamond(
                    scale.x(p.day), _row_y(p.y) + ROW_HEIGHT / 2, 4.5, "none", BASELINE_COLOUR, 1.4
                )
            )
    for p in model.markers:
        if scale.inside(p.day):
            out.append(_marker(p.key, scale.x(p.day), _row_y(p.y) + ROW_HEIGHT / 2))
    for p in model.milestones:
        if scale.inside(p.day):
            out.append(_milestone(p.key, scale.x(p.day), _row_y(p.y) + ROW_HEIGHT / 2, 5.5))
    if model.window_start <= model.today < model.window_end:
        x = scale.x(model.today)
        out.append(
            f'<line x1="{_f(x)}" y1="{AXIS_HEIGHT}" x2="{_f(x)}" y2="{chart_bottom}" '
            f'stroke="{TODAY_COLOUR}" stroke-width="1.2" stroke-dasharray="4,3"/>'
        )
        out.append(
            f'<text x="{_f(x + 2)}" y="{chart_bottom + 9}" fill="{TODAY_COLOUR}" '
            f'font-size="7.5">Statusdato {format_date(model.today)}</text>'
        )
    legend, legend_bottom = _legend(model, chart_bottom + 22, width)
    out.extend(legend)
    for line in textwrap.wrap(undated_note(model) if note else "", NOTE_CHARS):
        legend_bottom += 13
        out.append(f'<text x="4" y="{_f(legend_bottom)}">{escape(line)}</text>')
    height = int(legend_bottom + 8)
    quoted = escape(label, {'"': "&quot;"})
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{quoted}" '
        f'font-family="{FONT}" font-size="8.5" fill="#1d2430">',
        f"<title>{escape(label)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    return "".join(head + out) + "</svg>"


def split(model: ChartModel, rows_per_page: int) -> list[ChartModel]:
    """The chart's rows in parts of at most `rows_per_page`, each a chart model of its own with
    the same window, ticks and today line. A part that begins inside a group starts with the
    group's name »(fortsat)«; a group's name is never the last row of a part when its tasks
    follow on the next. A dependency between two parts is left out (both tasks say their dates)."""
    capacity = max(rows_per_page, 2)
    parts: list[list[Row]] = []
    current: list[Row] = []
    group: Row | None = None
    for row in model.rows:
        if len(current) >= capacity:
            moved = [current.pop()] if current[-1].kind != "task" and row.kind == "task" else []
            parts.append(current)
            current = moved
            if not moved and row.kind == "task" and group is not None:
                current = [Row(-1, f"{group.label} (fortsat)", "group")]
        current.append(row)
        if row.kind != "task":
            group = row
    if current or not parts:
        parts.append(current)
    models = []
    for rows in parts:
        at = {r.y: i for i, r in enumerate(rows) if r.y >= 0}
        models.append(
            replace(
                model,
                rows=[replace(r, y=i) for i, r in enumerate(rows)],
                bars=[replace(b, y=at[b.y]) for b in model.bars if b.y in at],
                summaries=[replace(b, y=at[b.y]) for b in model.summaries if b.y in at],
                baselines=[replace(b, y=at[b.y]) for b in model.baselines if b.y in at],
                milestones=[replace(p, y=at[p.y]) for p in model.milestones if p.y in at],
                milestone_baselines=[
                    replace(p, y=at[p.y]) for p in model.milestone_baselines if p.y in at
                ],
                markers=[replace(p, y=at[p.y]) for p in model.markers if p.y in at],
                dependencies=[
                    (x0, at[y0], x1, at[y1])
                    for x0, y0, x1, y1 in model.dependencies
                    if y0 in at and y1 in at
                ],
            )
        )
    return models


def pages(
    model: ChartModel,
    *,
    label: str,
    rows_per_page: int,
    width: int = WIDTH,
    label_width: int = LABEL_WIDTH,
) -> list[str]:
    """The chart drawn in page-sized parts (`split`): one SVG per page, each with the time
    axis, the status day and a legend of what it shows; the tasks without dates are named
    under the last."""
    parts = split(model, rows_per_page)
    return [
        svg(
            part,
            label=label if len(parts) == 1 else f"{label}, del {i} af {len(parts)}",
            width=width,
            label_width=label_width,
            note=i == len(parts),
        )
        for i, part in enumerate(parts, 1)
    ]


def undated_note(model: ChartModel) -> str:
    """»2 opgaver uden datoer er ikke tegnet: A, B« (at most ten named, then »og N flere«)."""
    count = len(model.undated)
    if not count:
        return ""
    names = ", ".join(f"»{u.title}«" for u in model.undated[:UNDATED_NAMED])
    more = f" og {count - UNDATED_NAMED} flere" if count > UNDATED_NAMED else ""
    noun = "opgave" if count == 1 else "opgaver"
    return f"{count} {noun} uden datoer er ikke tegnet: {names}{more}."


def _cap(x: float, top: float, *, right: bool) -> str:
    """The end mark of a parent task's summary bar: a small wedge pointing down."""
    inner = x - 5 if right else x + 5
    return (
        f'<polygon points="{_f(x)},{_f(top)} {_f(inner)},{_f(top)} {_f(x)},{_f(top + 9)}" '
        f'fill="{SUMMARY_COLOUR}"/>'
    )


def _cross(cx: float, cy: float) -> str:
    """The mark of a task dated outside the project's period (with the outline: never colour
    alone)."""
    return (
        f'<path d="M{_f(cx - 3)},{_f(cy - 3)} L{_f(cx + 3)},{_f(cy + 3)} '
        f'M{_f(cx - 3)},{_f(cy + 3)} L{_f(cx + 3)},{_f(cy - 3)}" '
        f'stroke="{OUTSIDE_COLOUR}" stroke-width="1.6"/>'
    )


def _legend(model: ChartModel, top: float, width: int) -> tuple[list[str], float]:
    items: list[tuple[str, str]] = []
    for status in TaskStatus:
        if any(b.key == status.value for b in model.task_bars):
            items.append(
                (
                    f'<rect width="12" height="7" y="-6" fill="{STATUS_COLOURS[status]}"/>',
                    TASK_STATUS_LABELS[status],
                )
            )
    if model.overdue:
        items.append((_hatch(0, -7, 12, 8), OVERDUE_LABEL))
    if model.outside:
        items.append((_cross(6, -3), outside_text(model.period)))
    if model.parent_bars:
        items.append(
            (
                f'<rect width="12" height="4" y="-6" fill="{SUMMARY_COLOUR}"/>'
                + _cap(0, -6, right=False)
                + _cap(12, -6, right=True),
                PARENT_LABEL,
            )
        )
    if model.summaries:
        items.append(
            (f'<rect width="12" height="5" y="-5" fill="{SUMMARY_COLOUR}"/>', "Gruppe samlet")
        )
    if model.baselines or model.milestone_baselines:
        items.append(
            (f'<rect width="12" height="3" y="-3" fill="{BASELINE_COLOUR}"/>', "Godkendt plan")
        )
    for health, name in HEALTH_NAMES.items():
        if any(p.key == health for p in model.milestones):
            items.append((_milestone(health, 5, -3, 5), name))
    for kind in ("meeting", "activity", "communication"):
        if any(p.key == kind for p in model.markers):
            items.append((_marker(kind, 5, -3), MARKER_LABELS[kind]))
    out = []
    x, y = 4.0, top
    for symbol, text in items:
        item_width = 18 + len(text) * 4.6
        if x + item_width > width:
            x, y = 4.0, y + 13
        out.append(
            f'<g transform="translate({_f(x)},{_f(y)})">{symbol}'
            f'<text x="16" y="0">{escape(text)}</text></g>'
        )
        x += item_width + 10
    return out, y
