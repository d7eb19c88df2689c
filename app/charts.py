"""Plotly figures as plain data: a figure is the dict Plotly.js draws ({"data": [...],
"layout": {...}}). Building it with plotly.graph_objects validated every property on every
request and cost more than the rest of the Gantt JSON put together (bench/README.md)."""

import json
from html import escape
from typing import Any

Figure = dict[str, Any]


def label(text: str) -> str:
    """Text a person typed, made safe for a chart: Plotly reads labels and hover texts as a
    little HTML (<a href>, <b>, <br>), so a name must never be able to add a tag."""
    return escape(text, quote=False)


def page_json(figure: Figure, **config: Any) -> str:
    """The figure for a page: without Plotly's toolbar, whose buttons would be interactive
    content inside the chart's image role (and add nothing a printout needs)."""
    return json.dumps(
        figure | {"config": {"displayModeBar": False, **config}},
        separators=(",", ":"),
        ensure_ascii=False,
    )
