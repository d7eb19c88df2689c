"""The traffic-light rules of a status report (trafiklys: grøn, gul, rød), as pure functions.

Each dimension is judged from plain facts against tolerances that the report states, so the
reader can see why a light is the colour it is. The project leader may override a light with a
written justification; the computed light and the justification stay visible next to it.
The overall light is the worst of the dimensions' lights after their overrides.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, Field

from app.danish import format_kr, format_weeks


class Level(StrEnum):
    green = "green"
    amber = "amber"
    red = "red"


LEVEL_LABELS = {Level.green: "Grøn", Level.amber: "Gul", Level.red: "Rød"}
LEVEL_MEANINGS = {
    Level.green: "Følger planen",
    Level.amber: "Kræver opmærksomhed",
    Level.red: "Kræver handling",
}
SEVERITY = {Level.green: 0, Level.amber: 1, Level.red: 2}

DIMENSIONS = {
    "time": "Tid",
    "economy": "Tilskud og økonomi",
    "deliverables": "Leverancer",
    "risks": "Risici",
    "stakeholders": "Interessenter",
}
OVERALL = "overall"
INFLUENTIAL = 4  # influence 4–5 of 5


class Tolerances(BaseModel):
    """The tolerances a report is judged by; stated in the report itself."""

    milestone_red_weeks: int = Field(
        title="Rød, når en milepæl er skredet mere end (uger)", default=4, ge=1, le=52
    )
    blocked_red_weeks: int = Field(
        title="Rød, når en opgave er blokeret mere end (uger)", default=2, ge=1, le=52
    )
    unused_amber_percent: int = Field(
        title="Gul, når prognosen efterlader mere end (% af tilskuddet)", default=10, ge=0, le=100
    )
    risk_red_score: int = Field(title="Rød ved risikoscore fra", default=15, ge=1, le=25)
    risk_amber_score: int = Field(title="Gul ved risikoscore fra", default=8, ge=1, le=25)
    communication_red_weeks: int = Field(
        title="Rød, når kommunikation er forsinket mere end (uger)", default=4, ge=1, le=52
    )


def tolerance_texts(t: Tolerances) -> dict[str, str]:
    """The tolerances in words, per dimension, as the report states them."""
    return {
        "time": (
            f"Rød, hvis en milepæl er skredet mere end {t.milestone_red_weeks} uger i forhold "
            "til den godkendte plan; gul, hvis en milepæl skrider; ellers grøn."
        ),
        "deliverables": (
            f"Rød, hvis en opgave har været blokeret i mere end {t.blocked_red_weeks} uger; gul, "
            "hvis en gruppes plan ikke er godkendt, har ændringer der venter på godkendelse, "
            "eller en opgave er blokeret eller forfalden; ellers grøn."
        ),
        "economy": (
            "Rød, hvis forbruget eller prognosen overstiger tilskuddet; gul, hvis prognosen "
            f"efterlader mere end {t.unused_amber_percent} % af tilskuddet ubrugt; ellers grøn."
        ),
        "risks": (
            f"Rød, hvis en åben risiko har score {t.risk_red_score} eller mere; gul ved score "
            f"{t.risk_amber_score} eller mere, eller hvis en revision af en risiko er "
            "overskredet; ellers grøn."
        ),
        "stakeholders": (
            "Rød, hvis en kommunikationsaktivitet er mere end "
            f"{t.communication_red_weeks} uger forsinket; gul, hvis en er forsinket, eller en "
            "interessent med stor indflydelse er modstander; ellers grøn."
        ),
    }


@dataclass(frozen=True)
class Assessment:
    """A computed light with the reasons that made it."""

    level: Level
    reasons: list[str] = field(default_factory=list)


def worst(levels: Iterable[Level]) -> Level:
    """The most severe of the levels (green when there are none)."""
    return max(levels, key=lambda level: SEVERITY[level], default=Level.green)


def _judge(reds: list[str], ambers: list[str]) -> Assessment:
    if reds:
        return Assessment(Level.red, reds + ambers)
    if ambers:
        return Assessment(Level.amber, ambers)
    return Assessment(Level.green, [])


# Facts


@dataclass(frozen=True)
class MilestoneFact:
    name: str
    slip_days: int  # behind the baseline (an open milestone past its date counts to today)
    open: bool  # planned (not reached, not cancelled)


@dataclass(frozen=True)
class TaskFact:
    title: str
    blocked_days: int | None = None
    overdue_days: int | None = None


@dataclass(frozen=True)
class PlanFact:
    group: str
    approved: bool
    pending_changes: bool = False
    state: str = ""


@dataclass(frozen=True)
class GrantFact:
    name: str
    granted_ore: int
    used_ore: int
    projected_ore: int | None = None


@dataclass(frozen=True)
class RiskFact:
    title: str
    score: int | None
    review_overdue: bool = False


@dataclass(frozen=True)
class ActionFact:
    what: str
    overdue_days: int


@dataclass(frozen=True)
class StakeholderFact:
    name: str
    influence: int
    opposing: bool


# Rules


def time_level(milestones: Iterable[MilestoneFact], t: Tolerances) -> Assessment:
    """Red: an open milestone slipped more than the tolerance; amber: one slips at all."""
    reds, ambers = [], []
    limit = t.milestone_red_weeks * 7
    for m in milestones:
        if not m.open or m.slip_days <= 0:
            continue
        text = f"Milepælen »{m.name}« er skredet {format_weeks(m.slip_days)} uger"
        if m.slip_days > limit:
            reds.append(f"{text} (tolerance {t.milestone_red_weeks} uger).")
        else:
            ambers.append(f"{text}.")
    return _judge(reds, ambers)


def deliverables_level(
    tasks: Iterable[TaskFact], plans: Iterable[PlanFact], t: Tolerances
) -> Assessment:
    """Red: a task blocked longer than the tolerance; amber: a plan not approved or with changes
    awaiting approval, or a task blocked or overdue."""
    reds, ambers = [], []
    limit = t.blocked_red_weeks * 7
    for p in plans:
        if not p.approved:
            state = f" (planen er {p.state})" if p.state else ""
            ambers.append(f"»{p.group}« har ingen godkendt tids- og handleplan{state}.")
        elif p.pending_changes:
            ambers.append(f"»{p.group}« har ændringer i planen, der venter på godkendelse.")
    overdue = []
    for task in tasks:
        if task.blocked_days is not None:
            text = f"Opgaven »{task.title}« har været blokeret i {task.blocked_days} dage"
            if task.blocked_days > limit:
                reds.append(f"{text} (tolerance {t.blocked_red_weeks} uger).")
            else:
                ambers.append(f"{text}.")
        elif task.overdue_days:
            overdue.append(task)
    if len(overdue) == 1:
        ambers.append(f"Opgaven »{overdue[0].title}« har overskredet slutdatoen.")
    elif overdue:
        ambers.append(
            f"{len(overdue)} opgaver har overskredet slutdatoen, bl.a. »{overdue[0].title}«."
        )
    return _judge(reds, ambers)


def economy_level(grants: Iterable[GrantFact], t: Tolerances) -> Assessment:
    """Red: spending or its forecast exceeds the grant; amber: the forecast leaves more than the
    tolerance unused."""
    reds, ambers = [], []
    for g in grants:
        if g.used_ore > g.granted_ore:
            reds.append(
                f"Forbruget på »{g.name}« ({format_kr(g.used_ore)}) overstiger tilskuddet "
                f"({format_kr(g.granted_ore)})."
            )
            continue
        if g.projected_ore is None:
            continue
        if g.projected_ore > g.granted_ore:
            reds.append(
                f"Med det nuværende forbrug bruges {format_kr(g.projected_ore)} af »{g.name}«, "
                f"mere end tilskuddet på {format_kr(g.granted_ore)}"
            )
        elif (g.granted_ore - g.projected_ore) * 100 > g.granted_ore * t.unused_amber_percent:
            ambers.append(
                f"Med det nuværende forbrug står {format_kr(g.granted_ore - g.projected_ore)} af "
                f"»{g.name}« ubrugt ved periodens slutning (tolerance "
                f"{t.unused_amber_percent} %)."
            )
    return _judge(reds, ambers)


def risks_level(risks: Iterable[RiskFact], t: Tolerances) -> Assessment:
    """Red: an open risk scores at the red tolerance or more; amber: at the amber tolerance or
    more, or a risk's review is overdue."""
    reds, ambers = [], []
    for r in risks:
        if r.score is not None and r.score >= t.risk_red_score:
            reds.append(f"Risikoen »{r.title}« har score {r.score}.")
        elif r.score is not None and r.score >= t.risk_amber_score:
            ambers.append(f"Risikoen »{r.title}« har score {r.score}.")
        if r.review_overdue:
            ambers.append(f"Revisionen af »{r.title}« er overskredet.")
    return _judge(reds, ambers)


def stakeholders_level(
    actions: Iterable[ActionFact], stakeholders: Iterable[StakeholderFact], t: Tolerances
) -> Assessment:
    """Red: a communication action late by more than the tolerance; amber: one is late, or an
    influential stakeholder opposes the reform."""
    reds, ambers = [], []
    limit = t.communication_red_weeks * 7
    for a in actions:
        if a.overdue_days <= 0:
            continue
        text = f"Kommunikationen »{a.what}« er {a.overdue_days} dage forsinket"
        if a.overdue_days > limit:
            reds.append(f"{text} (tolerance {t.communication_red_weeks} uger).")
        else:
            ambers.append(f"{text}.")
    for s in stakeholders:
        if s.opposing and s.influence >= INFLUENTIAL:
            ambers.append(f"»{s.name}« har stor indflydelse og er modstander af reformen.")
    return _judge(reds, ambers)


# Overrides


class Override(BaseModel):
    """The project leader's own light for a dimension, with the reason why."""

    level: Level
    justification: str = Field(min_length=1, max_length=2000)
    by: str = ""
    on: str = ""  # ISO date of the override


@dataclass(frozen=True)
class Rated:
    """A light as the report shows it: computed, and the project leader's override if any."""

    key: str
    label: str
    computed: Level
    reasons: list[str]
    override: Override | None = None

    @property
    def level(self) -> Level:
        return self.override.level if self.override else self.computed

    @property
    def overridden(self) -> bool:
        return self.override is not None and self.override.level != self.computed


def rate(key: str, label: str, assessment: Assessment, override: Override | None) -> Rated:
    """The light for one dimension or group, with its override applied."""
    return Rated(key, label, assessment.level, list(assessment.reasons), override)


def overall(dimensions: Iterable[Rated], override: Override | None = None) -> Rated:
    """The overall light: the worst of the dimensions' lights (after their overrides)."""
    rated = list(dimensions)
    level = worst(r.level for r in rated)
    reasons = [
        f"{r.label}: {LEVEL_LABELS[r.level].lower()}."
        for r in rated
        if r.level == level and level != Level.green
    ]
    return Rated(OVERALL, "Samlet status", level, reasons, override)
