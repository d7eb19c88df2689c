"""The CPR check: no value, label or text of a participant registration may look like a CPR
number however it is typed or pasted; every check reads the text through `cpr_text`."""

import re
import unicodedata
from typing import Any

from app.errors import Invalid

# DDMMYY and four digits, with nothing but separators between the parts (after `cpr_text`):
# 0101901234, 010190-1234, 01.01.90-1234, 01 01 90 1234, 010190/1234.
CPR_PATTERN = re.compile(r"(?<!\d)\d{2} *\d{2} *\d{2} *\d{4}(?!\d)")
# Read as a separator besides every dash (Unicode category Pd) and whitespace; the minus sign
# is not a dash to Unicode but is what some keyboards and spreadsheets paste.
SEPARATORS = "/.\u2212"
CPR_MESSAGE = (
    "{what} ligner et CPR-nummer. Registrér aldrig CPR-numre eller navne – "
    "deltagere registreres kun med deres pseudonyme deltagerkode."
)


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
