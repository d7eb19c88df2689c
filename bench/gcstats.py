"""What the garbage collector costs a page, with and without freezing the start-up heap:

    python -m bench.gcstats --db /tmp/perf-P3000.db /projects/1/groups/4 --requests 200

Builds the app in this process (as `reformstyr serve` does, `app.main.serve_app`, or without the
freeze with `--no-freeze`), asks for the page N times through Starlette's TestClient and times
every collection with `gc.callbacks`: count and total of full (generation 2) and young passes.
"""

import argparse
import gc
import os
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-freeze", action="store_true")
    parser.add_argument("--threshold", type=int, nargs=3, help="gc.set_threshold(a, b, c)")
    args = parser.parse_args(argv)
    os.environ["REFORMSTYR_DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ.setdefault("REFORMSTYR_TODAY", "2025-10-01")
    from fastapi.testclient import TestClient

    from app.main import create_app, serve_app
    from bench.generator import PASSWORD

    app = create_app() if args.no_freeze else serve_app()
    if args.threshold:
        gc.set_threshold(*args.threshold)
    passes: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started: list[float] = []

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            passes[info["generation"]].append(time.perf_counter() - started.pop())

    with TestClient(app) as client:
        token = client.post("/api/token", data={"username": "projektleder", "password": PASSWORD})
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        for _ in range(10):
            client.get(args.path).raise_for_status()
        gc.callbacks.append(timed)
        began = time.perf_counter()
        for _ in range(args.requests):
            client.get(args.path).raise_for_status()
        wall = time.perf_counter() - began
        gc.callbacks.remove(timed)
    label = "no freeze" if args.no_freeze else "frozen"
    print(
        f"{label}, threshold {gc.get_threshold()}, {gc.get_freeze_count()} frozen objects: "
        f"{args.requests} × {args.path} in {wall:.1f} s ({1000 * wall / args.requests:.1f} ms each)"
    )
    for generation, times in passes.items():
        if times:
            print(
                f"  generation {generation}: {len(times)} passes, "
                f"total {1000 * sum(times):.0f} ms, "
                f"longest {1000 * max(times):.1f} ms"
            )


if __name__ == "__main__":
    main()
