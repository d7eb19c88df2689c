"""The Gantt chart as a static SVG, drawn from the same chart model as the interactive figure.

Made here, without a browser or network (no kaleido), so a status report's PDF can carry its
Gantt chart, and an issued report can keep the picture exactly as it was sent. Under the chart a
line names the tasks without dates, which it cannot draw.
"""

import textwrap
from datetime import date
from xml.sax.saxutils import escape

from app.danish import format_date
from app.reports.gantt import (
    BASELINE_COLOUR,
    DEPENDENCY_COLOUR,
    HEALTH_COLOURS,
    MARKER_COLOURS,
    MARKER_LABELS,
    OUTSIDE_COLOUR,
    STATUS_COLOURS,
    SUMMARY_COLOUR,
    TODAY_COLOUR,
    ChartModel,
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


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Scale:
    def __init__(self, model: ChartModel) -> None:
        self.start = model.window_start
        self.days = max((model.window_end - model.window_start).days, 1)
        self.left = LABEL_WIDTH
        self.width = WIDTH - LABEL_WIDTH - RIGHT

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


def svg(model: ChartModel, *, label: str) -> str:
    """The chart as an SVG document (text, Danish labels, a legend that names every colour).
    The dashed line marks `model.today`: a report's status date (its PDF is read long after,
    so "Statusdato", never "I dag")."""
    scale = _Scale(model)
    rows = max(len(model.rows), 1)
    chart_bottom = AXIS_HEIGHT + rows * ROW_HEIGHT
    out: list[str] = []
    for row in model.rows:
        top = _row_y(row.y)
        if row.kind != "task":
            out.append(
                f'<rect x="0" y="{_f(top)}" width="{WIDTH}" height="{ROW_HEIGHT}" fill="#eef1f5"/>'
            )
        weight = ' font-weight="bold"' if row.kind != "task" else ""
        indent = 4 if row.kind != "task" else 12
        out.append(
            f'<text x="{indent}" y="{_f(top + ROW_HEIGHT * 0.68)}"{weight}>'
            f"{escape(short_label(row.label))}</text>"
        )
    for day, text in model.ticks:
        if not scale.inside(day):
            continue
        x = scale.x(day)
        out.append(
            f'<line x1="{_f(x)}" y1="{AXIS_HEIGHT - 4}" x2="{_f(x)}" y2="{chart_bottom}" '
            f'stroke="#d5dae1" stroke-width="0.6"/>'
        )
        for i, line in enumerate(text.split("<br>")):
            out.append(
                f'<text x="{_f(x + 2)}" y="{12 + i * 10}" font-size="7.5">{escape(line)}</text>'
            )
    out.append(
        f'<line x1="{LABEL_WIDTH}" y1="{AXIS_HEIGHT}" x2="{WIDTH - RIGHT}" '
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
    for b in model.bars:
        top = _row_y(b.y)
        bar(
            b.start,
            b.end,
            top + ROW_HEIGHT * 0.2,
            ROW_HEIGHT * 0.52,
            STATUS_COLOURS[TaskStatus(b.key)],
            outside=b.outside,
        )
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
            out.append(
                _diamond(scale.x(p.day), _row_y(p.y) + ROW_HEIGHT / 2, 5, HEALTH_COLOURS[p.key])
            )
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
    legend, legend_bottom = _legend(model, chart_bottom + 22)
    out.extend(legend)
    for line in textwrap.wrap(undated_note(model), NOTE_CHARS):
        legend_bottom += 13
        out.append(f'<text x="4" y="{_f(legend_bottom)}">{escape(line)}</text>')
    height = int(legend_bottom + 8)
    quoted = escape(label, {'"': "&quot;"})
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{quoted}" '
        f'font-family="{FONT}" font-size="8.5" fill="#1d2430">',
        f"<title>{escape(label)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    return "".join(head + out) + "</svg>"


def undated_note(model: ChartModel) -> str:
    """»2 opgaver uden datoer er ikke tegnet: A, B« (at most ten named, then »og N flere«)."""
    count = len(model.undated)
    if not count:
        return ""
    names = ", ".join(f"»{u.title}«" for u in model.undated[:UNDATED_NAMED])
    more = f" og {count - UNDATED_NAMED} flere" if count > UNDATED_NAMED else ""
    noun = "opgave" if count == 1 else "opgaver"
    return f"{count} {noun} uden datoer er ikke tegnet: {names}{more}."


def _cross(cx: float, cy: float) -> str:
    """The mark of a task dated outside the project's period (with the outline: never colour
    alone)."""
    return (
        f'<path d="M{_f(cx - 3)},{_f(cy - 3)} L{_f(cx + 3)},{_f(cy + 3)} '
        f'M{_f(cx - 3)},{_f(cy + 3)} L{_f(cx + 3)},{_f(cy - 3)}" '
        f'stroke="{OUTSIDE_COLOUR}" stroke-width="1.6"/>'
    )


def _legend(model: ChartModel, top: float) -> tuple[list[str], float]:
    items: list[tuple[str, str]] = []
    for status in TaskStatus:
        if any(b.key == status.value for b in model.bars):
            items.append(
                (
                    f'<rect width="12" height="7" y="-6" fill="{STATUS_COLOURS[status]}"/>',
                    TASK_STATUS_LABELS[status],
                )
            )
    if model.outside:
        items.append((_cross(6, -3), outside_text(model.period)))
    if model.summaries:
        items.append(
            (f'<rect width="12" height="5" y="-5" fill="{SUMMARY_COLOUR}"/>', "Gruppe samlet")
        )
    if model.baselines or model.milestone_baselines:
        items.append(
            (f'<rect width="12" height="3" y="-3" fill="{BASELINE_COLOUR}"/>', "Godkendt plan")
        )
    if model.milestones:
        items.append((_diamond(5, -3, 4.5, HEALTH_COLOURS["on_track"]), "Milepæl"))
        items.append((_diamond(5, -3, 4.5, HEALTH_COLOURS["slipping"]), "Milepæl skrider"))
        items.append((_diamond(5, -3, 4.5, HEALTH_COLOURS["overdue"]), "Milepæl overskredet"))
        items.append((_diamond(5, -3, 4.5, HEALTH_COLOURS["reached"]), "Milepæl nået"))
    for kind in ("meeting", "activity", "communication"):
        if any(p.key == kind for p in model.markers):
            items.append((_marker(kind, 5, -3), MARKER_LABELS[kind]))
    out = []
    x, y = 4.0, top
    for symbol, text in items:
        width = 18 + len(text) * 4.6
        if x + width > WIDTH:
            x, y = 4.0, y + 13
        out.append(
            f'<g transform="translate({_f(x)},{_f(y)})">{symbol}'
            f'<text x="16" y="0">{escape(text)}</text></g>'
        )
        x += width + 10
    return out, y
