"""Figures of the risk register and the success measures: pure functions returning figures."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from app.charts import Figure, label
from app.danish import format_date, format_number
from app.risks import rules
from app.risks.rules import RiskLevel

# Light cell colours with dark text (contrast well above 4.5:1), the same hues as the badges.
LEVEL_COLOURS = {RiskLevel.low: "#cfe8d5", RiskLevel.medium: "#ffe3a3", RiskLevel.high: "#f4b6b0"}
LEVEL_CODES = {RiskLevel.low: 0, RiskLevel.medium: 1, RiskLevel.high: 2}
INK = "#1d2430"
ACCENT = "#1f4e8c"
TARGET = "#a0231b"
FONT = {
    "family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
    "size": 13,
    "color": INK,
}


def _hover(cell: rules.HeatCell) -> str:
    level = rules.RISK_LEVEL_LABELS[cell.level]
    head = (
        f"Sandsynlighed {cell.probability} × konsekvens {cell.consequence} = {cell.score} ({level})"
    )
    if not cell.titles:
        return f"{head}<br>Ingen åbne risici"
    count = "1 risiko" if cell.count == 1 else f"{cell.count} risici"
    # Plotly reads a few HTML tags in hover texts; the titles are shown as written.
    titles = (label(t) for t in cell.titles)
    return f"{head}<br>{count}:<br>" + "<br>".join(f"• {t}" for t in titles)


def _title(text: str) -> dict[str, Any]:
    return {"text": text, "x": 0.05, "font": {"size": 16}}


def _axis(title: str, **settings: Any) -> dict[str, Any]:
    """An axis as plotly.py's default template used to draw it on the white plot: no tick
    marks, no visible grid or zero line, the title 15 px out and room made for the labels."""
    return {
        "title": {"text": title, "standoff": 15},
        "ticks": "",
        "showgrid": False,
        "zeroline": False,
        "automargin": True,
        **settings,
    }


def _colour_scale() -> list[list[Any]]:
    """One flat colour per level code (0, 1, 2), with no gradient between them."""
    low = LEVEL_COLOURS[RiskLevel.low]
    medium = LEVEL_COLOURS[RiskLevel.medium]
    high = LEVEL_COLOURS[RiskLevel.high]
    return [
        [0, low],
        [1 / 3, low],
        [1 / 3, medium],
        [2 / 3, medium],
        [2 / 3, high],
        [1, high],
    ]


def heatmap_figure(risks: Iterable[rules.RiskLike]) -> Figure:
    """5×5 matrix of open risks: probability up, consequence across, cells coloured by level,
    the number of risks in each cell, and their titles on hover."""
    grid = rules.heat_matrix(risks)
    scale = list(rules.SCALE)
    heat = {
        "type": "heatmap",
        "x": scale,
        "y": scale,
        "z": [[LEVEL_CODES[cell.level] for cell in row] for row in grid],
        "text": [[str(cell.count) if cell.count else "" for cell in row] for row in grid],
        "customdata": [[cell.count for cell in row] for row in grid],
        "hovertext": [[_hover(cell) for cell in row] for row in grid],
        "texttemplate": "%{text}",
        "textfont": {"size": 18, "color": INK},
        "hovertemplate": "%{hovertext}<extra></extra>",
        "colorscale": _colour_scale(),
        "zmin": -0.5,
        "zmax": 2.5,
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
        "name": "Åbne risici",
    }
    layout = {
        "title": _title("Åbne risici: sandsynlighed × konsekvens"),
        "xaxis": _axis("Konsekvens (1 = lille, 5 = meget stor)", tickvals=scale, fixedrange=True),
        "yaxis": _axis("Sandsynlighed (1–5)", tickvals=scale, fixedrange=True),
        "margin": {"l": 60, "r": 20, "t": 60, "b": 60},
        "height": 420,
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
    }
    return {"data": [heat], "layout": layout}


def _number(value: Decimal) -> str:
    decimals = max(0, -int(value.normalize().as_tuple().exponent))
    return format_number(value, min(decimals, 3))


def _target_trace(
    target_value: Decimal, target_date: date | None, start: date, last: date, unit_text: str
) -> dict[str, Any]:
    """The target as a dashed line from the baseline to the target date (or the last point)."""
    end = max(target_date or last, last)
    label = f"Mål: {_number(target_value)}{unit_text}"
    if target_date is not None:
        label += f" senest {format_date(target_date)}"
    return {
        "type": "scatter",
        "x": [start.isoformat(), end.isoformat()],
        "y": [float(target_value), float(target_value)],
        "mode": "lines",
        "name": label,
        "line": {"color": TARGET, "width": 2, "dash": "dash"},
        "hovertemplate": f"{label}<extra></extra>",
    }


def indicator_figure(
    *,
    name: str,
    unit: str,
    baseline_value: Decimal | None,
    baseline_date: date,
    target_value: Decimal | None,
    target_date: date | None,
    measurements: Sequence[tuple[date, Decimal]],
) -> Figure:
    """An indicator's measurements over time from its baseline, with its target as a dashed line."""
    name, unit = label(name), label(unit)
    unit_text = f" {unit}" if unit else ""
    points = sorted(measurements)
    xs = [d.isoformat() for d, _ in points]
    ys = [float(v) for _, v in points]
    labels = [f"{format_date(d)}: {_number(v)}{unit_text}" for d, v in points]
    if baseline_value is not None:
        xs.insert(0, baseline_date.isoformat())
        ys.insert(0, float(baseline_value))
        labels.insert(
            0, f"Basis {format_date(baseline_date)}: {_number(baseline_value)}{unit_text}"
        )
    traces = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines+markers",
            "name": "Målt",
            "line": {"color": ACCENT, "width": 3},
            "marker": {"size": 8},
            "hovertext": labels,
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    ]
    if target_value is not None:
        last = max([baseline_date, *(d for d, _ in points)])
        traces.append(_target_trace(target_value, target_date, baseline_date, last, unit_text))
    layout = {
        "title": _title(name),
        "xaxis": _axis("Dato", tickformat="%d.%m.%Y"),
        "yaxis": _axis(unit or "Værdi", rangemode="tozero", separatethousands=True),
        "legend": {"orientation": "h", "y": -0.25},
        "margin": {"l": 70, "r": 20, "t": 50, "b": 80},
        "height": 380,
        "font": FONT,
        "separators": ",.",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
    }
    return {"data": traces, "layout": layout}


class StatusLike(Protocol):
    @property
    def indicator(self) -> Any: ...

    @property
    def measurements(self) -> Sequence[Any]: ...


def indicator_status_figure(status: StatusLike) -> Figure:
    """The figure of an indicator with its measurements (see `indicator_figure`)."""
    i = status.indicator
    return indicator_figure(
        name=i.name,
        unit=i.unit,
        baseline_value=i.baseline_value,
        baseline_date=i.baseline_date,
        target_value=i.target_value,
        target_date=i.target_date,
        measurements=[(m.measured_date, m.value) for m in status.measurements],
    )
