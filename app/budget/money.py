"""Exact money: kroner as Decimal with at most two decimals in, integer øre stored, "1000.00" out.

Floats never touch an amount: 0,10 + 0,20 kr. is 30 øre, not 0.30000000000000004.
"""

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def to_ore(kroner: Decimal) -> int:
    """Kroner with at most two decimals as integer øre (exact)."""
    ore = kroner * HUNDRED
    if ore != ore.to_integral_value():
        raise ValueError("Et beløb må højst have 2 decimaler (øre).")
    return int(ore)


def ore_str(ore: int | None) -> str | None:
    """Integer øre as a decimal string in kroner: 46147400 -> "461474.00"."""
    if ore is None:
        return None
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(ore), 100)
    return f"{sign}{kroner}.{rest:02d}"


def hundredths_str(value: int | None) -> str | None:
    """Hundredths as a decimal string: 3750 -> "37.50"."""
    return ore_str(value)


def times_rate(hours_hundredths: int, rate_ore: int) -> int:
    """Hours (in hundredths) times an hourly rate in øre, rounded half up to whole øre."""
    exact = Decimal(hours_hundredths) * Decimal(rate_ore) / HUNDRED
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def kr_input(ore: int | None) -> str:
    """Øre as a person would type the amount again in a form: 100050 -> "1000,50"."""
    if ore is None:
        return ""
    text = ore_str(ore) or ""
    return text.replace(".", ",").removesuffix(",00")


def hours_text(hours_hundredths: int | None) -> str:
    """Hours in hundredths the Danish way, without trailing zeros: 3750 -> "37,5", 8000 -> "80"."""
    if hours_hundredths is None:
        return ""
    text = f"{Decimal(hours_hundredths) / HUNDRED:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
