"""The template library's API: listing, a project from each built-in template, saving a project
as a template and starting from it, and the refusals."""

from datetime import date

import pytest
from sqlmodel import col, func, select

from app.audit.models import AuditEvent
from app.auth.models import ProjectMember, Role
from app.governance.document import GOVERNANCE_FIELDS
from app.governance.models import Body, Project
from app.participants.models import RegistrationScheme
from app.projectdoc.document import parse
from app.projecttemplates.document import to_template
from app.projecttemplates.models import ProjectTemplate
from app.projecttemplates.service import BUILTINS
from app.risks.models import Indicator, Measurement
from app.workstreams.models import GroupSetting, Milestone, Task
from tests.factories import bearer, make_person


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def from_template(client, template: str, start: str = "2025-01-06", **extra):
    body = {"template": template, "name": "Nyt projekt", "start_date": start} | extra
    return client.post("/api/projects/from-template", json=body, headers=bearer(client, "admin"))


def test_every_signed_in_user_lists_the_templates(client, world):
    answer = client.get("/api/templates", headers=bearer(client, "member_a"))
    assert answer.status_code == 200
    assert [t["id"] for t in answer.json()] == ["svendborg", "pilot", "handleplan"]
    assert all(t["builtin"] and t["tasks"] > 0 for t in answer.json())
    assert client.get("/api/templates").status_code == 401


def test_a_template_is_read_with_its_document(client, world):
    answer = client.get("/api/templates/handleplan", headers=bearer(client, "leader"))
    assert answer.status_code == 200
    assert answer.json()["template"]["name"] == "Handleplan med fokusområder og succesmål"
    assert answer.json()["document"]["project"]["report_recipient"] == "udvalg"
    assert client.get("/api/templates/nope", headers=bearer(client, "leader")).status_code == 404


@pytest.mark.parametrize("builtin", BUILTINS, ids=lambda b: b.id)
def test_a_project_from_each_builtin_has_its_structure_with_dates_moved(
    client, world, session, builtin
):
    document = builtin.document()
    answer = from_template(
        client,
        builtin.id,
        municipality="Aabenraa Kommune",
        project_leader_user_id=world.users["leader"].id,
    )
    assert answer.status_code == 201, answer.text
    project = session.get(Project, answer.json()["id"])
    assert project.name == "Nyt projekt" and project.municipality == "Aabenraa Kommune"
    assert project.start_date == date(2025, 1, 6)
    shift = date(2025, 1, 6) - date.fromisoformat(document["project"]["start_date"])
    bodies = session.exec(select(Body).where(Body.project_id == project.id)).all()
    assert sorted(b.name for b in bodies) == sorted(b["name"] for b in document["bodies"])
    assert count(session, Task, Task.project_id == project.id) == len(document["tasks"])
    assert count(session, Indicator, Indicator.project_id == project.id) == len(
        document["indicators"]
    )
    milestones = session.exec(
        select(Milestone).where(Milestone.project_id == project.id).order_by(col(Milestone.id))
    ).all()
    assert [m.planned_date for m in milestones] == [
        date.fromisoformat(m["planned_date"]) + shift for m in document["milestones"]
    ]
    leader = session.exec(
        select(ProjectMember).where(
            ProjectMember.project_id == project.id, ProjectMember.role == Role.project_leader
        )
    ).one()
    assert leader.user_id == world.users["leader"].id
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.project_id == project.id, AuditEvent.action == "created_from_template"
        )
    ).one()
    assert event.after["template"] == builtin.id


def test_the_pilot_has_phases_a_registration_duty_and_a_quarterly_rule(client, world, session):
    answer = from_template(client, "pilot")
    project_id = answer.json()["id"]
    tasks = session.exec(select(Task).where(Task.project_id == project_id)).all()
    phases = [t for t in tasks if t.parent_id is None]
    assert [p.title for p in phases][:2] == [
        "Planlægning",
        "Udvikling af samarbejdet med virksomhederne",
    ]
    assert all(t.parent_id in {p.id for p in phases} for t in tasks if t.parent_id)
    scheme = session.exec(
        select(RegistrationScheme).where(RegistrationScheme.project_id == project_id)
    ).one()
    assert scheme.name == "Deltagere i virksomhedspraktik"
    rule = session.exec(select(GroupSetting).where(GroupSetting.project_id == project_id)).one()
    assert rule.meeting_interval_days == 92 and rule.counterpart == "external_partners"
    project = session.get(Project, project_id)
    leadership = session.get(Body, project.report_recipient_id)
    assert leadership.name == "Jobcentrets ledelse"


def test_the_action_plan_reports_to_a_political_committee(client, world, session):
    answer = from_template(client, "handleplan")
    project = session.get(Project, answer.json()["id"])
    committee = session.get(Body, project.report_approver_id)
    assert committee.name == "Arbejdsmarkedsudvalget"
    assert project.report_recipient_id == committee.id
    focus_areas = session.exec(
        select(Task).where(Task.project_id == project.id, col(Task.parent_id).is_(None))
    ).all()
    assert len(focus_areas) == 5
    targets = session.exec(select(Indicator).where(Indicator.project_id == project.id)).all()
    assert all(i.target_value is not None for i in targets)
    assert (
        count(session, Measurement, col(Measurement.indicator_id).in_([i.id for i in targets])) == 0
    )


def test_a_project_saved_as_a_template_starts_a_new_project(client, world, session):
    make_person(session, world.project, name="Hanne Hemmelig")
    world.project.start_date = date(2020, 3, 2)
    session.add(world.project)
    session.commit()
    leader = bearer(client, "leader")
    saved = client.post(
        f"/api/projects/{world.project.id}/save-as-template",
        json={"name": "Vores model", "description": "Fire organer"},
        headers=leader,
    )
    assert saved.status_code == 201, saved.text
    template_id = saved.json()["id"]
    assert template_id.startswith("saved-") and not saved.json()["builtin"]
    document = client.get(f"/api/templates/{template_id}", headers=leader).json()["document"]
    assert "Hanne Hemmelig" not in str(document) and "Sanne Styr" not in str(document)
    row = session.get(ProjectTemplate, int(template_id.removeprefix("saved-")))
    assert row.source_project_id == world.project.id
    assert row.created_by == world.users["leader"].id
    answer = from_template(client, template_id, start="2024-03-04")
    assert answer.status_code == 201, answer.text
    project = session.get(Project, answer.json()["id"])
    assert project.start_date == date(2024, 3, 4)
    names = session.exec(select(Body.name).where(Body.project_id == project.id)).all()
    originals = session.exec(select(Body.name).where(Body.project_id == world.project.id)).all()
    assert sorted(names) == sorted(originals)
    listed = client.get("/api/templates", headers=leader).json()
    assert listed[-1]["id"] == template_id and listed[-1]["created_by"]


def test_only_the_project_leader_saves_a_project_as_a_template(client, world, session):
    for username in ("member_a", "steering", "directorate"):
        answer = client.post(
            f"/api/projects/{world.project.id}/save-as-template",
            json={"name": "X"},
            headers=bearer(client, username),
        )
        assert answer.status_code == 403, username
    assert count(session, ProjectTemplate) == 0


def test_a_template_without_a_name_is_refused_naming_the_field(client, world, session):
    answer = client.post(
        f"/api/projects/{world.project.id}/save-as-template",
        json={"name": ""},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 422
    assert "Skabelonens navn" in answer.text
    assert count(session, ProjectTemplate) == 0


def test_only_an_administrator_creates_a_project_from_a_template(client, world, session):
    before = count(session, Project)
    answer = client.post(
        "/api/projects/from-template",
        json={"template": "pilot", "name": "X", "start_date": "2025-01-06"},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 403
    assert count(session, Project) == before


@pytest.mark.parametrize(
    ("body", "label"),
    [
        ({"start_date": "ikke en dato"}, "Startdato"),
        ({"start_date": None}, "Startdato"),
        ({"start_date": "2100-12-01"}, "startdato"),
        ({"template": "findes-ikke"}, "skabelonerne"),
        ({"name": ""}, "Projektets navn"),
        ({"project_leader_user_id": 9999}, "Brugeren findes ikke"),
    ],
)
def test_a_project_from_a_template_refuses_bad_input_and_writes_nothing(
    client, world, session, body, label
):
    before = count(session, Project)
    data = {"template": "pilot", "name": "X", "start_date": "2025-01-06"} | body
    answer = client.post("/api/projects/from-template", json=data, headers=bearer(client, "admin"))
    assert answer.status_code == 422, answer.text
    assert label in answer.text
    assert count(session, Project) == before


def test_the_administrator_deletes_a_saved_template_not_a_builtin(client, world, session):
    session.add(ProjectTemplate(name="Gammel", document='{"project": {"name": "G"}}'))
    session.commit()
    row = session.exec(select(ProjectTemplate)).one()
    url = f"/api/templates/saved-{row.id}"
    assert client.delete(url, headers=bearer(client, "leader")).status_code == 403
    assert client.delete("/api/templates/pilot", headers=bearer(client, "admin")).status_code == 409
    assert client.delete(url, headers=bearer(client, "admin")).status_code == 204
    assert client.delete(url, headers=bearer(client, "admin")).status_code == 404
    assert count(session, ProjectTemplate) == 0
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.entity == "project_template", AuditEvent.action == "deleted"
        )
    ).one()
    assert event.before["name"] == "Gammel"


def _essence(document: dict) -> dict:
    """What a template says, independent of its keys (an export numbers them anew)."""
    doc = parse(document).model_dump(mode="json")
    bodies = {b["key"]: b["name"] for b in doc["bodies"]}
    titles = {t["key"]: t["title"] for t in doc["tasks"]}
    return {
        "governance": [bodies.get(doc["project"][f]) for f in GOVERNANCE_FIELDS],
        "period": (doc["project"]["start_date"], doc["project"]["end_date"]),
        "bodies": [
            (b["name"], b["kind"], bodies.get(b["reports_to"]), [m["text"] for m in b["mandate"]])
            for b in doc["bodies"]
        ],
        "rules": [
            (bodies[s["group"]], s["counterpart"], s["meeting_interval_days"])
            for s in doc["group_settings"]
        ],
        "tasks": [
            (
                t["title"],
                titles.get(t["parent"]),
                bodies.get(t["group"]),
                t["start_date"],
                t["due_date"],
                sorted(titles[d] for d in t["depends_on"]),
            )
            for t in doc["tasks"]
        ],
        "milestones": [(m["name"], m["planned_date"]) for m in doc["milestones"]],
        "indicators": [
            (i["name"], i["target_value"], i["frequency"], i["baseline_date"])
            for i in doc["indicators"]
        ],
        "risks": [(r["title"], r["probability"]) for r in doc["raid_items"]],
        "stakeholders": [(s["name"], len(s["actions"])) for s in doc["stakeholders"]],
        "schemes": [s["name"] for s in doc["participant_schemes"]],
    }


@pytest.mark.parametrize("template_id", ["pilot", "handleplan"])
def test_a_template_round_trips_through_a_project_and_back(client, world, session, template_id):
    """Template → project (on the template's own start date) → export → template: the same
    structure, hierarchy, governance settings and meeting rules."""
    admin = bearer(client, "admin")
    document = client.get(f"/api/templates/{template_id}", headers=admin).json()["document"]
    start = document["project"]["start_date"]
    created = from_template(client, template_id, start=start)
    assert created.status_code == 201, created.text
    exported = client.get(f"/api/projects/{created.json()['id']}/export", headers=admin).json()
    again = to_template(exported)
    expected = _essence(document)
    assert _essence(again) == expected
    assert expected["tasks"] and any(parent for _, parent, *_ in expected["tasks"])
