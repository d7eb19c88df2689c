"""Shapes of registration schemes, participants, follow-ups and monitoring in the API."""

from datetime import date
from typing import TYPE_CHECKING, Any, Self

from pydantic import BaseModel, Field, ModelWrapValidatorHandler, PrivateAttr, model_validator

from app.participants.models import FollowUp, IntervalUnit, RegistrationScheme
from app.participants.monitoring import Record
from app.participants.schemes import (
    FieldDef,
    OutcomeDef,
    SchemeDefinition,
    Strict,
    definition_of,
    field_keys,
    keyless_items,
    outcome_keys,
    outcome_label,
    with_keys,
)
from app.risks.schemas import MeasurementPublic

if TYPE_CHECKING:
    from app.participants.indicators import MetricValue
    from app.participants.records import DueItem
    from app.participants.setup import RegistrarView


VERSION_REQUIRED = (
    "Påkrævet: den version, ændringen bygger på; mangler den: 428, er den ældre: 409."
)


class SchemeCreate(SchemeDefinition):
    """A new registration scheme (the whole definition)."""


class SchemeUpdate(Strict):
    """A change of a scheme: only the parts sent change; `version` (required) is the version the
    change was made from, so an edit made from an outdated copy is refused instead of lost."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    grantor: str | None = Field(default=None, max_length=200)
    code_prefix: str | None = Field(default=None, pattern=r"^[A-ZÆØÅ]{1,6}$")
    period_start_date: date | None = None
    period_end_date: date | None = None
    follow_up_every: int | None = Field(default=None, ge=1, le=365)
    follow_up_unit: IntervalUnit | None = None
    on_time_days: int | None = Field(default=None, ge=0, le=180)
    retention_months: int | None = Field(default=None, ge=1, le=240)
    target_groups: list[str] | None = None
    start_fields: list[FieldDef] | None = None
    follow_up_fields: list[FieldDef] | None = None
    exit_fields: list[FieldDef] | None = None
    exit_outcomes: list[OutcomeDef] | None = None
    hours_field: str | None = None
    hours_cap: int | None = Field(default=None, ge=1, le=60)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)
    _keyless: set[tuple[str, int]] = PrivateAttr(default_factory=set)

    @model_validator(mode="wrap")
    @classmethod
    def _keys(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        # A field or outcome sent without a key gets one made from its label here; which keys
        # of the scheme it must differ from only `changes` knows.
        update = handler(with_keys(data))
        if isinstance(data, dict):
            update._keyless = keyless_items(data)
        return update

    def changes(self, scheme: RegistrationScheme) -> dict[str, Any]:
        """The parts sent, the fields and outcomes sent without a key given one made from their
        label unlike every key the scheme has (as the pages make them)."""
        changes = self.model_dump(exclude_unset=True, exclude={"version"})
        for name, i in self._keyless:
            changes[name][i]["key"] = ""
        return with_keys(
            changes, fields_taken=field_keys(scheme), outcomes_taken=outcome_keys(scheme)
        )


class SchemePublic(SchemeDefinition):
    id: int
    project_id: int
    version: int

    @classmethod
    def of(cls, scheme: RegistrationScheme) -> Self:
        """A scheme row as the API shows it."""
        return cls(
            id=scheme.id,
            project_id=scheme.project_id,
            version=scheme.version,
            **definition_of(scheme).model_dump(),
        )


class ParticipantCreate(Strict):
    """A new participant. Leave `code` out to have the next free code of the scheme assigned."""

    scheme_id: int
    code: str | None = Field(default=None, max_length=40)
    target_group: str | None = Field(default=None, max_length=200)
    start_date: date
    start_values: dict[str, Any] = {}


class ParticipantUpdate(Strict):
    """A correction of a participant's start; `version` is required (see SchemeUpdate)."""

    code: str | None = Field(default=None, max_length=40)
    target_group: str | None = Field(default=None, max_length=200)
    start_date: date | None = None
    start_values: dict[str, Any] | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class FollowUpCreate(Strict):
    follow_up_date: date
    values: dict[str, Any] = {}


class FollowUpUpdate(Strict):
    """A correction of a follow-up; `version` is required (see SchemeUpdate)."""

    follow_up_date: date | None = None
    values: dict[str, Any] | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class ExitCreate(Strict):
    exit_date: date
    outcome: str = Field(min_length=1, max_length=40)
    values: dict[str, Any] = {}
    version: int | None = None


class FollowUpPublic(BaseModel):
    id: int
    follow_up_date: date
    values: dict[str, Any]
    version: int

    @classmethod
    def of(cls, follow_up: FollowUp) -> Self:
        """A follow-up row as the API shows it."""
        return cls.model_validate(follow_up, from_attributes=True)


class ParticipantPublic(BaseModel):
    id: int
    project_id: int
    scheme_id: int
    code: str
    target_group: str | None
    start_date: date
    start_values: dict[str, Any]
    follow_ups: list[FollowUpPublic]
    next_follow_up_date: date | None
    exit_date: date | None
    exit_outcome: str | None
    exit_outcome_label: str | None
    exit_values: dict[str, Any]
    status: str
    version: int

    @classmethod
    def of(cls, record: Record) -> Self:
        """A participant with its scheme and follow-ups as the API shows it."""
        p = record.participant
        outcome = p.exit_outcome
        return cls(
            **p.model_dump(include=set(cls.model_fields)),
            follow_ups=[FollowUpPublic.of(f) for f in record.follow_ups],
            next_follow_up_date=record.next_follow_up_date,
            exit_outcome_label=outcome_label(record.scheme, outcome) if outcome else None,
            status=record.status,
        )


class DuePublic(BaseModel):
    participant_id: int
    code: str
    scheme_id: int
    target_group: str | None
    start_date: date
    last_follow_up_date: date | None
    due_date: date
    overdue: bool

    @classmethod
    def of(cls, item: "DueItem") -> Self:
        """A row of the follow-ups due as the API shows it."""
        p = item.record.participant
        return cls(
            participant_id=p.id,
            code=p.code,
            scheme_id=p.scheme_id,
            target_group=p.target_group,
            start_date=p.start_date,
            last_follow_up_date=item.record.last_follow_up_date,
            due_date=item.due_date,
            overdue=item.overdue,
        )


class RegistrarCreate(Strict):
    user_id: int


class RegistrarPublic(BaseModel):
    user_id: int
    username: str
    full_name: str
    is_project_leader: bool

    @classmethod
    def of(cls, view: "RegistrarView") -> Self:
        """A registrar as the API shows it."""
        return cls(
            user_id=view.user.id,
            username=view.user.username,
            full_name=view.user.full_name,
            is_project_leader=view.is_project_leader,
        )


class MetricPublic(BaseModel):
    """One indicator computed from registrations (docs/participants.md, »Who learns what«).

    `exact` is true for registrars only: then `value` and `people` are the exact figures as of
    the day asked. Everyone else gets the published figure: `as_of` is the month end on or
    before the day asked, `value` is the number in `shown` (None when it is »<5«, »..« or »–«)
    and `people` the published count (rounded to the nearest 5; None below 5)."""

    metric: str
    label: str
    as_of: date
    value: float | None
    people: int | None
    shown: str
    exact: bool

    @classmethod
    def of(cls, value: "MetricValue") -> Self:
        """A computed indicator as the API shows it."""
        return cls.model_validate(value, from_attributes=True)


class IndicatorFromRegistrations(Strict):
    """Record a success measure's value computed from the registrations (`as_of`: today when
    left out; `scheme_id`: all schemes when left out)."""

    metric: str = Field(min_length=1, max_length=100)
    as_of: date | None = None
    scheme_id: int | None = None


class IndicatorMeasurementPublic(BaseModel):
    """The measurement recorded on the success measure and the figure it was computed from."""

    measurement: MeasurementPublic
    metric: MetricPublic
