"""Query-count guards: each page issues the same number of SQL statements for a small and a
larger portfolio (no query per row), and at most 15. The portfolio comes from the benchmark's
generator (bench/generator.py); timings stay in `make bench`."""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlmodel import SQLModel

from app.cli import migrate_database
from app.config import Settings
from app.db import Database
from app.main import create_app
from bench.generator import PASSWORD, TODAY, Portfolio, generate
from tests.factories import login

MAX_STATEMENTS = 15
# Pages over the limit, held at their present count so they cannot grow while they wait to be
# reduced (issue 9; see bench/README.md, "Query counts"). None at present: the group page (was
# 29), plans (16) and budget overview (27) were brought to 15, 12 and 13.
OVER_LIMIT: dict[str, int] = {}
IGNORED = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")
PG_URL = os.environ.get("REFORMSTYR_TEST_DATABASE_URL", "")

# name -> path for the project (pid), one of its groups (gid) and its issued report (rid)
PAGES: dict[str, Callable[[int, int, int], str]] = {
    "project overview": lambda pid, gid, rid: "/",
    "project home": lambda pid, gid, rid: f"/projects/{pid}",
    "group page": lambda pid, gid, rid: f"/projects/{pid}/groups/{gid}",
    "milestones": lambda pid, gid, rid: f"/projects/{pid}/milestones",
    "plans": lambda pid, gid, rid: f"/projects/{pid}/plans",
    "budget overview": lambda pid, gid, rid: f"/projects/{pid}/budget",
    "stakeholders": lambda pid, gid, rid: f"/projects/{pid}/stakeholders",
    "risks": lambda pid, gid, rid: f"/projects/{pid}/risks",
    # Every group expanded, so both sizes draw their tasks (by default a small Gantt opens its
    # groups and a large one shows them collapsed: a different, smaller set of queries).
    "gantt page": lambda pid, gid, rid: f"/projects/{pid}/gantt?expand=all",
    "gantt page (default view)": lambda pid, gid, rid: f"/projects/{pid}/gantt",
    "gantt json": lambda pid, gid, rid: f"/api/projects/{pid}/gantt?expand=all",
    "status report": lambda pid, gid, rid: f"/projects/{pid}/reports/{rid}",
    "status report pdf": lambda pid, gid, rid: f"/projects/{pid}/reports/{rid}.pdf",
    "dashboard": lambda pid, gid, rid: "/dashboard",
    "dashboard json": lambda pid, gid, rid: "/api/dashboard",
}


class StatementCounter:
    """Counts the SQL statements an engine executes (transaction control left out)."""

    def __init__(self, engine: Any) -> None:
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(IGNORED):
            self.statements.append(statement)

    def during(self, client: TestClient, path: str) -> list[str]:
        self.statements = []
        answer = client.get(path)
        assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text[:300]}"
        return list(self.statements)


def _measure(client: TestClient, counter: StatementCounter, out: Portfolio) -> dict[str, Any]:
    pid = out.projects[-1]
    gid = out.groups[pid][0]
    rid = out.reports[pid]
    counts = {}
    for name, path_of in PAGES.items():
        path = path_of(pid, gid, rid)
        client.get(path)  # warm: first-request work (caches, imports) is not per row
        counts[name] = counter.during(client, path)
    return counts


@pytest.fixture(scope="module")
def measured(template_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The statements of every page for 1 project x 25 tasks, then again after two projects
    x 200 tasks (40 per group) were added, measured on the newest (largest) project."""
    if PG_URL:
        url = PG_URL
        db = Database(url)
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.dispose()
    else:
        path = tmp_path_factory.mktemp("perf") / "perf.db"
        shutil.copyfile(template_database, path)
        url = f"sqlite:///{path}"
    os.environ["REFORMSTYR_TODAY"] = TODAY.isoformat()
    from app.config import get_settings

    get_settings.cache_clear()
    db = Database(url)
    app = create_app(Settings(database_url=url, today=TODAY))
    counter = StatementCounter(app.state.db.engine)
    try:
        with db.session() as session:
            small = generate(session, projects=1, tasks=25, seed=1)
        with TestClient(app) as client:
            login(client, "projektleder", PASSWORD)
            counts_small = _measure(client, counter, small)
            with db.session() as session:
                large = generate(session, projects=2, tasks=200, seed=2)
            counts_large = _measure(client, counter, large)
        yield counts_small, counts_large
    finally:
        os.environ.pop("REFORMSTYR_TODAY", None)
        get_settings.cache_clear()
        app.state.db.dispose()
        db.dispose()


def _show(statements: list[str]) -> str:
    return "\n".join(f"  {s.split(chr(10))[0][:160]}" for s in statements)


@pytest.mark.parametrize("page", [p for p in PAGES if p != "gantt page (default view)"])
def test_statements_do_not_grow_with_the_portfolio(measured: Any, page: str) -> None:
    small, large = measured
    assert len(small[page]) == len(large[page]), (
        f"{page}: {len(small[page])} statements for the small portfolio, "
        f"{len(large[page])} for the larger one:\n{_show(large[page])}"
    )


@pytest.mark.parametrize("page", list(PAGES))
def test_statements_at_most_fifteen(measured: Any, page: str) -> None:
    _small, large = measured
    limit = OVER_LIMIT.get(page, MAX_STATEMENTS)
    assert len(large[page]) <= limit, f"{page}: {len(large[page])}\n{_show(large[page])}"


def test_generator_is_deterministic(tmp_path: Path) -> None:
    """The same seed gives the same portfolio (task titles, dates and states)."""
    template = tmp_path / "template.db"
    migrate_database(f"sqlite:///{template}")
    rows = []
    for k in range(2):
        path = tmp_path / f"g{k}.db"
        shutil.copyfile(template, path)
        db = Database(f"sqlite:///{path}")
        with db.session() as session:
            generate(session, projects=2, tasks=10, seed=7, reports=False)
            rows.append(
                session.execute(
                    text("SELECT title, start_date, due_date, status FROM task ORDER BY id")
                ).all()
            )
        db.dispose()
    assert rows[0] == rows[1] and len(rows[0]) == 20
