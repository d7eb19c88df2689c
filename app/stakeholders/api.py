"""API of the stakeholder analysis, the communication plan and the external activities."""

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel

from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.inputs import Day
from app.stakeholders import activities, charts, communication, rules, service
from app.stakeholders.models import Stakeholder
from app.stakeholders.schemas import (
    ActionCreate,
    ActionPublic,
    ActionUpdate,
    ActivityCreate,
    ActivityPublic,
    ActivityUpdate,
    DelegateAdd,
    DelegatePublic,
    PositionPublic,
    StakeholderCreate,
    StakeholderDetail,
    StakeholderPublic,
    StakeholderUpdate,
)
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["interessenter"])


def stakeholder_public(s: Stakeholder) -> StakeholderPublic:
    strategy = rules.strategy_of(s)
    return StakeholderPublic(
        **s.model_dump(exclude={"created_at"}),
        quadrant_strategy=rules.quadrant(influence=s.influence, interest=s.interest),
        strategy=strategy,
        strategy_label=rules.strategy_text(strategy),
    )


def action_public(view: communication.ActionView) -> ActionPublic:
    return ActionPublic(
        **view.action.model_dump(exclude={"project_id"}),
        stakeholder_name=view.stakeholder_name,
        group_name=view.group_name,
        responsible_person_name=view.person_name,
    )


def activity_public(view: activities.ActivityView) -> ActivityPublic:
    return ActivityPublic(
        **view.activity.model_dump(),
        delegates=[
            DelegatePublic(person_id=p.id or 0, name=p.name, title=p.title) for p in view.delegates
        ],
    )


# ---------------------------------------------------------------- stakeholders


@router.get("/projects/{project_id}/stakeholders", response_model=list[StakeholderPublic])
def list_stakeholders(
    access: ProjectAccess, session: SessionDep, page: PageOf
) -> list[StakeholderPublic]:
    """The project's stakeholders with their strategy (derived, or overridden with a reason)."""
    return [
        stakeholder_public(s)
        for s in page.slice(
            service.list_stakeholders(session=session, project_id=access.project_id)
        )
    ]


@router.post(
    "/projects/{project_id}/stakeholders", response_model=StakeholderPublic, status_code=201
)
def create_stakeholder(
    data: StakeholderCreate, access: GroupWorker, session: SessionDep
) -> StakeholderPublic:
    """Add a stakeholder (project leader, or a member of the responsible group)."""
    return stakeholder_public(service.create_stakeholder(session=session, by=access, data=data))


@router.get("/projects/{project_id}/stakeholders/grid")
def stakeholder_grid(access: ProjectAccess, session: SessionDep) -> dict[str, Any]:
    """The influence/interest grid as a Plotly figure (JSON)."""
    return charts.stakeholder_grid(
        service.list_stakeholders(session=session, project_id=access.project_id),
        service.histories(session=session, project_id=access.project_id),
    )


class MovePublic(BaseModel):
    stakeholder_id: int
    stakeholder_name: str
    before: PositionPublic
    after: PositionPublic


@router.get("/projects/{project_id}/stakeholders/moves", response_model=list[MovePublic])
def stakeholder_moves(
    access: ProjectAccess, session: SessionDep, page: PageOf, since: Day | None = None
) -> list[MovePublic]:
    """Who moved on the grid, newest first (optionally only since a date)."""
    return [
        MovePublic(
            stakeholder_id=m.stakeholder.id or 0,
            stakeholder_name=m.stakeholder.name,
            before=PositionPublic.model_validate(m.before, from_attributes=True),
            after=PositionPublic.model_validate(m.after, from_attributes=True),
        )
        for m in page.slice(
            service.moves(session=session, project_id=access.project_id, since=since)
        )
    ]


@router.get(
    "/projects/{project_id}/stakeholders/{stakeholder_id}", response_model=StakeholderDetail
)
def get_stakeholder(
    stakeholder_id: int, access: ProjectAccess, session: SessionDep
) -> StakeholderDetail:
    """One stakeholder with the history of its position (oldest first)."""
    s = service.get_stakeholder(
        session=session, project_id=access.project_id, stakeholder_id=stakeholder_id
    )
    history = [
        PositionPublic.model_validate(p, from_attributes=True)
        for p in service.position_history(session=session, stakeholder_id=stakeholder_id)
    ]
    return StakeholderDetail(**stakeholder_public(s).model_dump(), history=history)


@router.patch(
    "/projects/{project_id}/stakeholders/{stakeholder_id}", response_model=StakeholderPublic
)
def update_stakeholder(
    stakeholder_id: int, data: StakeholderUpdate, access: GroupWorker, session: SessionDep
) -> StakeholderPublic:
    """Change a stakeholder; a new influence, interest or attitude is kept in its history."""
    return stakeholder_public(
        service.update_stakeholder(
            session=session, by=access, stakeholder_id=stakeholder_id, data=data
        )
    )


@router.delete("/projects/{project_id}/stakeholders/{stakeholder_id}", status_code=204)
def delete_stakeholder(
    stakeholder_id: int, access: GroupWorker, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Remove a stakeholder with its history and communication actions."""
    service.delete_stakeholder(
        session=session, by=access, stakeholder_id=stakeholder_id, version=expected
    )
    return Response(status_code=204)


# ---------------------------------------------------------------- communication plan


@router.get(
    "/projects/{project_id}/stakeholders/{stakeholder_id}/actions",
    response_model=list[ActionPublic],
)
def stakeholder_actions(
    stakeholder_id: int, access: ProjectAccess, session: SessionDep, page: PageOf
) -> list[ActionPublic]:
    """The communication actions planned for one stakeholder, by date."""
    service.get_stakeholder(
        session=session, project_id=access.project_id, stakeholder_id=stakeholder_id
    )
    return [
        action_public(v)
        for v in page.slice(
            communication.communication_actions(
                session=session, project_id=access.project_id, stakeholder_id=stakeholder_id
            )
        )
    ]


@router.post(
    "/projects/{project_id}/stakeholders/{stakeholder_id}/actions",
    response_model=ActionPublic,
    status_code=201,
)
def create_action(
    stakeholder_id: int, data: ActionCreate, access: GroupWorker, session: SessionDep
) -> ActionPublic:
    """Plan a communication action for a stakeholder."""
    action = communication.create_action(
        session=session, by=access, stakeholder_id=stakeholder_id, data=data
    )
    return action_public(
        communication.action_view(
            session=session, project_id=access.project_id, action_id=action.id or 0
        )
    )


@router.get("/projects/{project_id}/communication-actions", response_model=list[ActionPublic])
def communication_plan(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    group_id: int | None = None,
    start: Day | None = None,
    end: Day | None = None,
    done: bool | None = None,
) -> list[ActionPublic]:
    """The communication plan, by date; filter by responsible group, period and done."""
    return [
        action_public(v)
        for v in page.slice(
            communication.communication_actions(
                session=session,
                project_id=access.project_id,
                group_id=group_id,
                start=start,
                end=end,
                done=done,
            )
        )
    ]


@router.patch(
    "/projects/{project_id}/communication-actions/{action_id}", response_model=ActionPublic
)
def update_action(
    action_id: int, data: ActionUpdate, access: GroupWorker, session: SessionDep
) -> ActionPublic:
    """Change a communication action, or mark it done."""
    communication.update_action(session=session, by=access, action_id=action_id, data=data)
    return action_public(
        communication.action_view(
            session=session, project_id=access.project_id, action_id=action_id
        )
    )


@router.delete("/projects/{project_id}/communication-actions/{action_id}", status_code=204)
def delete_action(
    action_id: int, access: GroupWorker, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Remove a communication action."""
    communication.delete_action(session=session, by=access, action_id=action_id, version=expected)
    return Response(status_code=204)


# ---------------------------------------------------------------- external activities


@router.get("/projects/{project_id}/activities", response_model=list[ActivityPublic])
def list_activities(
    access: ProjectAccess, session: SessionDep, page: PageOf
) -> list[ActivityPublic]:
    """External networks, seminars and meetings, dated ones first, with their delegates."""
    return [
        activity_public(v)
        for v in page.slice(
            activities.list_activities(session=session, project_id=access.project_id)
        )
    ]


@router.post("/projects/{project_id}/activities", response_model=ActivityPublic, status_code=201)
def create_activity(
    data: ActivityCreate, access: GroupWorker, session: SessionDep
) -> ActivityPublic:
    """Add an external activity; its delegates must be persons of the project, within its limit."""
    activity = activities.create_activity(session=session, by=access, data=data)
    return activity_public(
        activities.get_activity(
            session=session, project_id=access.project_id, activity_id=activity.id or 0
        )
    )


@router.get("/projects/{project_id}/activities/{activity_id}", response_model=ActivityPublic)
def get_activity(activity_id: int, access: ProjectAccess, session: SessionDep) -> ActivityPublic:
    return activity_public(
        activities.get_activity(
            session=session, project_id=access.project_id, activity_id=activity_id
        )
    )


@router.patch("/projects/{project_id}/activities/{activity_id}", response_model=ActivityPublic)
def update_activity(
    activity_id: int, data: ActivityUpdate, access: GroupWorker, session: SessionDep
) -> ActivityPublic:
    """Change an activity; `delegate_ids` replaces its delegates."""
    activities.update_activity(session=session, by=access, activity_id=activity_id, data=data)
    return activity_public(
        activities.get_activity(
            session=session, project_id=access.project_id, activity_id=activity_id
        )
    )


@router.delete("/projects/{project_id}/activities/{activity_id}", status_code=204)
def delete_activity(
    activity_id: int, access: GroupWorker, session: SessionDep, expected: ExpectedVersion
) -> Response:
    activities.delete_activity(
        session=session, by=access, activity_id=activity_id, version=expected
    )
    return Response(status_code=204)


@router.post(
    "/projects/{project_id}/activities/{activity_id}/delegates",
    response_model=ActivityPublic,
    status_code=201,
)
def add_delegate(
    activity_id: int, data: DelegateAdd, access: GroupWorker, session: SessionDep
) -> ActivityPublic:
    """Name one more delegate (refused over the activity's limit)."""
    activities.add_delegate(session=session, by=access, activity_id=activity_id, data=data)
    return activity_public(
        activities.get_activity(
            session=session, project_id=access.project_id, activity_id=activity_id
        )
    )


@router.delete(
    "/projects/{project_id}/activities/{activity_id}/delegates/{person_id}", status_code=204
)
def remove_delegate(
    activity_id: int,
    person_id: int,
    access: GroupWorker,
    session: SessionDep,
    version: int | None = None,
) -> Response:
    """Take a delegate off an activity."""
    activities.remove_delegate(
        session=session, by=access, activity_id=activity_id, person_id=person_id, version=version
    )
    return Response(status_code=204)
