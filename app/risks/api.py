"""API of the RAID register and the success measures."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Response

from app import clock
from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.inputs import AsOf
from app.risks import charts, measures, rules, service
from app.risks.models import Measurement, RaidItem
from app.risks.rules import RaidKind, RaidStatus, RiskLevel
from app.risks.schemas import (
    IndicatorCreate,
    IndicatorPublic,
    IndicatorUpdate,
    MeasurementCreate,
    MeasurementPublic,
    MeasurementUpdate,
    RaidItemCreate,
    RaidItemPublic,
    RaidItemUpdate,
)
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["risici og succesmål"])
RISKS = "/projects/{project_id}/risks"
INDICATORS = "/projects/{project_id}/indicators"


def _item_public(
    item: RaidItem, owners: dict[int, str], as_of: date | None = None
) -> RaidItemPublic:
    """The item as the API shows it, its review judged on `as_of` (the app's today when None)."""
    return RaidItemPublic(
        **item.model_dump(),
        score=item.score,
        level=item.level,
        owner_name=owners.get(item.owner_id) if item.owner_id else None,
        review_overdue=rules.review_overdue(
            review_date=item.review_date, is_open=item.is_open, today=as_of or clock.today()
        ),
    )


def _indicator_public(status: measures.IndicatorStatus) -> IndicatorPublic:
    latest = status.latest
    return IndicatorPublic(
        **status.indicator.model_dump(),
        latest_value=latest.value if latest else None,
        latest_date=latest.measured_date if latest else None,
        progress=status.progress,
        next_due_date=status.due.next_due_date,
        due_state=status.due.state,
        measurement_missing=status.due.missing,
    )


def _measurement_public(m: Measurement) -> MeasurementPublic:
    return MeasurementPublic.model_validate(m, from_attributes=True)


# --- RAID ---


@router.get(RISKS, response_model=list[RaidItemPublic])
def list_items(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    kind: RaidKind | None = None,
    status: RaidStatus | None = None,
    open_only: bool = False,
    group_id: int | None = None,
    level: RiskLevel | None = None,
    as_of: AsOf = None,
) -> list[RaidItemPublic]:
    """The RAID register, filtered; open items first, highest score first (review overdue as
    of `as_of`)."""
    items = service.list_items(
        session=session,
        project_id=access.project_id,
        kind=kind,
        status=status,
        open_only=open_only,
        group_id=group_id,
        level=level,
    )
    owners = service.owner_names(session=session, project_id=access.project_id)
    return [_item_public(i, owners, as_of) for i in page.slice(items)]


@router.post(RISKS, response_model=RaidItemPublic, status_code=201)
def create_item(data: RaidItemCreate, access: GroupWorker, session: SessionDep) -> RaidItemPublic:
    """Add a risk, issue, assumption or dependency."""
    item = service.create_item(session=session, by=access, data=data)
    owners = service.owner_names(session=session, project_id=access.project_id)
    return _item_public(item, owners)


@router.get(RISKS + "/heatmap")
def heatmap(access: ProjectAccess, session: SessionDep) -> dict[str, Any]:
    """The heat map of open risks as a Plotly figure."""
    return charts.heatmap_figure(service.open_risks(session=session, project_id=access.project_id))


@router.get(RISKS + "/top", response_model=list[RaidItemPublic])
def top_risks(
    access: ProjectAccess, session: SessionDep, limit: int = 5, as_of: AsOf = None
) -> list[RaidItemPublic]:
    """The highest-scoring open risks (what the status report shows)."""
    items = service.top_risks(
        session=session, project_id=access.project_id, limit=min(max(limit, 0), 50)
    )
    owners = service.owner_names(session=session, project_id=access.project_id)
    return [_item_public(i, owners, as_of) for i in items]


@router.get(RISKS + "/{item_id}", response_model=RaidItemPublic)
def get_item(
    item_id: int, access: ProjectAccess, session: SessionDep, as_of: AsOf = None
) -> RaidItemPublic:
    item = service.get_item(session=session, project_id=access.project_id, item_id=item_id)
    owners = service.owner_names(session=session, project_id=access.project_id)
    return _item_public(item, owners, as_of)


@router.patch(RISKS + "/{item_id}", response_model=RaidItemPublic)
def update_item(
    item_id: int, data: RaidItemUpdate, access: GroupWorker, session: SessionDep
) -> RaidItemPublic:
    """Change an item; send the version you read (409 when someone changed it since)."""
    item = service.update_item(session=session, by=access, item_id=item_id, data=data)
    owners = service.owner_names(session=session, project_id=access.project_id)
    return _item_public(item, owners)


@router.delete(RISKS + "/{item_id}", status_code=204)
def delete_item(
    item_id: int, access: GroupWorker, session: SessionDep, expected: ExpectedVersion
) -> Response:
    service.delete_item(session=session, by=access, item_id=item_id, version=expected)
    return Response(status_code=204)


# --- Success measures ---


@router.get(INDICATORS, response_model=list[IndicatorPublic])
def list_indicators(
    access: ProjectAccess, session: SessionDep, page: PageOf, as_of: AsOf = None
) -> list[IndicatorPublic]:
    """The indicators with their latest value, progress and whether a measurement is missing
    (as of `as_of`)."""
    return [
        _indicator_public(s)
        for s in page.slice(
            measures.indicator_overview(session=session, project_id=access.project_id, today=as_of)
        )
    ]


@router.post(INDICATORS, response_model=IndicatorPublic, status_code=201)
def create_indicator(
    data: IndicatorCreate, access: GroupWorker, session: SessionDep
) -> IndicatorPublic:
    indicator = measures.create_indicator(session=session, by=access, data=data)
    return _indicator_public(
        measures.indicator_status(
            session=session, project_id=access.project_id, indicator_id=indicator.id or 0
        )
    )


@router.get(INDICATORS + "/{indicator_id}", response_model=IndicatorPublic)
def get_indicator(
    indicator_id: int, access: ProjectAccess, session: SessionDep, as_of: AsOf = None
) -> IndicatorPublic:
    return _indicator_public(
        measures.indicator_status(
            session=session, project_id=access.project_id, indicator_id=indicator_id, today=as_of
        )
    )


@router.patch(INDICATORS + "/{indicator_id}", response_model=IndicatorPublic)
def update_indicator(
    indicator_id: int, data: IndicatorUpdate, access: GroupWorker, session: SessionDep
) -> IndicatorPublic:
    measures.update_indicator(session=session, by=access, indicator_id=indicator_id, data=data)
    return _indicator_public(
        measures.indicator_status(
            session=session, project_id=access.project_id, indicator_id=indicator_id
        )
    )


@router.delete(INDICATORS + "/{indicator_id}", status_code=204)
def delete_indicator(
    indicator_id: int, access: GroupWorker, session: SessionDep, expected: ExpectedVersion
) -> Response:
    measures.delete_indicator(
        session=session, by=access, indicator_id=indicator_id, version=expected
    )
    return Response(status_code=204)


@router.get(INDICATORS + "/{indicator_id}/chart")
def indicator_chart(
    indicator_id: int, access: ProjectAccess, session: SessionDep
) -> dict[str, Any]:
    """The indicator's measurements and target line as a Plotly figure."""
    status = measures.indicator_status(
        session=session, project_id=access.project_id, indicator_id=indicator_id
    )
    return charts.indicator_status_figure(status)


@router.get(INDICATORS + "/{indicator_id}/measurements", response_model=list[MeasurementPublic])
def list_measurements(
    indicator_id: int, access: ProjectAccess, session: SessionDep, page: PageOf
) -> list[MeasurementPublic]:
    measures.get_indicator(session=session, project_id=access.project_id, indicator_id=indicator_id)
    return [
        _measurement_public(m)
        for m in page.slice(measures.list_measurements(session=session, indicator_id=indicator_id))
    ]


@router.post(
    INDICATORS + "/{indicator_id}/measurements", response_model=MeasurementPublic, status_code=201
)
def add_measurement(
    indicator_id: int, data: MeasurementCreate, access: GroupWorker, session: SessionDep
) -> MeasurementPublic:
    """Record a measurement (dated on or after the baseline date, and not in the future)."""
    return _measurement_public(
        measures.add_measurement(session=session, by=access, indicator_id=indicator_id, data=data)
    )


@router.patch(
    INDICATORS + "/{indicator_id}/measurements/{measurement_id}", response_model=MeasurementPublic
)
def update_measurement(
    indicator_id: int,
    measurement_id: int,
    data: MeasurementUpdate,
    access: GroupWorker,
    session: SessionDep,
) -> MeasurementPublic:
    return _measurement_public(
        measures.update_measurement(
            session=session,
            by=access,
            indicator_id=indicator_id,
            measurement_id=measurement_id,
            data=data,
        )
    )


@router.delete(INDICATORS + "/{indicator_id}/measurements/{measurement_id}", status_code=204)
def delete_measurement(
    indicator_id: int,
    measurement_id: int,
    access: GroupWorker,
    session: SessionDep,
    expected: ExpectedVersion,
) -> Response:
    measures.delete_measurement(
        session=session,
        by=access,
        indicator_id=indicator_id,
        measurement_id=measurement_id,
        version=expected,
    )
    return Response(status_code=204)
