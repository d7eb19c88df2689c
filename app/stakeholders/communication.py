"""The communication plan: the actions planned for each stakeholder, who may change them, and the
plan as a list with the names shown beside each action. One commit per use case, at the end."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.db import project_row, stored_id
from app.errors import Forbidden, missing, require_version
from app.governance.models import Body, Person
from app.stakeholders.models import CommunicationAction, Stakeholder
from app.stakeholders.schemas import ActionCreate, ActionUpdate
from app.stakeholders.service import check_group, check_person, get_stakeholder, group_name

NOT_FOUND = "Kommunikationsaktiviteten findes ikke i dette projekt."


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
    action = project_row(
        CommunicationAction, action_id, session=session, project_id=project_id, missing=NOT_FOUND
    )
    stakeholder = session.get(Stakeholder, action.stakeholder_id)
    person = (
        session.get(Person, action.responsible_person_id) if action.responsible_person_id else None
    )
    return ActionView(
        action=action,
        stakeholder_name=stakeholder.name if stakeholder else "",
        group_name=group_name(session=session, group_id=action.group_id),
        person_name=person.name if person else "",
    )


def may_edit_action(*, by: Access, stakeholder: Stakeholder, group_id: int | None) -> bool:
    """The stakeholder's editors and the action's responsible group may change an action."""
    return by.can_edit_group(stakeholder.group_id) or by.can_edit_group(group_id)


def editable_actions(*, session: Session, by: Access, actions: list[ActionView]) -> set[int | None]:
    """The ids of those of `actions` that `by` may change (for the pages' edit controls)."""
    stakeholders = {
        s.id: s
        for s in session.exec(select(Stakeholder).where(Stakeholder.project_id == by.project_id))
    }
    return {
        v.action.id
        for v in actions
        if may_edit_action(
            by=by, stakeholder=stakeholders[v.action.stakeholder_id], group_id=v.action.group_id
        )
    }


def _refuse_action(*, session: Session, stakeholder: Stakeholder) -> Forbidden:
    name = group_name(session=session, group_id=stakeholder.group_id)
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
    check_group(session=session, project_id=project_id, group_id=group_id)
    check_person(
        session=session,
        project_id=project_id,
        person_id=data.responsible_person_id,
        field="responsible_person_id",
    )
    if not may_edit_action(by=by, stakeholder=stakeholder, group_id=group_id):
        raise _refuse_action(session=session, stakeholder=stakeholder)
    action = CommunicationAction(
        project_id=project_id,
        stakeholder_id=stored_id(stakeholder),
        **(data.model_dump() | {"group_id": group_id}),
    )
    _settle_done(action)
    session.add(action)
    session.flush()
    audit.log(session=session, by=by, action="created", row=action)
    session.commit()
    return action


def _load_for_update(
    *, session: Session, by: Access, action_id: int
) -> tuple[CommunicationAction, Stakeholder]:
    """The action, locked, and its stakeholder; Forbidden unless `by` may change it."""
    action = project_row(
        CommunicationAction,
        action_id,
        session=session,
        project_id=by.project_id,
        missing=NOT_FOUND,
        lock=True,
    )
    stakeholder = get_stakeholder(
        session=session, project_id=by.project_id, stakeholder_id=action.stakeholder_id
    )
    if not may_edit_action(by=by, stakeholder=stakeholder, group_id=action.group_id):
        raise _refuse_action(session=session, stakeholder=stakeholder)
    return action, stakeholder


def update_action(
    *, session: Session, by: Access, action_id: int, data: ActionUpdate
) -> CommunicationAction:
    """Change a communication action, or mark it done (today, unless a date is given)."""
    project_id = by.project_id
    action, stakeholder = _load_for_update(session=session, by=by, action_id=action_id)
    require_version(action, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for required in ("what", "channel", "planned_date", "done"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "group_id" in changes:
        check_group(session=session, project_id=project_id, group_id=changes["group_id"])
        if not may_edit_action(by=by, stakeholder=stakeholder, group_id=changes["group_id"]):
            raise _refuse_action(session=session, stakeholder=stakeholder)
    if "responsible_person_id" in changes:
        check_person(
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
    audit.log(session=session, by=by, action="updated", row=action, before=before)
    session.commit()
    return action


def delete_action(*, session: Session, by: Access, action_id: int, version: int | None) -> None:
    """Remove a communication action from the plan."""
    action, _ = _load_for_update(session=session, by=by, action_id=action_id)
    require_version(action, version)
    before = audit.snapshot(action)
    session.delete(action)
    audit.log(session=session, by=by, action="deleted", row=action, before=before)
    session.commit()
