"""The budget pages: what each role sees, the expenditure form with htmx and without, the Danish
message at the field on 422, grants, funds, budget lines, the statement and the reform economy."""

import json
import re

import pytest
from sqlmodel import select

from app.budget import economy
from app.budget.models import (
    BudgetLine,
    DeviationExplanation,
    EconomyEntry,
    Expenditure,
    Fund,
    Grant,
)
from app.budget.schemas import EconomyCreate
from app.governance.models import DirectorArea
from tests.budget.factories import access, first_purpose_id, make_grant, record
from tests.factories import csrf_of, login
from tests.governance.factories import make_area

HTMX = {"HX-Request": "true"}


@pytest.fixture
def grant(session, world):
    return make_grant(session, access(session, world.users["leader"], world.project))


def _page(world) -> str:
    return f"/projects/{world.project.id}/budget"


def _form(session, grant, **overrides) -> dict:
    return {
        "grant_id": str(grant.id),
        "date": "2013-02-15",
        "amount": "1.000,50",
        "category": "consultancy",
        "purpose_id": str(first_purpose_id(session, grant)),
        "description": "Facilitering af teamets samarbejde",
        "status": "paid",
        "view_grant": str(grant.id),
        "view_as_of": "2013-03-01",
    } | overrides


def test_the_leader_sees_figures_chart_and_the_form(client, world, grant, session):
    login(client, "leader")
    page = client.get(f"{_page(world)}?as_of=2013-05-27")
    assert page.status_code == 200
    assert 'aria-current="page">Budget<' in page.text
    assert "461.474 kr." in page.text and "Registrér udgift" in page.text
    data = re.search(
        r'<script type="application/json" id="bu-burn-data">(.*?)</script>', page.text, re.S
    ).group(1)
    assert json.loads(data)["data"][0]["name"] == "Budget (akkumuleret)"
    assert "Tilskudsperioden slutter 01.07.2013 (om 35 dage)" in page.text


@pytest.mark.parametrize("name", ["steering", "directorate", "member_a", "secretariat"])
def test_others_on_the_project_read_without_the_form(client, world, grant, name):
    login(client, name)
    page = client.get(_page(world))
    assert page.status_code == 200
    assert "461.474 kr." in page.text
    assert 'id="bu-expense-form"' not in page.text


def test_outsiders_may_not_see_the_budget(client, world, grant):
    login(client, "outsider")
    assert client.get(_page(world)).status_code == 403


def test_recording_with_htmx_swaps_the_main_section(client, world, grant, session):
    login(client, "leader")
    token = csrf_of(client, _page(world))
    answer = client.post(
        f"{_page(world)}/expenditures",
        data=_form(session, grant),
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert answer.status_code == 200
    assert answer.headers["HX-Retarget"] == "#budget-main"
    assert "Udgiften er registreret" in answer.headers["HX-Trigger"]
    assert 'id="budget-main"' in answer.text and "1.000,50 kr." in answer.text
    stored = session.exec(select(Expenditure)).one()
    assert stored.amount_ore == 100_050


def test_an_out_of_period_expense_is_refused_at_the_field(client, world, grant, session):
    login(client, "leader")
    token = csrf_of(client, _page(world))
    answer = client.post(
        f"{_page(world)}/expenditures",
        data=_form(session, grant, date="2013-07-02"),
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert answer.status_code == 422
    assert (
        '<p class="field-error" id="new-date-error">Udgiften er dateret 02.07.2013, efter '
        "tilskudsperiodens sidste dag 01.07.2013.</p>"
    ) in answer.text
    field = re.search(r'<input id="new-date"[^>]*>', answer.text).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="new-date-error"' in field
    assert 'value="2013-07-02"' in answer.text  # what was typed is kept
    assert session.exec(select(Expenditure)).all() == []


def test_bad_input_without_htmx_is_a_422_page_and_success_redirects(client, world, grant, session):
    login(client, "leader")
    token = csrf_of(client, _page(world))
    bad = client.post(
        f"{_page(world)}/expenditures",
        data=_form(session, grant, amount="1.000,505", csrf_token=token),
    )
    assert bad.status_code == 422
    assert "new-amount-error" in bad.text and "decimaler" in bad.text
    good = client.post(
        f"{_page(world)}/expenditures",
        data=_form(session, grant, csrf_token=token),
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert good.headers["location"].startswith(_page(world))


def test_the_steering_group_cannot_record_and_csrf_is_required(client, world, grant, session):
    login(client, "steering")
    token = csrf_of(client, _page(world))
    refused = client.post(
        f"{_page(world)}/expenditures",
        data=_form(session, grant),
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert refused.status_code == 403
    login(client, "leader")
    no_token = client.post(f"{_page(world)}/expenditures", data=_form(session, grant), headers=HTMX)
    assert no_token.status_code == 403
    assert session.exec(select(Expenditure)).all() == []


def test_editing_a_row_inline_and_refusing_an_edit_outside_the_rules(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    expense = record(session, leader, grant, amount="1000.00")
    login(client, "leader")
    token = csrf_of(client, _page(world))
    url = f"{_page(world)}/expenditures/{expense.id}"
    row = client.get(f"{url}/edit", headers=HTMX)
    assert row.status_code == 200 and f'id="expenditure-{expense.id}"' in row.text
    refused = client.post(
        url,
        data=_form(session, grant, date="2013-07-02", version="1"),
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert refused.status_code == 422
    assert "efter tilskudsperiodens sidste dag 01.07.2013" in refused.text
    saved = client.post(
        url,
        data=_form(session, grant, amount="2.000", version="1"),
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert saved.status_code == 200 and saved.headers["HX-Retarget"] == "#budget-main"
    session.refresh(expense)
    assert (expense.amount_ore, expense.version) == (200_000, 2)
    stale = client.post(
        url, data=_form(session, grant, version="1"), headers=HTMX | {"X-CSRF-Token": token}
    )
    assert stale.status_code == 409
    login(client, "steering")
    assert client.get(f"{url}/edit", headers=HTMX).status_code == 403


def test_correcting_and_deleting_from_the_page(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    expense = record(session, leader, grant, amount="1000.00")
    login(client, "leader")
    page = client.get(f"{_page(world)}?korriger={expense.id}")
    assert f'name="correction_of_id" value="{expense.id}"' in page.text
    token = csrf_of(client, _page(world))
    answer = client.post(
        f"{_page(world)}/expenditures",
        headers=HTMX | {"X-CSRF-Token": token},
        data=_form(session, grant, amount="-250", correction_of_id=str(expense.id)),
    )
    assert answer.status_code == 200
    refused = client.post(
        f"{_page(world)}/expenditures/{expense.id}/delete",
        headers=HTMX | {"X-CSRF-Token": token},
        data={"version": str(expense.version)},
    )
    # Refused in place: no swap, the message shown beside the button (app/web/errors.py).
    assert refused.status_code == 409 and refused.headers["HX-Reswap"] == "none"
    assert "korrigeret" in json.loads(refused.headers["HX-Trigger"])["failed"]
    correction = session.exec(select(Expenditure).where(Expenditure.amount_ore < 0)).one()
    deleted = client.post(
        f"{_page(world)}/expenditures/{correction.id}/delete",
        headers=HTMX | {"X-CSRF-Token": token},
        data={"version": str(correction.version)},
    )
    assert deleted.status_code == 200
    assert len(session.exec(select(Expenditure)).all()) == 1


def test_registering_and_editing_a_grant_with_the_form(client, world, session):
    login(client, "leader")
    token = csrf_of(client, f"{_page(world)}/grants/new")
    form = {
        "csrf_token": token,
        "name": "Puljemidler",
        "amount": "461.474,00",
        "first_date": "2012-11-27",
        "last_date": "2013-07-01",
        "cat_staff_buyout": "on",
        "cat_transport": "on",
        "condition_transport": "Kun workshops og seminarer",
        "purposes": "Samarbejde i teamet\nOpfølgning i ressourceforløb\n",
    }
    bad = client.post(f"{_page(world)}/grants", data=form | {"last_date": "2012-11-01"})
    assert bad.status_code == 422 and "grant-last_date-error" in bad.text
    created = client.post(f"{_page(world)}/grants", data=form, follow_redirects=False)
    assert created.status_code == 303
    grant = session.exec(select(Grant)).one()
    assert grant.amount_ore == 46_147_400
    edit = client.get(f"{_page(world)}/grants/{grant.id}/edit")
    assert "Kun workshops og seminarer" in edit.text
    saved = client.post(
        f"{_page(world)}/grants/{grant.id}",
        follow_redirects=False,
        data=form | {"version": "1", "purposes": "Samarbejde på tværs\n"},
    )
    assert saved.status_code == 303
    session.refresh(grant)
    assert grant.version == 2
    login(client, "directorate")
    assert client.get(f"{_page(world)}/grants/new").status_code == 403


def test_funds_budget_lines_and_economy_pages(client, world, grant, session):
    area = DirectorArea(project_id=world.project.id, name="Økonomi & Arbejdsmarked")
    session.add(area)
    session.commit()
    login(client, "leader")
    token = csrf_of(client, _page(world))
    fund = client.post(
        f"{_page(world)}/funds",
        follow_redirects=False,
        data={
            "csrf_token": token,
            "name": "Puljen",
            "grantor": "Forebyggelsesfonden",
            "pool": "35.000.000",
        },
    )
    assert fund.status_code == 303
    assert session.exec(select(Fund)).one().pool_ore == 3_500_000_000
    line = client.post(
        f"{_page(world)}/grants/{grant.id}/budget",
        follow_redirects=False,
        data={
            "csrf_token": token,
            "month": "2013-02",
            "category": "consultancy",
            "amount": "20.000",
        },
    )
    assert line.status_code == 303
    assert session.exec(select(BudgetLine)).one().amount_ore == 2_000_000
    outside = client.post(
        f"{_page(world)}/grants/{grant.id}/budget",
        data={"csrf_token": token, "month": "2013-08", "category": "consultancy", "amount": "1"},
    )
    assert outside.status_code == 422 and "line-month-error" in outside.text
    assert "20.000 kr." in client.get(f"{_page(world)}/grants/{grant.id}/budget").text
    entry = client.post(
        f"{_page(world)}/economy",
        follow_redirects=False,
        data={
            "csrf_token": token,
            "director_area_id": str(area.id),
            "year": "2013",
            "kind": "saving",
            "description": "Færre førtidspensioner",
            "expected": "1.200.000",
        },
    )
    assert entry.status_code == 303
    assert session.exec(select(EconomyEntry)).one().expected_ore == 120_000_000
    page = client.get(_page(world))
    assert "1.200.000 kr." in page.text  # the economy is shown beside the grant
    assert "Færre førtidspensioner" in client.get(f"{_page(world)}/economy").text


def test_the_statement_page_and_explaining_a_deviation(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    record(session, leader, grant, amount="20000.00")
    login(client, "leader")
    url = f"{_page(world)}/grants/{grant.id}/statement"
    page = client.get(url)
    assert page.status_code == 200
    assert "Forklaring mangler" in page.text and "Ledelseserklæring" in page.text
    assert f"/api/projects/{world.project.id}/grants/{grant.id}/statement.xlsx" in page.text
    token = csrf_of(client, url)
    saved = client.post(
        f"{_page(world)}/grants/{grant.id}/explanations/consultancy",
        data={"text": "Ekstra facilitering i foråret.", "version": "0"},
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert saved.status_code == 200 and "Forklaret" in saved.text
    assert session.exec(select(DeviationExplanation)).one().text == (
        "Ekstra facilitering i foråret."
    )
    login(client, "steering")
    assert client.get(url).status_code == 200
    token = csrf_of(client, url)
    refused = client.post(
        f"{_page(world)}/grants/{grant.id}/explanations/consultancy",
        data={"text": "x"},
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert refused.status_code == 403


def test_a_grant_with_many_expenditures_lists_them_a_page_at_a_time(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    for day in range(1, 31):
        record(session, leader, grant, date=f"2013-01-{day:02d}", description=f"Udgift {day:02d}")
    login(client, "leader")
    first = client.get(f"{_page(world)}?grant={grant.id}&as_of=2013-03-01").text
    assert "Udgift 01" in first and "Udgift 25" in first and "Udgift 26" not in first
    assert "Side 1 af 2 (30 i alt)" in first
    # The sums still count every expenditure, not only the page shown.
    assert "300.000 kr." in first
    next_link = re.search(r'href="([^"]*page=2)"', first).group(1).replace("&amp;", "&")
    second = client.get(next_link).text
    assert "Udgift 26" in second and "Udgift 30" in second and "Udgift 25" not in second


def test_a_corrected_expense_has_no_delete_button_on_the_page_or_in_its_row(
    client, world, grant, session
):
    leader = access(session, world.users["leader"], world.project)
    on_grant = record(session, leader, grant)
    own = record(session, leader, None, description="Lokaleleje til workshop")
    for original in (on_grant, own):
        record(
            session,
            leader,
            grant if original.grant_id else None,
            amount="-500.00",
            correction_of_id=original.id,
            description="Korrektion",
        )
    login(client, "leader")
    page = client.get(f"{_page(world)}?grant={grant.id}&as_of=2013-05-27").text
    for original in (on_grant, own):
        delete = f"/budget/expenditures/{original.id}/delete"
        assert delete not in page
        # The row alone, as htmx fetches it back after an edit is cancelled.
        row = client.get(f"{_page(world)}/expenditures/{original.id}", headers=HTMX)
        assert row.status_code == 200
        assert original.description in row.text and delete not in row.text
    assert "Lokaleleje til workshop" in page


def test_an_amount_written_the_english_way_is_refused_and_the_danish_way_stored(
    client, world, grant, session
):
    login(client, "leader")
    token = csrf_of(client, _page(world))
    url = f"{_page(world)}/expenditures"
    refused = client.post(url, data=_form(session, grant, amount="12,500.00", csrf_token=token))
    assert refused.status_code == 422
    assert 'class="error-summary"' in refused.text and 'href="#new-amount"' in refused.text
    message = re.search(r'<p class="field-error" id="new-amount-error">([^<]*)</p>', refused.text)
    assert "Feltet »Beløb« kan ikke læses" in message.group(1)
    assert "12.500,50" in message.group(1)  # it shows how to write the amount
    assert 'value="12,500.00"' in refused.text  # what was typed is kept
    assert session.exec(select(Expenditure)).all() == []

    stored = client.post(
        url, data=_form(session, grant, amount="12.500,50"), headers=HTMX | {"X-CSRF-Token": token}
    )
    assert stored.status_code == 200
    assert session.exec(select(Expenditure)).one().amount_ore == 1_250_050


def test_a_save_without_htmx_shows_its_message_on_the_page_it_returns_to(
    client, world, grant, session
):
    login(client, "leader")
    token = csrf_of(client, _page(world))
    saved = client.post(
        f"{_page(world)}/expenditures",
        data=_form(session, grant, csrf_token=token),
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("#udgifter")
    page = client.get(saved.headers["location"])
    assert "Udgiften er registreret." in page.text
    assert "Udgiften er registreret." not in client.get(_page(world)).text  # shown once


def test_the_expense_form_is_reachable_from_the_top_of_the_page(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    record(session, leader, grant, description="En tidligere udgift")
    login(client, "leader")
    page = client.get(f"{_page(world)}?grant={grant.id}&as_of=2013-05-27").text
    jump = page.index('href="#udgift-form"')
    assert jump < page.index('id="budget-main"')
    # The form comes before the long list of expenditures, not after it.
    assert page.index('id="bu-expense-form"') < page.index('id="bu-expenses"')


def test_an_edit_may_empty_a_text_field_but_not_a_required_one(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    expense = record(session, leader, grant, amount="1000.00", supplier="Rambøll")
    login(client, "leader")
    token = csrf_of(client, _page(world))
    url = f"{_page(world)}/expenditures/{expense.id}"
    headers = HTMX | {"X-CSRF-Token": token}
    refused = client.post(
        url, data=_form(session, grant, description="", version="1"), headers=headers
    )
    assert refused.status_code == 422
    assert "»Beskrivelse«" in refused.text
    assert f'href="#edit-{expense.id}-description"' in refused.text
    saved = client.post(url, data=_form(session, grant, supplier="", version="1"), headers=headers)
    assert saved.status_code == 200
    session.refresh(expense)
    assert (expense.supplier, expense.version) == ("", 2)


def test_a_stale_edit_shows_the_stored_copy_with_the_message_in_place(
    client, world, grant, session
):
    leader = access(session, world.users["leader"], world.project)
    expense = record(session, leader, grant, amount="1000.00")
    login(client, "leader")
    token = csrf_of(client, _page(world))
    url = f"{_page(world)}/expenditures/{expense.id}"
    headers = HTMX | {"X-CSRF-Token": token}
    client.post(url, data=_form(session, grant, amount="2.000", version="1"), headers=headers)
    stale_copy = _form(session, grant, amount="3.000", version="1")
    stale = client.post(url, data=stale_copy, headers=headers)
    assert stale.status_code == 409
    assert stale.text.lstrip().startswith(f'<tr id="expenditure-{expense.id}"')
    assert 'class="error-summary"' in stale.text
    assert 'name="version" value="2"' in stale.text and 'value="2000"' in stale.text


def test_a_refused_explanation_without_htmx_marks_only_its_own_line(client, world, grant, session):
    leader = access(session, world.users["leader"], world.project)
    record(session, leader, grant, amount="20000.00")
    login(client, "leader")
    url = f"{_page(world)}/grants/{grant.id}/statement"
    token = csrf_of(client, url)
    refused = client.post(
        f"{_page(world)}/grants/{grant.id}/explanations/consultancy",
        data={"csrf_token": token, "text": "x" * 4001, "version": "0"},
    )
    assert refused.status_code == 422
    assert refused.text.count('class="field-error"') == 1
    assert 'id="explanation-consultancy-text-error"' in refused.text
    assert "Feltet »Tekst« må højst have 4000 tegn." in refused.text


def test_a_delete_button_sends_the_version_the_page_showed(client, world, session, grant):
    leader = access(session, world.users["leader"], world.project)
    entry = economy.create_economy_entry(
        session=session,
        by=leader,
        data=EconomyCreate(
            director_area_id=make_area(session, world.project).id,
            year=2014,
            kind="cost",
            description="Mentorer",
            expected="1000",
        ),
    )
    entry_id = entry.id
    login(client, "leader")
    page = client.get(f"{_page(world)}/economy")
    action = f"{_page(world)}/economy/{entry_id}/delete"
    form = re.search(rf'action="{action}".*?</form>', page.text, re.S).group(0)
    assert 'name="version" value="1"' in form
    token = csrf_of(client, f"{_page(world)}/economy")
    # Changed by someone else since the page was shown: refused with the Danish message.
    stale = client.post(action, data={"csrf_token": token, "version": "0"})
    assert stale.status_code == 409
    assert "Posten er ændret af en anden" in stale.text
    assert session.get(EconomyEntry, entry_id) is not None
    done = client.post(action, data={"csrf_token": token, "version": "1"})
    assert done.status_code in (200, 303)
    session.expunge_all()
    assert session.get(EconomyEntry, entry_id) is None
