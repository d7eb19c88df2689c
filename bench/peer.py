"""Reformstyr next to Redmine, measured in one run on this machine (issue 24):

    ../shared/peer-redmine/setup.sh start      # Debian's Redmine 5.0, SQLite, Puma, :3080
    python -m bench.peer --sizes 250 3000

Builds Reformstyr projects of the peer's sizes (one project of 250 and one of 3,000 tasks,
bench/generator.py), serves each as `reformstyr serve` does (one worker each here, like Puma's
one process), and measures each pair interleaved — one Redmine request, then one of ours, N
times — so both see the same machine: the list page (Redmine's issue list, 25 rows / our group
page), the JSON list of 100, the Gantt (Redmine's HTML / our page and our data with every bar),
a PDF (Redmine's Gantt PDF / our draft status report), and throughput at 10 connections on the
list page and the JSON list (`wrk` when installed, else an asyncio client). Without a running
Redmine (no /tmp/peer-redmine/api-key) only our side is measured and the ratios are left empty.
The table goes to bench/results/<stamp>-peer.md and stdout.
"""

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.generator import PASSWORD
from bench.runner import RESULTS, _serve

STATE = Path(os.environ.get("PEER_REDMINE_STATE", "/tmp/peer-redmine"))
REDMINE = f"http://127.0.0.1:{os.environ.get('PEER_REDMINE_PORT', '3080')}"
PEER_PROJECT = {250: "peer-a", 3000: "peer-b"}
GANTT_RANGE = "year=2012&month=11&months=37"


class Side:
    """One server and how to ask it for each measured thing."""

    def __init__(self, base: str, headers: dict[str, str], paths: dict[str, str]) -> None:
        self.base, self.headers, self.paths = base, headers, paths
        self.client = httpx.Client(base_url=base, headers=headers, timeout=600)

    def once(self, what: str) -> tuple[float, int]:
        started = time.perf_counter()
        answer = self.client.get(self.paths[what])
        seconds = time.perf_counter() - started
        answer.raise_for_status()
        return seconds, answer.num_bytes_downloaded  # as sent (compressed where it is)


def _redmine_session(key: str) -> dict[str, str]:
    """Redmine takes its API key for JSON only; its pages need a signed-in session (the cookie
    its login form sets, as measure.sh does)."""
    with httpx.Client(base_url=REDMINE, timeout=60) as client:
        form = client.get("/login").text
        token = re.search(r'name="authenticity_token" value="([^"]*)"', form)
        client.post(
            "/login",
            data={
                "authenticity_token": token.group(1) if token else "",
                "username": "admin",
                "password": (STATE / "admin-password").read_text().strip(),
            },
        )
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    return {"X-Redmine-API-Key": key, "Cookie": cookies}


def _gantt_limit(items: int) -> None:
    """Redmine draws at most Setting.gantt_items_limit issues (500 by default): raised so its
    Gantt draws every issue, as our schedule answers every task."""
    subprocess.run(
        ["bin/rails", "runner", f"Setting.gantt_items_limit = {items}"],
        cwd="/usr/share/redmine",
        env=os.environ
        | {
            "RAILS_ENV": "production",
            "DATABASE_URL": f"sqlite3:{STATE}/redmine.sqlite3?timeout=5000",  # as setup.sh
        },
        capture_output=True,
        check=False,
    )


def _redmine(size: int) -> Side | None:
    key = STATE / "api-key"
    if not key.exists():
        return None
    project = PEER_PROJECT[size]
    try:
        headers = _redmine_session(key.read_text().strip())
    except httpx.HTTPError:
        return None
    side = Side(
        REDMINE,
        headers,
        {
            "list page": f"/projects/{project}/issues?per_page=25",
            "JSON list of 100": f"/projects/{project}/issues.json?limit=100",
            "Gantt page": f"/projects/{project}/issues/gantt?{GANTT_RANGE}",
            "Gantt data": f"/projects/{project}/issues/gantt?{GANTT_RANGE}",
            "PDF": f"/projects/{project}/issues/gantt.pdf?{GANTT_RANGE}",
        },
    )
    page = side.client.get(side.paths["list page"])
    if page.status_code != 200 or 'id="issue-' not in page.text:
        return None  # not signed in: the pages would be measured as the sign-in form
    return side


def _database(size: int) -> Path:
    db = Path(f"/tmp/perf-peer-{size}.db")
    if not db.exists():
        subprocess.run(
            [sys.executable, "-m", "bench.generator", "--db", str(db), "--projects", "1"]
            + ["--tasks", str(size)],
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
            env=os.environ,
        )
    return db


def _ours(port: int, size: int) -> Side:
    base = f"http://127.0.0.1:{port}"
    token = httpx.post(
        f"{base}/api/token", data={"username": "projektleder", "password": PASSWORD}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip, br"}
    client = httpx.Client(base_url=base, headers=headers, timeout=600)
    project = client.get("/api/projects").json()[0]["id"]
    page = client.get(f"/projects/{project}").text
    group = re.search(rf"/projects/{project}/groups/(\d+)", page)
    draft = client.post(
        f"/api/projects/{project}/status-reports",
        json={
            "period_start_date": "2025-10-01",
            "period_end_date": "2025-12-31",
            "report_date": "2025-10-01",
            "next_period_end_date": "2026-03-31",
        },
    )
    reports = client.get(f"/api/projects/{project}/status-reports").json()
    report = draft.json()["id"] if draft.status_code == 201 else reports[-1]["id"]
    return Side(
        base,
        headers,
        {
            "list page": f"/projects/{project}/groups/{group.group(1) if group else 0}",
            "JSON list of 100": f"/api/projects/{project}/tasks?limit=100",
            "Gantt page": f"/projects/{project}/gantt?expand=all",
            # Every task and milestone with ids, dates, hierarchy, dependencies (the page's
            # Plotly figure draws at most gantt_data.DETAIL_LIMIT bars).
            "Gantt data": f"/api/projects/{project}/schedule",
            "PDF": f"/projects/{project}/reports/{report}.pdf",
        },
    )


async def _throughput(side: Side, path: str, seconds: float, connections: int = 10) -> float:
    if shutil.which("wrk"):
        header = [a for k, v in side.headers.items() for a in ("-H", f"{k}: {v}")]
        out = subprocess.run(
            ["wrk", f"-c{connections}", "-t1", f"-d{int(seconds)}s", *header, side.base + path],
            capture_output=True,
            text=True,
        ).stdout
        found = re.search(r"Requests/sec:\s+([\d.]+)", out)
        return float(found.group(1)) if found else 0.0
    done = 0
    end = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=side.base, headers=side.headers, timeout=600) as c:

        async def worker() -> None:
            nonlocal done
            while time.monotonic() < end:
                (await c.get(path)).raise_for_status()
                done += 1

        await asyncio.gather(*(worker() for _ in range(connections)))
    return done / seconds


def measure(
    size: int, ours: Side, peer: Side | None, n: int, seconds: float
) -> list[dict[str, Any]]:
    rows = []
    for what in ours.paths:
        times: dict[str, list[float]] = {"peer": [], "ours": []}
        sizes: dict[str, int] = {}
        count = max(2, n // 4) if what in ("PDF", "Gantt page", "Gantt data") and peer else n
        for i in range(count + 1):  # the first of each is a warm-up
            for name, side in (("peer", peer), ("ours", ours)):
                if side is None:
                    continue
                took, sizes[name] = side.once(what)
                if i:
                    times[name].append(took)
        rows.append(_row(f"{what}, {size} tasks", times, sizes, "s"))
    for what in ("list page", "JSON list of 100"):
        rates = {}
        for name, side in (("peer", peer), ("ours", ours)):
            if side is not None:
                rates[name] = asyncio.run(_throughput(side, side.paths[what], seconds))
        rows.append(
            {
                "pair": f"10 connections, {what}, {size} tasks (req/s)",
                "peer": rates.get("peer"),
                "ours": rates["ours"],
                "ratio": rates["ours"] / rates["peer"] if rates.get("peer") else None,
            }
        )
    return rows


def _row(
    pair: str, times: dict[str, list[float]], sizes: dict[str, int], unit: str
) -> dict[str, Any]:
    ours = statistics.median(times["ours"])
    peer = statistics.median(times["peer"]) if times["peer"] else None
    return {
        "pair": f"{pair} (median {unit}; bytes sent {sizes.get('peer', '–')} / {sizes['ours']})",
        "peer": peer,
        "ours": ours,
        "ratio": peer / ours if peer else None,
    }


def markdown(rows: list[dict[str, Any]], note: str) -> str:
    def fmt(v: float | None) -> str:
        return "–" if v is None else (f"{v:.3f}" if v < 10 else f"{v:.1f}")

    lines = [note, "", "| pair | Redmine | Reformstyr | × |", "|---|--:|--:|--:|"]
    lines += [
        f"| {r['pair']} | {fmt(r['peer'])} | {fmt(r['ours'])} | {fmt(r['ratio'])} |" for r in rows
    ]
    return "\n".join(lines) + "\n\n× = how many times faster Reformstyr is (below 1: slower).\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 3000])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    peer_seen = False
    if (STATE / "api-key").exists():
        _gantt_limit(max(args.sizes) + 500)
    for index, size in enumerate(args.sizes):
        work = Path(f"/tmp/perf-peer-{size}-run.db")
        shutil.copyfile(_database(size), work)
        port = 8330 + index
        server = _serve(work, port, Path(f"/tmp/perf-peer-{size}.log"))
        try:
            peer = _redmine(size)
            peer_seen = peer_seen or peer is not None
            rows += measure(size, _ours(port, size), peer, args.requests, args.seconds)
        finally:
            server.terminate()
            server.wait(10)
    load = os.getloadavg()
    note = (
        f"Run {time.strftime('%d.%m.%Y %H:%M')}, load average {load[0]:.1f} / {load[1]:.1f}, "
        f"{os.cpu_count()} cores; Reformstyr one worker (`serve_app`) pinned to core 0"
        + (
            f"; Redmine's Gantt limit raised to {max(args.sizes) + 500} issues"
            if peer_seen
            else "; **Redmine was not running: only our side measured**"
        )
        + f"; throughput by {'wrk' if shutil.which('wrk') else 'an asyncio httpx client'}."
    )
    text = markdown(rows, note)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-peer.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
