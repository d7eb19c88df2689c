"""Dated organisation changes: who joined or left which body, a new role, a body set up or
closed, or a change written by hand — each with the day it takes effect (»Gælder fra«), in the
past or the future. The membership service records its changes here in its own transaction;
the project leader registers the others by hand and may delete those again. Pages, the API, the
status report and the project document read them through this module."""

from datetime import date

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.clock import today
from app.db import project_row
from app.errors import Conflict, Invalid
from app.governance.models import (
    BODY_KIND_LABELS,
    MEMBER_ROLE_LABELS,
    Body,
    ChangeKind,
    MemberRole,
    OrganisationChange,
    Person,
)
from app.governance.people import person_in_project
from app.governance.schemas import OrganisationChangeCreate


def record_change(
    *,
    session: Session,
    by: Access,
    kind: ChangeKind,
    effective_date: date | None,
    body: Body | None,
    person: Person | None = None,
    description: str,
    manual: bool = False,
) -> OrganisationChange:
    """Add a change to the caller's transaction (no commit: the caller's write and its change
    are one use case). Without a date it takes effect today. A change registered by hand is
    audited here; one that follows from another write (a member added, a body set up) is part
    of that write, and of its one audit record."""
    change = OrganisationChange(
        project_id=by.project_id,
        effective_date=effective_date or today(),
        kind=kind,
        body_id=body.id if body else None,
        body_name=body.name if body else "",
        person_id=person.id if person else None,
        person_name=person.name if person else "",
        description=description,
        manual=manual,
        created_by_id=by.user.id,
        created_by_name=getattr(by.user, "username", ""),
    )
    session.add(change)
    session.flush()
    if manual:
        audit.log(session=session, by=by, action="created", row=change)
    return change


# The texts of the changes the membership service records ------------------------------------


def _role(role: MemberRole) -> str:
    return MEMBER_ROLE_LABELS[role].lower()


def joined_text(person: Person, role: MemberRole, condition: str = "") -> str:
    """»Anne Andersen indtræder som formand.« (an ad hoc member with its condition)."""
    ad_hoc = f" (tilkobles, {condition})" if role == MemberRole.ad_hoc and condition else ""
    return f"{person.name} indtræder som {_role(role)}{ad_hoc}."


def left_text(person: Person, role: MemberRole) -> str:
    return f"{person.name} udtræder (var {_role(role)})."


def role_text(person: Person, before: MemberRole, after: MemberRole) -> str:
    return f"{person.name} skifter rolle fra {_role(before)} til {_role(after)}."


def body_created_text(body: Body) -> str:
    return f"{body.name} oprettes ({BODY_KIND_LABELS[body.kind].lower()})."


def body_removed_text(body: Body) -> str:
    return f"{body.name} nedlægges."


def note_body(
    *,
    session: Session,
    by: Access,
    body: Body,
    kind: ChangeKind,
    effective_date: date | None = None,
) -> OrganisationChange:
    """The change of a body set up (`body_created`) or closed (`body_removed`), in the caller's
    transaction; for app.governance.bodies' create and delete (before the delete's flush)."""
    text = body_created_text(body) if kind == ChangeKind.body_created else body_removed_text(body)
    return record_change(
        session=session,
        by=by,
        kind=kind,
        effective_date=effective_date,
        body=body,
        description=text,
    )


# Reading -------------------------------------------------------------------------------------


def list_changes(
    *,
    session: Session,
    project_id: int,
    body_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[OrganisationChange], int]:
    """A page of the project's changes, newest first (optionally of one body, taking effect from
    `start` to `end`, both included), with the total."""
    query = select(OrganisationChange).where(OrganisationChange.project_id == project_id)
    if body_id is not None:
        query = query.where(OrganisationChange.body_id == body_id)
    if start is not None:
        query = query.where(col(OrganisationChange.effective_date) >= start)
    if end is not None:
        query = query.where(col(OrganisationChange.effective_date) <= end)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(
            col(OrganisationChange.effective_date).desc(), col(OrganisationChange.id).desc()
        )
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def changes_between(
    *, session: Session, project_id: int, start: date, end: date
) -> list[OrganisationChange]:
    """The changes taking effect from `start` to `end` (both included), oldest first (a status
    report's organisation changes of its period)."""
    return list(
        session.exec(
            select(OrganisationChange)
            .where(
                OrganisationChange.project_id == project_id,
                col(OrganisationChange.effective_date) >= start,
                col(OrganisationChange.effective_date) <= end,
            )
            .order_by(col(OrganisationChange.effective_date), col(OrganisationChange.id))
        ).all()
    )


def get_change(
    *, session: Session, project_id: int, change_id: int, lock: bool = False
) -> OrganisationChange:
    """A change of this project, or NotFound."""
    return project_row(
        OrganisationChange,
        change_id,
        session=session,
        project_id=project_id,
        missing="Ændringen findes ikke i dette projekt.",
        lock=lock,
    )


# Changes written by hand -----------------------------------------------------------------------


def create_change(
    *, session: Session, by: Access, data: OrganisationChangeCreate
) -> OrganisationChange:
    """Register a change by hand (»Ny projektleder pr. 1.3.2013«): its day, body, person, text."""
    body = None
    if data.body_id is not None:
        # Not app.governance.bodies' helper: bodies records its changes here (no import cycle).
        body = project_row(
            Body,
            data.body_id,
            session=session,
            project_id=by.project_id,
            missing="Organet findes ikke i dette projekt.",
            field="body_id",
        )
    person = person_in_project(session=session, project_id=by.project_id, person_id=data.person_id)
    description = data.description.strip()
    if not description:
        raise Invalid("Beskriv ændringen.", field="description")
    change = record_change(
        session=session,
        by=by,
        kind=data.kind,
        effective_date=data.effective_date,
        body=body,
        person=person,
        description=description,
        manual=True,
    )
    session.commit()
    return change


def delete_change(*, session: Session, by: Access, change_id: int) -> None:
    """Delete a change written by hand; one recorded with a membership or a body stays."""
    change = get_change(session=session, project_id=by.project_id, change_id=change_id, lock=True)
    if not change.manual:
        raise Conflict(
            "Ændringen blev registreret, da organisationen blev ændret, og kan ikke slettes. "
            "Kun ændringer, der er registreret i hånden, kan slettes."
        )
    before = audit.snapshot(change)
    session.delete(change)
    audit.log(session=session, by=by, action="deleted", row=change, before=before)
    session.commit()
