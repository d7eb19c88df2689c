"""The burn chart of a grant: cumulative spending against the cumulative budget over the
eligibility period, the forecast at the current pace, and the grant as a ceiling."""

from datetime import date
from typing import Any

from app.budget.overview import Burn
from app.charts import Figure
from app.danish import format_date, format_kr

BUDGET_COLOUR = "#4a5566"
ACTUAL_COLOUR = "#1f4e8c"
FORECAST_COLOUR = "#a0231b"
GRANT_COLOUR = "#1e6b35"
# What plotly.py's default template gave the axes, stated here (the figure is plain data).
AXIS = {"gridcolor": "#e3e7ec", "ticks": "", "zeroline": False, "automargin": True}


def _kr(ore: int) -> float:
    """Plot coordinates only: the figures shown to people are formatted from øre."""
    return ore / 100


def _trace(
    points: list[tuple[date, int]], name: str, colour: str, dash: str, shape: str = "linear"
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": [d.isoformat() for d, _ in points],
        "y": [_kr(v) for _, v in points],
        "customdata": [f"{format_date(d)}: {format_kr(v)}" for d, v in points],
        "hovertemplate": "%{customdata}<extra>" + name + "</extra>",
        "mode": "lines+markers" if len(points) < 40 else "lines",
        "name": name,
        "line": {
            "color": colour,
            "dash": dash,
            "width": 3 if dash == "solid" else 2,
            "shape": shape,
        },
    }


def burn_chart(burn: Burn) -> Figure:
    """Cumulative budget, actual spending (step line), forecast and the grant over the period."""
    traces = [_trace(burn.budget_points, "Budget (akkumuleret)", BUDGET_COLOUR, "dot")]
    if burn.actual_points:
        traces.append(
            _trace(
                burn.actual_points,
                "Forbrug inkl. disponeret (akkumuleret)",
                ACTUAL_COLOUR,
                "solid",
                shape="hv",
            )
        )
    if burn.forecast_points:
        traces.append(
            _trace(burn.forecast_points, "Prognose ved nuværende tempo", FORECAST_COLOUR, "dash")
        )
    traces.append(
        _trace(
            [(burn.first_date, burn.granted_ore), (burn.last_date, burn.granted_ore)],
            "Tilskud i alt",
            GRANT_COLOUR,
            "longdash",
        )
    )
    shapes, annotations = [], []
    if burn.first_date <= burn.as_of <= burn.last_date:
        today = burn.as_of.isoformat()
        shapes.append(
            {
                "type": "line",
                "x0": today,
                "x1": today,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": "#1d2430", "width": 1},
            }
        )
        annotations.append(
            {
                "x": today,
                "y": 1,
                "yref": "paper",
                "showarrow": False,
                "text": f"Status {format_date(burn.as_of)}",
                "yanchor": "bottom",
            }
        )
    layout = {
        "separators": ",.",
        "margin": {"l": 70, "r": 20, "t": 30, "b": 40},
        "height": 380,
        "legend": {"orientation": "h", "y": -0.18},
        "hoverlabel": {"align": "left"},
        "xaxis": {
            "title": {"text": "Tilskudsperiode"},
            "tickformat": "%d.%m.%Y",
            "range": [burn.first_date.isoformat(), burn.last_date.isoformat()],
            **AXIS,
        },
        "yaxis": {"title": {"text": "kr."}, "tickformat": ",.0f", "rangemode": "tozero", **AXIS},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "shapes": shapes,
        "annotations": annotations,
    }
    return {"data": traces, "layout": layout}
