"""Reading and changing the RAID register and the success measures. One commit per use case.

`top_risks` is the hand-over to the status report: the highest-scoring open risks of a project.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, delete, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.danish import format_date
from app.db import get_for_update, utcnow
from app.errors import Forbidden, Invalid, NotFound, check_version, missing
from app.governance.models import Body, BodyKind, Person
from app.risks import rules
from app.risks.models import Indicator, Measurement, RaidItem
from app.risks.rules import Due, Progress, RaidKind, RaidStatus, RiskLevel
from app.risks.schemas import (
    IndicatorCreate,
    IndicatorUpdate,
    MeasurementCreate,
    MeasurementUpdate,
    RaidItemCreate,
    RaidItemUpdate,
)

NOT_YOUR_GROUP = "Du kan kun ændre poster, der hører til din egen implementeringsgruppe."
CHOOSE_YOUR_GROUP = (
    "Som medlem af en implementeringsgruppe skal du knytte posten til din egen "
    "gruppe (feltet »Gruppe«)."
)


def _check_group(*, session: Session, project_id: int, group_id: int | None) -> None:
    if group_id is None:
        return
    body = session.get(Body, group_id)
    if body is None or body.project_id != project_id or body.kind != BodyKind.implementation_group:
        raise Invalid(
            "Gruppen findes ikke blandt projektets implementeringsgrupper.", field="group_id"
        )


def _check_owner(*, session: Session, project_id: int, owner_id: int | None) -> None:
    if owner_id is None:
        return
    person = session.get(Person, owner_id)
    if person is None or person.project_id != project_id:
        raise Invalid("Den ansvarlige findes ikke blandt projektets personer.", field="owner_id")


def _may_edit_group(by: Access, group_id: int | None) -> None:
    if not by.can_edit_group(group_id):
        raise Forbidden(CHOOSE_YOUR_GROUP if group_id is None and not by.leads else NOT_YOUR_GROUP)


# --- The RAID register ---


def list_items(
    *,
    session: Session,
    project_id: int,
    kind: RaidKind | None = None,
    status: RaidStatus | None = None,
    open_only: bool = False,
    group_id: int | None = None,
    level: RiskLevel | None = None,
) -> list[RaidItem]:
    """The register, filtered: open items first, then by kind, highest score first."""
    query = select(RaidItem).where(RaidItem.project_id == project_id)
    if kind is not None:
        query = query.where(RaidItem.kind == kind)
    if status is not None:
        query = query.where(RaidItem.status == status)
    if open_only:
        query = query.where(RaidItem.status != RaidStatus.closed)
    if group_id is not None:
        query = query.where(RaidItem.group_id == group_id)
    items = [i for i in session.exec(query).all() if level is None or i.level == level]
    kinds = list(RaidKind)
    return sorted(
        items, key=lambda i: (not i.is_open, kinds.index(i.kind), *rules.risk_order_key(i))
    )


def get_item(*, session: Session, project_id: int, item_id: int) -> RaidItem:
    """One item of the project's register, or NotFound."""
    item = session.get(RaidItem, item_id)
    if item is None or item.project_id != project_id:
        raise NotFound("Posten findes ikke i projektets risikolog.")
    return item


def create_item(*, session: Session, by: Access, data: RaidItemCreate) -> RaidItem:
    """Add a risk, issue, assumption or dependency to the register."""
    _may_edit_group(by, data.group_id)
    _check_group(session=session, project_id=by.project_id, group_id=data.group_id)
    _check_owner(session=session, project_id=by.project_id, owner_id=data.owner_id)
    rules.check_raid_values(
        kind=data.kind, probability=data.probability, consequence=data.consequence
    )
    item = RaidItem(project_id=by.project_id, **data.model_dump())
    session.add(item)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="raid_item",
        entity_id=item.id,
        project_id=by.project_id,
        after=audit.snapshot(item),
    )
    session.commit()
    return item


def update_item(*, session: Session, by: Access, item_id: int, data: RaidItemUpdate) -> RaidItem:
    """Change an item (optimistic: refuses an outdated version); moving it to another group needs
    the right to edit both groups."""
    item = get_for_update(session=session, model=RaidItem, item_id=item_id)
    if item is None or item.project_id != by.project_id:
        raise NotFound("Posten findes ikke i projektets risikolog.")
    _may_edit_group(by, item.group_id)
    check_version(item, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "group_id" in changes and changes["group_id"] != item.group_id:
        _may_edit_group(by, changes["group_id"])
        _check_group(session=session, project_id=by.project_id, group_id=changes["group_id"])
    if "owner_id" in changes:
        _check_owner(session=session, project_id=by.project_id, owner_id=changes["owner_id"])
    for required in ("kind", "title", "status"):
        if required in changes and changes[required] is None:
            raise missing(required)
    kind = changes.get("kind", item.kind)
    if kind == RaidKind.risk:
        changes.setdefault("probability", item.probability)
        changes.setdefault("consequence", item.consequence)
    else:
        changes.setdefault("probability", None)
        changes.setdefault("consequence", None)
    rules.check_raid_values(
        kind=kind, probability=changes["probability"], consequence=changes["consequence"]
    )
    before = audit.snapshot(item)
    for key, value in changes.items():
        setattr(item, key, value)
    item.version += 1
    item.updated_at = utcnow()
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="raid_item",
        entity_id=item.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(item),
    )
    session.commit()
    return item


def delete_item(*, session: Session, by: Access, item_id: int) -> None:
    """Remove an item from the register (the audit log keeps its last content)."""
    item = get_for_update(session=session, model=RaidItem, item_id=item_id)
    if item is None or item.project_id != by.project_id:
        raise NotFound("Posten findes ikke i projektets risikolog.")
    _may_edit_group(by, item.group_id)
    before = audit.snapshot(item)
    session.delete(item)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="raid_item",
        entity_id=item_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


def open_risks(*, session: Session, project_id: int) -> list[RaidItem]:
    """The project's risks that are not closed, highest score first."""
    return list_items(session=session, project_id=project_id, kind=RaidKind.risk, open_only=True)


def top_risks(*, session: Session, project_id: int, limit: int = 5) -> list[RaidItem]:
    """The highest-scoring open risks (for the status report): score, then consequence, then
    probability, highest first; the oldest first on a full tie."""
    return open_risks(session=session, project_id=project_id)[: max(0, limit)]


def overdue_reviews(
    *, session: Session, project_id: int, today: date | None = None
) -> list[RaidItem]:
    """Open items whose review date has passed."""
    today = today or clock.today()
    return [
        i
        for i in list_items(session=session, project_id=project_id, open_only=True)
        if rules.review_overdue(review_date=i.review_date, is_open=True, today=today)
    ]


def owner_names(*, session: Session, project_id: int) -> dict[int, str]:
    """Person id → name, for showing owners."""
    return {
        p.id: p.name
        for p in session.exec(select(Person).where(Person.project_id == project_id))
        if p.id is not None
    }


# --- Success measures ---


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
    indicator = session.get(Indicator, indicator_id)
    if indicator is None or indicator.project_id != project_id:
        raise NotFound("Indikatoren findes ikke i projektet.")
    return indicator


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
    _may_edit_group(by, data.group_id)
    _check_group(session=session, project_id=by.project_id, group_id=data.group_id)
    _check_owner(session=session, project_id=by.project_id, owner_id=data.owner_id)
    rules.check_indicator_dates(
        baseline_date=data.baseline_date, target_date=data.target_date, first_measured=None
    )
    last = list_indicators(session=session, project_id=by.project_id)
    indicator = Indicator(project_id=by.project_id, position=len(last), **data.model_dump())
    session.add(indicator)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="indicator",
        entity_id=indicator.id,
        project_id=by.project_id,
        after=audit.snapshot(indicator),
    )
    session.commit()
    return indicator


def update_indicator(
    *, session: Session, by: Access, indicator_id: int, data: IndicatorUpdate
) -> Indicator:
    """Change an indicator's definition, baseline, target or frequency (optimistic)."""
    indicator = get_for_update(session=session, model=Indicator, item_id=indicator_id)
    if indicator is None or indicator.project_id != by.project_id:
        raise NotFound("Indikatoren findes ikke i projektet.")
    _may_edit_group(by, indicator.group_id)
    check_version(indicator, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for required in ("name", "direction", "baseline_date", "frequency"):
        if required in changes and changes[required] is None:
            raise missing(required)
    if "group_id" in changes and changes["group_id"] != indicator.group_id:
        _may_edit_group(by, changes["group_id"])
        _check_group(session=session, project_id=by.project_id, group_id=changes["group_id"])
    if "owner_id" in changes:
        _check_owner(session=session, project_id=by.project_id, owner_id=changes["owner_id"])
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
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="indicator",
        entity_id=indicator.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(indicator),
    )
    session.commit()
    return indicator


def delete_indicator(*, session: Session, by: Access, indicator_id: int) -> None:
    """Remove an indicator and its measurements."""
    indicator = get_for_update(session=session, model=Indicator, item_id=indicator_id)
    if indicator is None or indicator.project_id != by.project_id:
        raise NotFound("Indikatoren findes ikke i projektet.")
    _may_edit_group(by, indicator.group_id)
    before = audit.snapshot(indicator) or {}
    before["measurements"] = [
        audit.snapshot(m) for m in list_measurements(session=session, indicator_id=indicator_id)
    ]
    session.exec(delete(Measurement).where(col(Measurement.indicator_id) == indicator_id))
    session.delete(indicator)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="indicator",
        entity_id=indicator_id,
        project_id=by.project_id,
        before=before,
    )
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
    _may_edit_group(by, indicator.group_id)
    rules.check_measurement_date(
        measured_date=data.measured_date,
        baseline_date=indicator.baseline_date,
        today=today or clock.today(),
    )
    _check_unique_date(session=session, indicator_id=indicator_id, measured_date=data.measured_date)
    measurement = Measurement(
        indicator_id=indicator_id,
        measured_date=data.measured_date,
        value=data.value,
        note=data.note,
        recorded_by_id=by.user.id,
        recorded_by_name=by.user.full_name or by.user.username,
    )
    session.add(measurement)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="measurement",
        entity_id=measurement.id,
        project_id=by.project_id,
        after=audit.snapshot(measurement),
    )
    session.commit()
    return measurement


def _measurement_for_update(
    *, session: Session, by: Access, indicator_id: int, measurement_id: int
) -> tuple[Indicator, Measurement]:
    indicator = get_indicator(session=session, project_id=by.project_id, indicator_id=indicator_id)
    measurement = get_for_update(session=session, model=Measurement, item_id=measurement_id)
    if measurement is None or measurement.indicator_id != indicator_id:
        raise NotFound("Målingen findes ikke for denne indikator.")
    _may_edit_group(by, indicator.group_id)
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
    check_version(measurement, data.version)
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
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="measurement",
        entity_id=measurement.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(measurement),
    )
    session.commit()
    return measurement


def delete_measurement(
    *, session: Session, by: Access, indicator_id: int, measurement_id: int
) -> None:
    """Remove a measurement recorded in error."""
    _, measurement = _measurement_for_update(
        session=session, by=by, indicator_id=indicator_id, measurement_id=measurement_id
    )
    before = audit.snapshot(measurement)
    session.delete(measurement)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="measurement",
        entity_id=measurement_id,
        project_id=by.project_id,
        before=before,
    )
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


def status_of(
    indicator: Indicator, measurements: list[Measurement], *, today: date
) -> IndicatorStatus:
    """The computed state of one indicator on a given day."""
    ordered = sorted(measurements, key=lambda m: m.measured_date)
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
