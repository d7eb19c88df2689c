"""The budget pages' read models (app/budget/reads.py) and the one conversion of an
expenditure's fields (app/budget/schemas.py)."""

from datetime import date
from decimal import Decimal

import pytest

from app.budget import reads
from app.budget.models import CostCategory, Expenditure
from app.budget.money import hundredths_str, ore_str
from app.budget.schemas import ExpenditurePublic, expense_columns, expense_fields
from app.errors import NotFound
from tests.budget.factories import access, make_grant, record


@pytest.fixture
def leader(session, world):
    return access(session, world.users["leader"], world.project)


@pytest.fixture
def grant(session, leader):
    return make_grant(session, leader)


def _page(session, project_id, **overrides):
    values = {"grant_id": None, "as_of": date(2013, 3, 1), "offset": 0, "limit": 2}
    return reads.budget_page(session=session, project_id=project_id, **values | overrides)


def test_the_budget_page_selects_the_first_grant_and_lists_one_page_of_its_expenses(
    session, leader, grant
):
    for day in ("2013-01-10", "2013-01-20", "2013-02-05"):
        record(session, leader, grant, date=day)
    record(session, leader, None, date="2013-01-15")
    page = _page(session, grant.project_id)
    assert page.selected is not None and page.selected.view.grant.id == grant.id
    assert page.expense_count == 3
    assert [e.expense_date for e in page.expenses] == [date(2013, 1, 10), date(2013, 1, 20)]
    assert [e.expense_date for e in page.own.expenses] == [date(2013, 1, 15)]
    assert page.selected.paid_ore == 3_000_000
    assert page.new_expense == {"grant_id": grant.id, "date": "2013-03-01", "status": "paid"}
    last = _page(session, grant.project_id, offset=2)
    assert [e.expense_date for e in last.expenses] == [date(2013, 2, 5)]


def test_a_new_expense_is_dated_within_the_selected_grants_period(session, leader, grant):
    page = _page(session, grant.project_id, grant_id=grant.id, as_of=date(2014, 1, 1))
    assert page.new_expense["date"] == "2013-07-01"
    assert page.purposes == {p.id: f"formål {i}" for i, p in enumerate(page.grants[0].purposes, 1)}


def test_a_project_without_grants_has_an_empty_budget_page(session, world):
    page = _page(session, world.project.id)
    assert page.selected is None and page.summaries == [] and page.expense_count == 0


def test_a_correction_keeps_the_grant_category_purpose_group_status_and_supplier(
    session, leader, grant
):
    original = record(session, leader, grant, amount="1250.50")
    read = reads.correction(
        session=session, project_id=grant.project_id, of=original.id, day=date(2013, 4, 1)
    )
    assert read["correcting"].id == original.id
    assert read["values"] == {
        "grant_id": grant.id,
        "category": CostCategory.consultancy,
        "purpose_id": original.purpose_id,
        "group_id": None,
        "status": original.status,
        "supplier": "Konsulenthuset ApS",
        "date": date(2013, 4, 1),
        "description": "Korrektion af: Konsulent faciliterer teamets samarbejde",
        "correction_of_id": original.id,
    }


def test_an_expense_of_another_project_is_not_found(session, world, leader, grant):
    expense = record(session, leader, grant)
    with pytest.raises(NotFound):
        reads.expense_row(
            session=session, project_id=world.other_project.id, expenditure_id=expense.id
        )


def test_the_edit_form_shows_amounts_and_hours_the_danish_way(session, leader, grant):
    expense = record(
        session,
        leader,
        grant,
        category=CostCategory.staff_buyout,
        supplier="Anna Jensen",
        hours="37.5",
        hourly_rate="266.67",
        amount="10000.13",
    )
    values = reads.form_values(expense)
    shown = (values["amount"], values["hours"], values["hourly_rate"])
    assert shown == ("10000,13", "37,5", "266,67")
    assert values["date"] == expense.expense_date


def test_an_expenditures_fields_convert_to_its_columns_and_back(session, leader, grant):
    expense = record(session, leader, grant, hours="2.5", hourly_rate="100.00", amount="250.00")
    fields = expense_fields(expense, kroner=ore_str, hours=hundredths_str)
    assert fields["amount"] == "250.00" and fields["hours"] == "2.50"
    numbers = ("amount", "hours", "hourly_rate")
    typed = {k: Decimal(v) if k in numbers else v for k, v in fields.items()}
    again = Expenditure(project_id=expense.project_id, **expense_columns(typed))
    for column in ("expense_date", "amount_ore", "hours_hundredths", "hourly_rate_ore", "grant_id"):
        assert getattr(again, column) == getattr(expense, column)
    public = ExpenditurePublic.of(expense)
    assert (public.date, public.amount, public.id) == (expense.expense_date, "250.00", expense.id)
