import json
import re
from datetime import date

from sqlmodel import select

from app import clock
from app.stakeholders.models import (
    ActivityDelegate,
    CommunicationAction,
    ExternalActivity,
    Stakeholder,
    StakeholderPosition,
)
from tests.factories import csrf_of, login, make_person
from tests.stakeholders.factories import make_action, make_activity, make_stakeholder

HTMX = {"HX-Request": "true"}


def page_url(world, rest=""):
    return f"/projects/{world.project.id}{rest}"


def form(**values):
    base = {
        "name": "Borgere",
        "kind": "external",
        "director_area_id": "",
        "organisation": "",
        "contact": "",
        "influence": "1",
        "interest": "5",
        "attitude": "sceptical",
        "needs": "",
        "group_id": "",
        "strategy_override": "",
        "override_reason": "",
    }
    return base | values


def test_the_stakeholder_page_shows_grid_table_and_quadrant_names(client, world, session):
    make_stakeholder(
        session, world.project, name="KL", influence=2, interest=3, attitude="supportive"
    )
    login(client, "directorate")
    page = client.get(page_url(world, "/stakeholders"))
    assert page.status_code == 200
    assert 'id="stakeholder-grid"' in page.text and "/static/vendor/plotly.min.js" in page.text
    assert '<th scope="row"><a href' in page.text and ">KL</a>" in page.text
    for word in (
        "Ressourcepersoner",
        "Grå eminencer",
        "Gidsler",
        "Eksterne interessenter",
        "Hold informeret",
        "Fortaler",
    ):
        assert word in page.text
    assert "Tilføj en interessent" not in page.text  # the directorate only reads


def test_creating_through_the_form_redirects_to_the_new_stakeholder(client, world, session):
    login(client, "leader")
    token = csrf_of(client, page_url(world, "/stakeholders"))
    answer = client.post(
        page_url(world, "/stakeholders"), data=form(csrf_token=token), follow_redirects=False
    )
    assert answer.status_code == 303
    stakeholder = session.exec(select(Stakeholder)).one()
    assert answer.headers["location"] == page_url(world, f"/stakeholders/{stakeholder.id}")
    detail = client.get(answer.headers["location"])
    assert "Hold informeret" in detail.text and "gidsler" in detail.text


def test_a_form_error_comes_back_as_the_partial_with_422_next_to_the_field(client, world, session):
    login(client, "leader")
    token = csrf_of(client, page_url(world, "/stakeholders"))
    answer = client.post(
        page_url(world, "/stakeholders"),
        data=form(influence="7", attitude="begejstret"),
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert answer.status_code == 422
    assert 'id="stakeholder-form"' in answer.text and "<html" not in answer.text
    assert re.search(
        r'id="new-influence"[^>]*aria-describedby="new-influence-error"'
        r'[^>]*aria-invalid="true"',
        answer.text,
    )
    assert "skal være fra 1 til 5, ikke 7" in answer.text
    assert "kender ikke »begejstret«" in answer.text
    assert session.exec(select(Stakeholder)).all() == []
    plain = client.post(
        page_url(world, "/stakeholders"), data=form(csrf_token=token, strategy_override="monitor")
    )
    assert plain.status_code == 422 and "<html" in plain.text
    assert "Angiv en begrundelse" in plain.text


def test_editing_moves_the_stakeholder_and_keeps_the_history(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id, influence=3, interest=2)
    login(client, "member_a")
    token = csrf_of(client, page_url(world, f"/stakeholders/{s.id}"))
    answer = client.post(
        page_url(world, f"/stakeholders/{s.id}"),
        data=form(
            name=s.name,
            influence="3",
            interest="4",
            attitude="positive",
            group_id=str(world.group_a.id),
            version="1",
            assessed_date="2013-01-15",
            assessment_note="Efter mødet.",
        ),
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert answer.status_code == 204
    assert answer.headers["HX-Redirect"] == page_url(world, f"/stakeholders/{s.id}")
    rows = session.exec(select(StakeholderPosition).order_by(StakeholderPosition.id)).all()
    assert [(r.interest, r.note) for r in rows] == [(2, ""), (4, "Efter mødet.")]
    stale = client.post(
        page_url(world, f"/stakeholders/{s.id}"),
        data=form(name=s.name, version="1"),
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert stale.status_code == 409 and "ændret af en anden" in stale.text
    page = client.get(page_url(world, "/stakeholders"))
    assert "Efter mødet." in page.text  # in "Hvem har flyttet sig"


def test_read_only_roles_are_refused_and_see_no_forms(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    login(client, "steering")
    detail = client.get(page_url(world, f"/stakeholders/{s.id}"))
    assert "Redigér interessenten" not in detail.text and "Planlæg en aktivitet" not in detail.text
    token = csrf_of(client, page_url(world, f"/stakeholders/{s.id}"))
    refused = client.post(
        page_url(world, f"/stakeholders/{s.id}"),
        data=form(csrf_token=token, version="1", influence="1"),
    )
    assert refused.status_code == 403
    assert session.get(Stakeholder, s.id).influence == 4


def test_actions_are_planned_and_ticked_off_inline(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    person = make_person(session, world.project, name="Hanne Boel")
    login(client, "member_a")
    token = csrf_of(client, page_url(world, f"/stakeholders/{s.id}"))
    headers = HTMX | {"X-CSRF-Token": token}
    added = client.post(
        page_url(world, f"/stakeholders/{s.id}/actions"),
        data={
            "what": "Pjece i receptionen",
            "channel": "other",
            "planned_date": "2013-01-21",
            "responsible_person_id": str(person.id),
            "group_id": str(world.group_a.id),
        },
        headers=headers,
    )
    assert added.status_code == 200 and 'id="stakeholder-actions"' in added.text
    assert "Pjece i receptionen" in added.text and "Hanne Boel" in added.text
    missing = client.post(
        page_url(world, f"/stakeholders/{s.id}/actions"),
        data={"what": "", "channel": "other", "planned_date": ""},
        headers=headers,
    )
    assert missing.status_code == 422 and 'aria-invalid="true"' in missing.text
    action = session.exec(select(CommunicationAction)).one()
    ticked = client.post(
        page_url(world, f"/communication-actions/{action.id}/done"),
        data={"done": "true", "version": "1"},
        headers=headers,
    )
    assert ticked.status_code == 200 and ticked.text.lstrip().startswith("<tr")
    assert "Udført" in ticked.text and "Genåbn" in ticked.text
    assert session.get(CommunicationAction, action.id).done_date == clock.today()
    stale = client.post(
        page_url(world, f"/communication-actions/{action.id}/done"),
        data={"done": "true", "version": "1"},
        headers=headers,
    )
    assert stale.status_code == 409 and 'role="alert"' in stale.text


def test_the_communication_plan_filters_by_group_and_status(client, world, session):
    a = make_stakeholder(session, world.project, name="Borgere", group_id=world.group_a.id)
    b = make_stakeholder(session, world.project, name="Læger", group_id=world.group_b.id)
    make_action(session, a, what="Hjemmeside", done=True, done_date=date(2013, 1, 3))
    make_action(session, b, what="Brev til lægerne")
    login(client, "directorate")
    everything = client.get(page_url(world, "/communication"))
    assert "Hjemmeside" in everything.text and "Brev til lægerne" in everything.text
    assert "Markér udført" not in everything.text
    only_b = client.get(page_url(world, f"/communication?group_id={world.group_b.id}"))
    assert "Hjemmeside" not in only_b.text and "Brev til lægerne" in only_b.text
    open_ones = client.get(page_url(world, "/communication?status=open"))
    assert "Hjemmeside" not in open_ones.text


def test_a_fourth_delegate_is_refused_on_the_page_with_the_limit_named(client, world, session):
    people = [make_person(session, world.project, name=f"Person {i}") for i in range(4)]
    kl = make_activity(
        session,
        world.project,
        title="KL's implementeringsnetværk",
        delegate_limit=3,
        delegates=tuple(p.id for p in people[:3]),
    )
    login(client, "leader")
    page = client.get(page_url(world, "/activities"))
    assert "KL&#39;s implementeringsnetværk" in page.text and "3 af højst 3" in page.text
    token = csrf_of(client, page_url(world, f"/activities/{kl.id}"))
    refused = client.post(
        page_url(world, f"/activities/{kl.id}/delegates"),
        data={"person_id": str(people[3].id), "version": "1"},
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert refused.status_code == 422 and 'id="activity-delegates"' in refused.text
    assert "tillader højst 3 delegerede" in refused.text and 'role="alert"' in refused.text
    assert len(session.exec(select(ActivityDelegate)).all()) == 3
    removed = client.post(
        page_url(world, f"/activities/{kl.id}/delegates/{people[0].id}/remove"),
        data={"version": "1"},
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert removed.status_code == 200 and "Person 0" not in removed.text.split("<form")[0]


def test_creating_an_activity_through_the_form(client, world, session):
    person = make_person(session, world.project, name="Birgit Bagge")
    login(client, "leader")
    token = csrf_of(client, page_url(world, "/activities"))
    data = {
        "csrf_token": token,
        "title": "Opstartsmøde",
        "kind": "meeting",
        "organiser": "Beskæftigelsesregion Syddanmark",
        "activity_date": "2012-11-22",
        "start_time": "",
        "place": "",
        "theme": "",
        "audience": "",
        "delegate_limit": "",
        "limit_note": "",
        "group_id": "",
        "delegate_ids": [str(person.id)],
    }
    answer = client.post(page_url(world, "/activities"), data=data, follow_redirects=False)
    assert answer.status_code == 303
    detail = client.get(answer.headers["location"])
    assert "22.11.2012" in detail.text and "Birgit Bagge" in detail.text
    bad = client.post(
        page_url(world, "/activities"), data=data | {"start_time": "kl. 25", "organiser": ""}
    )
    assert bad.status_code == 422 and "klokkeslæt" in bad.text
    assert "Feltet »Arrangør« skal udfyldes." in bad.text


def test_an_action_is_edited_inline_and_deleted(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    action = make_action(session, s, what="Brev")
    login(client, "member_a")
    token = csrf_of(client, page_url(world, f"/stakeholders/{s.id}"))
    headers = HTMX | {"X-CSRF-Token": token}
    form_row = client.get(
        page_url(world, f"/communication-actions/{action.id}/row?edit=true"), headers=HTMX
    )
    assert form_row.status_code == 200 and 'class="stakeholders-editing"' in form_row.text
    fields = {
        "what": "Brev om attester",
        "channel": "email",
        "planned_date": "2013-01-28",
        "responsible_person_id": "",
        "group_id": str(world.group_a.id),
        "version": "1",
    }
    bad = client.post(
        page_url(world, f"/communication-actions/{action.id}"),
        data=fields | {"planned_date": "i morgen"},
        headers=headers,
    )
    assert bad.status_code == 422 and "»Planlagt dato«" in bad.text
    saved = client.post(
        page_url(world, f"/communication-actions/{action.id}"), data=fields, headers=headers
    )
    assert saved.status_code == 200 and "28.01.2013" in saved.text
    assert session.get(CommunicationAction, action.id).what == "Brev om attester"
    gone = client.post(
        page_url(world, f"/communication-actions/{action.id}/delete"),
        data={"version": "2"},
        headers=headers,
    )
    assert gone.status_code == 200 and gone.text == ""
    assert session.exec(select(CommunicationAction)).all() == []


NO_VERSION = "Formularen mangler den version, ændringen er lavet ud fra"


def test_the_delegates_form_refuses_a_second_edit_from_the_same_copy(client, world, session):
    ole, pia = (make_person(session, world.project, name=n) for n in ("Ole Olsen", "Pia Poulsen"))
    activity = make_activity(session, world.project, title="Netværksmøde")
    login(client, "leader")
    url = page_url(world, f"/activities/{activity.id}")
    html = client.get(url).text
    copy = re.search(r'/delegates"[^>]*>.*?name="version" value="(\d+)"', html, re.S).group(1)
    headers = HTMX | {"X-CSRF-Token": csrf_of(client, url)}
    for version in ({}, {"version": ""}, {"version": "en"}):
        refused = client.post(
            url + "/delegates", data={"person_id": str(ole.id)} | version, headers=headers
        )
        assert refused.status_code == 422 and 'id="activity-delegates"' in refused.text
        assert NO_VERSION in refused.text
    not_a_person = client.post(
        url + "/delegates", data={"person_id": "²", "version": copy}, headers=headers
    )
    assert (
        not_a_person.status_code == 422
        and "Vælg den person, der skal deltage." in not_a_person.text
    )
    assert session.exec(select(ActivityDelegate)).all() == []
    first = client.post(
        url + "/delegates", data={"person_id": str(ole.id), "version": copy}, headers=headers
    )
    assert first.status_code == 200 and "Ole Olsen" in first.text
    second = client.post(
        url + "/delegates", data={"person_id": str(pia.id), "version": copy}, headers=headers
    )
    assert second.status_code == 409 and 'id="activity-delegates"' in second.text
    assert "Posten er ændret af en anden, siden du hentede den" in second.text
    assert [d.person_id for d in session.exec(select(ActivityDelegate))] == [ole.id]


def test_deleting_without_the_version_deletes_nothing(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    activity = make_activity(session, world.project)
    login(client, "leader")
    token = csrf_of(client, page_url(world, f"/stakeholders/{s.id}"))
    for path in (f"/stakeholders/{s.id}/delete", f"/activities/{activity.id}/delete"):
        refused = client.post(page_url(world, path), data={"csrf_token": token})
        assert refused.status_code == 422
        assert NO_VERSION in refused.text
    assert session.get(Stakeholder, s.id) is not None
    assert session.get(ExternalActivity, activity.id) is not None


def test_a_stale_delete_of_an_action_under_htmx_leaves_the_row_and_says_why(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    action = make_action(session, s, what="Brev")
    login(client, "member_a")
    token = csrf_of(client, page_url(world, f"/stakeholders/{s.id}"))
    stale = client.post(
        page_url(world, f"/communication-actions/{action.id}/delete"),
        data={"version": "0"},
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert stale.status_code == 409
    assert stale.headers["HX-Reswap"] == "none" and stale.text == ""
    assert "ændret af en anden" in json.loads(stale.headers["HX-Trigger"])["failed"]
    assert session.get(CommunicationAction, action.id) is not None
    plain = client.post(
        page_url(world, f"/communication-actions/{action.id}/delete"),
        data={"csrf_token": token, "version": "1"},
        follow_redirects=False,
    )
    assert plain.status_code == 303
    assert plain.headers["location"] == page_url(world, f"/stakeholders/{s.id}#stakeholder-actions")
    assert session.exec(select(CommunicationAction)).all() == []


def test_a_stale_inline_edit_shows_the_stored_action_with_the_message(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    action = make_action(session, s, what="Brev")
    login(client, "member_a")
    token = csrf_of(client, page_url(world, f"/stakeholders/{s.id}"))
    stale = client.post(
        page_url(world, f"/communication-actions/{action.id}"),
        data={"what": "Mail", "channel": "email", "planned_date": "2013-01-28", "version": "0"},
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert stale.status_code == 409 and stale.text.lstrip().startswith("<tr")
    assert "<header" not in stale.text and "data-error-summary" in stale.text
    assert "ændret af en anden" in stale.text
    assert 'value="Brev"' in stale.text and 'name="version" value="1"' in stale.text
