"""API shapes of the RAID register and the success measures (also used to read the page forms)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app import inputs
from app.risks.rules import (
    Direction,
    DueState,
    Frequency,
    Progress,
    RaidKind,
    RaidStatus,
    RiskLevel,
    unknown_frequency_message,
)


def _known_frequency(value: Any) -> Any:
    if value is None or isinstance(value, Frequency):
        return value
    if str(value) not in {f.value for f in Frequency}:
        raise ValueError(unknown_frequency_message(value))
    return value


FrequencyField = Annotated[Frequency, BeforeValidator(_known_frequency)]
# Values of indicators and measurements: exact decimals, at most three decimals.
Value = Annotated[Decimal, Field(max_digits=15, decimal_places=3)]


VERSION_REQUIRED = (
    "Påkrævet: den version, ændringen bygger på; mangler den: 428, er den ældre: 409."
)


class Strict(inputs.Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- RAID ---


class RaidItemCreate(Strict):
    kind: RaidKind = RaidKind.risk
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    probability: int | None = Field(default=None, description="1–5, kun for risici")
    consequence: int | None = Field(default=None, description="1–5, kun for risici")
    owner_id: int | None = None
    group_id: int | None = None
    response: str = Field(default="", max_length=4000)
    status: RaidStatus = RaidStatus.open
    review_date: date | None = None


class RaidItemUpdate(Strict):
    kind: RaidKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    probability: int | None = None
    consequence: int | None = None
    owner_id: int | None = None
    group_id: int | None = None
    response: str | None = Field(default=None, max_length=4000)
    status: RaidStatus | None = None
    review_date: date | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class RaidItemPublic(BaseModel):
    id: int
    project_id: int
    kind: RaidKind
    title: str
    description: str
    probability: int | None
    consequence: int | None
    score: int | None
    level: RiskLevel | None
    owner_id: int | None
    owner_name: str | None = None
    group_id: int | None
    response: str
    status: RaidStatus
    review_date: date | None
    review_overdue: bool
    version: int
    created_at: datetime
    updated_at: datetime


# --- Success measures ---


class IndicatorCreate(Strict):
    name: str = Field(min_length=1, max_length=200)
    definition: str = Field(default="", max_length=4000)
    unit: str = Field(default="", max_length=40)
    direction: Direction = Direction.higher_is_better
    baseline_value: Value | None = None
    baseline_date: date
    target_value: Value | None = None
    target_date: date | None = None
    frequency: FrequencyField
    group_id: int | None = None
    owner_id: int | None = None


class IndicatorUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    definition: str | None = Field(default=None, max_length=4000)
    unit: str | None = Field(default=None, max_length=40)
    direction: Direction | None = None
    baseline_value: Value | None = None
    baseline_date: date | None = None
    target_value: Value | None = None
    target_date: date | None = None
    frequency: FrequencyField | None = None
    group_id: int | None = None
    owner_id: int | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class MeasurementCreate(Strict):
    measured_date: date
    value: Value
    note: str = Field(default="", max_length=1000)


class MeasurementUpdate(Strict):
    measured_date: date | None = None
    value: Value | None = None
    note: str | None = Field(default=None, max_length=1000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class MeasurementPublic(BaseModel):
    id: int
    indicator_id: int
    measured_date: date
    value: Decimal
    note: str
    recorded_by_id: int | None
    recorded_by_name: str
    recorded_at: datetime
    version: int


class IndicatorPublic(BaseModel):
    id: int
    project_id: int
    name: str
    definition: str
    unit: str
    direction: Direction
    baseline_value: Decimal | None
    baseline_date: date
    target_value: Decimal | None
    target_date: date | None
    frequency: Frequency
    group_id: int | None
    owner_id: int | None
    version: int
    latest_value: Decimal | None
    latest_date: date | None
    progress: Progress
    next_due_date: date | None
    due_state: DueState
    measurement_missing: bool
