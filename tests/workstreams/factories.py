"""Factories for the workstreams' tests: tasks, milestones, plans, and a user's access."""

from datetime import date
from typing import Any

from sqlmodel import Session

from app.auth import service as auth
from app.auth.service import Access
from app.governance.models import Body, Meeting
from app.workstreams import milestones, plans, tasks
from app.workstreams.models import Milestone, Plan, Task
from app.workstreams.schemas import (
    MilestoneCreate,
    PlanCreate,
    PlanDecisionIn,
    PlanSubmit,
    TaskCreate,
)
from tests.factories import ProjectWorld

ON = date(2013, 3, 1)


def access(session: Session, world: ProjectWorld, name: str) -> Access:
    """What the world's user `name` may do in the test project."""
    return auth.access_for(
        session=session, user=world.users[name], project_id=world.project.id or 0
    )


def make_task(
    session: Session, world: ProjectWorld, *, by: str = "leader", **overrides: Any
) -> Task:
    values: dict[str, Any] = {
        "title": "Kortlæg arbejdsgange",
        "group_id": world.group_a.id,
        "start_date": date(2013, 1, 7),
        "due_date": date(2013, 2, 28),
    }
    values |= overrides
    return tasks.create_task(
        session=session, by=access(session, world, by), data=TaskCreate(**values), on=ON
    )


def make_milestone(
    session: Session, world: ProjectWorld, *, by: str = "leader", **overrides: Any
) -> Milestone:
    values: dict[str, Any] = {
        "name": "Arbejdsgange godkendt",
        "group_id": world.group_a.id,
        "planned_date": date(2013, 3, 15),
    }
    values |= overrides
    return milestones.create_milestone(
        session=session, by=access(session, world, by), data=MilestoneCreate(**values), on=ON
    )


def make_plan(
    session: Session, world: ProjectWorld, group: Body | None = None, *, by: str = "leader"
) -> Plan:
    group = group or world.group_a
    return plans.create_plan(
        session=session, by=access(session, world, by), data=PlanCreate(group_id=group.id or 0)
    )


def approved_plan(session: Session, world: ProjectWorld, group: Body | None = None) -> Plan:
    """A plan with one task and one milestone, submitted and approved (version 1 = baseline)."""
    group = group or world.group_a
    make_task(session, world, group_id=group.id)
    make_milestone(session, world, group_id=group.id)
    plan = make_plan(session, world, group)
    plans.submit(
        session=session,
        by=access(session, world, "leader"),
        plan_id=plan.id or 0,
        data=PlanSubmit(),
    )
    plans.approve(
        session=session,
        by=access(session, world, "steering"),
        plan_id=plan.id or 0,
        data=PlanDecisionIn(comment="Godkendt som forelagt.", decision_date=ON),
    )
    return plan


def make_meeting(
    session: Session,
    world: ProjectWorld,
    group: Body,
    on: date,
    with_project_management: bool = True,
) -> Meeting:
    meeting = Meeting(
        project_id=world.project.id or 0,
        body_id=group.id or 0,
        meeting_date=on,
        with_project_management=with_project_management,
    )
    session.add(meeting)
    session.commit()
    return meeting
