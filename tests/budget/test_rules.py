"""The pure rules, money and chart functions: boundaries, materiality, forecast, warnings."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.budget import rules
from app.budget.charts import burn_chart
from app.budget.models import CostCategory
from app.budget.money import (
    hours_text,
    kr_input,
    ore_str,
    times_rate,
    to_ore,
)
from app.budget.overview import Burn
from app.errors import Invalid
from app.numbers import read_number

GRANT = rules.GrantRules(
    name="Puljen",
    amount_ore=46_147_400,
    first_date=date(2012, 11, 27),
    last_date=date(2013, 7, 1),
    categories={
        CostCategory.staff_buyout: "",
        CostCategory.consultancy: "",
        CostCategory.transport: "Kun til workshops, netværksmøder og seminarer.",
    },
    purpose_ids=frozenset({1, 2, 3}),
)


def _facts(**overrides) -> rules.ExpenseFacts:
    values = {
        "expense_date": date(2013, 2, 1),
        "amount_ore": 100_000,
        "category": CostCategory.consultancy,
        "purpose_id": 1,
    } | overrides
    return rules.ExpenseFacts(**values)


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (date(2012, 11, 26), False),
        (date(2012, 11, 27), True),
        (date(2013, 7, 1), True),
        (date(2013, 7, 2), False),
    ],
)
def test_the_period_at_its_boundaries(day, accepted):
    if accepted:
        rules.check_expense(GRANT, _facts(expense_date=day))
    else:
        with pytest.raises(Invalid) as refused:
            rules.check_expense(GRANT, _facts(expense_date=day))
        assert refused.value.field == "date"


def test_the_period_message_names_the_dates():
    with pytest.raises(Invalid) as refused:
        rules.check_period(GRANT, date(2013, 7, 2))
    assert refused.value.message == (
        "Udgiften er dateret 02.07.2013, efter tilskudsperiodens sidste dag 01.07.2013."
    )


def test_the_remainder_at_its_boundary():
    rules.check_remaining(GRANT, _facts(amount_ore=1), used_ore=46_147_399)
    with pytest.raises(Invalid):
        rules.check_remaining(GRANT, _facts(amount_ore=2), used_ore=46_147_399)


def test_a_correction_is_exempt_from_the_period_but_not_from_its_size():
    correction = _facts(amount_ore=-500, expense_date=date(2013, 9, 1), is_correction=True)
    rules.check_expense(GRANT, correction, used_ore=10_000)
    rules.check_correction(original_ore=1_000, corrected_ore=-500, amount_ore=-500)
    with pytest.raises(Invalid):
        rules.check_correction(original_ore=1_000, corrected_ore=-500, amount_ore=-501)


def test_a_restricted_category_needs_its_condition():
    with pytest.raises(Invalid) as refused:
        rules.check_expense(GRANT, _facts(category=CostCategory.transport))
    assert "Transport er kun tilskudsberettiget på betingelse" in refused.value.message
    rules.check_expense(
        GRANT, _facts(category=CostCategory.transport, condition_note="Netværksmøde 13.12.2012")
    )


def test_materiality_needs_both_ten_percent_and_five_thousand_kroner():
    assert not rules.is_material(100_000_00, 110_000_00)  # 10 % exactly
    assert rules.is_material(100_000_00, 110_000_01)
    assert not rules.is_material(20_000_00, 25_000_00)  # 25 % but 5.000 kr. exactly
    assert rules.is_material(20_000_00, 25_000_01)
    assert rules.is_material(0, 5_000_01) and not rules.is_material(0, 5_000_00)


def test_forecast_at_the_current_pace_and_when_money_runs_out():
    halfway = GRANT.first_date + timedelta(days=109)  # day 110 of 217
    slow = rules.forecast(GRANT, used_ore=10_000_000, as_of=halfway)
    assert slow is not None and slow.runs_out_date is None
    assert slow.projected_ore == 19_727_300  # 100.000 kr. over 110 days, 107 days left
    fast = rules.forecast(GRANT, used_ore=40_000_000, as_of=halfway)
    assert fast is not None and fast.runs_out_date is not None
    assert halfway < fast.runs_out_date < GRANT.last_date
    assert rules.forecast(GRANT, used_ore=0, as_of=date(2012, 11, 1)) is None


def test_warnings_before_the_end_while_money_is_left():
    six_weeks = GRANT.last_date - timedelta(weeks=6)
    kinds = {w.kind for w in rules.warnings(GRANT, used_ore=40_000_000, as_of=six_weeks)}
    assert "ending" in kinds
    before = {
        w.kind
        for w in rules.warnings(GRANT, used_ore=40_000_000, as_of=six_weeks - timedelta(days=1))
    }
    assert "ending" not in before
    assert rules.warnings(GRANT, used_ore=46_147_400, as_of=six_weeks) == []
    after = rules.warnings(
        GRANT, used_ore=40_000_000, as_of=date(2013, 8, 1), report_due_date=date(2013, 10, 1)
    )
    assert [w.kind for w in after] == ["unused", "report"]
    assert "61.474 kr. er ikke brugt og skal betales tilbage" in after[0].text
    slow = rules.warnings(GRANT, used_ore=1_000_000, as_of=date(2013, 2, 1))
    assert [w.kind for w in slow] == ["underspend"]


def test_money_is_exact():
    assert to_ore(Decimal("0.10")) + to_ore(Decimal("0.20")) == 30
    assert ore_str(30) == "0.30" and ore_str(-250) == "-2.50" and ore_str(46_147_400) == "461474.00"
    with pytest.raises(ValueError):
        to_ore(Decimal("0.001"))
    assert times_rate(3750, 35_000) == 1_312_500
    assert times_rate(1, 1) == 0 and times_rate(50, 1) == 1  # half an øre rounds up
    assert kr_input(100_050) == "1000,50" and kr_input(46_147_400) == "461474"
    # A form filled in with a stored amount reads back as the same øre.
    for ore in (100_050, 46_147_400, -250_000, 5):
        assert to_ore(read_number(kr_input(ore))) == ore
    assert hours_text(3750) == "37,5" and hours_text(8000) == "80" and hours_text(1) == "0,01"


def test_the_burn_chart_shows_budget_actual_forecast_and_the_grant():
    burn = Burn(
        first_date=date(2012, 11, 27),
        last_date=date(2013, 7, 1),
        as_of=date(2013, 3, 1),
        granted_ore=46_147_400,
        budget_points=[(date(2012, 11, 27), 0), (date(2012, 11, 30), 1_500_000)],
        actual_points=[(date(2012, 11, 27), 0), (date(2012, 11, 29), 1_450_000)],
        forecast_points=[(date(2013, 3, 1), 1_450_000), (date(2013, 7, 1), 2_000_000)],
        months=[],
    )
    fig = burn_chart(burn)
    names = [t["name"] for t in fig["data"]]
    assert names == [
        "Budget (akkumuleret)",
        "Forbrug inkl. disponeret (akkumuleret)",
        "Prognose ved nuværende tempo",
        "Tilskud i alt",
    ]
    assert fig["data"][1]["y"] == [0, 14_500]
    assert fig["data"][1]["line"]["shape"] == "hv"
    assert fig["data"][3]["y"] == [461_474, 461_474]
    assert fig["data"][2]["customdata"][1] == "01.07.2013: 20.000 kr."
    assert fig["layout"]["separators"] == ",."
