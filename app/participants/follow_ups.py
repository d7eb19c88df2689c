"""Follow-ups of a participant: recording one, correcting it and deleting one recorded by
mistake. Audit events name the participant's code and the fields changed, never the values."""

from datetime import date

from sqlmodel import Session

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.danish import format_date
from app.db import get_for_update, stored_id
from app.errors import Invalid, NotFound, require_version
from app.participants.models import FollowUp, Participant
from app.participants.records import follow_ups_of, load_participant
from app.participants.registrations import check_not_future, fields_at, scheme_for, summary
from app.participants.schemas import FollowUpCreate, FollowUpUpdate
from app.participants.schemes import Stage
from app.participants.setup import require_registrar
from app.participants.values import clean_values


def _check_follow_up_date(
    participant: Participant, day: date, *, today: date, others: list[FollowUp]
) -> None:
    if day < participant.start_date:
        raise Invalid(
            f"Opfølgningsdatoen ({format_date(day)}) ligger før deltagerens "
            f"startdato ({format_date(participant.start_date)}).",
            field="follow_up_date",
        )
    if participant.exit_date and day > participant.exit_date:
        raise Invalid(
            f"Opfølgningsdatoen ({format_date(day)}) ligger efter deltagerens "
            f"afslutning ({format_date(participant.exit_date)}).",
            field="follow_up_date",
        )
    check_not_future(day, today=today, what="Opfølgningsdatoen", field="follow_up_date")
    if any(f.follow_up_date == day for f in others):
        raise Invalid(
            f"Deltageren har allerede en opfølgning den {format_date(day)}.", field="follow_up_date"
        )


def add_follow_up(
    *,
    session: Session,
    by: Access,
    participant_id: int,
    data: FollowUpCreate,
    today: date | None = None,
) -> FollowUp:
    """Record a follow-up of a participant."""
    require_registrar(session=session, access=by)
    today = today or clock.today()
    participant = load_participant(session=session, by=by, participant_id=participant_id, lock=True)
    scheme = scheme_for(session=session, project_id=by.project_id, scheme_id=participant.scheme_id)
    existing = follow_ups_of(session=session, participant=participant)
    _check_follow_up_date(participant, data.follow_up_date, today=today, others=existing)
    values = clean_values(fields_at(scheme, Stage.follow_up), data.values, stage=Stage.follow_up)
    follow_up = FollowUp(
        project_id=by.project_id,
        participant_id=stored_id(participant),
        follow_up_date=data.follow_up_date,
        values=values,
    )
    session.add(follow_up)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="participant_follow_up",
        entity_id=follow_up.id,
        project_id=by.project_id,
        after=summary(participant, follow_up_date=data.follow_up_date, fields=sorted(values)),
    )
    session.commit()
    return follow_up


def _load_follow_up(*, session: Session, participant: Participant, follow_up_id: int) -> FollowUp:
    follow_up = get_for_update(session=session, model=FollowUp, item_id=follow_up_id)
    if follow_up is None or follow_up.participant_id != participant.id:
        raise NotFound("Opfølgningen findes ikke for denne deltager.")
    return follow_up


def update_follow_up(
    *,
    session: Session,
    by: Access,
    participant_id: int,
    follow_up_id: int,
    data: FollowUpUpdate,
    today: date | None = None,
) -> FollowUp:
    """Correct a follow-up's date or values."""
    require_registrar(session=session, access=by)
    today = today or clock.today()
    participant = load_participant(session=session, by=by, participant_id=participant_id)
    follow_up = _load_follow_up(session=session, participant=participant, follow_up_id=follow_up_id)
    require_version(follow_up, data.version)
    scheme = scheme_for(session=session, project_id=by.project_id, scheme_id=participant.scheme_id)
    day = data.follow_up_date or follow_up.follow_up_date
    others = [
        f for f in follow_ups_of(session=session, participant=participant) if f.id != follow_up.id
    ]
    _check_follow_up_date(participant, day, today=today, others=others)
    values = follow_up.values
    if data.values is not None:
        values = clean_values(
            fields_at(scheme, Stage.follow_up), data.values, stage=Stage.follow_up
        )
    before = summary(participant, follow_up_date=follow_up.follow_up_date)
    changed = sorted(
        k for k in set(values) | set(follow_up.values) if values.get(k) != follow_up.values.get(k)
    )
    follow_up.follow_up_date, follow_up.values = day, values
    follow_up.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="participant_follow_up",
        entity_id=follow_up.id,
        project_id=by.project_id,
        before=before,
        after=summary(participant, follow_up_date=day, fields=changed),
    )
    session.commit()
    return follow_up


def delete_follow_up(
    *, session: Session, by: Access, participant_id: int, follow_up_id: int, version: int | None
) -> None:
    """Delete a follow-up recorded by mistake."""
    require_registrar(session=session, access=by)
    participant = load_participant(session=session, by=by, participant_id=participant_id)
    follow_up = _load_follow_up(session=session, participant=participant, follow_up_id=follow_up_id)
    require_version(follow_up, version)
    before = summary(participant, follow_up_date=follow_up.follow_up_date)
    session.delete(follow_up)
    audit.log(session=session, by=by, action="deleted", row=follow_up, before=before)
    session.commit()
