"""The traffic-light rules at their boundaries."""

from app.reports import rag
from app.reports.rag import (
    ActionFact,
    GrantFact,
    Level,
    MilestoneFact,
    PlanFact,
    RiskFact,
    StakeholderFact,
    TaskFact,
    Tolerances,
)

T = Tolerances()


def test_time_is_green_on_plan_amber_when_slipping_red_beyond_four_weeks():
    assert rag.time_level([MilestoneFact("M", 0, True)], T).level == Level.green
    assert rag.time_level([MilestoneFact("M", 1, True)], T).level == Level.amber
    assert rag.time_level([MilestoneFact("M", 28, True)], T).level == Level.amber
    red = rag.time_level([MilestoneFact("M", 29, True)], T)
    assert red.level == Level.red
    assert red.reasons == ["Milepælen »M« er skredet 4,1 uger (tolerance 4 uger)."]


def test_time_ignores_milestones_that_are_reached_or_cancelled():
    assert rag.time_level([MilestoneFact("M", 60, False)], T).level == Level.green


def test_time_tolerance_is_the_reports_own():
    strict = Tolerances(milestone_red_weeks=1)
    assert rag.time_level([MilestoneFact("M", 7, True)], strict).level == Level.amber
    assert rag.time_level([MilestoneFact("M", 8, True)], strict).level == Level.red


def test_a_task_blocked_more_than_two_weeks_is_red():
    approved = [PlanFact("Gruppe A", approved=True)]
    assert rag.deliverables_level([TaskFact("T")], approved, T).level == Level.green
    assert rag.deliverables_level([TaskFact("T", blocked_days=0)], approved, T).level == Level.amber
    assert (
        rag.deliverables_level([TaskFact("T", blocked_days=14)], approved, T).level == Level.amber
    )
    red = rag.deliverables_level([TaskFact("T", blocked_days=15)], approved, T)
    assert red.level == Level.red
    assert "blokeret i 15 dage (tolerance 2 uger)" in red.reasons[0]


def test_a_plan_not_approved_or_with_pending_changes_is_amber():
    missing = rag.deliverables_level([], [PlanFact("Gruppe A", False, state="kladde")], T)
    assert missing.level == Level.amber
    assert missing.reasons == [
        "»Gruppe A« har ingen godkendt tids- og handleplan (planen er kladde)."
    ]
    pending = rag.deliverables_level([], [PlanFact("Gruppe A", True, pending_changes=True)], T)
    assert pending.level == Level.amber


def test_overdue_tasks_are_amber_and_counted():
    found = rag.deliverables_level(
        [TaskFact("A", overdue_days=1), TaskFact("B", overdue_days=3)], [], T
    )
    assert found.level == Level.amber
    assert found.reasons == ["2 opgaver har overskredet slutdatoen, bl.a. »A«."]


def test_economy_red_when_spending_or_forecast_exceeds_the_grant():
    assert rag.economy_level([GrantFact("G", 1000, 1000, 1000)], T).level == Level.green
    assert rag.economy_level([GrantFact("G", 1000, 1001, None)], T).level == Level.red
    over = rag.economy_level([GrantFact("G", 100_000, 500, 100_100)], T)
    assert over.level == Level.red
    # "kr." ends the sentence: no second full stop ("kr..").
    assert over.reasons == [
        "Med det nuværende forbrug bruges 1.001 kr. af »G«, mere end tilskuddet på 1.000 kr."
    ]


def test_economy_amber_when_the_forecast_leaves_more_than_the_tolerance_unused():
    assert rag.economy_level([GrantFact("G", 100_000, 10, 90_000)], T).level == Level.green
    amber = rag.economy_level([GrantFact("G", 100_000, 10, 89_999)], T)
    assert amber.level == Level.amber
    assert amber.reasons == [
        "Med det nuværende forbrug står 100,01 kr. af »G« ubrugt ved "
        "periodens slutning (tolerance 10 %)."
    ]


def test_economy_without_a_forecast_is_green():
    assert rag.economy_level([GrantFact("G", 1000, 0, None)], T).level == Level.green


def test_risks_red_from_fifteen_amber_from_eight():
    assert rag.risks_level([RiskFact("R", 7)], T).level == Level.green
    assert rag.risks_level([RiskFact("R", 8)], T).level == Level.amber
    assert rag.risks_level([RiskFact("R", 14)], T).level == Level.amber
    assert rag.risks_level([RiskFact("R", 15)], T).level == Level.red
    assert rag.risks_level([RiskFact("R", 2, review_overdue=True)], T).level == Level.amber
    assert rag.risks_level([RiskFact("R", None)], T).level == Level.green


def test_stakeholders_late_communication_and_influential_opponents():
    assert rag.stakeholders_level([ActionFact("Brev", 0)], [], T).level == Level.green
    assert rag.stakeholders_level([ActionFact("Brev", 28)], [], T).level == Level.amber
    assert rag.stakeholders_level([ActionFact("Brev", 29)], [], T).level == Level.red
    assert rag.stakeholders_level([], [StakeholderFact("KL", 3, True)], T).level == Level.green
    assert rag.stakeholders_level([], [StakeholderFact("KL", 4, True)], T).level == Level.amber
    assert rag.stakeholders_level([], [StakeholderFact("KL", 5, False)], T).level == Level.green


def test_overall_is_the_worst_light_after_overrides():
    amber = rag.rate("time", "Tid", rag.Assessment(Level.amber, ["x"]), None)
    green = rag.rate("risks", "Risici", rag.Assessment(Level.green), None)
    assert rag.overall([amber, green]).level == Level.amber
    lowered = rag.rate(
        "time",
        "Tid",
        rag.Assessment(Level.amber, ["x"]),
        rag.Override(level=Level.green, justification="Aftalt med Regionen"),
    )
    assert lowered.level == Level.green and lowered.computed == Level.amber and lowered.overridden
    assert rag.overall([lowered, green]).level == Level.green
    assert rag.overall([]).level == Level.green


def test_an_override_of_the_overall_light_wins():
    green = rag.rate("risks", "Risici", rag.Assessment(Level.green), None)
    raised = rag.overall([green], rag.Override(level=Level.red, justification="Politisk sag"))
    assert raised.level == Level.red and raised.computed == Level.green


def test_tolerances_are_stated_in_words():
    texts = rag.tolerance_texts(Tolerances(milestone_red_weeks=6))
    assert texts["time"].startswith("Rød, hvis en milepæl er skredet mere end 6 uger")
    assert set(texts) == set(rag.DIMENSIONS)
