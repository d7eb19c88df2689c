"""Reads of other domains' tables that the charts, reports and dashboards need and that those
domains do not offer: aggregates for collapsed Gantt groups, markers in a window, follow-up
actions due, and one-query-per-kind figures for many projects at once. Read-only."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, case, col, func, select

from app.auth.models import ProjectMember, User
from app.governance.models import (
    Body,
    BodyKind,
    Decision,
    FollowUpAction,
    Meeting,
    Person,
    Project,
)
from app.reports.models import ReportStatus, StatusReport
from app.stakeholders.models import CommunicationAction, ExternalActivity, Stakeholder
from app.workstreams.models import Milestone, Task, TaskDependency, TaskStatus

# Gantt -----------------------------------------------------------------------------------------


@dataclass
class GroupTasks:
    """How many tasks of a group match the filters, per status, their span and progress."""

    group_id: int | None
    counts: dict[str, int] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None
    progress_sum: int = 0
    undated: int = 0  # tasks with neither a start nor a due date

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# A task with neither a start nor a due date: not drawn, listed beside the chart.
UNDATED = col(Task.start_date).is_(None) & col(Task.due_date).is_(None)


def task_filters(
    *,
    project_id: int,
    group_id: int | None = None,
    status: TaskStatus | None = None,
    owner_person_id: int | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE of the Gantt's task filters (a period means tasks that overlap it, as in the
    workstreams' task list)."""
    where: list[ColumnElement[bool]] = [col(Task.project_id) == project_id]
    if group_id is not None:
        where.append(col(Task.group_id) == group_id)
    if status is not None:
        where.append(col(Task.status) == status)
    if owner_person_id is not None:
        where.append(col(Task.owner_person_id) == owner_person_id)
    if period_start is not None:
        where.append(func.coalesce(Task.due_date, Task.start_date, period_start) >= period_start)
    if period_end is not None:
        where.append(func.coalesce(Task.start_date, Task.due_date, period_end) <= period_end)
    return where


def tasks_by_group(
    *, session: Session, where: list[ColumnElement[bool]]
) -> dict[int | None, GroupTasks]:
    """Per group (None: not anchored): counts per status, first and last day, progress (one
    grouped query, whatever the number of tasks)."""
    first = func.min(func.coalesce(Task.start_date, Task.due_date))
    last = func.max(func.coalesce(Task.due_date, Task.start_date))
    undated = func.sum(case((UNDATED, 1), else_=0))
    rows = session.exec(
        # sqlmodel's select() is typed for at most four columns; the rows are typed Any.
        select(  # type: ignore[call-overload]
            Task.group_id, Task.status, func.count(), first, last, func.sum(Task.progress), undated
        )
        .where(*where)
        .group_by(Task.group_id, Task.status)
    ).all()
    result: dict[int | None, GroupTasks] = {}
    for group_id, status, count, start, end, progress, without_dates in rows:
        item = result.setdefault(group_id, GroupTasks(group_id))
        item.counts[str(status.value if hasattr(status, "value") else status)] = count
        item.progress_sum += progress or 0
        item.undated += without_dates or 0
        if start is not None:
            item.start = min(item.start, start) if item.start else start
        if end is not None:
            item.end = max(item.end, end) if item.end else end
    return result


def steering_meetings(
    *, session: Session, project_id: int, start: date, end: date
) -> list[Meeting]:
    """The steering group's meetings from start to end (both included), by date."""
    return list(
        session.exec(
            select(Meeting)
            .join(Body, col(Body.id) == Meeting.body_id)
            .where(
                Meeting.project_id == project_id,
                Body.kind == BodyKind.steering_group,
                col(Meeting.meeting_date) >= start,
                col(Meeting.meeting_date) <= end,
            )
            .order_by(col(Meeting.meeting_date), col(Meeting.id))
        ).all()
    )


def activities_between(
    *, session: Session, project_id: int, start: date, end: date, group_id: int | None = None
) -> list[ExternalActivity]:
    """Dated external activities from start to end, by date (of one group, and those of the
    whole project, when a group is given)."""
    query = select(ExternalActivity).where(
        ExternalActivity.project_id == project_id,
        col(ExternalActivity.activity_date) >= start,
        col(ExternalActivity.activity_date) <= end,
    )
    if group_id is not None:
        query = query.where(
            (col(ExternalActivity.group_id) == group_id) | col(ExternalActivity.group_id).is_(None)
        )
    return list(
        session.exec(
            query.order_by(col(ExternalActivity.activity_date), col(ExternalActivity.id))
        ).all()
    )


def tasks_with_owners(
    *, session: Session, where: list[ColumnElement[bool]], limit: int, undated: bool = False
) -> list[tuple[Task, str | None]]:
    """Tasks matching the filters with their owner's name, by start and due date (one query):
    those with a date, or (`undated`) those with neither a start nor a due date."""
    return list(
        session.exec(
            select(Task, Person.name)
            .outerjoin(Person, col(Person.id) == Task.owner_person_id)
            .where(*where, UNDATED if undated else ~UNDATED)
            .order_by(
                col(Task.start_date).is_(None),
                col(Task.start_date),
                col(Task.due_date),
                col(Task.id),
            )
            .limit(limit)
        ).all()
    )


def dependencies(*, session: Session, task_ids: list[int]) -> dict[int, list[int]]:
    """What each of the tasks depends on (one query)."""
    found: dict[int, list[int]] = defaultdict(list)
    if task_ids:
        for d in session.exec(
            select(TaskDependency)
            .where(col(TaskDependency.task_id).in_(task_ids))
            .order_by(col(TaskDependency.depends_on_id))
        ):
            found[d.task_id].append(d.depends_on_id)
    return found


def milestones_between(
    *,
    session: Session,
    project_id: int,
    group_id: int | None,
    start: date,
    end: date,
    limit: int,
) -> list[Milestone]:
    """Milestones whose planned or expected date falls in the period (as the workstreams'
    milestone list filters a period), of one group or all, by planned date (one query)."""
    expected = func.coalesce(Milestone.actual_date, Milestone.forecast_date, Milestone.planned_date)
    query = select(Milestone).where(
        Milestone.project_id == project_id,
        (expected >= start) | (col(Milestone.planned_date) >= start),
        (expected <= end) | (col(Milestone.planned_date) <= end),
    )
    if group_id is not None:
        query = query.where(Milestone.group_id == group_id)
    return list(
        session.exec(
            query.order_by(col(Milestone.planned_date), col(Milestone.id)).limit(limit)
        ).all()
    )


def communication_between(
    *, session: Session, project_id: int, group_id: int | None, start: date, end: date
) -> list[tuple[CommunicationAction, str]]:
    """Communication actions planned in the period with the stakeholder's name (one query)."""
    query = (
        select(CommunicationAction, Stakeholder.name)
        .join(Stakeholder, col(Stakeholder.id) == CommunicationAction.stakeholder_id)
        .where(
            CommunicationAction.project_id == project_id,
            col(CommunicationAction.planned_date) >= start,
            col(CommunicationAction.planned_date) <= end,
        )
    )
    if group_id is not None:
        query = query.where(CommunicationAction.group_id == group_id)
    return list(
        session.exec(
            query.order_by(col(CommunicationAction.planned_date), col(CommunicationAction.id))
        ).all()
    )


# Meeting pack ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpDue:
    action: FollowUpAction
    decision: Decision
    owner_name: str


def follow_ups_due(*, session: Session, project_id: int, by: date) -> list[FollowUpDue]:
    """Open follow-up actions of the project's decisions that are due by the date, by due date."""
    rows = session.exec(
        select(FollowUpAction, Decision, Person.name)
        .join(Decision, col(Decision.id) == FollowUpAction.decision_id)
        .outerjoin(Person, col(Person.id) == FollowUpAction.owner_person_id)
        .where(
            Decision.project_id == project_id,
            col(FollowUpAction.done_date).is_(None),
            col(FollowUpAction.due_date).is_not(None),
            col(FollowUpAction.due_date) <= by,
        )
        .order_by(col(FollowUpAction.due_date), col(FollowUpAction.id))
    ).all()
    return [FollowUpDue(a, d, name or "") for a, d, name in rows]


# Many projects at once (the dashboard) ---------------------------------------------------------


@dataclass(frozen=True)
class ProjectHead:
    id: int
    name: str
    municipality: str


def _followed(user: User) -> list[ColumnElement[bool]]:
    """The condition on Project.id of the projects a user follows (has a role in; every project
    for an administrator)."""
    if user.is_admin:
        return []
    member_of = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
    return [col(Project.id).in_(member_of)]


def count_followed(*, session: Session, user: User) -> int:
    """How many projects a user follows."""
    return session.exec(select(func.count()).select_from(Project).where(*_followed(user))).one()


def followed_projects(
    *, session: Session, user: User, offset: int, limit: int
) -> list[ProjectHead]:
    """A page of the projects a user follows, by name (only the columns a list shows)."""
    rows = session.exec(
        select(Project.id, Project.name, Project.municipality)
        .where(*_followed(user))
        .order_by(col(Project.name), col(Project.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return [ProjectHead(pid or 0, name, municipality) for pid, name, municipality in rows]


@dataclass(frozen=True)
class IssuedHead:
    """The columns of an issued report that lists and dashboards show (no snapshot, no PDF)."""

    id: int
    project_id: int
    number: int
    period_start_date: date
    period_end_date: date
    report_date: date
    overall_level: str | None
    levels: dict[str, str] | None
    issued_at: object


# sqlmodel's select() is typed for at most four columns: the queries of these nine ignore
# call-overload, and their rows are typed Any.
HEAD_COLUMNS = (
    StatusReport.id,
    StatusReport.project_id,
    StatusReport.number,
    StatusReport.period_start_date,
    StatusReport.period_end_date,
    StatusReport.report_date,
    StatusReport.overall_level,
    StatusReport.levels,
    StatusReport.issued_at,
)


def _head(row: Sequence[Any]) -> IssuedHead:
    values = list(row)
    level = values[6]
    values[6] = level.value if hasattr(level, "value") else level
    return IssuedHead(*values)


def latest_issued(*, session: Session, project_ids: list[int]) -> dict[int, IssuedHead]:
    """The newest issued report of each project (one query)."""
    if not project_ids:
        return {}
    newest = (
        select(StatusReport.project_id, func.max(StatusReport.number).label("number"))
        .where(
            col(StatusReport.project_id).in_(project_ids),
            StatusReport.status == ReportStatus.issued,
        )
        .group_by(col(StatusReport.project_id))
        .subquery()
    )
    rows = session.exec(
        select(*HEAD_COLUMNS).join(  # type: ignore[call-overload]
            newest,
            (col(StatusReport.project_id) == newest.c.project_id)
            & (col(StatusReport.number) == newest.c.number),
        )
    ).all()
    return {row[1]: _head(row) for row in rows}


def issued_reports(
    *, session: Session, user: User, offset: int = 0, limit: int = 20
) -> tuple[list[tuple[IssuedHead, ProjectHead]], int]:
    """Issued reports of the projects a user follows, newest first, each with its project, and
    the total (two queries)."""
    where = (*_followed(user), col(StatusReport.status) == ReportStatus.issued)
    total = session.exec(
        select(func.count()).select_from(StatusReport).join(Project).where(*where)
    ).one()
    rows = session.exec(
        select(StatusReport.project_id, Project.name, Project.municipality, *HEAD_COLUMNS)  # type: ignore[call-overload]
        .join(Project)
        .where(*where)
        .order_by(col(StatusReport.issued_at).desc(), col(StatusReport.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        (_head(head), ProjectHead(project_id, name, municipality))
        for project_id, name, municipality, *head in rows
    ], total
