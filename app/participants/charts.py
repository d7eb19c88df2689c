"""Plotly figures of the monitoring. They are drawn from the shown (suppressed) tables, so a
chart never reveals a number the table hides: a suppressed cell is a gap, labelled "<5"."""

import plotly.graph_objects as go
import plotly.io as pio

from app.participants.monitoring import Report, Table, shown_value

BLUE, GREEN, ORANGE, GREY = "#1f4e8c", "#1e6b35", "#b35900", "#4a5566"


def page_json(fig: go.Figure) -> str:
    """The figure for the page's chart macro, without Plotly's toolbar: its buttons would be
    focusable inside the chart's role="img" (axe: nested-interactive). Plotly's encoder escapes
    "<" and "/", so a label cannot close the script element that carries the JSON."""
    data = fig.to_plotly_json()
    data["config"] = {"displayModeBar": False}
    return pio.to_json(data, validate=False)


def _layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 16}},
        font={"family": "system-ui, Arial, sans-serif", "size": 13, "color": "#1d2430"},
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.2},
        yaxis={"title": {"text": y_title}, "gridcolor": "#d5dae1", "rangemode": "tozero"},
        separators=",.",
        height=360,
    )
    return fig


def _column(table: Table, name: str) -> list[str]:
    index = table.columns.index(name)
    return [row[index] for row in table.rows]


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables() if t.key == key)


def over_time_figure(report: Report) -> go.Figure:
    """Started and exited per period (bars) and active at the end of each period (line)."""
    table = _table(report, "over_time")
    labels = _column(table, "Periode")
    fig = go.Figure()
    for name, column, colour in (("Startet", "Startet", BLUE), ("Afsluttet", "Afsluttet", ORANGE)):
        shown = _column(table, column)
        fig.add_trace(
            go.Bar(
                name=name,
                x=labels,
                y=[shown_value(s) for s in shown],
                text=shown,
                textposition="outside",
                marker_color=colour,
                hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
            )
        )
    active = _column(table, "Aktive ved periodens slut")
    fig.add_trace(
        go.Scatter(
            name="Aktive ved periodens slut",
            x=labels,
            y=[shown_value(s) for s in active],
            text=active,
            mode="lines+markers",
            line={"color": GREEN, "width": 3},
            hovertemplate="%{x}: %{text}<extra>Aktive</extra>",
        )
    )
    fig.update_layout(barmode="group")
    return _layout(fig, "Deltagere over tid", "Antal deltagere")


def outcomes_figure(report: Report) -> go.Figure:
    """Exits by outcome (horizontal bars)."""
    table = _table(report, "outcomes")
    rows = [r for r in table.rows if r[0] != "I alt"]
    shown = [r[2] for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[shown_value(s) for s in shown],
            y=[r[0] for r in rows],
            orientation="h",
            text=shown,
            textposition="outside",
            marker_color=[GREEN if r[1] == "Ja" else GREY for r in rows],
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig = _layout(fig, "Afslutninger fordelt på status", "")
    fig.update_layout(
        xaxis={"title": {"text": "Antal deltagere"}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "automargin": True},
        height=max(300, 60 + 34 * len(rows)),
    )
    return fig


def hours_figure(report: Report) -> go.Figure | None:
    """Average weekly hours over time for the scheme's hours field (None without one)."""
    if not report.hours_label:
        return None
    table = _table(report, "hours")
    labels = _column(table, "Periode")
    average = _column(table, "Gns. timer pr. uge")
    fig = go.Figure(
        go.Scatter(
            name="Gns. timer pr. uge",
            x=labels,
            y=[shown_value(s) for s in average],
            text=average,
            mode="lines+markers",
            line={"color": BLUE, "width": 3},
            hovertemplate="%{x}: %{text} timer<extra></extra>",
        )
    )
    if report.hours_cap:
        fig.add_hline(
            y=report.hours_cap,
            line={"color": ORANGE, "dash": "dash"},
            annotation_text=f"{report.hours_cap} timer",
        )
    return _layout(fig, table.title, "Timer pr. uge")
