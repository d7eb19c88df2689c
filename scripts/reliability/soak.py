"""Long reliability runs (`make reliability`): load, SIGKILL and backup under load.

    python scripts/reliability/soak.py load --minutes 10 --clients 20 --workers 1
    python scripts/reliability/soak.py kill --rounds 50
    python scripts/reliability/soak.py backup --seconds 60

Each run starts its own server on loopback on a database of its own (a SQLite file under
/tmp, or the PostgreSQL database in REFORMSTYR_TEST_DATABASE_URL), prints its figures and
appends them as one JSON line to --results. It exits non-zero when anything was lost, a server
error or a lock error happened, or the database failed its integrity check.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tests.reliability.workload import (  # noqa: E402
    MARKED,
    Tally,
    client_loop,
    discover,
    integrity,
    lock_errors,
    missing_writes,
    prepare_demo,
    running,
    start_server,
    token,
)


def fresh_database(name: str) -> str:
    """A new, empty database for one run: PostgreSQL when configured, else a SQLite file."""
    pg = os.environ.get("REFORMSTYR_TEST_DATABASE_URL")
    if pg:
        engine = create_engine(pg, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return pg.rsplit("/", 1)[0] + f"/{name}"
    path = Path(f"/tmp/{name}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def report(results: Path, figures: dict) -> None:
    figures["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    line = json.dumps(figures, ensure_ascii=False)
    print(line, flush=True)
    with results.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def load(args: argparse.Namespace) -> bool:
    url = fresh_database(f"rel_load_w{args.workers}")
    prepare_demo(url)
    started = time.monotonic()
    with running(url, workers=args.workers) as server:
        target = discover(server.base_url, token(server.base_url))
        from tests.reliability.workload import run_load

        tally = run_load(
            target, clients=args.clients, seconds=args.minutes * 60, run=f"load{args.workers}"
        )
        log = server.log()
    lost = missing_writes(url, tally)
    verdict = integrity(url)
    requests = sum(tally.requests.values())
    figures = {
        "run": "load",
        "database": url.split(":")[0],
        "workers": args.workers,
        "clients": args.clients,
        "minutes": args.minutes,
        "seconds": round(time.monotonic() - started),
        "requests": requests,
        "requests_per_second": round(requests / (args.minutes * 60), 1),
        "acknowledged_writes": tally.total_acknowledged,
        "by_outcome": dict(sorted(tally.requests.items())),
        "server_errors": len(tally.server_errors),
        "lock_errors": lock_errors(log),
        "transport_errors": tally.transport_errors,
        "lost_writes": sum(len(v) for v in lost.values()),
        "integrity": verdict,
        "examples_of_errors": tally.server_errors[:5],
    }
    report(args.results, figures)
    return (
        not tally.server_errors
        and not lost
        and lock_errors(log) == 0
        and verdict in ("ok", "n/a")
        and tally.transport_errors == 0
    )


def kill(args: argparse.Namespace) -> bool:
    url = fresh_database("rel_kill")
    prepare_demo(url)
    total, failures, verdicts = Tally(), [], []
    for number in range(args.rounds):
        server = start_server(url)
        tally, stop = Tally(), threading.Event()
        try:
            target = discover(server.base_url, token(server.base_url))
            writers = [
                threading.Thread(
                    target=client_loop,
                    args=(target, token(server.base_url), tally),
                    kwargs={"run": f"kill{number}", "number": n, "stop": stop, "write_share": 0.9},
                )
                for n in range(args.clients)
            ]
            for writer in writers:
                writer.start()
            time.sleep(1 + (number % 7) * 0.37)
        finally:
            server.kill()
        stop.set()
        for writer in writers:
            writer.join(timeout=180)
        total.merge(tally)
        verdict = integrity(url)
        verdicts.append(verdict)
        lost = missing_writes(url, total)
        if verdict not in ("ok", "n/a") or lost or tally.server_errors:
            failures.append(
                {
                    "round": number,
                    "integrity": verdict,
                    "lost": {k: len(v) for k, v in lost.items()},
                    "server_errors": tally.server_errors[:3],
                }
            )
        print(
            f"round {number + 1}/{args.rounds}: {tally.total_acknowledged} acknowledged, "
            f"integrity {verdict}, lost {sum(len(v) for v in lost.values())}",
            flush=True,
        )
    report(
        args.results,
        {
            "run": "kill",
            "database": url.split(":")[0],
            "rounds": args.rounds,
            "clients": args.clients,
            "acknowledged_writes": total.total_acknowledged,
            "writes_in_flight_at_kill": total.transport_errors,
            "integrity_ok": verdicts.count("ok"),
            "lost_writes": sum(len(v) for v in missing_writes(url, total).values()),
            "failures": failures,
        },
    )
    return not failures


def backup(args: argparse.Namespace) -> bool:
    url = fresh_database("rel_backup")
    if not url.startswith("sqlite"):
        print("backup/restore is for the SQLite database; PostgreSQL has pg_dump", flush=True)
        return True
    prepare_demo(url)
    env = os.environ | {"REFORMSTYR_DATABASE_URL": url}
    copies, problems = 0, []
    with running(url) as server:
        target = discover(server.base_url, token(server.base_url))
        tally, stop = Tally(), threading.Event()
        writers = [
            threading.Thread(
                target=client_loop,
                args=(target, token(server.base_url), tally),
                kwargs={"run": "backup", "number": n, "stop": stop, "write_share": 0.8},
            )
            for n in range(args.clients)
        ]
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            with tally.lock:
                before = {m for markers in tally.acknowledged.values() for m in markers}
            file = Path(f"/tmp/rel_backup_copy_{copies}.db")
            file.unlink(missing_ok=True)
            subprocess.run(
                [sys.executable, "-m", "app.cli", "backup", str(file)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            conn = sqlite3.connect(file)
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            stored = set()
            for table, column in MARKED.values():
                stored |= {
                    r[0]
                    for r in conn.execute(
                        f'SELECT "{column}" FROM "{table}" WHERE "{column}" LIKE ?', ("rel-%",)
                    )
                }
            conn.close()
            if ok != "ok" or not before <= stored:
                problems.append({"copy": copies, "integrity": ok, "missing": len(before - stored)})
            copies += 1
        stop.set()
        for writer in writers:
            writer.join(timeout=180)
        log = server.log()
    last = Path(f"/tmp/rel_backup_copy_{copies - 1}.db")
    subprocess.run(
        [sys.executable, "-m", "app.cli", "restore", str(last)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    restored_ok = integrity(url)
    report(
        args.results,
        {
            "run": "backup",
            "database": "sqlite",
            "seconds": args.seconds,
            "clients": args.clients,
            "backups_taken": copies,
            "acknowledged_writes": tally.total_acknowledged,
            "server_errors": len(tally.server_errors),
            "lock_errors": lock_errors(log),
            "problems": problems,
            "restore_integrity": restored_ok,
        },
    )
    return not problems and not tally.server_errors and restored_ok == "ok"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("run", choices=["load", "kill", "backup"])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--results", type=Path, default=Path("/tmp/rel-results.jsonl"))
    args = parser.parse_args()
    if args.run == "kill" and args.clients == 20:
        args.clients = 4
    if args.run == "backup" and args.clients == 20:
        args.clients = 4
    ok = {"load": load, "kill": kill, "backup": backup}[args.run](args)
    print("OK" if ok else "FEJL: se tallene ovenfor", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
