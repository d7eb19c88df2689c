"""The fixed cost of a request: the server's own CPU time per request, one request at a time.

    python -m bench.fixed --db /tmp/h24.db /healthz / /projects/1 --requests 400

Serves the app as the runner does (one uvicorn worker), signs in as projektleder (a bearer
token: the same session look-up as a browser's cookie), asks for each path N times over one
keep-alive connection and divides the server process's CPU time (user + system,
/proc/<pid>/stat) by the requests, in 5 rounds, printing the lowest round: CPU time is less
stretched than wall time by other processes sharing the machine, and the least disturbed round
is the steadiest figure while others run. The median wall time is printed beside it.
"""

import argparse
import http.client
import json
import os
import statistics
import time
import urllib.parse
from pathlib import Path

from bench.runner import _serve

TICKS = os.sysconf("SC_CLK_TCK")
ROUNDS = 5


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _sign_in(conn: http.client.HTTPConnection) -> str:
    body = urllib.parse.urlencode({"username": "projektleder", "password": "demo"})
    conn.request("POST", "/api/token", body, {"Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    return "Bearer " + json.loads(answer.read())["access_token"]


def measure(pid: int, port: int, paths: list[str], requests: int, extra: dict[str, str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": _sign_in(conn), **extra}
    print(f"{'path':40} {'status':>6} {'bytes':>8} {'cpu ms':>7} {'wall ms p50':>11}")
    for path in paths:
        for _ in range(20):  # warm up
            conn.request("GET", path, headers=headers)
            conn.getresponse().read()
        walls = []
        cpus = []
        for _ in range(ROUNDS):
            before = _cpu_seconds(pid)
            for _ in range(requests // ROUNDS):
                started = time.perf_counter()
                conn.request("GET", path, headers=headers)
                answer = conn.getresponse()
                body = answer.read()
                walls.append(time.perf_counter() - started)
            cpus.append((_cpu_seconds(pid) - before) / (requests // ROUNDS))
        cpu = min(cpus)  # the round least disturbed by other processes
        print(
            f"{path:40} {answer.status:>6} {len(body):>8} {cpu * 1000:>7.2f} "
            f"{statistics.median(walls) * 1000:>11.2f}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--encoding", help="sent as Accept-Encoding (br, gzip)")
    args = parser.parse_args(argv)
    log = Path("/tmp/perf-fixed.log")
    server = _serve(args.db, args.port, log)
    try:
        extra = {"Accept-Encoding": args.encoding} if args.encoding else {}
        measure(server.pid, args.port, args.paths, args.requests, extra)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
