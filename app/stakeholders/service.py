"""Reading and changing stakeholders, their position history, the communication plan and the
external activities. One commit per use case, at the end; refusals raise before any write."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.danish import format_date
from app.db import get_for_update, stored_id
from app.errors import Forbidden, Invalid, NotFound, check_version, missing
from app.governance.models import Body, BodyKind, DirectorArea, Person
from app.stakeholders import rules
from app.stakeholders.models import (
    ActivityDelegate,
    CommunicationAction,
    ExternalActivity,
    Stakeholder,
    StakeholderKind,
    StakeholderPosition,
)
from app.stakeholders.schemas import (
    ActionCreate,
    ActionUpdate,
    ActivityCreate,
    ActivityUpdate,
    StakeholderCreate,
    StakeholderUpdate,
)

POSITION_FIELDS = ("influence", "interest", "attitude")


# ---------------------------------------------------------------- shared checks


def _check_group(*, session: Session, project_id: int, group_id: int | None) -> Body | None:
    """The implementation group of this project with that id (None for no group), else Invalid."""
    if group_id is None:
        return None
    group = session.get(Body, group_id)
    if (
        group is None
        or group.project_id != project_id
        or group.kind != BodyKind.implementation_group
    ):
        raise Invalid(
            "Den ansvarlige gruppe findes ikke blandt projektets implementeringsgrupper.",
            field="group_id",
        )
    return group


def _check_person(
    *, session: Session, project_id: int, person_id: int | None, field: str
) -> Person | None:
    if person_id is None:
        return None
    person = session.get(Person, person_id)
    if person is None or person.project_id != project_id:
        raise Invalid(
            f"Personen (id {person_id}) er ikke en person i projektets organisation.", field=field
        )
    return person


def _group_name(*, session: Session, group_id: int | None) -> str:
    group = session.get(Body, group_id) if group_id is not None else None
    return group.name if group else ""


def _require_group_editor(*, session: Session, by: Access, group_id: int | None, what: str) -> None:
    """Only the project leader and the members of the responsible group may change it."""
    if by.can_edit_group(group_id):
        return
    name = _group_name(session=session, group_id=group_id)
    owner = f"gruppen »{name}«" if name else "en ansvarlig gruppe"
    raise Forbidden(f"Kun projektlederen og medlemmer af {owner} må ændre {what}.")


# ---------------------------------------------------------------- stakeholders


def list_stakeholders(*, session: Session, project_id: int) -> list[Stakeholder]:
    """The project's stakeholders, by name."""
    return list(
        session.exec(
            select(Stakeholder)
            .where(Stakeholder.project_id == project_id)
            .order_by(col(Stakeholder.name), col(Stakeholder.id))
        ).all()
    )


def get_stakeholder(*, session: Session, project_id: int, stakeholder_id: int) -> Stakeholder:
    """A stakeholder of this project, or NotFound."""
    stakeholder = session.get(Stakeholder, stakeholder_id)
    if stakeholder is None or stakeholder.project_id != project_id:
        raise NotFound("Interessenten findes ikke i dette projekt.")
    return stakeholder


def position_history(*, session: Session, stakeholder_id: int) -> list[StakeholderPosition]:
    """A stakeholder's placements, oldest first; the last one is the current."""
    return list(
        session.exec(
            select(StakeholderPosition)
            .where(StakeholderPosition.stakeholder_id == stakeholder_id)
            .order_by(col(StakeholderPosition.assessed_date), col(StakeholderPosition.id))
        ).all()
    )


def histories(*, session: Session, project_id: int) -> dict[int, list[StakeholderPosition]]:
    """Every stakeholder's placements, oldest first, by stakeholder id."""
    rows = session.exec(
        select(StakeholderPosition)
        .join(Stakeholder, col(Stakeholder.id) == StakeholderPosition.stakeholder_id)
        .where(Stakeholder.project_id == project_id)
        .order_by(col(StakeholderPosition.assessed_date), col(StakeholderPosition.id))
    ).all()
    result: dict[int, list[StakeholderPosition]] = {}
    for row in rows:
        result.setdefault(row.stakeholder_id, []).append(row)
    return result


@dataclass(frozen=True)
class Move:
    """A change of a stakeholder's position: from one placement to the next."""

    stakeholder: Stakeholder
    before: StakeholderPosition
    after: StakeholderPosition


def moves(*, session: Session, project_id: int, since: date | None = None) -> list[Move]:
    """Who moved on the grid (newest first), optionally only since a date."""
    by_id = {s.id: s for s in list_stakeholders(session=session, project_id=project_id)}
    found: list[Move] = []
    for stakeholder_id, rows in histories(session=session, project_id=project_id).items():
        for before, after in zip(rows, rows[1:], strict=False):
            if since is None or after.assessed_date >= since:
                found.append(Move(by_id[stakeholder_id], before, after))
    found.sort(key=lambda m: (m.after.assessed_date, m.after.id or 0), reverse=True)
    return found


def _check_stakeholder_fields(
    *, session: Session, project_id: int, kind: StakeholderKind, director_area_id: int | None
) -> None:
    if director_area_id is None:
        return
    area = session.get(DirectorArea, director_area_id)
    if area is None or area.project_id != project_id:
        raise Invalid("Direktørområdet findes ikke i projektet.", field="director_area_id")
    if kind == StakeholderKind.external:
        raise Invalid(
            "En ekstern interessent hører ikke til et direktørområde; angiv i stedet "
            "organisationen.",
            field="director_area_id",
        )


def _check_override(*, override: Any, reason: str, influence: int, interest: int) -> None:
    if override is not None and not reason.strip():
        derived = rules.quadrant(influence=influence, interest=interest)
        raise Invalid(rules.override_error(derived), field="override_reason")


def _position(
    stakeholder: Stakeholder, *, by: Access, assessed_date: date | None, note: str
) -> StakeholderPosition:
    return StakeholderPosition(
        stakeholder_id=stored_id(stakeholder),
        assessed_date=assessed_date or clock.today(),
        influence=stakeholder.influence,
        interest=stakeholder.interest,
        attitude=stakeholder.attitude,
        note=note,
        recorded_by=by.user.full_name or by.user.username,
        recorded_by_id=by.user.id,
    )


def create_stakeholder(*, session: Session, by: Access, data: StakeholderCreate) -> Stakeholder:
    """Add a stakeholder and its first placement on the grid."""
    project_id = by.project_id
    _check_stakeholder_fields(
        session=session,
        project_id=project_id,
        kind=data.kind,
        director_area_id=data.director_area_id,
    )
    _check_group(session=session, project_id=project_id, group_id=data.group_id)
    _require_group_editor(
        session=session,
        by=by,
        group_id=data.group_id,
        what="interessenter, som gruppen er ansvarlig for",
    )
    _check_override(
        override=data.strategy_override,
        reason=data.override_reason,
        influence=data.influence,
        interest=data.interest,
    )
    stakeholder = Stakeholder(
        project_id=project_id,
        **data.model_dump(exclude={"assessed_date", "assessment_note"}),
    )
    if stakeholder.strategy_override is None:
        stakeholder.override_reason = ""
    session.add(stakeholder)
    session.flush()
    session.add(
        _position(stakeholder, by=by, assessed_date=data.assessed_date, note=data.assessment_note)
    )
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="stakeholder",
        entity_id=stakeholder.id,
        project_id=project_id,
        after=audit.snapshot(stakeholder),
    )
    session.commit()
    return stakeholder


def update_stakeholder(
    *, session: Session, by: Access, stakeholder_id: int, data: StakeholderUpdate
) -> Stakeholder:
    """Change a stakeholder; a changed influence, interest or attitude adds a placement."""
    project_id = by.project_id
    stakeholder = get_for_update(session=session, model=Stakeholder, item_id=stakeholder_id)
    if stakeholder is None or stakeholder.project_id != project_id:
        raise NotFound("Interessenten findes ikke i dette projekt.")
    _require_group_editor(
        session=session, by=by, group_id=stakeholder.group_id, what="interessenten"
    )
    check_version(stakeholder, data.version)
    changes = data.model_dump(
        exclude_unset=True, exclude={"version", "assessed_date", "assessment_note"}
    )
    for required in ("name", "kind", "influence", "interest", "attitude"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "group_id" in changes:
        _check_group(session=session, project_id=project_id, group_id=changes["group_id"])
        _require_group_editor(
            session=session,
            by=by,
            group_id=changes["group_id"],
            what="interessenter, som gruppen er ansvarlig for",
        )
    # Check the stakeholder as it would be after the change, before changing anything.
    merged = {key: getattr(stakeholder, key) for key in Stakeholder.model_fields} | {
        key: ("" if value is None and key in _TEXT_FIELDS else value)
        for key, value in changes.items()
    }
    if merged["strategy_override"] is None:
        merged["override_reason"] = ""
    _check_stakeholder_fields(
        session=session,
        project_id=project_id,
        kind=merged["kind"],
        director_area_id=merged["director_area_id"],
    )
    _check_override(
        override=merged["strategy_override"],
        reason=merged["override_reason"],
        influence=merged["influence"],
        interest=merged["interest"],
    )
    moved = any(merged[f] != getattr(stakeholder, f) for f in POSITION_FIELDS)
    assessed = data.assessed_date or clock.today()
    last = position_history(session=session, stakeholder_id=stakeholder_id)
    if moved and last and assessed < last[-1].assessed_date:
        raise Invalid(
            f"Vurderingsdatoen ({format_date(assessed)}) ligger før den forrige vurdering "
            f"({format_date(last[-1].assessed_date)}).",
            field="assessed_date",
        )
    before = audit.snapshot(stakeholder)
    for key in changes.keys() | {"override_reason"}:
        setattr(stakeholder, key, merged[key])
    if moved:
        session.add(
            _position(stakeholder, by=by, assessed_date=assessed, note=data.assessment_note or "")
        )
    stakeholder.version += 1
    after = audit.snapshot(stakeholder)
    audit.record(
        session=session,
        by=by.user,
        action="moved" if moved else "updated",
        entity="stakeholder",
        entity_id=stakeholder.id,
        project_id=project_id,
        before=before,
        after=after,
    )
    session.commit()
    return stakeholder


_TEXT_FIELDS = {"organisation", "contact", "needs", "override_reason"}


def delete_stakeholder(
    *, session: Session, by: Access, stakeholder_id: int, version: int | None = None
) -> None:
    """Remove a stakeholder with its history and communication actions."""
    stakeholder = get_for_update(session=session, model=Stakeholder, item_id=stakeholder_id)
    if stakeholder is None or stakeholder.project_id != by.project_id:
        raise NotFound("Interessenten findes ikke i dette projekt.")
    _require_group_editor(
        session=session, by=by, group_id=stakeholder.group_id, what="interessenten"
    )
    check_version(stakeholder, version)
    before = audit.snapshot(stakeholder)
    session.delete(stakeholder)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="stakeholder",
        entity_id=stakeholder_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# ---------------------------------------------------------------- communication plan


@dataclass(frozen=True)
class ActionView:
    """A communication action with the names a list or a Gantt chart shows next to it."""

    action: CommunicationAction
    stakeholder_name: str
    group_name: str
    person_name: str


def communication_actions(
    *,
    session: Session,
    project_id: int,
    group_id: int | None = None,
    stakeholder_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    done: bool | None = None,
) -> list[ActionView]:
    """The communication plan in date order, optionally for one group, one stakeholder, a
    period (planned dates from start to end, both included) or only open/done actions."""
    query = (
        select(CommunicationAction, Stakeholder)
        .join(Stakeholder, col(Stakeholder.id) == CommunicationAction.stakeholder_id)
        .where(CommunicationAction.project_id == project_id)
    )
    if group_id is not None:
        query = query.where(CommunicationAction.group_id == group_id)
    if stakeholder_id is not None:
        query = query.where(CommunicationAction.stakeholder_id == stakeholder_id)
    if start is not None:
        query = query.where(CommunicationAction.planned_date >= start)
    if end is not None:
        query = query.where(CommunicationAction.planned_date <= end)
    if done is not None:
        query = query.where(CommunicationAction.done == done)
    rows = session.exec(
        query.order_by(col(CommunicationAction.planned_date), col(CommunicationAction.id))
    ).all()
    groups = {b.id: b.name for b in session.exec(select(Body).where(Body.project_id == project_id))}
    people = {
        p.id: p.name for p in session.exec(select(Person).where(Person.project_id == project_id))
    }
    return [
        ActionView(
            action=a,
            stakeholder_name=s.name,
            group_name=groups.get(a.group_id, ""),
            person_name=people.get(a.responsible_person_id, ""),
        )
        for a, s in rows
    ]


def action_view(*, session: Session, project_id: int, action_id: int) -> ActionView:
    """One communication action of this project with its names, or NotFound."""
    action = session.get(CommunicationAction, action_id)
    if action is None or action.project_id != project_id:
        raise NotFound("Kommunikationsaktiviteten findes ikke i dette projekt.")
    stakeholder = session.get(Stakeholder, action.stakeholder_id)
    person = (
        session.get(Person, action.responsible_person_id) if action.responsible_person_id else None
    )
    return ActionView(
        action=action,
        stakeholder_name=stakeholder.name if stakeholder else "",
        group_name=_group_name(session=session, group_id=action.group_id),
        person_name=person.name if person else "",
    )


def _may_edit_action(by: Access, stakeholder: Stakeholder, group_id: int | None) -> bool:
    """The stakeholder's editors and the action's responsible group may change an action."""
    return by.can_edit_group(stakeholder.group_id) or by.can_edit_group(group_id)


def _refuse_action(*, session: Session, stakeholder: Stakeholder) -> Forbidden:
    name = _group_name(session=session, group_id=stakeholder.group_id)
    owner = f"gruppen »{name}«" if name else "den ansvarlige gruppe"
    return Forbidden(
        f"Kun projektlederen, medlemmer af {owner} og den gruppe, der har "
        f"aktiviteten, må ændre kommunikationsplanen for »{stakeholder.name}«."
    )


def _settle_done(action: CommunicationAction) -> None:
    if not action.done:
        action.done_date = None
    elif action.done_date is None:
        action.done_date = clock.today()


def create_action(
    *, session: Session, by: Access, stakeholder_id: int, data: ActionCreate
) -> CommunicationAction:
    """Plan a communication action for a stakeholder (the group defaults to the stakeholder's)."""
    project_id = by.project_id
    stakeholder = get_stakeholder(
        session=session, project_id=project_id, stakeholder_id=stakeholder_id
    )
    group_id = data.group_id if "group_id" in data.model_fields_set else stakeholder.group_id
    _check_group(session=session, project_id=project_id, group_id=group_id)
    _check_person(
        session=session,
        project_id=project_id,
        person_id=data.responsible_person_id,
        field="responsible_person_id",
    )
    if not _may_edit_action(by, stakeholder, group_id):
        raise _refuse_action(session=session, stakeholder=stakeholder)
    action = CommunicationAction(
        project_id=project_id,
        stakeholder_id=stored_id(stakeholder),
        **(data.model_dump() | {"group_id": group_id}),
    )
    _settle_done(action)
    session.add(action)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="communication_action",
        entity_id=action.id,
        project_id=project_id,
        after=audit.snapshot(action),
    )
    session.commit()
    return action


def update_action(
    *, session: Session, by: Access, action_id: int, data: ActionUpdate
) -> CommunicationAction:
    """Change a communication action, or mark it done (today, unless a date is given)."""
    project_id = by.project_id
    action = get_for_update(session=session, model=CommunicationAction, item_id=action_id)
    if action is None or action.project_id != project_id:
        raise NotFound("Kommunikationsaktiviteten findes ikke i dette projekt.")
    stakeholder = get_stakeholder(
        session=session, project_id=project_id, stakeholder_id=action.stakeholder_id
    )
    if not _may_edit_action(by, stakeholder, action.group_id):
        raise _refuse_action(session=session, stakeholder=stakeholder)
    check_version(action, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for required in ("what", "channel", "planned_date", "done"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "group_id" in changes:
        _check_group(session=session, project_id=project_id, group_id=changes["group_id"])
        if not _may_edit_action(by, stakeholder, changes["group_id"]):
            raise _refuse_action(session=session, stakeholder=stakeholder)
    if "responsible_person_id" in changes:
        _check_person(
            session=session,
            project_id=project_id,
            person_id=changes["responsible_person_id"],
            field="responsible_person_id",
        )
    before = audit.snapshot(action)
    for key, value in changes.items():
        setattr(action, key, value)
    _settle_done(action)
    action.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="communication_action",
        entity_id=action.id,
        project_id=project_id,
        before=before,
        after=audit.snapshot(action),
    )
    session.commit()
    return action


def delete_action(
    *, session: Session, by: Access, action_id: int, version: int | None = None
) -> None:
    """Remove a communication action from the plan."""
    action = get_for_update(session=session, model=CommunicationAction, item_id=action_id)
    if action is None or action.project_id != by.project_id:
        raise NotFound("Kommunikationsaktiviteten findes ikke i dette projekt.")
    stakeholder = get_stakeholder(
        session=session, project_id=by.project_id, stakeholder_id=action.stakeholder_id
    )
    if not _may_edit_action(by, stakeholder, action.group_id):
        raise _refuse_action(session=session, stakeholder=stakeholder)
    check_version(action, version)
    before = audit.snapshot(action)
    session.delete(action)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="communication_action",
        entity_id=action_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# ---------------------------------------------------------------- external activities


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
        group_name=_group_name(session=session, group_id=activity.group_id),
    )


def get_activity(*, session: Session, project_id: int, activity_id: int) -> ActivityView:
    """An external activity of this project with its delegates, or NotFound."""
    activity = session.get(ExternalActivity, activity_id)
    if activity is None or activity.project_id != project_id:
        raise NotFound("Aktiviteten findes ikke i dette projekt.")
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
        _check_person(
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


def _activity_snapshot(activity: ExternalActivity, person_ids: list[int]) -> dict[str, Any]:
    return (audit.snapshot(activity) or {}) | {"delegate_ids": list(person_ids)}


def create_activity(*, session: Session, by: Access, data: ActivityCreate) -> ExternalActivity:
    """Add an external activity with its delegates (checked against its limit)."""
    project_id = by.project_id
    _check_group(session=session, project_id=project_id, group_id=data.group_id)
    _require_group_editor(
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
        after=_activity_snapshot(activity, data.delegate_ids),
    )
    session.commit()
    return activity


def _load_activity_for_update(
    *, session: Session, by: Access, activity_id: int
) -> ExternalActivity:
    activity = get_for_update(session=session, model=ExternalActivity, item_id=activity_id)
    if activity is None or activity.project_id != by.project_id:
        raise NotFound("Aktiviteten findes ikke i dette projekt.")
    _require_group_editor(session=session, by=by, group_id=activity.group_id, what="aktiviteten")
    return activity


def update_activity(
    *, session: Session, by: Access, activity_id: int, data: ActivityUpdate
) -> ExternalActivity:
    """Change an external activity; its delegates must still fit its (possibly new) limit."""
    project_id = by.project_id
    activity = _load_activity_for_update(session=session, by=by, activity_id=activity_id)
    check_version(activity, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "delegate_ids"})
    for required in ("title", "kind", "organiser"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "group_id" in changes:
        _check_group(session=session, project_id=project_id, group_id=changes["group_id"])
        _require_group_editor(
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
    before = _activity_snapshot(activity, current)
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
        after=_activity_snapshot(activity, person_ids),
    )
    session.commit()
    return activity


_ACTIVITY_TEXT = {"start_time", "place", "theme", "audience", "limit_note"}


def add_delegate(
    *, session: Session, by: Access, activity_id: int, person_id: int, version: int | None = None
) -> ExternalActivity:
    """Name one more delegate; refused over the activity's limit or for a non-project person."""
    activity = _load_activity_for_update(session=session, by=by, activity_id=activity_id)
    check_version(activity, version)
    current = _delegate_ids(session=session, activity_id=activity_id)
    person_ids = [*current, person_id]
    _check_delegates(
        session=session,
        project_id=by.project_id,
        title=activity.title,
        limit=activity.delegate_limit,
        person_ids=person_ids,
    )
    before = _activity_snapshot(activity, current)
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
        after=_activity_snapshot(activity, person_ids),
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
        before=_activity_snapshot(activity, current),
        after=_activity_snapshot(activity, [p for p in current if p != person_id]),
    )
    session.commit()
    return activity


def delete_activity(
    *, session: Session, by: Access, activity_id: int, version: int | None = None
) -> None:
    """Remove an external activity and its delegates."""
    activity = _load_activity_for_update(session=session, by=by, activity_id=activity_id)
    check_version(activity, version)
    before = _activity_snapshot(activity, _delegate_ids(session=session, activity_id=activity_id))
    session.delete(activity)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="external_activity",
        entity_id=activity_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# ---------------------------------------------------------------- choices for forms


def director_areas(*, session: Session, project_id: int) -> list[DirectorArea]:
    return list(
        session.exec(
            select(DirectorArea)
            .where(DirectorArea.project_id == project_id)
            .order_by(col(DirectorArea.position), col(DirectorArea.id))
        ).all()
    )


def people(*, session: Session, project_id: int) -> list[Person]:
    return list(
        session.exec(
            select(Person)
            .where(Person.project_id == project_id)
            .order_by(col(Person.name), col(Person.id))
        ).all()
    )
