"""The organisation's rows that tasks, milestones and plans refer to (groups, people, the steering
group's meetings and decisions): checked when given in input, named in views, offered in forms."""

from typing import Any

from sqlmodel import Session, col, select

from app.db import project_row
from app.errors import Invalid, NotFound
from app.governance.bodies import PLAN_APPROVER, find_governing_body, get_group
from app.governance.models import Body, Decision, Meeting, Person, Project


def check_group(*, session: Session, project_id: int, group_id: int | None) -> Body | None:
    """The implementation group given in input (none: not anchored), or Invalid."""
    if group_id is None:
        return None
    try:
        return get_group(session=session, project_id=project_id, group_id=group_id)
    except NotFound:
        raise Invalid(
            "Implementeringsgruppen findes ikke i dette projekt.", field="group_id"
        ) from None


def check_person(*, session: Session, project_id: int, person_id: int | None) -> None:
    """Refuse (Invalid) an owner who is not a person of the project."""
    if person_id is None:
        return
    project_row(
        Person,
        person_id,
        session=session,
        project_id=project_id,
        missing="Den ansvarlige person findes ikke i projektet.",
        field="owner_person_id",
    )


def names(
    *, session: Session, model: Any, ids: set[int | None], known: dict[int, str] | None = None
) -> dict[int | None, str]:
    """Names by id; those in `known` are taken from it, the others read in one query."""
    known = known or {}
    found: dict[int | None, str] = {i: known[i] for i in ids if i is not None and i in known}
    wanted = [i for i in ids if i is not None and i not in known]
    if wanted:
        found |= dict(
            session.exec(select(model.id, model.name).where(col(model.id).in_(wanted))).all()
        )
    return found


def group_names(
    *, session: Session, ids: set[int | None], known: dict[int, str] | None = None
) -> dict[int | None, str]:
    """The names of groups by id (see names())."""
    return names(session=session, model=Body, ids=ids, known=known)


def person_names(
    *, session: Session, ids: set[int | None], known: dict[int, str] | None = None
) -> dict[int | None, str]:
    """The names of people by id (see names())."""
    return names(session=session, model=Person, ids=ids, known=known)


def people_choices(*, session: Session, project_id: int) -> list[tuple[int | None, str]]:
    """The project's people by name (with their title), for the forms that pick an owner."""
    query = select(Person.id, Person.name, Person.title).where(Person.project_id == project_id)
    rows = session.exec(query.order_by(Person.name)).all()
    return [(pid, f"{name} ({title})" if title else name) for pid, name, title in rows]


def steering_meetings(*, session: Session, project_id: int) -> list[Meeting]:
    """The meetings of the body that approves plans (the steering group unless the charter names
    another), newest first: where a plan's decision may be taken."""
    project = session.get(Project, project_id)
    approver = project and find_governing_body(session=session, project=project, role=PLAN_APPROVER)
    if approver is None:
        return []
    query = select(Meeting).where(Meeting.project_id == project_id, Meeting.body_id == approver.id)
    return list(session.exec(query.order_by(col(Meeting.meeting_date).desc())).all())


def decisions(*, session: Session, ids: list[int | None]) -> dict[int, Decision]:
    """The decisions by id (their number in the log, and the day they were made)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = session.exec(select(Decision).where(col(Decision.id).in_(wanted)))
    return {d.id: d for d in rows if d.id is not None}
