"""Recorded values: checking them against a scheme's fields (only those fields can be stored, a
value must fit its field's type and options, a date lie between 01.01.1990 and 31.12.2100, and
nothing may look like a CPR number), the participant's pseudonymous code, and showing a stored
value in Danish."""

import re
from datetime import date
from typing import Any

from app.danish import format_date, format_number
from app.errors import Invalid
from app.inputs import DATE_MAX, DATE_MIN
from app.participants.cpr import refuse_cpr
from app.participants.schemes import STAGE_LABELS, FieldDef, FieldType, Stage

CODE_PATTERN = re.compile(r"^[A-ZÆØÅ0-9][A-ZÆØÅ0-9-]{1,19}$")


def check_window(day: date, *, what: str, field: str) -> date:
    """Refuse a date outside the dates any input accepts (app.inputs), naming the field."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise Invalid(
            f"{what} skal ligge mellem {format_date(DATE_MIN)} og {format_date(DATE_MAX)}.",
            field=field,
        )
    return day


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
