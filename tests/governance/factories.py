"""Factories for the organisation's tests: an Access per role, meetings, decisions, areas."""

from datetime import date
from typing import Any

from sqlmodel import Session, func, select

from app.auth.service import Access, access_for
from app.governance.models import Decision, DirectorArea, Meeting, Project
from tests.factories import ProjectWorld


def access(
    session: Session, world: ProjectWorld, name: str, project: Project | None = None
) -> Access:
    """What the world's user `name` may do in the project (the world's project by default)."""
    project = project or world.project
    return access_for(session=session, user=world.users[name], project_id=project.id or 0)


def make_area(session: Session, project: Project, **overrides: Any) -> DirectorArea:
    values: dict[str, Any] = {"name": "Social & Sundhed"} | overrides
    area = DirectorArea(project_id=project.id, **values)
    session.add(area)
    session.commit()
    return area


def make_meeting(session: Session, world: ProjectWorld, **overrides: Any) -> Meeting:
    values: dict[str, Any] = {
        "project_id": world.project.id,
        "body_id": world.steering.id,
        "meeting_date": date(2012, 11, 27),
        "start_time": "13:00",
        "place": "Jobcentret",
    } | overrides
    meeting = Meeting(**values)
    session.add(meeting)
    session.commit()
    return meeting


def make_decision(session: Session, world: ProjectWorld, **overrides: Any) -> Decision:
    project_id = overrides.pop("project_id", world.project.id)
    last = session.exec(
        select(func.max(Decision.number)).where(Decision.project_id == project_id)
    ).one()
    values: dict[str, Any] = {
        "project_id": project_id,
        "number": (last or 0) + 1,
        "body_id": world.steering.id,
        "decision_date": date(2012, 11, 27),
        "title": "En beslutning",
    } | overrides
    values.setdefault("search_text", f"{values['title']}\n{values.get('text', '')}".casefold())
    decision = Decision(**values)
    session.add(decision)
    session.commit()
    return decision
