"""CPR numbers as people type and paste them (issue 16, finding 5): refused wherever participant
data enters — the API (create, PATCH, follow-ups, exits, target group, code), the page forms and
the project document's schemes — after the one normalisation in `schemes.cpr_text`."""

from datetime import date

import pytest
from sqlmodel import func, select

from app.participants.cpr import looks_like_cpr
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.projectdoc.document import export_project
from tests.factories import bearer, csrf_of, login
from tests.participants.factories import (
    follow_up,
    make_participant,
    make_scheme,
    scheme_definition,
    start_values,
)

PROBES = [
    "010190\u20131234",  # en dash
    "010190\u00a01234",  # no-break space
    "010190\u200b-1234",  # zero-width space
    "01.01.90-1234",
    "010190/1234",
    "01 01 90 1234",
    "\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14",  # full-width digits
]
NOT_CPR = [
    "Mødt 01.03.2013 kl. 10",
    "2013-03-01 1234",
    "tlf. 12 34 56 78",
    "Timer: 12,5",
    "Periode 01.03.2013-01.06.2013",
]


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize("text", PROBES)
def test_typed_and_pasted_forms_read_as_cpr_numbers(text):
    assert looks_like_cpr(text)
    assert looks_like_cpr(f"Borger {text} ringede")


@pytest.mark.parametrize("text", NOT_CPR)
def test_dates_phone_numbers_and_amounts_are_not_cpr_numbers(text):
    assert not looks_like_cpr(text)


def _refused(answer, field: str) -> None:
    assert answer.status_code == 422, answer.text
    detail = answer.json()["errors"][0]
    assert detail["field"] == field
    assert "ligner et CPR-nummer" in detail["message"]


@pytest.mark.parametrize("probe", PROBES)
def test_every_api_entry_refuses_the_probe_and_stores_nothing(client, world, session, probe):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    f = follow_up(session, world, p, date(2013, 8, 1))
    headers = bearer(client, "leader")
    url = f"/api/projects/{world.project.id}/participants"
    body = {"scheme_id": scheme.id, "start_date": "2013-05-01", "start_values": start_values()}

    _refused(
        client.post(url, json=body | {"start_values": start_values(goal=probe)}, headers=headers),
        "start_values.goal",
    )
    _refused(client.post(url, json=body | {"code": probe}, headers=headers), "code")
    _refused(client.post(url, json=body | {"target_group": probe}, headers=headers), "target_group")
    _refused(
        client.patch(
            f"{url}/{p.id}",
            json={"start_values": start_values(goal=probe), "version": p.version},
            headers=headers,
        ),
        "start_values.goal",
    )
    _refused(
        client.patch(f"{url}/{p.id}", json={"code": probe, "version": p.version}, headers=headers),
        "code",
    )
    _refused(
        client.post(
            f"{url}/{p.id}/follow-ups",
            json={"follow_up_date": "2013-09-01", "values": {"development": probe}},
            headers=headers,
        ),
        "values.development",
    )
    _refused(
        client.patch(
            f"{url}/{p.id}/follow-ups/{f.id}",
            json={"values": {"development": "Uændret", "hours": probe}, "version": f.version},
            headers=headers,
        ),
        "values.hours",
    )
    _refused(
        client.post(
            f"{url}/{p.id}/exit",
            json={"exit_date": "2013-10-01", "outcome": "job", "values": {"placements": probe}},
            headers=headers,
        ),
        "values.placements",
    )
    _refused(
        client.post(
            f"{url}/{p.id}/exit",
            json={"exit_date": "2013-10-01", "outcome": probe},
            headers=headers,
        ),
        "outcome",
    )
    assert _count(session, Participant) == 1 and _count(session, FollowUp) == 1
    session.refresh(p)
    assert (p.code, p.start_values, p.exit_date) == ("VC-001", start_values(), None)


@pytest.mark.parametrize("probe", PROBES)
def test_the_page_forms_refuse_the_probe(client, world, session, probe):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme, start_date=date(2014, 8, 1))
    login(client, "leader")
    base = f"/projects/{world.project.id}/participants"
    token = csrf_of(client, f"{base}/new")
    new = client.post(
        f"{base}/new",
        data={
            "csrf_token": token,
            "scheme_id": scheme.id,
            "start_date": "2013-05-01",
            "v_age": "44",
            "v_sex": "Mand",
            "v_goal": probe,
        },
    )
    assert new.status_code == 422 and "ligner et CPR-nummer" in new.text
    quick = client.post(
        f"{base}/{p.id}/follow-ups",
        data={
            "csrf_token": token,
            "from": "due",
            "follow_up_date": "2014-11-01",
            "v_development": "Uændret",
            "v_hours": probe,
        },
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert quick.status_code == 422 and "ligner et CPR-nummer" in quick.text
    edit = client.post(
        f"{base}/{p.id}/edit",
        data={
            "csrf_token": token,
            "code": probe,
            "start_date": "2014-08-01",
            "v_age": "41",
            "v_sex": "Kvinde",
            "version": str(p.version),
        },
    )
    assert edit.status_code == 422 and "ligner et CPR-nummer" in edit.text
    assert _count(session, Participant) == 1 and _count(session, FollowUp) == 0


@pytest.mark.parametrize("probe", PROBES)
def test_a_scheme_in_an_imported_project_document_refuses_the_probe(client, world, session, probe):
    document = export_project(session=session, project=world.project)
    document["project"]["name"] = "Importeret"
    document["participant_schemes"] = [
        scheme_definition(target_groups=["Unge", f"Borger {probe}"]) | {"key": "a"}
    ]
    schemes = _count(session, RegistrationScheme)
    answer = client.post("/api/projects/import", json=document, headers=bearer(client, "admin"))
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert error["field"].startswith("participant_schemes[0]")
    assert "ligner et CPR-nummer" in error["message"]
    assert _count(session, RegistrationScheme) == schemes
