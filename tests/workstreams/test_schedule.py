"""The schedule as data (`GET /api/projects/{id}/schedule`): what the Gantt draws, with ids, ISO
dates, the hierarchy, baselines and slippage — checked against the workstreams' own figures."""

from datetime import date

from sqlmodel import select

from app.workstreams.models import Task
from tests.factories import bearer
from tests.workstreams.factories import approved_plan, make_task


def test_the_schedule_carries_ids_dates_hierarchy_baselines_and_slippage(client, world, session):
    approved_plan(session, world)  # a task due 28.02.2013 and a milestone on 15.03.2013, baselined
    [baselined] = session.exec(select(Task)).all()
    # A sub-task due a week later: the parent's due date rolls up to it.
    child = make_task(
        session, world, title="Interview", parent_id=baselined.id, due_date=date(2013, 3, 7)
    )
    later = make_task(session, world, title="Opsamling", depends_on=[child.id])

    answer = client.get(
        f"/api/projects/{world.project.id}/schedule",
        params={"as_of": "2013-04-01"},
        headers=bearer(client, "directorate"),
    )
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["as_of"] == "2013-04-01"
    rows = {t["id"]: t for t in plan["tasks"]}
    assert [t["id"] for t in plan["tasks"]] == [baselined.id, child.id, later.id]
    parent = rows[baselined.id]
    assert (parent["number"], parent["level"], parent["parent_id"]) == ("1", 1, None)
    assert (rows[child.id]["number"], rows[child.id]["parent_id"]) == ("1.1", baselined.id)
    assert parent["baseline_due_date"] == "2013-02-28"
    assert parent["slippage_days"] == 7 and parent["due_date"] == "2013-03-07"
    assert rows[later.id]["depends_on"] == [child.id]
    assert {"task_id": later.id, "depends_on_id": child.id} in plan["dependencies"]
    [milestone] = plan["milestones"]
    # Still open after its date on 01.04.2013: slipped to that day (describe_milestone).
    assert milestone["baseline_date"] == "2013-03-15"
    assert milestone["slippage_days"] == (date(2013, 4, 1) - date(2013, 3, 15)).days


def test_the_schedule_of_an_unknown_group_or_another_project_is_404(client, world):
    headers = bearer(client, "leader")
    unknown = client.get(
        f"/api/projects/{world.project.id}/schedule", params={"group_id": 999999}, headers=headers
    )
    assert unknown.status_code == 404
    assert client.get(
        f"/api/projects/{world.other_project.id}/schedule", headers=headers
    ).status_code in (403, 404)
