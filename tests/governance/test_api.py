from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.demo.loader import demo_document
from app.governance.models import (
    Attendance,
    Decision,
    MandateItem,
    Meeting,
    Membership,
    Person,
    Project,
)
from tests.factories import bearer, make_body, make_person
from tests.governance.factories import make_decision, make_meeting


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def url(world, path: str = "") -> str:
    return f"/api/projects/{world.project.id}{path}"


# Charter and projects ---------------------------------------------------------------------------


def test_everyone_on_the_project_reads_the_charter(client, world):
    answer = client.get(url(world), headers=bearer(client, "directorate"))
    assert answer.status_code == 200
    assert answer.json()["name"] == "Testprojekt" and answer.json()["version"] == 1
    assert client.get(url(world), headers=bearer(client, "outsider")).status_code == 403


def test_the_project_leader_edits_the_charter_with_its_version(client, world, session):
    leader = bearer(client, "leader")
    answer = client.patch(
        url(world),
        json={"reform": "Førtidspension og fleksjob", "start_date": "2012-11-01", "version": 1},
        headers=leader,
    )
    assert answer.status_code == 200 and answer.json()["version"] == 2
    stale = client.patch(url(world), json={"reform": "Andet", "version": 1}, headers=leader)
    assert stale.status_code == 409
    assert session.get(Project, world.project.id).reform == "Førtidspension og fleksjob"


def test_only_the_project_leader_edits_the_charter(client, world, session):
    for name in ("steering", "secretariat", "directorate", "member_a"):
        answer = client.patch(url(world), json={"reform": "Nej"}, headers=bearer(client, name))
        assert answer.status_code == 403, name
    assert session.get(Project, world.project.id).reform == ""
    assert count(session, AuditEvent, AuditEvent.entity == "project") == 0


def test_charter_dates_in_the_wrong_order_answer_422_naming_the_field(client, world):
    answer = client.patch(
        url(world),
        json={"start_date": "2013-02-01", "end_date": "2013-01-31", "version": 1},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 422
    [detail] = answer.json()["errors"]
    assert detail["field"] == "end_date"
    assert detail["message"] == "Slutdatoen (31.01.2013) ligger før startdatoen (01.02.2013)."


def test_admin_creates_a_project_and_a_leader_may_not(client, world, session):
    body = {"name": "Kontanthjælpsreformen", "municipality": "Assens Kommune"}
    assert (
        client.post("/api/projects", json=body, headers=bearer(client, "leader")).status_code == 403
    )
    answer = client.post("/api/projects", json=body, headers=bearer(client, "admin"))
    assert answer.status_code == 201
    created = answer.json()["id"]
    names = [p["name"] for p in client.get("/api/projects", headers=bearer(client, "admin")).json()]
    assert "Kontanthjælpsreformen" in names
    bodies = client.get(f"/api/projects/{created}/bodies", headers=bearer(client, "admin")).json()
    assert [b["kind"] for b in bodies] == ["directorate", "steering_group", "project_management"]


# People and director areas ----------------------------------------------------------------------


def test_people_and_director_areas_crud(client, world, session):
    leader = bearer(client, "leader")
    area = client.post(url(world, "/director-areas"), json={"name": "Børn og Unge"}, headers=leader)
    assert area.status_code == 201
    person = client.post(
        url(world, "/people"),
        json={
            "name": "Bo Madsen",
            "title": "UU-centerchef",
            "email": "bo.madsen@svendborg.dk",
            "director_area_id": area.json()["id"],
        },
        headers=leader,
    )
    assert person.status_code == 201
    pid = person.json()["id"]
    changed = client.patch(
        url(world, f"/people/{pid}"), json={"title": "Leder", "version": 1}, headers=leader
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    refused = client.delete(
        url(world, f"/director-areas/{area.json()['id']}"), params={"version": 1}, headers=leader
    )
    assert refused.status_code == 409 and "personer (1)" in refused.json()["detail"]
    gone = client.delete(url(world, f"/people/{pid}"), params={"version": 2}, headers=leader)
    assert gone.status_code == 204
    assert (
        client.delete(
            url(world, f"/director-areas/{area.json()['id']}"),
            params={"version": 1},
            headers=leader,
        ).status_code
        == 204
    )
    listed = client.get(url(world, "/people"), headers=bearer(client, "directorate")).json()
    assert [p["name"] for p in listed] == ["Sanne Styr"]


def test_moving_a_person_to_an_unknown_director_area_answers_422(client, world, session):
    leader = bearer(client, "leader")
    person = client.post(url(world, "/people"), json={"name": "Bo Madsen"}, headers=leader).json()
    moved = client.patch(
        url(world, f"/people/{person['id']}"),
        json={"director_area_id": 99_999, "version": 1},
        headers=leader,
    )
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["message"] == "Direktørområdet findes ikke i dette projekt."
    assert moved.json()["errors"][0]["field"] == "director_area_id"
    again = client.get(url(world, "/people"), headers=leader).json()
    assert next(p for p in again if p["id"] == person["id"])["version"] == 1


def test_directorate_reads_but_cannot_add_people(client, world, session):
    answer = client.post(
        url(world, "/people"), json={"name": "X"}, headers=bearer(client, "directorate")
    )
    assert answer.status_code == 403
    assert count(session, Person, Person.name == "X") == 0


# Bodies and members -----------------------------------------------------------------------------


def test_members_with_roles_and_the_refusals(client, world, session):
    leader = bearer(client, "leader")
    person = make_person(session, world.project, name="Marianne Wederkopp")
    members = url(world, f"/bodies/{world.steering.id}/members")
    no_condition = client.post(
        members, json={"person_id": person.id, "role": "ad_hoc"}, headers=leader
    )
    assert no_condition.status_code == 422
    assert no_condition.json()["errors"][0]["field"] == "condition"
    added = client.post(
        members,
        json={"person_id": person.id, "role": "ad_hoc", "condition": "når det omhandler ydelser"},
        headers=leader,
    )
    assert added.status_code == 201
    assert added.json()["person_name"] == "Marianne Wederkopp"
    twice = client.post(members, json={"person_id": person.id}, headers=leader)
    assert twice.status_code == 422
    assert (
        "Marianne Wederkopp er allerede med i Styregruppen" in twice.json()["errors"][0]["message"]
    )
    foreign = make_person(session, world.other_project)
    other = client.post(members, json={"person_id": foreign.id}, headers=leader)
    assert other.status_code == 422
    assert count(session, Membership, Membership.body_id == world.steering.id) == 2
    body = client.get(
        url(world, f"/bodies/{world.steering.id}"), headers=bearer(client, "member_a")
    ).json()
    ad_hoc = [m for m in body["members"] if m["role"] == "ad_hoc"]
    assert ad_hoc[0]["condition"] == "når det omhandler ydelser"
    mid = added.json()["id"]
    changed = client.patch(
        f"{members}/{mid}", json={"role": "member", "version": 1}, headers=leader
    )
    assert changed.status_code == 200 and changed.json()["condition"] == ""
    removed = client.delete(f"{members}/{mid}", headers={**leader, "If-Match": '"2"'})
    assert removed.status_code == 204


def test_only_the_project_leader_changes_members(client, world, session):
    person = make_person(session, world.project)
    for name in ("steering", "secretariat", "directorate"):
        answer = client.post(
            url(world, f"/bodies/{world.steering.id}/members"),
            json={"person_id": person.id},
            headers=bearer(client, name),
        )
        assert answer.status_code == 403
    assert count(session, Membership, Membership.person_id == person.id) == 0


def test_a_new_body_gets_the_usual_reporting_line(client, world):
    answer = client.post(
        url(world, "/bodies"),
        json={"kind": "implementation_group", "name": "Uddannelse af medarbejdere"},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 201
    assert answer.json()["reports_to_id"] == world.management.id
    twice = client.post(
        url(world, "/bodies"),
        json={"kind": "steering_group", "name": "X"},
        headers=bearer(client, "leader"),
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "kind"


def test_bodies_of_another_project_are_not_found(client, world, session):
    foreign = make_body(session, world.other_project)
    answer = client.get(url(world, f"/bodies/{foreign.id}"), headers=bearer(client, "leader"))
    assert answer.status_code == 404


# Mandates ---------------------------------------------------------------------------------------


def test_the_mandate_is_followed_up_item_by_item(client, world, session):
    leader = bearer(client, "leader")
    mandate = url(world, f"/bodies/{world.steering.id}/mandate")
    item = client.post(
        mandate, json={"text": "Indgå samarbejdsaftale med Regionen"}, headers=leader
    )
    assert item.status_code == 201
    done = client.patch(
        f"{mandate}/{item.json()['id']}",
        json={"status": "done", "status_date": "2013-05-15", "note": "Underskrevet", "version": 1},
        headers=leader,
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    summary = client.get(mandate, headers=bearer(client, "directorate")).json()
    assert (summary["done"], summary["total"]) == (1, 1)
    overview = client.get(url(world, "/mandates"), headers=bearer(client, "steering")).json()
    assert [m["body_name"] for m in overview][:2] == ["Direktionen", "Styregruppen"]
    refused = client.patch(
        f"{mandate}/{item.json()['id']}",
        json={"status": "in_progress"},
        headers=bearer(client, "steering"),
    )
    assert refused.status_code == 403
    bad = client.patch(f"{mandate}/{item.json()['id']}", json={"status": "halvt"}, headers=leader)
    assert bad.status_code == 422
    assert session.get(MandateItem, item.json()["id"]).status == "done"


# Meetings ---------------------------------------------------------------------------------------


def test_the_secretariat_plans_a_meeting_with_agenda_and_attendance(client, world, session):
    secretariat = bearer(client, "secretariat")
    created = client.post(
        url(world, "/meetings"),
        json={
            "body_id": world.steering.id,
            "meeting_date": "2012-11-27",
            "start_time": "13:00",
            "place": "Jobcentret",
        },
        headers=secretariat,
    )
    assert created.status_code == 201
    meeting = url(world, f"/meetings/{created.json()['id']}")
    agenda = client.post(
        f"{meeting}/agenda", json={"title": "Implementeringsgrupperne"}, headers=secretariat
    )
    assert agenda.status_code == 201
    person = make_person(session, world.project, name="Bo Madsen")
    no_reason = client.put(
        f"{meeting}/attendance/{person.id}", json={"status": "called_in"}, headers=secretariat
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    called = client.put(
        f"{meeting}/attendance/{person.id}",
        json={"status": "called_in", "reason": "Unge under 30 år"},
        headers=secretariat,
    )
    assert called.status_code == 200
    read = client.get(meeting, headers=bearer(client, "directorate")).json()
    assert [a["title"] for a in read["agenda"]] == ["Implementeringsgrupperne"]
    assert read["attendance"] == [
        {
            "person_id": person.id,
            "person_name": "Bo Madsen",
            "status": "called_in",
            "reason": "Unge under 30 år",
        }
    ]
    page = client.get(url(world, "/meetings"), headers=bearer(client, "member_a"))
    assert page.headers["x-total-count"] == "1" and len(page.json()) == 1


def test_a_meeting_without_a_date_is_422_and_not_stored(client, world, session):
    answer = client.post(
        url(world, "/meetings"),
        json={"body_id": world.steering.id},
        headers=bearer(client, "secretariat"),
    )
    assert answer.status_code == 422
    [detail] = answer.json()["errors"]
    assert detail["field"] == "meeting_date" and detail["message"] == "Mødet skal have en dato."
    assert count(session, Meeting) == 0


def test_only_secretariat_and_leader_change_meetings_steering_writes_minutes(
    client, world, session
):
    meeting = make_meeting(session, world)
    for name in ("steering", "directorate", "member_a"):
        answer = client.patch(
            url(world, f"/meetings/{meeting.id}"), json={"place": "X"}, headers=bearer(client, name)
        )
        assert answer.status_code == 403, name
    minutes = client.put(
        url(world, f"/meetings/{meeting.id}/minutes"),
        json={"minutes": "Grupperne blev nedsat.", "version": 1},
        headers=bearer(client, "steering"),
    )
    assert minutes.status_code == 200 and minutes.json()["minutes"] == "Grupperne blev nedsat."
    refused = client.put(
        url(world, f"/meetings/{meeting.id}/minutes"),
        json={"minutes": "Nej"},
        headers=bearer(client, "directorate"),
    )
    assert refused.status_code == 403
    session.expire_all()
    assert session.get(Meeting, meeting.id).place == "Jobcentret"


def test_deleting_a_meeting_with_decisions_is_409(client, world, session):
    meeting = make_meeting(session, world)
    make_decision(session, world, meeting_id=meeting.id)
    answer = client.delete(
        url(world, f"/meetings/{meeting.id}"),
        params={"version": meeting.version},
        headers=bearer(client, "secretariat"),
    )
    assert answer.status_code == 409
    assert count(session, Meeting) == 1


# Decisions --------------------------------------------------------------------------------------


def test_steering_members_record_decisions_the_secretariat_may_not(client, world, session):
    meeting = make_meeting(session, world)
    body = {
        "title": "Sammensætning af implementeringsgrupperne",
        "meeting_id": meeting.id,
        "actions": [{"text": "Indkald til første møde", "due_date": "2012-12-14"}],
    }
    refused = client.post(
        url(world, "/decisions"), json=body, headers=bearer(client, "secretariat")
    )
    assert refused.status_code == 403
    answer = client.post(url(world, "/decisions"), json=body, headers=bearer(client, "steering"))
    assert answer.status_code == 201
    decision = answer.json()
    assert decision["number"] == 1 and decision["decision_date"] == "2012-11-27"
    assert decision["body_id"] == world.steering.id and len(decision["actions"]) == 1


def test_a_decision_on_another_projects_meeting_is_422(client, world, session):
    foreign_body = make_body(session, world.other_project)
    foreign = make_meeting(
        session, world, project_id=world.other_project.id, body_id=foreign_body.id
    )
    answer = client.post(
        url(world, "/decisions"),
        json={"title": "X", "meeting_id": foreign.id, "body_id": world.steering.id},
        headers=bearer(client, "steering"),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "meeting_id"
    assert count(session, Decision) == 0


def test_the_log_is_searchable_and_a_decision_is_superseded_not_deleted(client, world, session):
    steering = bearer(client, "steering")
    first = client.post(
        url(world, "/decisions"),
        json={
            "title": "Status til direktionen hver måned",
            "body_id": world.steering.id,
            "decision_date": "2012-11-27",
        },
        headers=steering,
    ).json()
    client.post(
        url(world, "/decisions"),
        json={
            "title": "Puljemidler",
            "text": "Frikøb af medarbejdere",
            "body_id": world.steering.id,
            "decision_date": "2012-11-27",
        },
        headers=steering,
    )
    newer = client.post(
        url(world, f"/decisions/{first['id']}/supersede"),
        json={"title": "Status til direktionen hvert kvartal", "decision_date": "2013-01-15"},
        headers=steering,
    )
    assert newer.status_code == 201 and newer.json()["supersedes_ids"] == [first["id"]]
    old = client.get(
        url(world, f"/decisions/{first['id']}"), headers=bearer(client, "directorate")
    ).json()
    assert old["superseded_by_id"] == newer.json()["id"]
    again = client.post(
        url(world, f"/decisions/{first['id']}/supersede"),
        json={"title": "Igen", "decision_date": "2013-02-01"},
        headers=steering,
    )
    assert again.status_code == 409
    found = client.get(
        url(world, "/decisions"), params={"q": "DIREKTIONEN"}, headers=bearer(client, "member_a")
    )
    assert found.headers["x-total-count"] == "2"
    assert [d["number"] for d in found.json()] == [3, 1]
    page = client.get(url(world, "/decisions"), params={"limit": 1, "offset": 1}, headers=steering)
    assert page.headers["x-total-count"] == "3" and len(page.json()) == 1
    assert 'rel="next"' in page.headers["link"] and 'rel="prev"' in page.headers["link"]
    deleted = client.delete(url(world, f"/decisions/{first['id']}"), headers=steering)
    assert deleted.status_code == 405


def test_follow_up_actions_are_marked_done(client, world, session):
    decision = make_decision(session, world)
    action = client.post(
        url(world, f"/decisions/{decision.id}/actions"),
        json={"text": "Send skabelonen", "due_date": "2012-12-07"},
        headers=bearer(client, "secretariat"),
    )
    assert action.status_code == 201
    done = client.patch(
        url(world, f"/decisions/{decision.id}/actions/{action.json()['id']}"),
        json={"done_date": "2012-12-05", "version": 1},
        headers=bearer(client, "leader"),
    )
    assert done.status_code == 200 and done.json()["done_date"] == "2012-12-05"
    refused = client.post(
        url(world, f"/decisions/{decision.id}/actions"),
        json={"text": "X"},
        headers=bearer(client, "member_a"),
    )
    assert refused.status_code == 403


# Project document -------------------------------------------------------------------------------


def test_schema_is_served_and_lists_the_sections(client, world):
    schema = client.get("/api/project-document/schema", headers=bearer(client, "member_a"))
    assert schema.status_code == 200
    properties = schema.json()["properties"]
    assert {"project", "people", "bodies", "meetings", "decisions"} <= set(properties)


def test_import_lists_every_error_with_its_json_path_and_stores_nothing(client, world, session):
    document = demo_document()
    document["people"][0]["email"] = 7
    document["bodies"][1]["members"][3]["condition"] = ""
    document["bodies"][1]["members"].append({"person": "finn-boye"})
    document["meetings"][0]["attendance"][0]["person"] = "ukendt"
    document["decisions"][0]["meeting"] = "ukendt-møde"
    del document["meetings"][1]["meeting_date"]
    projects = count(session, Project)
    answer = client.post("/api/projects/import", json=document, headers=bearer(client, "admin"))
    assert answer.status_code == 422
    paths = {d["field"] for d in answer.json()["errors"]}
    assert paths == {"people[0].email", "meetings[1].meeting_date"}
    del document["people"][0]["email"]
    document["meetings"][1]["meeting_date"] = "2012-12-04"
    answer = client.post("/api/projects/import", json=document, headers=bearer(client, "admin"))
    assert answer.status_code == 422
    paths = {d["field"] for d in answer.json()["errors"]}
    assert paths == {
        "bodies[1].members[3].condition",
        "bodies[1].members[6].person",
        "meetings[0].attendance[0].person",
        "decisions[0].meeting",
    }
    assert all(d["message"] for d in answer.json()["errors"])
    assert count(session, Project) == projects


def test_only_an_administrator_imports_and_only_the_leader_exports(client, world):
    assert (
        client.post(
            "/api/projects/import", json=demo_document(), headers=bearer(client, "leader")
        ).status_code
        == 403
    )
    assert (
        client.get(url(world, "/export"), headers=bearer(client, "directorate")).status_code == 403
    )
    assert client.get(url(world, "/export"), headers=bearer(client, "leader")).status_code == 200


def test_demo_document_round_trips_export_import_export(client, world, session):
    admin = bearer(client, "admin")
    demo = demo_document()
    first = client.post("/api/projects/import", json=demo, headers=admin)
    assert first.status_code == 201
    exported = client.get(f"/api/projects/{first.json()['id']}/export", headers=admin).json()
    second = client.post("/api/projects/import", json=exported, headers=admin)
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]
    again = client.get(f"/api/projects/{second.json()['id']}/export", headers=admin).json()
    assert again == exported
    # Nothing of the demo was lost on the way: same counts in every governance section.
    assert exported["project"] == demo["project"]
    for section in ("director_areas", "people", "bodies", "meetings"):
        assert len(exported[section]) == len(demo[section]), section
    # Other sections may add decisions of their own (a plan's approval), numbered after these.
    titles = [d["title"] for d in exported["decisions"]]
    assert titles[: len(demo["decisions"])] == [d["title"] for d in demo["decisions"]]
    assert [len(b["mandate"]) for b in exported["bodies"]] == [
        len(b["mandate"]) for b in demo["bodies"]
    ]
    steering = next(b for b in exported["bodies"] if b["kind"] == "steering_group")
    ad_hoc = [m["condition"] for m in steering["members"] if m["role"] == "ad_hoc"]
    assert ad_hoc == [
        "Tilkobles ad hoc, når det omhandler ydelser",
        "Tilkobles ad hoc, når det omhandler unge under 30 år",
    ]
    superseded = [d for d in exported["decisions"] if d["superseded_by"]]
    assert [d["number"] for d in superseded] == [3]
    called_in = [
        a for m in exported["meetings"] for a in m["attendance"] if a["status"] == "called_in"
    ]
    assert len(called_in) == 2 and all(a["reason"] for a in called_in)
    assert count(session, Attendance) > 0
