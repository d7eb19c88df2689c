"""Tables of registration schemes, pseudonymous participants, their follow-ups and registrars."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow


class IntervalUnit(StrEnum):
    days = "days"
    months = "months"


INTERVAL_UNIT_LABELS = {IntervalUnit.days: "dage", IntervalUnit.months: "måneder"}


class RegistrationScheme(SQLModel, table=True):
    """What a project registers about its participants, defined as data (fields, outcomes, timing).

    The field lists hold dicts shaped like `schemes.FieldDef`; outcomes like `schemes.OutcomeDef`.
    """

    __tablename__ = "registration_scheme"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    grantor: str = Field(default="", max_length=200)
    code_prefix: str = Field(default="D", max_length=6)
    period_start_date: date | None = None
    period_end_date: date | None = None
    follow_up_every: int = 3
    follow_up_unit: IntervalUnit = Field(
        default=IntervalUnit.months, sa_type=enum_type(IntervalUnit)
    )
    on_time_days: int = 14
    retention_months: int = 24
    target_groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    start_fields: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    follow_up_fields: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    exit_fields: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    exit_outcomes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    hours_field: str | None = Field(default=None, max_length=40)
    hours_cap: int | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class Participant(SQLModel, table=True):
    """A citizen in a pilot, known only by a project-specific pseudonymous code."""

    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    scheme_id: int = Field(foreign_key="registration_scheme.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=20)
    target_group: str | None = Field(default=None, max_length=200)
    start_date: date = Field(index=True)
    start_values: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    exit_date: date | None = Field(default=None, index=True)
    exit_outcome: str | None = Field(default=None, max_length=40)
    exit_values: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class FollowUp(SQLModel, table=True):
    """One follow-up of a participant (seed 002: every 3 months while in the company centre)."""

    __tablename__ = "participant_follow_up"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    follow_up_date: date
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class Registrar(SQLModel, table=True):
    """A user the project leader has appointed to see and edit participant records."""

    __tablename__ = "participant_registrar"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    appointed_at: datetime = Field(default_factory=utcnow)
