"""Governance as data (issue 20): which body approves plans, which approves status reports and
which receives them is set per project; a project made from scratch, whose political committee
approves and receives its reports and which has no steering group, carries nothing of the
Svendborg demo into its reports and meeting packs."""

from dataclasses import dataclass
from datetime import date

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from app.auth import service as auth
from app.auth.models import Role, User
from app.cli import alembic_config
from app.demo.loader import demo_document
from app.errors import Invalid
from app.governance import bodies, projects
from app.governance.models import Body, BodyKind, Decision, Meeting, Project
from app.governance.schemas import ProjectUpdate
from app.projectdoc import document as projectdoc
from app.reports import pack, pdf, service
from app.reports.models import ReportStatus
from app.reports.schemas import StatusReportCreate
from app.workstreams import plans, tasks
from app.workstreams.schemas import PlanCreate, PlanDecisionIn, PlanSubmit, TaskCreate
from tests.factories import ProjectWorld, bearer, csrf_of, grant, login, make_user
from tests.reports.test_pdf import _text

COMMITTEE = "Beskæftigelsesudvalget"
PERIOD = {
    "period_start_date": "2012-12-01",
    "period_end_date": "2013-02-28",
    "report_date": "2013-03-01",
    "next_period_end_date": "2013-05-31",
}


@dataclass
class Scratch:
    """A project created through the API, without the usual bodies: a committee (a body of kind
    directorate) approves plans and reports and receives the reports; one working group."""

    project: Project
    committee: Body
    group: Body
    users: dict[str, User]

    def url(self, tail: str = "") -> str:
        return f"/api/projects/{self.project.id}{tail}"


def _scratch(client: TestClient, session: Session) -> Scratch:
    users = {
        "admin": make_user(session, username="root", is_admin=True),
        "leader": make_user(session, username="lise", full_name="Lise Leder"),
        "udvalg": make_user(session, username="udvalg", full_name="Ulla Udvalg"),
    }
    created = client.post(
        "/api/projects",
        json={
            "name": "Handleplan for unge ledige",
            "with_standard_bodies": False,
            "project_leader_user_id": users["leader"].id,
        },
        headers=bearer(client, "root"),
    )
    assert created.status_code == 201, created.text
    project = session.get(Project, created.json()["id"])
    grant(session, users["udvalg"], project, Role.steering_member)
    leader = bearer(client, "lise")
    made = {}
    for kind, name in [(BodyKind.directorate, COMMITTEE), ("implementation_group", "Fokusgruppe")]:
        answer = client.post(
            f"/api/projects/{project.id}/bodies", json={"kind": kind, "name": name}, headers=leader
        )
        assert answer.status_code == 201, answer.text
        made[name] = session.get(Body, answer.json()["id"])
    committee = made[COMMITTEE]
    answer = client.patch(
        f"/api/projects/{project.id}",
        json={
            "plan_approver_id": committee.id,
            "report_approver_id": committee.id,
            "report_recipient_id": committee.id,
            "version": created.json()["version"],
        },
        headers=leader,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["report_recipient_id"] == committee.id
    session.expire_all()
    return Scratch(session.get(Project, project.id), committee, made["Fokusgruppe"], users)


def _access(session: Session, scratch: Scratch, name: str) -> auth.Access:
    return auth.access_for(
        session=session, user=scratch.users[name], project_id=scratch.project.id or 0
    )


def make_task(session: Session, scratch: Scratch, **values: object) -> None:
    tasks.create_task(
        session=session,
        by=_access(session, scratch, "leader"),
        data=TaskCreate(group_id=scratch.group.id, due_date=date(2013, 2, 1), **values),
    )


def _meeting(session: Session, body: Body, on: date) -> Meeting:
    meeting = Meeting(project_id=body.project_id, body_id=body.id or 0, meeting_date=on)
    session.add(meeting)
    session.commit()
    return meeting


def test_the_committee_approves_and_receives_the_report_of_a_project_from_scratch(
    client: TestClient, session: Session
):
    scratch = _scratch(client, session)
    leader, committee = bearer(client, "lise"), bearer(client, "udvalg")
    report = client.post(scratch.url("/status-reports"), json=PERIOD, headers=leader).json()
    reports = scratch.url(f"/status-reports/{report['id']}")
    assert client.post(reports + "/submit", headers=leader).status_code == 200
    answer = client.post(
        reports + "/approve", json={"comment": "Taget til efterretning"}, headers=committee
    )
    assert answer.status_code == 200, answer.text
    decision = session.exec(select(Decision).where(Decision.project_id == scratch.project.id)).one()
    assert decision.body_id == scratch.committee.id
    assert client.post(reports + "/issue", headers=leader).status_code == 200
    document = client.get(reports + ".pdf", headers=leader)
    assert document.status_code == 200
    words = " ".join(_text(document.content).split())
    assert f"Til {COMMITTEE}" in words and f"via {COMMITTEE}" not in words
    assert f"Godkendt af {COMMITTEE}" in words
    for foreign in ("Svendborg", "Direktionen", "Kommune"):
        assert foreign not in words, foreign


def test_the_committee_approves_on_the_report_page(client: TestClient, session: Session):
    scratch = _scratch(client, session)
    report = service.create_report(
        session=session, by=_access(session, scratch, "leader"), data=StatusReportCreate(**PERIOD)
    )
    service.submit_report(
        session=session, by=_access(session, scratch, "leader"), report_id=report.id, version=1
    )
    meeting = _meeting(session, scratch.committee, date(2013, 3, 12))
    login(client, "udvalg")
    url = f"/projects/{scratch.project.id}/reports/{report.id}"
    page = client.get(url)
    assert f"Kommentar fra {COMMITTEE}" in page.text and f"{COMMITTEE} 12.03.2013" in page.text
    answer = client.post(
        url + "/approve",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(client, url)},
        data={"comment": "Fint", "version": "2", "meeting_id": str(meeting.id)},
    )
    assert answer.status_code == 200, answer.text
    assert f"Godkendt af {COMMITTEE}" in answer.text
    assert "Styregruppemøde" not in answer.text and "Godkendt af styregruppen" not in answer.text


def test_the_set_body_approves_plans_at_its_own_meetings(client: TestClient, session: Session):
    scratch = _scratch(client, session)
    leader = _access(session, scratch, "leader")
    make_task(session, scratch, title="Kortlæg målgruppen")
    plan = plans.create_plan(session=session, by=leader, data=PlanCreate(group_id=scratch.group.id))
    plans.submit(session=session, by=leader, plan_id=plan.id or 0, data=PlanSubmit())
    other = _meeting(session, scratch.group, date(2013, 3, 5))
    approver = _access(session, scratch, "udvalg")
    try:
        plans.approve(
            session=session,
            by=approver,
            plan_id=plan.id or 0,
            data=PlanDecisionIn(meeting_id=other.id),
        )
    except Invalid as refused:
        assert refused.field == "meeting_id" and COMMITTEE in refused.message
    else:
        raise AssertionError("a meeting of another body was accepted")
    session.rollback()
    meeting = _meeting(session, scratch.committee, date(2013, 3, 12))
    version = plans.approve(
        session=session,
        by=approver,
        plan_id=plan.id or 0,
        data=PlanDecisionIn(meeting_id=meeting.id),
    )
    decision = session.get(Decision, version.decision_id)
    assert decision.body_id == scratch.committee.id and decision.meeting_id == meeting.id
    # The committee's meeting gets a meeting pack, and it names no municipality it was not given.
    found = pack.meeting_pack(
        session=session, access=leader, meeting_id=meeting.id or 0, made=date(2013, 3, 10)
    )
    words = " ".join(_text(pdf.pack_pdf(found)).split())
    assert COMMITTEE in words and "Svendborg" not in words and "Kommune" not in words


def test_refusals(client: TestClient, session: Session, world: ProjectWorld):
    scratch = _scratch(client, session)
    leader = bearer(client, "lise")
    version = scratch.project.version
    foreign = world.steering  # a body of another project
    for setting in ("plan_approver_id", "report_approver_id", "report_recipient_id"):
        answer = client.patch(
            scratch.url(), json={setting: foreign.id, "version": version}, headers=leader
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == setting
    report = client.post(scratch.url("/status-reports"), json=PERIOD, headers=leader).json()
    approve = scratch.url(f"/status-reports/{report['id']}/approve")
    assert client.post(approve, headers=leader).status_code == 403  # no approver's role
    # Without the setting and without a steering group, nobody can approve: the charter must say.
    answer = client.patch(
        scratch.url(), json={"report_approver_id": None, "version": version}, headers=leader
    )
    assert answer.status_code == 200 and answer.json()["report_approver_id"] is None
    answer = client.post(approve, headers=bearer(client, "udvalg"))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "report_approver_id"
    assert "godkender statusrapporter" in answer.json()["errors"][0]["message"]


def test_a_body_named_in_the_charter_is_not_deleted_behind_its_back(
    client: TestClient, session: Session
):
    scratch = _scratch(client, session)
    answer = client.delete(
        scratch.url(f"/bodies/{scratch.committee.id}"),
        params={"version": scratch.committee.version},
        headers=bearer(client, "lise"),
    )
    assert answer.status_code == 409 and "kommissoriet" in answer.json()["detail"]


def test_the_charter_page_sets_the_bodies(client: TestClient, session: Session, world):
    login(client, "leader")
    url = f"/projects/{world.project.id}/organisation/edit"
    page = client.get(url)
    for label in ("Godkender planer", "Godkender statusrapporter", "Modtager statusrapporter"):
        assert label in page.text
    assert "Standard: projektets organ af typen Styregruppe" in page.text
    assert "Standard: projektets organ af typen Direktion" in page.text
    form = {
        "csrf_token": csrf_of(client, url),
        "version": str(world.project.version),
        "name": world.project.name,
        "report_approver_id": str(world.management.id),
        "plan_approver_id": "",
        "report_recipient_id": "",
    }
    answer = client.post(url, data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    session.expire_all()
    project = session.get(Project, world.project.id)
    assert project.report_approver_id == world.management.id and project.plan_approver_id is None
    charter = client.get(f"/projects/{world.project.id}/organisation").text
    assert "Projektledelsen" in charter and "(standard)" in charter


def test_the_demo_still_goes_to_the_directorate_through_the_steering_group(session: Session):
    project = projectdoc.import_project(session=session, data=demo_document(), by=None)
    admin = make_user(session, username="admin", is_admin=True)
    access = auth.access_for(session=session, user=admin, project_id=project.id or 0)
    report = service.create_report(session=session, by=access, data=StatusReportCreate(**PERIOD))
    content = service.content_of(session=session, report=report)
    html = pdf.report_html(content, status=ReportStatus.draft)
    assert "<dt>Til</dt><dd>Direktionen, via Styregruppen</dd>" in html
    steering = bodies.governing_body(
        session=session, project_id=project.id or 0, role=bodies.REPORT_APPROVER
    )
    assert steering.kind == BodyKind.steering_group


def test_the_project_document_keeps_the_settings(client: TestClient, session: Session):
    scratch = _scratch(client, session)
    admin = bearer(client, "root")
    exported = client.get(scratch.url("/export"), headers=admin).json()
    key = next(b["key"] for b in exported["bodies"] if b["name"] == COMMITTEE)
    assert {exported["project"][k] for k in ("plan_approver", "report_approver")} == {key}
    imported = client.post("/api/projects/import", json=exported, headers=admin)
    assert imported.status_code == 201, imported.text
    copy = session.get(Project, imported.json()["id"])
    committee = session.get(Body, copy.report_recipient_id)
    assert committee.project_id == copy.id and committee.name == COMMITTEE
    again = client.get(f"/api/projects/{copy.id}/export", headers=admin).json()
    assert again == exported
    wrong = dict(exported, project=dict(exported["project"], report_approver="body-99"))
    answer = client.post("/api/projects/import", json=wrong, headers=admin)
    assert answer.status_code == 422
    assert "project.report_approver" in {d["field"] for d in answer.json()["errors"]}


def test_a_project_without_the_settings_keeps_todays_defaults(session: Session, world):
    leader = auth.access_for(
        session=session, user=world.users["leader"], project_id=world.project.id or 0
    )
    project = projects.update_project(
        session=session, by=leader, data=ProjectUpdate(reform="Ny reform", version=1)
    )
    assert project.report_approver_id is None
    found = {
        role.setting: bodies.governing_body(
            session=session, project_id=project.id or 0, role=role
        ).name
        for role in bodies.GOVERNING_ROLES
    }
    assert found == {
        "plan_approver_id": "Styregruppen",
        "report_approver_id": "Styregruppen",
        "report_recipient_id": "Direktionen",
    }


def test_the_migration_keeps_projects_and_their_bodies(database_url: str, session: Session, world):
    config = alembic_config(database_url)
    session.close()
    command.downgrade(config, "0010")
    try:
        command.upgrade(config, "heads")
    finally:
        command.upgrade(config, "heads")
    with Session(session.get_bind()) as fresh:
        assert fresh.exec(text("SELECT count(*) FROM body")).one()[0] == 5
        row = fresh.execute(
            text("SELECT report_approver_id FROM project WHERE id = :id"), {"id": world.project.id}
        ).one()
        assert row[0] is None
