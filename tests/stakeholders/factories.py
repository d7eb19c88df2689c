"""Factories for stakeholder tests: rows written directly, as a loaded project would have them."""

from datetime import date
from typing import Any

from sqlmodel import Session

from app.governance.models import Project
from app.stakeholders.models import (
    ActivityDelegate,
    ActivityKind,
    Attitude,
    Channel,
    CommunicationAction,
    ExternalActivity,
    Stakeholder,
    StakeholderKind,
    StakeholderPosition,
)
from tests.factories import _next


def make_stakeholder(session: Session, project: Project, **overrides: Any) -> Stakeholder:
    values: dict[str, Any] = {
        "name": f"Interessent {_next()}",
        "kind": StakeholderKind.external,
        "influence": 4,
        "interest": 4,
        "attitude": Attitude.neutral,
    }
    values |= overrides
    stakeholder = Stakeholder(project_id=project.id, **values)
    session.add(stakeholder)
    session.flush()
    session.add(
        StakeholderPosition(
            stakeholder_id=stakeholder.id,
            assessed_date=date(2012, 11, 1),
            influence=stakeholder.influence,
            interest=stakeholder.interest,
            attitude=stakeholder.attitude,
            recorded_by="Test",
        )
    )
    session.commit()
    return stakeholder


def make_action(
    session: Session, stakeholder: Stakeholder, **overrides: Any
) -> CommunicationAction:
    values: dict[str, Any] = {
        "what": f"Orientering {_next()}",
        "channel": Channel.meeting,
        "planned_date": date(2013, 1, 15),
        "group_id": stakeholder.group_id,
    }
    values |= overrides
    action = CommunicationAction(
        project_id=stakeholder.project_id, stakeholder_id=stakeholder.id, **values
    )
    session.add(action)
    session.commit()
    return action


def make_activity(
    session: Session, project: Project, *, delegates: tuple[int, ...] = (), **overrides: Any
) -> ExternalActivity:
    values: dict[str, Any] = {
        "title": f"Netværk {_next()}",
        "kind": ActivityKind.network,
        "organiser": "KL",
    }
    values |= overrides
    activity = ExternalActivity(project_id=project.id, **values)
    session.add(activity)
    session.flush()
    for position, person_id in enumerate(delegates):
        session.add(
            ActivityDelegate(activity_id=activity.id, person_id=person_id, position=position)
        )
    session.commit()
    return activity
