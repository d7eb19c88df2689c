"""The load benchmark: serves the app with one uvicorn worker pinned to core 0, drives it from
core 1 with 20 concurrent clients (5 for the write), interleaving a framework floor (/healthz)
and the real pages round by round, and writes p50/p95/p99, requests/s, errors, the ratio to the
floor and the server's peak RSS as Markdown and JSON under bench/results/.

    python -m bench.runner --sizes S L
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from bench import topg
from bench.generator import PASSWORD, SIZES, TODAY

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_P95_MS, GOAL_P99_MS = 150.0, 400.0


@dataclass
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    concurrency: int = 20
    samples: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    busy_seconds: float = 0.0
    bytes: int = 0


def _targets(url: str) -> dict[str, Any]:
    """The project in the middle of the portfolio, its first group, its issued report, tasks."""
    engine = create_engine(url)
    with engine.connect() as con:
        pids = list(con.execute(text("SELECT id FROM project ORDER BY id")).scalars())
        pid = pids[len(pids) // 2]
        gid = (
            con.execute(
                text(
                    "SELECT id FROM body WHERE project_id=:p AND kind='implementation_group' "
                    "ORDER BY position"
                ),
                {"p": pid},
            )
            .scalars()
            .first()
        )
        rid = con.execute(
            text("SELECT id FROM status_report WHERE project_id=:p AND status='issued'"),
            {"p": pid},
        ).scalar_one()
        tasks = list(
            con.execute(text("SELECT id FROM task WHERE project_id=:p"), {"p": pid}).scalars()
        )
    engine.dispose()
    return {"pid": pid, "gid": gid, "rid": rid, "tasks": tasks, "projects": len(pids)}


def _endpoints(t: dict[str, Any]) -> list[Endpoint]:
    p = f"/projects/{t['pid']}"
    return [
        Endpoint("floor (/healthz)", "/healthz"),
        Endpoint("project overview", "/"),
        Endpoint("project dashboard", p),
        Endpoint("group page", f"{p}/groups/{t['gid']}"),
        Endpoint("milestones", f"{p}/milestones"),
        Endpoint("gantt page", f"{p}/gantt"),
        Endpoint("gantt json", f"/api{p}/gantt"),
        Endpoint("budget overview", f"{p}/budget"),
        Endpoint("status report", f"{p}/reports/{t['rid']}"),
        Endpoint("status report pdf", f"{p}/reports/{t['rid']}.pdf"),
        Endpoint("directorate dashboard", "/dashboard"),
        Endpoint("task progress (write)", f"/api{p}/tasks/{{task}}/log", "POST", 5),
    ]


class RssWatch(threading.Thread):
    """Samples the resident memory of the server's worker (the largest, when uvicorn runs
    several) every half second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def _workers(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return [int(c) for c in children] or [self.pid]

    def _status(self, key: str) -> int:
        sizes = []
        for pid in self._workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(key):
                    sizes.append(int(line.split()[1]) // 1024)
        return max(sizes, default=0)

    def run(self) -> None:
        while not self.stop.wait(0.5):
            try:
                self.samples.append((time.monotonic(), self._status("VmRSS:")))
            except OSError:
                return

    def peak(self) -> int:
        try:
            return self._status("VmHWM:")
        except OSError:
            return max((s for _, s in self.samples), default=0)


def _serve(db: Path | str, port: int, log: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    """The app as `reformstyr serve` runs it, on a SQLite file or a database URL: one worker
    pinned to core 0 (the load generator takes core 1), or `workers` over every core."""
    env = os.environ | {
        "REFORMSTYR_DATABASE_URL": db if isinstance(db, str) else f"sqlite:///{db}",
        "REFORMSTYR_TODAY": TODAY.isoformat(),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        os.environ.get("BENCH_APP", "app.main:serve_app"),  # as `reformstyr serve` runs it
        "--factory",
        "--workers",
        str(workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if workers == 1 and shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"Serveren startede ikke; se {log}")


async def _burst(
    client: httpx.AsyncClient, ep: Endpoint, n: int, t: dict[str, Any], k: int, think: float = 0
) -> None:
    """n requests to one endpoint from ep.concurrency concurrent clients, each pausing a random
    `think` seconds on average between its requests (0: back to back, the saturation test)."""
    left = [n]
    pauses = random.Random(k)

    async def worker(w: int) -> None:
        i = 0
        if think:  # people do not all click at the same instant
            await asyncio.sleep(pauses.uniform(0, 2 * think))
        while left[0] > 0:
            left[0] -= 1
            i += 1
            path, body = ep.path, None
            if ep.method == "POST":
                task = t["tasks"][(k * 7919 + w * 104729 + i * 31) % len(t["tasks"])]
                path = ep.path.format(task=task)
                body = {"text": "Status fra benchmark", "progress": (i * 13) % 101}
            started = time.perf_counter()
            try:
                answer = await client.request(ep.method, path, json=body)
                ok = answer.status_code < 300
                kind = str(answer.status_code)
                if "database is locked" in answer.text:
                    kind = "database is locked"
                ep.bytes = max(ep.bytes, len(answer.content))
            except httpx.HTTPError as exc:
                ok, kind = False, type(exc).__name__
            ep.samples.append((time.perf_counter() - started) * 1000)
            if not ok:
                ep.errors += 1
                ep.error_kinds[kind] = ep.error_kinds.get(kind, 0) + 1
            if think:
                await asyncio.sleep(pauses.expovariate(1 / think))

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(ep.concurrency)))
    ep.busy_seconds += time.perf_counter() - started


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


async def _drive(
    port: int, eps: list[Endpoint], t: dict[str, Any], rounds: int, n: int, think: float
) -> None:
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=60) as anon:
        token = (
            await anon.post("/api/token", data={"username": "projektleder", "password": PASSWORD})
        ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    limits = httpx.Limits(max_connections=25, max_keepalive_connections=25)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=60, limits=limits
    ) as client:
        for ep in eps:  # warm every page once (imports, templates, caches)
            await _burst(client, ep, 2, t, 0)
            ep.samples.clear()
            ep.errors, ep.error_kinds, ep.busy_seconds = 0, {}, 0.0
        for k in range(rounds):
            for ep in eps:
                await _burst(client, ep, n, t, k + 1, think)
            print(f"  runde {k + 1}/{rounds}", file=sys.stderr, flush=True)


def run_size(
    size: str,
    *,
    port: int,
    rounds: int,
    n: int,
    regenerate: bool,
    think: float = 0,
    workers: int = 1,
    postgres: bool = False,
) -> dict[str, Any]:
    db = Path(f"/tmp/perf-{size}.db")
    if regenerate or not db.exists():
        subprocess.run(
            [sys.executable, "-m", "bench.generator", "--size", size, "--db", str(db)],
            cwd=ROOT,
            check=True,
        )
    work = Path(f"/tmp/perf-run-{size}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, work)
    url = topg.copy(str(work), f"perf_{size.lower()}") if postgres else f"sqlite:///{work}"
    t = _targets(url)
    eps = _endpoints(t)
    server = _serve(url, port, Path(f"/tmp/perf-server-{size}.log"), workers)
    watch = RssWatch(server.pid)
    watch.start()
    try:
        started = time.monotonic()
        asyncio.run(_drive(port, eps, t, rounds, n, think))
        duration = time.monotonic() - started
    finally:
        watch.stop.set()
        peak = watch.peak()
        server.terminate()
        server.wait(10)
    floor = statistics.median(eps[0].samples)
    rows = []
    for ep in eps:
        rows.append(
            {
                "page": ep.name,
                "method": ep.method,
                "path": ep.path,
                "concurrency": ep.concurrency,
                "requests": len(ep.samples),
                "errors": ep.errors,
                "error_kinds": ep.error_kinds,
                "p50_ms": round(_pct(ep.samples, 0.50), 1),
                "p95_ms": round(_pct(ep.samples, 0.95), 1),
                "p99_ms": round(_pct(ep.samples, 0.99), 1),
                "rps": round(len(ep.samples) / ep.busy_seconds, 1) if ep.busy_seconds else 0.0,
                "ratio_to_floor": round(_pct(ep.samples, 0.50) / floor, 1) if floor else None,
                "max_bytes": ep.bytes,
            }
        )
    rss = [s for _, s in watch.samples]
    by_minute: dict[int, int] = {}  # the last sample of each minute: growth shows over a long run
    for at, mb in watch.samples:
        by_minute[int((at - watch.samples[0][0]) // 60)] = mb
    return {
        "size": size,
        "database": "PostgreSQL" if postgres else "SQLite",
        "workers": workers,
        "projects": t["projects"],
        "tasks_per_project": SIZES[size][1],
        "rounds": rounds,
        "think_ms": think * 1000,
        "requests_per_round": n,
        "duration_s": round(duration, 1),
        "rss_peak_mb": peak,
        "rss_first_mb": rss[0] if rss else None,
        "rss_last_mb": rss[-1] if rss else None,
        "rss_by_minute_mb": list(by_minute.values()),
        "pages": rows,
    }


def markdown(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        lines += [
            f"### {r['size']}: {r['projects']} projekter × {r['tasks_per_project']} opgaver, "
            f"{r.get('database', 'SQLite')}, {r.get('workers', 1)} worker(s)",
            "",
            f"{r['rounds']} runder × {r['requests_per_round']} kald pr. side, interleaved; "
            f"pause mellem kald {r['think_ms']:.0f} ms i gennemsnit; "
            f"{r['duration_s']} s; server RSS peak {r['rss_peak_mb']} MB "
            f"(first {r['rss_first_mb']}, last {r['rss_last_mb']} MB; "
            f"by minute {r['rss_by_minute_mb']}).",
            "",
            "| page | clients | requests | errors | p50 ms | p95 ms | p99 ms | req/s | × floor "
            "| goal |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for p in r["pages"]:
            met = p["p95_ms"] <= GOAL_P95_MS and p["errors"] == 0
            if "write" not in p["page"]:
                met = met and p["p99_ms"] <= GOAL_P99_MS
            lines.append(
                f"| {p['page']} | {p['concurrency']} | {p['requests']} | {p['errors']} | "
                f"{p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} | {p['rps']} | "
                f"{p['ratio_to_floor']} | {'ok' if met else 'MISSED'} |"
            )
        lines.append("")
    by = {r["size"]: r for r in results}
    if "S" in by and "L" in by:
        lines += [
            "### p50 at L ÷ p50 at S (goal ≤ 1.5)",
            "",
            "| page | S p50 | L p50 | L/S |",
            "|---|---:|---:|---:|",
        ]
        for s, big in zip(by["S"]["pages"], by["L"]["pages"], strict=True):
            ratio = big["p50_ms"] / s["p50_ms"] if s["p50_ms"] else 0
            lines.append(f"| {s['page']} | {s['p50_ms']} | {big['p50_ms']} | {ratio:.2f} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "L"], choices=sorted(SIZES))
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100, help="per page and round")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="each client's mean pause between requests (0: back to back)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn workers (1: pinned to core 0)"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="copy the data to PostgreSQL (REFORMSTYR_TEST_DATABASE_URL, scripts/with-postgres.sh)",
    )
    args = parser.parse_args(argv)
    if args.workers == 1 and hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})  # the load generator on the other core
    results = []
    for size in args.sizes:
        print(f"· {size}", file=sys.stderr, flush=True)
        results.append(
            run_size(
                size,
                port=args.port,
                rounds=args.rounds,
                n=args.requests,
                regenerate=args.regenerate,
                think=args.think_ms / 1000,
                workers=args.workers,
                postgres=args.postgres,
            )
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = "-".join(args.sizes) + ("-pg" if args.postgres else "") + f"-w{args.workers}"
    (RESULTS / f"{stamp}-{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    text = markdown(results)
    (RESULTS / f"{stamp}-{name}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
