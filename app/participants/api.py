"""API of participants' row-level records (registrars only; every read audited): participants,
follow-ups, exits, the follow-ups due and the leader's Excel export."""

from typing import Literal

from fastapi import APIRouter, Response
from sqlmodel import Session

from app import clock
from app.deps import ProjectLeader, SessionDep
from app.inputs import AsOf
from app.participants import exports, follow_ups, records, registrations, setup
from app.participants.deps import AuditedSession, Registrar, xlsx
from app.participants.models import Participant
from app.participants.schemas import (
    DuePublic,
    ExitCreate,
    FollowUpCreate,
    FollowUpPublic,
    FollowUpUpdate,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantUpdate,
)
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["deltagere"])


def _written(session: Session, participant: Participant) -> ParticipantPublic:
    """The participant as just written by the caller (answering a write is not a read)."""
    return ParticipantPublic.of(records.record_of(session=session, participant=participant))


# Row-level records (registrars; every read audited) ---------------------------------------


@router.get("/projects/{project_id}/participants.xlsx")
def participants_xlsx(access: ProjectLeader, session: AuditedSession) -> Response:
    """The pseudonymous records as Excel (project leader only; the export is audited)."""
    rows = records.export_records(session=session, by=access)
    schemes = setup.list_schemes(session=session, project_id=access.project_id)
    return xlsx(
        exports.participants_workbook(rows, schemes),
        f"deltagere-personniveau-{clock.today().isoformat()}.xlsx",
    )


@router.get("/projects/{project_id}/participants/due", response_model=list[DuePublic])
def due(
    access: Registrar,
    session: AuditedSession,
    page: PageOf,
    as_of: AsOf = None,
    scheme_id: int | None = None,
) -> list[DuePublic]:
    """Participants whose follow-up is overdue or due within 14 days of `as_of`."""
    items = records.due_follow_ups(session=session, by=access, today=as_of, scheme_id=scheme_id)
    return [DuePublic.of(i) for i in page.slice(items)]


@router.get("/projects/{project_id}/participants", response_model=list[ParticipantPublic])
def list_participants(
    access: Registrar,
    session: AuditedSession,
    page: PageOf,
    scheme_id: int | None = None,
    status: Literal["active", "exited"] | None = None,
    code: str | None = None,
) -> list[ParticipantPublic]:
    """The participants with their follow-ups (registrars; the read is audited)."""
    rows, total = records.list_participants(
        session=session,
        by=access,
        scheme_id=scheme_id,
        status=status,
        code=code,
        offset=page.offset,
        limit=page.limit,
    )
    page.answer(total)
    return [ParticipantPublic.of(r) for r in rows]


@router.post(
    "/projects/{project_id}/participants", response_model=ParticipantPublic, status_code=201
)
def register(data: ParticipantCreate, access: Registrar, session: SessionDep) -> ParticipantPublic:
    """Register a participant at start (code assigned when left out)."""
    participant = registrations.register_participant(session=session, by=access, data=data)
    return _written(session, participant)


@router.get(
    "/projects/{project_id}/participants/{participant_id}", response_model=ParticipantPublic
)
def get_participant(
    participant_id: int, access: Registrar, session: AuditedSession
) -> ParticipantPublic:
    """One participant with follow-ups (the read is audited)."""
    return ParticipantPublic.of(
        records.get_participant(session=session, by=access, participant_id=participant_id)
    )


@router.patch(
    "/projects/{project_id}/participants/{participant_id}", response_model=ParticipantPublic
)
def update_participant(
    participant_id: int, data: ParticipantUpdate, access: Registrar, session: SessionDep
) -> ParticipantPublic:
    """Correct a participant's code, target group, start date or start values."""
    participant = registrations.update_participant(
        session=session, by=access, participant_id=participant_id, data=data
    )
    return _written(session, participant)


@router.delete("/projects/{project_id}/participants/{participant_id}", status_code=204)
def delete_participant(
    participant_id: int, access: Registrar, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete a participant registered by mistake."""
    registrations.delete_participant(
        session=session, by=access, participant_id=participant_id, version=expected
    )
    return Response(status_code=204)


@router.post(
    "/projects/{project_id}/participants/{participant_id}/follow-ups",
    response_model=FollowUpPublic,
    status_code=201,
)
def add_follow_up(
    participant_id: int, data: FollowUpCreate, access: Registrar, session: SessionDep
) -> FollowUpPublic:
    """Record a follow-up."""
    f = follow_ups.add_follow_up(
        session=session, by=access, participant_id=participant_id, data=data
    )
    return FollowUpPublic.of(f)


@router.patch(
    "/projects/{project_id}/participants/{participant_id}/follow-ups/{follow_up_id}",
    response_model=FollowUpPublic,
)
def update_follow_up(
    participant_id: int,
    follow_up_id: int,
    data: FollowUpUpdate,
    access: Registrar,
    session: SessionDep,
) -> FollowUpPublic:
    """Correct a follow-up."""
    f = follow_ups.update_follow_up(
        session=session,
        by=access,
        participant_id=participant_id,
        follow_up_id=follow_up_id,
        data=data,
    )
    return FollowUpPublic.of(f)


@router.delete(
    "/projects/{project_id}/participants/{participant_id}/follow-ups/{follow_up_id}",
    status_code=204,
)
def delete_follow_up(
    participant_id: int,
    follow_up_id: int,
    access: Registrar,
    session: SessionDep,
    expected: ExpectedVersion,
) -> Response:
    """Delete a follow-up recorded by mistake."""
    follow_ups.delete_follow_up(
        session=session,
        by=access,
        participant_id=participant_id,
        follow_up_id=follow_up_id,
        version=expected,
    )
    return Response(status_code=204)


@router.post(
    "/projects/{project_id}/participants/{participant_id}/exit",
    response_model=ParticipantPublic,
    status_code=201,
)
def record_exit(
    participant_id: int, data: ExitCreate, access: Registrar, session: SessionDep
) -> ParticipantPublic:
    """Close the participant's record with an outcome from the scheme."""
    participant = registrations.record_exit(
        session=session, by=access, participant_id=participant_id, data=data
    )
    return _written(session, participant)


@router.delete("/projects/{project_id}/participants/{participant_id}/exit", status_code=204)
def reopen(
    participant_id: int, access: Registrar, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Undo an exit; the exit values are deleted."""
    registrations.reopen(
        session=session, by=access, participant_id=participant_id, version=expected
    )
    return Response(status_code=204)
