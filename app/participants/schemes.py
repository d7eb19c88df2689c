"""Registration schemes as data: field and outcome definitions, their keys, and timing.

A scheme says which fields are recorded at start, at each follow-up and at exit (the recorded
values are checked against them in `values`). A field or outcome sent without a key gets one
made from its Danish label (`with_keys`), for the pages and the API alike. `validated` turns a
schema's refusal into the domain's Danish `Invalid`, for the pages and the scheme service alike.
"""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.danish import format_date
from app.errors import Invalid, danish_message
from app.errors import field_name as error_field
from app.inputs import Input
from app.participants.cpr import CPR_MESSAGE, looks_like_cpr
from app.participants.models import IntervalUnit, RegistrationScheme

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class Stage(StrEnum):
    start = "start"
    follow_up = "follow_up"
    exit = "exit"


STAGE_LABELS = {
    Stage.start: "Ved start",
    Stage.follow_up: "Ved opfølgning",
    Stage.exit: "Ved afslutning",
}


class FieldType(StrEnum):
    text = "text"
    number = "number"
    choice = "choice"
    bool = "bool"
    date = "date"


FIELD_TYPE_LABELS = {
    FieldType.text: "Tekst",
    FieldType.number: "Tal",
    FieldType.choice: "Valgliste",
    FieldType.bool: "Ja/nej",
    FieldType.date: "Dato",
}


M = TypeVar("M", bound=BaseModel)


class Strict(Input):
    """The participants' inputs: text cleaned and dates in the window (app.inputs), unknown
    fields refused."""

    model_config = ConfigDict(extra="forbid")


class FieldDef(Strict):
    """One field of a scheme: its key, Danish label, type, options and whether it is required."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1, max_length=200)
    type: FieldType
    options: list[str] = []
    required: bool = False
    help: str = Field(default="", max_length=300)
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _options_fit_type(self) -> "FieldDef":
        if self.type == FieldType.choice:
            if not self.options:
                raise ValueError(f"Valglisten »{self.label}« skal have mindst én mulighed.")
            if len(set(self.options)) != len(self.options):
                raise ValueError(f"Valglisten »{self.label}« har den samme mulighed to gange.")
            if any(not o.strip() or len(o) > 200 for o in self.options):
                raise ValueError(f"Mulighederne i »{self.label}« skal have 1–200 tegn.")
        elif self.options:
            raise ValueError(
                f"Kun valglister har muligheder (»{self.label}« er ikke en valgliste)."
            )
        if self.type != FieldType.number and (self.min is not None or self.max is not None):
            raise ValueError(f"Kun talfelter har mindste- og højesteværdi (»{self.label}«).")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"Mindsteværdien for »{self.label}« er større end højesteværdien.")
        for text in (self.label, self.help, *self.options):
            if looks_like_cpr(text):
                raise ValueError(CPR_MESSAGE.format(what=f"Teksten »{text}«"))
        return self


class OutcomeDef(Strict):
    """An exit outcome; `placement` marks outcomes that count as a placement (job, education …)."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1, max_length=200)
    placement: bool = False


class SchemeDefinition(Strict):
    """A whole registration scheme as data (what the API and the project document carry)."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    grantor: str = Field(default="", max_length=200)
    code_prefix: str = Field(default="D", pattern=r"^[A-ZÆØÅ]{1,6}$")
    period_start_date: date | None = None
    period_end_date: date | None = None
    follow_up_every: int = Field(default=3, ge=1, le=365)
    follow_up_unit: IntervalUnit = IntervalUnit.months
    on_time_days: int = Field(default=14, ge=0, le=180)
    retention_months: int = Field(default=24, ge=1, le=240)
    target_groups: list[str] = []
    start_fields: list[FieldDef] = []
    follow_up_fields: list[FieldDef] = []
    exit_fields: list[FieldDef] = []
    exit_outcomes: list[OutcomeDef] = []
    hours_field: str | None = None
    hours_cap: int | None = Field(default=None, ge=1, le=60)

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        return with_keys(data)

    @model_validator(mode="after")
    def _consistent(self) -> "SchemeDefinition":
        check_definition(self)
        return self


FIELD_LISTS = ("start_fields", "follow_up_fields", "exit_fields")


def key_from_label(label: Any, taken: Iterable[str]) -> str:
    """A field or outcome key made from its Danish label, unlike those `taken`:
    »Timer pr. uge« → timer_pr_uge (timer_pr_uge_2 when that is taken)."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    key = "".join(c if c.isalnum() else "_" for c in str(label or "").lower().translate(table))
    key = "_".join(part for part in key.split("_") if part)[:36] or "felt"
    key = key if key[0].isalpha() else f"f_{key}"
    taken = set(taken)
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}_{n}", n + 1
    return candidate


def field_keys(scheme: Any) -> set[str]:
    """The keys of a scheme's fields, at every stage (a new field's key differs from them all)."""
    return {f.key for fields in stage_fields(scheme).values() for f in fields}


def outcome_keys(scheme: Any) -> set[str]:
    """The keys of a scheme's exit outcomes."""
    return {o.key for o in outcomes(scheme)}


def _key_of(item: Any) -> Any:
    return item.get("key") if isinstance(item, dict) else getattr(item, "key", None)


def _keyless(item: Any) -> bool:
    return isinstance(item, dict) and not str(item.get("key") or "").strip()


def keyless_items(data: Any) -> set[tuple[str, int]]:
    """Where a scheme's raw data (a definition or a change) has a field or an outcome sent
    without a key, or with an empty one: (list name, index)."""
    if not isinstance(data, dict):
        return set()
    return {
        (name, i)
        for name in (*FIELD_LISTS, "exit_outcomes")
        if isinstance(data.get(name), list)
        for i, item in enumerate(data[name])
        if _keyless(item)
    }


def with_keys(
    data: Any, *, fields_taken: Iterable[str] = (), outcomes_taken: Iterable[str] = ()
) -> Any:
    """A scheme's raw data with a key made from the label of every field and outcome sent
    without one (or with an empty one), as the pages make it: unlike every other key of the
    data and those already `taken` by the scheme (field keys at every stage; outcome keys).
    Keys that are sent are kept as they are."""
    if not keyless_items(data):
        return data
    data = dict(data)
    for names, already in ((FIELD_LISTS, fields_taken), (("exit_outcomes",), outcomes_taken)):
        lists = {n: list(data[n]) for n in names if isinstance(data.get(n), list)}
        taken = set(already) | {
            str(_key_of(item))
            for items in lists.values()
            for item in items
            if _key_of(item) is not None and not _keyless(item)
        }
        for name, items in lists.items():
            for i, item in enumerate(items):
                if _keyless(item):
                    items[i] = item | {"key": key_from_label(item.get("label"), taken)}
                    taken.add(items[i]["key"])
            data[name] = items
    return data


def definition_of(scheme: RegistrationScheme) -> SchemeDefinition:
    """A scheme row as its definition (what the API and the project document show)."""
    return SchemeDefinition.model_validate(
        scheme.model_dump(include=set(SchemeDefinition.model_fields))
    )


def apply_definition(scheme: RegistrationScheme, definition: SchemeDefinition) -> None:
    """Copy a definition onto a scheme row."""
    dumped = definition.model_dump(mode="json")
    for name in SchemeDefinition.model_fields:
        value = getattr(definition, name)
        setattr(scheme, name, dumped[name] if isinstance(value, list) else value)


def check_definition(scheme: SchemeDefinition) -> None:
    """Raise ValueError (Danish) when a scheme's parts do not fit together."""
    if (
        scheme.period_start_date
        and scheme.period_end_date
        and scheme.period_end_date < scheme.period_start_date
    ):
        raise ValueError(
            f"Periodens slutdato ({format_date(scheme.period_end_date)}) ligger før dens "
            f"startdato ({format_date(scheme.period_start_date)})."
        )
    types: dict[str, FieldType] = {}
    for stage, fields in stage_fields(scheme).items():
        seen: set[str] = set()
        for f in fields:
            if f.key in seen:
                raise ValueError(f"Feltet »{f.key}« står to gange {STAGE_LABELS[stage].lower()}.")
            seen.add(f.key)
            if types.setdefault(f.key, f.type) != f.type:
                raise ValueError(f"Feltet »{f.key}« skal have samme type i alle faser.")
    if not scheme.exit_outcomes:
        raise ValueError("Skemaet skal have mindst én status ved afslutning.")
    keys = [o.key for o in scheme.exit_outcomes]
    if len(set(keys)) != len(keys):
        raise ValueError("To afslutningsstatusser har samme nøgle.")
    if len(set(scheme.target_groups)) != len(scheme.target_groups):
        raise ValueError("Den samme målgruppe står to gange.")
    if any(not g.strip() or len(g) > 200 for g in scheme.target_groups):
        raise ValueError("Målgruppernes navne skal have 1–200 tegn.")
    if scheme.hours_field is not None:
        number_keys = {
            f.key
            for f in [*scheme.start_fields, *scheme.follow_up_fields]
            if f.type == FieldType.number
        }
        if scheme.hours_field not in number_keys:
            raise ValueError(
                f"Timefeltet »{scheme.hours_field}« skal være et talfelt ved start eller "
                "opfølgning."
            )
    for text in (
        scheme.name,
        scheme.description,
        scheme.grantor,
        *scheme.target_groups,
        *(o.label for o in scheme.exit_outcomes),
    ):
        if looks_like_cpr(text):
            raise ValueError(CPR_MESSAGE.format(what=f"Teksten »{text}«"))


def stage_fields(scheme: Any) -> dict[Stage, list[FieldDef]]:
    """The field definitions of each stage of a scheme (a table row or a SchemeDefinition)."""
    return {
        Stage.start: _defs(scheme.start_fields),
        Stage.follow_up: _defs(scheme.follow_up_fields),
        Stage.exit: _defs(scheme.exit_fields),
    }


def _defs(items: list[Any]) -> list[FieldDef]:
    return [i if isinstance(i, FieldDef) else FieldDef.model_validate(i) for i in items]


def hours_options(scheme: Any) -> list[FieldDef]:
    """The fields a scheme's hours field may be: its number fields at start and follow-up."""
    fields = stage_fields(scheme)
    options: dict[str, FieldDef] = {}
    for f in [*fields[Stage.start], *fields[Stage.follow_up]]:
        if f.type == FieldType.number:
            options.setdefault(f.key, f)
    return list(options.values())


def outcomes(scheme: Any) -> list[OutcomeDef]:
    return [
        o if isinstance(o, OutcomeDef) else OutcomeDef.model_validate(o)
        for o in scheme.exit_outcomes
    ]


def outcome_label(scheme: Any, key: str | None) -> str:
    for o in outcomes(scheme):
        if o.key == key:
            return o.label
    return key or ""


def validated(schema: type[M], data: dict[str, Any]) -> M:
    """The data as the schema, or Invalid with the Danish message of its first error."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise Invalid(danish_message(dict(error)), field=error_field(error["loc"])) from None


def add_months(day: date, months: int) -> date:
    """The same day some months later (31.01 + 1 month = 28.02 or 29.02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(scheme: Any, since: date) -> date:
    """When the follow-up after one on `since` (or a start on `since`) falls due."""
    if scheme.follow_up_unit == IntervalUnit.days:
        return since + timedelta(days=scheme.follow_up_every)
    return add_months(since, scheme.follow_up_every)


def interval_text(scheme: Any) -> str:
    """»hver 3. måned«, »hver måned«, »hver 30. dag«."""
    unit = "måned" if scheme.follow_up_unit == IntervalUnit.months else "dag"
    every = scheme.follow_up_every
    return f"hver {unit}" if every == 1 else f"hver {every}. {unit}"


def retention_ends(scheme: Any, exit_date: date) -> date:
    """The last day a closed record may be kept."""
    return add_months(exit_date, scheme.retention_months)
