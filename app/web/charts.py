"""Plotly figures as plain data: a figure is the dict Plotly.js draws ({"data": [...],
"layout": {...}}). Building it with plotly.graph_objects validated every property on every
request and cost more than the rest of the Gantt JSON put together (bench/README.md)."""

import json
from typing import Any

Figure = dict[str, Any]


def page_json(figure: Figure, **config: Any) -> str:
    """The figure for a page: without Plotly's toolbar, whose buttons would be interactive
    content inside the chart's image role (and add nothing a printout needs)."""
    return json.dumps(
        figure | {"config": {"displayModeBar": False, **config}},
        separators=(",", ":"),
        ensure_ascii=False,
    )
