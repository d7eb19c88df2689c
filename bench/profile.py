"""Profile one page under load with py-spy, on a generated portfolio:

    python -m bench.profile /projects/101/groups/804 --size L --seconds 15

Serves the app as the runner does (one uvicorn worker), asks for the page from 4 clients for the
given time while py-spy samples the server (every thread), and prints the functions with the
largest share of the samples, inclusive and self. The raw collapsed stacks are kept in
/tmp/perf-profile.txt for a flame graph.
"""

import argparse
import asyncio
import collections
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.generator import PASSWORD
from bench.runner import _serve

RAW = Path("/tmp/perf-profile.txt")


async def _load(port: int, path: str, seconds: float) -> int:
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        token = (
            await client.post("/api/token", data={"username": "projektleder", "password": PASSWORD})
        ).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        done = 0
        end = time.monotonic() + seconds

        async def worker() -> None:
            nonlocal done
            while time.monotonic() < end:
                (await client.get(path)).raise_for_status()
                done += 1

        await asyncio.gather(*(worker() for _ in range(4)))
        return done


def summary(raw: str, top: int) -> str:
    """Share of samples per function: inclusive (on the stack) and self (at the top)."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue  # a frame name with a newline in it splits its line
        n = int(count)
        frames = [
            f.split(" (")[0] + " " + f.split(" (")[-1].rstrip(")").split(":")[0]
            for f in stack.split(";")
        ]
        if not any("uvicorn" in f or "starlette" in f or "anyio" in f for f in frames):
            continue  # an idle thread
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"{total} samples in request threads", "", "inclusive %  function"]
    lines += [f"{100 * n / total:9.1f}  {f}" for f, n in inclusive.most_common(top)]
    lines += ["", "self %  function"]
    lines += [f"{100 * n / total:6.1f}  {f}" for f, n in own.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--size", default="L")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8310)
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args(argv)

    source = Path(f"/tmp/perf-{args.size}.db")
    if not source.exists():
        sys.exit(f"{source} findes ikke: kør python -m bench.generator --size {args.size} først")
    work = Path(f"/tmp/perf-profile-{args.size}.db")
    shutil.copyfile(source, work)
    server = _serve(work, args.port, Path("/tmp/perf-profile-server.log"))
    try:
        asyncio.run(_load(args.port, args.path, 1))  # warm: imports, templates, caches
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(server.pid),
                "--format",
                "raw",
                "--output",
                str(RAW),
                "--rate",
                "500",
                "--gil",
                "--duration",
                str(int(args.seconds)),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1)
        done = asyncio.run(_load(args.port, args.path, args.seconds - 1))
        spy.wait(30)
    finally:
        server.terminate()
        server.wait(10)
    seconds = args.seconds - 1
    print(f"{args.path}: {done} requests in {seconds:.0f} s ({done / seconds:.1f}/s)")
    print(summary(RAW.read_text(), args.top))


if __name__ == "__main__":
    main()
