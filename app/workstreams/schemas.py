"""Shapes of tasks, milestones, plans and meeting rules in the API (and in the services' input)."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app import inputs
from app.governance.schemas import MeetingRuleUpdate
from app.workstreams.models import MilestoneStatus, PlanStatus, TaskStatus

VERSION_REQUIRED = (
    "Påkrævet: den version, ændringen bygger på; mangler den: 428, er den ældre: 409."
)


class Input(inputs.Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Tasks


class TaskCreate(Input):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)
    group_id: int | None = Field(
        default=None, description="Gruppen; tom = ikke forankret (udeladt: den overordnedes)"
    )
    parent_id: int | None = Field(
        default=None, description="Den overordnede opgave (samme gruppe); tom = hovedopgave"
    )
    owner_person_id: int | None = None
    start_date: date | None = None
    due_date: date | None = None
    status: TaskStatus | None = Field(default=None, description="Tom: ud fra fremdriften")
    progress: int = Field(default=0, ge=0, le=100, description="Fremdrift i procent")
    depends_on: list[int] = Field(default=[], description="Id'er på opgaver, den afhænger af")


class TaskUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    group_id: int | None = None
    parent_id: int | None = Field(
        default=None, description="Flyt under denne opgave; null = gør den til hovedopgave"
    )
    position: int | None = Field(
        default=None, ge=1, description="Placering blandt søskende (1 = først)"
    )
    owner_person_id: int | None = None
    start_date: date | None = None
    due_date: date | None = None
    status: TaskStatus | None = None
    progress: int | None = Field(default=None, ge=0, le=100)
    depends_on: list[int] | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class TaskPublic(BaseModel):
    id: int
    project_id: int
    group_id: int | None
    group_name: str | None
    anchored: bool
    parent_id: int | None
    position: int
    number: str = Field(description="Nummeret i gruppens plan, f.eks. 1.2.3")
    level: int = Field(description="Niveau: 1 for en hovedopgave")
    children: int = Field(description="Antal underopgaver")
    rolled_up: bool = Field(
        description="Datoer, status og fremdrift er beregnet ud fra underopgaverne"
    )
    title: str
    description: str
    owner_person_id: int | None
    owner_name: str | None
    start_date: date | None
    due_date: date | None
    status: TaskStatus
    progress: int
    blocked_since_date: date | None
    completed_date: date | None
    overdue: bool
    depends_on: list[int]
    baseline_start_date: date | None
    baseline_due_date: date | None
    version: int
    created_at: datetime
    updated_at: datetime


class ProgressEntryCreate(Input):
    text: str = Field(default="", max_length=2000)
    status: TaskStatus | None = None
    progress: int | None = Field(default=None, ge=0, le=100)
    version: int | None = Field(default=None, description="Opgavens version; en ældre giver 409")


class ProgressEntryPublic(BaseModel):
    id: int
    task_id: int
    at: datetime
    username: str
    author_name: str
    text: str
    new_status: TaskStatus | None
    new_progress: int | None


# Milestones


class MilestoneCreate(Input):
    name: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=2000)
    group_id: int | None = Field(default=None, description="Gruppen; tom = hele projektet")
    planned_date: date
    forecast_date: date | None = None
    actual_date: date | None = None
    status: MilestoneStatus | None = None


class MilestoneUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=2000)
    group_id: int | None = None
    planned_date: date | None = None
    forecast_date: date | None = None
    actual_date: date | None = None
    status: MilestoneStatus | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class MilestonePublic(BaseModel):
    id: int
    project_id: int
    group_id: int | None
    group_name: str | None
    name: str
    description: str
    planned_date: date
    forecast_date: date | None
    actual_date: date | None
    status: MilestoneStatus
    baseline_date: date
    expected_date: date
    slippage_days: int
    slippage_weeks: float
    health: str
    health_label: str
    version: int


# Plans


class PlanCreate(Input):
    group_id: int
    title: str = Field(default="", max_length=300)
    description: str = Field(default="", max_length=5000)


class PlanUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    status: PlanStatus | None = Field(
        default=None,
        description="Kun »draft«: opretter en ny kladde efter godkendelse eller "
        "tilbagesendelse. Indsend, godkend og send tilbage med …/submit, …/approve, …/return.",
    )
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class PlanSubmit(Input):
    note: str = Field(default="", max_length=2000)
    version: int | None = None


class PlanDecisionIn(Input):
    comment: str = Field(default="", max_length=5000)
    meeting_id: int | None = Field(default=None, description="Mødet, hvor det skete")
    decision_date: date | None = None
    version: int | None = None


class PlanVersionPublic(BaseModel):
    number: int
    status: PlanStatus
    note: str
    comment: str
    created_at: datetime
    submitted_at: datetime | None
    submitted_by_name: str
    decided_at: datetime | None
    decided_by_name: str
    decision_id: int | None


class PlanVersionDetail(PlanVersionPublic):
    snapshot: dict[str, Any] | None


class PlanPublic(BaseModel):
    id: int
    project_id: int
    group_id: int
    group_name: str
    title: str
    description: str
    status: PlanStatus
    current_version: int
    baseline_version: int | None
    version: int
    versions: list[PlanVersionPublic]


class PlanChangePublic(BaseModel):
    kind: str
    item_id: int | None
    title: str
    change: str
    fields: list[dict[str, Any]]


class PlanDetail(PlanPublic):
    versions: list[PlanVersionDetail]  # type: ignore[assignment]
    changes_since_baseline: list[PlanChangePublic]


# Meeting rules and plan compliance


class GroupSettingUpdate(MeetingRuleUpdate):
    """A group's rule against the project management (the old group-settings route)."""


class GroupSettingPublic(BaseModel):
    group_id: int
    meeting_interval_days: int | None
    last_meeting_date: date | None
    next_meeting_due_date: date | None
    meeting_overdue: bool
    version: int


class CompliancePublic(BaseModel):
    group_id: int
    group_name: str
    level: str
    label: str
    problems: list[str]
    plan_id: int | None
    plan_status: PlanStatus | None
    baseline_version: int | None
    overdue_tasks: int
    blocked_tasks: int
    slipped_milestones: int
    unapproved_changes: bool
    last_meeting_date: date | None
    meeting_interval_days: int | None
    meeting_overdue: bool
