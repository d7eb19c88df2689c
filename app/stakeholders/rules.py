"""The rules of the stakeholder analysis: the influence/interest quadrant and its strategy.

Influence and interest are scored 1–5. A score of 3 or more counts as high: a stakeholder in the
middle is engaged rather than merely watched (docs/stakeholders.md). The quadrants:

    high influence, high interest -> manage closely (involvér tæt)   · ressourcepersoner
    high influence, low interest  -> keep satisfied (hold tilfreds)  · grå eminencer
    low influence,  high interest -> keep informed (hold informeret) · gidsler
    low influence,  low interest  -> monitor (overvåg)               · eksterne interessenter
"""

from app.stakeholders.models import (
    ATTITUDE_LABELS,
    QUADRANT_NAMES,
    STRATEGY_LABELS,
    Attitude,
    Stakeholder,
    Strategy,
)

SCALE_MIN = 1
SCALE_MAX = 5
HIGH_FROM = 3
# Where the grid draws the quadrant borders: between the low scores (1–2) and the high (3–5).
BORDER = HIGH_FROM - 0.5


def quadrant(*, influence: int, interest: int) -> Strategy:
    """The strategy the influence/interest quadrant calls for."""
    high_influence = influence >= HIGH_FROM
    high_interest = interest >= HIGH_FROM
    if high_influence and high_interest:
        return Strategy.manage_closely
    if high_influence:
        return Strategy.keep_satisfied
    if high_interest:
        return Strategy.keep_informed
    return Strategy.monitor


def strategy_of(stakeholder: Stakeholder) -> Strategy:
    """The strategy in force: the override when one is set, else the quadrant's."""
    return stakeholder.strategy_override or quadrant(
        influence=stakeholder.influence, interest=stakeholder.interest
    )


def strategy_text(strategy: Strategy) -> str:
    """'Involvér tæt (ressourcepersoner)': the strategy and the quadrant's Danish name."""
    return f"{STRATEGY_LABELS[strategy]} ({QUADRANT_NAMES[strategy].lower()})"


def override_error(derived: Strategy) -> str:
    """The Danish message when a strategy other than the quadrant's is chosen without a reason."""
    return (
        f"Angiv en begrundelse, når strategien afviger fra kvadrantens "
        f"»{STRATEGY_LABELS[derived]}«."
    )


def scale_error(field: str, label: str, value: object) -> str | None:
    """A Danish message when a score lies outside 1–5, else None."""
    name = label.capitalize()
    if isinstance(value, bool) or not isinstance(value, int):
        return f"Feltet »{name}« skal være et helt tal fra {SCALE_MIN} til {SCALE_MAX}."
    if not SCALE_MIN <= value <= SCALE_MAX:
        return f"Feltet »{name}« skal være fra {SCALE_MIN} til {SCALE_MAX}, ikke {value}."
    return None


def attitude_error(value: object) -> str:
    """The Danish message for an attitude that does not exist."""
    choices = ", ".join(f"{a.value} ({ATTITUDE_LABELS[a].lower()})" for a in Attitude)
    return f"Feltet »Holdning« kender ikke »{value}«; vælg en af: {choices}."


def delegate_limit_error(*, title: str, limit: int, count: int) -> str | None:
    """A Danish message when more delegates are named than the activity allows, else None."""
    if count <= limit:
        return None
    return (
        f"{title} tillader højst {limit} delegerede fra kommunen; "
        f"der er angivet {count}. Fjern en delegeret, før en ny tilføjes."
    )
