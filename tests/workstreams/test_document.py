import copy
from datetime import date

import pytest
from sqlmodel import select

from app.demo.loader import demo_document
from app.errors import InvalidDocument
from app.governance.models import Decision, Project
from app.projectdoc.document import export_project, import_project, parse
from app.workstreams import baselines, compliance
from app.workstreams import milestones as workstreams_milestones
from app.workstreams import tasks as workstreams_tasks
from app.workstreams.models import PlanStatus, Task


@pytest.fixture
def demo(session) -> Project:
    return import_project(session=session, data=demo_document(), by=None)


def test_the_demo_has_a_plan_per_group_in_different_states(session, demo):
    items = {c.group.name: c for c in compliance.compliance(session=session, project_id=demo.id)}
    states = {name: [v.status for v in c.versions] for name, c in items.items()}
    assert states == {
        "Information til eksterne interessenter": [PlanStatus.approved, PlanStatus.draft],
        "Uddannelse af medarbejdere": [PlanStatus.submitted],
        "Organisering af rehabiliteringsteam": [PlanStatus.returned, PlanStatus.approved],
        "Sammensætning af ressourceforløb": [PlanStatus.draft],
    }
    info = items["Information til eksterne interessenter"]
    assert {(c.change, c.title) for c in info.changes} == {
        ("added", "Information til unge under 30 år om ressourceforløb"),
        ("moved", "Informationsmøde for de praktiserende læger"),
    }
    decision = session.get(Decision, info.baseline.decision_id)
    assert (decision.kind, decision.decision_date.isoformat()) == ("plan_approval", "2013-01-15")
    assert decision.meeting_id is not None
    returned = items["Organisering af rehabiliteringsteam"].versions[0]
    assert session.get(Decision, returned.decision_id).kind == "plan_return"


def test_the_demo_has_unanchored_work_progress_and_a_slipped_milestone(session, demo):
    loose, _ = workstreams_tasks.list_tasks(session=session, project_id=demo.id, unanchored=True)
    assert [v.task.title for v in loose] == [
        "Håndtering af verserende sager ved overgangen til den nye lovgivning"
    ]
    tasks, _ = workstreams_tasks.list_tasks(session=session, project_id=demo.id, with_log=5)
    assert sum(len(v.entries) for v in tasks) >= 5
    milestones, _ = workstreams_milestones.list_milestones(
        session=session, project_id=demo.id, on=date(2013, 4, 1)
    )
    by_name = {v.milestone.name: v for v in milestones}
    # Planned 01.03.2013, expected 12.04.2013: 42 days late as long as 12.04 is ahead.
    assert by_name["Samarbejdsaftale med Region Syddanmark underskrevet"].slippage_days == 42
    assert by_name["Reformen træder i kraft"].milestone.actual_date.isoformat() == "2013-01-01"
    assert by_name["Tilskudsperioden for puljemidlerne slutter"].baseline_date.isoformat() == (
        "2013-07-01"
    )
    dates = [t.task.start_date for t in tasks] + [t.task.due_date for t in tasks]
    assert min(dates).isoformat() >= "2012-11-01" and max(dates).isoformat() <= "2015-11-30"


def test_export_import_export_gives_the_same_document(session, demo):
    first = export_project(session=session, project=demo)
    second_project = import_project(session=session, data=copy.deepcopy(first), by=None)
    second = export_project(session=session, project=second_project)
    assert first == second
    assert len(first["plans"]) == 4 and first["plans"][0]["versions"][0]["decision"]
    snapshot_task = first["plans"][0]["versions"][0]["snapshot"]["tasks"][0]
    assert snapshot_task["task"].startswith("task-")


def test_a_deleted_task_stays_in_the_snapshot_after_a_round_trip(session, demo):
    base = baselines.baselines(session=session, project_id=demo.id)
    task_id = next(iter(base.task_dates))
    session.delete(session.get(Task, task_id))
    session.commit()
    first = export_project(session=session, project=demo)
    removed = [
        t
        for p in first["plans"]
        for v in p["versions"]
        if v["snapshot"]
        for t in v["snapshot"]["tasks"]
        if t["task"] is None
    ]
    assert len(removed) == 1
    again = export_project(
        session=session, project=import_project(session=session, data=first, by=None)
    )
    assert again == first


def errors_of(document) -> dict[str, str]:
    with pytest.raises(InvalidDocument) as exc:
        parse(document)
    return {e["path"]: e["message"] for e in exc.value.errors}


def test_an_invalid_workstreams_section_is_refused_with_paths():
    doc = demo_document()
    doc["tasks"][1]["depends_on"] = ["findes-ikke"]
    doc["tasks"][0]["depends_on"] = ["info-regionen"]  # which depends on info-plan
    doc["tasks"][2]["due_date"] = "2012-01-01"
    doc["milestones"][0]["group"] = "styregruppe"
    doc["plans"][1]["versions"].append(dict(doc["plans"][1]["versions"][0], number=2))
    errors = errors_of(doc)
    assert "$.tasks[1].depends_on[0]" in errors
    assert errors["$.tasks[0].depends_on"] == "Afhængighederne giver en cirkel."
    assert "$.tasks[2].due_date" in errors
    assert errors["$.milestones[0].group"] == "»styregruppe« er ikke en implementeringsgruppe."
    assert errors["$.plans[1].versions"] == ("Højst én version kan afvente en beslutning.")


def test_progress_above_100_in_a_document_names_its_path():
    doc = demo_document()
    doc["tasks"][0]["progress"] = 140
    assert "$.tasks[0].progress" in errors_of(doc)


def test_nothing_is_stored_when_a_document_is_invalid(session):
    doc = demo_document()
    doc["plans"][0]["versions"][0]["decision"] = "ukendt-beslutning"
    with pytest.raises(InvalidDocument):
        import_project(session=session, data=doc, by=None)
    assert session.exec(select(Project)).all() == []


# The plan's structure (issue 20)


def _with_tree(doc: dict) -> dict:
    """The demo's first group's first task gets a sub-task with a sub-task of its own."""
    first = doc["tasks"][0]
    doc["tasks"] += [
        {
            "key": "tree-activity",
            "group": first.get("group"),
            "parent": first["key"],
            "title": "Aktivitet under den første opgave",
            "start_date": "2012-12-03",
            "due_date": "2012-12-21",
            "progress": 50,
        },
        {
            "key": "tree-step",
            "group": first.get("group"),
            "parent": "tree-activity",
            "title": "Trin under aktiviteten",
            "start_date": "2012-12-10",
            "due_date": "2013-01-18",
            "status": "done",
            "progress": 100,
            "completed_date": "2013-01-18",
        },
    ]
    return doc


def test_a_three_level_tree_survives_the_round_trip_with_parents_first(session):
    doc = _with_tree(demo_document())
    project = import_project(session=session, data=doc, by=None)
    rows = session.exec(select(Task).where(Task.project_id == project.id)).all()
    by_title = {t.title: t for t in rows}
    step = by_title["Trin under aktiviteten"]
    activity = session.get(Task, step.parent_id)
    top = session.get(Task, activity.parent_id)
    assert activity.title == "Aktivitet under den første opgave" and top.parent_id is None
    # Rolled up on loading: the activity's only child is done.
    assert (activity.status, activity.progress) == ("done", 100)
    assert activity.due_date == date(2013, 1, 18)
    first = export_project(session=session, project=project)
    keys = [t["key"] for t in first["tasks"]]
    parents = {t["key"]: t.get("parent") for t in first["tasks"]}
    tree = [k for k in keys if parents[k]]
    assert len(tree) == 2
    for key in tree:
        assert keys.index(parents[key]) < keys.index(key)
    second = export_project(
        session=session, project=import_project(session=session, data=copy.deepcopy(first), by=None)
    )
    assert first == second


def test_a_document_with_a_bad_parent_is_refused_with_paths():
    doc = _with_tree(demo_document())
    doc["tasks"][-1]["parent"] = "findes-ikke"
    assert f"$.tasks[{len(doc['tasks']) - 1}].parent" in errors_of(doc)
    doc = _with_tree(demo_document())
    doc["tasks"][-2]["parent"] = "tree-step"  # activity ⇄ step
    errors = errors_of(doc)
    assert "cirkel" in errors[f"$.tasks[{len(doc['tasks']) - 2}].parent"]
    doc = _with_tree(demo_document())
    other = next(t for t in doc["tasks"] if t.get("group") != doc["tasks"][-2]["group"])
    doc["tasks"][-2]["group"] = other.get("group")
    doc["tasks"][-1]["group"] = other.get("group")
    errors = errors_of(doc)
    assert errors[f"$.tasks[{len(doc['tasks']) - 2}].parent"] == (
        "Den overordnede opgave ligger i en anden gruppe."
    )
