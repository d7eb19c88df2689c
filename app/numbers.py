"""Numbers and amounts as people type them in a Danish form, read exactly or refused.

`12.500`, `12.500,50`, `12500`, `12 500 kr.` and `-3,5` are read as a Dane means them; anything
that could mean two things (`12,500.00`, `12.5`, `1.2.3`, two decimal marks) is refused with a
message that shows how to write it, so that nothing is silently scaled. Every page form reads its
numbers through `read_number` (app/web/forms.py); the JSON API takes JSON numbers instead.
"""

import re
from decimal import Decimal

# An optional sign, whole kroner either plain or grouped by three with dots or spaces, and an
# optional comma with the decimals.
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<whole>\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+)(?:,(?P<part>\d+))?$"
)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2212": "-"})
HOW = "Skriv f.eks. 12500, 12.500 eller 12.500,50 (punktum mellem tusinder, komma før decimaler)."


def read_number(text: str) -> Decimal:
    """What a person typed as an exact Decimal; ValueError with a Danish message otherwise."""
    cleaned = " ".join(text.translate(_SPACES).split())
    for unit in ("kr.", "kr", "timer", "%"):
        cleaned = cleaned.removesuffix(unit).strip()
    found = _NUMBER.match(cleaned)
    if not found:
        raise ValueError(f"»{text.strip()}« er ikke et tal skrevet på dansk. {HOW}")
    whole = found["whole"].replace(".", "").replace(" ", "")
    part = f".{found['part']}" if found["part"] else ""
    return Decimal(f"{found['sign']}{whole}{part}")


def write_number(value: Decimal) -> str:
    """A number as a form shows it to be typed again: 12.500,5 (read_number reads it back)."""
    sign = "-" if value < 0 else ""
    whole, _, part = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    part = part.rstrip("0")
    return f"{sign}{grouped},{part}" if part else f"{sign}{grouped}"
