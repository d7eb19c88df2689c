"""Plotly figures of the monitoring. They are drawn from the shown (suppressed) tables, so a
chart never reveals a number the table hides: a suppressed cell is a gap, labelled "<5"."""

from typing import Any

from app.charts import Figure, label
from app.participants.disclosure import shown_value
from app.participants.monitoring import Report, Table

BLUE, GREEN, ORANGE, GREY = "#1f4e8c", "#1e6b35", "#b35900", "#4a5566"


def _axis(title: str | None = None, **settings: Any) -> dict[str, Any]:
    """An axis as plotly.py's default template used to draw it on the white plot: no tick
    marks, no visible grid or zero line, the title 15 px out and room made for the labels."""
    axis = {"ticks": "", "showgrid": False, "zeroline": False, "automargin": True, **settings}
    if title is not None:
        axis["title"] = {"text": title, "standoff": 15}
    return axis


def _layout(title: str, y_title: str) -> dict[str, Any]:
    """The figures' shared layout; a period or outcome label stays a category even if numeric."""
    return {
        "title": {"text": title, "x": 0.05, "font": {"size": 16}},
        "font": {"family": "system-ui, Arial, sans-serif", "size": 13, "color": "#1d2430"},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": _axis(),
        "yaxis": _axis(y_title, showgrid=True, gridcolor="#d5dae1", rangemode="tozero"),
        "separators": ",.",
        "height": 360,
        "hoverlabel": {"align": "left"},
        "autotypenumbers": "strict",
    }


def _column(table: Table, name: str) -> list[str]:
    index = table.columns.index(name)
    return [row[index] for row in table.rows]


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables() if t.key == key)


def _count_bars(name: str, labels: list[str], shown: list[str], colour: str) -> dict[str, Any]:
    return {
        "type": "bar",
        "name": name,
        "x": labels,
        "y": [shown_value(s) for s in shown],
        "text": shown,
        "textposition": "outside",
        "marker": {"color": colour},
        "hovertemplate": "%{x}: %{text}<extra>" + name + "</extra>",
    }


def over_time_figure(report: Report) -> Figure:
    """Started and exited per period (bars) and active at the end of each period (line)."""
    table = _table(report, "over_time")
    labels = _column(table, "Periode")
    active = _column(table, "Aktive ved periodens slut")
    traces = [
        _count_bars("Startet", labels, _column(table, "Startet"), BLUE),
        _count_bars("Afsluttet", labels, _column(table, "Afsluttet"), ORANGE),
        {
            "type": "scatter",
            "name": "Aktive ved periodens slut",
            "x": labels,
            "y": [shown_value(s) for s in active],
            "text": active,
            "mode": "lines+markers",
            "line": {"color": GREEN, "width": 3},
            "hovertemplate": "%{x}: %{text}<extra>Aktive</extra>",
        },
    ]
    layout = _layout("Deltagere over tid", "Antal deltagere") | {"barmode": "group"}
    return {"data": traces, "layout": layout}


def outcomes_figure(report: Report) -> Figure:
    """Exits by outcome (horizontal bars)."""
    table = _table(report, "outcomes")
    rows = [r for r in table.rows if r[0] != "I alt"]
    shown = [r[2] for r in rows]
    bars = {
        "type": "bar",
        "x": [shown_value(s) for s in shown],
        "y": [label(r[0]) for r in rows],  # the scheme's outcome labels, typed by a person
        "orientation": "h",
        "text": shown,
        "textposition": "outside",
        "marker": {"color": [GREEN if r[1] == "Ja" else GREY for r in rows]},
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    layout = _layout("Afslutninger fordelt på status", "")
    layout["xaxis"] = _axis("Antal deltagere", rangemode="tozero")
    layout["yaxis"] |= {"autorange": "reversed"}
    layout["height"] = max(300, 60 + 34 * len(rows))
    return {"data": [bars], "layout": layout}


def _cap_line(cap: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The weekly hours cap across the whole plot, labelled at its right end."""
    line = {
        "type": "line",
        "xref": "x domain",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": cap,
        "y1": cap,
        "line": {"color": ORANGE, "dash": "dash"},
    }
    label = {
        "text": f"{cap} timer",
        "showarrow": False,
        "xref": "x domain",
        "x": 1,
        "xanchor": "right",
        "yref": "y",
        "y": cap,
        "yanchor": "bottom",
    }
    return line, label


def hours_figure(report: Report) -> Figure | None:
    """Average weekly hours over time for the scheme's hours field (None without one)."""
    if not report.hours_label:
        return None
    table = _table(report, "hours")
    average = _column(table, "Gns. timer pr. uge")
    line = {
        "type": "scatter",
        "name": "Gns. timer pr. uge",
        "x": _column(table, "Periode"),
        "y": [shown_value(s) for s in average],
        "text": average,
        "mode": "lines+markers",
        "line": {"color": BLUE, "width": 3},
        "hovertemplate": "%{x}: %{text} timer<extra></extra>",
    }
    layout = _layout(table.title, "Timer pr. uge")
    if report.hours_cap:
        shape, annotation = _cap_line(report.hours_cap)
        layout |= {"shapes": [shape], "annotations": [annotation]}
    return {"data": [line], "layout": layout}
