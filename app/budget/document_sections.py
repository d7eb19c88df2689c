"""The budget's sections of the project document as schemas: funds, kinds of activity (with
the activities given each), grants with their rules, purposes, posts and explanations, budget
lines, expenditures (with their references as keys) and the reform economy; and an
expenditure's conversion between its row and the document (ids ↔ keys)."""

import datetime as dt

from pydantic import Field

from app import inputs
from app.budget.models import (
    CostCategory,
    EconomyKind,
    Expenditure,
    ExpenditureStatus,
)
from app.budget.money import hundredths_str, ore_str
from app.budget.schemas import (
    Hours,
    Kroner,
    NonNegativeKroner,
    PositiveKroner,
    expense_columns,
    expense_fields,
)
from app.projectdoc.refs import Refs


class Strict(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


class FundDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    grantor: str = Field(default="", max_length=200)
    pool: NonNegativeKroner
    allocation_note: str = Field(default="", max_length=2000)


class CategoryDoc(Strict):
    category: CostCategory
    condition: str = Field(default="", max_length=1000)
    activity_kinds: list[str] = Field(default=[], description="Nøgler til aktivitetstyper")


class PostDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=200)
    first_date: dt.date
    last_date: dt.date
    hours: Hours | None = None
    share: Hours | None = None
    budget: NonNegativeKroner
    note: str = Field(default="", max_length=1000)


class ActivityKindDoc(Strict):
    """A kind of activity and the meetings, tasks and external activities given it."""

    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=100)
    meetings: list[str] = []
    tasks: list[str] = []
    external_activities: list[str] = []


class PurposeDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=1000)


class ExplanationDoc(Strict):
    category: CostCategory
    text: str = Field(max_length=4000)


class GrantDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    fund: str | None = None
    name: str = Field(min_length=1, max_length=200)
    reference: str = Field(default="", max_length=100)
    amount: PositiveKroner
    first_date: dt.date
    last_date: dt.date
    report_due_date: dt.date | None = None
    eligible_categories: list[CategoryDoc] = Field(min_length=1)
    purposes: list[PurposeDoc] = []
    other_rules: str = Field(default="", max_length=5000)
    explanations: list[ExplanationDoc] = []
    posts_only: bool = False
    posts: list[PostDoc] = []


class BudgetLineDoc(Strict):
    grant: str | None = None
    category: CostCategory
    purpose: str | None = None
    group: str | None = None
    month: dt.date
    amount: NonNegativeKroner
    note: str = Field(default="", max_length=500)


class ExpenditureDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    grant: str | None = None
    date: dt.date
    amount: Kroner
    category: CostCategory
    purpose: str | None = None
    description: str = Field(min_length=1, max_length=500)
    supplier: str = Field(default="", max_length=200)
    hours: Hours | None = None
    hourly_rate: PositiveKroner | None = None
    group: str | None = None
    condition_note: str = Field(default="", max_length=1000)
    note: str = Field(default="", max_length=2000)
    attachment_ref: str = Field(default="", max_length=200)
    status: ExpenditureStatus = ExpenditureStatus.paid
    correction_of: str | None = None
    post: str | None = None
    meeting: str | None = None
    task: str | None = None
    external_activity: str | None = None


# The references an expenditure makes, in the table (an id) and in the document (a key):
# column, kind of key, document field.
EXPENSE_REFS = (
    ("grant_id", "grant", "grant"),
    ("purpose_id", "purpose", "purpose"),
    ("group_id", "body", "group"),
    ("correction_of_id", "expenditure", "correction_of"),
    ("post_id", "post", "post"),
    ("meeting_id", "meeting", "meeting"),
    ("task_id", "task", "task"),
    ("external_activity_id", "activity", "external_activity"),
)
# The kind of key of each activity column, and the ActivityKindDoc field listing them.
TAGGED = (
    ("meeting_id", "meeting", "meetings"),
    ("task_id", "task", "tasks"),
    ("external_activity_id", "activity", "external_activities"),
)


def expense_doc(e: Expenditure, refs: Refs) -> ExpenditureDoc:
    """An expenditure as the document holds it: its fields, with keys for its ids."""
    fields = expense_fields(e, kroner=ore_str, hours=hundredths_str)
    del fields["activity"]
    keys = {name: refs.key(kind, getattr(e, column)) for column, kind, name in EXPENSE_REFS}
    for column, _, _ in EXPENSE_REFS:
        fields.pop(column, None)
    return ExpenditureDoc(key=refs.key("expenditure", e.id) or "", **fields, **keys)


def expense_row(e: ExpenditureDoc, refs: Refs | None, project_id: int) -> Expenditure:
    """An expenditure of the document as a row: its fields, with ids for its keys (none before
    the keys are bound)."""
    fields = e.model_dump(exclude={"key", *(name for _, _, name in EXPENSE_REFS)})
    columns = expense_columns(fields)
    if refs is not None:
        columns |= {column: refs.id(kind, getattr(e, name)) for column, kind, name in EXPENSE_REFS}
    return Expenditure(project_id=project_id, **columns)


class EconomyDoc(Strict):
    director_area: str
    year: int = Field(ge=2000, le=2100)
    last_year: int | None = Field(default=None, ge=2000, le=2100)
    per_year: list[NonNegativeKroner] | None = None
    kind: EconomyKind
    description: str = Field(min_length=1, max_length=500)
    expected: NonNegativeKroner
    realised: NonNegativeKroner | None = None
    note: str = Field(default="", max_length=2000)


class BudgetDoc(Strict):
    """The sections of the document that the budget owns."""

    funds: list[FundDoc] = []
    activity_kinds: list[ActivityKindDoc] = []
    grants: list[GrantDoc] = []
    budget_lines: list[BudgetLineDoc] = []
    expenditures: list[ExpenditureDoc] = []
    reform_economy: list[EconomyDoc] = []
