"""API: a project's schedule as data (`GET /api/projects/{id}/schedule`) — what the Gantt chart
draws, with ids and ISO dates instead of a Plotly figure (app/workstreams/schedule.py)."""

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.clock import today
from app.deps import ProjectAccess, SessionDep
from app.governance.bodies import get_group
from app.inputs import AsOf
from app.workstreams import schedule as service
from app.workstreams.models import MilestoneStatus, TaskStatus

router = APIRouter(prefix="/api", tags=["planer og opgaver"])


class ScheduledTaskPublic(BaseModel):
    id: int
    number: str = Field(description="Nummeret i gruppens plan, f.eks. 1.2.3.")
    level: int
    parent_id: int | None
    group_id: int | None
    title: str
    status: TaskStatus
    progress: int
    start_date: date | None
    due_date: date | None
    baseline_start_date: date | None
    baseline_due_date: date | None
    slippage_days: int | None = Field(
        description="Fristen mod basisplanens frist i dage (positiv er forsinket); null uden begge."
    )
    overdue_days: int | None = Field(description="Dage over fristen pr. as_of; null når ikke.")
    depends_on: list[int]


class ScheduledMilestonePublic(BaseModel):
    id: int
    name: str
    group_id: int | None
    status: MilestoneStatus
    planned_date: date
    baseline_date: date
    expected_date: date
    slippage_days: int
    health: str = Field(description="on_track, at_risk, late, reached, reached_late, cancelled")


class DependencyPublic(BaseModel):
    task_id: int
    depends_on_id: int


class SchedulePublic(BaseModel):
    as_of: date
    project_start_date: date | None
    project_end_date: date | None
    tasks: list[ScheduledTaskPublic]
    milestones: list[ScheduledMilestonePublic]
    dependencies: list[DependencyPublic]


@router.get("/projects/{project_id}/schedule", response_model=SchedulePublic)
def project_schedule(
    access: ProjectAccess, session: SessionDep, as_of: AsOf = None, group_id: int | None = None
) -> SchedulePublic:
    """Every task and milestone of the project (or of one implementation group) with ids, ISO
    dates, the plan's hierarchy, baseline dates and slippage as of `as_of` (default today)."""
    if group_id is not None:
        get_group(session=session, project_id=access.project_id, group_id=group_id)
    plan = service.schedule(
        session=session, project_id=access.project_id, on=as_of or today(), group_id=group_id
    )
    return SchedulePublic(
        as_of=plan.as_of,
        project_start_date=plan.project_start,
        project_end_date=plan.project_end,
        tasks=[
            ScheduledTaskPublic(
                id=s.task.id or 0,
                number=s.place.number if s.place else "",
                level=s.place.level if s.place else 1,
                parent_id=s.task.parent_id,
                group_id=s.task.group_id,
                title=s.task.title,
                status=s.task.status,
                progress=s.task.progress,
                start_date=s.task.start_date,
                due_date=s.task.due_date,
                baseline_start_date=s.baseline_start,
                baseline_due_date=s.baseline_due,
                slippage_days=s.slippage_days,
                overdue_days=s.overdue_days,
                depends_on=s.depends_on,
            )
            for s in plan.tasks
        ],
        milestones=[
            ScheduledMilestonePublic(
                id=v.milestone.id or 0,
                name=v.milestone.name,
                group_id=v.milestone.group_id,
                status=v.milestone.status,
                planned_date=v.milestone.planned_date,
                baseline_date=v.baseline_date,
                expected_date=v.expected_date,
                slippage_days=v.slippage_days,
                health=v.health,
            )
            for v in plan.milestones
        ],
        dependencies=[
            DependencyPublic(task_id=s.task.id or 0, depends_on_id=d)
            for s in plan.tasks
            for d in s.depends_on
        ],
    )
