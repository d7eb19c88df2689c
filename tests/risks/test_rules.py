from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.errors import Invalid
from app.risks import rules
from app.risks.rules import Direction, DueState, Frequency, Progress, RaidKind, RiskLevel
from app.risks.schemas import IndicatorCreate


@pytest.mark.parametrize(
    ("probability", "consequence", "score", "level"),
    [
        (1, 1, 1, RiskLevel.low),
        (2, 3, 6, RiskLevel.low),
        (1, 5, 5, RiskLevel.low),
        (2, 4, 8, RiskLevel.medium),
        (3, 3, 9, RiskLevel.medium),
        (3, 4, 12, RiskLevel.medium),
        (3, 5, 15, RiskLevel.high),
        (4, 4, 16, RiskLevel.high),
        (5, 5, 25, RiskLevel.high),
    ],
)
def test_score_is_probability_times_consequence_with_levels(probability, consequence, score, level):
    assert rules.risk_score(probability, consequence) == score
    assert rules.risk_level(score) == level


def test_items_without_probability_have_no_score():
    assert rules.risk_score(None, 3) is None
    assert rules.risk_level(None) is None


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_probability_outside_1_to_5_is_refused_in_danish(bad):
    with pytest.raises(Invalid) as exc:
        rules.check_raid_values(kind=RaidKind.risk, probability=bad, consequence=3)
    assert exc.value.field == "probability"
    assert exc.value.message == f"Sandsynligheden skal være et helt tal fra 1 til 5 (ikke {bad})."


def test_consequence_is_required_for_a_risk():
    with pytest.raises(Invalid) as exc:
        rules.check_raid_values(kind=RaidKind.risk, probability=3, consequence=None)
    assert exc.value.field == "consequence"
    assert "Konsekvensen skal udfyldes" in exc.value.message


def test_only_risks_have_probability():
    with pytest.raises(Invalid) as exc:
        rules.check_raid_values(kind=RaidKind.assumption, probability=2, consequence=None)
    assert exc.value.field == "probability"
    assert exc.value.message == "Kun en risiko har en sandsynlighed; en antagelse har ingen."
    rules.check_raid_values(kind=RaidKind.issue, probability=None, consequence=None)


def test_review_is_overdue_only_after_the_review_date_and_only_while_open():
    day = date(2013, 3, 1)
    assert not rules.review_overdue(review_date=day, is_open=True, today=day)
    assert rules.review_overdue(review_date=day, is_open=True, today=date(2013, 3, 2))
    assert not rules.review_overdue(review_date=day, is_open=False, today=date(2013, 3, 2))
    assert not rules.review_overdue(review_date=None, is_open=True, today=date(2013, 3, 2))


@dataclass
class Risk:
    id: int
    title: str
    probability: int | None
    consequence: int | None


def test_order_and_heat_matrix():
    risks = [
        Risk(1, "a", 2, 3),
        Risk(2, "b", 3, 5),
        Risk(3, "c", 5, 3),
        Risk(4, "d", 3, 5),
        Risk(5, "e", None, None),
    ]
    ordered = sorted(risks, key=rules.risk_order_key)
    # 15, 15, 15 (consequence 5 before 3, then oldest), 6, none
    assert [r.id for r in ordered] == [2, 4, 3, 1, 5]
    grid = rules.heat_matrix(risks)
    assert grid[2][4].titles == ["b", "d"] and grid[2][4].count == 2
    assert grid[4][2].titles == ["c"] and grid[4][2].level == RiskLevel.high
    assert grid[1][2].count == 1 and grid[1][2].level == RiskLevel.low
    assert sum(cell.count for row in grid for cell in row) == 4


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2013, 1, 15), 1, date(2013, 2, 15)),
        (date(2013, 1, 31), 1, date(2013, 2, 28)),
        (date(2013, 6, 30), 6, date(2013, 12, 31)),
        (date(2013, 2, 28), 1, date(2013, 3, 31)),
        (date(2013, 11, 30), 3, date(2014, 2, 28)),
        (date(2012, 8, 29), 6, date(2013, 2, 28)),
        (date(2013, 12, 31), 12, date(2014, 12, 31)),
    ],
)
def test_add_months_keeps_month_ends(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        (Frequency.weekly, date(2013, 1, 22)),
        (Frequency.monthly, date(2013, 2, 15)),
        (Frequency.quarterly, date(2013, 4, 15)),
        (Frequency.half_yearly, date(2013, 7, 15)),
        (Frequency.yearly, date(2014, 1, 15)),
    ],
)
def test_next_due_date_per_frequency(frequency, expected):
    assert rules.next_due_date(frequency=frequency, since=date(2013, 1, 15)) == expected


def _due(today, last=None, target=None, frequency=Frequency.monthly):
    return rules.measurement_due(
        frequency=frequency,
        baseline_date=date(2013, 1, 15),
        last_measured=last,
        target_date=target,
        today=today,
    )


def test_a_measurement_is_missing_the_day_after_it_was_due():
    assert _due(date(2013, 2, 7)).state == DueState.ok
    assert _due(date(2013, 2, 8)).state == DueState.due_soon
    on_the_day = _due(date(2013, 2, 15))
    assert on_the_day.state == DueState.due_soon and not on_the_day.missing
    late = _due(date(2013, 2, 16))
    assert late.missing and late.days_overdue == 1 and late.next_due_date == date(2013, 2, 15)
    assert late.label == "Måling mangler" and late.badge == "red"


def test_the_next_due_date_counts_from_the_last_measurement():
    due = _due(date(2013, 4, 1), last=date(2013, 3, 20))
    assert due.next_due_date == date(2013, 4, 20) and due.state == DueState.ok


def test_nothing_is_due_after_the_target_date():
    assert _due(date(2014, 1, 1), last=date(2013, 6, 1), target=date(2013, 7, 1)).missing
    finished = _due(date(2014, 1, 1), last=date(2013, 6, 1), target=date(2013, 6, 30))
    assert finished.state == DueState.finished and finished.next_due_date is None
    exactly = _due(date(2014, 1, 1), last=date(2013, 6, 1), target=date(2013, 7, 1))
    assert exactly.next_due_date == date(2013, 7, 1)


def test_weekly_measurements_are_announced_two_days_ahead():
    assert _due(date(2013, 1, 19), frequency=Frequency.weekly).state == DueState.ok
    assert _due(date(2013, 1, 20), frequency=Frequency.weekly).state == DueState.due_soon
    assert _due(date(2013, 1, 23), frequency=Frequency.weekly).missing


def _progress(
    value,
    *,
    on=date(2013, 7, 1),
    today=date(2013, 7, 15),
    direction=Direction.higher_is_better,
    baseline=Decimal("0"),
    target=Decimal("40"),
    target_date=date(2013, 12, 31),
):
    return rules.progress(
        direction=direction,
        baseline_value=baseline,
        baseline_date=date(2013, 1, 1),
        target_value=target,
        target_date=target_date,
        latest=None if value is None else (on, Decimal(value)),
        today=today,
    )


def test_progress_against_target_and_direction():
    assert _progress(None) == Progress.no_data
    assert _progress("40") == Progress.reached
    # Half-way in time (1.7 of a year to 31.12) the straight line is at about 20.
    assert _progress("21") == Progress.on_track
    assert _progress("15") == Progress.behind
    assert _progress("39", today=date(2014, 1, 1)) == Progress.missed
    assert _progress("10", target=None) == Progress.no_target
    assert _progress("10", baseline=None) == Progress.behind
    lower = {
        "direction": Direction.lower_is_better,
        "baseline": Decimal("148"),
        "target": Decimal("120"),
    }
    assert _progress("119", **lower) == Progress.reached
    assert _progress("130", **lower) == Progress.on_track
    assert _progress("146", **lower) == Progress.behind


def test_a_measurement_before_the_baseline_or_in_the_future_is_refused():
    baseline, today = date(2013, 1, 1), date(2013, 6, 1)
    rules.check_measurement_date(measured_date=baseline, baseline_date=baseline, today=today)
    with pytest.raises(Invalid) as exc:
        rules.check_measurement_date(
            measured_date=date(2012, 12, 31), baseline_date=baseline, today=today
        )
    assert exc.value.field == "measured_date"
    assert "Målingens dato (31.12.2012) ligger før indikatorens basisdato (01.01.2013)" in (
        exc.value.message
    )
    with pytest.raises(Invalid) as exc:
        rules.check_measurement_date(
            measured_date=date(2013, 6, 2), baseline_date=baseline, today=today
        )
    assert "ligger efter i dag (01.06.2013)" in exc.value.message


def test_target_date_must_follow_the_baseline():
    with pytest.raises(Invalid) as exc:
        rules.check_indicator_dates(
            baseline_date=date(2013, 1, 1), target_date=date(2013, 1, 1), first_measured=None
        )
    assert exc.value.field == "target_date"


def test_unknown_frequency_is_named_in_danish():
    with pytest.raises(ValidationError) as exc:
        IndicatorCreate.model_validate(
            {"name": "Tilfredshed", "baseline_date": "2013-01-01", "frequency": "daily"}
        )
    error = exc.value.errors()[0]
    assert error["loc"] == ("frequency",)
    assert "Hyppigheden »daily« er ukendt" in error["msg"]
    assert "halvårlig (half_yearly)" in error["msg"]


def test_the_trend_compares_the_latest_measurement_with_the_one_before():
    assert rules.trend([]) is None and rules.trend([Decimal("3")]) is None
    assert rules.trend([Decimal("1"), Decimal("5"), Decimal("4")]) == rules.Trend.down
    assert rules.trend([Decimal("4"), Decimal("4.5")]) == rules.Trend.up
    assert rules.trend([Decimal("4"), Decimal("4.000")]) == rules.Trend.flat
    assert rules.TREND_LABELS[rules.Trend.flat] == "Uændret"
