"""API and form shapes of stakeholders, communication actions and external activities."""

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app import inputs
from app.stakeholders import rules
from app.stakeholders.models import (
    ACTIVITY_KIND_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    STRATEGY_LABELS,
    ActivityKind,
    Attitude,
    Channel,
    StakeholderKind,
    Strategy,
)

TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _choice(
    enum_cls: type[StrEnum], labels: dict[Any, str], field: str, label: str, value: Any
) -> Any:
    if value is None or isinstance(value, enum_cls):
        return value
    if isinstance(value, str) and value in {m.value for m in enum_cls}:
        return value
    choices = ", ".join(f"{m.value} ({labels[m].lower()})" for m in enum_cls)
    raise ValueError(f"Feltet »{label.capitalize()}« kender ikke »{value}«; vælg en af: {choices}.")


VERSION_REQUIRED = (
    "Påkrævet: den version, ændringen bygger på; mangler den: 428, er den ældre: 409."
)


class Input(inputs.Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StakeholderFields(Input):
    """Checks shared by creating and editing a stakeholder (scores 1–5, known choices)."""

    @field_validator("influence", "interest", check_fields=False)
    @classmethod
    def _scale(cls, value: int | None, info: Any) -> int | None:
        if value is None:
            return value
        label = "indflydelse" if info.field_name == "influence" else "interesse"
        message = rules.scale_error(info.field_name, label, value)
        if message:
            raise ValueError(message)
        return value

    @field_validator("attitude", mode="before", check_fields=False)
    @classmethod
    def _attitude(cls, value: Any) -> Any:
        if value is None or isinstance(value, Attitude) or value in {a.value for a in Attitude}:
            return value
        raise ValueError(rules.attitude_error(value))

    @field_validator("strategy_override", mode="before", check_fields=False)
    @classmethod
    def _strategy(cls, value: Any) -> Any:
        if value == "":
            return None
        return _choice(Strategy, STRATEGY_LABELS, "strategy_override", "strategi", value)

    @field_validator("kind", mode="before", check_fields=False)
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return _choice(StakeholderKind, KIND_LABELS, "kind", "intern eller ekstern", value)


class StakeholderCreate(StakeholderFields):
    name: str = Field(min_length=1, max_length=200)
    kind: StakeholderKind = StakeholderKind.external
    director_area_id: int | None = None
    organisation: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=300)
    influence: int
    interest: int
    attitude: Attitude
    needs: str = Field(default="", max_length=2000)
    strategy_override: Strategy | None = None
    override_reason: str = Field(default="", max_length=1000, validate_default=True)
    group_id: int | None = None
    assessed_date: date | None = None
    assessment_note: str = Field(default="", max_length=1000)

    @field_validator("override_reason")
    @classmethod
    def _reason(cls, value: str, info: ValidationInfo) -> str:
        """An overridden strategy needs a reason (checked again by the service on edits)."""
        override = info.data.get("strategy_override")
        influence, interest = info.data.get("influence"), info.data.get("interest")
        if override and not value.strip() and influence and interest:
            derived = rules.quadrant(influence=influence, interest=interest)
            raise ValueError(rules.override_error(derived))
        return value


class StakeholderUpdate(StakeholderFields):
    """Only the fields sent are changed; `version` is the copy the change was made from."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: StakeholderKind | None = None
    director_area_id: int | None = None
    organisation: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=300)
    influence: int | None = None
    interest: int | None = None
    attitude: Attitude | None = None
    needs: str | None = Field(default=None, max_length=2000)
    strategy_override: Strategy | None = None
    override_reason: str | None = Field(default=None, max_length=1000)
    group_id: int | None = None
    assessed_date: date | None = None
    assessment_note: str | None = Field(default=None, max_length=1000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class PositionPublic(BaseModel):
    assessed_date: date
    influence: int
    interest: int
    attitude: Attitude
    note: str
    recorded_by: str
    recorded_at: datetime


class StakeholderPublic(BaseModel):
    id: int
    project_id: int
    name: str
    kind: StakeholderKind
    director_area_id: int | None
    organisation: str
    contact: str
    influence: int
    interest: int
    attitude: Attitude
    needs: str
    quadrant_strategy: Strategy
    strategy: Strategy
    strategy_override: Strategy | None
    override_reason: str
    strategy_label: str
    group_id: int | None
    version: int


class StakeholderDetail(StakeholderPublic):
    history: list[PositionPublic]


class ChannelField(Input):
    @field_validator("channel", mode="before", check_fields=False)
    @classmethod
    def _channel(cls, value: Any) -> Any:
        return _choice(Channel, CHANNEL_LABELS, "channel", "kanal", value)


class ActionCreate(ChannelField):
    what: str = Field(min_length=1, max_length=500)
    channel: Channel
    planned_date: date
    responsible_person_id: int | None = None
    group_id: int | None = None
    done: bool = False
    done_date: date | None = None


class ActionUpdate(ChannelField):
    what: str | None = Field(default=None, min_length=1, max_length=500)
    channel: Channel | None = None
    planned_date: date | None = None
    responsible_person_id: int | None = None
    group_id: int | None = None
    done: bool | None = None
    done_date: date | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class ActionPublic(BaseModel):
    id: int
    stakeholder_id: int
    stakeholder_name: str
    what: str
    channel: Channel
    planned_date: date
    responsible_person_id: int | None
    responsible_person_name: str
    group_id: int | None
    group_name: str
    done: bool
    done_date: date | None
    version: int


class ActivityFields(Input):
    @field_validator("kind", mode="before", check_fields=False)
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return _choice(ActivityKind, ACTIVITY_KIND_LABELS, "kind", "type", value)

    @field_validator("start_time", check_fields=False)
    @classmethod
    def _time(cls, value: str | None) -> str | None:
        """'9.30' and '09:30' both become '09:30'; empty means no time (all day)."""
        if not value:
            return value
        found = TIME_PATTERN.match(value)
        if found is None:
            raise ValueError(
                f"Feltet »Starttidspunkt« skal være et klokkeslæt som 09:30, ikke »{value}«."
            )
        return f"{int(found.group(1)):02d}:{found.group(2)}"


class ActivityCreate(ActivityFields):
    title: str = Field(min_length=1, max_length=200)
    kind: ActivityKind
    organiser: str = Field(min_length=1, max_length=200)
    activity_date: date | None = None
    start_time: str = ""
    place: str = Field(default="", max_length=200)
    theme: str = Field(default="", max_length=1000)
    audience: str = Field(default="", max_length=500)
    delegate_limit: int | None = Field(default=None, ge=1, le=100)
    limit_note: str = Field(default="", max_length=300)
    group_id: int | None = None
    delegate_ids: list[int] = []


class ActivityUpdate(ActivityFields):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    kind: ActivityKind | None = None
    organiser: str | None = Field(default=None, min_length=1, max_length=200)
    activity_date: date | None = None
    start_time: str | None = None
    place: str | None = Field(default=None, max_length=200)
    theme: str | None = Field(default=None, max_length=1000)
    audience: str | None = Field(default=None, max_length=500)
    delegate_limit: int | None = Field(default=None, ge=1, le=100)
    limit_note: str | None = Field(default=None, max_length=300)
    group_id: int | None = None
    delegate_ids: list[int] | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class DelegateAdd(Input):
    person_id: int
    version: int | None = None


class DelegatePublic(BaseModel):
    person_id: int
    name: str
    title: str


class ActivityPublic(BaseModel):
    id: int
    project_id: int
    title: str
    kind: ActivityKind
    organiser: str
    activity_date: date | None
    start_time: str
    place: str
    theme: str
    audience: str
    delegate_limit: int | None
    limit_note: str
    group_id: int | None
    delegates: list[DelegatePublic]
    version: int
