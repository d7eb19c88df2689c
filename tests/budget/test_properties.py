"""Property-based tests: whatever expenses arrive, in whatever order, the remainder is the grant
minus the accepted expenses and never goes below zero."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from app.budget import expenditures, overview, rules
from app.budget.models import CostCategory, Expenditure
from app.budget.money import ore_str
from app.errors import Invalid
from tests.budget.factories import access, expense_data, make_grant

FIRST, LAST = date(2012, 11, 27), date(2013, 7, 1)
GRANT_ORE = 1_000_000  # 10.000 kr.: small, so that the limit is often reached

amounts = st.integers(min_value=-300_000, max_value=600_000)
days = st.integers(min_value=-5, max_value=(LAST - FIRST).days + 5)
expense = st.tuples(
    amounts, days, st.sampled_from(["consultancy", "staff_buyout", "materials"]), st.booleans()
)
DB_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _rules() -> rules.GrantRules:
    return rules.GrantRules(
        name="Puljen",
        amount_ore=GRANT_ORE,
        first_date=FIRST,
        last_date=LAST,
        categories={CostCategory.consultancy: "", CostCategory.staff_buyout: ""},
    )


@settings(max_examples=300)
@given(st.lists(st.tuples(amounts, days), max_size=30), st.randoms())
def test_rules_keep_the_remainder_between_zero_and_the_grant(expenses, random):
    grant = _rules()
    for order in (expenses, random.sample(expenses, len(expenses))):
        accepted = 0
        for amount, day in order:
            facts = rules.ExpenseFacts(
                expense_date=FIRST + timedelta(days=day),
                amount_ore=amount,
                category=CostCategory.consultancy,
            )
            try:
                rules.check_expense(grant, facts, used_ore=accepted)
            except Invalid:
                continue
            accepted += amount
        assert 0 <= grant.amount_ore - accepted <= grant.amount_ore


@DB_SETTINGS
@given(ops=st.lists(expense, min_size=1, max_size=12), data=st.data())
def test_the_remainder_is_the_grant_minus_accepted_expenses_in_any_order(session, world, ops, data):
    leader = access(session, world.users["leader"], world.project)
    for order in (ops, data.draw(st.permutations(ops))):
        grant = make_grant(
            session,
            leader,
            amount=ore_str(GRANT_ORE),
            eligible_categories=[{"category": "consultancy"}, {"category": "staff_buyout"}],
            purposes=[],
        )
        accepted: list[Expenditure] = []
        for amount, day, category, correct in order:
            overrides = {
                "amount": ore_str(amount),
                "category": category,
                "date": FIRST + timedelta(days=day),
            }
            if category == "staff_buyout":
                overrides |= {
                    "supplier": "Mette Holm",
                    "hours": "1",
                    "hourly_rate": "1.00",
                    "note": "Timer opgjort samlet",
                }
            if correct and accepted and amount < 0:
                original = accepted[-1]
                overrides |= {"correction_of_id": original.id, "category": original.category}
            try:
                accepted.append(
                    expenditures.record_expenditure(
                        session=session, by=leader, data=expense_data(grant, **overrides)
                    )
                )
            except Invalid:
                session.rollback()
        summary = overview.grant_summary(
            session=session, project_id=grant.project_id, grant_id=grant.id, as_of=date(2014, 1, 1)
        )
        stored = session.exec(
            select(func.coalesce(func.sum(Expenditure.amount_ore), 0)).where(
                Expenditure.grant_id == grant.id
            )
        ).one()
        assert stored == sum(e.amount_ore for e in accepted)
        assert summary.remaining_ore == GRANT_ORE - stored
        assert 0 <= summary.remaining_ore <= GRANT_ORE
