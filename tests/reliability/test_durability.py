"""Durability, in short runs (the long ones are `make reliability`): a backup taken while writes
go on is consistent and restores; a server of two worker processes (`reformstyr serve` starts one
per core), killed with SIGKILL in the middle of writes, loses no acknowledged write and leaves a
sound database."""

import os
import sqlite3
import subprocess
import sys
import threading
import time

import httpx
import pytest

from app.config import ROOT
from app.db import is_sqlite
from tests.reliability.workload import (
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


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"REFORMSTYR_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _markers_in(path: str) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        found: set[str] = set()
        for table, column in MARKED.values():
            found |= {
                r[0]
                for r in conn.execute(
                    f'SELECT "{column}" FROM "{table}" WHERE "{column}" LIKE ?', ("rel-%",)
                )
            }
        return found
    finally:
        conn.close()


def test_a_backup_under_write_load_is_consistent_and_restores(tmp_path):
    """Backup is for the embedded SQLite database (PostgreSQL has pg_dump), so this test always
    runs on a SQLite file of its own."""
    path = tmp_path / "live.db"
    url = f"sqlite:///{path}"
    prepare_demo(url)
    backup_file = tmp_path / "kopi.db"
    with running(url) as server:
        headers = token(server.base_url)
        target = discover(server.base_url, headers)
        tally, stop = Tally(), threading.Event()
        writers = [
            threading.Thread(
                target=client_loop,
                args=(target, token(server.base_url), tally),
                kwargs={"run": "backup", "number": n, "stop": stop, "write_share": 0.8},
            )
            for n in range(4)
        ]
        for writer in writers:
            writer.start()
        time.sleep(2)
        with tally.lock:
            before = {m for markers in tally.acknowledged.values() for m in markers}
        result = _cli(url, "backup", str(backup_file))
        time.sleep(1)
        stop.set()
        for writer in writers:
            writer.join(timeout=120)
        assert result.returncode == 0, result.stderr
        assert not tally.server_errors and lock_errors(server.log()) == 0, tally.server_errors
    assert before, "no write was acknowledged before the backup began"
    copy = sqlite3.connect(backup_file)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
    copy.close()
    in_backup = _markers_in(str(backup_file))
    assert before <= in_backup, (
        f"writes acknowledged before the backup are missing: {sorted(before - in_backup)[:5]}"
    )
    assert missing_writes(url, tally) == {}
    after_load = _markers_in(str(path))
    assert in_backup <= after_load

    restored = _cli(url, "restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr
    assert integrity(url) == "ok"
    assert _markers_in(str(path)) == in_backup
    with running(url) as server:
        me = httpx.get(server.base_url + "/api/me", headers=token(server.base_url))
        assert me.status_code == 200


@pytest.mark.parametrize("rounds", [3])
def test_sigkill_in_the_middle_of_writes_loses_nothing_acknowledged(database_url, rounds):
    prepare_demo(database_url)
    total = Tally()
    for number in range(rounds):
        server = start_server(database_url, workers=2)
        try:
            target = discover(server.base_url, token(server.base_url))
            tally, stop = Tally(), threading.Event()
            writers = [
                threading.Thread(
                    target=client_loop,
                    args=(target, token(server.base_url), tally),
                    kwargs={"run": f"kill{number}", "number": n, "stop": stop, "write_share": 0.9},
                )
                for n in range(4)
            ]
            for writer in writers:
                writer.start()
            time.sleep(1.5 + number * 0.4)
        finally:
            server.kill()  # SIGKILL while the writers are in full flow
        stop.set()
        for writer in writers:
            writer.join(timeout=120)
        total.merge(tally)
        assert not tally.server_errors, tally.server_errors
        if is_sqlite(database_url):
            assert integrity(database_url) == "ok"
        assert missing_writes(database_url, total) == {}
    assert total.total_acknowledged > 0
