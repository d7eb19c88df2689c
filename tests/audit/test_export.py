"""Export of the audit log: a project's whole log, one person's part of it, and everything about
one person across projects (a GDPR access request)."""

import csv
import io

from sqlmodel import select

from app.audit import service
from app.audit.models import AuditEvent
from app.auth.models import ProjectMember
from tests.factories import bearer, login, make_person


def _people(client, world, headers, name):
    answer = client.post(
        f"/api/projects/{world.project.id}/people", json={"name": name}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_leader_exports_the_projects_whole_log_as_json(client, world, session):
    headers = bearer(client, "leader")
    _people(client, world, headers, "Karen Holm")
    answer = client.get(f"/api/projects/{world.project.id}/audit/export", headers=headers)
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    document = answer.json()
    assert document["project_id"] == world.project.id and document["person"] is None
    stored = session.exec(
        select(AuditEvent).where(AuditEvent.project_id == world.project.id).order_by(AuditEvent.id)
    ).all()
    assert [e["id"] for e in document["events"]] == [e.id for e in stored]
    created = document["events"][-1]
    assert created["action"] == "created" and created["entity"] == "person"
    assert created["username"] == "leader" and created["after"]["name"] == "Karen Holm"
    assert all(e["project_id"] == world.project.id for e in document["events"])


def test_the_csv_export_opens_in_danish_excel_and_neutralises_formulas(client, world, session):
    service.record(
        session=session,
        by=world.users["leader"],
        action="created",
        entity="person",
        entity_id='=HYPERLINK("http://evil.example")',
        project_id=world.project.id,
        after={"name": "=1+1"},
    )
    session.commit()
    answer = client.get(
        f"/api/projects/{world.project.id}/audit/export?format=csv",
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text), delimiter=";"))
    assert rows[0] == list(service.EXPORT_COLUMNS)
    last = dict(zip(rows[0], rows[-1], strict=True))
    assert last["entity_id"] == '\'=HYPERLINK("http://evil.example")'
    assert last["after"] == '{"name": "=1+1"}'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_one_persons_part_of_the_project_log(client, world, session):
    leader = bearer(client, "leader")
    person = make_person(session, world.project, name="Sanne Sekretær")
    member = session.exec(
        select(ProjectMember).where(ProjectMember.user_id == world.users["secretariat"].id)
    ).one()
    member.person_id = person.id
    session.commit()
    _people(client, world, leader, "Af lederen")
    client.patch(
        f"/api/projects/{world.project.id}/people/{person.id}",
        json={"title": "Sekretær", "version": person.version},
        headers=leader,
    )
    secretariat = world.users["secretariat"]
    answer = client.get(
        f"/api/projects/{world.project.id}/audit/export?user_id={secretariat.id}", headers=leader
    )
    document = answer.json()
    assert document["person"]["username"] == "secretariat"
    events = document["events"]
    assert events, "the person's events are missing"
    for event in events:
        by_them = event["user_id"] == secretariat.id
        about_them = (event["entity"], event["entity_id"]) in (
            ("user", str(secretariat.id)),
            ("person", str(person.id)),
        )
        assert by_them or about_them, event
    assert any(e["entity"] == "person" and e["entity_id"] == str(person.id) for e in events)


def test_a_gdpr_export_covers_every_project_and_the_account(client, world, session):
    outsider = world.users["outsider"]
    headers = bearer(client, "outsider")
    client.post(
        f"/api/projects/{world.other_project.id}/people",
        json={"name": "I andet projekt"},
        headers=headers,
    )
    answer = client.get(f"/api/users/{outsider.id}/audit/export", headers=bearer(client, "admin"))
    assert answer.status_code == 200
    events = answer.json()["events"]
    actions = {(e["entity"], e["action"]) for e in events}
    assert ("user", "created") in actions and ("user", "signed_in") in actions
    assert any(e["project_id"] == world.other_project.id for e in events)
    assert all(e["user_id"] == outsider.id or e["entity_id"] == str(outsider.id) for e in events)
    csv_answer = client.get(
        f"/api/users/{outsider.id}/audit/export?format=csv", headers=bearer(client, "admin")
    )
    assert len(csv_answer.text.strip().splitlines()) == len(events) + 1


def test_only_the_leader_and_the_administrator_may_export(client, world, session):
    project_url = f"/api/projects/{world.project.id}/audit/export"
    person_url = f"/api/users/{world.users['member_a'].id}/audit/export"
    assert client.get(project_url).status_code == 401
    for name in ("steering", "member_a", "directorate", "secretariat", "outsider"):
        assert client.get(project_url, headers=bearer(client, name)).status_code == 403, name
    for name in ("leader", "steering", "outsider"):
        assert client.get(person_url, headers=bearer(client, name)).status_code == 403, name
    assert client.get(project_url, headers=bearer(client, "admin")).status_code == 200
    assert (
        client.get("/api/users/99999/audit/export", headers=bearer(client, "admin")).status_code
        == 404
    )
    assert (
        client.get(project_url + "?format=xml", headers=bearer(client, "leader")).status_code == 422
    )


def test_the_audit_page_filters_by_person_and_links_the_exports(client, world):
    login(client, "leader")
    client.get(f"/projects/{world.project.id}")
    page = client.get(f"/projects/{world.project.id}/audit?user_id={world.users['leader'].id}")
    assert page.status_code == 200
    assert f"/projects/{world.project.id}/audit/export?format=csv&amp;user_id=" in page.text
    download = client.get(f"/projects/{world.project.id}/audit/export?format=csv")
    assert download.status_code == 200 and download.text.startswith("id;at;username")
    assert client.get(f"/admin/users/{world.users['leader'].id}/audit").status_code == 403


def test_the_administrators_person_page_and_download(client, world):
    login(client, "admin")
    target = world.users["member_a"]
    page = client.get(f"/admin/users/{target.id}/audit")
    assert page.status_code == 200 and "member_a" in page.text
    assert f"/admin/users/{target.id}/audit/export?format=json" in page.text
    download = client.get(f"/admin/users/{target.id}/audit/export?format=json")
    assert download.status_code == 200
    assert download.json()["person"]["id"] == target.id
    assert "Revisionsspor" in client.get("/admin/users").text
