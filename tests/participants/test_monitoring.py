"""The monitoring's figures against a hand-counted fixture, and the small-cell suppression."""

from datetime import date

import pytest

from app.participants import charts
from app.participants.disclosure import HIDDEN, SMALL, cell, share, suppress_series
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.monitoring import (
    NO_GROUP,
    Record,
    build_report,
    periods,
    reporting_date,
    schedule,
)
from app.participants.schemes import SchemeDefinition, apply_definition
from tests.participants.factories import scheme_definition

AS_OF = date(2013, 12, 31)


def _scheme() -> RegistrationScheme:
    scheme = RegistrationScheme(id=1, project_id=1)
    apply_definition(
        scheme, SchemeDefinition.model_validate(scheme_definition(target_groups=["G1", "G2"]))
    )
    return scheme


def _record(scheme, pid, start, group, follow_ups=(), exit=None, hours=None):
    """follow_ups: (date, hours or None); exit: (date, outcome)."""
    p = Participant(
        id=pid,
        project_id=1,
        scheme_id=1,
        code=f"T-{pid}",
        target_group=group,
        start_date=start,
        start_values={} if hours is None else {"hours": hours},
    )
    if exit:
        p.exit_date, p.exit_outcome = exit
    fus = [
        FollowUp(
            id=pid * 10 + i,
            project_id=1,
            participant_id=pid,
            follow_up_date=d,
            values={"development": "Uændret"} | ({} if h is None else {"hours": h}),
        )
        for i, (d, h) in enumerate(follow_ups)
    ]
    return Record(p, scheme, fus)


@pytest.fixture
def records():
    s = _scheme()
    return [
        # A: two follow-ups on time, leaves for a job on the last day of Q3.
        _record(
            s,
            1,
            date(2013, 1, 15),
            "G1",
            [(date(2013, 4, 15), 7), (date(2013, 7, 20), 9)],
            exit=(date(2013, 9, 30), "job"),
            hours=5,
        ),
        # B: first follow-up 29 days late, then none: two missed.
        _record(s, 2, date(2013, 2, 1), "G1", [(date(2013, 5, 30), None)], hours=10),
        # C: drops out before the first follow-up falls due.
        _record(s, 3, date(2013, 4, 10), "G2", exit=(date(2013, 6, 1), "dropout")),
        # D: no target group; one follow-up early, one 15 days late; flex job in December.
        _record(
            s,
            4,
            date(2013, 5, 20),
            None,
            [(date(2013, 8, 10), 4), (date(2013, 11, 25), 6)],
            exit=(date(2013, 12, 20), "flex_job"),
            hours=3,
        ),
        # E: started in Q4, nothing due yet.
        _record(s, 5, date(2013, 11, 1), "G2", hours=12),
        # F: starts after the report date and is not counted.
        _record(s, 6, date(2014, 1, 5), "G2", hours=1),
    ]


def test_quarters_and_months():
    quarters = periods(date(2013, 2, 10), date(2013, 12, 31), "quarter")
    assert [(p.label, p.start, p.end) for p in quarters] == [
        ("1. kvt. 2013", date(2013, 1, 1), date(2013, 3, 31)),
        ("2. kvt. 2013", date(2013, 4, 1), date(2013, 6, 30)),
        ("3. kvt. 2013", date(2013, 7, 1), date(2013, 9, 30)),
        ("4. kvt. 2013", date(2013, 10, 1), date(2013, 12, 31)),
    ]
    months = periods(date(2013, 11, 5), date(2014, 1, 2), "month")
    assert [p.label for p in months] == ["nov. 2013", "dec. 2013", "jan. 2014"]


def test_published_figures_are_as_of_the_last_month_end_on_or_before_the_day():
    assert reporting_date(date(2013, 3, 15)) == date(2013, 2, 28)
    assert reporting_date(date(2013, 3, 31)) == date(2013, 3, 31)
    assert reporting_date(date(2013, 1, 1)) == date(2012, 12, 31)
    assert reporting_date(date(2012, 3, 28)) == date(2012, 2, 29)


def test_follow_up_schedule_matches_each_due_date_with_the_next_follow_up(records):
    a, b, c, d, e, _ = records
    assert [(x.due_date, x.on_time) for x in schedule(a, AS_OF)] == [
        (date(2013, 4, 15), True),
        (date(2013, 7, 15), True),
    ]
    assert [(x.due_date, x.done_date, x.on_time) for x in schedule(b, AS_OF)] == [
        (date(2013, 5, 1), date(2013, 5, 30), False),
        (date(2013, 8, 30), None, False),
        (date(2013, 11, 30), None, False),
    ]
    assert schedule(c, AS_OF) == []
    assert [(x.due_date, x.on_time) for x in schedule(d, AS_OF)] == [
        (date(2013, 8, 20), True),
        (date(2013, 11, 10), False),
    ]
    assert schedule(e, AS_OF) == []
    # Within the grace period a missing follow-up is not counted yet.
    assert len(schedule(b, date(2013, 9, 10))) == 1


def test_totals_per_quarter_against_hand_count(records):
    report = build_report(records, as_of=AS_OF, first=date(2013, 1, 1))
    assert (report.started, report.active, report.exited) == (5, 2, 3)
    assert (report.due, report.on_time) == (7, 3)
    rows = [
        (r.period.label, r.started, r.active, r.exited, r.due, r.on_time) for r in report.over_time
    ]
    assert rows == [
        ("1. kvt. 2013", 2, 2, 0, 0, 0),
        ("2. kvt. 2013", 2, 3, 1, 2, 1),
        ("3. kvt. 2013", 0, 2, 1, 3, 2),
        ("4. kvt. 2013", 1, 2, 1, 2, 0),
    ]


def test_outcomes_groups_and_time_to_placement(records):
    report = build_report(records, as_of=AS_OF)
    assert [(k, n) for k, _label, _placement, n in report.outcomes] == [
        ("job", 1),
        ("flex_job", 1),
        ("dropout", 1),
    ]
    assert [(g.name, g.started, g.active, g.exited, g.placed) for g in report.groups] == [
        ("G1", 2, 1, 1, 1),
        ("G2", 2, 1, 1, 0),
        (NO_GROUP, 1, 0, 1, 1),
    ]
    assert sorted(report.placement_days) == [214, 258]
    assert report.placement_median == 236


def test_hours_over_time(records):
    report = build_report(records, as_of=AS_OF, first=date(2013, 1, 1))
    rows = [(r.people, round(r.average, 2), r.progressed) for r in report.hours]
    assert rows == [(2, 7.5, 0), (3, 6.67, 1), (2, 7.0, 1), (2, 11.0, 0)]


def test_target_group_filter(records):
    report = build_report(records, as_of=AS_OF, target_group="G2")
    assert (report.started, report.active, report.exited) == (2, 1, 1)
    assert build_report(records, as_of=AS_OF, target_group=NO_GROUP).started == 1


def test_cells_of_fewer_than_five_people_are_suppressed_at_the_boundary():
    assert cell(0) == "0"
    assert cell(1) == SMALL
    assert cell(4) == SMALL
    assert cell(5) == "5"
    # From five, counts are published rounded to the nearest 5.
    assert [cell(n) for n in (6, 7, 8, 12, 13)] == ["5", "5", "10", "10", "15"]
    assert cell(1234) == "1.235"


def test_a_single_small_cell_hides_the_next_smallest_so_the_total_does_not_reveal_it():
    assert suppress_series([12, 3, 7, 0]) == ["10", SMALL, HIDDEN, "0"]
    assert suppress_series([12, 3, 2, 7]) == ["10", SMALL, SMALL, "5"]
    assert suppress_series([12, 5, 0]) == ["10", "5", "0"]


def test_a_share_is_hidden_when_its_part_is_small():
    assert share(4, 10) == HIDDEN
    assert share(5, 10) == "50 %"
    assert share(0, 10) == "0 %"
    assert share(2, 4) == SMALL
    assert share(0, 0) == "–"
    # Computed from the published counts, so it tells no more than they do: 5 of 6 is 5 of 5.
    assert share(5, 6) == "100 %"
    assert share(8, 13) == "67 %"
    # Six follow-ups of two people: the share rests on two people.
    assert share(6, 6, people=2) == SMALL and share(6, 6, people=5) == "100 %"


def test_shown_tables_and_charts_never_reveal_small_numbers(records):
    report = build_report(records, as_of=AS_OF, first=date(2013, 1, 1))
    tables = {t.key: t for t in report.tables()}
    assert tables["over_time"].rows[1] == ["2. kvt. 2013", SMALL, SMALL, SMALL, SMALL, SMALL, SMALL]
    assert tables["placement"].rows[1] == ["Median, dage fra start", SMALL]
    assert all(v in (SMALL, HIDDEN, "0", "–") for row in tables["groups"].rows for v in row[1:])
    fig = charts.over_time_figure(report)
    assert [t["name"] for t in fig["data"]] == ["Startet", "Afsluttet", "Aktive ved periodens slut"]
    assert fig["data"][0]["y"] == [None, None, 0, None]
    assert fig["data"][0]["text"] == [SMALL, SMALL, "0", SMALL]
    hours = charts.hours_figure(report)
    assert hours["data"][0]["y"] == [None, None, None, None]


def test_charts_show_numbers_from_five_people():
    s = _scheme()
    many = [_record(s, i, date(2013, 1, 2 + i), "G1", hours=4 + i) for i in range(6)]
    report = build_report(many, as_of=date(2013, 3, 31))
    fig = charts.over_time_figure(report)
    assert fig["data"][0]["y"] == [5] and fig["data"][0]["text"] == ["5"]
    assert charts.hours_figure(report)["data"][0]["y"] == [6.5]
    outcomes = charts.outcomes_figure(report)
    assert outcomes["data"][0]["y"] == [
        "Selvforsørgelse – job",
        "Delvis selvforsørgelse – fleksjob",
        "Frafald",
    ]
