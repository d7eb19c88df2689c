"""Factories for the reports' tests: a user's access, reports in each state, and a large
generated portfolio of tasks for the Gantt's scale tests."""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from app.auth import service as auth
from app.auth.service import Access
from app.governance.models import Body, BodyKind, Person, Project
from app.reports import service
from app.reports.models import StatusReport
from app.reports.schemas import ApproveIn, StatusReportCreate
from app.workstreams.models import Milestone, Task, TaskDependency, TaskStatus
from tests.factories import ProjectWorld

REPORT_DATE = date(2013, 3, 1)


def access(session: Session, world: ProjectWorld, name: str) -> Access:
    """What the world's user `name` may do in the test project."""
    return auth.access_for(
        session=session, user=world.users[name], project_id=world.project.id or 0
    )


def make_report(session: Session, world: ProjectWorld, **overrides: Any) -> StatusReport:
    values: dict[str, Any] = {
        "period_start_date": date(2012, 12, 1),
        "period_end_date": date(2013, 2, 28),
        "report_date": REPORT_DATE,
        "next_period_end_date": date(2013, 5, 31),
    }
    values |= overrides
    return service.create_report(
        session=session, by=access(session, world, "leader"), data=StatusReportCreate(**values)
    )


def submitted_report(session: Session, world: ProjectWorld, **overrides: Any) -> StatusReport:
    report = make_report(session, world, **overrides)
    return service.submit_report(
        session=session,
        by=access(session, world, "leader"),
        report_id=report.id or 0,
        version=report.version,
    )


def approved_report(session: Session, world: ProjectWorld, **overrides: Any) -> StatusReport:
    report = submitted_report(session, world, **overrides)
    return service.approve_report(
        session=session,
        by=access(session, world, "steering"),
        report_id=report.id or 0,
        data=ApproveIn(comment="Fint"),
    )


def issued_report(session: Session, world: ProjectWorld, **overrides: Any) -> StatusReport:
    report = approved_report(session, world, **overrides)
    return service.issue_report(
        session=session,
        by=access(session, world, "leader"),
        report_id=report.id or 0,
        version=report.version,
        on=date(2013, 3, 4),
    )


def generate_tasks(
    session: Session,
    project: Project,
    *,
    tasks: int,
    groups: int = 4,
    start: date = date(2013, 1, 7),
    seed: int = 7,
) -> list[Body]:
    """Bulk-insert a portfolio: groups, owners, tasks spread over two years with every status,
    chains of dependencies and a milestone per group."""
    rng = random.Random(seed)
    bodies = [
        Body(
            project_id=project.id or 0,
            kind=BodyKind.implementation_group,
            name=f"Genereret gruppe {i + 1}",
            position=10 + i,
        )
        for i in range(groups)
    ]
    session.add_all(bodies)
    owners = [Person(project_id=project.id or 0, name=f"Ejer {i + 1}") for i in range(20)]
    session.add_all(owners)
    session.flush()
    statuses = list(TaskStatus)
    rows = []
    for i in range(tasks):
        first = start + timedelta(days=rng.randrange(0, 700))
        rows.append(
            Task(
                project_id=project.id or 0,
                group_id=bodies[i % groups].id,
                title=f"Opgave {i + 1} i den genererede plan",
                owner_person_id=owners[i % 20].id,
                start_date=first,
                due_date=first + timedelta(days=rng.randrange(5, 90)),
                status=statuses[i % len(statuses)],
                progress=rng.randrange(0, 101),
                blocked_since_date=first
                if statuses[i % len(statuses)] == TaskStatus.blocked
                else None,
            )
        )
    session.add_all(rows)
    session.flush()
    session.add_all(
        TaskDependency(task_id=rows[i].id or 0, depends_on_id=rows[i - 1].id or 0)
        for i in range(1, tasks, 3)
    )
    session.add_all(
        Milestone(
            project_id=project.id or 0,
            group_id=b.id,
            name=f"Milepæl for {b.name}",
            planned_date=start + timedelta(days=60),
        )
        for b in bodies
    )
    session.commit()
    return bodies


@contextmanager
def counted_queries(session: Session) -> Iterator[list[str]]:
    """The SQL statements the session's engine runs inside the block."""
    statements: list[str] = []
    engine = session.get_bind()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
