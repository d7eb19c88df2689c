"""Tables of the workstreams: tasks with dependencies and progress logs, milestones, the groups'
time and action plans with their versions, and each group's meeting rule."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow
from app.governance.models import MeetingRule

# A body's meeting rule lives with the governance (app.governance.meeting_rules); the old name
# stays for the code and documents that knew it as the group's setting.
GroupSetting = MeetingRule


class TaskStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"


TASK_STATUS_LABELS = {
    TaskStatus.not_started: "Ikke påbegyndt",
    TaskStatus.in_progress: "I gang",
    TaskStatus.done: "Færdig",
    TaskStatus.blocked: "Blokeret",
}


class MilestoneStatus(StrEnum):
    planned = "planned"
    reached = "reached"
    cancelled = "cancelled"


MILESTONE_STATUS_LABELS = {
    MilestoneStatus.planned: "Planlagt",
    MilestoneStatus.reached: "Nået",
    MilestoneStatus.cancelled: "Udgået",
}


class PlanStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    returned = "returned"


PLAN_STATUS_LABELS = {
    PlanStatus.draft: "Kladde",
    PlanStatus.submitted: "Indsendt til godkendelse",
    PlanStatus.approved: "Godkendt",
    PlanStatus.returned: "Sendt tilbage",
}


class Task(SQLModel, table=True):
    """A task in the implementation; a task without a group is "not anchored in a group"."""

    __tablename__ = "task"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    group_id: int | None = Field(
        default=None, foreign_key="body.id", index=True, ondelete="SET NULL"
    )
    # A sub-task's parent (same project and group); its number (1.2.3) is computed from the
    # positions among siblings (app/workstreams/hierarchy.py), never stored.
    parent_id: int | None = Field(
        default=None, foreign_key="task.id", index=True, ondelete="CASCADE"
    )
    position: int = 1
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    owner_person_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="SET NULL"
    )
    # A parent's dates, status and progress are rolled up from its sub-tasks.
    start_date: date | None = None
    due_date: date | None = Field(default=None, index=True)
    status: TaskStatus = Field(default=TaskStatus.not_started, sa_type=enum_type(TaskStatus))
    progress: int = 0
    # When the task became blocked and when it was finished: status reports ask for "blocked
    # longer than two weeks" and "finished since the last report".
    blocked_since_date: date | None = None
    completed_date: date | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class TaskDependency(SQLModel, table=True):
    """The task cannot finish (or start) before the task it depends on."""

    __tablename__ = "task_dependency"
    __table_args__ = (UniqueConstraint("task_id", "depends_on_id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    depends_on_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")


class ProgressEntry(SQLModel, table=True):
    """One entry in a task's progress log: who, when, what, and the status it set."""

    __tablename__ = "progress_entry"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    username: str = Field(default="", max_length=80)
    author_name: str = Field(default="", max_length=200)
    text: str = Field(default="", max_length=2000)
    new_status: TaskStatus | None = Field(default=None, sa_type=enum_type(TaskStatus))
    new_progress: int | None = None


class Milestone(SQLModel, table=True):
    """A dated milestone of a group or of the whole project (group_id empty)."""

    __tablename__ = "milestone"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    group_id: int | None = Field(
        default=None, foreign_key="body.id", index=True, ondelete="SET NULL"
    )
    name: str = Field(max_length=300)
    description: str = Field(default="", max_length=2000)
    planned_date: date = Field(index=True)
    forecast_date: date | None = None
    actual_date: date | None = None
    status: MilestoneStatus = Field(
        default=MilestoneStatus.planned, sa_type=enum_type(MilestoneStatus)
    )
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Plan(SQLModel, table=True):
    """A group's time and action plan (tids- og handleplan); its content lives in versions."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("project_id", "group_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    group_id: int = Field(foreign_key="body.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    # The status of the newest version, kept here so lists can filter on it.
    status: PlanStatus = Field(default=PlanStatus.draft, sa_type=enum_type(PlanStatus))
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class PlanVersion(SQLModel, table=True):
    """One version of a plan. Its snapshot freezes the tasks and milestones with their dates when
    it is submitted; the newest approved version is the plan's baseline."""

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    number: int
    status: PlanStatus = Field(default=PlanStatus.draft, sa_type=enum_type(PlanStatus))
    snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    note: str = Field(default="", max_length=2000)
    comment: str = Field(default="", max_length=5000)
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    submitted_by_name: str = Field(default="", max_length=200)
    decided_at: datetime | None = None
    decided_by_name: str = Field(default="", max_length=200)
    decision_id: int | None = Field(default=None, foreign_key="decision.id", ondelete="SET NULL")
