from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event
from sqlmodel import func, select

from app import clock
from app.governance.models import Decision
from app.workstreams.models import Milestone, PlanVersion, ProgressEntry, Task
from tests.factories import bearer
from tests.workstreams.factories import approved_plan, make_milestone, make_plan, make_task


def url(world, path: str) -> str:
    return f"/api/projects/{world.project.id}/{path}"


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@contextmanager
def counted_queries(app):
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = app.state.db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


# Tasks


def test_group_member_creates_reads_and_updates_own_tasks(client, world):
    headers = bearer(client, "member_a")
    created = client.post(
        url(world, "tasks"),
        headers=headers,
        json={
            "title": "Kortlæg borgere i risiko for førtidspension",
            "group_id": world.group_a.id,
            "start_date": "2013-01-07",
            "due_date": "2013-03-29",
            "progress": 10,
        },
    )
    assert created.status_code == 201, created.text
    task = created.json()
    assert (task["status"], task["progress"], task["version"], task["due_date"]) == (
        "in_progress",
        10,
        1,
        "2013-03-29",
    )
    answer = client.patch(
        url(world, f"tasks/{task['id']}"), headers=headers, json={"progress": 60, "version": 1}
    )
    assert answer.status_code == 200 and answer.json()["version"] == 2
    assert (
        client.get(url(world, f"tasks/{task['id']}"), headers=bearer(client, "directorate")).json()[
            "progress"
        ]
        == 60
    )


def test_another_groups_task_is_403_and_nothing_changes(client, world, session):
    task = make_task(session, world, group_id=world.group_b.id, title="B's opgave")
    headers = bearer(client, "member_a")
    answer = client.patch(
        url(world, f"tasks/{task.id}"), headers=headers, json={"title": "Overtaget", "version": 1}
    )
    assert answer.status_code == 403
    refused = client.post(
        url(world, "tasks"), headers=headers, json={"title": "Snyd", "group_id": world.group_b.id}
    )
    assert refused.status_code == 403
    session.refresh(task)
    assert task.title == "B's opgave" and count(session, Task) == 1
    for name in ("directorate", "steering", "secretariat"):
        answer = client.post(
            url(world, "tasks"),
            headers=bearer(client, name),
            json={"title": "X", "group_id": world.group_a.id},
        )
        assert answer.status_code == 403


def test_bad_input_is_422_naming_the_field(client, world, session):
    headers = bearer(client, "leader")
    progress = client.post(
        url(world, "tasks"),
        headers=headers,
        json={"title": "X", "group_id": world.group_a.id, "progress": 140},
    )
    assert progress.status_code == 422
    assert progress.json()["errors"][0]["field"] == "progress"
    assert "»Fremdrift« må højst være 100" in progress.json()["errors"][0]["message"]
    dates = client.post(
        url(world, "tasks"),
        headers=headers,
        json={
            "title": "X",
            "group_id": world.group_a.id,
            "start_date": "2013-02-01",
            "due_date": "2013-01-31",
        },
    )
    assert dates.status_code == 422
    assert dates.json()["errors"] == [
        {
            "in": "body",
            "field": "due_date",
            "code": "invalid",
            "message": "Slutdatoen (31.01.2013) ligger før startdatoen (01.02.2013).",
        }
    ]
    assert count(session, Task) == 0


def test_a_dependency_cycle_is_422(client, world, session):
    a = make_task(session, world, title="A")
    b = make_task(session, world, title="B", depends_on=[a.id])
    answer = client.patch(
        url(world, f"tasks/{a.id}"),
        headers=bearer(client, "leader"),
        json={"depends_on": [b.id], "version": 1},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "depends_on"
    assert "cirkel" in answer.json()["errors"][0]["message"]


def test_two_people_editing_the_same_task_second_save_is_409(client, world, session):
    task = make_task(session, world, title="Fælles")
    first = client.patch(
        url(world, f"tasks/{task.id}"),
        headers=bearer(client, "member_a"),
        json={"title": "Lenes titel", "version": 1},
    )
    second = client.patch(
        url(world, f"tasks/{task.id}"),
        headers=bearer(client, "leader"),
        json={"title": "Christinas titel", "version": 1},
    )
    assert (first.status_code, second.status_code) == (200, 409)
    assert "version 1, nu version 2" in second.json()["detail"]
    session.refresh(task)
    assert task.title == "Lenes titel"
    missing = client.patch(
        url(world, f"tasks/{task.id}"),
        headers=bearer(client, "leader"),
        json={"title": "Uden version"},
    )
    assert missing.status_code == 428 and missing.json()["current_version"] == 2


def test_task_log_is_posted_and_listed_newest_first(client, world, session):
    task = make_task(session, world)
    headers = bearer(client, "member_a")
    for text in ("Møde holdt med Regionen", "Udkast klar"):
        answer = client.post(
            url(world, f"tasks/{task.id}/log"),
            headers=headers,
            json={"text": text, "status": "in_progress"},
        )
        assert answer.status_code == 201
    log = client.get(url(world, f"tasks/{task.id}/log"), headers=headers)
    assert [e["text"] for e in log.json()] == ["Udkast klar", "Møde holdt med Regionen"]
    assert log.headers["x-total-count"] == "2"
    refused = client.post(
        url(world, f"tasks/{task.id}/log"), headers=bearer(client, "member_b"), json={"text": "Hej"}
    )
    assert refused.status_code == 403 and count(session, ProgressEntry) == 2


def test_task_list_filters_paginates_and_does_not_query_per_row(client, world, session, app):
    for i in range(3):
        make_task(session, world, title=f"A{i}")
    make_task(session, world, title="Løs", group_id=None)
    headers = bearer(client, "leader")
    page = client.get(url(world, "tasks"), headers=headers, params={"offset": 1, "limit": 2})
    assert page.headers["x-total-count"] == "4" and len(page.json()) == 2
    loose = client.get(url(world, "tasks"), headers=headers, params={"unanchored": True})
    assert [t["title"] for t in loose.json()] == ["Løs"] and not loose.json()[0]["anchored"]
    with counted_queries(app) as few:
        client.get(url(world, "tasks"), headers=headers)
    for i in range(20):
        make_task(session, world, title=f"B{i}")
    with counted_queries(app) as many:
        client.get(url(world, "tasks"), headers=headers)
    assert len(many) == len(few)


def test_tasks_of_another_project_are_404(client, world, session):
    task = make_task(session, world)
    other = f"/api/projects/{world.other_project.id}/tasks/{task.id}"
    assert client.get(other, headers=bearer(client, "outsider")).status_code == 404
    assert (
        client.get(url(world, f"tasks/{task.id}"), headers=bearer(client, "outsider")).status_code
        == 403
    )


def test_delete_task_is_204(client, world, session):
    task = make_task(session, world)
    answer = client.delete(
        url(world, f"tasks/{task.id}"), params={"version": 1}, headers=bearer(client, "member_a")
    )
    assert answer.status_code == 204 and count(session, Task) == 0


# Milestones


def test_milestones_carry_iso_dates_and_slippage(client, world, session):
    headers = bearer(client, "leader")
    planned = clock.today() + timedelta(days=30)
    created = client.post(
        url(world, "milestones"),
        headers=headers,
        json={"name": "Loven træder i kraft", "planned_date": planned.isoformat()},
    )
    assert created.status_code == 201
    m = created.json()
    assert (m["group_id"], m["planned_date"], m["forecast_date"], m["slippage_days"]) == (
        None,
        planned.isoformat(),
        None,
        0,
    )
    forecast = planned + timedelta(days=14)
    moved = client.patch(
        url(world, f"milestones/{m['id']}"),
        headers=headers,
        json={"forecast_date": forecast.isoformat(), "version": 1},
    )
    assert moved.status_code == 200
    assert (moved.json()["slippage_days"], moved.json()["slippage_weeks"]) == (14, 2.0)
    outdated = client.patch(
        url(world, f"milestones/{m['id']}"),
        headers=headers,
        json={"forecast_date": (forecast + timedelta(days=7)).isoformat(), "version": 1},
    )
    assert outdated.status_code == 409
    listed = client.get(url(world, "milestones"), headers=headers, params={"project_wide": True})
    assert [x["name"] for x in listed.json()] == ["Loven træder i kraft"]


def test_group_member_cannot_change_project_milestones(client, world, session):
    m = make_milestone(session, world, group_id=None)
    answer = client.patch(
        url(world, f"milestones/{m.id}"),
        headers=bearer(client, "member_a"),
        json={"forecast_date": "2013-05-01", "version": 1},
    )
    assert answer.status_code == 403
    session.refresh(m)
    assert m.forecast_date is None
    deleted = client.delete(
        url(world, f"milestones/{m.id}"), params={"version": 1}, headers=bearer(client, "leader")
    )
    assert deleted.status_code == 204 and count(session, Milestone) == 0


# Plans


def test_the_plan_workflow_over_the_api(client, world, session):
    member = bearer(client, "member_a")
    make_task(session, world)
    created = client.post(url(world, "plans"), headers=member, json={"group_id": world.group_a.id})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    plan_id = created.json()["id"]
    submitted = client.post(
        url(world, f"plans/{plan_id}/submit"), headers=member, json={"note": "Til godkendelse"}
    )
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["versions"][0]["snapshot"]["tasks"][0]["title"] == (
        "Kortlæg arbejdsgange"
    )
    refused = client.post(url(world, f"plans/{plan_id}/approve"), headers=member, json={})
    assert refused.status_code == 403 and count(session, Decision) == 0
    no_comment = client.post(
        url(world, f"plans/{plan_id}/return"),
        headers=bearer(client, "steering"),
        json={"comment": ""},
    )
    assert no_comment.status_code == 422
    assert no_comment.json()["errors"][0]["field"] == "comment"
    approved = client.post(
        url(world, f"plans/{plan_id}/approve"),
        headers=bearer(client, "steering"),
        json={"comment": "Godkendt", "decision_date": "2013-02-26"},
    )
    assert approved.status_code == 200
    body = approved.json()
    assert (body["status"], body["baseline_version"]) == ("approved", 1)
    decision = session.get(Decision, body["versions"][0]["decision_id"])
    assert (decision.kind, decision.decision_date) == ("plan_approval", date(2013, 2, 26))
    listed = client.get(
        url(world, "plans"), headers=bearer(client, "directorate"), params={"status": "approved"}
    )
    assert [p["group_name"] for p in listed.json()] == ["Gruppe A"]


def test_an_approved_plan_is_409_until_a_new_draft_is_made(client, world, session):
    plan = approved_plan(session, world)
    headers = bearer(client, "member_a")
    edited = client.patch(
        url(world, f"plans/{plan.id}"),
        headers=headers,
        json={"title": "Ændret", "version": plan.version},
    )
    assert edited.status_code == 409
    assert "ny kladde" in edited.json()["detail"]
    draft = client.patch(
        url(world, f"plans/{plan.id}"),
        headers=headers,
        json={"status": "draft", "version": plan.version},
    )
    assert draft.status_code == 200
    assert [v["status"] for v in draft.json()["versions"]] == ["approved", "draft"]
    task = session.exec(select(Task)).one()
    client.patch(
        url(world, f"tasks/{task.id}"),
        headers=headers,
        json={"due_date": "2013-03-07", "version": task.version},
    )
    detail = client.get(url(world, f"plans/{plan.id}"), headers=headers).json()
    assert [(c["kind"], c["change"]) for c in detail["changes_since_baseline"]] == [
        ("task", "moved")
    ]
    assert detail["changes_since_baseline"][0]["fields"][0]["days"] == 7
    assert count(session, PlanVersion) == 2


def test_other_groups_plans_are_403(client, world, session):
    plan = make_plan(session, world, world.group_b)
    headers = bearer(client, "member_a")
    assert (
        client.patch(
            url(world, f"plans/{plan.id}"), headers=headers, json={"title": "X", "version": 1}
        ).status_code
        == 403
    )
    assert (
        client.post(url(world, f"plans/{plan.id}/submit"), headers=headers, json={}).status_code
        == 403
    )
    assert client.delete(url(world, f"plans/{plan.id}"), headers=headers).status_code == 403


# Compliance and meeting rules


def test_compliance_and_meeting_rule_over_the_api(client, world, session):
    approved_plan(session, world)
    items = client.get(url(world, "plan-compliance"), headers=bearer(client, "directorate"))
    by_name = {c["group_name"]: c for c in items.json()}
    assert by_name["Gruppe A"]["baseline_version"] == 1
    assert by_name["Gruppe B"]["level"] == "red"
    path = url(world, f"group-settings/{world.group_a.id}")
    refused = client.patch(
        path, headers=bearer(client, "member_a"), json={"meeting_interval_days": 28, "version": 0}
    )
    assert refused.status_code == 403
    answer = client.patch(
        path, headers=bearer(client, "leader"), json={"meeting_interval_days": 28, "version": 0}
    )
    assert answer.status_code == 200
    assert (answer.json()["meeting_interval_days"], answer.json()["version"]) == (28, 1)
    assert (
        client.patch(
            path,
            headers=bearer(client, "leader"),
            json={"meeting_interval_days": 400, "version": 1},
        ).status_code
        == 422
    )


def test_openapi_names_every_path(client, world):
    paths = client.get("/openapi.json", headers=bearer(client, "leader")).json()["paths"]
    base = "/api/projects/{project_id}"
    for path in (
        "/tasks",
        "/tasks/{task_id}",
        "/tasks/{task_id}/log",
        "/milestones",
        "/milestones/{milestone_id}",
        "/plans",
        "/plans/{plan_id}",
        "/plans/{plan_id}/submit",
        "/plans/{plan_id}/approve",
        "/plans/{plan_id}/return",
        "/plan-compliance",
        "/group-settings/{group_id}",
    ):
        assert base + path in paths
    assert set(paths[base + "/tasks/{task_id}"]) >= {"get", "patch", "delete"}
    assert "/projects/{project_id}/groups/{group_id}" not in paths  # pages are not the API
