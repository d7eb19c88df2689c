"""A mixed workload of reads and writes against a running Reformstyr server, and the proof that
every write the server acknowledged is in the database afterwards.

Each write carries a marker the client chose (a unique text in a title, name or description);
the check afterwards looks the markers up in the database itself. Used by the durability tests
(tests/reliability) and by the long runs in scripts/reliability (`make reliability`).
"""

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from app.config import ROOT

# What each kind of write creates, and where its marker lands in the database.
MARKED = {
    "person": ("person", "name"),
    "task": ("task", "title"),
    "risk": ("raid_item", "title"),
    "expenditure": ("expenditure", "description"),
    "log": ("progress_entry", "text"),
}


@dataclass
class Tally:
    """What one run did: requests by outcome, and the markers of acknowledged writes."""

    requests: Counter = field(default_factory=Counter)
    acknowledged: dict[str, list[str]] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    transport_errors: int = 0
    lock = threading.Lock()

    def count(self, what: str) -> None:
        with self.lock:
            self.requests[what] += 1

    def ack(self, kind: str, marker: str) -> None:
        with self.lock:
            self.acknowledged.setdefault(kind, []).append(marker)

    def merge(self, other: "Tally") -> None:
        self.requests.update(other.requests)
        for kind, markers in other.acknowledged.items():
            self.acknowledged.setdefault(kind, []).extend(markers)
        self.server_errors += other.server_errors
        self.transport_errors += other.transport_errors

    @property
    def total_acknowledged(self) -> int:
        return sum(len(v) for v in self.acknowledged.values())


@dataclass
class Target:
    base_url: str
    project_id: int
    group_id: int
    grant_id: int
    category: str
    purpose_id: int | None
    task_ids: list[int]


def discover(base_url: str, headers: dict[str, str]) -> Target:
    """The demo project's ids the workload writes to."""
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        project = next(
            p
            for p in client.get("/api/projects").json()
            if "reform" in p["name"].lower() or p["municipality"]
        )
        pid = project["id"]
        groups = [
            b
            for b in client.get(f"/api/projects/{pid}/bodies").json()
            if b["kind"] == "implementation_group"
        ]
        grant = client.get(f"/api/projects/{pid}/grants").json()[0]
        tasks = [t["id"] for t in client.get(f"/api/projects/{pid}/tasks").json()][:5]
    categories = grant.get("eligible_categories") or grant.get("categories") or []
    category = categories[0]["category"] if categories else "staff_buyout"
    purposes = grant.get("purposes") or []
    purpose = purposes[0]["id"] if purposes else None
    return Target(base_url, pid, groups[-1]["id"], grant["id"], category, purpose, tasks)


def token(base_url: str, username: str = "projektleder", password: str = "demo") -> dict[str, str]:
    answer = httpx.post(
        base_url + "/api/token", data={"username": username, "password": password}, timeout=60
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _write(client: httpx.Client, target: Target, kind: str, marker: str) -> httpx.Response:
    p = f"/api/projects/{target.project_id}"
    if kind == "person":
        return client.post(f"{p}/people", json={"name": marker, "title": "Belastningstest"})
    if kind == "task":
        return client.post(f"{p}/tasks", json={"title": marker, "group_id": target.group_id})
    if kind == "risk":
        return client.post(f"{p}/risks", json={"title": marker, "probability": 2, "consequence": 2})
    if kind == "expenditure":
        # Bought-free staff: the person, hours × rate = amount, and the grant's purpose.
        return client.post(
            f"{p}/expenditures",
            json={
                "grant_id": target.grant_id,
                "date": "2013-03-01",
                "amount": "10.00",
                "category": target.category,
                "purpose_id": target.purpose_id,
                "description": marker,
                "supplier": "Belastningstest",
                "hours": "0.1",
                "hourly_rate": "100.00",
            },
        )
    if not target.task_ids:
        return _write(client, target, "person", marker)
    task = random.choice(target.task_ids)
    return client.post(f"{p}/tasks/{task}/log", json={"text": marker})


def _read(client: httpx.Client, target: Target, rng: random.Random) -> httpx.Response:
    p = target.project_id
    return client.get(
        rng.choice(
            [
                f"/api/projects/{p}/tasks",
                f"/api/projects/{p}/milestones",
                f"/api/projects/{p}/expenditures",
                f"/api/projects/{p}/risks",
                f"/api/projects/{p}/people",
                f"/api/projects/{p}/grants/{target.grant_id}/summary",
                f"/api/projects/{p}/stakeholders",
                f"/api/projects/{p}/plan-compliance",
            ]
        )
    )


def _edit(client: httpx.Client, target: Target, rng: random.Random) -> httpx.Response:
    """An optimistic edit of a shared task: 409 when another client got there first."""
    task = rng.choice(target.task_ids)
    url = f"/api/projects/{target.project_id}/tasks/{task}"
    current = client.get(url)
    if current.status_code != 200:
        return current
    return client.patch(
        url, json={"progress": rng.randint(0, 100), "version": current.json()["version"]}
    )


def client_loop(
    target: Target,
    headers: dict[str, str],
    tally: Tally,
    *,
    run: str,
    number: int,
    stop: threading.Event,
    write_share: float = 0.5,
) -> None:
    """One client: reads, writes and edits at random until told to stop."""
    rng = random.Random(f"{run}-{number}")
    sequence = 0
    with httpx.Client(base_url=target.base_url, headers=headers, timeout=120) as client:
        while not stop.is_set():
            roll = rng.random()
            try:
                if roll < write_share:
                    kind = rng.choice(list(MARKED))
                    sequence += 1
                    marker = f"rel-{run}-{number}-{sequence}-{uuid.uuid4().hex[:6]}"
                    answer = _write(client, target, kind, marker)
                    what = f"write {kind}"
                    if answer.status_code in (200, 201):
                        tally.ack(kind, marker)
                elif roll < write_share + 0.1:
                    answer = _edit(client, target, rng)
                    what = "edit task"
                else:
                    answer = _read(client, target, rng)
                    what = "read"
            except httpx.HTTPError:
                tally.count("transport error")
                with tally.lock:
                    tally.transport_errors += 1
                if stop.is_set():
                    return
                time.sleep(0.05)
                continue
            tally.count(f"{what} {answer.status_code}")
            if answer.status_code >= 500:
                tally.server_errors.append(f"{what}: {answer.status_code} {answer.text[:200]}")


def run_load(
    target: Target, *, clients: int, seconds: float, run: str, write_share: float = 0.5
) -> Tally:
    """`clients` concurrent clients for `seconds`; each signs in with its own token."""
    tally = Tally()
    stop = threading.Event()
    headers = [token(target.base_url) for _ in range(clients)]
    threads = [
        threading.Thread(
            target=client_loop,
            args=(target, headers[n], tally),
            kwargs={"run": run, "number": n, "stop": stop, "write_share": write_share},
            daemon=True,
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    return tally


def missing_writes(database_url: str, tally: Tally) -> dict[str, list[str]]:
    """The acknowledged writes whose markers are not in the database (should be none)."""
    engine = create_engine(database_url)
    missing: dict[str, list[str]] = {}
    try:
        with engine.connect() as conn:
            for kind, markers in tally.acknowledged.items():
                table, column = MARKED[kind]
                stored = set(
                    conn.execute(
                        text(f'SELECT "{column}" FROM "{table}" WHERE "{column}" LIKE :prefix'),
                        {"prefix": "rel-%"},
                    ).scalars()
                )
                lost = [m for m in markers if m not in stored]
                if lost:
                    missing[kind] = lost
    finally:
        engine.dispose()
    return missing


def integrity(database_url: str) -> str:
    """SQLite's own verdict on the database file ("ok" when sound); "n/a" for PostgreSQL."""
    if not database_url.startswith("sqlite"):
        return "n/a"
    import sqlite3

    path = database_url.split("sqlite:///", 1)[1]
    conn = sqlite3.connect(path, timeout=60)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# Servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log_path: str

    def log(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def kill(self) -> None:
        """SIGKILL the whole server (every worker), as a power cut or OOM killer would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()


def start_server(
    database_url: str,
    *,
    port: int | None = None,
    workers: int = 1,
    log_path: str | None = None,
    wait: float = 120,
) -> Server:
    """`reformstyr serve` in a process group of its own, on loopback; waits for /healthz."""
    port = port or free_port()
    log_path = log_path or f"/tmp/rel-server-{port}.log"
    env = os.environ | {"REFORMSTYR_DATABASE_URL": database_url}
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - kept open by the child
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while True:
        try:
            if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log_text = Server(process, base_url, log_path).log()[-2000:]
            raise RuntimeError(f"the server did not start: {log_text}")
        time.sleep(0.2)
    return Server(process, base_url, log_path)


@contextmanager
def running(database_url: str, **kwargs: Any) -> Iterator[Server]:
    server = start_server(database_url, **kwargs)
    try:
        yield server
    finally:
        server.stop()


def prepare_demo(database_url: str) -> None:
    """Migrate the database and load the demo, as `reformstyr demo` does."""
    env = os.environ | {"REFORMSTYR_DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "-m", "app.cli", "demo"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def lock_errors(log: str) -> int:
    return log.lower().count("database is locked")
