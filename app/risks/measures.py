"""The success measures: indicators with their baseline, target and frequency, the measurements
recorded against them, and each indicator's computed state (progress, next due measurement).
One commit per use case."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, delete, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.danish import format_date
from app.db import get_for_update, project_row
from app.errors import Invalid, NotFound, missing, require_version
from app.risks import rules
from app.risks.models import Indicator, Measurement
from app.risks.rules import Due, Progress
from app.risks.schemas import (
    IndicatorCreate,
    IndicatorUpdate,
    MeasurementCreate,
    MeasurementUpdate,
)
from app.risks.service import check_group, check_owner, require_group_editor

NOT_FOUND = "Indikatoren findes ikke i projektet."


def list_indicators(*, session: Session, project_id: int) -> list[Indicator]:
    """The project's indicators in their set order."""
    return list(
        session.exec(
            select(Indicator)
            .where(Indicator.project_id == project_id)
            .order_by(col(Indicator.position), col(Indicator.id))
        ).all()
    )


def get_indicator(*, session: Session, project_id: int, indicator_id: int) -> Indicator:
    """One indicator of the project, or NotFound."""
    return project_row(
        Indicator, indicator_id, session=session, project_id=project_id, missing=NOT_FOUND
    )


def list_measurements(*, session: Session, indicator_id: int) -> list[Measurement]:
    """An indicator's measurements, oldest first."""
    return list(
        session.exec(
            select(Measurement)
            .where(Measurement.indicator_id == indicator_id)
            .order_by(col(Measurement.measured_date))
        ).all()
    )


def create_indicator(*, session: Session, by: Access, data: IndicatorCreate) -> Indicator:
    """Add a success measure to the project."""
    require_group_editor(by=by, group_id=data.group_id)
    check_group(session=session, project_id=by.project_id, group_id=data.group_id)
    check_owner(session=session, project_id=by.project_id, owner_id=data.owner_id)
    rules.check_indicator_dates(
        baseline_date=data.baseline_date, target_date=data.target_date, first_measured=None
    )
    last = list_indicators(session=session, project_id=by.project_id)
    indicator = Indicator(project_id=by.project_id, position=len(last), **data.model_dump())
    session.add(indicator)
    session.flush()
    audit.log(session=session, by=by, action="created", row=indicator)
    session.commit()
    return indicator


def update_indicator(
    *, session: Session, by: Access, indicator_id: int, data: IndicatorUpdate
) -> Indicator:
    """Change an indicator's definition, baseline, target or frequency (optimistic)."""
    indicator = project_row(
        Indicator,
        indicator_id,
        session=session,
        project_id=by.project_id,
        missing=NOT_FOUND,
        lock=True,
    )
    require_group_editor(by=by, group_id=indicator.group_id)
    require_version(indicator, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for required in ("name", "direction", "baseline_date", "frequency"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "group_id" in changes and changes["group_id"] != indicator.group_id:
        require_group_editor(by=by, group_id=changes["group_id"])
        check_group(session=session, project_id=by.project_id, group_id=changes["group_id"])
    if "owner_id" in changes:
        check_owner(session=session, project_id=by.project_id, owner_id=changes["owner_id"])
    measurements = list_measurements(session=session, indicator_id=indicator_id)
    rules.check_indicator_dates(
        baseline_date=changes.get("baseline_date", indicator.baseline_date),
        target_date=changes.get("target_date", indicator.target_date),
        first_measured=measurements[0].measured_date if measurements else None,
    )
    before = audit.snapshot(indicator)
    for key, value in changes.items():
        setattr(indicator, key, value)
    indicator.version += 1
    audit.log(session=session, by=by, action="updated", row=indicator, before=before)
    session.commit()
    return indicator


def delete_indicator(
    *, session: Session, by: Access, indicator_id: int, version: int | None
) -> None:
    """Remove an indicator and its measurements."""
    indicator = project_row(
        Indicator,
        indicator_id,
        session=session,
        project_id=by.project_id,
        missing=NOT_FOUND,
        lock=True,
    )
    require_group_editor(by=by, group_id=indicator.group_id)
    require_version(indicator, version)
    before = audit.snapshot(indicator) or {}
    before["measurements"] = [
        audit.snapshot(m) for m in list_measurements(session=session, indicator_id=indicator_id)
    ]
    session.exec(delete(Measurement).where(col(Measurement.indicator_id) == indicator_id))
    session.delete(indicator)
    audit.log(session=session, by=by, action="deleted", row=indicator, before=before)
    session.commit()


def _check_unique_date(
    *, session: Session, indicator_id: int, measured_date: date, except_id: int | None = None
) -> None:
    clash = session.exec(
        select(Measurement).where(
            Measurement.indicator_id == indicator_id, Measurement.measured_date == measured_date
        )
    ).first()
    if clash is not None and clash.id != except_id:
        raise Invalid(
            f"Der er allerede en måling den {format_date(measured_date)} for denne indikator. "
            "Ret den i stedet for at tilføje en ny.",
            field="measured_date",
        )


def add_measurement(
    *,
    session: Session,
    by: Access,
    indicator_id: int,
    data: MeasurementCreate,
    today: date | None = None,
) -> Measurement:
    """Record a measured value of an indicator, dated between its baseline date and today."""
    indicator = get_indicator(session=session, project_id=by.project_id, indicator_id=indicator_id)
    require_group_editor(by=by, group_id=indicator.group_id)
    rules.check_measurement_date(
        measured_date=data.measured_date,
        baseline_date=indicator.baseline_date,
        today=today or clock.today(),
    )
    _check_unique_date(session=session, indicator_id=indicator_id, measured_date=data.measured_date)
    measurement = Measurement(
        indicator_id=indicator_id,
        **data.model_dump(),
        recorded_by_id=by.user.id,
        recorded_by_name=by.user.full_name or by.user.username,
    )
    session.add(measurement)
    session.flush()
    audit.log(session=session, by=by, action="created", row=measurement)
    session.commit()
    return measurement


def _measurement_for_update(
    *, session: Session, by: Access, indicator_id: int, measurement_id: int
) -> tuple[Indicator, Measurement]:
    indicator = get_indicator(session=session, project_id=by.project_id, indicator_id=indicator_id)
    measurement = get_for_update(session=session, model=Measurement, item_id=measurement_id)
    if measurement is None or measurement.indicator_id != indicator_id:
        raise NotFound("Målingen findes ikke for denne indikator.")
    require_group_editor(by=by, group_id=indicator.group_id)
    return indicator, measurement


def update_measurement(
    *,
    session: Session,
    by: Access,
    indicator_id: int,
    measurement_id: int,
    data: MeasurementUpdate,
    today: date | None = None,
) -> Measurement:
    """Correct a measurement's date, value or note (optimistic)."""
    indicator, measurement = _measurement_for_update(
        session=session, by=by, indicator_id=indicator_id, measurement_id=measurement_id
    )
    require_version(measurement, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for required in ("measured_date", "value"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "measured_date" in changes:
        rules.check_measurement_date(
            measured_date=changes["measured_date"],
            baseline_date=indicator.baseline_date,
            today=today or clock.today(),
        )
        _check_unique_date(
            session=session,
            indicator_id=indicator_id,
            measured_date=changes["measured_date"],
            except_id=measurement.id,
        )
    before = audit.snapshot(measurement)
    for key, value in changes.items():
        setattr(measurement, key, value)
    measurement.version += 1
    audit.log(session=session, by=by, action="updated", row=measurement, before=before)
    session.commit()
    return measurement


def delete_measurement(
    *, session: Session, by: Access, indicator_id: int, measurement_id: int, version: int | None
) -> None:
    """Remove a measurement recorded in error."""
    _, measurement = _measurement_for_update(
        session=session, by=by, indicator_id=indicator_id, measurement_id=measurement_id
    )
    require_version(measurement, version)
    before = audit.snapshot(measurement)
    session.delete(measurement)
    audit.log(session=session, by=by, action="deleted", row=measurement, before=before)
    session.commit()


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator with its measurements, latest value, progress and next due measurement."""

    indicator: Indicator
    measurements: list[Measurement]
    due: Due
    progress: Progress

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def progress_label(self) -> str:
        return rules.PROGRESS_LABELS[self.progress]

    @property
    def progress_badge(self) -> str:
        return rules.PROGRESS_BADGES[self.progress]

    @property
    def trend(self) -> rules.Trend | None:
        """The latest measurement against the one before it (None with fewer than two)."""
        return rules.trend([m.value for m in self.measurements])


def status_of(
    indicator: Indicator, measurements: list[Measurement], *, today: date
) -> IndicatorStatus:
    """The computed state of one indicator on a given day (measurements dated after it are not
    known yet, as in a status report dated earlier)."""
    ordered = sorted(
        (m for m in measurements if m.measured_date <= today), key=lambda m: m.measured_date
    )
    latest = ordered[-1] if ordered else None
    due = rules.measurement_due(
        frequency=indicator.frequency,
        baseline_date=indicator.baseline_date,
        last_measured=latest.measured_date if latest else None,
        target_date=indicator.target_date,
        today=today,
    )
    state = rules.progress(
        direction=indicator.direction,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        latest=(latest.measured_date, latest.value) if latest else None,
        today=today,
    )
    return IndicatorStatus(indicator, ordered, due, state)


def indicator_status(
    *, session: Session, project_id: int, indicator_id: int, today: date | None = None
) -> IndicatorStatus:
    """One indicator's computed state."""
    indicator = get_indicator(session=session, project_id=project_id, indicator_id=indicator_id)
    return status_of(
        indicator,
        list_measurements(session=session, indicator_id=indicator_id),
        today=today or clock.today(),
    )


def indicator_overview(
    *, session: Session, project_id: int, today: date | None = None
) -> list[IndicatorStatus]:
    """Every indicator of the project with its computed state."""
    indicators = list_indicators(session=session, project_id=project_id)
    rows = session.exec(
        select(Measurement).where(col(Measurement.indicator_id).in_([i.id for i in indicators]))
    ).all()
    by_indicator: dict[int, list[Measurement]] = {}
    for m in rows:
        by_indicator.setdefault(m.indicator_id, []).append(m)
    today = today or clock.today()
    return [status_of(i, by_indicator.get(i.id or 0, []), today=today) for i in indicators]


def missing_measurements(
    *, session: Session, project_id: int, today: date | None = None
) -> list[IndicatorStatus]:
    """Indicators whose due measurement is missing (for the status report)."""
    return [
        s
        for s in indicator_overview(session=session, project_id=project_id, today=today)
        if s.due.missing
    ]
