"""A draft report's composing reads each thing once (issue 24: a draft PDF ≤ 1 s warm at 3,000
tasks): the grants' figures in a fixed number of statements however many grants, the tasks
read once for the lists, the plans' compliance, the Gantt and the next period — and every
figure still from its domain's one function (issue 19)."""

from datetime import date

from sqlmodel import Session

from app.budget import overview
from app.budget.grants import list_grants
from app.reports import content
from app.reports.models import StatusReport
from tests.budget.factories import make_grant, record
from tests.factories import ProjectWorld
from tests.reports.factories import access, counted_queries, generate_tasks, make_report


def test_grant_summaries_are_grant_summary_of_each_grant(
    session: Session, world: ProjectWorld
) -> None:
    leader = access(session, world, "leader")
    first = make_grant(session, leader)
    second = make_grant(session, leader, name="Anden pulje", amount="100000.00")
    record(session, leader, first, amount="2500.00")
    record(session, leader, second, amount="750.00", date="2013-03-01")
    record(session, leader, None, amount="99.00")
    pid = world.project.id or 0
    for on in (date(2013, 2, 20), date(2013, 5, 1)):
        together = overview.grant_summaries(session=session, project_id=pid, as_of=on)
        one_by_one = [
            overview.grant_summary(
                session=session, project_id=pid, grant_id=v.grant.id or 0, as_of=on
            )
            for v in list_grants(session=session, project_id=pid)
        ]
        assert together == one_by_one and len(together) == 2


def _statements(session: Session, report: StatusReport) -> int:
    session.expire_all()
    with counted_queries(session) as seen:
        content.compose(session=session, report=report, made=date(2013, 3, 5))
    return len(seen)


def test_composing_takes_no_statement_per_grant_or_task(
    session: Session, world: ProjectWorld
) -> None:
    leader = access(session, world, "leader")
    record(session, leader, make_grant(session, leader), amount="500.00")
    generate_tasks(session, world.project, tasks=20)
    report = make_report(session, world)
    few = _statements(session, report)
    for i in range(3):
        grant = make_grant(session, leader, name=f"Pulje {i}")
        record(session, leader, grant, amount="1000.00")
    generate_tasks(session, world.project, tasks=200, seed=8)
    assert _statements(session, report) == few


def test_the_report_shows_the_same_figures_as_the_domains_own_pages(
    session: Session, world: ProjectWorld
) -> None:
    leader = access(session, world, "leader")
    grant = make_grant(session, leader)
    record(session, leader, grant, amount="2500.00")
    generate_tasks(session, world.project, tasks=60)
    report = make_report(session, world)
    made = content.compose(session=session, report=report, made=date(2013, 3, 5))
    summary = overview.grant_summary(
        session=session,
        project_id=world.project.id or 0,
        grant_id=grant.id or 0,
        as_of=report.report_date,
    )
    (row,) = made["grants"]
    assert (row["granted_ore"], row["used_ore"], row["remaining_ore"]) == (
        summary.granted_ore,
        summary.used_ore,
        summary.remaining_ore,
    )
