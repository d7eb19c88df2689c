import json
import re

from sqlmodel import func, select

from app.demo.loader import demo_document
from app.governance.models import (
    Attendance,
    Decision,
    FollowUpAction,
    MandateItem,
    MandateStatus,
    Meeting,
    MemberRole,
    Membership,
    Person,
    Project,
)
from tests.factories import csrf_of, login, make_person
from tests.governance.factories import make_decision, make_meeting

HTMX = {"HX-Request": "true"}


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def page(world, path: str = "") -> str:
    return f"/projects/{world.project.id}{path}"


def htmx(client, path: str) -> dict[str, str]:
    return HTMX | {"X-CSRF-Token": csrf_of(client, path)}


# Reading: everyone on the project, the directorate without edit controls -----------------------


def test_every_page_of_the_organisation_reads_for_the_directorate(client, world, session):
    meeting = make_meeting(session, world)
    decision = make_decision(session, world, meeting_id=meeting.id)
    login(client, "directorate")
    for path in (
        "/organisation",
        "/organisation/people",
        "/organisation/bodies",
        f"/organisation/bodies/{world.steering.id}",
        "/organisation/mandates",
        "/organisation/chart",
        "/meetings",
        f"/meetings/{meeting.id}",
        "/decisions",
        f"/decisions/{decision.id}",
    ):
        answer = client.get(page(world, path))
        assert answer.status_code == 200, path
        assert "Redigér kommissoriet" not in answer.text
        assert "hx-post" not in answer.text, path


def test_the_project_leader_sees_the_edit_controls(client, world):
    login(client, "leader")
    answer = client.get(page(world, "/organisation"))
    assert "Redigér kommissoriet" in answer.text and "Hent projektdokumentet" in answer.text
    assert 'aria-current="page">Kommissorium' in answer.text


def test_organisation_pages_of_another_project_are_403(client, world):
    login(client, "outsider")
    assert client.get(page(world, "/organisation/chart")).status_code == 403


# Charter ----------------------------------------------------------------------------------------


def test_charter_form_saves_and_shows_errors_next_to_the_field(client, world, session):
    login(client, "leader")
    token = csrf_of(client, page(world, "/organisation/edit"))
    bad = client.post(
        page(world, "/organisation/edit"),
        data={
            "csrf_token": token,
            "version": "1",
            "name": "Testprojekt",
            "start_date": "2013-02-01",
            "end_date": "2013-01-31",
        },
    )
    assert bad.status_code == 422
    assert "Slutdatoen (31.01.2013) ligger før startdatoen (01.02.2013)." in bad.text
    assert re.search(r'id="charter-end_date"[^>]*aria-invalid="true"', bad.text)
    good = client.post(
        page(world, "/organisation/edit"),
        data={
            "csrf_token": token,
            "version": "1",
            "name": "Testprojekt",
            "anchoring": "Jobcentret",
            "anchoring_date": "2012-09-11",
            "start_date": "",
            "end_date": "",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    session.expire_all()
    project = session.get(Project, world.project.id)
    assert project.anchoring == "Jobcentret" and project.version == 2


def test_charter_form_without_csrf_is_refused(client, world, session):
    login(client, "leader")
    answer = client.post(page(world, "/organisation/edit"), data={"name": "Kapret"})
    assert answer.status_code == 403
    assert session.get(Project, world.project.id).name == "Testprojekt"


def test_charter_form_is_for_the_project_leader(client, world):
    login(client, "steering")
    assert client.get(page(world, "/organisation/edit")).status_code == 403


# People, bodies and members (htmx partials) -----------------------------------------------------


def test_adding_a_person_returns_the_people_section(client, world, session):
    login(client, "leader")
    headers = htmx(client, page(world, "/organisation/people"))
    answer = client.post(
        page(world, "/organisation/people"),
        data={
            "name": "Lene Kragh",
            "title": "Kommunikationsmedarbejder",
            "email": "",
            "director_area_id": "",
        },
        headers=headers,
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<section id="people"')
    assert "Lene Kragh" in answer.text
    assert json.loads(answer.headers["HX-Trigger"])["flash"] == "Lene Kragh er tilføjet."
    bad = client.post(
        page(world, "/organisation/people"),
        data={"name": "", "email": "ikke-en-mail"},
        headers=headers,
    )
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text


def test_an_ad_hoc_member_without_condition_is_refused_in_the_partial(client, world, session):
    person = make_person(session, world.project, name="Bo Madsen")
    login(client, "leader")
    path = page(world, f"/organisation/bodies/{world.steering.id}")
    headers = htmx(client, path)
    refused = client.post(
        f"{path}/members",
        data={"person_id": str(person.id), "role": "ad_hoc", "condition": ""},
        headers=headers,
    )
    assert refused.status_code == 422
    assert "Et ad hoc-medlem skal have en betingelse" in refused.text
    assert re.search(r'id="member-new-condition"[^>]*aria-invalid="true"', refused.text)
    assert count(session, Membership, Membership.person_id == person.id) == 0
    added = client.post(
        f"{path}/members",
        data={
            "person_id": str(person.id),
            "role": "ad_hoc",
            "condition": "når det omhandler unge under 30 år",
        },
        headers=headers,
    )
    assert added.status_code == 200 and "når det omhandler unge under 30 år" in added.text
    membership = session.exec(select(Membership).where(Membership.person_id == person.id)).one()
    assert membership.role == MemberRole.ad_hoc
    chart = client.get(page(world, "/organisation/chart"))
    assert "Bo Madsen" in chart.text and "når det omhandler unge under 30 år" in chart.text


def test_a_member_is_edited_inline(client, world, session):
    [membership] = session.exec(
        select(Membership).where(Membership.body_id == world.steering.id)
    ).all()
    login(client, "leader")
    path = page(world, f"/organisation/bodies/{world.steering.id}")
    form = client.get(f"{path}/members/{membership.id}/edit")
    assert 'name="version"' in form.text
    answer = client.post(
        f"{path}/members/{membership.id}",
        data={"role": "chair", "condition": "", "version": "1"},
        headers=htmx(client, path),
    )
    assert answer.status_code == 200 and "Formand" in answer.text
    stale = client.post(
        f"{path}/members/{membership.id}",
        data={"role": "member", "condition": "", "version": "1"},
        headers=htmx(client, path),
    )
    assert stale.status_code == 409 and "ændret af en anden" in stale.text


def test_a_body_is_created_with_the_usual_line_from_the_form(client, world, session):
    login(client, "leader")
    path = page(world, "/organisation/bodies")
    answer = client.post(
        path,
        data={
            "kind": "implementation_group",
            "name": "Ny gruppe",
            "reports_to_id": "auto",
            "description": "",
        },
        headers=htmx(client, path),
    )
    assert answer.status_code == 200 and "Ny gruppe" in answer.text
    assert answer.text.count("Projektledelsen") >= 3


def test_a_person_in_a_body_cannot_be_deleted_and_the_page_says_why(client, world, session):
    [membership] = session.exec(
        select(Membership).where(Membership.body_id == world.steering.id)
    ).all()
    login(client, "leader")
    path = page(world, "/organisation/people")
    answer = client.post(
        f"{path}/{membership.person_id}/delete", data={"version": "1"}, headers=htmx(client, path)
    )
    assert answer.status_code == 409 and "medlemskaber af organer (1)" in answer.text


# Mandates ---------------------------------------------------------------------------------------


def test_mandate_items_are_followed_up_inline(client, world, session):
    item = MandateItem(body_id=world.steering.id, text="Indgå samarbejdsaftale med Regionen")
    session.add(item)
    session.commit()
    login(client, "leader")
    section = page(world, f"/organisation/bodies/{world.steering.id}/mandate")
    form = client.get(section, params={"edit": item.id})
    assert 'name="status"' in form.text
    answer = client.post(
        f"{section}/{item.id}",
        data={
            "text": item.text,
            "status": "done",
            "status_date": "2013-05-15",
            "note": "Underskrevet",
            "version": "1",
        },
        headers=htmx(client, page(world)),
    )
    assert answer.status_code == 200
    assert "1 af 1 opfyldt" in answer.text and "15.05.2013" in answer.text
    session.expire_all()
    assert session.get(MandateItem, item.id).status == MandateStatus.done
    login(client, "steering")
    refused = client.post(
        f"{section}/{item.id}", data={"status": "not_started"}, headers=htmx(client, page(world))
    )
    assert refused.status_code == 403


# Meetings ---------------------------------------------------------------------------------------


def test_a_meeting_without_a_date_is_refused_on_the_page(client, world, session):
    login(client, "secretariat")
    token = csrf_of(client, page(world, "/meetings"))
    refused = client.post(
        page(world, "/meetings"),
        data={
            "csrf_token": token,
            "body_id": str(world.steering.id),
            "meeting_date": "",
            "place": "Rådhuset",
        },
    )
    assert refused.status_code == 422 and "Mødet skal have en dato." in refused.text
    assert 'value="Rådhuset"' in refused.text
    no_body = client.post(
        page(world, "/meetings"),
        data={"csrf_token": token, "body_id": "", "meeting_date": "2012-11-27"},
    )
    assert no_body.status_code == 422 and "Feltet »Organ« skal udfyldes." in no_body.text
    assert count(session, Meeting) == 0
    created = client.post(
        page(world, "/meetings"),
        data={
            "csrf_token": token,
            "body_id": str(world.group_a.id),
            "meeting_date": "2012-12-11",
            "start_time": "10.00",
            "with_project_management": "on",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    meeting = session.exec(select(Meeting)).one()
    assert meeting.with_project_management and meeting.start_time == "10:00"


def test_the_secretariat_registers_an_ad_hoc_member_called_in(client, world, session):
    meeting = make_meeting(session, world)
    person = make_person(session, world.project, name="Marianne Wederkopp")
    session.add(
        Membership(
            body_id=world.steering.id,
            person_id=person.id,
            role=MemberRole.ad_hoc,
            condition="når det omhandler ydelser",
        )
    )
    session.commit()
    login(client, "secretariat")
    path = page(world, f"/meetings/{meeting.id}")
    shown = client.get(path)
    assert "når det omhandler ydelser" in shown.text
    refused = client.post(
        f"{path}/attendance",
        data={"person_id": str(person.id), "status": "called_in", "reason": ""},
        headers=htmx(client, path),
    )
    assert refused.status_code == 422
    assert "Skriv hvorfor Marianne Wederkopp blev indkaldt ad hoc." in refused.text
    answer = client.post(
        f"{path}/attendance",
        data={
            "person_id": str(person.id),
            "status": "called_in",
            "reason": "Punktet om puljemidler berører ydelser",
        },
        headers=htmx(client, path),
    )
    assert answer.status_code == 200 and "Indkaldt ad hoc" in answer.text
    assert session.exec(select(Attendance)).one().reason.startswith("Punktet om puljemidler")


def test_agenda_and_minutes_are_edited_on_the_meeting_page(client, world, session):
    meeting = make_meeting(session, world)
    login(client, "secretariat")
    path = page(world, f"/meetings/{meeting.id}")
    agenda = client.post(
        f"{path}/agenda",
        data={"title": "Implementeringsgrupperne", "description": ""},
        headers=htmx(client, path),
    )
    assert agenda.status_code == 200 and "Implementeringsgrupperne" in agenda.text
    editor = client.get(f"{path}/minutes", params={"edit": "true"})
    assert 'name="minutes"' in editor.text
    saved = client.post(
        f"{path}/minutes",
        data={"minutes": "Grupperne blev nedsat.", "version": "1"},
        headers=htmx(client, path),
    )
    assert saved.status_code == 200 and "Grupperne blev nedsat." in saved.text
    login(client, "directorate")
    refused = client.post(
        f"{path}/minutes", data={"minutes": "Nej", "version": "2"}, headers=htmx(client, path)
    )
    assert refused.status_code == 403


# Decisions --------------------------------------------------------------------------------------


def test_a_steering_member_records_a_decision_from_a_meeting(client, world, session):
    meeting = make_meeting(session, world)
    owner = make_person(session, world.project, name="Christina Stavnsbjerg")
    login(client, "steering")
    form = client.get(page(world, "/decisions/new"), params={"meeting_id": meeting.id})
    assert form.status_code == 200 and 'value="2012-11-27"' in form.text
    token = csrf_of(client, page(world, "/decisions"))
    answer = client.post(
        page(world, "/decisions/new"),
        data={
            "csrf_token": token,
            "meeting_id": str(meeting.id),
            "body_id": "",
            "decision_date": "",
            "title": "Sammensætning af implementeringsgrupperne",
            "text": "Fire grupper.",
            "action_text": "Indkald til første møde",
            "action_owner_person_id": str(owner.id),
            "action_due_date": "2012-12-14",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    decision = session.exec(select(Decision)).one()
    assert decision.body_id == world.steering.id
    shown = client.get(answer.headers["location"])
    assert "Beslutning nr. 1: Sammensætning af implementeringsgrupperne" in shown.text
    assert "Indkald til første møde" in shown.text and "Christina Stavnsbjerg" in shown.text


def test_a_decision_on_another_projects_meeting_is_refused_on_the_page(client, world, session):
    foreign = make_meeting(session, world, project_id=world.other_project.id)
    login(client, "leader")
    token = csrf_of(client, page(world, "/decisions"))
    answer = client.post(
        page(world, "/decisions/new"),
        data={
            "csrf_token": token,
            "meeting_id": str(foreign.id),
            "body_id": str(world.steering.id),
            "title": "X",
            "decision_date": "2013-01-01",
        },
    )
    assert answer.status_code == 422 and "Mødet hører ikke til dette projekt." in answer.text
    assert count(session, Decision) == 0


def test_filters_left_on_all_bodies_are_accepted(client, world):
    login(client, "directorate")
    assert client.get(page(world, "/decisions"), params={"q": "", "body_id": ""}).status_code == 200
    assert client.get(page(world, "/meetings"), params={"body_id": ""}).status_code == 200
    shown = client.get(page(world, "/meetings"), params={"body_id": str(world.group_a.id)})
    assert shown.status_code == 200


def test_the_admin_finds_the_new_project_button_on_the_overview(client, world):
    login(client, "admin")
    assert 'href="/projects/new"' in client.get("/").text
    client.cookies.clear()
    login(client, "leader")
    assert 'href="/projects/new"' not in client.get("/").text


def test_the_secretariat_cannot_record_decisions(client, world):
    login(client, "secretariat")
    assert client.get(page(world, "/decisions/new")).status_code == 403


def test_search_answers_htmx_with_the_results_only(client, world, session):
    make_decision(session, world, title="Økonomisk overblik")
    make_decision(session, world, title="Samarbejdsaftale med Regionen")
    login(client, "member_a")
    full = client.get(page(world, "/decisions"), params={"q": "ØKONOMISK"})
    assert "Økonomisk overblik" in full.text and "Samarbejdsaftale" not in full.text
    partial = client.get(
        page(world, "/decisions"),
        params={"q": "regionen"},
        headers=HTMX | {"HX-Target": "decision-results"},
    )
    assert partial.text.lstrip().startswith('<section id="decision-results"')
    assert "Samarbejdsaftale med Regionen" in partial.text


def test_superseding_on_the_page_shows_the_link_both_ways(client, world, session):
    old = make_decision(session, world, title="Status hver måned")
    login(client, "steering")
    form = client.get(page(world, f"/decisions/{old.id}/supersede"))
    assert "Status hver måned" in form.text
    token = csrf_of(client, page(world, "/decisions"))
    answer = client.post(
        page(world, f"/decisions/{old.id}/supersede"),
        data={
            "csrf_token": token,
            "body_id": str(world.steering.id),
            "meeting_id": "",
            "decision_date": "2013-01-15",
            "title": "Status hvert kvartal",
            "text": "",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    new_page = client.get(answer.headers["location"])
    assert "Afløser" in new_page.text and "Status hver måned" in new_page.text
    old_page = client.get(page(world, f"/decisions/{old.id}"))
    assert "afløst" in old_page.text and "Status hvert kvartal" in old_page.text
    assert "Afløs beslutningen med en ny" not in old_page.text


def test_follow_up_is_marked_done_with_one_click(client, world, session):
    decision = make_decision(session, world)
    action = FollowUpAction(decision_id=decision.id, text="Send skabelonen")
    session.add(action)
    session.commit()
    login(client, "secretariat")
    path = page(world, f"/decisions/{decision.id}")
    answer = client.post(
        f"{path}/actions/{action.id}",
        data={"done_date": "2012-12-05", "version": "1"},
        headers=htmx(client, path),
    )
    assert answer.status_code == 200 and "Udført 05.12.2012" in answer.text


# New projects, import and export ----------------------------------------------------------------


def test_the_new_project_page_is_for_administrators(client, world, session):
    login(client, "leader")
    assert client.get("/projects/new").status_code == 403
    client.cookies.clear()
    login(client, "admin")
    token = csrf_of(client, "/projects/new")
    answer = client.post(
        "/projects/new",
        data={
            "csrf_token": token,
            "name": "Kontanthjælpsreformen",
            "municipality": "Assens Kommune",
            "project_leader_user_id": str(world.users["leader"].id),
            "with_standard_bodies": "on",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    project = session.exec(select(Project).where(Project.name == "Kontanthjælpsreformen")).one()
    assert answer.headers["location"] == f"/projects/{project.id}/organisation"
    empty = client.post("/projects/new", data={"csrf_token": token, "name": " "})
    assert empty.status_code == 422 and "Projektets navn skal udfyldes." in empty.text


def test_an_uploaded_document_is_imported_or_every_error_listed(client, world, session):
    login(client, "admin")
    token = csrf_of(client, "/projects/new")
    broken = demo_document()
    broken["bodies"][1]["members"][3]["condition"] = ""
    broken["meetings"][0]["attendance"][0]["person"] = "ukendt"
    before = count(session, Project)
    refused = client.post(
        "/projects/import",
        data={"csrf_token": token},
        files={"document": ("svendborg.json", json.dumps(broken).encode(), "application/json")},
    )
    assert refused.status_code == 422
    assert "$.bodies[1].members[3].condition" in refused.text
    assert "$.meetings[0].attendance[0].person" in refused.text
    assert count(session, Project) == before
    not_json = client.post(
        "/projects/import",
        data={"csrf_token": token},
        files={"document": ("x.json", b"{ikke json", "application/json")},
    )
    assert not_json.status_code == 422 and "ikke gyldig JSON" in not_json.text
    imported = client.post(
        "/projects/import",
        data={"csrf_token": token},
        files={
            "document": ("svendborg.json", json.dumps(demo_document()).encode(), "application/json")
        },
        follow_redirects=False,
    )
    assert imported.status_code == 303
    assert count(session, Project) == before + 1


def test_the_project_leader_downloads_the_project_document(client, world):
    login(client, "leader")
    answer = client.get(page(world, "/export"))
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    assert answer.json()["project"]["name"] == "Testprojekt"


# Inline edits through the form pipeline: refused, stale, and without htmx -----------------------


def test_a_refused_inline_edit_answers_htmx_with_the_row_and_the_fields_danish_label(
    client, world, session
):
    person = make_person(session, world.project, name="Finn Boye")
    login(client, "leader")
    path = page(world, "/organisation/people")
    answer = client.post(
        f"{path}/{person.id}",
        data={"name": "x" * 201, "title": "", "email": "", "version": "1"},
        headers=htmx(client, path),
    )
    assert answer.status_code == 422
    assert answer.text.lstrip().startswith(f'<tr id="person-{person.id}"')
    assert "Feltet »Navn« må højst have 200 tegn." in answer.text
    assert "»name«" not in answer.text
    assert "data-error-summary" in answer.text
    assert f'href="#person-{person.id}-name"' in answer.text
    assert re.search(rf'id="person-{person.id}-name"[^>]*aria-invalid="true"', answer.text)


def test_a_refused_mandate_follow_up_names_the_field_in_danish(client, world, session):
    item = MandateItem(body_id=world.steering.id, text="Godkende planen")
    session.add(item)
    session.commit()
    login(client, "leader")
    section = page(world, f"/organisation/bodies/{world.steering.id}/mandate")
    answer = client.post(
        f"{section}/{item.id}",
        data={"text": item.text, "status": "done", "status_date": "15.05", "version": "1"},
        headers=htmx(client, page(world)),
    )
    assert answer.status_code == 422
    assert answer.text.lstrip().startswith(f'<section id="mandate-{world.steering.id}"')
    assert "»Statusdato«" in answer.text and "»status_date«" not in answer.text
    assert 'value="15.05"' in answer.text  # what was typed stays in the field


def test_a_stale_inline_edit_answers_409_with_the_stored_copy(client, world, session):
    person = make_person(session, world.project, name="Finn Boye")
    login(client, "leader")
    path = page(world, "/organisation/people")
    first = client.post(
        f"{path}/{person.id}",
        data={"name": "Finn Boye Hansen", "version": "1"},
        headers=htmx(client, path),
    )
    assert first.status_code == 200 and "Finn Boye Hansen" in first.text
    stale = client.post(
        f"{path}/{person.id}",
        data={"name": "Finn B.", "version": "1"},
        headers=htmx(client, path),
    )
    assert stale.status_code == 409
    assert stale.text.lstrip().startswith(f'<tr id="person-{person.id}"')
    assert "ændret af en anden" in stale.text
    assert 'value="Finn Boye Hansen"' in stale.text and "Finn B." not in stale.text
    assert 'name="version" value="2"' in stale.text


def test_a_stale_agenda_item_answers_409_with_the_stored_copy(client, world, session):
    meeting = make_meeting(session, world)
    login(client, "secretariat")
    path = page(world, f"/meetings/{meeting.id}")
    client.post(f"{path}/agenda", data={"title": "Status"}, headers=htmx(client, path))
    item_id = re.search(r'id="agenda-item-(\d+)"', client.get(path).text).group(1)
    saved = client.post(
        f"{path}/agenda/{item_id}",
        data={"title": "Status fra grupperne", "version": "1"},
        headers=htmx(client, path),
    )
    assert saved.status_code == 200
    stale = client.post(
        f"{path}/agenda/{item_id}",
        data={"title": "Økonomi", "version": "1"},
        headers=htmx(client, path),
    )
    assert stale.status_code == 409 and stale.text.lstrip().startswith('<section id="agenda"')
    assert 'value="Status fra grupperne"' in stale.text and "Økonomi" not in stale.text


def test_a_refused_inline_edit_without_htmx_shows_the_page_with_the_summary(client, world, session):
    person = make_person(session, world.project, name="Finn Boye")
    login(client, "leader")
    path = page(world, "/organisation/people")
    token = csrf_of(client, path)
    answer = client.post(
        f"{path}/{person.id}",
        data={"csrf_token": token, "name": "", "version": "1"},
    )
    assert answer.status_code == 422
    assert answer.text.lstrip().lower().startswith("<!doctype html>")
    assert "data-error-summary" in answer.text and "Personer og direktørområder" in answer.text
    assert f'id="person-{person.id}-name"' in answer.text  # the row's form is open
    saved = client.post(
        f"{path}/{person.id}",
        data={"csrf_token": token, "name": "Finn Boye", "title": "Chef", "version": "1"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"].endswith(f"/organisation/people#person-{person.id}")


def test_a_delete_from_an_outdated_page_is_refused_beside_the_form(client, world, session):
    """The delete forms carry the version the page showed: an outdated one answers 409 with the
    Danish message in the section, and nothing is deleted (issue 25)."""
    person = make_person(session, world.project, name="Jens Lund", version=2)
    person_id = person.id
    login(client, "leader")
    path = page(world, "/organisation/people")
    stale = client.post(
        f"{path}/{person_id}/delete", data={"version": "1"}, headers=htmx(client, path)
    )
    assert stale.status_code == 409 and "ændret af en anden" in stale.text
    session.expire_all()
    assert session.get(Person, person_id) is not None
    done = client.post(
        f"{path}/{person_id}/delete", data={"version": "2"}, headers=htmx(client, path)
    )
    assert done.status_code == 200
    session.expire_all()
    assert session.get(Person, person_id) is None
