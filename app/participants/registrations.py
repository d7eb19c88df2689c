"""Registering participants: the start under a pseudonymous code, corrections, the exit and its
undoing, and deleting a participant registered by mistake.

Audit events name the participant's code and which fields changed, never the values, so a
purge leaves no personal data behind. One commit per use case, at the end; a refusal raises
before anything is written.
"""

from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.danish import format_date
from app.db import project_row, stored_id
from app.errors import Conflict, Invalid, NotFound, check_version, require_version
from app.participants.cpr import refuse_cpr
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.records import follow_ups_of, load_participant
from app.participants.schemas import ExitCreate, ParticipantCreate, ParticipantUpdate
from app.participants.schemes import FieldDef, Stage, outcomes, stage_fields
from app.participants.setup import require_registrar
from app.participants.values import check_code, clean_values

SCHEME_MISSING = "Registreringsskemaet findes ikke i dette projekt."


def scheme_for(*, session: Session, project_id: int, scheme_id: int) -> RegistrationScheme:
    """A scheme of this project to register under, or Invalid naming `scheme_id` (the scheme
    is a choice in the caller's input, not the thing asked for)."""
    try:
        return project_row(
            RegistrationScheme,
            scheme_id,
            session=session,
            project_id=project_id,
            missing=SCHEME_MISSING,
        )
    except NotFound:
        raise Invalid(SCHEME_MISSING, field="scheme_id") from None


def next_code(*, session: Session, scheme: RegistrationScheme) -> str:
    """The next free code of the scheme's series: VC-001, VC-002, …"""
    prefix = f"{scheme.code_prefix}-"
    codes = session.exec(
        select(Participant.code).where(
            Participant.project_id == scheme.project_id, col(Participant.code).startswith(prefix)
        )
    ).all()
    numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _check_code_free(
    *, session: Session, project_id: int, code: str, participant_id: int | None = None
) -> None:
    clash = session.exec(
        select(Participant.id).where(
            Participant.project_id == project_id,
            Participant.code == code,
            Participant.id != participant_id,
        )
    ).first()
    if clash is not None:
        raise Conflict(f"Deltagerkoden »{code}« er allerede brugt i projektet.", field="code")


def _check_group(scheme: RegistrationScheme, target_group: str | None) -> str | None:
    if target_group is None or not target_group.strip():
        return None
    refuse_cpr(target_group, what="Målgruppen", field="target_group")
    if target_group not in scheme.target_groups:
        choices = ", ".join(scheme.target_groups) or "(ordningen har ingen målgrupper)"
        raise Invalid(
            f"Målgruppen »{target_group}« findes ikke i registreringsskemaet. "
            f"Vælg en af: {choices}.",
            field="target_group",
        )
    return target_group


def check_not_future(day: date, *, today: date, what: str, field: str) -> None:
    """Refuse a date after today, naming the field."""
    if day > today:
        raise Invalid(f"{what} ({format_date(day)}) ligger i fremtiden.", field=field)


def _check_start(scheme: RegistrationScheme, start: date, *, today: date) -> None:
    check_not_future(start, today=today, what="Startdatoen", field="start_date")
    if scheme.period_start_date and start < scheme.period_start_date:
        raise Invalid(
            f"Startdatoen ({format_date(start)}) ligger før ordningens periode, "
            f"som begynder {format_date(scheme.period_start_date)}.",
            field="start_date",
        )
    if scheme.period_end_date and start > scheme.period_end_date:
        raise Invalid(
            f"Startdatoen ({format_date(start)}) ligger efter ordningens periode, "
            f"som slutter {format_date(scheme.period_end_date)}.",
            field="start_date",
        )


def fields_at(scheme: RegistrationScheme, stage: Stage) -> list[FieldDef]:
    """The scheme's fields registered at a stage."""
    return stage_fields(scheme)[stage]


def summary(participant: Participant, **extra: Any) -> dict[str, Any]:
    """What an audit event says about a participant: its code and scheme, never values."""
    return {"code": participant.code, "scheme_id": participant.scheme_id} | extra


def register_participant(
    *, session: Session, by: Access, data: ParticipantCreate, today: date | None = None
) -> Participant:
    """Register a participant at start, under a pseudonymous code (assigned when left out)."""
    require_registrar(session=session, access=by)
    today = today or clock.today()
    scheme = scheme_for(session=session, project_id=by.project_id, scheme_id=data.scheme_id)
    code = (
        check_code(data.code)
        if data.code and data.code.strip()
        else next_code(session=session, scheme=scheme)
    )
    target_group = _check_group(scheme, data.target_group)
    _check_start(scheme, data.start_date, today=today)
    values = clean_values(
        fields_at(scheme, Stage.start),
        data.start_values,
        stage=Stage.start,
        field_prefix="start_values",
    )
    _check_code_free(session=session, project_id=by.project_id, code=code)
    participant = Participant(
        project_id=by.project_id,
        scheme_id=stored_id(scheme),
        code=code,
        target_group=target_group,
        start_date=data.start_date,
        start_values=values,
    )
    session.add(participant)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="participant",
        entity_id=participant.id,
        project_id=by.project_id,
        after=summary(participant, start_date=participant.start_date, fields=sorted(values)),
    )
    session.commit()
    return participant


def update_participant(
    *,
    session: Session,
    by: Access,
    participant_id: int,
    data: ParticipantUpdate,
    today: date | None = None,
) -> Participant:
    """Correct a participant's code, target group, start date or start values."""
    require_registrar(session=session, access=by)
    today = today or clock.today()
    participant = load_participant(session=session, by=by, participant_id=participant_id, lock=True)
    require_version(participant, data.version)
    scheme = scheme_for(session=session, project_id=by.project_id, scheme_id=participant.scheme_id)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    code = participant.code
    if "code" in changes:
        code = check_code(data.code or "")
        _check_code_free(
            session=session, project_id=by.project_id, code=code, participant_id=participant.id
        )
    target_group = participant.target_group
    if "target_group" in changes:
        target_group = _check_group(scheme, data.target_group)
    start = participant.start_date
    if data.start_date is not None:
        start = data.start_date
        _check_start(scheme, start, today=today)
        first = follow_ups_of(session=session, participant=participant)
        if first and first[0].follow_up_date < start:
            raise Invalid(
                f"Startdatoen ({format_date(start)}) ligger efter den første "
                f"opfølgning ({format_date(first[0].follow_up_date)}).",
                field="start_date",
            )
        if participant.exit_date and participant.exit_date < start:
            raise Invalid(
                f"Startdatoen ({format_date(start)}) ligger efter afslutningen "
                f"({format_date(participant.exit_date)}).",
                field="start_date",
            )
    values = participant.start_values
    if data.start_values is not None:
        values = clean_values(
            fields_at(scheme, Stage.start),
            data.start_values,
            stage=Stage.start,
            field_prefix="start_values",
        )
    changed = sorted(
        k
        for k in set(values) | set(participant.start_values)
        if values.get(k) != participant.start_values.get(k)
    )
    before = summary(
        participant, target_group=participant.target_group, start_date=participant.start_date
    )
    participant.code, participant.target_group = code, target_group
    participant.start_date, participant.start_values = start, values
    participant.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="participant",
        entity_id=participant.id,
        project_id=by.project_id,
        before=before,
        after=summary(participant, target_group=target_group, start_date=start, fields=changed),
    )
    session.commit()
    return participant


def delete_participant(
    *, session: Session, by: Access, participant_id: int, version: int | None
) -> None:
    """Delete a participant registered by mistake, with its follow-ups."""
    require_registrar(session=session, access=by)
    participant = load_participant(session=session, by=by, participant_id=participant_id, lock=True)
    require_version(participant, version)
    before = summary(participant)
    session.exec(delete(FollowUp).where(col(FollowUp.participant_id) == participant.id))
    session.delete(participant)
    audit.log(session=session, by=by, action="deleted", row=participant, before=before)
    session.commit()


def record_exit(
    *,
    session: Session,
    by: Access,
    participant_id: int,
    data: ExitCreate,
    today: date | None = None,
) -> Participant:
    """Close a participant's record with an outcome from the scheme."""
    require_registrar(session=session, access=by)
    today = today or clock.today()
    participant = load_participant(session=session, by=by, participant_id=participant_id, lock=True)
    check_version(participant, data.version)
    if participant.exit_date is not None:
        raise Conflict(
            f"Deltageren blev afsluttet {format_date(participant.exit_date)}. "
            "Genåbn forløbet for at ændre afslutningen.",
            field="exit_date",
        )
    scheme = scheme_for(session=session, project_id=by.project_id, scheme_id=participant.scheme_id)
    if data.exit_date < participant.start_date:
        raise Invalid(
            f"Afslutningsdatoen ({format_date(data.exit_date)}) ligger før "
            f"deltagerens startdato ({format_date(participant.start_date)}).",
            field="exit_date",
        )
    follow_ups = follow_ups_of(session=session, participant=participant)
    if follow_ups and follow_ups[-1].follow_up_date > data.exit_date:
        raise Invalid(
            f"Afslutningsdatoen ({format_date(data.exit_date)}) ligger før den "
            f"seneste opfølgning ({format_date(follow_ups[-1].follow_up_date)}).",
            field="exit_date",
        )
    check_not_future(data.exit_date, today=today, what="Afslutningsdatoen", field="exit_date")
    keys = [o.key for o in outcomes(scheme)]
    if data.outcome not in keys:
        refuse_cpr(data.outcome, what="Afslutningsstatussen", field="outcome")
        labels = ", ".join(o.label for o in outcomes(scheme))
        raise Invalid(
            f"Afslutningsstatussen »{data.outcome}« findes ikke i "
            f"registreringsskemaet. Vælg en af: {labels}.",
            field="outcome",
        )
    values = clean_values(fields_at(scheme, Stage.exit), data.values, stage=Stage.exit)
    participant.exit_date, participant.exit_outcome = data.exit_date, data.outcome
    participant.exit_values = values
    participant.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="exited",
        entity="participant",
        entity_id=participant.id,
        project_id=by.project_id,
        after=summary(
            participant, exit_date=data.exit_date, outcome=data.outcome, fields=sorted(values)
        ),
    )
    session.commit()
    return participant


def reopen(
    *, session: Session, by: Access, participant_id: int, version: int | None
) -> Participant:
    """Undo an exit (e.g. recorded for the wrong participant); its exit values are deleted."""
    require_registrar(session=session, access=by)
    participant = load_participant(session=session, by=by, participant_id=participant_id, lock=True)
    require_version(participant, version)
    if participant.exit_date is None:
        raise Conflict("Deltageren er ikke afsluttet.", field="exit_date")
    before = summary(participant, exit_date=participant.exit_date, outcome=participant.exit_outcome)
    participant.exit_date, participant.exit_outcome, participant.exit_values = None, None, {}
    participant.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="reopened",
        entity="participant",
        entity_id=participant.id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()
    return participant
