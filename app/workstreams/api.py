"""API of tasks, milestones, the groups' plans with their approval, and plan compliance."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from app.clock import today
from app.deps import GroupWorker, ProjectAccess, ProjectLeader, SessionDep
from app.governance.bodies import get_group
from app.governance.models import MeetingCounterpart
from app.governance.permissions import PlanApprover
from app.inputs import AsOf, Day
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion
from app.workstreams import compliance as compliance_service
from app.workstreams import milestones, plans, progress, references, tasks
from app.workstreams.baselines import diff, snapshot_of
from app.workstreams.models import MilestoneStatus, Plan, PlanStatus, PlanVersion, TaskStatus
from app.workstreams.schemas import (
    CompliancePublic,
    GroupSettingPublic,
    GroupSettingUpdate,
    MilestoneCreate,
    MilestonePublic,
    MilestoneUpdate,
    PlanChangePublic,
    PlanCreate,
    PlanDecisionIn,
    PlanDetail,
    PlanPublic,
    PlanSubmit,
    PlanUpdate,
    PlanVersionDetail,
    PlanVersionPublic,
    ProgressEntryCreate,
    ProgressEntryPublic,
    TaskCreate,
    TaskPublic,
    TaskUpdate,
)

router = APIRouter(prefix="/api", tags=["planer og opgaver"])

TASKS = "/projects/{project_id}/tasks"
MILESTONES = "/projects/{project_id}/milestones"
PLANS = "/projects/{project_id}/plans"


# Tasks


def task_public(view: tasks.TaskView) -> TaskPublic:
    """The task's columns as stored, with what its view adds (names, dependencies, baseline)."""
    t = view.task
    return TaskPublic(
        **t.model_dump(),
        group_name=view.group_name,
        anchored=t.group_id is not None,
        number=view.number,
        level=view.level,
        children=view.children,
        rolled_up=view.rolled_up,
        owner_name=view.owner_name,
        overdue=view.overdue,
        depends_on=view.depends_on,
        baseline_start_date=view.baseline_start_date,
        baseline_due_date=view.baseline_due_date,
    )


@router.get(TASKS, response_model=list[TaskPublic])
def list_tasks(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    group_id: int | None = None,
    unanchored: Annotated[bool, Query(description="Kun opgaver uden gruppe")] = False,
    status: TaskStatus | None = None,
    owner_person_id: int | None = None,
    overdue: Annotated[bool, Query(description="Kun forfaldne opgaver")] = False,
    period_start: Day | None = None,
    period_end: Day | None = None,
    as_of: AsOf = None,
) -> list[TaskPublic]:
    """The project's tasks, filtered and paginated (total in the X-Total-Count header)."""
    on = as_of or today()
    views, total = tasks.list_tasks(
        session=session,
        project_id=access.project_id,
        group_id=group_id,
        unanchored=unanchored,
        status=status,
        owner_person_id=owner_person_id,
        overdue_on=on if overdue else None,
        period_start=period_start,
        period_end=period_end,
        offset=page.offset,
        limit=page.limit,
        on=on,
    )
    page.answer(total)
    return [task_public(v) for v in views]


@router.post(TASKS, response_model=TaskPublic, status_code=201)
def create_task(data: TaskCreate, access: GroupWorker, session: SessionDep) -> TaskPublic:
    """Create a task; a group member only in their own group."""
    task = tasks.create_task(session=session, by=access, data=data)
    return task_public(
        tasks.task_view(session=session, project_id=access.project_id, task_id=task.id or 0)
    )


@router.get(TASKS + "/{task_id}", response_model=TaskPublic)
def get_task(
    task_id: int, access: ProjectAccess, session: SessionDep, as_of: AsOf = None
) -> TaskPublic:
    """One task with its dependencies and baseline dates."""
    return task_public(
        tasks.task_view(session=session, project_id=access.project_id, task_id=task_id, on=as_of)
    )


@router.patch(TASKS + "/{task_id}", response_model=TaskPublic)
def update_task(
    task_id: int, data: TaskUpdate, access: GroupWorker, session: SessionDep
) -> TaskPublic:
    """Change a task; an outdated `version` answers 409."""
    tasks.update_task(session=session, by=access, task_id=task_id, data=data)
    return task_public(
        tasks.task_view(session=session, project_id=access.project_id, task_id=task_id)
    )


@router.delete(TASKS + "/{task_id}", status_code=204)
def delete_task(
    task_id: int, access: GroupWorker, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete a task with its dependencies and log; a task with sub-tasks answers 409."""
    tasks.delete_task(session=session, by=access, task_id=task_id, version=expected)
    return Response(status_code=204)


@router.get(TASKS + "/{task_id}/log", response_model=list[ProgressEntryPublic])
def task_log(
    task_id: int,
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
) -> list[ProgressEntryPublic]:
    """A task's progress log, newest first."""
    entries, total = progress.list_entries(
        session=session,
        project_id=access.project_id,
        task_id=task_id,
        offset=page.offset,
        limit=page.limit,
    )
    page.answer(total)
    return [ProgressEntryPublic.model_validate(e, from_attributes=True) for e in entries]


@router.post(TASKS + "/{task_id}/log", response_model=ProgressEntryPublic, status_code=201)
def log_progress(
    task_id: int, data: ProgressEntryCreate, access: GroupWorker, session: SessionDep
) -> ProgressEntryPublic:
    """Log progress on a task, optionally with its new status and progress."""
    entry = progress.log_progress(session=session, by=access, task_id=task_id, data=data)
    return ProgressEntryPublic.model_validate(entry, from_attributes=True)


# Milestones


def milestone_public(view: milestones.MilestoneView) -> MilestonePublic:
    """The milestone's columns as stored, with its baseline, slippage and health."""
    return MilestonePublic(
        **view.milestone.model_dump(),
        group_name=view.group_name,
        baseline_date=view.baseline_date,
        expected_date=view.expected_date,
        slippage_days=view.slippage_days,
        slippage_weeks=view.slippage_weeks,
        health=view.health,
        health_label=view.health_label,
    )


@router.get(MILESTONES, response_model=list[MilestonePublic])
def list_milestones(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    group_id: int | None = None,
    project_wide: Annotated[bool, Query(description="Kun milepæle for hele projektet")] = False,
    status: MilestoneStatus | None = None,
    period_start: Day | None = None,
    period_end: Day | None = None,
    as_of: AsOf = None,
) -> list[MilestonePublic]:
    """The project's milestones with slippage against the baseline, by planned date."""
    views, total = milestones.list_milestones(
        session=session,
        project_id=access.project_id,
        group_id=group_id,
        project_wide=project_wide,
        status=status,
        period_start=period_start,
        period_end=period_end,
        offset=page.offset,
        limit=page.limit,
        on=as_of,
    )
    page.answer(total)
    return [milestone_public(v) for v in views]


@router.post(MILESTONES, response_model=MilestonePublic, status_code=201)
def create_milestone(
    data: MilestoneCreate, access: GroupWorker, session: SessionDep
) -> MilestonePublic:
    """Create a milestone for a group, or (project leader) for the whole project."""
    m = milestones.create_milestone(session=session, by=access, data=data)
    return milestone_public(
        milestones.milestone_view(
            session=session, project_id=access.project_id, milestone_id=m.id or 0
        )
    )


@router.get(MILESTONES + "/{milestone_id}", response_model=MilestonePublic)
def get_milestone(
    milestone_id: int, access: ProjectAccess, session: SessionDep, as_of: AsOf = None
) -> MilestonePublic:
    """One milestone with its baseline and slippage."""
    return milestone_public(
        milestones.milestone_view(
            session=session, project_id=access.project_id, milestone_id=milestone_id, on=as_of
        )
    )


@router.patch(MILESTONES + "/{milestone_id}", response_model=MilestonePublic)
def update_milestone(
    milestone_id: int, data: MilestoneUpdate, access: GroupWorker, session: SessionDep
) -> MilestonePublic:
    """Change a milestone (e.g. its forecast); an outdated `version` answers 409."""
    milestones.update_milestone(session=session, by=access, milestone_id=milestone_id, data=data)
    return milestone_public(
        milestones.milestone_view(
            session=session, project_id=access.project_id, milestone_id=milestone_id
        )
    )


@router.delete(MILESTONES + "/{milestone_id}", status_code=204)
def delete_milestone(
    milestone_id: int, access: GroupWorker, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete a milestone."""
    milestones.delete_milestone(
        session=session, by=access, milestone_id=milestone_id, version=expected
    )
    return Response(status_code=204)


# Plans


def plan_public(plan: Plan, group_name: str, versions: list[PlanVersion]) -> PlanPublic:
    baseline = plans.baseline_version(versions)
    return PlanPublic(
        **plan.model_dump(),
        group_name=group_name,
        current_version=versions[-1].number if versions else 0,
        baseline_version=baseline.number if baseline else None,
        versions=[PlanVersionPublic.model_validate(v, from_attributes=True) for v in versions],
    )


def plan_detail(session: Session, *, project_id: int, plan_id: int) -> PlanDetail:
    plan = plans.get_plan(session=session, project_id=project_id, plan_id=plan_id)
    group_name = references.group_names(session=session, ids={plan.group_id}).get(plan.group_id)
    versions = plans.versions_of(session=session, plan_ids=[plan_id])[plan_id]
    baseline = plans.baseline_version(versions)
    changes = diff(baseline.snapshot, snapshot_of(session=session, plan=plan)) if baseline else []
    summary = plan_public(plan, group_name or "", versions)
    return PlanDetail(
        **summary.model_dump(exclude={"versions"}),
        versions=[PlanVersionDetail.model_validate(v, from_attributes=True) for v in versions],
        changes_since_baseline=[PlanChangePublic(**vars(c)) for c in changes],
    )


@router.get(PLANS, response_model=list[PlanPublic])
def list_plans(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    status: PlanStatus | None = None,
    group_id: int | None = None,
) -> list[PlanPublic]:
    """The groups' plans with their versions (without snapshots), in group order."""
    rows, total = plans.list_plans(
        session=session,
        project_id=access.project_id,
        status=status,
        group_id=group_id,
        offset=page.offset,
        limit=page.limit,
    )
    page.answer(total)
    return [plan_public(p, g.name, v) for p, g, v in rows]


@router.post(PLANS, response_model=PlanDetail, status_code=201)
def create_plan(data: PlanCreate, access: GroupWorker, session: SessionDep) -> PlanDetail:
    """Start a group's plan (version 1, a draft); a group has one plan."""
    plan = plans.create_plan(session=session, by=access, data=data)
    return plan_detail(session, project_id=access.project_id, plan_id=plan.id or 0)


@router.get(PLANS + "/{plan_id}", response_model=PlanDetail)
def get_plan(plan_id: int, access: ProjectAccess, session: SessionDep) -> PlanDetail:
    """A plan with every version's snapshot and the changes since the approved baseline."""
    return plan_detail(session, project_id=access.project_id, plan_id=plan_id)


@router.patch(PLANS + "/{plan_id}", response_model=PlanDetail)
def update_plan(
    plan_id: int, data: PlanUpdate, access: GroupWorker, session: SessionDep
) -> PlanDetail:
    """Change the draft's text, or make a new draft with `status: "draft"`. An approved version
    cannot be changed (409)."""
    plans.update_plan(session=session, by=access, plan_id=plan_id, data=data)
    return plan_detail(session, project_id=access.project_id, plan_id=plan_id)


@router.delete(PLANS + "/{plan_id}", status_code=204)
def delete_plan(
    plan_id: int, access: GroupWorker, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete a plan that has never been submitted."""
    plans.delete_plan(session=session, by=access, plan_id=plan_id, version=expected)
    return Response(status_code=204)


@router.post(PLANS + "/{plan_id}/submit", response_model=PlanDetail)
def submit_plan(
    plan_id: int, data: PlanSubmit, access: GroupWorker, session: SessionDep
) -> PlanDetail:
    """Submit the draft for approval; its tasks and milestones are frozen."""
    plans.submit(session=session, by=access, plan_id=plan_id, data=data)
    return plan_detail(session, project_id=access.project_id, plan_id=plan_id)


@router.post(PLANS + "/{plan_id}/approve", response_model=PlanDetail)
def approve_plan(
    plan_id: int, data: PlanDecisionIn, access: PlanApprover, session: SessionDep
) -> PlanDetail:
    """The approving body approves the submitted version (recorded in its decision log); a
    member of that body or a »Styregruppemedlem« decides."""
    plans.approve(session=session, by=access, plan_id=plan_id, data=data)
    return plan_detail(session, project_id=access.project_id, plan_id=plan_id)


@router.post(PLANS + "/{plan_id}/return", response_model=PlanDetail)
def return_plan(
    plan_id: int, data: PlanDecisionIn, access: PlanApprover, session: SessionDep
) -> PlanDetail:
    """The approving body sends the submitted version back with its comments (required)."""
    plans.return_plan(session=session, by=access, plan_id=plan_id, data=data)
    return plan_detail(session, project_id=access.project_id, plan_id=plan_id)


# Plan compliance and meeting rules


def compliance_public(item: compliance_service.GroupCompliance) -> CompliancePublic:
    baseline = item.baseline
    return CompliancePublic(
        group_id=item.group.id or 0,
        group_name=item.group.name,
        level=item.level,
        label=item.label,
        problems=item.problems,
        plan_id=item.plan.id if item.plan else None,
        plan_status=item.plan.status if item.plan else None,
        baseline_version=baseline.number if baseline else None,
        overdue_tasks=item.overdue_tasks,
        blocked_tasks=item.blocked_tasks,
        slipped_milestones=item.slipped_milestones,
        unapproved_changes=item.unapproved_changes,
        last_meeting_date=item.last_meeting_date,
        meeting_interval_days=item.meeting_interval_days,
        meeting_overdue=item.meeting_overdue,
    )


@router.get("/projects/{project_id}/plan-compliance", response_model=list[CompliancePublic])
def plan_compliance(
    access: ProjectAccess, session: SessionDep, page: PageOf, as_of: AsOf = None
) -> list[CompliancePublic]:
    """Per group: approved plan?, overdue tasks, milestones slipped since the baseline, and
    whether it has met the project management as often as its rule says."""
    return [
        compliance_public(c)
        for c in page.slice(
            compliance_service.compliance(session=session, project_id=access.project_id, on=as_of)
        )
    ]


def _setting_public(session: Session, *, project_id: int, group_id: int) -> GroupSettingPublic:
    items = compliance_service.compliance(session=session, project_id=project_id, group_id=group_id)
    if not items:
        get_group(session=session, project_id=project_id, group_id=group_id)
    item = items[0]
    return GroupSettingPublic(
        group_id=group_id,
        meeting_interval_days=item.meeting_interval_days,
        last_meeting_date=item.last_meeting_date,
        next_meeting_due_date=item.next_meeting_due_date,
        # This route is the rule against the project management; the others are on the body.
        meeting_overdue=any(
            r.overdue for r in item.rules if r.counterpart == MeetingCounterpart.project_management
        ),
        version=item.setting_version,
    )


@router.get("/projects/{project_id}/group-settings/{group_id}", response_model=GroupSettingPublic)
def get_group_setting(
    group_id: int, access: ProjectAccess, session: SessionDep
) -> GroupSettingPublic:
    """A group's meeting rule against the project management and when it last met it (any
    body, any counterpart: /bodies/{body_id}/meeting-rules)."""
    return _setting_public(session, project_id=access.project_id, group_id=group_id)


@router.patch("/projects/{project_id}/group-settings/{group_id}", response_model=GroupSettingPublic)
def update_group_setting(
    group_id: int, data: GroupSettingUpdate, access: ProjectLeader, session: SessionDep
) -> GroupSettingPublic:
    """Set how often the group must at least meet the project management (project leader)."""
    compliance_service.set_meeting_rule(session=session, by=access, group_id=group_id, data=data)
    return _setting_public(session, project_id=access.project_id, group_id=group_id)
