"""The influence/interest grid of the stakeholder analysis, as a pure Plotly figure."""

import math
from collections import defaultdict
from typing import Any

from app.charts import Figure, label
from app.danish import format_date
from app.stakeholders import rules
from app.stakeholders.models import (
    ATTITUDE_LABELS,
    QUADRANT_NAMES,
    STRATEGY_LABELS,
    Attitude,
    Stakeholder,
    StakeholderPosition,
    Strategy,
)

INK = "#1d2430"
# A diverging palette (ColorBrewer RdBu), told apart by shape as well as colour.
ATTITUDE_STYLE = {
    Attitude.opposing: ("#b2182b", "x"),
    Attitude.sceptical: ("#d6604d", "triangle-down"),
    Attitude.neutral: ("#6b6b6b", "circle"),
    Attitude.positive: ("#4393c3", "triangle-up"),
    Attitude.supportive: ("#2166ac", "star"),
}
LOW, HIGH = rules.SCALE_MIN - 0.5, rules.SCALE_MAX + 0.5
# (strategy, x0, x1, y0, y1, fill) — x is interest, y is influence.
QUADRANTS = [
    (Strategy.keep_satisfied, LOW, rules.BORDER, rules.BORDER, HIGH, "#fdf3e7"),
    (Strategy.manage_closely, rules.BORDER, HIGH, rules.BORDER, HIGH, "#e8f1fa"),
    (Strategy.monitor, LOW, rules.BORDER, LOW, rules.BORDER, "#f3f4f6"),
    (Strategy.keep_informed, rules.BORDER, HIGH, LOW, rules.BORDER, "#eef6ee"),
]
SPREAD = 0.28


def _placements(stakeholders: list[Stakeholder]) -> dict[int, tuple[float, float, str]]:
    """Where each point is drawn: stakeholders sharing a cell are spread on a small circle,
    each with its label on the outer side so names do not sit on top of each other."""
    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in stakeholders:
        cells[(s.interest, s.influence)].append(s)
    placed: dict[int, tuple[float, float, str]] = {}
    for (x, y), members in cells.items():
        if len(members) == 1:
            # Long names at the edges lean inwards so they are not cut off.
            side = {rules.SCALE_MIN: " right", rules.SCALE_MAX: " left"}.get(x, " center")
            placed[members[0].id or 0] = (float(x), float(y), "top" + side)
            continue
        for i, s in enumerate(members):
            angle = math.pi / 2 - 2 * math.pi * i / len(members)
            dx, dy = SPREAD * math.cos(angle), SPREAD * math.sin(angle)
            if abs(dy) >= abs(dx):
                side = {rules.SCALE_MIN: " right", rules.SCALE_MAX: " left"}.get(x, " center")
                position = ("top" if dy > 0 else "bottom") + side
            else:
                position = "middle right" if dx > 0 else "middle left"
            placed[s.id or 0] = (round(x + dx, 3), round(y + dy, 3), position)
    return placed


def _quadrant_shapes() -> list[dict[str, Any]]:
    """The four coloured quadrants, then the dotted border lines between them."""
    rects = [
        {
            "type": "rect",
            "x0": x0,
            "x1": x1,
            "y0": y0,
            "y1": y1,
            "fillcolor": fill,
            "line": {"width": 0},
            "layer": "below",
        }
        for _strategy, x0, x1, y0, y1, fill in QUADRANTS
    ]
    dotted = {"color": "#9aa3af", "width": 1, "dash": "dot"}
    border = rules.BORDER
    lines = [
        {"type": "line", "x0": border, "x1": border, "y0": LOW, "y1": HIGH, "line": dotted},
        {"type": "line", "x0": LOW, "x1": HIGH, "y0": border, "y1": border, "line": dotted},
    ]
    return rects + lines


def _quadrant_label(strategy: Strategy, x0: float, x1: float, y1: float) -> dict[str, Any]:
    """The quadrant's name and strategy in its outer top corner."""
    left = x0 < rules.BORDER
    return {
        "x": x0 + 0.08 if left else x1 - 0.08,
        "y": y1 - 0.08,
        "xanchor": "left" if left else "right",
        "yanchor": "top",
        "showarrow": False,
        "align": "left" if left else "right",
        "text": f"<b>{QUADRANT_NAMES[strategy]}</b><br>{STRATEGY_LABELS[strategy]}",
        "font": {"size": 12, "color": "#3b4556"},
        "name": f"quadrant-{strategy.value}",
    }


def _attitude_trace(
    attitude: Attitude,
    members: list[Stakeholder],
    placed: dict[int, tuple[float, float, str]],
) -> dict[str, Any]:
    colour, symbol = ATTITUDE_STYLE[attitude]
    spots = [placed[s.id or 0] for s in members]
    return {
        "type": "scatter",
        "x": [x for x, _, _ in spots],
        "y": [y for _, y, _ in spots],
        "mode": "markers+text",
        "name": ATTITUDE_LABELS[attitude],
        "text": [label(s.name) for s in members],
        "textposition": [position for _, _, position in spots],
        "textfont": {"size": 11, "color": INK},
        "marker": {
            "color": colour,
            "symbol": symbol,
            "size": 14,
            "line": {"color": "#ffffff", "width": 1},
        },
        "customdata": [
            [
                s.influence,
                s.interest,
                ATTITUDE_LABELS[s.attitude],
                rules.strategy_text(rules.strategy_of(s)),
                " (tilpasset)" if s.strategy_override else "",
                s.id,
            ]
            for s in members
        ],
        "hovertemplate": (
            "<b>%{text}</b><br>Indflydelse %{customdata[0]} · "
            "interesse %{customdata[1]}<br>Holdning: %{customdata[2]}<br>"
            "Strategi: %{customdata[3]}%{customdata[4]}<extra></extra>"
        ),
    }


def _moves(
    stakeholders: list[Stakeholder],
    histories: dict[int, list[StakeholderPosition]] | None,
) -> list[tuple[Stakeholder, StakeholderPosition]]:
    """Stakeholders whose latest assessment moved them, each with the position before it."""
    moved = []
    for s in stakeholders:
        rows = (histories or {}).get(s.id or 0, [])
        if len(rows) >= 2 and (rows[-2].interest, rows[-2].influence) != (s.interest, s.influence):
            moved.append((s, rows[-2]))
    return moved


def _earlier_trace(moved: list[tuple[Stakeholder, StakeholderPosition]]) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": [before.interest for _, before in moved],
        "y": [before.influence for _, before in moved],
        "mode": "markers",
        "name": "Tidligere placering",
        "marker": {"color": "#6b7280", "symbol": "circle-open", "size": 11},
        "customdata": [[label(s.name), format_date(before.assessed_date)] for s, before in moved],
        "hovertemplate": "%{customdata[0]} stod her %{customdata[1]}<extra></extra>",
    }


def _arrow(
    s: Stakeholder, before: StakeholderPosition, placed: dict[int, tuple[float, float, str]]
) -> dict[str, Any]:
    """An arrow from where the stakeholder was to where it is drawn now."""
    x, y, _ = placed[s.id or 0]
    return {
        "x": x,
        "y": y,
        "ax": before.interest,
        "ay": before.influence,
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1,
        "arrowwidth": 1.5,
        "arrowcolor": "#6b7280",
        "text": "",
        "standoff": 9,
        "name": f"moved-{s.id}",
    }


def _axis(title: str) -> dict[str, Any]:
    """A 1–5 scale without grid, zero line or tick marks, as plotly.py's template drew it."""
    return {
        "title": {"text": title, "standoff": 15},
        "range": [LOW, HIGH],
        "tickvals": list(range(rules.SCALE_MIN, rules.SCALE_MAX + 1)),
        "ticks": "",
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "automargin": True,
    }


def _layout(shapes: list[dict[str, Any]], annotations: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "shapes": shapes,
        "annotations": annotations,
        "xaxis": _axis("Interesse for reformen (1 = lav, 5 = høj)"),
        "yaxis": _axis("Indflydelse på implementeringen (1 = lav, 5 = høj)"),
        "legend": {"title": {"text": "Holdning"}, "orientation": "h", "y": -0.14, "x": 0},
        "height": 620,
        "margin": {"l": 70, "r": 20, "t": 20, "b": 110},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "font": {
            "family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
            "color": INK,
        },
        "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": INK}, "align": "left"},
        "separators": ",.",
    }


def stakeholder_grid(
    stakeholders: list[Stakeholder],
    histories: dict[int, list[StakeholderPosition]] | None = None,
) -> Figure:
    """Influence (y) against interest (x), one labelled point per stakeholder coloured by
    attitude, the quadrants named in Danish, and an arrow from where a moved stakeholder was."""
    placed = _placements(stakeholders)
    traces = []
    for attitude in Attitude:
        members = [s for s in stakeholders if s.attitude == attitude]
        if members:
            traces.append(_attitude_trace(attitude, members, placed))
    moved = _moves(stakeholders, histories)
    if moved:
        traces.append(_earlier_trace(moved))
    labels = [_quadrant_label(strategy, x0, x1, y1) for strategy, x0, x1, _, y1, _ in QUADRANTS]
    arrows = [_arrow(s, before, placed) for s, before in moved]
    return {"data": traces, "layout": _layout(_quadrant_shapes(), labels + arrows)}
