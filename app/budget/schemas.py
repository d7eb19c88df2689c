"""What the budget API reads and writes. Amounts travel as decimal strings in kroner ("1000.00"),
never as JSON floats; they are stored as integer øre."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, Field, ValidationInfo

from app import inputs
from app.budget.models import (
    CATEGORY_LABELS,
    CostCategory,
    EconomyKind,
    Expenditure,
    ExpenditureStatus,
)
from app.budget.money import hundredths_str, ore_str, to_ore
from app.labels import label


def _exact(value: Any, info: ValidationInfo) -> Any:
    """Amounts come as text ("1000.00") or whole numbers; a float is refused because it cannot
    hold øre exactly."""
    if isinstance(value, bool | float):
        raise ValueError(
            f"Feltet »{label(info.field_name or '')}« skal angives som en tekst med højst 2 "
            "decimaler, "
            f'f.eks. "1000.00" (et kommatal kan ikke gemme øre præcist)'
        )
    if isinstance(value, str):
        return value.strip()
    return value


Kroner = Annotated[Decimal, BeforeValidator(_exact), Field(max_digits=14, decimal_places=2)]
PositiveKroner = Annotated[Kroner, Field(gt=0)]
NonNegativeKroner = Annotated[Kroner, Field(ge=0)]
Hours = Annotated[Decimal, BeforeValidator(_exact), Field(gt=0, max_digits=7, decimal_places=2)]


VERSION_REQUIRED = (
    "Påkrævet: den version, ændringen bygger på; mangler den: 428, er den ældre: 409."
)


class Strict(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


# An activity: "meeting:12", "task:5" or "external:3" (app/budget/activities.py); empty: none.
ActivityRef = Annotated[
    Annotated[str, Field(pattern=r"^(meeting|task|external):[0-9]{1,12}$", max_length=30)] | None,
    BeforeValidator(_blank_none),
]


def clean(value: Any) -> Any:
    """Text trimmed; enums (which are str too) and everything else as it is."""
    return value.strip() if type(value) is str else value


# Funds -------------------------------------------------------------------------------------


class FundCreate(Strict):
    name: str = Field(min_length=1, max_length=200)
    grantor: str = Field(default="", max_length=200)
    pool: NonNegativeKroner = Decimal(0)
    allocation_note: str = Field(default="", max_length=2000)


class FundUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    grantor: str | None = Field(default=None, max_length=200)
    pool: NonNegativeKroner | None = None
    allocation_note: str | None = Field(default=None, max_length=2000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class FundPublic(BaseModel):
    id: int
    name: str
    grantor: str
    pool: str
    allocation_note: str
    version: int


# Grants ------------------------------------------------------------------------------------


class CategoryRule(Strict):
    category: CostCategory
    condition: str = Field(default="", max_length=1000)
    activity_kind_ids: list[int] = Field(
        default=[], max_length=20, description="Aktivitetstyper, udgiften skal knyttes til"
    )


class CategoryPublic(BaseModel):
    category: CostCategory
    label: str
    condition: str
    activity_kind_ids: list[int] = []
    activity_kinds: list[str] = []


class PurposeIn(Strict):
    id: int | None = None
    text: str = Field(min_length=1, max_length=1000)


class PurposePublic(BaseModel):
    id: int
    text: str


class GrantCreate(Strict):
    fund_id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    reference: str = Field(default="", max_length=100)
    amount: PositiveKroner
    first_date: dt.date
    last_date: dt.date
    report_due_date: dt.date | None = None
    eligible_categories: list[CategoryRule] = Field(min_length=1, max_length=20)
    purposes: list[str] = Field(default=[], max_length=20)
    other_rules: str = Field(default="", max_length=5000)
    posts_only: bool = Field(default=False, title="Løn kun til tilskuddets stillinger")


class GrantUpdate(Strict):
    fund_id: int | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    reference: str | None = Field(default=None, max_length=100)
    amount: PositiveKroner | None = None
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    report_due_date: dt.date | None = None
    eligible_categories: list[CategoryRule] | None = Field(
        default=None, min_length=1, max_length=20
    )
    purposes: list[PurposeIn] | None = Field(default=None, max_length=20)
    other_rules: str | None = Field(default=None, max_length=5000)
    posts_only: bool | None = Field(default=None, title="Løn kun til tilskuddets stillinger")
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class GrantPublic(BaseModel):
    id: int
    fund_id: int | None
    fund_name: str | None
    name: str
    reference: str
    amount: str
    first_date: dt.date
    last_date: dt.date
    report_due_date: dt.date | None
    eligible_categories: list[CategoryPublic]
    purposes: list[PurposePublic]
    other_rules: str
    posts_only: bool = False
    version: int


# Budget lines ------------------------------------------------------------------------------


class BudgetLineCreate(Strict):
    grant_id: int | None = None
    category: CostCategory
    purpose_id: int | None = None
    group_id: int | None = None
    month: dt.date
    amount: NonNegativeKroner
    note: str = Field(default="", max_length=500)


class BudgetLineUpdate(Strict):
    category: CostCategory | None = None
    purpose_id: int | None = None
    group_id: int | None = None
    month: dt.date | None = None
    amount: NonNegativeKroner | None = None
    note: str | None = Field(default=None, max_length=500)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class BudgetLinePublic(BaseModel):
    id: int
    grant_id: int | None
    category: CostCategory
    purpose_id: int | None
    group_id: int | None
    month: dt.date
    amount: str
    note: str
    version: int


# Expenditures ------------------------------------------------------------------------------


class ExpenditureCreate(Strict):
    grant_id: int | None = Field(default=None, description="Tom: egen finansiering")
    date: dt.date
    amount: Kroner
    category: CostCategory
    purpose_id: int | None = None
    description: str = Field(min_length=1, max_length=500)
    supplier: str = Field(default="", max_length=200)
    hours: Hours | None = None
    hourly_rate: PositiveKroner | None = None
    group_id: int | None = None
    condition_note: str = Field(default="", max_length=1000)
    note: str = Field(default="", max_length=2000)
    attachment_ref: str = Field(default="", max_length=200)
    status: ExpenditureStatus = ExpenditureStatus.paid
    correction_of_id: int | None = None
    post_id: int | None = Field(
        default=None, title="Stilling", description="Stillingen, løn og frikøb bogføres på"
    )
    activity: ActivityRef = Field(
        default=None, title="Aktivitet", description='"meeting:12", "task:5" eller "external:3"'
    )


class ExpenditureUpdate(Strict):
    grant_id: int | None = None
    date: dt.date | None = None
    amount: Kroner | None = None
    category: CostCategory | None = None
    purpose_id: int | None = None
    description: str | None = Field(default=None, min_length=1, max_length=500)
    supplier: str | None = Field(default=None, max_length=200)
    hours: Hours | None = None
    hourly_rate: PositiveKroner | None = None
    group_id: int | None = None
    condition_note: str | None = Field(default=None, max_length=1000)
    note: str | None = Field(default=None, max_length=2000)
    attachment_ref: str | None = Field(default=None, max_length=200)
    status: ExpenditureStatus | None = None
    post_id: int | None = Field(default=None, title="Stilling")
    activity: ActivityRef = Field(default=None, title="Aktivitet")
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class ExpenditurePublic(BaseModel):
    id: int
    grant_id: int | None
    date: dt.date
    amount: str
    category: CostCategory
    category_label: str
    purpose_id: int | None
    description: str
    supplier: str
    hours: str | None
    hourly_rate: str | None
    group_id: int | None
    condition_note: str
    note: str
    attachment_ref: str
    status: ExpenditureStatus
    correction_of_id: int | None
    post_id: int | None
    activity: str | None
    recorded_at: dt.datetime
    version: int

    @classmethod
    def of(cls, e: Expenditure) -> Self:
        """The expenditure as the API shows it."""
        return cls(
            **expense_fields(e, kroner=ore_str, hours=hundredths_str),
            id=e.id or 0,
            category_label=CATEGORY_LABELS[e.category],
            recorded_at=e.recorded_at,
            version=e.version,
        )


# An expenditure's fields are ExpenditureCreate's; these are stored under another column name,
# amounts as integer øre and hours as hundredths. Every conversion between the schemas (API,
# page forms, project document) and the table goes through the two functions below.
EXPENSE_COLUMNS = {
    "date": "expense_date",
    "amount": "amount_ore",
    "hours": "hours_hundredths",
    "hourly_rate": "hourly_rate_ore",
}
_EXPENSE_AMOUNTS = ("amount", "hourly_rate")
# The field `activity` ("meeting:12") is stored in one of three columns.
ACTIVITY_COLUMNS = {
    "meeting": "meeting_id",
    "task": "task_id",
    "external": "external_activity_id",
}


def activity_columns(ref: str | None) -> dict[str, int | None]:
    """The three activity columns of an activity reference (all None for none)."""
    columns: dict[str, int | None] = dict.fromkeys(ACTIVITY_COLUMNS.values())
    if ref:
        kind, _, number = ref.partition(":")
        columns[ACTIVITY_COLUMNS[kind]] = int(number)
    return columns


def activity_ref(e: Any) -> str | None:
    """The activity reference of a row with the three activity columns."""
    for kind, column in ACTIVITY_COLUMNS.items():
        if getattr(e, column) is not None:
            return f"{kind}:{getattr(e, column)}"
    return None


def expense_columns(values: dict[str, Any]) -> dict[str, Any]:
    """Values of an expenditure's fields (as a schema holds them) as the table's columns."""
    columns = {
        EXPENSE_COLUMNS.get(name, name): (None if value is None else to_ore(value))
        if name in (*_EXPENSE_AMOUNTS, "hours")
        else value
        for name, value in values.items()
        if name != "activity"
    }
    if "activity" in values:
        columns |= activity_columns(values["activity"])
    return columns


def expense_fields(
    e: Expenditure,
    *,
    kroner: Callable[[int | None], str | None],
    hours: Callable[[int | None], str | None],
) -> dict[str, Any]:
    """An expenditure's fields (ExpenditureCreate's) from its row: amounts written by `kroner`,
    hours by `hours` (the API's "1000.00", or a form's "1.000,50")."""
    fields: dict[str, Any] = {}
    for name in ExpenditureCreate.model_fields:
        if name == "activity":
            fields[name] = activity_ref(e)
            continue
        value = getattr(e, EXPENSE_COLUMNS.get(name, name))
        if name in _EXPENSE_AMOUNTS:
            value = kroner(value)
        elif name == "hours":
            value = hours(value)
        fields[name] = value
    return fields


# Summary -----------------------------------------------------------------------------------


class LineSummary(BaseModel):
    """Granted here is the approved budget of the category (or group, or purpose)."""

    key: str
    label: str
    granted: str
    spent: str
    committed: str
    remaining: str


class ForecastPublic(BaseModel):
    projected: str
    unused: str
    runs_out_date: dt.date | None


class GrantSummaryPublic(BaseModel):
    grant_id: int
    name: str
    as_of: dt.date
    first_date: dt.date
    last_date: dt.date
    granted: str
    budgeted: str
    spent: str
    committed: str
    remaining: str
    categories: list[LineSummary]
    groups: list[LineSummary]
    purposes: list[LineSummary]
    posts: list[LineSummary] = []
    forecast: ForecastPublic | None
    warnings: list[str]


class ExplanationIn(Strict):
    text: str = Field(max_length=4000)
    version: int | None = Field(
        default=None, description=VERSION_REQUIRED + " 0 før den første forklaring."
    )


class ExplanationPublic(BaseModel):
    grant_id: int
    category: CostCategory
    text: str
    version: int


# Reform economy ----------------------------------------------------------------------------


class EconomyCreate(Strict):
    director_area_id: int
    year: int = Field(ge=2000, le=2100)
    last_year: int | None = Field(default=None, ge=2000, le=2100, title="Sidste år")
    per_year: list[NonNegativeKroner] | None = Field(
        default=None,
        max_length=101,
        title="Beløb pr. år",
        description="Forventet beløb pr. år, fra første år",
    )
    kind: EconomyKind
    description: str = Field(min_length=1, max_length=500)
    expected: NonNegativeKroner = Decimal(0)
    realised: NonNegativeKroner | None = None
    note: str = Field(default="", max_length=2000)


class EconomyUpdate(Strict):
    director_area_id: int | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    last_year: int | None = Field(default=None, ge=2000, le=2100, title="Sidste år")
    per_year: list[NonNegativeKroner] | None = Field(
        default=None, max_length=101, title="Beløb pr. år"
    )
    kind: EconomyKind | None = None
    description: str | None = Field(default=None, min_length=1, max_length=500)
    expected: NonNegativeKroner | None = None
    realised: NonNegativeKroner | None = None
    note: str | None = Field(default=None, max_length=2000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class EconomyYearPublic(BaseModel):
    year: int
    expected: str
    realised: str | None


class EconomyPublic(BaseModel):
    id: int
    director_area_id: int
    year: int
    last_year: int
    years: list[EconomyYearPublic] = []
    kind: EconomyKind
    description: str
    expected: str
    realised: str | None
    note: str
    version: int


# Activity kinds and funded posts ------------------------------------------------------------


class ActivityKindIn(Strict):
    name: str = Field(min_length=1, max_length=100)


class ActivityKindUpdate(ActivityKindIn):
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class ActivityKindPublic(BaseModel):
    id: int
    name: str
    version: int


class ActivityTagIn(Strict):
    activity: ActivityRef = Field(title="Aktivitet")
    kind_id: int | None = Field(default=None, title="Aktivitetstype")


class ActivityPublic(BaseModel):
    activity: str
    type: str
    title: str
    first_date: dt.date | None
    last_date: dt.date | None
    kind_id: int | None
    kind: str


class PostCreate(Strict):
    grant_id: int
    title: str = Field(min_length=1, max_length=200, title="Stillingsbetegnelse")
    first_date: dt.date
    last_date: dt.date
    hours: Hours | None = Field(default=None, title="Timer om ugen")
    share: (
        Annotated[
            Decimal, BeforeValidator(_exact), Field(gt=0, le=100, max_digits=5, decimal_places=2)
        ]
        | None
    ) = Field(default=None, description="Andel af fuld tid i procent")
    budget: NonNegativeKroner
    note: str = Field(default="", max_length=1000)


class PostUpdate(Strict):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    hours: Hours | None = Field(default=None, title="Timer om ugen")
    share: (
        Annotated[
            Decimal, BeforeValidator(_exact), Field(gt=0, le=100, max_digits=5, decimal_places=2)
        ]
        | None
    ) = None
    budget: NonNegativeKroner | None = None
    note: str | None = Field(default=None, max_length=1000)
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class PostPublic(BaseModel):
    id: int
    grant_id: int
    title: str
    first_date: dt.date
    last_date: dt.date
    hours: str | None
    share: str | None
    budget: str
    spent: str
    committed: str
    remaining: str
    note: str
    version: int
