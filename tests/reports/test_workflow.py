"""The report's hand-offs: draft → submitted → approved (or returned with a reason) → issued,
each step by its role, audited and told to the next hands; issuing is confirmed first."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.models import ProjectMember
from app.errors import Conflict, Forbidden, Invalid
from app.governance.models import Body, BodyKind, Membership, Person
from app.notifications.models import Notification, NotificationKind
from app.reports import service
from app.reports.models import ReportStatus, StatusReport, StatusReportFile
from app.reports.schemas import ApproveIn, ReturnIn, StatusReportUpdate
from tests.factories import ProjectWorld, bearer, csrf_of, login, make_person
from tests.reports.factories import access, approved_report, make_report, submitted_report


def _seat(session: Session, world: ProjectWorld, username: str, body_id: int, name: str) -> None:
    """Link the user to a person who sits in the body."""
    person = make_person(session, world.project, name=name)
    session.add(Membership(body_id=body_id, person_id=person.id))
    for member in session.exec(
        select(ProjectMember).where(ProjectMember.user_id == world.users[username].id)
    ):
        member.person_id = person.id
        session.add(member)
    session.commit()


def _directorate(session: Session, world: ProjectWorld) -> Body:
    return session.exec(
        select(Body).where(Body.project_id == world.project.id, Body.kind == BodyKind.directorate)
    ).one()


def _told(session: Session, kind: NotificationKind) -> list[tuple[int, str]]:
    return [
        (n.user_id, n.link)
        for n in session.exec(
            select(Notification).where(Notification.kind == kind).order_by(col(Notification.id))
        ).all()
    ]


def _actions(session: Session) -> list[str]:
    return list(
        session.exec(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "status_report")
            .order_by(col(AuditEvent.id))
        ).all()
    )


# The service


def test_submit_tells_the_approving_body_and_only_the_leader_submits(
    session: Session, world: ProjectWorld
):
    _seat(session, world, "steering", world.steering.id, "Sanne Styregruppe")
    report = make_report(session, world)
    for name in ("steering", "secretariat", "directorate"):
        with pytest.raises(Forbidden):
            service.submit_report(
                session=session, by=access(session, world, name), report_id=report.id, version=1
            )
    session.rollback()
    report = service.submit_report(
        session=session, by=access(session, world, "leader"), report_id=report.id, version=1
    )
    assert report.status == ReportStatus.submitted and report.submitted_at is not None
    link = f"/projects/{world.project.id}/reports/{report.id}"
    assert _told(session, NotificationKind.report_submitted) == [(world.users["steering"].id, link)]
    assert _actions(session) == ["created", "submitted"]
    with pytest.raises(Conflict):
        service.submit_report(
            session=session, by=access(session, world, "leader"), report_id=report.id, version=None
        )


def test_a_draft_is_not_approved_before_it_is_submitted(session: Session, world: ProjectWorld):
    report = make_report(session, world)
    with pytest.raises(Conflict) as refused:
        service.approve_report(
            session=session,
            by=access(session, world, "steering"),
            report_id=report.id,
            data=ApproveIn(),
        )
    assert refused.value.message == "Rapporten er kladde og afventer ikke godkendelse."


def test_the_approving_body_returns_a_report_with_a_reason(session: Session, world: ProjectWorld):
    report = submitted_report(session, world)
    with pytest.raises(Forbidden):
        service.return_report(
            session=session,
            by=access(session, world, "leader"),
            report_id=report.id,
            data=ReturnIn(reason="Nej"),
        )
    session.rollback()
    with pytest.raises(Invalid) as refused:
        service.return_report(
            session=session,
            by=access(session, world, "steering"),
            report_id=report.id,
            data=ReturnIn(reason="  "),
        )
    assert refused.value.field == "reason"
    session.rollback()
    report = service.return_report(
        session=session,
        by=access(session, world, "steering"),
        report_id=report.id,
        data=ReturnIn(reason="Risikoafsnittet mangler", version=report.version),
    )
    assert report.status == ReportStatus.draft
    assert report.returned_reason == "Risikoafsnittet mangler" and report.submitted_at is None
    assert _told(session, NotificationKind.report_returned) == [
        (world.users["leader"].id, f"/projects/{world.project.id}/reports/{report.id}")
    ]
    assert _told(session, NotificationKind.report_approved) == []
    assert _actions(session)[-1] == "returned"


def test_approval_tells_the_leader(session: Session, world: ProjectWorld):
    report = approved_report(session, world)
    assert report.status == ReportStatus.approved
    assert [u for u, _ in _told(session, NotificationKind.report_approved)] == [
        world.users["leader"].id
    ]


def test_editing_a_submitted_report_withdraws_it(session: Session, world: ProjectWorld):
    report = submitted_report(session, world)
    report = service.update_report(
        session=session,
        by=access(session, world, "leader"),
        report_id=report.id,
        data=StatusReportUpdate(texts={"summary": "Rettet"}, version=report.version),
    )
    assert report.status == ReportStatus.draft and report.submitted_at is None


def test_issuing_tells_the_receiving_body_with_a_link(session: Session, world: ProjectWorld):
    _seat(session, world, "directorate", _directorate(session, world).id, "Dorthe Direktør")
    report = approved_report(session, world)
    body, people = service.issue_recipients(session=session, project_id=world.project.id)
    assert body.name == "Direktionen" and [p.name for p in people] == ["Dorthe Direktør"]
    service.issue_report(
        session=session,
        by=access(session, world, "leader"),
        report_id=report.id,
        version=report.version,
    )
    assert _told(session, NotificationKind.report_issued) == [
        (world.users["directorate"].id, f"/projects/{world.project.id}/reports/{report.id}")
    ]
    issued = session.exec(select(AuditEvent).where(AuditEvent.action == "issued")).one()
    assert issued.after["recipients"] == ["Dorthe Direktør"]


# Over HTTP


def _url(world: ProjectWorld, report: StatusReport, tail: str = "") -> str:
    return f"/api/projects/{world.project.id}/status-reports/{report.id}{tail}"


def test_the_steps_through_the_api_and_their_refusals(
    client: TestClient, session: Session, world: ProjectWorld
):
    report = make_report(session, world)
    steering, leader = bearer(client, "steering"), bearer(client, "leader")
    assert client.post(_url(world, report, "/submit"), headers=steering).status_code == 403
    answer = client.post(_url(world, report, "/submit"), headers=leader, json={"version": 1})
    assert answer.status_code == 200 and answer.json()["status"] == "submitted"
    assert answer.json()["submitted_by_name"]
    refused = client.post(_url(world, report, "/return"), headers=leader, json={"reason": "x"})
    assert refused.status_code == 403
    empty = client.post(_url(world, report, "/return"), headers=steering, json={"reason": ""})
    assert empty.status_code == 422
    session.expire_all()
    assert session.get(StatusReport, report.id).status == ReportStatus.submitted
    answer = client.post(
        _url(world, report, "/return"), headers=steering, json={"reason": "Ret tallene"}
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "draft" and answer.json()["returned_reason"] == "Ret tallene"
    assert client.post(_url(world, report, "/approve"), headers=steering).status_code == 409


def test_issuing_on_the_page_asks_first_and_says_to_whom(
    client: TestClient, session: Session, world: ProjectWorld
):
    _seat(session, world, "directorate", _directorate(session, world).id, "Dorthe Direktør")
    session.add(Membership(body_id=_directorate(session, world).id, person_id=_person(session)))
    session.commit()
    report = approved_report(session, world)
    login(client, "leader")
    url = f"/projects/{world.project.id}/reports/{report.id}"
    page = client.get(url)
    assert f'href="{url}/issue"' in page.text
    confirm = client.get(url + "/issue")
    assert confirm.status_code == 200
    assert "Rapporten fryses" in confirm.text and "kan ikke ændres" in confirm.text
    assert "Dorthe Direktør" in confirm.text
    assert "Uden Bruger (har ingen bruger i Reformstyr og får ingen besked)" in confirm.text
    # A form without the confirmation shows the confirmation and changes nothing.
    token = {"X-CSRF-Token": csrf_of(client, url)}
    unconfirmed = client.post(url + "/issue", headers=token, data={"version": report.version})
    assert unconfirmed.status_code == 200 and "Ja, udsend og frys rapporten" in unconfirmed.text
    session.expire_all()
    assert session.get(StatusReport, report.id).status == ReportStatus.approved
    done = client.post(
        url + "/issue",
        headers=token,
        data={"version": report.version, "confirmed": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    session.expire_all()
    assert session.get(StatusReport, report.id).status == ReportStatus.issued
    assert len(session.exec(select(StatusReportFile)).all()) == 1


def _person(session: Session) -> int:
    person = session.exec(select(Person).where(Person.name == "Sanne Styr")).one()
    person.name = "Uden Bruger"
    session.add(person)
    session.commit()
    return person.id or 0


def test_the_confirmation_and_the_step_buttons_are_for_their_roles(
    client: TestClient, session: Session, world: ProjectWorld
):
    report = submitted_report(session, world)
    url = f"/projects/{world.project.id}/reports/{report.id}"
    login(client, "steering")
    assert client.get(url + "/issue").status_code == 403
    page = client.get(url)
    assert "Godkend rapporten" in page.text and "Send tilbage til kladde" in page.text
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, url)}
    refused = client.post(url + "/return", headers=headers, data={"version": "2", "reason": ""})
    assert refused.status_code == 422 and "Skriv, hvorfor rapporten sendes tilbage." in refused.text
    answer = client.post(url + "/return", headers=headers, data={"version": "2", "reason": "Nej"})
    assert answer.status_code == 200 and "Sendt tilbage af Styregruppen: »Nej«" in answer.text
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    login(client, "leader")
    page = client.get(url)
    assert "Send til godkendelse i Styregruppen" in page.text
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, url)}
    answer = client.post(url + "/submit", headers=headers, data={"version": "3"})
    assert answer.status_code == 200 and "Til godkendelse" in answer.text
