"""Registration schemes as data: field and outcome definitions, and checking recorded values.

A scheme says which fields are recorded at start, at each follow-up and at exit. Only those
fields can be stored (data minimisation), a value must fit its field's type and options (a date
between 01.01.1990 and 31.12.2100), and no value may look like a CPR number however it is typed
or pasted: every CPR check reads the text through `cpr_text`. `validated` turns a schema's
refusal into the domain's Danish `Invalid`, for the pages and the scheme service alike.
"""

import calendar
import re
import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.danish import format_date, format_number
from app.errors import Invalid, danish_message
from app.errors import field_name as error_field
from app.inputs import DATE_MAX, DATE_MIN, Input
from app.participants.models import IntervalUnit

# DDMMYY and four digits, with nothing but separators between the parts (after `cpr_text`):
# 0101901234, 010190-1234, 01.01.90-1234, 01 01 90 1234, 010190/1234.
CPR_PATTERN = re.compile(r"(?<!\d)\d{2} *\d{2} *\d{2} *\d{4}(?!\d)")
# Read as a separator besides every dash (Unicode category Pd) and whitespace; the minus sign
# is not a dash to Unicode but is what some keyboards and spreadsheets paste.
SEPARATORS = "/.\u2212"
CODE_PATTERN = re.compile(r"^[A-ZÆØÅ0-9][A-ZÆØÅ0-9-]{1,19}$")
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
CPR_MESSAGE = (
    "{what} ligner et CPR-nummer. Registrér aldrig CPR-numre eller navne – "
    "deltagere registreres kun med deres pseudonyme deltagerkode."
)


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

    @model_validator(mode="after")
    def _consistent(self) -> "SchemeDefinition":
        check_definition(self)
        return self


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


def cpr_text(text: str) -> str:
    """The text as the CPR check reads it: NFKC-normalised (full-width digits, no-break spaces),
    without format characters (zero-width spaces, soft hyphens …), and every dash, slash, dot
    or whitespace a plain space."""
    chars = []
    for char in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        separator = category == "Pd" or char in SEPARATORS or char.isspace()
        chars.append(" " if separator else char)
    return "".join(chars)


def looks_like_cpr(text: str) -> bool:
    """True when the text holds something that reads as a CPR number, however typed or pasted."""
    return CPR_PATTERN.search(cpr_text(text)) is not None


def refuse_cpr(value: Any, *, what: str, field: str) -> None:
    """Refuse a value that looks like a CPR number (whatever field it is in)."""
    if value is not None and not isinstance(value, bool) and looks_like_cpr(str(value)):
        raise Invalid(CPR_MESSAGE.format(what=what), field=field)


def check_window(day: date, *, what: str, field: str) -> date:
    """Refuse a date outside the dates any input accepts (app.inputs), naming the field."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise Invalid(
            f"{what} skal ligge mellem {format_date(DATE_MIN)} og {format_date(DATE_MAX)}.",
            field=field,
        )
    return day


def validated(schema: type[M], data: dict[str, Any]) -> M:
    """The data as the schema, or Invalid with the Danish message of its first error."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise Invalid(danish_message(dict(error)), field=error_field(error["loc"])) from None


def check_code(code: str) -> str:
    """A participant code: a pseudonym of capital letters, digits and dashes with a digit in it."""
    code = code.strip().upper()
    refuse_cpr(code, what="Deltagerkoden", field="code")
    if not CODE_PATTERN.match(code) or not any(c.isdigit() for c in code):
        raise Invalid(
            "Deltagerkoden skal være en pseudonym kode på 2–20 tegn med store bogstaver, tal og "
            "bindestreg og mindst ét tal, f.eks. VC-007 – aldrig et navn eller et CPR-nummer.",
            field="code",
        )
    return code


def clean_values(
    fields: list[FieldDef],
    values: dict[str, Any] | None,
    *,
    stage: Stage,
    field_prefix: str = "values",
) -> dict[str, Any]:
    """The values checked against the stage's fields; unknown keys, wrong types, values outside
    the options and CPR-like values are refused with a Danish message naming the field."""
    values = values or {}
    by_key = {f.key: f for f in fields}
    for key, raw in values.items():
        refuse_cpr(
            raw,
            what=f"Værdien i feltet »{by_key[key].label if key in by_key else key}«",
            field=f"{field_prefix}.{key}",
        )
        if key not in by_key:
            raise Invalid(
                f"Feltet »{key}« findes ikke i registreringsskemaet {STAGE_LABELS[stage].lower()} "
                "og må ikke gemmes (dataminimering: kun skemaets felter registreres).",
                field=f"{field_prefix}.{key}",
            )
    cleaned: dict[str, Any] = {}
    for f in fields:
        value = _convert(f, values.get(f.key), field=f"{field_prefix}.{f.key}")
        if value is None:
            if f.required:
                raise Invalid(f"»{f.label}« skal udfyldes.", field=f"{field_prefix}.{f.key}")
            continue
        cleaned[f.key] = value
    return cleaned


def _convert(f: FieldDef, raw: Any, *, field: str) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if f.type == FieldType.text:
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise Invalid(f"»{f.label}« skal være tekst.", field=field)
        text = str(raw).strip()
        if len(text) > 500:
            raise Invalid(f"»{f.label}« må højst have 500 tegn.", field=field)
        return text
    if f.type == FieldType.number:
        number = _number(raw)
        if number is None:
            raise Invalid(f"»{f.label}« skal være et tal.", field=field)
        if f.min is not None and number < f.min:
            raise Invalid(
                f"»{f.label}« skal være mindst {format_number(f.min, _dec(f.min))}.", field=field
            )
        if f.max is not None and number > f.max:
            raise Invalid(
                f"»{f.label}« må højst være {format_number(f.max, _dec(f.max))}.", field=field
            )
        return int(number) if number == int(number) else number
    if f.type == FieldType.choice:
        text = str(raw).strip()
        if text not in f.options:
            raise Invalid(
                f"»{text}« er ikke en mulighed i »{f.label}«. Vælg en af: {', '.join(f.options)}.",
                field=field,
            )
        return text
    if f.type == FieldType.bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("ja", "true", "on", "1"):
            return True
        if text in ("nej", "false", "off", "0"):
            return False
        raise Invalid(f"»{f.label}« skal besvares med ja eller nej.", field=field)
    parsed = parse_date(raw)
    if parsed is None:
        raise Invalid(f"»{f.label}« skal være en dato (DD.MM.ÅÅÅÅ).", field=field)
    return check_window(parsed, what=f"»{f.label}«", field=field).isoformat()


def _dec(value: float) -> int:
    return 0 if value == int(value) else 1


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def parse_date(raw: Any) -> date | None:
    """A date from ISO (2013-03-01) or Danish (01.03.2013) text; None when it is neither."""
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in (r"^(\d{4})-(\d{2})-(\d{2})$", r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"):
        match = re.match(pattern, text)
        if match:
            a, b, c = (int(x) for x in match.groups())
            try:
                return date(a, b, c) if pattern.startswith(r"^(\d{4})") else date(c, b, a)
            except ValueError:
                return None
    return None


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


def display_value(f: FieldDef, value: Any) -> str:
    """A stored value as Danish text (Ja/Nej, 01.03.2013, 12,5)."""
    if value is None:
        return ""
    if f.type == FieldType.bool:
        return "Ja" if value else "Nej"
    if f.type == FieldType.date:
        parsed = parse_date(value)
        return format_date(parsed) if parsed else str(value)
    if f.type == FieldType.number:
        return format_number(value, 0 if float(value) == int(value) else 1)
    return str(value)
