"""One figure, one computation (issue 19): for generated projects seen on a day after much of
their work was due, every figure the generator gives a project reads the same on every face that
shows it — the API, the pages (parsed from their HTML), the Gantt JSON, the steering group's
meeting pack and a status report drafted that day:

- each milestone's slippage: API, milestones page, Gantt, pack, draft;
- each group's overdue tasks: compliance API, tasks API, the group's page (the »Forfalden« rows),
  the plans page, draft; and each group's plan compliance (level, problems, slipped milestones,
  meeting rule, approved baseline): compliance API, plans page, group page, draft;
- each grant's money left: grant summary API, dashboard API, budget page (table and figures),
  draft;
- each RAID item's review overdue and score: RAID API, risk register page; the top risks: API,
  draft;
- each indicator's progress, next measurement and whether it is missing: API, indicators page.

The portfolio comes from the benchmark's generator (bench/generator.py) with several seeds; the
day is moved past the generator's `TODAY` so that milestones, tasks and reviews fall overdue, and
meeting rules, meetings and approving decisions are added so that plan compliance varies."""

import html
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.config import Settings, get_settings
from app.db import Database
from app.governance.models import Body, BodyKind, Decision, Meeting
from app.main import create_app
from app.risks.rules import DUE_LABELS, PROGRESS_LABELS, RISK_LEVEL_LABELS
from app.workstreams.milestones import HEALTH_LABELS
from app.workstreams.models import GroupSetting, Plan, PlanStatus, PlanVersion
from bench.generator import PASSWORD, TODAY, generate
from tests.conftest import fresh_database
from tests.factories import bearer, login

GANTT_POINT = re.compile(r"◆ (.*?)</b>.*Status: .* – (.*)$")
ROW = re.compile(r'<tr id="milestone-(\d+)"[^>]*>(.*?)</tr>', re.S)
SLIP = re.compile(r"([+-]?\d+) dage?\b")
TASK_ROW = re.compile(r'<tr id="task-(\d+)"[^>]*>(.*?)</tr>', re.S)
GROUP_ROW = re.compile(r'<tr data-group="(\d+)"[^>]*>(.*?)</tr>', re.S)
GRANT_ROW = re.compile(r'<tr data-grant="(\d+)"[^>]*>(.*?)</tr>', re.S)
ITEM_ROW = re.compile(r'<tr id="item-(\d+)"[^>]*>(.*?)</tr>', re.S)
INDICATOR_ROW = re.compile(r'<tr id="indicator-(\d+)"[^>]*>(.*?)</tr>', re.S)
CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
BADGE = re.compile(r'<span class="badge badge--(\w+)">([^<]*)</span>')
ITEM = re.compile(r"<li>(.*?)</li>", re.S)
DAY = re.compile(r"(\d\d)\.(\d\d)\.(\d{4})")
BASELINE = re.compile(r"Version (\d+)")
KRONER = re.compile(r"(-?[\d.]+(?:,\d\d)?) kr\.")
LEFT = re.compile(r"<dt>Tilbage</dt><dd>(.*?)</dd>")
STATUS_CARD = re.compile(r'<section class="card ws-status".*?</section>', re.S)
STATUS_HEADING = re.compile(r'<h2 id="overholdelse".*?</h2>', re.S)
LAST_MEETING = re.compile(r"Seneste møde med projektledelsen:</strong>\s*(\S+)")
OVERDUE_REVIEWS = re.compile(r"(\d+) med overskredet revisionsdato")


@pytest.fixture(scope="module", params=[3, 7, 11])
def seen(request: Any, template_database: str, tmp_path_factory: Any) -> Iterator[Any]:
    """A generated project, a steering-group meeting on the day it is seen, and a client of the
    project leader (the application's today is that day)."""
    seed = request.param
    day = TODAY + timedelta(days=120 + 20 * seed)
    url = fresh_database(template_database, tmp_path_factory.mktemp(f"consistency-{seed}"))
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
            _rules_and_approvals(session, pid, out.groups[pid], day)
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


def _rules_and_approvals(session: Session, pid: int, groups: list[int], day: Any) -> None:
    """What the generator leaves out of plan compliance: a meeting rule for every group but the
    first (met by some, broken by others), meetings with the project management, and each
    approved plan version approved by a decision of the project."""
    for n, group_id in enumerate(groups[1:], start=1):
        session.add(GroupSetting(project_id=pid, body_id=group_id, meeting_interval_days=30))
        if n % 2:
            met = day - timedelta(days=10 * n)
            session.add(
                Meeting(
                    project_id=pid, body_id=group_id, meeting_date=met, with_project_management=True
                )
            )
    decisions = session.exec(select(Decision).where(Decision.project_id == pid)).all()
    plan_ids = select(Plan.id).where(Plan.project_id == pid)
    approved = session.exec(
        select(PlanVersion).where(
            col(PlanVersion.plan_id).in_(plan_ids), PlanVersion.status == PlanStatus.approved
        )
    ).all()
    for n, version in enumerate(approved):
        version.decision_id = decisions[n % len(decisions)].id
        session.add(version)


def _rows(client: TestClient, url: str, row: re.Pattern[str]) -> dict[int, str]:
    """Every row of a paged table (id → its HTML), page by page until a page repeats or is
    empty (a page past the last shows the last again)."""
    found: dict[int, str] = {}
    number = 1
    while True:
        rows = row.findall(client.get(url, params={"page": number}).text)
        if not rows or int(rows[0][0]) in found:
            return found
        found |= {int(i): html_row for i, html_row in rows}
        number += 1


def _page_slips(client: TestClient, pid: int) -> dict[int, int]:
    """The slippage of every milestone as the milestones page shows it."""
    return {
        i: int(cell.group(1)) if (cell := SLIP.search(row)) else 0
        for i, row in _rows(client, f"/projects/{pid}/milestones", ROW).items()
    }


def _text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities read, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _day(text: str) -> str | None:
    """The first Danish date (22.11.2012) in a text, as ISO (2012-11-22)."""
    found = DAY.search(text)
    return f"{found.group(3)}-{found.group(2)}-{found.group(1)}" if found else None


def _kroner(text: str) -> Decimal:
    """An amount as the pages write it (461.474 kr., 1.000,50 kr., -25,00 kr.) in kroner."""
    found = KRONER.search(text)
    assert found, f"no amount in {text!r}"
    return Decimal(found.group(1).replace(".", "").replace(",", "."))


def _compliance(heading: str, card: str) -> dict[str, Any]:
    """What a group's compliance shows: the badge in `heading` (the part that holds the
    compliance badge alone), the problems listed in `card` and whether it says the meeting
    rule is broken."""
    [(level, label)] = BADGE.findall(heading)
    return {
        "level": level,
        "label": _text(label),
        "problems": [_text(p) for p in ITEM.findall(card)],
        "meeting_overdue": "Møde overskredet" in card,
    }


def _api_compliance(c: dict[str, Any]) -> dict[str, Any]:
    return {key: c[key] for key in ("level", "label", "problems", "meeting_overdue")}


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
    plans_page = _rows(client, f"/projects/{pid}/plans", GROUP_ROW)
    tasks = f"/api/projects/{pid}/tasks"
    for group_id in groups:
        listed = client.get(tasks, params={"overdue": True, "group_id": group_id, "limit": 500})
        overdue = {t["id"] for t in listed.json()}
        assert int(listed.headers["X-Total-Count"]) == len(overdue) == by_group[group_id]
        # The group's page marks exactly those rows »Forfalden«; the plans page counts them.
        on_page = _rows(client, f"/projects/{pid}/groups/{group_id}", TASK_ROW)
        assert {i for i, row in on_page.items() if "Forfalden" in row} == overdue, group_id
        cells = CELL.findall(plans_page[group_id])
        assert int(_text(cells[3])) == len(overdue), group_id
    total = int(client.get(tasks, params={"overdue": True, "limit": 1}).headers["X-Total-Count"])
    assert total > 0, "the day should leave some tasks overdue"
    assert _draft(client, pid, day)["tasks"]["overdue_count"] == total


def test_every_group_complies_alike_on_every_face(seen: Any) -> None:
    """Plan compliance per group: the API, the plans page's row, the group's page and the
    draft's plans (approved baseline and its day)."""
    client, pid, groups, _meeting_id, day = seen
    api = {c["group_id"]: c for c in client.get(f"/api/projects/{pid}/plan-compliance").json()}
    assert set(api) == set(groups)
    plans_page = _rows(client, f"/projects/{pid}/plans", GROUP_ROW)
    assert set(plans_page) == set(groups)
    in_report = {p["group"]: p for p in _draft(client, pid, day)["plans"]}
    for group_id, c in api.items():
        row = plans_page[group_id]
        _name, _plan, baseline, _overdue, slipped, meeting, judged = CELL.findall(row)
        assert _compliance(judged, row) == _api_compliance(c), group_id
        baseline, slipped, meeting = _text(baseline), _text(slipped), _text(meeting)
        assert int(slipped) == c["slipped_milestones"], group_id
        assert _day(meeting) == c["last_meeting_date"], group_id
        shown = BASELINE.search(baseline)
        assert (int(shown.group(1)) if shown else None) == c["baseline_version"], group_id
        drafted = in_report[c["group_name"]]
        assert drafted["baseline_number"] == c["baseline_version"], group_id
        assert _day(baseline) == drafted["approved_date"], group_id

        found = STATUS_CARD.search(client.get(f"/projects/{pid}/groups/{group_id}").text)
        assert found, group_id
        card = found.group(0)
        heading = STATUS_HEADING.search(card)
        assert heading and _compliance(heading.group(0), card) == _api_compliance(c), group_id
        last = LAST_MEETING.search(card)
        assert last and _day(last.group(1)) == c["last_meeting_date"], group_id
    # The fixture's rules and approvals make each of these figures differ between groups.
    assert {c["meeting_overdue"] for c in api.values()} == {True, False}
    assert {c["last_meeting_date"] is None for c in api.values()} == {True, False}
    assert any(p["approved_date"] for p in in_report.values())


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

    # The budget page: the grants' table (its last amount is »Tilbage«) and, for the grant
    # chosen, the figure »Tilbage«.
    budget = f"/projects/{pid}/budget"
    table = GRANT_ROW.findall(client.get(budget).text)
    assert {int(i): _kroner(CELL.findall(row)[-1]) for i, row in table} == left
    for grant_id in left:
        figure = LEFT.search(client.get(budget, params={"grant": grant_id}).text)
        assert figure and _kroner(figure.group(1)) == left[grant_id], grant_id

    # The dashboard and the project's front page: what is left of all the grants.
    row = re.search(
        rf'<a href="/projects/{pid}/reports">.*?</tr>', client.get("/dashboard").text, re.S
    )
    assert row and _kroner(CELL.findall(row.group(0))[3]) == sum(left.values())
    home = re.search(r"<strong>(.*?)</strong> tilbage af", client.get(f"/projects/{pid}").text)
    assert home and _kroner(home.group(1)) == sum(left.values())


def test_the_open_milestones_of_the_dashboard_slip_as_their_own(seen: Any) -> None:
    """The dashboard and the front page list the first open milestones, overdue first, each
    with the health and slippage the milestones API gives it."""
    client, pid, _groups, _meeting_id, _day = seen
    api = {
        m["id"]: m
        for m in client.get(f"/api/projects/{pid}/milestones", params={"limit": 500}).json()
    }
    board = client.get("/api/dashboard").json()
    [line] = [p for p in board["projects"] if p["id"] == pid]
    shown = line["next_milestones"]
    opened = sorted(
        (m for m in api.values() if m["status"] == "planned"),
        key=lambda m: (m["forecast_date"] or m["planned_date"], m["id"]),
    )
    assert [m["id"] for m in shown] == [m["id"] for m in opened[:3]]
    for m in shown:
        assert (m["health"], m["slippage_days"]) == (
            api[m["id"]]["health"],
            api[m["id"]]["slippage_days"],
        )
    home = client.get(f"/projects/{pid}").text
    for m in shown:
        item = re.search(
            rf"{re.escape(m['name'])}\s*<span class=\"badge badge--\w+\">([^<]*)</span>(.*?)</li>",
            home,
            re.S,
        )
        assert item and item.group(1) == HEALTH_LABELS[m["health"]], m["name"]
        days = SLIP.search(item.group(2))
        assert (int(days.group(1)) if days else 0) == max(m["slippage_days"], 0), m["name"]


def test_every_raid_item_reads_the_same_in_the_register_and_the_api(seen: Any) -> None:
    """Each item's review overdue and risk score: the RAID API and the register page; the top
    risks: their API and the draft."""
    client, pid, _groups, _meeting_id, day = seen
    api = client.get(f"/api/projects/{pid}/risks").json()
    overdue = {i["id"] for i in api if i["review_overdue"]}
    assert overdue, "the day should leave some reviews overdue"
    page = client.get(f"/projects/{pid}/risks").text
    rows = {int(i): row for i, row in ITEM_ROW.findall(page)}
    assert set(rows) == {i["id"] for i in api}
    assert {i for i, row in rows.items() if "Revision overskredet" in row} == overdue
    counted = OVERDUE_REVIEWS.search(page)
    assert counted and int(counted.group(1)) == len(overdue)
    for item in api:
        score = _text(CELL.findall(rows[item["id"]])[4])
        level = RISK_LEVEL_LABELS[item["level"]].lower() if item["level"] else ""
        assert score == (f"{item['score']} {level}" if item["score"] else "–"), item["id"]

    top = client.get(f"/api/projects/{pid}/risks/top").json()
    drafted = _draft(client, pid, day)["risks"]
    assert [(r["id"], r["score"], r["review_date"]) for r in drafted] == [
        (r["id"], r["score"], r["review_date"]) for r in top
    ]


def test_every_indicator_reads_the_same_on_its_page_and_in_the_api(seen: Any) -> None:
    """Each indicator's progress, next measurement day and due state (»Måling mangler« …)."""
    client, pid, _groups, _meeting_id, _day_seen = seen
    api = client.get(f"/api/projects/{pid}/indicators").json()
    assert api, "the generator gives every project indicators"
    rows = {
        int(i): row
        for i, row in INDICATOR_ROW.findall(client.get(f"/projects/{pid}/indicators").text)
    }
    assert set(rows) == {i["id"] for i in api}
    for indicator in api:
        cells = CELL.findall(rows[indicator["id"]])
        progress, due = cells[-2], cells[-1]
        assert _text(progress) == PROGRESS_LABELS[indicator["progress"]], indicator["id"]
        assert [label for _kind, label in BADGE.findall(due)] == [
            DUE_LABELS[indicator["due_state"]]
        ]
        assert _day(due) == indicator["next_due_date"], indicator["id"]
    assert any(i["measurement_missing"] for i in api), "the day should leave some unmeasured"
