"""The risks' part of the project document: the RAID register and the indicators with their
measurements. Owners and groups are referred to by document keys of people and bodies."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer
from sqlmodel import Session, col, select

from app import inputs
from app.db import utcnow
from app.errors import Invalid
from app.governance.models import BodyKind
from app.projectdoc.refs import Refs
from app.risks import rules
from app.risks.models import Indicator, Measurement, RaidItem
from app.risks.rules import Direction, RaidKind, RaidStatus
from app.risks.schemas import FrequencyField


class Strict(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


# Values travel as decimal strings ("12.5"), so no reader turns them into binary floats.
DocValue = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=3),
    BeforeValidator(lambda v: str(v) if isinstance(v, int | float) else v),
    PlainSerializer(lambda v: format(v.normalize(), "f"), return_type=str, when_used="json"),
]


class RaidItemDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    kind: RaidKind = RaidKind.risk
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    probability: int | None = None
    consequence: int | None = None
    owner: str | None = None
    group: str | None = None
    response: str = Field(default="", max_length=4000)
    status: RaidStatus = RaidStatus.open
    review_date: date | None = None


class MeasurementDoc(Strict):
    measured_date: date
    value: DocValue
    note: str = Field(default="", max_length=1000)
    recorded_by: str = Field(default="", max_length=200)
    recorded_at: datetime | None = None


class IndicatorDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    definition: str = Field(default="", max_length=4000)
    unit: str = Field(default="", max_length=40)
    direction: Direction = Direction.higher_is_better
    baseline_value: DocValue | None = None
    baseline_date: date
    target_value: DocValue | None = None
    target_date: date | None = None
    frequency: FrequencyField
    owner: str | None = None
    group: str | None = None
    measurements: list[MeasurementDoc] = []


class RisksDoc(Strict):
    """The sections of the document that this domain owns."""

    raid_items: list[RaidItemDoc] = []
    indicators: list[IndicatorDoc] = []


def export_risks(*, session: Session, project_id: int, refs: Refs) -> dict:
    """The register and the indicators of a project, as document sections (after the
    organisation, whose people and bodies they refer to)."""
    items = session.exec(
        select(RaidItem).where(RaidItem.project_id == project_id).order_by(col(RaidItem.id))
    ).all()
    indicators = session.exec(
        select(Indicator)
        .where(Indicator.project_id == project_id)
        .order_by(col(Indicator.position), col(Indicator.id))
    ).all()
    measurements = session.exec(
        select(Measurement)
        .where(col(Measurement.indicator_id).in_([i.id for i in indicators]))
        .order_by(col(Measurement.measured_date))
    ).all()
    by_indicator: dict[int, list[MeasurementDoc]] = {}
    for m in measurements:
        by_indicator.setdefault(m.indicator_id, []).append(
            MeasurementDoc(
                measured_date=m.measured_date,
                value=m.value,
                note=m.note,
                recorded_by=m.recorded_by_name,
                recorded_at=m.recorded_at,
            )
        )
    doc = RisksDoc(
        raid_items=[
            RaidItemDoc(
                key=f"raid-{n}",
                kind=i.kind,
                title=i.title,
                description=i.description,
                probability=i.probability,
                consequence=i.consequence,
                owner=refs.key("person", i.owner_id),
                group=refs.key("body", i.group_id),
                response=i.response,
                status=i.status,
                review_date=i.review_date,
            )
            for n, i in enumerate(items, 1)
        ],
        indicators=[
            IndicatorDoc(
                key=f"indicator-{n}",
                name=i.name,
                definition=i.definition,
                unit=i.unit,
                direction=i.direction,
                baseline_value=i.baseline_value,
                baseline_date=i.baseline_date,
                target_value=i.target_value,
                target_date=i.target_date,
                frequency=i.frequency,
                owner=refs.key("person", i.owner_id),
                group=refs.key("body", i.group_id),
                measurements=by_indicator.get(i.id or 0, []),
            )
            for n, i in enumerate(indicators, 1)
        ],
    )
    return doc.model_dump(mode="json")


def _group_kinds(doc: BaseModel) -> dict[str, BodyKind]:
    return {b.key: b.kind for b in getattr(doc, "bodies", [])}


def check_risks(doc: RisksDoc, refs: Refs) -> None:
    """Check keys, references and the rules of the register and the measures (errors go to refs)."""
    refs.declare_all("raid", "$.raid_items", [i.key for i in doc.raid_items])
    refs.declare_all("indicator", "$.indicators", [i.key for i in doc.indicators])
    kinds = _group_kinds(doc)
    for n, item in enumerate(doc.raid_items):
        path = f"$.raid_items[{n}]"
        refs.check("person", item.owner, f"{path}.owner")
        _check_group(refs, kinds, item.group, f"{path}.group")
        try:
            rules.check_raid_values(
                kind=item.kind, probability=item.probability, consequence=item.consequence
            )
        except Invalid as exc:
            refs.error(f"{path}.{exc.field}", exc.message)
    for n, indicator in enumerate(doc.indicators):
        path = f"$.indicators[{n}]"
        refs.check("person", indicator.owner, f"{path}.owner")
        _check_group(refs, kinds, indicator.group, f"{path}.group")
        first = min((m.measured_date for m in indicator.measurements), default=None)
        try:
            rules.check_indicator_dates(
                baseline_date=indicator.baseline_date,
                target_date=indicator.target_date,
                first_measured=first,
            )
        except Invalid as exc:
            refs.error(f"{path}.{exc.field}", exc.message)
        seen: set[date] = set()
        for j, m in enumerate(indicator.measurements):
            if m.measured_date in seen:
                refs.error(
                    f"{path}.measurements[{j}].measured_date",
                    f"Der er to målinger med datoen {m.measured_date.isoformat()}.",
                )
            seen.add(m.measured_date)


def _check_group(refs: Refs, kinds: dict[str, BodyKind], key: str | None, path: str) -> None:
    refs.check("body", key, path)
    if key in kinds and kinds[key] != BodyKind.implementation_group:
        refs.error(path, f"»{key}« er ikke en implementeringsgruppe.")


def load_risks(*, session: Session, doc: RisksDoc, project_id: int, refs: Refs) -> None:
    """Create the register and the indicators from checked document sections (no commit)."""
    for item in doc.raid_items:
        session.add(
            RaidItem(
                project_id=project_id,
                kind=item.kind,
                title=item.title,
                description=item.description,
                probability=item.probability,
                consequence=item.consequence,
                owner_id=refs.id("person", item.owner),
                group_id=refs.id("body", item.group),
                response=item.response,
                status=item.status,
                review_date=item.review_date,
            )
        )
    for position, i in enumerate(doc.indicators):
        indicator = Indicator(
            project_id=project_id,
            name=i.name,
            definition=i.definition,
            unit=i.unit,
            direction=i.direction,
            baseline_value=i.baseline_value,
            baseline_date=i.baseline_date,
            target_value=i.target_value,
            target_date=i.target_date,
            frequency=i.frequency,
            owner_id=refs.id("person", i.owner),
            group_id=refs.id("body", i.group),
            position=position,
        )
        session.add(indicator)
        session.flush()
        refs.bind("indicator", i.key, indicator.id)
        for m in i.measurements:
            session.add(
                Measurement(
                    indicator_id=indicator.id or 0,
                    measured_date=m.measured_date,
                    value=m.value,
                    note=m.note,
                    recorded_by_name=m.recorded_by,
                    recorded_at=m.recorded_at or utcnow(),
                )
            )
    session.flush()
