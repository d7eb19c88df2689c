"""The external activities (networks, seminars, meetings) and the persons delegated to them,
within each activity's limit. One commit per use case, at the end; refusals raise first.

Their audit events carry the delegates beside the activity's columns, so all but the deletion are
recorded with `audit.record` and that fuller snapshot."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.service import Access
from app.db import project_row
from app.errors import Invalid, NotFound, check_version, missing, require_version
from app.governance.models import Person
from app.stakeholders import rules
from app.stakeholders.models import ActivityDelegate, ExternalActivity
from app.stakeholders.schemas import ActivityCreate, ActivityUpdate, DelegateAdd
from app.stakeholders.service import check_group, check_person, group_name, require_group_editor

NOT_FOUND = "Aktiviteten findes ikke i dette projekt."
_ACTIVITY_TEXT = {"start_time", "place", "theme", "audience", "limit_note"}


@dataclass(frozen=True)
class ActivityView:
    """An external activity with its delegates (persons of the project), in the order named."""

    activity: ExternalActivity
    delegates: list[Person]
    group_name: str


def list_activities(*, session: Session, project_id: int) -> list[ActivityView]:
    """The external activities, dated ones by date first, then those not yet dated."""
    activities = session.exec(
        select(ExternalActivity).where(ExternalActivity.project_id == project_id)
    ).all()
    ordered = sorted(
        activities, key=lambda a: (a.activity_date is None, a.activity_date or date.min, a.id or 0)
    )
    return [_activity_view(session=session, activity=a) for a in ordered]


def _activity_view(*, session: Session, activity: ExternalActivity) -> ActivityView:
    delegates = session.exec(
        select(Person)
        .join(ActivityDelegate, col(ActivityDelegate.person_id) == Person.id)
        .where(ActivityDelegate.activity_id == activity.id)
        .order_by(col(ActivityDelegate.position), col(ActivityDelegate.id))
    ).all()
    return ActivityView(
        activity=activity,
        delegates=list(delegates),
        group_name=group_name(session=session, group_id=activity.group_id),
    )


def get_activity(*, session: Session, project_id: int, activity_id: int) -> ActivityView:
    """An external activity of this project with its delegates, or NotFound."""
    activity = project_row(
        ExternalActivity, activity_id, session=session, project_id=project_id, missing=NOT_FOUND
    )
    return _activity_view(session=session, activity=activity)


def _delegate_ids(*, session: Session, activity_id: int) -> list[int]:
    return list(
        session.exec(
            select(ActivityDelegate.person_id)
            .where(ActivityDelegate.activity_id == activity_id)
            .order_by(col(ActivityDelegate.position), col(ActivityDelegate.id))
        ).all()
    )


def _check_delegates(
    *, session: Session, project_id: int, title: str, limit: int | None, person_ids: list[int]
) -> None:
    """Every delegate a person of the project, none twice, and no more than the limit."""
    seen: set[int] = set()
    for person_id in person_ids:
        check_person(
            session=session, project_id=project_id, person_id=person_id, field="delegate_ids"
        )
        if person_id in seen:
            person = session.get(Person, person_id)
            raise Invalid(
                f"{person.name if person else person_id} er allerede delegeret til {title}.",
                field="delegate_ids",
            )
        seen.add(person_id)
    if limit is not None:
        message = rules.delegate_limit_error(title=title, limit=limit, count=len(person_ids))
        if message:
            raise Invalid(message, field="delegate_ids")


def _replace_delegates(*, session: Session, activity_id: int, person_ids: list[int]) -> None:
    for row in session.exec(
        select(ActivityDelegate).where(ActivityDelegate.activity_id == activity_id)
    ).all():
        session.delete(row)
    session.flush()
    for position, person_id in enumerate(person_ids):
        session.add(
            ActivityDelegate(activity_id=activity_id, person_id=person_id, position=position)
        )


def _activity_snapshot(*, activity: ExternalActivity, person_ids: list[int]) -> dict[str, Any]:
    return (audit.snapshot(activity) or {}) | {"delegate_ids": list(person_ids)}


def create_activity(*, session: Session, by: Access, data: ActivityCreate) -> ExternalActivity:
    """Add an external activity with its delegates (checked against its limit)."""
    project_id = by.project_id
    check_group(session=session, project_id=project_id, group_id=data.group_id)
    require_group_editor(
        session=session,
        by=by,
        group_id=data.group_id,
        what="aktiviteter, som gruppen er ansvarlig for",
    )
    _check_delegates(
        session=session,
        project_id=project_id,
        title=data.title,
        limit=data.delegate_limit,
        person_ids=data.delegate_ids,
    )
    activity = ExternalActivity(project_id=project_id, **data.model_dump(exclude={"delegate_ids"}))
    session.add(activity)
    session.flush()
    _replace_delegates(session=session, activity_id=activity.id or 0, person_ids=data.delegate_ids)
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="external_activity",
        entity_id=activity.id,
        project_id=project_id,
        after=_activity_snapshot(activity=activity, person_ids=data.delegate_ids),
    )
    session.commit()
    return activity


def _load_activity_for_update(
    *, session: Session, by: Access, activity_id: int
) -> ExternalActivity:
    activity = project_row(
        ExternalActivity,
        activity_id,
        session=session,
        project_id=by.project_id,
        missing=NOT_FOUND,
        lock=True,
    )
    require_group_editor(session=session, by=by, group_id=activity.group_id, what="aktiviteten")
    return activity


def update_activity(
    *, session: Session, by: Access, activity_id: int, data: ActivityUpdate
) -> ExternalActivity:
    """Change an external activity; its delegates must still fit its (possibly new) limit."""
    project_id = by.project_id
    activity = _load_activity_for_update(session=session, by=by, activity_id=activity_id)
    require_version(activity, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "delegate_ids"})
    for required in ("title", "kind", "organiser"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "group_id" in changes:
        check_group(session=session, project_id=project_id, group_id=changes["group_id"])
        require_group_editor(
            session=session,
            by=by,
            group_id=changes["group_id"],
            what="aktiviteter, som gruppen er ansvarlig for",
        )
    current = _delegate_ids(session=session, activity_id=activity_id)
    person_ids = data.delegate_ids if data.delegate_ids is not None else current
    limit = changes.get("delegate_limit", activity.delegate_limit)
    _check_delegates(
        session=session,
        project_id=project_id,
        title=changes.get("title") or activity.title,
        limit=limit,
        person_ids=person_ids,
    )
    before = _activity_snapshot(activity=activity, person_ids=current)
    for key, value in changes.items():
        setattr(activity, key, "" if value is None and key in _ACTIVITY_TEXT else value)
    if person_ids != current:
        _replace_delegates(session=session, activity_id=activity_id, person_ids=person_ids)
    activity.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="external_activity",
        entity_id=activity.id,
        project_id=project_id,
        before=before,
        after=_activity_snapshot(activity=activity, person_ids=person_ids),
    )
    session.commit()
    return activity


def add_delegate(
    *, session: Session, by: Access, activity_id: int, data: DelegateAdd
) -> ExternalActivity:
    """Name one more delegate; refused over the activity's limit or for a non-project person."""
    activity = _load_activity_for_update(session=session, by=by, activity_id=activity_id)
    check_version(activity, data.version)
    person_id = data.person_id
    current = _delegate_ids(session=session, activity_id=activity_id)
    person_ids = [*current, person_id]
    _check_delegates(
        session=session,
        project_id=by.project_id,
        title=activity.title,
        limit=activity.delegate_limit,
        person_ids=person_ids,
    )
    before = _activity_snapshot(activity=activity, person_ids=current)
    session.add(
        ActivityDelegate(activity_id=activity_id, person_id=person_id, position=len(current))
    )
    activity.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="delegate_added",
        entity="external_activity",
        entity_id=activity_id,
        project_id=by.project_id,
        before=before,
        after=_activity_snapshot(activity=activity, person_ids=person_ids),
    )
    session.commit()
    return activity


def remove_delegate(
    *, session: Session, by: Access, activity_id: int, person_id: int, version: int | None = None
) -> ExternalActivity:
    """Take a delegate off an activity."""
    activity = _load_activity_for_update(session=session, by=by, activity_id=activity_id)
    check_version(activity, version)
    current = _delegate_ids(session=session, activity_id=activity_id)
    if person_id not in current:
        raise NotFound("Personen er ikke delegeret til aktiviteten.")
    row = session.exec(
        select(ActivityDelegate).where(
            ActivityDelegate.activity_id == activity_id, ActivityDelegate.person_id == person_id
        )
    ).one()
    session.delete(row)
    activity.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="delegate_removed",
        entity="external_activity",
        entity_id=activity_id,
        project_id=by.project_id,
        before=_activity_snapshot(activity=activity, person_ids=current),
        after=_activity_snapshot(
            activity=activity, person_ids=[p for p in current if p != person_id]
        ),
    )
    session.commit()
    return activity


def delete_activity(*, session: Session, by: Access, activity_id: int, version: int | None) -> None:
    """Remove an external activity and its delegates."""
    activity = _load_activity_for_update(session=session, by=by, activity_id=activity_id)
    require_version(activity, version)
    before = _activity_snapshot(
        activity=activity, person_ids=_delegate_ids(session=session, activity_id=activity_id)
    )
    session.delete(activity)
    audit.log(session=session, by=by, action="deleted", row=activity, before=before)
    session.commit()
