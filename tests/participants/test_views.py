"""The participant pages: registrars' lists and forms, the quick follow-up form, monitoring."""

import json
from datetime import date

from sqlmodel import func, select

from app import clock
from app.audit.models import AuditEvent
from app.participants.models import FollowUp, Participant, RegistrationScheme
from tests.factories import csrf_of, login
from tests.participants.factories import make_participant, make_scheme


def _page(world, rest: str = "") -> str:
    return f"/projects/{world.project.id}/participants{rest}"


def test_the_leader_sees_the_list_and_the_read_is_audited(client, world, session):
    scheme = make_scheme(session, world)
    make_participant(session, world, scheme)
    login(client, "leader")
    answer = client.get(_page(world))
    assert answer.status_code == 200
    assert "VC-001" in answer.text and 'aria-current="page">Deltagere' in answer.text
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "read")).one()
    assert event.after["view"] == "list"


def test_the_steering_group_is_sent_to_the_aggregates(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    login(client, "steering")
    answer = client.get(_page(world), follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == _page(world, "/monitoring")
    page = client.get(_page(world, "/monitoring"))
    assert page.status_code == 200
    assert "&lt;5" in page.text and "VC-001" not in page.text
    assert 'data-plotly-source="chart-over-time-data"' in page.text
    assert ">Opfølgninger der forfalder<" not in page.text
    for path in ("/due", f"/{p.id}", "/new"):
        assert client.get(_page(world, path)).status_code == 403, path
    reads = session.exec(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "read")
    ).one()
    assert reads == 0


def test_quick_follow_up_from_the_due_list_removes_the_row(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme, start_date=date(2013, 5, 1))
    login(client, "leader")
    due = client.get(_page(world, "/due"))
    assert f'id="due-{p.id}"' in due.text and "Forfalden" in due.text
    token = csrf_of(client, _page(world, "/due"))
    answer = client.post(
        _page(world, f"/{p.id}/follow-ups"),
        data={
            "from": "due",
            "code": p.code,
            "follow_up_date": clock.today().isoformat(),
            "v_development": "Flere timer",
            "v_hours": "12",
        },
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert answer.text == ""
    assert json.loads(answer.headers["HX-Trigger"]) == {"flash": "Opfølgningen for VC-001 er gemt."}
    stored = session.exec(select(FollowUp)).one()
    assert stored.values == {"development": "Flere timer", "hours": 12}
    assert f'id="due-{p.id}"' not in client.get(_page(world, "/due")).text


def test_quick_follow_up_errors_come_back_in_the_row(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme, start_date=date(2013, 5, 1))
    login(client, "leader")
    token = csrf_of(client, _page(world, "/due"))
    answer = client.post(
        _page(world, f"/{p.id}/follow-ups"),
        data={
            "from": "due",
            "code": p.code,
            "follow_up_date": "2013-04-01",
            "v_development": "Flere timer",
        },
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert answer.status_code == 422
    assert answer.text.lstrip().startswith(f'<tr id="due-{p.id}"')
    assert "ligger før deltagerens startdato (01.05.2013)" in answer.text
    assert 'aria-invalid="true"' in answer.text and " open" in answer.text
    missing = client.post(
        _page(world, f"/{p.id}/follow-ups"),
        data={"from": "due", "follow_up_date": "2013-08-01"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert missing.status_code == 422
    assert "»Udvikling i praktikken« skal udfyldes." in missing.text
    assert f'id="fu-{p.id}-development-error"' in missing.text
    assert session.exec(select(func.count()).select_from(FollowUp)).one() == 0


def test_register_through_the_form(client, world, session):
    scheme = make_scheme(session, world)
    login(client, "leader")
    page = client.get(_page(world, f"/new?scheme={scheme.id}"))
    assert "VC-001" in page.text
    token = csrf_of(client, _page(world, "/new"))
    form = {
        "csrf_token": token,
        "scheme_id": scheme.id,
        "code": "",
        "start_date": "2013-05-01",
        "target_group": "I ressourceforløb",
        "v_age": "44",
        "v_sex": "Mand",
        "v_goal": "Ring på 010190-1234",
        "v_mentor": "ja",
    }
    refused = client.post(_page(world, "/new"), data=form)
    assert refused.status_code == 422
    assert "ligner et CPR-nummer" in refused.text
    assert 'id="new-goal-error"' in refused.text
    assert session.exec(select(func.count()).select_from(Participant)).one() == 0
    created = client.post(
        _page(world, "/new"), data=form | {"v_goal": "Lager"}, follow_redirects=False
    )
    assert created.status_code == 303
    p = session.exec(select(Participant)).one()
    assert created.headers["location"] == _page(world, f"/{p.id}")
    assert p.start_values == {"age": 44, "sex": "Mand", "goal": "Lager", "mentor": True}
    detail = client.get(created.headers["location"])
    assert "Deltager VC-001" in detail.text and "Lager" in detail.text


def test_exit_and_edit_forms(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    login(client, "leader")
    token = csrf_of(client, _page(world, f"/{p.id}"))
    refused = client.post(
        _page(world, f"/{p.id}/exit"),
        data={"csrf_token": token, "exit_date": "2013-09-01", "outcome": "", "version": "1"},
    )
    assert refused.status_code == 422
    assert "Feltet »Udfald« skal udfyldes." in refused.text
    assert '<a href="#exit-outcome">' in refused.text and 'id="exit-outcome-error"' in refused.text
    done = client.post(
        _page(world, f"/{p.id}/exit"),
        data={"csrf_token": token, "exit_date": "2013-09-01", "outcome": "job", "version": "1"},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "Selvforsørgelse – job" in done.text
    edit = client.post(
        _page(world, f"/{p.id}/edit"),
        data={
            "csrf_token": token,
            "code": "VC-050",
            "start_date": "2013-05-01",
            "target_group": "",
            "v_age": "41",
            "v_sex": "Kvinde",
            "version": "2",
        },
        follow_redirects=True,
    )
    assert edit.status_code == 200 and "Deltager VC-050" in edit.text


def test_a_refused_registration_names_the_field_by_its_danish_label(client, world, session):
    """An ambiguous number is refused, not scaled: 422, the page with the error summary at the
    form linking to the field, and the field's Danish label in its message beside it."""
    scheme = make_scheme(session, world)
    login(client, "leader")
    token = csrf_of(client, _page(world, "/new"))
    form = {
        "csrf_token": token,
        "scheme_id": scheme.id,
        "start_date": "2013-05-01",
        "v_age": "44",
        "v_sex": "Mand",
        "v_hours": "12,500.00",
    }
    refused = client.post(_page(world, "/new"), data=form)
    assert refused.status_code == 422
    summary = refused.text.split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    assert '<a href="#new-hours">Feltet »Timer pr. uge« kan ikke læses:' in summary
    assert "»12,500.00« er ikke et tal skrevet på dansk" in summary
    assert 'id="new-hours-error"' in refused.text and 'value="12,500.00"' in refused.text
    assert "»hours«" not in refused.text
    assert session.exec(select(func.count()).select_from(Participant)).one() == 0
    created = client.post(
        _page(world, "/new"), data=form | {"v_hours": "12,5"}, follow_redirects=False
    )
    assert created.status_code == 303
    assert session.exec(select(Participant)).one().start_values["hours"] == 12.5


def test_schemes_page_for_the_leader_and_the_steering_group(client, world, session):
    scheme = make_scheme(session, world)
    login(client, "leader")
    page = client.get(_page(world, "/schemes"))
    assert "Tilføj et felt" in page.text and "Registranter" in page.text
    token = csrf_of(client, _page(world, "/schemes"))
    added = client.post(
        _page(world, f"/schemes/{scheme.id}/fields"),
        data={
            "csrf_token": token,
            "version": "1",
            "stage": "follow_up",
            "label": "Støtte fra mentor",
            "type": "bool",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    session.refresh(scheme)
    assert scheme.follow_up_fields[-1]["key"] == "stoette_fra_mentor"
    bad = client.post(
        _page(world, f"/schemes/{scheme.id}/fields"),
        data={
            "csrf_token": token,
            "version": "2",
            "stage": "start",
            "label": "Køn2",
            "type": "choice",
            "options": "",
        },
    )
    assert bad.status_code == 422 and "skal have mindst én mulighed" in bad.text
    appointed = client.post(
        _page(world, "/registrars"),
        data={"csrf_token": token, "user_id": world.users["member_a"].id},
        follow_redirects=True,
    )
    assert appointed.status_code == 200 and "Udpeget registrant" in appointed.text
    client.cookies.clear()
    login(client, "steering")
    page = client.get(_page(world, "/schemes"))
    assert page.status_code == 200 and "Alder" in page.text
    assert "Tilføj et felt" not in page.text and "Registranter" not in page.text
    token = csrf_of(client, _page(world, "/schemes"))
    assert (
        client.post(
            _page(world, f"/schemes/{scheme.id}/fields"),
            data={
                "csrf_token": token,
                "version": "2",
                "stage": "start",
                "label": "X",
                "type": "text",
            },
        ).status_code
        == 403
    )


def test_new_scheme_through_the_form(client, world, session):
    login(client, "leader")
    token = csrf_of(client, _page(world, "/schemes"))
    answer = client.post(
        _page(world, "/schemes"),
        data={
            "csrf_token": token,
            "name": "Fleksjob",
            "code_prefix": "fj",
            "grantor": "STAR",
            "outcomes": "Over 10 timer\nFlyttet",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    scheme = session.exec(select(RegistrationScheme)).one()
    assert (scheme.code_prefix, [o["key"] for o in scheme.exit_outcomes]) == (
        "FJ",
        ["over_10_timer", "flyttet"],
    )
    empty = client.post(
        _page(world, "/schemes"), data={"csrf_token": token, "name": "Uden", "outcomes": ""}
    )
    assert empty.status_code == 422
    assert "Skemaet skal have mindst én status ved afslutning." in empty.text


def test_scheme_texts_cannot_break_out_of_the_chart_json(client, world, session):
    outcomes = [{"key": "odd", "label": "</script><script>alert(1)</script>"}]
    make_scheme(session, world, exit_outcomes=outcomes)
    login(client, "steering")
    page = client.get(_page(world, "/monitoring"))
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
