"""The Gantt chart in a real browser (Playwright + Debian's chromium) at 500 and 5,000 tasks in one
project: time from navigation until Plotly has drawn the chart, time to zoom (a relayout to one
month), the figure's JSON size and its number of traces, for the default view and every group
expanded. Writes Markdown and JSON under bench/results/.

    python -m bench.browser
"""

import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import sync_playwright

from app.cli import migrate_database
from app.db import Database
from bench.generator import PASSWORD, generate
from bench.runner import RESULTS, _serve

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DRAWN = (
    "() => { const el = document.querySelector('.chart__plot');"
    " return el && el._fullLayout && el.querySelector('.main-svg') }"
)
ZOOM = """async () => {
  const el = document.querySelector('.chart__plot');
  const t0 = performance.now();
  await window.Plotly.relayout(el, {'xaxis.range': ['2025-10-01', '2025-11-01']});
  await new Promise(r => requestAnimationFrame(() => r()));
  return performance.now() - t0;
}"""


def _database(tasks: int) -> Path:
    path = Path(f"/tmp/perf-gantt-{tasks}.db")
    if not path.exists():
        migrate_database(f"sqlite:///{path}")
        db = Database(f"sqlite:///{path}")
        with db.session() as session:
            generate(session, projects=1, tasks=tasks, reports=False)
        db.dispose()
    return path


def measure(tasks: int, port: int) -> list[dict[str, Any]]:
    db = _database(tasks)
    server = _serve(db, port, Path(f"/tmp/perf-browser-{tasks}.log"))
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        token = httpx.post(
            f"{base}/api/token", data={"username": "projektleder", "password": PASSWORD}
        ).json()["access_token"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"{base}/login")
            page.fill("input[name=username]", "projektleder")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            for view, query in (("default", ""), ("all groups expanded", "?expand=all")):
                started = time.perf_counter()
                answer = httpx.get(
                    f"{base}/api/projects/1/gantt{query}",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=60,
                )
                json_ms = (time.perf_counter() - started) * 1000
                figure = answer.json()
                page.goto(f"{base}/healthz")
                started = time.perf_counter()
                page.goto(f"{base}/projects/1/gantt{query}")
                page.wait_for_function(DRAWN, timeout=60_000)
                drawn_ms = (time.perf_counter() - started) * 1000
                zoom_ms = page.evaluate(ZOOM)
                rows.append(
                    {
                        "tasks": tasks,
                        "view": view,
                        "json_ms": round(json_ms, 1),
                        "json_bytes": len(answer.content),
                        "traces": len(figure.get("data", [])),
                        "drawn_ms": round(drawn_ms, 1),
                        "zoom_ms": round(zoom_ms, 1),
                    }
                )
                print(f"· {rows[-1]}", file=sys.stderr, flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    return rows


def main() -> None:
    rows = []
    for k, tasks in enumerate((500, 5000)):
        rows += measure(tasks, 8350 + k)
    lines = [
        "| tasks | view | JSON ms | JSON bytes | traces | drawn ms | zoom ms |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ] + [
        f"| {r['tasks']} | {r['view']} | {r['json_ms']} | {r['json_bytes']} | {r['traces']} | "
        f"{r['drawn_ms']} | {r['zoom_ms']} |"
        for r in rows
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}-gantt-browser.json").write_text(json.dumps(rows, indent=2))
    (RESULTS / f"{stamp}-gantt-browser.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
