"""A project's schedule as data, for scripts: every task and milestone with ids, ISO dates, its
place in the plan, its baseline and its slippage, and the dependencies between tasks.

The Gantt page draws the same things (app/reports/gantt_data.py) within a window and a limit of
bars; this is the whole plan, unfiltered but for one group, in five queries whatever its size.
Slippage is the workstreams' own: `milestones.describe_milestone` for a milestone, the due
date against the baseline's (`dates.slippage_days`) for a task.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.governance.projects import get_project
from app.workstreams import baselines, hierarchy
from app.workstreams.dates import slippage_days
from app.workstreams.milestones import MilestoneView, describe_milestone
from app.workstreams.models import Milestone, Task, TaskDependency
from app.workstreams.tasks import overdue_days


@dataclass(frozen=True)
class ScheduledTask:
    task: Task
    place: hierarchy.Place | None
    baseline_start: date | None
    baseline_due: date | None
    slippage_days: int | None  # due date against the baseline's; None without both
    overdue_days: int | None
    depends_on: list[int]


@dataclass(frozen=True)
class Schedule:
    as_of: date
    project_start: date | None
    project_end: date | None
    tasks: list[ScheduledTask]
    milestones: list[MilestoneView]


def schedule(*, session: Session, project_id: int, on: date, group_id: int | None) -> Schedule:
    """The project's plan (or one group's) as of `on`, tasks in the plan's tree order."""
    project = get_project(session=session, project_id=project_id)
    task_query = select(Task).where(Task.project_id == project_id)
    milestone_query = select(Milestone).where(Milestone.project_id == project_id)
    if group_id is not None:
        task_query = task_query.where(Task.group_id == group_id)
        milestone_query = milestone_query.where(Milestone.group_id == group_id)
    tasks = list(session.exec(task_query))
    places = hierarchy.load_outline(
        session=session,
        project_id=project_id,
        group_ids=None if group_id is None else [group_id],
    )
    tasks.sort(
        key=lambda t: (t.group_id is None, t.group_id or 0, hierarchy.sort_key(places, t.id))
    )
    depends: dict[int, list[int]] = {}
    dependency_query = (
        select(TaskDependency)
        .join(Task, col(Task.id) == col(TaskDependency.task_id))
        .where(Task.project_id == project_id)
        .order_by(col(TaskDependency.depends_on_id))
    )
    for d in session.exec(dependency_query):
        depends.setdefault(d.task_id, []).append(d.depends_on_id)
    base = baselines.baselines(session=session, project_id=project_id)
    scheduled = []
    for t in tasks:
        b_start, b_due = base.task_dates.get(t.id or 0, (None, None))
        slipped = slippage_days(b_due, t.due_date) if b_due and t.due_date else None
        scheduled.append(
            ScheduledTask(
                task=t,
                place=places.get(t.id or 0),
                baseline_start=b_start,
                baseline_due=b_due,
                slippage_days=slipped,
                overdue_days=overdue_days(t, on=on),
                depends_on=depends.get(t.id or 0, []),
            )
        )
    milestones = [
        describe_milestone(m, baseline=base.milestone_dates.get(m.id or 0), group_name=None, on=on)
        for m in session.exec(
            milestone_query.order_by(col(Milestone.planned_date), col(Milestone.id))
        )
    ]
    return Schedule(on, project.start_date, project.end_date, scheduled, milestones)
