"""API of participant registration: schemes, registrars, participants, follow-ups, exits,
follow-ups due, the aggregated monitoring and the Excel exports."""

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from sqlmodel import Session

from app import clock
from app.auth.service import Access
from app.deps import GroupWorker, ProjectAccess, ProjectLeader, SessionDep, get_database
from app.errors import NotFound
from app.governance.service import get_project
from app.inputs import Day
from app.participants import charts, exports, service, setup
from app.participants.models import Participant
from app.participants.monitoring import Record, Report
from app.participants.schemas import (
    DuePublic,
    ExitCreate,
    FollowUpCreate,
    FollowUpPublic,
    FollowUpUpdate,
    IndicatorFromRegistrations,
    IndicatorMeasurementPublic,
    MetricPublic,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantUpdate,
    RegistrarCreate,
    RegistrarPublic,
    SchemeCreate,
    SchemePublic,
    SchemeUpdate,
)
from app.participants.schemes import outcome_label
from app.risks.schemas import MeasurementPublic

router = APIRouter(prefix="/api", tags=["deltagere"])


def _registrar(access: ProjectAccess, session: SessionDep) -> Access:
    setup.require_registrar(session=session, access=access)
    return access


Registrar = Annotated[Access, Depends(_registrar)]


def _audited_session(request: Request) -> Iterator[Session]:
    """A writer's session for reads of row-level records: the read itself is audited."""
    with get_database(request).request_session(write=True) as session:
        yield session


AuditedSession = Annotated[Session, Depends(_audited_session)]


def scheme_public(scheme: Any) -> SchemePublic:
    return SchemePublic(
        id=scheme.id,
        project_id=scheme.project_id,
        version=scheme.version,
        **setup.definition_of(scheme).model_dump(),
    )


def participant_public(record: Record) -> ParticipantPublic:
    p = record.participant
    return ParticipantPublic(
        id=p.id,
        project_id=p.project_id,
        scheme_id=p.scheme_id,
        code=p.code,
        target_group=p.target_group,
        start_date=p.start_date,
        start_values=p.start_values,
        follow_ups=[
            FollowUpPublic(
                id=f.id, follow_up_date=f.follow_up_date, values=f.values, version=f.version
            )
            for f in record.follow_ups
        ],
        next_follow_up_date=record.next_follow_up_date,
        exit_date=p.exit_date,
        exit_outcome=p.exit_outcome,
        exit_outcome_label=outcome_label(record.scheme, p.exit_outcome) if p.exit_outcome else None,
        exit_values=p.exit_values,
        status=record.status,
        version=p.version,
    )


def _written(session: Session, participant: Participant) -> ParticipantPublic:
    """The participant as just written by the caller (answering a write is not a read)."""
    return participant_public(service.record_of(session=session, participant=participant))


def _xlsx(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type=exports.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# Schemes ----------------------------------------------------------------------------------


@router.get("/projects/{project_id}/participant-schemes", response_model=list[SchemePublic])
def list_schemes(access: ProjectAccess, session: SessionDep) -> list[SchemePublic]:
    """The project's registration schemes (definitions only; readable by every role)."""
    return [
        scheme_public(s) for s in setup.list_schemes(session=session, project_id=access.project_id)
    ]


@router.post(
    "/projects/{project_id}/participant-schemes", response_model=SchemePublic, status_code=201
)
def create_scheme(data: SchemeCreate, access: ProjectLeader, session: SessionDep) -> SchemePublic:
    """Add a registration scheme (project leader)."""
    return scheme_public(setup.create_scheme(session=session, by=access, data=data))


@router.get("/projects/{project_id}/participant-schemes/{scheme_id}", response_model=SchemePublic)
def get_scheme(scheme_id: int, access: ProjectAccess, session: SessionDep) -> SchemePublic:
    """One registration scheme."""
    return scheme_public(
        setup.get_scheme(session=session, project_id=access.project_id, scheme_id=scheme_id)
    )


@router.patch("/projects/{project_id}/participant-schemes/{scheme_id}", response_model=SchemePublic)
def update_scheme(
    scheme_id: int, data: SchemeUpdate, access: ProjectLeader, session: SessionDep
) -> SchemePublic:
    """Change a scheme (project leader); values of removed fields are deleted."""
    return scheme_public(
        setup.update_scheme(session=session, by=access, scheme_id=scheme_id, data=data)
    )


@router.delete("/projects/{project_id}/participant-schemes/{scheme_id}", status_code=204)
def delete_scheme(scheme_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    """Delete a scheme without participants (project leader)."""
    setup.delete_scheme(session=session, by=access, scheme_id=scheme_id)
    return Response(status_code=204)


# Registrars -------------------------------------------------------------------------------


def _registrar_public(view: setup.RegistrarView) -> RegistrarPublic:
    return RegistrarPublic(
        user_id=view.user.id,
        username=view.user.username,
        full_name=view.user.full_name,
        is_project_leader=view.is_project_leader,
    )


@router.get("/projects/{project_id}/participant-registrars", response_model=list[RegistrarPublic])
def list_registrars(access: ProjectLeader, session: SessionDep) -> list[RegistrarPublic]:
    """Who may see and edit participant records: project leaders and appointed registrars."""
    return [
        _registrar_public(v)
        for v in setup.list_registrars(session=session, project_id=access.project_id)
    ]


@router.post(
    "/projects/{project_id}/participant-registrars", response_model=RegistrarPublic, status_code=201
)
def appoint_registrar(
    data: RegistrarCreate, access: ProjectLeader, session: SessionDep
) -> RegistrarPublic:
    """Appoint a project member as registrar (project leader)."""
    setup.appoint_registrar(session=session, by=access, user_id=data.user_id)
    view = next(
        v
        for v in setup.list_registrars(session=session, project_id=access.project_id)
        if v.user.id == data.user_id
    )
    return _registrar_public(view)


@router.delete("/projects/{project_id}/participant-registrars/{user_id}", status_code=204)
def remove_registrar(user_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    """Take the registrar role away (project leader)."""
    setup.remove_registrar(session=session, by=access, user_id=user_id)
    return Response(status_code=204)


# Aggregates (every role in the project) ---------------------------------------------------

Unit = Literal["quarter", "month"]


def _report(
    session: Session,
    access: Access,
    scheme_id: int | None,
    as_of: date | None,
    unit: Unit,
    target_group: str | None,
) -> Report:
    return service.monitoring_report(
        session=session,
        project_id=access.project_id,
        scheme_id=scheme_id,
        as_of=as_of,
        unit=unit,
        target_group=target_group or None,
    )


@router.get("/projects/{project_id}/participants/monitoring")
def monitoring(
    access: ProjectAccess,
    session: SessionDep,
    scheme_id: int | None = None,
    as_of: Day | None = None,
    unit: Unit = "quarter",
    target_group: str | None = None,
) -> dict[str, Any]:
    """The published figures (as of the month end on or before `as_of`, counts rounded to the
    nearest 5, fewer than 5 people shown as "<5")."""
    report = _report(session, access, scheme_id, as_of, unit, target_group)
    return {
        "scheme_id": scheme_id,
        "as_of": report.as_of.isoformat(),
        "unit": unit,
        "target_group": target_group,
        "key_figures": [{"label": label, "value": value} for label, value in report.key_figures()],
        "tables": [t.as_dict() for t in report.tables()],
    }


@router.get("/projects/{project_id}/participants/monitoring/charts/{chart}")
def monitoring_chart(
    chart: Literal["over_time", "outcomes", "hours"],
    access: ProjectAccess,
    session: SessionDep,
    scheme_id: int | None = None,
    as_of: Day | None = None,
    unit: Unit = "quarter",
    target_group: str | None = None,
) -> dict[str, Any]:
    """A monitoring chart as Plotly JSON (drawn from the suppressed figures)."""
    report = _report(session, access, scheme_id, as_of, unit, target_group)
    builders = {
        "over_time": charts.over_time_figure,
        "outcomes": charts.outcomes_figure,
        "hours": charts.hours_figure,
    }
    fig = builders[chart](report)
    if fig is None:
        raise NotFound("Registreringsskemaet har ikke noget timefelt.")
    return fig


@router.get("/projects/{project_id}/participants/monitoring.xlsx")
def monitoring_xlsx(
    access: ProjectAccess,
    session: SessionDep,
    scheme_id: int | None = None,
    as_of: Day | None = None,
    unit: Unit = "quarter",
    target_group: str | None = None,
) -> Response:
    """The aggregated figures for the grantor as Excel (suppression applied)."""
    report = _report(session, access, scheme_id, as_of, unit, target_group)
    project = get_project(session=session, project_id=access.project_id)
    name = "Alle registreringsskemaer"
    if scheme_id is not None:
        name = setup.get_scheme(
            session=session, project_id=access.project_id, scheme_id=scheme_id
        ).name
    content = exports.monitoring_workbook(report, title=project.name, scheme_name=name)
    return _xlsx(content, f"deltagere-monitorering-{report.as_of.isoformat()}.xlsx")


@router.get("/projects/{project_id}/participants/metrics/{metric}", response_model=MetricPublic)
def metric(
    metric: str,
    access: ProjectAccess,
    session: SessionDep,
    as_of: Day | None = None,
    scheme_id: int | None = None,
    target_group: str | None = None,
) -> MetricPublic:
    """One indicator computed from the registrations: exact for registrars, published (as of a
    month end, rounded, nothing below 5 people) for everyone else."""
    value = service.metric_for(
        session=session,
        access=access,
        metric=metric,
        as_of=as_of or clock.today(),
        scheme_id=scheme_id,
        target_group=target_group,
    )
    return _metric_public(value)


def _metric_public(value: service.MetricValue) -> MetricPublic:
    return MetricPublic(
        metric=value.metric,
        label=value.label,
        as_of=value.as_of,
        value=value.value,
        people=value.people,
        shown=value.shown,
        exact=value.exact,
    )


@router.post(
    "/projects/{project_id}/indicators/{indicator_id}/from-registrations",
    response_model=IndicatorMeasurementPublic,
    status_code=201,
)
def indicator_from_registrations(
    indicator_id: int, data: IndicatorFromRegistrations, access: GroupWorker, session: SessionDep
) -> IndicatorMeasurementPublic:
    """Record a success measure's measurement: the published figure as of the month end on or
    before `as_of` (a figure of fewer than 5 people is refused; an indicator of another project
    is 404)."""
    measurement, value = service.record_indicator_from_registrations(
        session=session,
        by=access,
        indicator_id=indicator_id,
        metric=data.metric,
        as_of=data.as_of or clock.today(),
        scheme_id=data.scheme_id,
    )
    return IndicatorMeasurementPublic(
        measurement=MeasurementPublic.model_validate(measurement, from_attributes=True),
        metric=_metric_public(value),
    )


# Row-level records (registrars; every read audited) ---------------------------------------


@router.get("/projects/{project_id}/participants.xlsx")
def participants_xlsx(access: ProjectLeader, session: AuditedSession) -> Response:
    """The pseudonymous records as Excel (project leader only; the export is audited)."""
    records = service.export_records(session=session, by=access)
    schemes = setup.list_schemes(session=session, project_id=access.project_id)
    return _xlsx(
        exports.participants_workbook(records, schemes),
        f"deltagere-personniveau-{clock.today().isoformat()}.xlsx",
    )


@router.get("/projects/{project_id}/participants/due", response_model=list[DuePublic])
def due(
    access: Registrar,
    session: AuditedSession,
    today: Day | None = None,
    scheme_id: int | None = None,
) -> list[DuePublic]:
    """Participants whose follow-up is overdue or due within 14 days."""
    items = service.due_follow_ups(session=session, by=access, today=today, scheme_id=scheme_id)
    return [
        DuePublic(
            participant_id=i.record.participant.id,
            code=i.record.participant.code,
            scheme_id=i.record.participant.scheme_id,
            target_group=i.record.participant.target_group,
            start_date=i.record.participant.start_date,
            last_follow_up_date=i.record.last_follow_up_date,
            due_date=i.due_date,
            overdue=i.overdue,
        )
        for i in items
    ]


@router.get("/projects/{project_id}/participants", response_model=list[ParticipantPublic])
def list_participants(
    access: Registrar,
    session: AuditedSession,
    scheme_id: int | None = None,
    status: Literal["active", "exited"] | None = None,
    code: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[ParticipantPublic]:
    """The participants with their follow-ups (registrars; the read is audited)."""
    records, _ = service.list_participants(
        session=session,
        by=access,
        scheme_id=scheme_id,
        status=status,
        code=code,
        offset=max(0, offset),
        limit=min(max(1, limit), 500),
    )
    return [participant_public(r) for r in records]


@router.post(
    "/projects/{project_id}/participants", response_model=ParticipantPublic, status_code=201
)
def register(data: ParticipantCreate, access: Registrar, session: SessionDep) -> ParticipantPublic:
    """Register a participant at start (code assigned when left out)."""
    participant = service.register_participant(session=session, by=access, data=data)
    return _written(session, participant)


@router.get(
    "/projects/{project_id}/participants/{participant_id}", response_model=ParticipantPublic
)
def get_participant(
    participant_id: int, access: Registrar, session: AuditedSession
) -> ParticipantPublic:
    """One participant with follow-ups (the read is audited)."""
    return participant_public(
        service.get_participant(session=session, by=access, participant_id=participant_id)
    )


@router.patch(
    "/projects/{project_id}/participants/{participant_id}", response_model=ParticipantPublic
)
def update_participant(
    participant_id: int, data: ParticipantUpdate, access: Registrar, session: SessionDep
) -> ParticipantPublic:
    """Correct a participant's code, target group, start date or start values."""
    participant = service.update_participant(
        session=session, by=access, participant_id=participant_id, data=data
    )
    return _written(session, participant)


@router.delete("/projects/{project_id}/participants/{participant_id}", status_code=204)
def delete_participant(participant_id: int, access: Registrar, session: SessionDep) -> Response:
    """Delete a participant registered by mistake."""
    service.delete_participant(session=session, by=access, participant_id=participant_id)
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
    f = service.add_follow_up(session=session, by=access, participant_id=participant_id, data=data)
    return FollowUpPublic(
        id=f.id, follow_up_date=f.follow_up_date, values=f.values, version=f.version
    )


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
    f = service.update_follow_up(
        session=session,
        by=access,
        participant_id=participant_id,
        follow_up_id=follow_up_id,
        data=data,
    )
    return FollowUpPublic(
        id=f.id, follow_up_date=f.follow_up_date, values=f.values, version=f.version
    )


@router.delete(
    "/projects/{project_id}/participants/{participant_id}/follow-ups/{follow_up_id}",
    status_code=204,
)
def delete_follow_up(
    participant_id: int, follow_up_id: int, access: Registrar, session: SessionDep
) -> Response:
    """Delete a follow-up recorded by mistake."""
    service.delete_follow_up(
        session=session, by=access, participant_id=participant_id, follow_up_id=follow_up_id
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
    participant = service.record_exit(
        session=session, by=access, participant_id=participant_id, data=data
    )
    return _written(session, participant)


@router.delete("/projects/{project_id}/participants/{participant_id}/exit", status_code=204)
def reopen(
    participant_id: int, access: Registrar, session: SessionDep, version: int | None = None
) -> Response:
    """Undo an exit; the exit values are deleted."""
    service.reopen(session=session, by=access, participant_id=participant_id, version=version)
    return Response(status_code=204)
