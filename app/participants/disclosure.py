"""The rule for publishing a figure computed from registrations (docs/participants.md, »Who
learns what«): a count of 1–4 as "<5", every other count rounded to the nearest 5, a share
computed from the rounded counts, an average or median only when it rests on 5 people or more,
and a cell that would let a suppressed one be worked out from a total as "..".
"""

from app.danish import format_number

SUPPRESS_BELOW = 5
ROUND_TO = 5
SMALL = "<5"
HIDDEN = ".."


def published_count(count: int) -> int | None:
    """A count as published: 0 stays 0, 1–4 are withheld (None), and the rest are rounded to
    the nearest multiple of 5, so any two published counts differ by 0 or by 5 or more."""
    if count == 0:
        return 0
    if count < SUPPRESS_BELOW:
        return None
    return ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO)


def cell(count: int) -> str:
    """A count as shown outside the registrars' exact views: "<5", or rounded to the nearest 5."""
    published = published_count(count)
    return SMALL if published is None else format_number(published)


def suppress_series(counts: list[int]) -> list[str]:
    """Counts whose sum is shown as a total: small cells become "<5", and when exactly one cell
    is small, the next smallest non-zero cell is hidden too ("..") so the total does not give
    the small one away."""
    shown = [cell(c) for c in counts]
    small = [i for i, c in enumerate(counts) if 0 < c < SUPPRESS_BELOW]
    if len(small) == 1:
        others = [(c, i) for i, c in enumerate(counts) if c >= SUPPRESS_BELOW]
        if others:
            shown[min(others)[1]] = HIDDEN
    return shown


def shown_value(text: str) -> float | None:
    """The number in a shown cell ("83 %" is 83), or None when it is suppressed or not a number."""
    if text in (SMALL, HIDDEN, "", "–"):
        return None
    try:
        return float(text.removesuffix(" %").replace(".", "").replace(",", "."))
    except ValueError:
        return None


def share(part: int, whole: int, people: int | None = None) -> str:
    """A percentage, computed from the published (rounded) counts so that it tells no more than
    they do; "<5" when the whole rests on fewer than 5 people (`people`, when the whole counts
    something else, such as follow-ups), hidden when the part itself would be suppressed."""
    if whole == 0:
        return "–"
    if min(whole, whole if people is None else people) < SUPPRESS_BELOW:
        return SMALL
    if 0 < part < SUPPRESS_BELOW:
        return HIDDEN
    return f"{format_number(100 * (published_count(part) or 0) / (published_count(whole) or 1))} %"


def figure(value: float | None, people: int, decimals: int = 1, suffix: str = "") -> str:
    """An average, median or share based on `people` persons; suppressed below five."""
    if people == 0 or value is None:
        return "–"
    if people < SUPPRESS_BELOW:
        return SMALL
    return f"{format_number(value, decimals)}{suffix}"
