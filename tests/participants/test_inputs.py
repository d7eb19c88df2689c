"""What the participants' inputs accept (issue 16, findings 11 and the Input rules): an edit
without the version it was made from is refused, not applied over someone else's; dates outside
01.01.1990–31.12.2100 are refused, also inside a record's scheme values; text is cleaned."""

from datetime import date

import pytest
from sqlmodel import func, select

from app.participants.models import FollowUp, Participant, RegistrationScheme
from tests.factories import bearer, csrf_of, login
from tests.participants.factories import (
    follow_up,
    make_participant,
    make_scheme,
    scheme_definition,
    start_values,
)


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


# The page forms refuse an edit without the version it was made from (app/web/forms.py).
NO_VERSION = "Formularen mangler den version, ændringen er lavet ud fra"
VISIT = {"key": "visit", "label": "Første samtale", "type": "date"}


def _missing_version(answer) -> None:
    # The API answers 428 with the current version (issue 25; docs/api.md).
    assert answer.status_code == 428, answer.text
    assert answer.json()["code"] == "version_required"
    assert answer.json()["current_version"] == 1


def test_an_api_edit_without_its_version_is_refused_and_changes_nothing(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    f = follow_up(session, world, p, date(2013, 8, 1), hours=10)
    headers = bearer(client, "leader")
    api = f"/api/projects/{world.project.id}"
    _missing_version(
        client.patch(f"{api}/participants/{p.id}", json={"target_group": None}, headers=headers)
    )
    _missing_version(
        client.patch(
            f"{api}/participants/{p.id}/follow-ups/{f.id}",
            json={"values": {"development": "Uændret", "hours": 30}},
            headers=headers,
        )
    )
    _missing_version(
        client.patch(
            f"{api}/participant-schemes/{scheme.id}",
            json={"retention_months": 12},
            headers=headers,
        )
    )
    for row in (p, f, scheme):
        session.refresh(row)
    assert (p.target_group, p.version) == ("I ressourceforløb", 1)
    assert (f.values["hours"], f.version) == (10, 1)
    assert (scheme.retention_months, scheme.version) == (24, 1)
    # With the version they were made from, the same edits go through.
    assert (
        client.patch(
            f"{api}/participants/{p.id}", json={"target_group": None, "version": 1}, headers=headers
        ).status_code
        == 200
    )


def test_the_pages_send_the_version_and_refuse_an_edit_without_it(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    login(client, "leader")
    base = f"/projects/{world.project.id}/participants"
    detail = client.get(f"{base}/{p.id}")
    assert f'action="{base}/{p.id}/edit"' in detail.text
    edit_form = detail.text.split(f'action="{base}/{p.id}/edit"')[1].split("</form>")[0]
    assert '<input type="hidden" name="version" value="1">' in edit_form
    schemes = client.get(f"{base}/schemes?scheme={scheme.id}")
    settings_form = schemes.text.split(f"/schemes/{scheme.id}/settings")[1].split("</form>")[0]
    assert '<input type="hidden" name="version" value="1">' in settings_form
    token = csrf_of(client, f"{base}/{p.id}")
    form = {
        "csrf_token": token,
        "code": "VC-050",
        "start_date": "2013-05-01",
        "v_age": "41",
        "v_sex": "Kvinde",
    }
    refused = client.post(f"{base}/{p.id}/edit", data=form)
    assert refused.status_code == 422 and NO_VERSION in refused.text
    settings = client.post(
        f"{base}/schemes/{scheme.id}/settings",
        data={
            "csrf_token": token,
            "name": "Virksomhedscentre",
            "code_prefix": "VC",
            "follow_up_every": "3",
            "on_time_days": "14",
            "retention_months": "12",
            "target_groups": "I ressourceforløb\nI risiko for ressourceforløb",
            "hours_field": "hours",
        },
    )
    assert settings.status_code == 422 and NO_VERSION in settings.text
    session.refresh(p)
    session.refresh(scheme)
    assert (p.code, scheme.retention_months) == ("VC-001", 24)
    done = client.post(f"{base}/{p.id}/edit", data=form | {"version": "1"}, follow_redirects=False)
    assert done.status_code == 303


@pytest.mark.parametrize("visit", ["1989-12-31", "31.12.1989", "2101-01-01"])
def test_a_date_value_outside_the_window_is_refused_naming_its_label(client, world, session, visit):
    scheme = make_scheme(session, world, start_fields=[*scheme_definition()["start_fields"], VISIT])
    answer = client.post(
        f"/api/projects/{world.project.id}/participants",
        json={
            "scheme_id": scheme.id,
            "start_date": "2013-05-01",
            "start_values": start_values(visit=visit),
        },
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0] == {
        "in": "body",
        "field": "start_values.visit",
        "message": "»Første samtale« skal ligge mellem 01.01.1990 og 31.12.2100.",
        "code": "invalid",
    }
    assert session.get(RegistrationScheme, scheme.id) is not None
    assert _count(session, Participant) == 0


def test_dates_outside_the_window_are_refused_in_bodies_queries_and_forms(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    headers = bearer(client, "leader")
    api = f"/api/projects/{world.project.id}/participants"
    early = client.post(
        f"{api}/{p.id}/follow-ups",
        json={"follow_up_date": "1066-10-14", "values": {"development": "Uændret"}},
        headers=headers,
    )
    assert early.status_code == 422
    assert "skal ligge mellem 01.01.1990 og 31.12.2100" in early.json()["errors"][0]["message"]
    assert client.get(f"{api}/due?as_of=2101-01-01", headers=headers).status_code == 422
    login(client, "leader")
    token = csrf_of(client, f"/projects/{world.project.id}/participants/new")
    page = client.post(
        f"/projects/{world.project.id}/participants/new",
        data={
            "csrf_token": token,
            "scheme_id": scheme.id,
            "start_date": "1900-01-01",
            "v_age": "44",
            "v_sex": "Mand",
        },
    )
    assert page.status_code == 422
    assert "Feltet »Startdato« skal ligge mellem 01.01.1990 og 31.12.2100." in page.text
    assert _count(session, FollowUp) == 0 and _count(session, Participant) == 1


def test_a_page_form_that_breaks_a_schema_rule_is_a_422_not_an_error(client, world, session):
    scheme = make_scheme(session, world)
    login(client, "leader")
    token = csrf_of(client, f"/projects/{world.project.id}/participants/new")
    page = client.post(
        f"/projects/{world.project.id}/participants/new",
        data={
            "csrf_token": token,
            "scheme_id": scheme.id,
            "code": "VC-" + "1" * 60,
            "start_date": "2013-05-01",
            "v_age": "44",
            "v_sex": "Mand",
        },
    )
    assert page.status_code == 422 and "må højst have 40 tegn" in page.text


def test_a_new_participant_form_without_a_real_scheme_is_refused_not_an_error(
    client, world, session
):
    make_scheme(session, world)
    login(client, "leader")
    token = csrf_of(client, f"/projects/{world.project.id}/participants/new")
    for chosen in ("x", "²", ""):
        page = client.post(
            f"/projects/{world.project.id}/participants/new",
            data={"csrf_token": token, "scheme_id": chosen, "start_date": "2013-05-01"},
        )
        assert page.status_code in (404, 422), (chosen, page.status_code)


def test_control_characters_are_cleaned_from_recorded_text(client, world, session):
    scheme = make_scheme(session, world)
    answer = client.post(
        f"/api/projects/{world.project.id}/participants",
        json={
            "scheme_id": scheme.id,
            "start_date": "2013-05-01",
            "start_values": start_values(goal="Lager\x00arbejde\x1b"),
        },
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["start_values"]["goal"] == "Lagerarbejde"
