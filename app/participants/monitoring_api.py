"""API of the aggregated monitoring (every role in the project): the published figures, their
charts and Excel, indicators computed from the registrations, and recording one as a success
measure's measurement."""

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Response
from sqlmodel import Session

from app import clock
from app.auth.service import Access
from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.errors import NotFound
from app.governance.projects import get_project
from app.inputs import Day
from app.participants import charts, exports, figures, indicators, setup
from app.participants.deps import xlsx
from app.participants.monitoring import Report
from app.participants.schemas import (
    IndicatorFromRegistrations,
    IndicatorMeasurementPublic,
    MetricPublic,
)
from app.risks.schemas import MeasurementPublic

router = APIRouter(prefix="/api", tags=["deltagere"])


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
    return figures.monitoring_report(
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
    return xlsx(content, f"deltagere-monitorering-{report.as_of.isoformat()}.xlsx")


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
    value = indicators.metric_for(
        session=session,
        access=access,
        metric=metric,
        as_of=as_of or clock.today(),
        scheme_id=scheme_id,
        target_group=target_group,
    )
    return MetricPublic.of(value)


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
    measurement, value = indicators.record_indicator_from_registrations(
        session=session,
        by=access,
        indicator_id=indicator_id,
        data=data,
    )
    return IndicatorMeasurementPublic(
        measurement=MeasurementPublic.model_validate(measurement, from_attributes=True),
        metric=MetricPublic.of(value),
    )
