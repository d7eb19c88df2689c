"""Tables of the budget: funds, grants with their rules, budget lines, expenditures, deviation
explanations for the grant accounting, and the register of the reform's economy.

Every amount is an integer number of øre (BigInteger: a pool of 35 mio. kr. is 3.5 billion øre).
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow


class CostCategory(StrEnum):
    """The kinds of cost a grant may pay for (udgiftsarter)."""

    staff_buyout = "staff_buyout"
    consultancy = "consultancy"
    transport = "transport"
    project_staff = "project_staff"
    training = "training"
    meetings = "meetings"
    materials = "materials"
    other = "other"


CATEGORY_LABELS = {
    CostCategory.staff_buyout: "Frikøb af medarbejdere",
    CostCategory.consultancy: "Konsulentbistand",
    CostCategory.transport: "Transport",
    CostCategory.project_staff: "Løn til projektansatte",
    CostCategory.training: "Kurser og uddannelse",
    CostCategory.meetings: "Møder, workshops og seminarer",
    CostCategory.materials: "Materialer og tryksager",
    CostCategory.other: "Øvrige udgifter",
}


class ExpenditureStatus(StrEnum):
    committed = "committed"
    paid = "paid"


STATUS_LABELS = {
    ExpenditureStatus.committed: "Disponeret",
    ExpenditureStatus.paid: "Betalt",
}


class EconomyKind(StrEnum):
    cost = "cost"
    saving = "saving"


ECONOMY_KIND_LABELS = {EconomyKind.cost: "Udgift", EconomyKind.saving: "Besparelse"}


class Fund(SQLModel, table=True):
    """A pool of money that grants are made from (e.g. Forebyggelsesfonden's 35 mio. kr.)."""

    __tablename__ = "fund"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    grantor: str = Field(default="", max_length=200)
    pool_ore: int = Field(default=0, sa_type=BigInteger)
    allocation_note: str = Field(default="", max_length=2000)
    version: int = 1


class Grant(SQLModel, table=True):
    """A grant to the project: its amount and the rules the money must be spent under."""

    __tablename__ = "grant_award"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    fund_id: int | None = Field(
        default=None, foreign_key="fund.id", index=True, ondelete="SET NULL"
    )
    name: str = Field(max_length=200)
    reference: str = Field(default="", max_length=100)
    amount_ore: int = Field(sa_type=BigInteger)
    first_date: date
    last_date: date
    report_due_date: date | None = None
    other_rules: str = Field(default="", max_length=5000)
    # Only the grant's named funded posts may be paid salary or buy-out (FundedPost).
    posts_only: bool = False
    version: int = 1


class GrantCategory(SQLModel, table=True):
    """An eligible cost category of a grant; a non-empty condition restricts it."""

    __tablename__ = "grant_category"
    __table_args__ = (UniqueConstraint("grant_id", "category"),)

    id: int | None = Field(default=None, primary_key=True)
    grant_id: int = Field(foreign_key="grant_award.id", index=True, ondelete="CASCADE")
    category: CostCategory = Field(sa_type=enum_type(CostCategory))
    condition: str = Field(default="", max_length=1000)
    position: int = 0


class GrantPurpose(SQLModel, table=True):
    """One of the purposes the grant's money must serve."""

    __tablename__ = "grant_purpose"

    id: int | None = Field(default=None, primary_key=True)
    grant_id: int = Field(foreign_key="grant_award.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=1000)
    position: int = 0


class ProjectActivityKind(SQLModel, table=True):
    """A kind of activity (workshop, netværksmøde, seminar, …): data of the project, which a
    category's condition can name and meetings, tasks and external activities can be given."""

    __tablename__ = "project_activity_kind"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    position: int = 0
    version: int = 1


class ActivityKindTag(SQLModel, table=True):
    """The kind given to one meeting, task or external activity of the project (exactly one of
    the three references is set). Kept here, beside the table of the activities, so that the
    budget's rules need no column in the other domains' tables."""

    __tablename__ = "activity_kind_tag"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    kind_id: int = Field(foreign_key="project_activity_kind.id", index=True, ondelete="CASCADE")
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", unique=True, ondelete="CASCADE"
    )
    task_id: int | None = Field(
        default=None, foreign_key="task.id", unique=True, ondelete="CASCADE"
    )
    external_activity_id: int | None = Field(
        default=None, foreign_key="external_activity.id", unique=True, ondelete="CASCADE"
    )


class GrantCategoryKind(SQLModel, table=True):
    """A kind of activity that an expense of a grant's restricted category must be tied to."""

    __tablename__ = "grant_category_kind"
    __table_args__ = (UniqueConstraint("grant_id", "category", "kind_id"),)

    id: int | None = Field(default=None, primary_key=True)
    grant_id: int = Field(foreign_key="grant_award.id", index=True, ondelete="CASCADE")
    category: CostCategory = Field(sa_type=enum_type(CostCategory))
    kind_id: int = Field(foreign_key="project_activity_kind.id", index=True, ondelete="CASCADE")


class FundedPost(SQLModel, table=True):
    """A post the grant pays for (e.g. a job broker, hired or bought free): its period, its
    hours a week or share of full time, and its budget; salary and buy-out are booked to it."""

    __tablename__ = "funded_post"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    grant_id: int = Field(foreign_key="grant_award.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    first_date: date
    last_date: date
    # Hours a week in hundredths (3700 = 37 timer) or a share of full time in hundredths of a
    # per cent (5000 = 50 %); either or both.
    hours_hundredths: int | None = None
    share_hundredths: int | None = None
    budget_ore: int = Field(default=0, sa_type=BigInteger)
    note: str = Field(default="", max_length=1000)
    version: int = 1


class BudgetLine(SQLModel, table=True):
    """A planned amount for a category in a month, optionally for a purpose and a group.
    Without a grant it is budgeted on own financing (egen finansiering)."""

    __tablename__ = "budget_line"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    grant_id: int | None = Field(
        default=None, foreign_key="grant_award.id", index=True, ondelete="CASCADE"
    )
    category: CostCategory = Field(sa_type=enum_type(CostCategory))
    purpose_id: int | None = Field(
        default=None, foreign_key="grant_purpose.id", ondelete="SET NULL"
    )
    group_id: int | None = Field(default=None, foreign_key="body.id", ondelete="SET NULL")
    month_date: date
    amount_ore: int = Field(sa_type=BigInteger)
    note: str = Field(default="", max_length=500)
    version: int = 1


class Expenditure(SQLModel, table=True):
    """An expense paid (or committed) on a grant, or on own financing when grant_id is empty.
    A negative amount is only ever a correction of an earlier expense. The services refuse to
    delete a grant, purpose or expense that others still refer to; the cascades only serve the
    deletion of a whole project."""

    __tablename__ = "expenditure"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    grant_id: int | None = Field(
        default=None, foreign_key="grant_award.id", index=True, ondelete="CASCADE"
    )
    expense_date: date = Field(index=True)
    amount_ore: int = Field(sa_type=BigInteger)
    category: CostCategory = Field(sa_type=enum_type(CostCategory))
    purpose_id: int | None = Field(
        default=None, foreign_key="grant_purpose.id", ondelete="SET NULL"
    )
    description: str = Field(max_length=500)
    supplier: str = Field(default="", max_length=200)
    hours_hundredths: int | None = None
    hourly_rate_ore: int | None = Field(default=None, sa_type=BigInteger)
    group_id: int | None = Field(default=None, foreign_key="body.id", ondelete="SET NULL")
    condition_note: str = Field(default="", max_length=1000)
    note: str = Field(default="", max_length=2000)
    attachment_ref: str = Field(default="", max_length=200)
    status: ExpenditureStatus = Field(
        default=ExpenditureStatus.paid, sa_type=enum_type(ExpenditureStatus)
    )
    correction_of_id: int | None = Field(
        default=None, foreign_key="expenditure.id", index=True, ondelete="CASCADE"
    )
    # How a condition is met: the funded post paid, and the activity the expense is tied to
    # (at most one of meeting, task and external activity).
    post_id: int | None = Field(
        default=None, foreign_key="funded_post.id", index=True, ondelete="SET NULL"
    )
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="SET NULL")
    external_activity_id: int | None = Field(
        default=None, foreign_key="external_activity.id", ondelete="SET NULL"
    )
    recorded_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    recorded_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class DeviationExplanation(SQLModel, table=True):
    """The written explanation of a deviation from the approved budget, per grant and category."""

    __tablename__ = "deviation_explanation"
    __table_args__ = (UniqueConstraint("grant_id", "category"),)

    id: int | None = Field(default=None, primary_key=True)
    grant_id: int = Field(foreign_key="grant_award.id", index=True, ondelete="CASCADE")
    category: CostCategory = Field(sa_type=enum_type(CostCategory))
    text: str = Field(default="", max_length=4000)
    version: int = 1


class EconomyEntry(SQLModel, table=True):
    """An expected (and later realised) cost or saving of the reform in a director area, for a
    year or for the years `year` to `last_year` (split evenly unless given per year)."""

    __tablename__ = "economy_entry"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    director_area_id: int = Field(foreign_key="director_area.id", index=True, ondelete="CASCADE")
    year: int
    last_year: int | None = None
    kind: EconomyKind = Field(sa_type=enum_type(EconomyKind))
    description: str = Field(max_length=500)
    expected_ore: int = Field(default=0, sa_type=BigInteger)
    realised_ore: int | None = Field(default=None, sa_type=BigInteger)
    note: str = Field(default="", max_length=2000)
    version: int = 1


class EconomyYear(SQLModel, table=True):
    """The expected amount of a multi-year economy entry in one of its years, when given per
    year (otherwise the entry's amount is split evenly)."""

    __tablename__ = "economy_year"
    __table_args__ = (UniqueConstraint("entry_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="economy_entry.id", index=True, ondelete="CASCADE")
    year: int
    expected_ore: int = Field(default=0, sa_type=BigInteger)
