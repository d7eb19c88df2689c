"""Tables of the RAID register (risks, issues, assumptions, dependencies) and success measures."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow
from app.risks import rules
from app.risks.rules import Direction, Frequency, RaidKind, RaidStatus

__all__ = [
    "Direction",
    "Frequency",
    "Indicator",
    "Measurement",
    "RaidItem",
    "RaidKind",
    "RaidStatus",
]


class MilliDecimal(sa.TypeDecorator[Decimal]):
    """A Decimal with at most three decimals, stored exactly as an integer of thousandths
    (SQLite keeps NUMERIC as a binary float, which would round 0.1)."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        milli = Decimal(value) * 1000
        if milli != milli.to_integral_value():
            raise ValueError(f"{value} har mere end tre decimaler")
        return int(milli)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(int(value)) / 1000


class RaidItem(SQLModel, table=True):
    """One entry of the project's RAID register. Only risks carry probability and consequence."""

    __tablename__ = "raid_item"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    kind: RaidKind = Field(default=RaidKind.risk, sa_type=enum_type(RaidKind))
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    probability: int | None = None
    consequence: int | None = None
    owner_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="SET NULL"
    )
    group_id: int | None = Field(
        default=None, foreign_key="body.id", index=True, ondelete="SET NULL"
    )
    response: str = Field(default="", max_length=4000)
    status: RaidStatus = Field(default=RaidStatus.open, sa_type=enum_type(RaidStatus))
    review_date: date | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def score(self) -> int | None:
        return rules.risk_score(self.probability, self.consequence)

    @property
    def level(self) -> rules.RiskLevel | None:
        return rules.risk_level(self.score)

    @property
    def is_open(self) -> bool:
        return self.status != RaidStatus.closed


class Indicator(SQLModel, table=True):
    """A success measure (KPI): what is measured, how often, from which baseline to which target."""

    __tablename__ = "indicator"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    definition: str = Field(default="", max_length=4000)
    unit: str = Field(default="", max_length=40)
    direction: Direction = Field(default=Direction.higher_is_better, sa_type=enum_type(Direction))
    baseline_value: Decimal | None = Field(default=None, sa_type=MilliDecimal)
    baseline_date: date
    target_value: Decimal | None = Field(default=None, sa_type=MilliDecimal)
    target_date: date | None = None
    frequency: Frequency = Field(sa_type=enum_type(Frequency))
    group_id: int | None = Field(
        default=None, foreign_key="body.id", index=True, ondelete="SET NULL"
    )
    owner_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="SET NULL"
    )
    position: int = 0
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class Measurement(SQLModel, table=True):
    """One measured value of an indicator, with who recorded it and when."""

    __tablename__ = "measurement"
    __table_args__ = (UniqueConstraint("indicator_id", "measured_date"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")
    measured_date: date
    value: Decimal = Field(sa_type=MilliDecimal)
    note: str = Field(default="", max_length=1000)
    recorded_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    # The recorder's name as it was, so the record survives a deleted account or an import.
    recorded_by_name: str = Field(default="", max_length=200)
    recorded_at: datetime = Field(default_factory=utcnow)
    version: int = 1
