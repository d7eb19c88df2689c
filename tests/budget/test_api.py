"""The budget API: CRUD of grants and expenditures, the rules' Danish 422s, permissions,
versions, the summary and the statement files (opened with openpyxl and pypdf)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from app.audit.models import AuditEvent
from app.budget.models import Expenditure
from tests.budget.factories import PURPOSES, TRANSPORT_CONDITION, access, make_grant, record
from tests.factories import bearer


@pytest.fixture
def grant(session, world):
    return make_grant(session, access(session, world.users["leader"], world.project))


def _base(world) -> str:
    return f"/api/projects/{world.project.id}"


def _expense(grant, purpose, **overrides):
    return {
        "grant_id": grant.id,
        "date": "2013-02-15",
        "amount": "1000.00",
        "category": "consultancy",
        "description": "Facilitering af teamets samarbejde",
        "purpose_id": purpose,
    } | overrides


def _purpose(client, world, grant, headers) -> int:
    return client.get(f"{_base(world)}/grants/{grant.id}", headers=headers).json()["purposes"][0][
        "id"
    ]


def test_the_leader_creates_a_grant_that_lists_its_eligible_categories(client, world, session):
    headers = bearer(client, "leader")
    answer = client.post(
        f"{_base(world)}/grants",
        headers=headers,
        json={
            "name": "Puljemidler",
            "amount": "461474.00",
            "first_date": "2012-11-27",
            "last_date": "2013-07-01",
            "purposes": PURPOSES,
            "eligible_categories": [
                {"category": "staff_buyout"},
                {"category": "consultancy"},
                {"category": "transport", "condition": TRANSPORT_CONDITION},
            ],
        },
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["amount"] == "461474.00"
    assert [c["label"] for c in body["eligible_categories"]] == [
        "Frikøb af medarbejdere",
        "Konsulentbistand",
        "Transport",
    ]
    assert body["eligible_categories"][2]["condition"] == TRANSPORT_CONDITION
    listed = client.get(f"{_base(world)}/grants", headers=bearer(client, "directorate")).json()
    assert listed[0]["eligible_categories"] == body["eligible_categories"]
    assert session.exec(select(AuditEvent).where(AuditEvent.entity == "grant")).one()


def test_recording_an_expenditure_answers_201_with_exact_amounts(client, world, grant):
    headers = bearer(client, "leader")
    purpose = _purpose(client, world, grant, headers)
    answer = client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(grant, purpose, amount="1000.5"),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["amount"] == "1000.50"
    assert answer.json()["date"] == "2013-02-15"
    for amount in ("0.10", "0.20"):
        client.post(
            f"{_base(world)}/expenditures",
            headers=headers,
            json=_expense(grant, purpose, amount=amount),
        )
    summary = client.get(
        f"{_base(world)}/grants/{grant.id}/summary?as_of=2013-03-01", headers=headers
    ).json()
    assert (summary["granted"], summary["spent"], summary["remaining"]) == (
        "461474.00",
        "1000.80",
        "460473.20",
    )
    consultancy = next(c for c in summary["categories"] if c["key"] == "consultancy")
    assert consultancy["spent"] == "1000.80"


@pytest.mark.parametrize(
    ("day", "status"),
    [("2012-11-26", 422), ("2012-11-27", 201), ("2013-07-01", 201), ("2013-07-02", 422)],
)
def test_the_period_boundaries_over_http(client, world, grant, session, day, status):
    headers = bearer(client, "leader")
    answer = client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(grant, _purpose(client, world, grant, headers), date=day),
    )
    assert answer.status_code == status
    if status == 422:
        assert answer.json()["errors"][0]["field"] == "date"
        assert answer.json()["errors"][0]["message"].startswith(
            f"Udgiften er dateret {day[8:]}.{day[5:7]}.{day[:4]}, "
        )
        assert session.exec(select(Expenditure)).all() == []


def test_the_out_of_period_message_is_the_rule_in_danish(client, world, grant):
    headers = bearer(client, "leader")
    answer = client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(grant, _purpose(client, world, grant, headers), date="2013-07-02"),
    )
    [error] = answer.json()["errors"]
    assert error == {
        "in": "body",
        "field": "date",
        "code": "invalid",
        "message": "Udgiften er dateret 02.07.2013, efter tilskudsperiodens sidste dag 01.07.2013.",
    }


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1000.001", "decimaler"),
        (1000.5, "kommatal"),
        ("tusind", "Beløb"),
        ("-10.00", "korrektion"),
    ],
)
def test_bad_amounts_are_422_naming_the_field(client, world, grant, session, amount, text):
    headers = bearer(client, "leader")
    answer = client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(grant, _purpose(client, world, grant, headers), amount=amount),
    )
    assert answer.status_code == 422
    message = " ".join(d["message"] for d in answer.json()["errors"])
    assert text in message
    assert "amount" in message or answer.json()["errors"][0]["field"] == "amount"
    assert session.exec(select(Expenditure)).all() == []


def test_other_rules_over_http(client, world, grant):
    headers = bearer(client, "leader")
    purpose = _purpose(client, world, grant, headers)
    url = f"{_base(world)}/expenditures"
    for overrides, field in [
        ({"category": "materials"}, "category"),
        ({"category": "transport"}, "condition_note"),
        ({"amount": "461474.01"}, "amount"),
        ({"purpose_id": None}, "purpose_id"),
        ({"group_id": 999999}, "group_id"),
        ({"grant_id": 999999}, "grant_id"),
    ]:
        answer = client.post(url, headers=headers, json=_expense(grant, purpose, **overrides))
        assert answer.status_code == 422, overrides
        assert answer.json()["errors"][0]["field"] == field
    own = client.post(
        url,
        headers=headers,
        json=_expense(grant, None, grant_id=None, category="materials", date="2014-01-01"),
    )
    assert own.status_code == 201 and own.json()["grant_id"] is None


@pytest.mark.parametrize("name", ["steering", "directorate", "member_a", "secretariat"])
def test_only_the_leader_records_and_everyone_on_the_project_reads(
    client, world, grant, session, name
):
    headers = bearer(client, name)
    base = _base(world)
    answer = client.post(f"{base}/expenditures", headers=headers, json=_expense(grant, None))
    assert answer.status_code == 403
    assert session.exec(select(Expenditure)).all() == []
    assert client.get(f"{base}/grants/{grant.id}/summary", headers=headers).status_code == 200
    assert client.post(f"{base}/grants", headers=headers, json={}).status_code in (403, 422)


def test_outsiders_and_unknown_projects(client, world, grant):
    headers = bearer(client, "outsider")
    assert client.get(f"{_base(world)}/grants", headers=headers).status_code == 403
    assert client.get("/api/projects/99999/grants", headers=headers).status_code == 404
    other = f"/api/projects/{world.other_project.id}"
    assert client.get(f"{other}/grants/{grant.id}", headers=headers).status_code == 404
    assert (
        client.get(f"{other}/grants/{grant.id}/statement.xlsx", headers=headers).status_code == 404
    )


def test_admin_may_record(client, world, grant):
    headers = bearer(client, "admin")
    answer = client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(grant, _purpose(client, world, grant, headers)),
    )
    assert answer.status_code == 201


def test_edit_delete_and_versions(client, world, grant, session):
    headers = bearer(client, "leader")
    purpose = _purpose(client, world, grant, headers)
    created = client.post(
        f"{_base(world)}/expenditures", headers=headers, json=_expense(grant, purpose)
    ).json()
    url = f"{_base(world)}/expenditures/{created['id']}"
    outside = client.patch(url, headers=headers, json={"date": "2013-07-02", "version": 1})
    assert outside.status_code == 422
    assert outside.json()["errors"][0]["message"].startswith("Udgiften er dateret 02.07.2013")
    edited = client.patch(url, headers=headers, json={"amount": "1500.00", "version": 1})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = client.patch(url, headers=headers, json={"amount": "1600.00", "version": 1})
    assert stale.status_code == 409
    assert client.get(url, headers=headers).json()["amount"] == "1500.00"
    assert client.delete(url, headers=bearer(client, "steering")).status_code == 403
    assert client.delete(url, headers=headers, params={"version": 2}).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def test_a_correction_over_http(client, world, grant):
    headers = bearer(client, "leader")
    purpose = _purpose(client, world, grant, headers)
    original = client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(grant, purpose, amount="2000.00"),
    ).json()
    correction = client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(
            grant,
            purpose,
            amount="-500.00",
            correction_of_id=original["id"],
            date="2013-08-01",
            description="Kreditnota",
        ),
    )
    assert correction.status_code == 201, correction.text
    too_much = client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(grant, purpose, amount="-1500.01", correction_of_id=original["id"]),
    )
    assert too_much.status_code == 422
    assert (
        client.delete(
            f"{_base(world)}/expenditures/{original['id']}",
            headers=headers,
            params={"version": original["version"]},
        ).status_code
        == 409
    )


def test_grant_update_refused_when_spending_breaks_it(client, world, grant):
    headers = bearer(client, "leader")
    client.post(
        f"{_base(world)}/expenditures",
        headers=headers,
        json=_expense(grant, _purpose(client, world, grant, headers), amount="300000.00"),
    )
    url = f"{_base(world)}/grants/{grant.id}"
    refused = client.patch(url, headers=headers, json={"amount": "200000.00", "version": 1})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "amount"
    assert client.delete(url, headers=headers, params={"version": 1}).status_code == 409
    assert (
        client.patch(
            url, headers=headers, json={"reference": "2012-7781", "version": 1}
        ).status_code
        == 200
    )


def test_budget_lines_economy_and_funds(client, world, grant, session):
    headers = bearer(client, "leader")
    base = _base(world)
    line = client.post(
        f"{base}/budget-lines",
        headers=headers,
        json={
            "grant_id": grant.id,
            "category": "consultancy",
            "month": "2013-02-10",
            "amount": "20000.00",
            "group_id": world.group_a.id,
        },
    )
    assert line.status_code == 201 and line.json()["month"] == "2013-02-01"
    outside = client.post(
        f"{base}/budget-lines",
        headers=headers,
        json={
            "grant_id": grant.id,
            "category": "consultancy",
            "month": "2013-08-01",
            "amount": "1",
        },
    )
    assert outside.status_code == 422
    lines = client.get(f"{base}/budget-lines?grant_id={grant.id}", headers=headers).json()
    assert [x["amount"] for x in lines] == ["20000.00"]
    fund = client.post(
        f"{base}/funds",
        headers=headers,
        json={"name": "Puljen", "grantor": "Forebyggelsesfonden", "pool": "35000000.00"},
    )
    assert fund.status_code == 201 and fund.json()["pool"] == "35000000.00"
    area = client.post(
        f"{base}/economy",
        headers=headers,
        json={"director_area_id": 99999, "year": 2013, "kind": "cost", "description": "x"},
    )
    assert area.status_code == 422


def test_the_statement_as_excel_with_totals_and_text_kept_as_text(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    record(
        session,
        leader,
        grant,
        amount="120000.00",
        description="=SUM(A1:A9)",
        supplier="+45 1234",
        attachment_ref="@bilag",
    )
    record(
        session,
        leader,
        grant,
        amount="-20000.00",
        description="-Kreditnota",
        correction_of_id=session.exec(select(Expenditure)).first().id,
    )
    answer = client.get(
        f"{_base(world)}/grants/{grant.id}/statement.xlsx", headers=bearer(client, "steering")
    )
    assert answer.status_code == 200
    assert "spreadsheetml" in answer.headers["content-type"]
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    wb = load_workbook(BytesIO(answer.content))
    ws = wb["Tilskudsregnskab"]
    rows = {r[0].value: r for r in ws.iter_rows() if r[0].value}
    assert rows["Kommune"][1].value == "Testkommune"
    assert rows["I alt"][2].value == 100000
    assert rows["Tilskud"][1].value == 461474
    assert rows["Ubrugt beløb, der skal tilbagebetales"][1].value == 361474
    assert "Ledelseserklæring" in rows
    lines = wb["Udgifter"]
    cells = {c.value: c for row in lines.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=SUM(A1:A9)", "+45 1234", "@bilag", "-Kreditnota"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert not any(c.data_type == "f" for row in lines.iter_rows() for c in row)


def test_control_characters_never_reach_the_excel_statement(client, world, grant, session):
    """Word's manual line break (U+000B) in a description made the statement a 500 (openpyxl
    refuses it). Input is cleaned now; text stored before that is cleaned when written out."""
    leader = access(session, world.users["leader"], world.project)
    record(session, leader, grant, amount="1000.00", description="Kursus\x0bforår")
    record(session, leader, grant, amount="2000.00", description="Anden")
    cleaned, old = session.exec(select(Expenditure).order_by(Expenditure.id)).all()
    assert cleaned.description == "Kursus\nforår"
    old.description = "Gammel\x0blinje\x07"  # as stored before input was cleaned
    session.add(old)
    session.commit()
    answer = client.get(
        f"{_base(world)}/grants/{grant.id}/statement.xlsx", headers=bearer(client, "leader")
    )
    assert answer.status_code == 200
    lines = load_workbook(BytesIO(answer.content))["Udgifter"]
    texts = {c.value for row in lines.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"Kursus\nforår", "Gammel\nlinje"} <= texts


def test_the_statement_as_pdf_in_danish(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    record(session, leader, grant, amount="400000.00", description="Facilitering")
    answer = client.get(
        f"{_base(world)}/grants/{grant.id}/statement.pdf", headers=bearer(client, "directorate")
    )
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(answer.content)).pages)
    for expected in (
        "Tilskudsregnskab",
        "Testkommune",
        "27.11.2012–01.07.2013",
        "Ledelseserklæring",
        "400.000 kr.",
        "61.474 kr.",
        "Ubrugt beløb, der skal tilbagebetales",
    ):
        assert expected in text, expected


def test_the_burn_chart_as_json(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    record(session, leader, grant, amount="1000.00")
    figure = client.get(
        f"{_base(world)}/grants/{grant.id}/burn-chart?as_of=2013-03-01",
        headers=bearer(client, "steering"),
    ).json()
    names = [t["name"] for t in figure["data"]]
    assert "Forbrug inkl. disponeret (akkumuleret)" in names
    assert "Prognose ved nuværende tempo" in names


def test_expenditures_are_listed_a_page_at_a_time(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    for day in range(1, 8):
        record(session, leader, grant, date=f"2013-01-{day:02d}", description=f"Udgift {day}")
    headers = bearer(client, "steering")
    page = client.get(
        f"{_base(world)}/expenditures?grant_id={grant.id}&limit=3&offset=3", headers=headers
    )
    assert page.status_code == 200 and page.headers["X-Total-Count"] == "7"
    assert [e["description"] for e in page.json()] == ["Udgift 4", "Udgift 5", "Udgift 6"]
    too_many = client.get(f"{_base(world)}/expenditures?limit=501", headers=headers)
    assert too_many.status_code == 422
