"""Shapes of the organisation's API: XCreate, XUpdate (all optional + version) and XPublic."""

from datetime import date, datetime
from typing import Annotated, Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo

from app import inputs
from app.governance.models import (
    AttendanceStatus,
    BodyKind,
    ChangeKind,
    MandateStatus,
    MeetingCounterpart,
    MemberRole,
    ProjectBase,
)
from app.inputs import Day

M = TypeVar("M", bound=BaseModel)


VERSION_REQUIRED = (
    "Påkrævet: den version, ændringen bygger på; mangler den: 428, er den ældre: 409."
)


class Schema(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# Charter ------------------------------------------------------------------------------------
# The charter's fields are declared once, in app.governance.models.ProjectBase (the table's
# columns and their limits); the shapes below take them from there. (mypy finds SQLModel's
# config type and Input's at odds; pydantic merges the two, Input's `extra="forbid"` included.)


def _optional(model: type[M]) -> type[M]:
    """`model` with every charter field optional: left out or null, it stays as it is."""
    for name in ProjectBase.model_fields:
        info = model.__pydantic_fields__[name]
        model.__pydantic_fields__[name] = FieldInfo.merge_field_infos(
            info, annotation=cast(Any, info.annotation) | None, default=None
        )
    model.model_rebuild(force=True)
    return model


def _as_read(model: type[M]) -> type[M]:
    """`model` with every charter field as it is read back: always there, without input limits."""
    for name in ProjectBase.model_fields:
        info = model.__pydantic_fields__[name]
        model.__pydantic_fields__[name] = FieldInfo(annotation=info.annotation)
    model.model_rebuild(force=True)
    return model


class ProjectCreate(Schema, ProjectBase):  # type: ignore[misc]
    project_leader_user_id: int | None = None
    with_standard_bodies: bool = True


class GovernanceSettings(BaseModel):
    """Which of the project's bodies approves plans, which approves status reports and which
    receives them; null is the default (the steering group, the directorate)."""

    plan_approver_id: int | None = None
    report_approver_id: int | None = None
    report_recipient_id: int | None = None


@_optional
class ProjectUpdate(Schema, ProjectBase, GovernanceSettings):  # type: ignore[misc]
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class _Identified(Public):
    id: int


@_as_read
class ProjectPublic(ProjectBase, GovernanceSettings, _Identified):  # type: ignore[misc]
    version: int
    created_at: datetime


# Director areas and people ------------------------------------------------------------------


class DirectorAreaCreate(Schema):
    name: str = Field(max_length=200)


class DirectorAreaUpdate(Schema):
    name: str | None = Field(default=None, max_length=200)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class DirectorAreaPublic(Public):
    id: int
    name: str
    position: int
    version: int


class PersonCreate(Schema):
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    director_area_id: int | None = None


class PersonUpdate(Schema):
    name: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    director_area_id: int | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class PersonPublic(Public):
    id: int
    name: str
    title: str
    email: str
    director_area_id: int | None
    version: int


# Bodies, memberships and mandates -----------------------------------------------------------


class BodyCreate(Schema):
    kind: BodyKind
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    # Left out: the usual line (group → project management → steering group → directorate).
    reports_to_id: int | None = None


class BodyUpdate(Schema):
    name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    reports_to_id: int | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


# »Gælder fra«: the day a membership change takes effect (left out: today), kept in the
# organisation's dated changes (app/governance/changes.py).
EffectiveDate = Annotated[Day | None, Field(description="Gælder fra (ISO-dato); uden den: i dag")]


class MembershipCreate(Schema):
    person_id: int
    role: MemberRole = MemberRole.member
    condition: str = Field(default="", max_length=500)
    effective_date: EffectiveDate = None


class MembershipUpdate(Schema):
    role: MemberRole | None = None
    condition: str | None = Field(default=None, max_length=500)
    effective_date: EffectiveDate = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class MembershipRemove(Schema):
    effective_date: EffectiveDate = None


class MembershipPublic(Public):
    id: int
    body_id: int
    person_id: int
    person_name: str
    role: MemberRole
    condition: str
    version: int


# Organisation changes -----------------------------------------------------------------------


class OrganisationChangeCreate(Schema):
    """A change written by hand (»Registrér en ændring«): the day, the body it concerns (none:
    the organisation as a whole), optionally a person, and what changed."""

    effective_date: Day
    kind: ChangeKind = ChangeKind.other
    body_id: int | None = None
    person_id: int | None = None
    description: str = Field(max_length=1000)


class OrganisationChangePublic(Public):
    id: int
    effective_date: date
    kind: ChangeKind
    kind_label: str
    body_id: int | None
    body_name: str
    person_id: int | None
    person_name: str
    description: str
    manual: bool
    created_at: datetime
    created_by_name: str


class BodyPublic(Public):
    id: int
    kind: BodyKind
    name: str
    description: str
    reports_to_id: int | None
    position: int
    version: int
    members: list[MembershipPublic] = []


class MandateItemCreate(Schema):
    text: str = Field(max_length=1000)
    status: MandateStatus = MandateStatus.not_started
    note: str = Field(default="", max_length=2000)
    status_date: date | None = None


class MandateItemUpdate(Schema):
    text: str | None = Field(default=None, max_length=1000)
    status: MandateStatus | None = None
    note: str | None = Field(default=None, max_length=2000)
    status_date: date | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class MandateItemPublic(Public):
    id: int
    body_id: int
    position: int
    text: str
    status: MandateStatus
    note: str
    status_date: date | None
    version: int


class MandatePublic(BaseModel):
    body_id: int
    body_name: str
    done: int
    total: int
    items: list[MandateItemPublic]


# Meetings -----------------------------------------------------------------------------------


class MeetingCreate(Schema):
    body_id: int
    meeting_date: date | None = None
    start_time: str = Field(default="", max_length=5)
    place: str = Field(default="", max_length=200)
    # Left out: true for an implementation group's meeting (groups meet the project management).
    with_project_management: bool | None = None
    with_external_partners: bool = False
    minutes: str = Field(default="", max_length=20000)


class MeetingUpdate(Schema):
    meeting_date: date | None = None
    start_time: str | None = Field(default=None, max_length=5)
    place: str | None = Field(default=None, max_length=200)
    with_project_management: bool | None = None
    with_external_partners: bool | None = None
    minutes: str | None = Field(default=None, max_length=20000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class MeetingRuleUpdate(Schema):
    """How often a body must at least meet its counterpart; empty: no rule."""

    meeting_interval_days: int | None = Field(default=None, ge=1, le=366)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class MeetingRulePublic(BaseModel):
    body_id: int
    body_name: str
    counterpart: MeetingCounterpart
    counterpart_label: str
    meeting_interval_days: int | None
    last_meeting_date: date | None
    days_since_last_meeting: int | None
    next_meeting_due_date: date | None
    meeting_overdue: bool
    message: str
    version: int


class MinutesUpdate(Schema):
    minutes: str = Field(max_length=20000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class AgendaItemCreate(Schema):
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)


class AgendaItemUpdate(Schema):
    title: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class AgendaItemMove(Schema):
    """Where an agenda item goes: its new number on the agenda (1 is first)."""

    position: int = Field(ge=1, le=1000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class ItemMinutesUpdate(Schema):
    minutes: str = Field(max_length=20000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class MinutesPublish(Schema):
    version: int | None = None


class DecisionFromMinutes(Schema):
    """A decision the secretariat records from an agenda item's minutes (the meeting's body and
    day)."""

    title: str = Field(max_length=300)
    text: str = Field(default="", max_length=10000)


class AgendaItemPublic(Public):
    id: int
    position: int
    title: str
    description: str
    minutes: str = ""
    version: int


class AttendanceSet(Schema):
    status: AttendanceStatus = AttendanceStatus.present
    reason: str = Field(default="", max_length=500)


class AttendancePublic(BaseModel):
    person_id: int
    person_name: str
    status: AttendanceStatus
    reason: str


class MeetingPublic(Public):
    id: int
    body_id: int
    meeting_date: date
    start_time: str
    place: str
    with_project_management: bool
    with_external_partners: bool
    minutes: str
    minutes_published_at: datetime | None = None
    minutes_published_by_name: str = ""
    version: int
    agenda: list[AgendaItemPublic] = []
    attendance: list[AttendancePublic] = []


# Decisions ----------------------------------------------------------------------------------


class FollowUpCreate(Schema):
    text: str = Field(max_length=1000)
    owner_person_id: int | None = None
    due_date: date | None = None


class FollowUpUpdate(Schema):
    text: str | None = Field(default=None, max_length=1000)
    owner_person_id: int | None = None
    due_date: date | None = None
    done_date: date | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class FollowUpPublic(Public):
    id: int
    decision_id: int
    text: str
    owner_person_id: int | None
    due_date: date | None
    done_date: date | None
    version: int


class DecisionCreate(Schema):
    title: str = Field(max_length=300)
    text: str = Field(default="", max_length=10000)
    # Left out: the meeting's body and date, when the decision was taken at a meeting.
    body_id: int | None = None
    meeting_id: int | None = None
    decision_date: date | None = None
    actions: list[FollowUpCreate] = []


class DecisionPublic(Public):
    id: int
    number: int
    body_id: int
    meeting_id: int | None
    agenda_item_id: int | None = None
    decision_date: date
    title: str
    text: str
    kind: str
    superseded_by_id: int | None
    supersedes_ids: list[int] = []
    recorded_at: datetime
    actions: list[FollowUpPublic] = []
