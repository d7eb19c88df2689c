"""What every input accepts, decided once: text without control characters, dates in a sane
window, whole numbers a database can hold.

Every schema that takes input from a person or a script (API bodies, page forms, the project
document) derives from `Input`; a date in a query string is a `Day`, and the day a read is
judged on is an `AsOf`. Exports clean what they write with `clean_text` too, for text stored
before these rules existed.
"""

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

# Plans, grants and reports of a municipality: nothing before 1990 or after 2100 is real, and
# date arithmetic (weeks, Gantt spans, calendar feeds) stays far from date.max.
DATE_MIN = date(1990, 1, 1)
DATE_MAX = date(2100, 12, 31)
# The largest whole number a database column holds (64 bits): ids and counts beyond it are refused.
MAX_INT = 2**63 - 1

# Word's manual line break (U+000B) and a form feed are line breaks to the person who typed them.
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
# C0 controls but tab and line feed, DEL, and the C1 controls: no format we write allows them
# (XML in .xlsx refuses them, iCalendar forbids them) and nobody types them on purpose.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """The text with line breaks as \\n and every other control character but tab removed."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))


def check_day(value: date) -> date:
    """The date, or a Danish error when it lies outside DATE_MIN–DATE_MAX."""
    day = value.date() if isinstance(value, datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise PydanticCustomError(
            "date_out_of_range",
            "Date out of range",
            {"min": f"{DATE_MIN:%d.%m.%Y}", "max": f"{DATE_MAX:%d.%m.%Y}"},
        )
    return value


def within_window(day: date) -> date:
    """A stored date as the app reckons with it: one from before these rules existed, outside
    the window, counts as the window's nearest edge, so no page fails on one row."""
    return min(max(day, DATE_MIN), DATE_MAX)


Day = Annotated[date, AfterValidator(check_day)]
# The day a read is judged on (overdue, due, slippage, compliance, burn): today when left out.
# A pydantic Field, not fastapi's Query, so that services importing this module stay free of
# the web framework; FastAPI reads it as a query parameter alike.
AsOf = Annotated[Day | None, Field(description="Opgjort pr. denne dato (ISO); uden den: i dag")]
# An edit names the copy it was made from, so that two people's edits cannot overwrite each other.
Version = Annotated[int, Field(description="Versionen, du hentede; en ældre version giver 409")]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _check_range(value: Any) -> Any:
    if isinstance(value, date):
        check_day(value)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise PydanticCustomError("int_parsing_size", "Number too large")
    elif isinstance(value, list | tuple):
        for v in value:
            _check_range(v)
    elif isinstance(value, dict):
        for v in value.values():
            _check_range(v)
    return value


class Input(BaseModel):
    """The base of every input schema: its text is cleaned and its dates checked."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        return _clean(value)

    @field_validator("*", mode="after")
    @classmethod
    def _in_range(cls, value: Any) -> Any:
        return _check_range(value)
