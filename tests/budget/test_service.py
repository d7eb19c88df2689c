"""The budget's use cases at the service level: every grant rule at its boundaries, corrections,
edits checked like new expenses, budget lines, summaries, the statement and the reform economy."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.budget import economy, expenditures, funds, grants, lines, overview
from app.budget.models import CostCategory, Expenditure, ExpenditureStatus
from app.budget.money import to_ore
from app.budget.schemas import (
    BudgetLineCreate,
    BudgetLineUpdate,
    EconomyCreate,
    EconomyUpdate,
    ExpenditureUpdate,
    ExplanationIn,
    FundUpdate,
    GrantUpdate,
)
from app.errors import Conflict, Invalid, NotFound
from app.governance.models import DirectorArea
from tests.budget.factories import access, make_fund, make_grant, record


@pytest.fixture
def leader(session, world):
    return access(session, world.users["leader"], world.project)


@pytest.fixture
def grant(session, leader):
    return make_grant(session, leader)


def _count(session) -> int:
    return len(session.exec(select(Expenditure)).all())


def _remaining(session, grant) -> int:
    return overview.grant_summary(
        session=session, project_id=grant.project_id, grant_id=grant.id, as_of=date(2013, 12, 31)
    ).remaining_ore


# The eligibility period, at its boundaries ------------------------------------------------


def test_the_day_before_the_period_is_refused_with_the_danish_message(session, leader, grant):
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, date="2012-11-26")
    assert refused.value.message == (
        "Udgiften er dateret 26.11.2012, før tilskudsperiodens første dag 27.11.2012."
    )
    assert refused.value.field == "date"
    assert _count(session) == 0


def test_the_first_and_the_last_day_of_the_period_are_accepted(session, leader, grant):
    record(session, leader, grant, date="2012-11-27")
    record(session, leader, grant, date="2013-07-01")
    assert _count(session) == 2


def test_the_day_after_the_period_is_refused_and_nothing_is_stored(session, leader, grant):
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, date="2013-07-02")
    assert refused.value.message == (
        "Udgiften er dateret 02.07.2013, efter tilskudsperiodens sidste dag 01.07.2013."
    )
    assert _count(session) == 0
    assert session.exec(select(AuditEvent).where(AuditEvent.entity == "expenditure")).all() == []


# Categories and conditions ----------------------------------------------------------------


def test_an_ineligible_category_is_refused_naming_the_eligible_ones(session, leader, grant):
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, category="materials")
    assert refused.value.field == "category"
    assert (
        "Materialer og tryksager er ikke en tilskudsberettiget udgiftsart" in refused.value.message
    )
    assert "Frikøb af medarbejdere, Konsulentbistand, Transport" in refused.value.message


def test_transport_needs_its_condition_documented(session, leader, grant):
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, category="transport", amount="640.00", description="Kørsel")
    assert refused.value.field == "condition_note"
    assert "centrale projektaktiviteter" in refused.value.message
    record(
        session,
        leader,
        grant,
        category="transport",
        amount="640.00",
        description="Kørsel",
        condition_note="Kørsel til netværksmøde i Beskæftigelsesregion Syddanmark 13.12.2012",
    )
    assert _count(session) == 1


def test_a_purpose_is_required_and_must_be_the_grants_own(session, leader, grant):
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, purpose_id=None)
    assert refused.value.field == "purpose_id"
    other = make_grant(session, leader, name="Andet tilskud")
    foreign = grants.get_grant(session=session, project_id=other.project_id, grant_id=other.id)
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, purpose_id=foreign.purposes[0].id)
    assert refused.value.field == "purpose_id"


# Staff buy-out -----------------------------------------------------------------------------


def test_buyout_needs_person_hours_and_rate_and_they_must_add_up(session, leader, grant):
    base = {"category": "staff_buyout", "description": "Frikøb til rehabiliteringsteamet"}
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, supplier="", **base)
    assert refused.value.field == "supplier"
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, supplier="Mette Holm", **base)
    assert refused.value.field == "hours"
    with pytest.raises(Invalid) as refused:
        record(
            session,
            leader,
            grant,
            supplier="Mette Holm",
            hours="37.5",
            hourly_rate="350.00",
            amount="13000.00",
            **base,
        )
    assert refused.value.message.startswith(
        "Beløbet 13.000 kr. svarer ikke til 37,5 timer × 350 kr. = 13.125 kr. Ret beløbet"
    )
    record(
        session,
        leader,
        grant,
        supplier="Mette Holm",
        hours="37.5",
        hourly_rate="350.00",
        amount="13125.00",
        **base,
    )
    record(
        session,
        leader,
        grant,
        supplier="Mette Holm",
        hours="37.5",
        hourly_rate="350.00",
        amount="14700.00",
        note="Inkl. pension 12 %",
        **base,
    )
    assert _count(session) == 2


# Money left --------------------------------------------------------------------------------


def test_spending_exactly_the_rest_is_accepted_and_one_ore_more_refused(session, leader, grant):
    record(session, leader, grant, amount="461474.00")
    assert _remaining(session, grant) == 0
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, amount="0.01")
    assert refused.value.field == "amount"
    assert refused.value.message == (
        "Udgiften på 0,01 kr. er mere end der er tilbage af tilskuddet »Puljemidler til "
        "implementering af reformen«: 0 kr. (bevilget 461.474 kr., allerede brugt og disponeret "
        "461.474 kr.)."
    )


def test_more_than_is_left_is_refused_naming_the_figures(session, leader, grant):
    record(session, leader, grant, amount="400000.00")
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, amount="70000.50")
    assert "70.000,50 kr." in refused.value.message
    assert "61.474 kr." in refused.value.message
    assert _count(session) == 1


def test_commitments_count_against_what_is_left(session, leader, grant):
    record(session, leader, grant, amount="461000.00", status="committed")
    with pytest.raises(Invalid):
        record(session, leader, grant, amount="500.00")
    summary = overview.grant_summary(
        session=session, project_id=grant.project_id, grant_id=grant.id, as_of=date(2013, 3, 1)
    )
    assert (summary.paid_ore, summary.committed_ore, summary.remaining_ore) == (
        0,
        46_100_000,
        47_400,
    )


def test_ten_and_twenty_ore_make_thirty(session, leader, grant):
    assert to_ore(Decimal("0.10")) + to_ore(Decimal("0.20")) == to_ore(Decimal("0.30")) == 30
    record(session, leader, grant, amount="0.10")
    record(session, leader, grant, amount="0.20")
    summary = overview.grant_summary(
        session=session, project_id=grant.project_id, grant_id=grant.id, as_of=date(2013, 3, 1)
    )
    assert summary.used_ore == 30
    assert summary.remaining_ore == 46_147_370


# Negative amounts and corrections ----------------------------------------------------------


def test_a_negative_amount_is_only_a_correction(session, leader, grant):
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, amount="-500.00")
    assert "kan kun registreres som en korrektion" in refused.value.message
    with pytest.raises(Invalid):
        record(session, leader, grant, amount="0.00")
    original = record(session, leader, grant, amount="10000.00")
    record(
        session,
        leader,
        grant,
        amount="-2500.00",
        correction_of_id=original.id,
        date="2013-08-15",
        description="Kreditnota",
    )
    assert _remaining(session, grant) == 46_147_400 - 750_000


def test_a_correction_may_not_exceed_the_original_nor_change_its_kind(session, leader, grant):
    original = record(session, leader, grant, amount="1000.00")
    record(session, leader, grant, amount="-600.00", correction_of_id=original.id)
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, amount="-400.01", correction_of_id=original.id)
    assert "400 kr." in refused.value.message
    with pytest.raises(Invalid) as refused:
        record(
            session,
            leader,
            grant,
            amount="-100.00",
            correction_of_id=original.id,
            category="transport",
            condition_note="x",
        )
    assert refused.value.field == "correction_of_id"
    with pytest.raises(Invalid):
        record(session, leader, grant, amount="100.00", correction_of_id=original.id)


def test_an_expense_with_corrections_cannot_be_deleted(session, leader, grant):
    original = record(session, leader, grant, amount="1000.00")
    correction = record(session, leader, grant, amount="-1000.00", correction_of_id=original.id)
    with pytest.raises(Conflict):
        expenditures.delete_expenditure(
            session=session, by=leader, expenditure_id=original.id, version=original.version
        )
    expenditures.delete_expenditure(
        session=session, by=leader, expenditure_id=correction.id, version=correction.version
    )
    expenditures.delete_expenditure(
        session=session, by=leader, expenditure_id=original.id, version=original.version
    )
    assert _count(session) == 0


def test_deleting_a_correction_that_freed_money_already_spent_is_refused(session, leader, grant):
    original = record(session, leader, grant, amount="461474.00")
    correction = record(session, leader, grant, amount="-1000.00", correction_of_id=original.id)
    record(session, leader, grant, amount="1000.00")
    with pytest.raises(Conflict):
        expenditures.delete_expenditure(
            session=session, by=leader, expenditure_id=correction.id, version=correction.version
        )


# Own financing -----------------------------------------------------------------------------


def test_own_financing_is_not_limited_by_the_grant_rules(session, leader, grant):
    record(session, leader, None, date="2014-01-10", category="materials", amount="999999.99")
    own = overview.own_financing(session=session, project_id=grant.project_id)
    assert own.paid_ore == 99_999_999
    with pytest.raises(Invalid):
        record(session, leader, None, amount="-1.00")


# Edits -------------------------------------------------------------------------------------


def test_an_expense_edited_outside_the_rules_is_refused_like_a_new_one(session, leader, grant):
    expense = record(session, leader, grant, amount="1000.00")
    with pytest.raises(Invalid) as refused:
        expenditures.update_expenditure(
            session=session,
            by=leader,
            expenditure_id=expense.id,
            data=ExpenditureUpdate(date=date(2013, 7, 2), version=1),
        )
    assert refused.value.message == (
        "Udgiften er dateret 02.07.2013, efter tilskudsperiodens sidste dag 01.07.2013."
    )
    with pytest.raises(Invalid):
        expenditures.update_expenditure(
            session=session,
            by=leader,
            expenditure_id=expense.id,
            data=ExpenditureUpdate(category="materials", version=1),
        )
    session.refresh(expense)
    assert (expense.expense_date, expense.category, expense.version) == (
        date(2013, 2, 15),
        CostCategory.consultancy,
        1,
    )


def test_an_edit_counts_the_rest_without_the_expense_itself(session, leader, grant):
    expense = record(session, leader, grant, amount="461000.00")
    updated = expenditures.update_expenditure(
        session=session,
        by=leader,
        expenditure_id=expense.id,
        data=ExpenditureUpdate(amount=Decimal("461474.00"), status="committed", version=1),
    )
    assert (updated.amount_ore, updated.status, updated.version) == (
        46_147_400,
        ExpenditureStatus.committed,
        2,
    )
    with pytest.raises(Invalid):
        expenditures.update_expenditure(
            session=session,
            by=leader,
            expenditure_id=expense.id,
            data=ExpenditureUpdate(amount=Decimal("461474.01"), version=2),
        )
    events = session.exec(select(AuditEvent).where(AuditEvent.entity == "expenditure")).all()
    assert [e.action for e in events] == ["recorded", "updated"]


def test_an_outdated_version_is_a_conflict(session, leader, grant):
    expense = record(session, leader, grant)
    expenditures.update_expenditure(
        session=session,
        by=leader,
        expenditure_id=expense.id,
        data=ExpenditureUpdate(note="Faktura 118", version=1),
    )
    with pytest.raises(Conflict):
        expenditures.update_expenditure(
            session=session,
            by=leader,
            expenditure_id=expense.id,
            data=ExpenditureUpdate(note="Faktura 119", version=1),
        )


def test_ids_from_another_project_are_refused(session, world, leader, grant):
    outsider = access(session, world.users["outsider"], world.other_project)
    with pytest.raises(NotFound):
        grants.get_grant(session=session, project_id=world.other_project.id, grant_id=grant.id)
    with pytest.raises(Invalid) as refused:
        record(session, outsider, None, grant_id=grant.id)
    assert refused.value.field == "grant_id"
    expense = record(session, leader, grant)
    with pytest.raises(NotFound):
        expenditures.update_expenditure(
            session=session,
            by=outsider,
            expenditure_id=expense.id,
            data=ExpenditureUpdate(note="x", version=1),
        )
    with pytest.raises(Invalid) as refused:
        record(session, leader, grant, group_id=world.other_project.id + 1000)
    assert refused.value.field == "group_id"


# Grants ------------------------------------------------------------------------------------


def test_a_grant_lists_its_rules_and_is_audited(session, leader, grant):
    view = grants.get_grant(session=session, project_id=grant.project_id, grant_id=grant.id)
    assert [c.category for c in view.categories] == ["staff_buyout", "consultancy", "transport"]
    assert len(view.purposes) == 3
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "grant")).one()
    assert event.after["amount_ore"] == 46_147_400
    assert len(event.after["purposes"]) == 3


def test_a_grant_cannot_be_changed_so_recorded_spending_breaks_its_rules(session, leader, grant):
    record(session, leader, grant, amount="300000.00", date="2013-06-20")
    for change, field in [
        ({"amount": "299999.99"}, "amount"),
        ({"last_date": "2013-06-19"}, "first_date"),
        ({"eligible_categories": [{"category": "staff_buyout"}]}, "eligible_categories"),
    ]:
        with pytest.raises(Invalid) as refused:
            grants.update_grant(
                session=session,
                by=leader,
                grant_id=grant.id,
                data=GrantUpdate.model_validate(change | {"version": 1}),
            )
        assert refused.value.field == field, change
    view = grants.update_grant(
        session=session,
        by=leader,
        grant_id=grant.id,
        data=GrantUpdate(amount=Decimal("300000.00"), version=1),
    )
    assert view.grant.amount_ore == 30_000_000 and view.grant.version == 2


def test_a_used_purpose_cannot_be_removed_but_renamed(session, leader, grant):
    record(session, leader, grant)
    view = grants.get_grant(session=session, project_id=grant.project_id, grant_id=grant.id)
    first = view.purposes[0]
    with pytest.raises(Invalid):
        grants.update_grant(
            session=session,
            by=leader,
            grant_id=grant.id,
            data=GrantUpdate.model_validate(
                {"purposes": [{"id": view.purposes[1].id, "text": "b"}], "version": 1}
            ),
        )
    renamed = grants.update_grant(
        session=session,
        by=leader,
        grant_id=grant.id,
        data=GrantUpdate.model_validate(
            {
                "purposes": [{"id": first.id, "text": "Samarbejde"}, {"text": "Nyt formål"}],
                "version": 1,
            }
        ),
    )
    assert [p.text for p in renamed.purposes] == ["Samarbejde", "Nyt formål"]
    assert renamed.purposes[0].id == first.id


def test_period_and_fund_checks_on_a_new_grant(session, world, leader):
    with pytest.raises(Invalid) as refused:
        make_grant(session, leader, first_date=date(2013, 7, 2))
    assert refused.value.field == "last_date"
    fund = make_fund(session, world.project, pool_ore=40_000_000)
    with pytest.raises(Invalid) as refused:
        make_grant(session, leader, fund_id=fund.id)
    assert refused.value.field == "amount"
    make_grant(session, leader, fund_id=fund.id, amount="400000.00")


def test_a_grant_with_spending_cannot_be_deleted(session, leader, grant):
    expense = record(session, leader, grant)
    with pytest.raises(Conflict):
        grants.delete_grant(session=session, by=leader, grant_id=grant.id, version=grant.version)
    expenditures.delete_expenditure(
        session=session, by=leader, expenditure_id=expense.id, version=expense.version
    )
    grants.delete_grant(session=session, by=leader, grant_id=grant.id, version=grant.version)
    assert grants.list_grants(session=session, project_id=grant.project_id) == []


# Budget lines ------------------------------------------------------------------------------


def _line(session, leader, grant, **overrides):
    values = {
        "grant_id": grant.id,
        "category": "consultancy",
        "month": "2013-02-01",
        "amount": "20000.00",
    } | overrides
    return lines.create_budget_line(
        session=session, by=leader, data=BudgetLineCreate.model_validate(values)
    )


def test_budget_lines_keep_within_the_grant(session, world, leader, grant):
    line = _line(session, leader, grant, month="2013-02-17", group_id=world.group_a.id)
    assert line.month_date == date(2013, 2, 1)
    _line(session, leader, grant, month="2012-11-01")  # the period starts 27.11.2012
    for overrides, field in [
        ({"month": "2012-10-01"}, "month"),
        ({"month": "2013-08-01"}, "month"),
        ({"category": "materials"}, "category"),
        ({"amount": "421474.01"}, "amount"),
    ]:
        with pytest.raises(Invalid) as refused:
            _line(session, leader, grant, **overrides)
        assert refused.value.field == field


def test_summary_per_category_group_and_purpose(session, world, leader, grant):
    _line(session, leader, grant, group_id=world.group_a.id)
    _line(session, leader, grant, category="staff_buyout", amount="30000.00", month="2013-03-01")
    record(session, leader, grant, amount="12000.00", group_id=world.group_a.id)
    record(session, leader, grant, amount="500.00", status="committed", date="2013-03-10")
    record(session, leader, grant, amount="700.00", date="2013-06-01")
    summary = overview.grant_summary(
        session=session, project_id=grant.project_id, grant_id=grant.id, as_of=date(2013, 4, 1)
    )
    assert (summary.paid_ore, summary.committed_ore) == (1_200_000, 50_000)
    consultancy = next(c for c in summary.categories if c.key == "consultancy")
    assert (consultancy.budget_ore, consultancy.paid_ore, consultancy.remaining_ore) == (
        2_000_000,
        1_200_000,
        750_000,
    )
    group_a = next(g for g in summary.groups if g.label == "Gruppe A")
    assert (group_a.budget_ore, group_a.paid_ore) == (2_000_000, 1_200_000)
    assert summary.purposes[0].used_ore == 1_250_000
    assert summary.burn.months[3].cumulative_budget_ore == 2_000_000  # February
    assert summary.burn.actual_points[-1] == (date(2013, 4, 1), 1_250_000)
    assert summary.forecast is not None and summary.forecast.projected_ore > 1_250_000


# Grant accounting --------------------------------------------------------------------------


def test_statement_totals_deviations_and_unused_amount(session, leader, grant):
    _line(session, leader, grant, amount="100000.00")
    _line(session, leader, grant, category="staff_buyout", amount="300000.00")
    record(session, leader, grant, amount="120000.00")
    record(
        session,
        leader,
        grant,
        category="staff_buyout",
        supplier="Mette Holm",
        hours="800",
        hourly_rate="350.00",
        amount="280000.00",
    )
    st = overview.statement(
        session=session, project_id=grant.project_id, grant_id=grant.id, made_date=date(2013, 9, 1)
    )
    assert (st.total_budget_ore, st.total_actual_ore, st.unused_ore) == (
        40_000_000,
        40_000_000,
        6_147_400,
    )
    by_cat = {line.category: line for line in st.lines}
    assert by_cat["consultancy"].material  # +20.000 kr., 20 %
    assert not by_cat["staff_buyout"].material  # -20.000 kr., 6,7 %
    assert [line.category for line in st.missing_explanations] == ["consultancy"]
    grants.set_explanation(
        session=session,
        by=leader,
        grant_id=grant.id,
        category="consultancy",
        data=ExplanationIn(text="Ekstra facilitering af teamet i foråret.", version=0),
    )
    st = overview.statement(
        session=session, project_id=grant.project_id, grant_id=grant.id, made_date=date(2013, 9, 1)
    )
    assert st.missing_explanations == []


# Reform economy ----------------------------------------------------------------------------


def test_reform_economy_per_area_and_year(session, world, leader):
    area = DirectorArea(project_id=world.project.id, name="Økonomi & Arbejdsmarked")
    foreign = DirectorArea(project_id=world.other_project.id, name="Andet")
    session.add_all([area, foreign])
    session.commit()
    entry = economy.create_economy_entry(
        session=session,
        by=leader,
        data=EconomyCreate(
            director_area_id=area.id,
            year=2013,
            kind="saving",
            description="Færre førtidspensioner",
            expected=Decimal("1200000.00"),
        ),
    )
    economy.create_economy_entry(
        session=session,
        by=leader,
        data=EconomyCreate(
            director_area_id=area.id,
            year=2013,
            kind="cost",
            description="Ressourceforløb",
            expected=Decimal("800000.00"),
        ),
    )
    economy.update_economy_entry(
        session=session,
        by=leader,
        entry_id=entry.id,
        data=EconomyUpdate(realised=Decimal("950000.00"), version=1),
    )
    [row] = economy.economy_overview(session=session, project_id=world.project.id)
    assert (row.expected_net_ore, row.realised_saving_ore) == (40_000_000, 95_000_000)
    with pytest.raises(Invalid) as refused:
        economy.create_economy_entry(
            session=session,
            by=leader,
            data=EconomyCreate(
                director_area_id=foreign.id, year=2013, kind="cost", description="x"
            ),
        )
    assert refused.value.field == "director_area_id"


# Funds, budget line edits, explanations and the economy register ---------------------------


def test_a_fund_cannot_shrink_below_its_grants(session, world, leader):
    fund = make_fund(session, world.project, pool_ore=100_000_000)
    make_grant(session, leader, fund_id=fund.id)
    with pytest.raises(Invalid) as refused:
        funds.update_fund(
            session=session,
            by=leader,
            fund_id=fund.id,
            data=FundUpdate(pool=Decimal("400000.00"), version=1),
        )
    assert refused.value.field == "pool"
    with pytest.raises(Conflict):
        funds.delete_fund(session=session, by=leader, fund_id=fund.id, version=fund.version)
    updated = funds.update_fund(
        session=session,
        by=leader,
        fund_id=fund.id,
        data=FundUpdate(grantor="Forebyggelsesfonden", version=1),
    )
    assert (updated.grantor, updated.version) == ("Forebyggelsesfonden", 2)


def test_budget_lines_are_edited_within_the_same_rules(session, leader, grant):
    line = _line(session, leader, grant, amount="400000.00")
    other = _line(session, leader, grant, amount="50000.00")
    with pytest.raises(Invalid) as refused:
        lines.update_budget_line(
            session=session,
            by=leader,
            line_id=other.id,
            data=BudgetLineUpdate(amount=Decimal("61474.01"), version=1),
        )
    assert refused.value.field == "amount"
    changed = lines.update_budget_line(
        session=session,
        by=leader,
        line_id=other.id,
        data=BudgetLineUpdate(amount=Decimal("61474.00"), month=date(2013, 6, 30), version=1),
    )
    assert (changed.amount_ore, changed.month_date, changed.version) == (
        6_147_400,
        date(2013, 6, 1),
        2,
    )
    lines.delete_budget_line(session=session, by=leader, line_id=line.id, version=line.version)
    assert [
        x.id for x in lines.list_budget_lines(session=session, project_id=grant.project_id)
    ] == [other.id]


def test_an_explanation_is_versioned(session, leader, grant):
    first = grants.set_explanation(
        session=session,
        by=leader,
        grant_id=grant.id,
        category=CostCategory.consultancy,
        data=ExplanationIn(text="Første udgave", version=0),
    )
    grants.set_explanation(
        session=session,
        by=leader,
        grant_id=grant.id,
        category=CostCategory.consultancy,
        data=ExplanationIn(text="Anden udgave", version=first.version),
    )
    with pytest.raises(Conflict):
        grants.set_explanation(
            session=session,
            by=leader,
            grant_id=grant.id,
            category=CostCategory.consultancy,
            data=ExplanationIn(text="Gammel", version=1),
        )
    with pytest.raises(Conflict):
        # Written from a copy without an explanation, after someone else wrote one.
        grants.set_explanation(
            session=session,
            by=leader,
            grant_id=grant.id,
            category=CostCategory.consultancy,
            data=ExplanationIn(text="Også første udgave", version=0),
        )
    with pytest.raises(Invalid):
        grants.set_explanation(
            session=session,
            by=leader,
            grant_id=grant.id,
            category=CostCategory.materials,
            data=ExplanationIn(text="x", version=0),
        )


def test_own_financing_has_no_grant_purpose(session, leader, grant):
    purpose = (
        grants.get_grant(session=session, project_id=grant.project_id, grant_id=grant.id)
        .purposes[0]
        .id
    )
    with pytest.raises(Invalid) as refused:
        record(session, leader, None, purpose_id=purpose)
    assert refused.value.field == "purpose_id"


def test_economy_entries_are_deleted_and_audited(session, world, leader):
    area = DirectorArea(project_id=world.project.id, name="Social & Sundhed")
    session.add(area)
    session.commit()
    entry = economy.create_economy_entry(
        session=session,
        by=leader,
        data=EconomyCreate(
            director_area_id=area.id,
            year=2014,
            kind="cost",
            description="Mentorer",
            expected=Decimal("450000.00"),
        ),
    )
    economy.delete_economy_entry(
        session=session, by=leader, entry_id=entry.id, version=entry.version
    )
    assert economy.list_economy(session=session, project_id=world.project.id) == []
    actions = [
        e.action
        for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "economy_entry"))
    ]
    assert actions == ["created", "deleted"]
