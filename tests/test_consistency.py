"""One figure, one computation (issue 19): for generated projects seen on a day after much of
their work was due, every milestone's slippage and every group's overdue tasks read the same in
the API, on the milestones page, in the steering group's meeting pack and in a status report
drafted that day. The portfolio comes from the benchmark's generator (bench/generator.py) with
several seeds; the day is moved past the generator's `TODAY` so that milestones fall overdue."""

import os
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import SQLModel, select

from app.config import Settings, get_settings
from app.db import Database
from app.governance.models import Body, BodyKind, Meeting
from app.main import create_app
from app.workstreams.milestones import HEALTH_LABELS
from bench.generator import PASSWORD, TODAY, generate
from tests.factories import bearer, login

PG_URL = os.environ.get("REFORMSTYR_TEST_DATABASE_URL", "")
GANTT_POINT = re.compile(r"◆ (.*?)</b>.*Status: .* – (.*)$")
ROW = re.compile(r'<tr id="milestone-(\d+)"[^>]*>(.*?)</tr>', re.S)
SLIP = re.compile(r"([+-]?\d+) dage?\b")


def _database(template_database: str, folder: Any) -> str:
    if not PG_URL:
        path = folder / "consistency.db"
        shutil.copyfile(template_database, path)
        return f"sqlite:///{path}"
    db = Database(PG_URL)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.dispose()
    return PG_URL


@pytest.fixture(scope="module", params=[3, 7, 11])
def seen(request: Any, template_database: str, tmp_path_factory: Any) -> Iterator[Any]:
    """A generated project, a steering-group meeting on the day it is seen, and a client of the
    project leader (the application's today is that day)."""
    seed = request.param
    day = TODAY + timedelta(days=120 + 20 * seed)
    url = _database(template_database, tmp_path_factory.mktemp(f"consistency-{seed}"))
    os.environ["REFORMSTYR_TODAY"] = day.isoformat()
    get_settings.cache_clear()
    db = Database(url)
    app = create_app(Settings(database_url=url, today=day))
    try:
        with db.session() as session:
            out = generate(session, projects=1, tasks=200, seed=seed, reports=False)
            pid = out.projects[0]
            steering = session.exec(
                select(Body).where(Body.project_id == pid, Body.kind == BodyKind.steering_group)
            ).one()
            meeting = Meeting(project_id=pid, body_id=steering.id or 0, meeting_date=day)
            session.add(meeting)
            session.commit()
            meeting_id = meeting.id
        with TestClient(app) as client:
            login(client, "projektleder", PASSWORD)
            client.headers.update(bearer(client, "projektleder", PASSWORD))
            yield client, pid, out.groups[pid], meeting_id, day
    finally:
        os.environ.pop("REFORMSTYR_TODAY", None)
        get_settings.cache_clear()
        app.state.db.dispose()
        db.dispose()


def _page_slips(client: TestClient, pid: int) -> dict[int, int]:
    """The slippage of every milestone as the milestones page shows it, page by page."""
    found: dict[int, int] = {}
    number = 1
    while True:
        html = client.get(f"/projects/{pid}/milestones", params={"page": number}).text
        rows = ROW.findall(html)
        if not rows or int(rows[0][0]) in found:
            return found
        for milestone_id, row in rows:
            cell = SLIP.search(row)
            found[int(milestone_id)] = int(cell.group(1)) if cell else 0
        number += 1


def _draft(client: TestClient, pid: int, day: Any) -> dict[str, Any]:
    """The content of a status report drafted on `day` (a project has one draft at a time)."""
    reports = f"/api/projects/{pid}/status-reports"
    made = client.post(reports, json={"report_date": day.isoformat()})
    if made.status_code == 409:
        [draft] = client.get(reports).json()
        made = client.get(f"{reports}/{draft['id']}")
    assert made.status_code in (200, 201), made.text
    return made.json()["content"]


def test_every_milestone_slips_the_same_on_every_face(seen: Any) -> None:
    client, pid, _groups, meeting_id, day = seen
    api = client.get(f"/api/projects/{pid}/milestones", params={"limit": 500}).json()
    slips = {m["id"]: m["slippage_days"] for m in api}
    assert any(m["health"] == "overdue" for m in api), "the day should leave some overdue"

    assert _page_slips(client, pid) == slips

    gantt = client.get(f"/api/projects/{pid}/gantt", params={"expand": "all"}).json()
    drawn = {
        found.group(1): found.group(2)
        for trace in gantt["data"]
        for hover in trace.get("hovertext") or []
        if (found := GANTT_POINT.search(hover))
    }
    # The Gantt draws the milestones of its window (around today): each as the API has it.
    labels = {m["name"]: HEALTH_LABELS[m["health"]] for m in api}
    assert drawn and drawn == {name: labels[name] for name in drawn}

    pack = client.get(f"/api/projects/{pid}/meetings/{meeting_id}/pack").json()
    late = {m["id"] for m in api if m["health"] in ("overdue", "slipping")}
    assert {m["id"]: m["slippage_days"] for m in pack["slipped_milestones"]} == {
        i: slips[i] for i in late
    }

    in_report = _draft(client, pid, day)["milestone_slips"]
    open_ones = {m["id"] for m in api if m["status"] == "planned"}
    assert {int(k): v for k, v in in_report.items()} == {i: slips[i] for i in open_ones}


def test_every_group_has_the_same_overdue_tasks_on_every_face(seen: Any) -> None:
    client, pid, groups, _meeting_id, day = seen
    compliance = client.get(f"/api/projects/{pid}/plan-compliance").json()
    by_group = {c["group_id"]: c["overdue_tasks"] for c in compliance}
    tasks = f"/api/projects/{pid}/tasks"
    for group_id in groups:
        listed = client.get(tasks, params={"overdue": True, "group_id": group_id, "limit": 1})
        assert int(listed.headers["X-Total-Count"]) == by_group[group_id]
    total = int(client.get(tasks, params={"overdue": True, "limit": 1}).headers["X-Total-Count"])
    assert total > 0, "the day should leave some tasks overdue"
    assert _draft(client, pid, day)["tasks"]["overdue_count"] == total


def test_every_grant_has_the_same_money_left_on_every_face(seen: Any) -> None:
    client, pid, _groups, _meeting_id, day = seen
    left = {}
    for grant in client.get(f"/api/projects/{pid}/grants").json():
        summary = client.get(f"/api/projects/{pid}/grants/{grant['id']}/summary").json()
        left[grant["id"]] = Decimal(summary["remaining"])
    assert left, "the generator gives every project a grant"
    board = client.get("/api/dashboard").json()
    [line] = [p for p in board["projects"] if p["id"] == pid]
    assert Decimal(line["money_left"]) == sum(left.values())
    rows = _draft(client, pid, day)["grants"]
    assert {r["id"]: Decimal(r["remaining_ore"]) / 100 for r in rows} == left
