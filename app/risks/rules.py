"""The rules of risks and success measures as pure functions: scores and levels, overdue reviews,
when the next measurement is due, and whether an indicator is on track. No database here."""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from app.danish import format_date
from app.errors import Invalid


class RaidKind(StrEnum):
    risk = "risk"
    issue = "issue"
    assumption = "assumption"
    dependency = "dependency"


RAID_KIND_LABELS = {
    RaidKind.risk: "Risiko",
    RaidKind.issue: "Problem",
    RaidKind.assumption: "Antagelse",
    RaidKind.dependency: "Afhængighed",
}
RAID_KIND_PLURAL = {
    RaidKind.risk: "Risici",
    RaidKind.issue: "Problemer (indtrufne hændelser)",
    RaidKind.assumption: "Antagelser",
    RaidKind.dependency: "Afhængigheder",
}


class RaidStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    closed = "closed"


RAID_STATUS_LABELS = {
    RaidStatus.open: "Åben",
    RaidStatus.in_progress: "Under håndtering",
    RaidStatus.closed: "Lukket",
}
# Badge colours of the statuses (the word is always shown next to the colour).
RAID_STATUS_BADGES = {
    RaidStatus.open: "amber",
    RaidStatus.in_progress: "grey",
    RaidStatus.closed: "green",
}


class RiskLevel(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


RISK_LEVEL_LABELS = {RiskLevel.low: "Lav", RiskLevel.medium: "Middel", RiskLevel.high: "Høj"}
RISK_LEVEL_BADGES = {RiskLevel.low: "green", RiskLevel.medium: "amber", RiskLevel.high: "red"}
# Score thresholds (probability × consequence, 1–25): 15–25 high, 8–14 medium, 1–7 low.
HIGH_FROM = 15
MEDIUM_FROM = 8
SCALE = range(1, 6)


class Direction(StrEnum):
    # Not named `lower`: a str member of that name would hide str.lower().
    higher_is_better = "higher"
    lower_is_better = "lower"


DIRECTION_LABELS = {
    Direction.higher_is_better: "Højere er bedre",
    Direction.lower_is_better: "Lavere er bedre",
}


class Frequency(StrEnum):
    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    half_yearly = "half_yearly"
    yearly = "yearly"


FREQUENCY_LABELS = {
    Frequency.weekly: "Ugentlig",
    Frequency.monthly: "Månedlig",
    Frequency.quarterly: "Kvartalsvis",
    Frequency.half_yearly: "Halvårlig",
    Frequency.yearly: "Årlig",
}
# Months between measurements (weekly is counted in days).
FREQUENCY_MONTHS = {
    Frequency.monthly: 1,
    Frequency.quarterly: 3,
    Frequency.half_yearly: 6,
    Frequency.yearly: 12,
}
# How many days before its due date a measurement is announced as coming up ("Skal måles snart").
DUE_SOON_DAYS = {
    Frequency.weekly: 2,
    Frequency.monthly: 7,
    Frequency.quarterly: 14,
    Frequency.half_yearly: 14,
    Frequency.yearly: 30,
}


def unknown_frequency_message(value: object) -> str:
    names = ", ".join(f"{label.lower()} ({f.value})" for f, label in FREQUENCY_LABELS.items())
    return f"Hyppigheden »{value}« er ukendt. Vælg en af: {names}."


# --- Risks ---


def check_scale(value: int | None, *, field_name: str, label: str) -> None:
    """Probability and consequence are whole numbers from 1 to 5."""
    if value is None:
        raise Invalid(f"{label} skal udfyldes for en risiko (1–5).", field=field_name)
    if value not in SCALE:
        raise Invalid(
            f"{label} skal være et helt tal fra 1 til 5 (ikke {value}).", field=field_name
        )


def check_raid_values(*, kind: RaidKind, probability: int | None, consequence: int | None) -> None:
    """A risk has probability and consequence 1–5; the other kinds have neither."""
    if kind == RaidKind.risk:
        check_scale(probability, field_name="probability", label="Sandsynligheden")
        check_scale(consequence, field_name="consequence", label="Konsekvensen")
        return
    what = RAID_KIND_LABELS[kind].lower()
    if probability is not None:
        raise Invalid(
            f"Kun en risiko har en sandsynlighed; en {what} har ingen.", field="probability"
        )
    if consequence is not None:
        raise Invalid(f"Kun en risiko har en konsekvens; en {what} har ingen.", field="consequence")


def risk_score(probability: int | None, consequence: int | None) -> int | None:
    """Probability × consequence (1–25), or None when either is missing."""
    if probability is None or consequence is None:
        return None
    return probability * consequence


def risk_level(score: int | None) -> RiskLevel | None:
    """High from 15, medium from 8, else low."""
    if score is None:
        return None
    if score >= HIGH_FROM:
        return RiskLevel.high
    if score >= MEDIUM_FROM:
        return RiskLevel.medium
    return RiskLevel.low


def review_overdue(*, review_date: date | None, is_open: bool, today: date) -> bool:
    """An open item whose review date has passed (the review date itself is still in time)."""
    return is_open and review_date is not None and review_date < today


class RiskLike(Protocol):
    id: int | None
    title: str
    probability: int | None
    consequence: int | None


def risk_order_key(item: RiskLike) -> tuple[int, int, int, int]:
    """Highest score first; on a tie the larger consequence, then probability, then oldest."""
    return (
        -(risk_score(item.probability, item.consequence) or 0),
        -(item.consequence or 0),
        -(item.probability or 0),
        item.id or 0,
    )


@dataclass
class HeatCell:
    probability: int
    consequence: int
    titles: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.titles)

    @property
    def score(self) -> int:
        return self.probability * self.consequence

    @property
    def level(self) -> RiskLevel:
        return risk_level(self.score) or RiskLevel.low


def heat_matrix(risks: Iterable[RiskLike]) -> list[list[HeatCell]]:
    """5×5 cells, rows by probability 1–5, columns by consequence 1–5, with the risks' titles."""
    grid = [[HeatCell(p, c) for c in SCALE] for p in SCALE]
    for risk in sorted(risks, key=risk_order_key):
        p, c = risk.probability, risk.consequence
        if p is not None and c is not None and p in SCALE and c in SCALE:
            grid[p - 1][c - 1].titles.append(risk.title)
    return grid


# --- Success measures ---


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month, and the last
    day of a month stays the last day (30.06 + 6 months is 31.12: periods end at month ends)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month, last)
    return date(year, month, min(day.day, last))


def next_due_date(*, frequency: Frequency, since: date) -> date:
    """One period after the last measurement (or after the baseline when there is none)."""
    if frequency == Frequency.weekly:
        return since + timedelta(days=7)
    return add_months(since, FREQUENCY_MONTHS[frequency])


class DueState(StrEnum):
    ok = "ok"
    due_soon = "due_soon"
    missing = "missing"
    finished = "finished"


DUE_LABELS = {
    DueState.ok: "I rute",
    DueState.due_soon: "Skal måles snart",
    DueState.missing: "Måling mangler",
    DueState.finished: "Målinger afsluttet",
}
DUE_BADGES = {
    DueState.ok: "green",
    DueState.due_soon: "amber",
    DueState.missing: "red",
    DueState.finished: "grey",
}


@dataclass(frozen=True)
class Due:
    state: DueState
    next_due_date: date | None
    days_overdue: int = 0

    @property
    def label(self) -> str:
        return DUE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return DUE_BADGES[self.state]

    @property
    def missing(self) -> bool:
        return self.state == DueState.missing


def measurement_due(
    *,
    frequency: Frequency,
    baseline_date: date,
    last_measured: date | None,
    target_date: date | None,
    today: date,
) -> Due:
    """When the next measurement is due, and whether it is missing (today is after its due date).
    Measurements are expected until the target date; after that nothing more is due."""
    due = next_due_date(frequency=frequency, since=last_measured or baseline_date)
    if target_date is not None and due > target_date:
        return Due(DueState.finished, None)
    if today > due:
        return Due(DueState.missing, due, (today - due).days)
    if today >= due - timedelta(days=DUE_SOON_DAYS[frequency]):
        return Due(DueState.due_soon, due)
    return Due(DueState.ok, due)


class Progress(StrEnum):
    reached = "reached"
    on_track = "on_track"
    behind = "behind"
    missed = "missed"
    no_target = "no_target"
    no_data = "no_data"


PROGRESS_LABELS = {
    Progress.reached: "Målet er nået",
    Progress.on_track: "På sporet",
    Progress.behind: "Bagud",
    Progress.missed: "Målet er ikke nået",
    Progress.no_target: "Intet mål endnu",
    Progress.no_data: "Ingen målinger endnu",
}
PROGRESS_BADGES = {
    Progress.reached: "green",
    Progress.on_track: "green",
    Progress.behind: "amber",
    Progress.missed: "red",
    Progress.no_target: "grey",
    Progress.no_data: "grey",
}


class Trend(StrEnum):
    up = "up"
    down = "down"
    flat = "flat"


TREND_LABELS = {Trend.up: "Stigende", Trend.down: "Faldende", Trend.flat: "Uændret"}
TREND_ARROWS = {Trend.up: "↑", Trend.down: "↓", Trend.flat: "→"}


def trend(values: Sequence[Decimal]) -> Trend | None:
    """Whether the newest of the values (oldest first) rose, fell or stayed level against the
    one before it; None with fewer than two."""
    if len(values) < 2:
        return None
    previous, latest = values[-2], values[-1]
    if latest > previous:
        return Trend.up
    if latest < previous:
        return Trend.down
    return Trend.flat


def _better_or_equal(value: Decimal, than: Decimal, direction: Direction) -> bool:
    return value >= than if direction == Direction.higher_is_better else value <= than


def expected_value(
    *,
    baseline_value: Decimal,
    baseline_date: date,
    target_value: Decimal,
    target_date: date,
    on: date,
) -> Decimal:
    """The value a straight line from baseline to target passes on the given date."""
    span = (target_date - baseline_date).days
    if span <= 0 or on >= target_date:
        return target_value
    if on <= baseline_date:
        return baseline_value
    share = Decimal((on - baseline_date).days) / Decimal(span)
    return baseline_value + (target_value - baseline_value) * share


def progress(
    *,
    direction: Direction,
    baseline_value: Decimal | None,
    baseline_date: date,
    target_value: Decimal | None,
    target_date: date | None,
    latest: tuple[date, Decimal] | None,
    today: date,
) -> Progress:
    """Compare the latest value with the target: reached, on track (at or beyond the straight
    line from baseline to target on the day it was measured), behind, or missed after the date."""
    if latest is None:
        return Progress.no_data
    if target_value is None:
        return Progress.no_target
    measured_date, value = latest
    if _better_or_equal(value, target_value, direction):
        return Progress.reached
    if target_date is not None and today > target_date:
        return Progress.missed
    if baseline_value is None or target_date is None:
        return Progress.behind
    expected = expected_value(
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=target_date,
        on=measured_date,
    )
    return Progress.on_track if _better_or_equal(value, expected, direction) else Progress.behind


def check_measurement_date(*, measured_date: date, baseline_date: date, today: date) -> None:
    """A measurement lies between the indicator's baseline date and today."""
    if measured_date < baseline_date:
        raise Invalid(
            f"Målingens dato ({format_date(measured_date)}) ligger før indikatorens basisdato "
            f"({format_date(baseline_date)}). En måling skal være dateret på eller efter "
            f"basisdatoen.",
            field="measured_date",
        )
    if measured_date > today:
        raise Invalid(
            f"Målingens dato ({format_date(measured_date)}) ligger efter i dag "
            f"({format_date(today)}). Man kan kun registrere målinger, der er foretaget.",
            field="measured_date",
        )


def check_indicator_dates(
    *, baseline_date: date, target_date: date | None, first_measured: date | None
) -> None:
    """The target date lies after the baseline date, and no measurement lies before the baseline."""
    if target_date is not None and target_date <= baseline_date:
        raise Invalid(
            f"Måldatoen ({format_date(target_date)}) skal ligge efter basisdatoen "
            f"({format_date(baseline_date)}).",
            field="target_date",
        )
    if first_measured is not None and first_measured < baseline_date:
        raise Invalid(
            f"Basisdatoen ({format_date(baseline_date)}) kan ikke ligge efter den første måling "
            f"({format_date(first_measured)}).",
            field="baseline_date",
        )


def latest_of(measurements: Sequence[tuple[date, Decimal]]) -> tuple[date, Decimal] | None:
    """The newest (date, value) pair, or None."""
    return max(measurements, key=lambda m: m[0]) if measurements else None
