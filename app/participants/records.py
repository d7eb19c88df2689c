"""Reading participants' row-level records: a participant with its scheme and follow-ups, the
registrars' list and detail, the follow-ups due and the leader's export.

Row-level records are for registrars only (the project leader and the users the leader
appoints); every read of them is written to the audit log, naming the codes read, never values.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.db import project_row, stored_id
from app.participants import monitoring
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.setup import leader_only, require_registrar

DUE_WINDOW_DAYS = 14
PARTICIPANT_MISSING = "Deltageren findes ikke i dette projekt."


def load_participant(
    *, session: Session, by: Access, participant_id: int, lock: bool = False
) -> Participant:
    """A participant of the caller's project (held for the transaction with `lock`), or
    NotFound."""
    return project_row(
        Participant,
        participant_id,
        session=session,
        project_id=by.project_id,
        missing=PARTICIPANT_MISSING,
        lock=lock,
    )


def scheme_of(
    *, session: Session, project_id: int, participant_id: int
) -> RegistrationScheme | None:
    """The scheme of a participant of this project, None for any other (its form's write then
    answers 404), so a page can read the scheme's fields out of the form."""
    return session.exec(
        select(RegistrationScheme)
        .join(Participant, col(Participant.scheme_id) == RegistrationScheme.id)
        .where(Participant.id == participant_id, Participant.project_id == project_id)
    ).first()


def _follow_ups(*, session: Session, participant_ids: list[int]) -> dict[int, list[FollowUp]]:
    result: dict[int, list[FollowUp]] = {pid: [] for pid in participant_ids}
    if not participant_ids:
        return result
    for f in session.exec(
        select(FollowUp)
        .where(col(FollowUp.participant_id).in_(participant_ids))
        .order_by(col(FollowUp.follow_up_date), col(FollowUp.id))
    ).all():
        result[f.participant_id].append(f)
    return result


def follow_ups_of(*, session: Session, participant: Participant) -> list[FollowUp]:
    """A participant's follow-ups by date."""
    participant_id = stored_id(participant)
    return _follow_ups(session=session, participant_ids=[participant_id])[participant_id]


def records_of(*, session: Session, participants: list[Participant]) -> list[monitoring.Record]:
    """The participants with their schemes and follow-ups (a fixed number of queries)."""
    schemes = {
        s.id: s
        for s in session.exec(
            select(RegistrationScheme).where(
                col(RegistrationScheme.id).in_({p.scheme_id for p in participants})
            )
        ).all()
    }
    follow_ups = _follow_ups(session=session, participant_ids=[stored_id(p) for p in participants])
    return [
        monitoring.Record(p, schemes[p.scheme_id], follow_ups[stored_id(p)]) for p in participants
    ]


def record_of(*, session: Session, participant: Participant) -> monitoring.Record:
    """A participant with its scheme and follow-ups, for answering the caller's own write."""
    return records_of(session=session, participants=[participant])[0]


def _read(
    *, session: Session, by: Access, view: str, codes: list[str], entity_id: Any = ""
) -> None:
    """Write the read of row-level records to the audit log and commit it."""
    audit.record(
        session=session,
        by=by.user,
        action="read",
        entity="participant",
        entity_id=entity_id,
        project_id=by.project_id,
        after={"view": view, "count": len(codes), "codes": codes},
    )
    session.commit()


def list_participants(
    *,
    session: Session,
    by: Access,
    scheme_id: int | None = None,
    status: str | None = None,
    code: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[monitoring.Record], int]:
    """A page of participants with their follow-ups, and the total (the read is audited)."""
    require_registrar(session=session, access=by)
    query = select(Participant).where(Participant.project_id == by.project_id)
    if scheme_id is not None:
        query = query.where(Participant.scheme_id == scheme_id)
    if status == "active":
        query = query.where(col(Participant.exit_date).is_(None))
    elif status == "exited":
        query = query.where(col(Participant.exit_date).is_not(None))
    if code:
        query = query.where(col(Participant.code).contains(code.strip().upper()))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = list(session.exec(query.order_by(Participant.code).offset(offset).limit(limit)).all())
    records = records_of(session=session, participants=rows)
    _read(session=session, by=by, view="list", codes=[p.code for p in rows])
    return records, total


def get_participant(*, session: Session, by: Access, participant_id: int) -> monitoring.Record:
    """One participant with follow-ups (the read is audited)."""
    require_registrar(session=session, access=by)
    participant = load_participant(session=session, by=by, participant_id=participant_id)
    record = records_of(session=session, participants=[participant])[0]
    _read(session=session, by=by, view="detail", codes=[participant.code], entity_id=participant.id)
    return record


# Follow-ups due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    record: monitoring.Record
    due_date: date
    overdue: bool


def due_follow_ups(
    *,
    session: Session,
    by: Access,
    today: date | None = None,
    scheme_id: int | None = None,
    window_days: int = DUE_WINDOW_DAYS,
) -> list[DueItem]:
    """Active participants whose next follow-up is overdue or due within `window_days`,
    most overdue first (the read is audited)."""
    require_registrar(session=session, access=by)
    today = today or clock.today()
    query = select(Participant).where(
        Participant.project_id == by.project_id, col(Participant.exit_date).is_(None)
    )
    if scheme_id is not None:
        query = query.where(Participant.scheme_id == scheme_id)
    records = records_of(session=session, participants=list(session.exec(query).all()))
    horizon = today + timedelta(days=window_days)
    items = [
        DueItem(r, r.next_follow_up_date, r.next_follow_up_date < today)
        for r in records
        if r.next_follow_up_date and r.next_follow_up_date <= horizon
    ]
    items.sort(key=lambda i: (i.due_date, i.record.participant.code))
    _read(session=session, by=by, view="due", codes=[i.record.participant.code for i in items])
    return items


def due_item(*, session: Session, by: Access, participant_id: int) -> DueItem:
    """One participant as a row of the follow-ups due (the read is audited)."""
    record = get_participant(session=session, by=by, participant_id=participant_id)
    due = record.next_follow_up_date or clock.today()
    return DueItem(record, due, due < clock.today())


# Export -----------------------------------------------------------------------------------


def export_records(*, session: Session, by: Access) -> list[monitoring.Record]:
    """Every participant of the project for the row-level export (project leader only; audited)."""
    leader_only(by, "Kun projektlederen må hente deltagerdata på personniveau.")
    rows = list(
        session.exec(
            select(Participant)
            .where(Participant.project_id == by.project_id)
            .order_by(col(Participant.scheme_id), col(Participant.code))
        ).all()
    )
    records = records_of(session=session, participants=rows)
    _read(session=session, by=by, view="export", codes=[p.code for p in rows])
    return records
