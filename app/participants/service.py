"""Participants, follow-ups, exits, follow-ups due, monitoring, indicators and purge.

Row-level records are for registrars only (the project leader and the users the leader
appoints); every read of them is written to the audit log. Audit events name the participant's
code and which fields changed, never the values, so a purge leaves no personal data behind.
One commit per use case, at the end; a refusal raises before anything is written.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, delete, func, select

from app import clock
from app.audit import service as audit
from app.auth.models import Role
from app.auth.service import Access
from app.danish import format_date
from app.db import get_for_update, stored_id
from app.errors import Conflict, Forbidden, Invalid, NotFound, check_version
from app.participants import monitoring
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.schemas import (
    ExitCreate,
    FollowUpCreate,
    FollowUpUpdate,
    ParticipantCreate,
    ParticipantUpdate,
)
from app.participants.schemes import (
    Stage,
    check_code,
    clean_values,
    outcomes,
    refuse_cpr,
    retention_ends,
    stage_fields,
)
from app.participants.setup import (
    get_scheme,
    is_registrar,
    leader_only,
    list_schemes,
    require_registrar,
)
from app.risks import service as risks
from app.risks.models import Indicator, Measurement
from app.risks.schemas import MeasurementCreate

DUE_WINDOW_DAYS = 14


# Participants -----------------------------------------------------------------------------


def _scheme_for(*, session: Session, project_id: int, scheme_id: int) -> RegistrationScheme:
    scheme = session.get(RegistrationScheme, scheme_id)
    if scheme is None or scheme.project_id != project_id:
        raise Invalid("Registreringsskemaet findes ikke i dette projekt.", field="scheme_id")
    return scheme


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


def _check_not_future(day: date, *, today: date, what: str, field: str) -> None:
    if day > today:
        raise Invalid(f"{what} ({format_date(day)}) ligger i fremtiden.", field=field)


def _check_start(scheme: RegistrationScheme, start: date, *, today: date) -> None:
    _check_not_future(start, today=today, what="Startdatoen", field="start_date")
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


def _fields(scheme: RegistrationScheme, stage: Stage) -> list:
    return stage_fields(scheme)[stage]


def _summary(participant: Participant, **extra: Any) -> dict[str, Any]:
    return {"code": participant.code, "scheme_id": participant.scheme_id} | extra


def register_participant(
    *, session: Session, by: Access, data: ParticipantCreate, today: date | None = None
) -> Participant:
    """Register a participant at start, under a pseudonymous code (assigned when left out)."""
    require_registrar(session=session, access=by)
    today = today or clock.today()
    scheme = _scheme_for(session=session, project_id=by.project_id, scheme_id=data.scheme_id)
    code = (
        check_code(data.code)
        if data.code and data.code.strip()
        else next_code(session=session, scheme=scheme)
    )
    target_group = _check_group(scheme, data.target_group)
    _check_start(scheme, data.start_date, today=today)
    values = clean_values(
        _fields(scheme, Stage.start),
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
        after=_summary(participant, start_date=participant.start_date, fields=sorted(values)),
    )
    session.commit()
    return participant


def _load(*, session: Session, by: Access, participant_id: int, lock: bool = False) -> Participant:
    participant = (
        get_for_update(session=session, model=Participant, item_id=participant_id)
        if lock
        else session.get(Participant, participant_id)
    )
    if participant is None or participant.project_id != by.project_id:
        raise NotFound("Deltageren findes ikke i dette projekt.")
    return participant


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


def _follow_ups_of(*, session: Session, participant: Participant) -> list[FollowUp]:
    participant_id = stored_id(participant)
    return _follow_ups(session=session, participant_ids=[participant_id])[participant_id]


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
    participant = _load(session=session, by=by, participant_id=participant_id, lock=True)
    check_version(participant, data.version)
    scheme = _scheme_for(session=session, project_id=by.project_id, scheme_id=participant.scheme_id)
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
        first = _follow_ups_of(session=session, participant=participant)
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
            _fields(scheme, Stage.start),
            data.start_values,
            stage=Stage.start,
            field_prefix="start_values",
        )
    changed = sorted(
        k
        for k in set(values) | set(participant.start_values)
        if values.get(k) != participant.start_values.get(k)
    )
    before = _summary(
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
        after=_summary(participant, target_group=target_group, start_date=start, fields=changed),
    )
    session.commit()
    return participant


def delete_participant(*, session: Session, by: Access, participant_id: int) -> None:
    """Delete a participant registered by mistake, with its follow-ups."""
    require_registrar(session=session, access=by)
    participant = _load(session=session, by=by, participant_id=participant_id, lock=True)
    before = _summary(participant)
    session.exec(delete(FollowUp).where(col(FollowUp.participant_id) == participant.id))
    session.delete(participant)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="participant",
        entity_id=participant_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


def _records(*, session: Session, participants: list[Participant]) -> list[monitoring.Record]:
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
    return _records(session=session, participants=[participant])[0]


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
    records = _records(session=session, participants=rows)
    _read(session=session, by=by, view="list", codes=[p.code for p in rows])
    return records, total


def get_participant(*, session: Session, by: Access, participant_id: int) -> monitoring.Record:
    """One participant with follow-ups (the read is audited)."""
    require_registrar(session=session, access=by)
    participant = _load(session=session, by=by, participant_id=participant_id)
    record = _records(session=session, participants=[participant])[0]
    _read(session=session, by=by, view="detail", codes=[participant.code], entity_id=participant.id)
    return record


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
    _check_not_future(day, today=today, what="Opfølgningsdatoen", field="follow_up_date")
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
    participant = _load(session=session, by=by, participant_id=participant_id, lock=True)
    scheme = _scheme_for(session=session, project_id=by.project_id, scheme_id=participant.scheme_id)
    existing = _follow_ups_of(session=session, participant=participant)
    _check_follow_up_date(participant, data.follow_up_date, today=today, others=existing)
    values = clean_values(_fields(scheme, Stage.follow_up), data.values, stage=Stage.follow_up)
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
        after=_summary(participant, follow_up_date=data.follow_up_date, fields=sorted(values)),
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
    participant = _load(session=session, by=by, participant_id=participant_id)
    follow_up = _load_follow_up(session=session, participant=participant, follow_up_id=follow_up_id)
    check_version(follow_up, data.version)
    scheme = _scheme_for(session=session, project_id=by.project_id, scheme_id=participant.scheme_id)
    day = data.follow_up_date or follow_up.follow_up_date
    others = [
        f for f in _follow_ups_of(session=session, participant=participant) if f.id != follow_up.id
    ]
    _check_follow_up_date(participant, day, today=today, others=others)
    values = follow_up.values
    if data.values is not None:
        values = clean_values(_fields(scheme, Stage.follow_up), data.values, stage=Stage.follow_up)
    before = _summary(participant, follow_up_date=follow_up.follow_up_date)
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
        after=_summary(participant, follow_up_date=day, fields=changed),
    )
    session.commit()
    return follow_up


def delete_follow_up(
    *, session: Session, by: Access, participant_id: int, follow_up_id: int
) -> None:
    """Delete a follow-up recorded by mistake."""
    require_registrar(session=session, access=by)
    participant = _load(session=session, by=by, participant_id=participant_id)
    follow_up = _load_follow_up(session=session, participant=participant, follow_up_id=follow_up_id)
    before = _summary(participant, follow_up_date=follow_up.follow_up_date)
    session.delete(follow_up)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="participant_follow_up",
        entity_id=follow_up_id,
        project_id=by.project_id,
        before=before,
    )
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
    participant = _load(session=session, by=by, participant_id=participant_id, lock=True)
    check_version(participant, data.version)
    if participant.exit_date is not None:
        raise Conflict(
            f"Deltageren blev afsluttet {format_date(participant.exit_date)}. "
            "Genåbn forløbet for at ændre afslutningen.",
            field="exit_date",
        )
    scheme = _scheme_for(session=session, project_id=by.project_id, scheme_id=participant.scheme_id)
    if data.exit_date < participant.start_date:
        raise Invalid(
            f"Afslutningsdatoen ({format_date(data.exit_date)}) ligger før "
            f"deltagerens startdato ({format_date(participant.start_date)}).",
            field="exit_date",
        )
    follow_ups = _follow_ups_of(session=session, participant=participant)
    if follow_ups and follow_ups[-1].follow_up_date > data.exit_date:
        raise Invalid(
            f"Afslutningsdatoen ({format_date(data.exit_date)}) ligger før den "
            f"seneste opfølgning ({format_date(follow_ups[-1].follow_up_date)}).",
            field="exit_date",
        )
    _check_not_future(data.exit_date, today=today, what="Afslutningsdatoen", field="exit_date")
    keys = [o.key for o in outcomes(scheme)]
    if data.outcome not in keys:
        refuse_cpr(data.outcome, what="Afslutningsstatussen", field="outcome")
        labels = ", ".join(o.label for o in outcomes(scheme))
        raise Invalid(
            f"Afslutningsstatussen »{data.outcome}« findes ikke i "
            f"registreringsskemaet. Vælg en af: {labels}.",
            field="outcome",
        )
    values = clean_values(_fields(scheme, Stage.exit), data.values, stage=Stage.exit)
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
        after=_summary(
            participant, exit_date=data.exit_date, outcome=data.outcome, fields=sorted(values)
        ),
    )
    session.commit()
    return participant


def reopen(
    *, session: Session, by: Access, participant_id: int, version: int | None = None
) -> Participant:
    """Undo an exit (e.g. recorded for the wrong participant); its exit values are deleted."""
    require_registrar(session=session, access=by)
    participant = _load(session=session, by=by, participant_id=participant_id, lock=True)
    check_version(participant, version)
    if participant.exit_date is None:
        raise Conflict("Deltageren er ikke afsluttet.", field="exit_date")
    before = _summary(
        participant, exit_date=participant.exit_date, outcome=participant.exit_outcome
    )
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
    records = _records(session=session, participants=list(session.exec(query).all()))
    horizon = today + timedelta(days=window_days)
    items = [
        DueItem(r, r.next_follow_up_date, r.next_follow_up_date < today)
        for r in records
        if r.next_follow_up_date and r.next_follow_up_date <= horizon
    ]
    items.sort(key=lambda i: (i.due_date, i.record.participant.code))
    _read(session=session, by=by, view="due", codes=[i.record.participant.code for i in items])
    return items


# Export, retention ------------------------------------------------------------------------


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
    records = _records(session=session, participants=rows)
    _read(session=session, by=by, view="export", codes=[p.code for p in rows])
    return records


def expired(*, session: Session, today: date) -> list[Participant]:
    """Closed records whose retention period has passed (exit date + the scheme's months)."""
    rows = session.exec(
        select(Participant, RegistrationScheme)
        .join(RegistrationScheme, col(RegistrationScheme.id) == Participant.scheme_id)
        .where(col(Participant.exit_date).is_not(None), col(Participant.exit_date) < today)
    ).all()
    return [
        p for p, s in rows if p.exit_date is not None and retention_ends(s, p.exit_date) < today
    ]


def purge_expired(*, session: Session, today: date | None = None) -> dict[int, int]:
    """Delete every record past its retention period; one audit event per project with the
    count. Returns {project id: number of participants deleted}."""
    today = today or clock.today()
    doomed = expired(session=session, today=today)
    counts: dict[int, int] = {}
    for p in doomed:
        counts[p.project_id] = counts.get(p.project_id, 0) + 1
    ids = [p.id for p in doomed]
    if ids:
        session.exec(delete(FollowUp).where(col(FollowUp.participant_id).in_(ids)))
        session.exec(delete(Participant).where(col(Participant.id).in_(ids)))
    for project_id, count in sorted(counts.items()):
        audit.record(
            session=session,
            by=None,
            action="purged",
            entity="participant",
            project_id=project_id,
            after={"count": count, "today": today, "rule": "afslutning + opbevaringsperiode"},
        )
    session.commit()
    return counts


# Monitoring (aggregates: every role in the project) ---------------------------------------


def _project_records(
    *, session: Session, project_id: int, scheme_id: int | None
) -> list[monitoring.Record]:
    query = select(Participant).where(Participant.project_id == project_id)
    if scheme_id is not None:
        query = query.where(Participant.scheme_id == scheme_id)
    return _records(session=session, participants=list(session.exec(query).all()))


def monitoring_report(
    *,
    session: Session,
    project_id: int,
    scheme_id: int | None = None,
    as_of: date | None = None,
    unit: monitoring.PeriodUnit = "quarter",
    target_group: str | None = None,
) -> monitoring.Report:
    """The published figures of a scheme (all schemes when None), over its period, as of the
    month end on or before `as_of` (the same for every role: it is what the grantor gets).

    Without `as_of` the figures are as of the last month end before today — or, when the
    scheme's period is over, as of the end of the month of its last registration (once that
    month is over), so a closed pilot is not reported as ever more overdue.
    """
    first = last = None
    if scheme_id is not None:
        scheme = get_scheme(session=session, project_id=project_id, scheme_id=scheme_id)
        first, last = scheme.period_start_date, scheme.period_end_date
    records = _project_records(session=session, project_id=project_id, scheme_id=scheme_id)
    today = clock.today()
    day = as_of or today
    events = [
        d
        for r in records
        for d in (r.participant.start_date, r.participant.exit_date, r.last_follow_up_date)
        if d and d <= day
    ]
    if as_of is None and last is not None and last < today:
        day = min(monitoring.month_end(max([last, *events])), today)
    day = monitoring.reporting_date(day)
    if last is not None:
        # Participants who started in the period are followed until they leave.
        last = max([last, *(d for d in events if d <= day)])
    return monitoring.build_report(
        records, as_of=day, unit=unit, target_group=target_group, first=first, last=last
    )


METRICS = {
    "started": "Deltagere startet i alt",
    "active": "Aktive deltagere",
    "exited": "Afsluttede deltagere",
    "follow_ups_on_time": "Opfølgninger gennemført til tiden (%)",
    "placed": "Afsluttet til placering (job, uddannelse, fleksjob m.m.)",
    "placed_share": "Andel af afsluttede, der er afsluttet til placering (%)",
    "days_to_placement": "Tid til første placering (median, dage)",
    "hours_average": "Gennemsnitligt timetal pr. uge (aktive med timetal)",
}


@dataclass(frozen=True)
class MetricValue:
    """An indicator's value as of a date: the number, how many people it rests on, and the text
    to show. Exact (registrars only) or published (as of a month end, counts rounded, nothing
    below 5 people: what everyone else gets, and what is stored or reported)."""

    metric: str
    label: str
    as_of: date
    value: float | None
    people: int | None
    shown: str
    exact: bool


def indicator_metrics(*, session: Session, project_id: int) -> list[tuple[str, str]]:
    """The metrics `indicator_value` can compute for this project: the fixed ones and one per
    exit outcome (`exit:<key>`)."""
    result = list(METRICS.items())
    for scheme in list_schemes(session=session, project_id=project_id):
        for o in outcomes(scheme):
            item = (f"exit:{o.key}", f"Afsluttet: {o.label}")
            if item not in result:
                result.append(item)
    return result


def _measure(report: monitoring.Report, metric: str) -> tuple[float | None, int, str]:
    """One metric of a report: (exact value, people it rests on, the text as published)."""
    placed = len(report.placement_days)
    counts = {
        "started": report.started,
        "active": report.active,
        "exited": report.exited,
        "placed": placed,
    }
    if metric in counts or metric.startswith("exit:"):
        key = metric.removeprefix("exit:")
        count = counts.get(metric, sum(n for k, *_, n in report.outcomes if k == key))
        return count, count, monitoring.cell(count)
    if metric == "follow_ups_on_time":
        shown = monitoring.share(report.on_time, report.due, report.due_people)
        return report.on_time_share, report.due_people, shown
    if metric == "placed_share":
        value = 100 * placed / report.exited if report.exited else None
        return value, report.exited, monitoring.share(placed, report.exited)
    if metric == "days_to_placement":
        median = report.placement_median
        return median, placed, monitoring.figure(median, placed, 0)
    row = report.hours[-1] if report.hours else None
    average, people = (row.average, row.people) if row else (None, 0)
    return average, people, monitoring.figure(average, people, 1)


def indicator_value(
    *,
    session: Session,
    project_id: int,
    metric: str,
    as_of: date,
    scheme_id: int | None = None,
    target_group: str | None = None,
    exact: bool = False,
) -> MetricValue:
    """An indicator computed from the registrations: published (as of the month end on or
    before `as_of`; what success measures and status reports get), or with `exact` the exact
    figure as of the day itself (for registrars only: see `metric_for`)."""
    labels = dict(indicator_metrics(session=session, project_id=project_id))
    if metric not in labels:
        raise Invalid(
            f"Målet »{metric}« kan ikke beregnes fra deltagerregistreringerne. "
            f"Vælg et af: {', '.join(labels)}.",
            field="metric",
        )
    if scheme_id is not None:
        get_scheme(session=session, project_id=project_id, scheme_id=scheme_id)
    day = as_of if exact else monitoring.reporting_date(as_of)
    records = _project_records(session=session, project_id=project_id, scheme_id=scheme_id)
    report = monitoring.build_report(
        records, as_of=day, target_group=target_group, first=day, last=day
    )
    value, people, shown = _measure(report, metric)
    if exact:
        number = None if value is None else float(value)
        return MetricValue(metric, labels[metric], day, number, people, shown, exact=True)
    published = monitoring.published_count(people)
    return MetricValue(
        metric, labels[metric], day, monitoring.shown_value(shown), published, shown, exact=False
    )


def metric_for(
    *,
    session: Session,
    access: Access,
    metric: str,
    as_of: date,
    scheme_id: int | None = None,
    target_group: str | None = None,
) -> MetricValue:
    """An indicator as the caller may learn it: exact for registrars (who see the records
    anyway), published for everyone else."""
    return indicator_value(
        session=session,
        project_id=access.project_id,
        metric=metric,
        as_of=as_of,
        scheme_id=scheme_id,
        target_group=target_group,
        exact=is_registrar(session=session, access=access),
    )


# Success measures and the status report ---------------------------------------------------

MAY_NOT_MEASURE = "Kun projektlederen og gruppernes medlemmer må registrere målinger på succesmål."


def record_indicator_from_registrations(
    *,
    session: Session,
    by: Access,
    indicator_id: int,
    metric: str,
    as_of: date,
    scheme_id: int | None = None,
    today: date | None = None,
) -> tuple[Measurement, MetricValue]:
    """Record a registration metric, as published for the month end on or before `as_of`, as a
    measurement of a success measure dated that month end (the same rights and rules as adding
    a measurement by hand). Success measures are read by every role, so the exact figure is
    never stored, whoever records it."""
    if not by.has(Role.project_leader, Role.group_member):
        raise Forbidden(MAY_NOT_MEASURE)
    indicator = session.get(Indicator, indicator_id)
    if indicator is None or indicator.project_id != by.project_id:
        raise NotFound("Succesmålet findes ikke i dette projekt.")
    scheme = None
    if scheme_id is not None:
        scheme = _scheme_for(session=session, project_id=by.project_id, scheme_id=scheme_id)
    _check_not_future(as_of, today=today or clock.today(), what="Opgørelsesdatoen", field="as_of")
    value = indicator_value(
        session=session, project_id=by.project_id, metric=metric, as_of=as_of, scheme_id=scheme_id
    )
    when = format_date(value.as_of)
    if value.shown == "–":
        raise Invalid(
            f"»{value.label}« kan ikke beregnes pr. {when}: der er ingen deltagere at regne på.",
            field="metric",
        )
    if value.value is None:
        raise Invalid(
            f"»{value.label}« pr. {when} bygger på færre end {monitoring.SUPPRESS_BELOW} "
            f"personer og vises som »{value.shown}«. Tallet kan ikke overføres til et succesmål, "
            "som styregruppen og direktionen ser.",
            field="metric",
        )
    where = f" i »{scheme.name}«" if scheme else ""
    note = (
        f"Beregnet fra deltagerregistreringerne{where}: {value.label} pr. {when} "
        f"(offentliggjort tal: antal afrundet til nærmeste {monitoring.ROUND_TO})."
    )
    data = MeasurementCreate(
        measured_date=value.as_of, value=Decimal(str(round(value.value, 3))), note=note[:1000]
    )
    try:
        measurement = risks.add_measurement(
            session=session, by=by, indicator_id=indicator.id or 0, data=data, today=today
        )
    except Invalid as exc:
        # The date the caller gave is `as_of`; the risks domain calls it measured_date.
        if exc.field == "measured_date":
            raise Invalid(exc.message, field="as_of") from exc
        raise
    return measurement, value


def report_figures(*, session: Session, project_id: int, as_of: date) -> list[dict[str, Any]]:
    """The headline figures of each registration scheme as published for the month end on or
    before `as_of` (the directorate reads status reports), JSON-safe for the status report's
    snapshot; a fixed number of queries."""
    schemes = list_schemes(session=session, project_id=project_id)
    if not schemes:
        return []
    as_of = monitoring.reporting_date(as_of)
    by_scheme: dict[int, list[monitoring.Record]] = {s.id or 0: [] for s in schemes}
    for record in _project_records(session=session, project_id=project_id, scheme_id=None):
        by_scheme[record.scheme.id or 0].append(record)
    result = []
    for scheme in schemes:
        report = monitoring.build_report(
            by_scheme[scheme.id or 0], as_of=as_of, first=as_of, last=as_of
        )
        outcome_table = next(t for t in report.tables() if t.key == "outcomes")
        result.append(
            {
                "scheme": scheme.name,
                "grantor": scheme.grantor,
                "as_of_date": as_of,
                "key_figures": [
                    {"label": label, "value": shown} for label, shown in report.key_figures()
                ],
                "outcomes": [
                    {"label": label, "placement_label": placement, "count": count}
                    for label, placement, count in outcome_table.rows[:-1]
                ],
                "exited": outcome_table.rows[-1][2],
            }
        )
    return result
