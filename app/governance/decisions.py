"""The decision log (beslutningsprotokol): decisions with their follow-up actions. Nothing is
deleted or rewritten; a decision is superseded by a later one, and both show the link."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, or_, select

from app.audit import service as audit
from app.auth.models import Role, User
from app.auth.service import Access
from app.danish import format_date
from app.db import get_for_update, project_row, stored_id
from app.errors import Conflict, Forbidden, Invalid, NotFound, require_version
from app.governance.bodies import body_in_project
from app.governance.meetings import get_agenda_item
from app.governance.models import Body, Decision, FollowUpAction, Meeting, Person
from app.governance.people import person_in_project
from app.governance.schemas import (
    DecisionCreate,
    DecisionFromMinutes,
    FollowUpCreate,
    FollowUpUpdate,
)

KIND_LABELS = {
    "decision": "Beslutning",
    "plan_approval": "Godkendelse af tids- og handleplan",
    "plan_return": "Tids- og handleplan sendt tilbage",
}


@dataclass
class DecisionEntry:
    """A decision with what the log shows around it."""

    decision: Decision
    body: Body
    meeting: Meeting | None
    superseded_by: Decision | None
    supersedes: list[Decision]
    actions: list[tuple[FollowUpAction, Person | None]]
    recorded_by: User | None


def fold(text: str) -> str:
    """Text as the decision search compares it: case-folded in Python (æøå included)."""
    return text.casefold()


def build_decision(
    *,
    session: Session,
    by: Access,
    body_id: int,
    decision_date: date,
    title: str,
    text: str = "",
    kind: str = "decision",
    meeting_id: int | None = None,
) -> Decision:
    """A new numbered decision after the checks every decision passes (no audit, no commit)."""
    project_id = by.project_id
    body_in_project(session=session, project_id=project_id, body_id=body_id)
    if meeting_id is not None:
        meeting = project_row(
            Meeting,
            meeting_id,
            session=session,
            project_id=project_id,
            missing="Mødet hører ikke til dette projekt.",
            field="meeting_id",
        )
        if meeting.body_id != body_id:
            raise Invalid(
                "Mødet er et møde i et andet organ end det, der har truffet beslutningen.",
                field="body_id",
            )
    title = title.strip()
    if not title:
        raise Invalid("Beslutningen skal have en overskrift.", field="title")
    last = session.exec(
        select(func.max(Decision.number)).where(Decision.project_id == project_id)
    ).one()
    decision = Decision(
        project_id=project_id,
        number=(last or 0) + 1,
        body_id=body_id,
        meeting_id=meeting_id,
        decision_date=decision_date,
        title=title,
        text=text,
        kind=kind,
        recorded_by_id=by.user.id,
        search_text=fold(f"{title}\n{text}"),
    )
    session.add(decision)
    session.flush()
    return decision


def search_decisions(
    *,
    session: Session,
    project_id: int,
    q: str = "",
    body_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Decision], int]:
    """A page of the log, newest first: every word of `q` must occur in the title or text (a
    number finds the decision with that number too), optionally of one body; with the total."""
    query = select(Decision).where(Decision.project_id == project_id)
    if body_id is not None:
        query = query.where(Decision.body_id == body_id)
    words = fold(q).split()
    if words:
        conditions = [col(Decision.search_text).contains(w, autoescape=True) for w in words]
        match = conditions[0]
        for c in conditions[1:]:
            match = match & c
        if len(words) == 1 and words[0].isdigit():
            match = or_(match, Decision.number == int(words[0]))
        query = query.where(match)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(Decision.decision_date).desc(), col(Decision.number).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def get_decision(
    *, session: Session, project_id: int, decision_id: int, lock: bool = False
) -> Decision:
    """A decision of this project, or NotFound."""
    return project_row(
        Decision,
        decision_id,
        session=session,
        project_id=project_id,
        missing="Beslutningen findes ikke i dette projekt.",
        lock=lock,
    )


def follow_ups(*, session: Session, decision_id: int) -> list[tuple[FollowUpAction, Person | None]]:
    """A decision's follow-up actions with their owners, by due date."""
    return list(
        session.exec(
            select(FollowUpAction, Person)
            .join(Person, col(Person.id) == FollowUpAction.owner_person_id, isouter=True)
            .where(FollowUpAction.decision_id == decision_id)
            .order_by(
                col(FollowUpAction.due_date).is_(None),
                col(FollowUpAction.due_date),
                col(FollowUpAction.id),
            )
        ).all()
    )


def superseding(*, session: Session, decision_id: int) -> list[Decision]:
    """The earlier decisions this one superseded."""
    return list(
        session.exec(
            select(Decision)
            .where(Decision.superseded_by_id == decision_id)
            .order_by(col(Decision.number))
        ).all()
    )


def decision_entry(*, session: Session, project_id: int, decision_id: int) -> DecisionEntry:
    """A decision with its body, meeting, both ends of its supersession and its follow-ups."""
    decision = get_decision(session=session, project_id=project_id, decision_id=decision_id)
    body = session.get(Body, decision.body_id)
    assert body is not None
    return DecisionEntry(
        decision=decision,
        body=body,
        meeting=session.get(Meeting, decision.meeting_id) if decision.meeting_id else None,
        superseded_by=(
            session.get(Decision, decision.superseded_by_id) if decision.superseded_by_id else None
        ),
        supersedes=superseding(session=session, decision_id=decision_id),
        actions=follow_ups(session=session, decision_id=decision_id),
        recorded_by=session.get(User, decision.recorded_by_id) if decision.recorded_by_id else None,
    )


def _resolve_body_and_date(
    *, session: Session, by: Access, data: DecisionCreate
) -> tuple[int, date]:
    """The body and date of a new decision: given, or taken from its meeting."""
    meeting = None
    if data.meeting_id is not None:
        meeting = project_row(
            Meeting,
            data.meeting_id,
            session=session,
            project_id=by.project_id,
            missing="Mødet hører ikke til dette projekt.",
            field="meeting_id",
        )
    body_id = data.body_id if data.body_id is not None else (meeting.body_id if meeting else None)
    if body_id is None:
        raise Invalid("Angiv hvilket organ der har truffet beslutningen.", field="body_id")
    decision_date = data.decision_date or (meeting.meeting_date if meeting else None)
    if decision_date is None:
        raise Invalid("Beslutningen skal have en dato.", field="decision_date")
    return body_id, decision_date


def _check_actions(*, session: Session, by: Access, actions: list[FollowUpCreate]) -> None:
    for i, action in enumerate(actions):
        if not action.text.strip():
            raise Invalid("Beskriv opfølgningspunktet.", field=f"actions.{i}.text")
        person_in_project(
            session=session,
            project_id=by.project_id,
            person_id=action.owner_person_id,
            field=f"actions.{i}.owner_person_id",
        )


def _add_actions(
    *, session: Session, decision: Decision, actions: list[FollowUpCreate]
) -> list[FollowUpAction]:
    rows = [
        FollowUpAction(
            decision_id=stored_id(decision),
            text=a.text.strip(),
            owner_person_id=a.owner_person_id,
            due_date=a.due_date,
        )
        for a in actions
    ]
    session.add_all(rows)
    session.flush()
    return rows


def record_decision(*, session: Session, by: Access, data: DecisionCreate) -> Decision:
    """Record a decision in the log (numbered), with its follow-up actions."""
    body_id, decision_date = _resolve_body_and_date(session=session, by=by, data=data)
    body_in_project(session=session, project_id=by.project_id, body_id=body_id)
    _check_actions(session=session, by=by, actions=data.actions)
    decision = build_decision(
        session=session,
        by=by,
        body_id=body_id,
        decision_date=decision_date,
        title=data.title,
        text=data.text.strip(),
        meeting_id=data.meeting_id,
    )
    actions = _add_actions(session=session, decision=decision, actions=data.actions)
    audit.record(
        session=session,
        by=by.user,
        action="recorded",
        entity="decision",
        entity_id=decision.id,
        project_id=by.project_id,
        after=audit.snapshot(decision) | {"actions": [audit.snapshot(a) for a in actions]},
    )
    session.commit()
    return decision


MINUTES_DECISION_REFUSED = (
    "Kun sekretariatet og projektlederen må registrere beslutninger fra referatet."
)


def record_from_minutes(
    *, session: Session, by: Access, meeting_id: int, item_id: int, data: DecisionFromMinutes
) -> Decision:
    """The secretariat records a decision an agenda item's minutes state: in the log at once,
    as the meeting's body's on the meeting's day, linked to the item (docs/governance.md says
    why not as a draft the chair confirms). Corrections are made by superseding it."""
    if not by.has(Role.secretariat, Role.project_leader):
        raise Forbidden(MINUTES_DECISION_REFUSED)
    item = get_agenda_item(
        session=session, project_id=by.project_id, meeting_id=meeting_id, item_id=item_id
    )
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    decision = build_decision(
        session=session,
        by=by,
        body_id=meeting.body_id,
        decision_date=meeting.meeting_date,
        title=data.title,
        text=data.text.strip(),
        meeting_id=meeting_id,
    )
    decision.agenda_item_id = item.id
    audit.record(
        session=session,
        by=by.user,
        action="recorded",
        entity="decision",
        entity_id=decision.id,
        project_id=by.project_id,
        after=audit.snapshot(decision) | {"from_minutes_of": item.title},
    )
    session.commit()
    return decision


def supersede_decision(
    *, session: Session, by: Access, decision_id: int, data: DecisionCreate
) -> Decision:
    """Record a new decision that supersedes an earlier one (which stays in the log, marked)."""
    old = get_decision(
        session=session, project_id=by.project_id, decision_id=decision_id, lock=True
    )
    if old.superseded_by_id is not None:
        newer = session.get(Decision, old.superseded_by_id)
        raise Conflict(
            f"Beslutning nr. {old.number} er allerede afløst af beslutning nr. "
            f"{newer.number if newer else '?'}."
        )
    if data.body_id is None and data.meeting_id is None:
        data = data.model_copy(update={"body_id": old.body_id})
    body_id, decision_date = _resolve_body_and_date(session=session, by=by, data=data)
    if decision_date < old.decision_date:
        raise Invalid(
            f"Den nye beslutnings dato ({format_date(decision_date)}) ligger før "
            f"datoen for beslutning nr. {old.number} ({format_date(old.decision_date)}"
            "), som den afløser.",
            field="decision_date",
        )
    body_in_project(session=session, project_id=by.project_id, body_id=body_id)
    _check_actions(session=session, by=by, actions=data.actions)
    new = build_decision(
        session=session,
        by=by,
        body_id=body_id,
        decision_date=decision_date,
        title=data.title,
        text=data.text.strip(),
        meeting_id=data.meeting_id,
    )
    actions = _add_actions(session=session, decision=new, actions=data.actions)
    old.superseded_by_id = new.id
    audit.record(
        session=session,
        by=by.user,
        action="superseded",
        entity="decision",
        entity_id=new.id,
        project_id=by.project_id,
        before={"superseded": audit.snapshot(old)},
        after=audit.snapshot(new)
        | {"supersedes": old.number, "actions": [audit.snapshot(a) for a in actions]},
    )
    session.commit()
    return new


def get_follow_up(
    *, session: Session, project_id: int, decision_id: int, action_id: int, lock: bool = False
) -> FollowUpAction:
    """A follow-up action of a decision of this project, or NotFound."""
    get_decision(session=session, project_id=project_id, decision_id=decision_id)
    action = (
        get_for_update(session=session, model=FollowUpAction, item_id=action_id)
        if lock
        else session.get(FollowUpAction, action_id)
    )
    if action is None or action.decision_id != decision_id:
        raise NotFound("Opfølgningspunktet findes ikke.")
    return action


def add_follow_up(
    *, session: Session, by: Access, decision_id: int, data: FollowUpCreate
) -> FollowUpAction:
    """Add a follow-up action (owner, due date) to a decision."""
    get_decision(session=session, project_id=by.project_id, decision_id=decision_id, lock=True)
    _check_actions(session=session, by=by, actions=[data])
    action = FollowUpAction(
        decision_id=decision_id,
        text=data.text.strip(),
        owner_person_id=data.owner_person_id,
        due_date=data.due_date,
    )
    session.add(action)
    session.flush()
    audit.log(session=session, by=by, action="created", row=action)
    session.commit()
    return action


def update_follow_up(
    *, session: Session, by: Access, decision_id: int, action_id: int, data: FollowUpUpdate
) -> FollowUpAction:
    """Change a follow-up action, or mark it done (done_date) or not done again (null)."""
    action = get_follow_up(
        session=session,
        project_id=by.project_id,
        decision_id=decision_id,
        action_id=action_id,
        lock=True,
    )
    require_version(action, data.version)
    before = audit.snapshot(action)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "owner_person_id" in changes:
        person_in_project(
            session=session,
            project_id=by.project_id,
            person_id=changes["owner_person_id"],
            field="owner_person_id",
        )
    if "text" in changes:
        changes["text"] = (changes["text"] or "").strip()
        if not changes["text"]:
            raise Invalid("Beskriv opfølgningspunktet.", field="text")
    action.sqlmodel_update(changes)
    action.version += 1
    audit.log(session=session, by=by, action="updated", row=action, before=before)
    session.commit()
    return action


# What the log's page shows ------------------------------------------------------------------


@dataclass
class DecisionLog:
    """A page of the log with the numbers of the decisions that superseded its entries and how
    many follow-up actions of each are still open."""

    decisions: list[Decision]
    total: int
    numbers: dict[int | None, int]
    open_actions: dict[int | None, int]


def decision_log(
    *, session: Session, project_id: int, q: str, body_id: int | None, offset: int, limit: int
) -> DecisionLog:
    """A page of the log (as `search_decisions`), with what its entries refer to."""
    rows, total = search_decisions(
        session=session, project_id=project_id, q=q, body_id=body_id, offset=offset, limit=limit
    )
    numbers: dict[int | None, int] = {d.id: d.number for d in rows}
    newer = {d.superseded_by_id for d in rows if d.superseded_by_id} - set(numbers)
    if newer:
        numbers |= dict(
            session.exec(
                select(Decision.id, Decision.number).where(
                    Decision.project_id == project_id, col(Decision.id).in_(newer)
                )
            ).all()
        )
    # The open follow-up actions of every listed decision, counted in one query (an export
    # lists the whole log).
    ids = [d.id for d in rows]
    counted = dict(
        session.exec(
            select(FollowUpAction.decision_id, func.count())
            .where(
                col(FollowUpAction.decision_id).in_(ids), col(FollowUpAction.done_date).is_(None)
            )
            .group_by(col(FollowUpAction.decision_id))
        ).all()
    )
    open_actions = {d.id: counted.get(d.id or 0, 0) for d in rows}
    return DecisionLog(decisions=rows, total=total, numbers=numbers, open_actions=open_actions)


def decisions_between(
    *, session: Session, project_id: int, start: date, end: date
) -> list[tuple[Decision, Body]]:
    """The log's decisions dated from `start` to `end` (both included), oldest first, with the
    body that made each (a status report's decisions of its period)."""
    return [
        (d, b)
        for d, b in session.exec(
            select(Decision, Body)
            .join(Body, col(Body.id) == Decision.body_id)
            .where(
                Decision.project_id == project_id,
                col(Decision.decision_date) >= start,
                col(Decision.decision_date) <= end,
            )
            .order_by(col(Decision.decision_date), col(Decision.number))
        ).all()
    ]
