"""The grant's rules as pure functions: is an expense eligible, is a deviation material, will the
money last. No database here, so every rule can be tested at its boundaries on its own."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.budget.models import CATEGORY_LABELS, CostCategory, Expenditure
from app.budget.money import hours_text, times_rate
from app.danish import format_date, format_kr
from app.errors import Invalid

# A deviation from the approved budget line is material (and must be explained in the grant
# accounting) when it is more than 10 % of the line AND more than 5.000 kr.
MATERIAL_PERCENT = 10
MATERIAL_ORE = 500_000
# Warn this many weeks before the eligibility period ends while money is left.
WARNING_WEEKS = 6
# Warn when the forecast leaves more than this share of the grant unused.
UNUSED_WARNING_PERCENT = 5


# Salary and buy-out: the categories booked to a funded post.
PAY_CATEGORIES = frozenset({CostCategory.staff_buyout, CostCategory.project_staff})


def label(category: CostCategory | str) -> str:
    return CATEGORY_LABELS.get(CostCategory(category), str(category))


def names(items: Iterable[str]) -> str:
    """»a«, »b« eller »c«."""
    quoted = [f"»{i}«" for i in items]
    return (
        " eller ".join([", ".join(quoted[:-1]), quoted[-1]]) if len(quoted) > 1 else "".join(quoted)
    )


@dataclass(frozen=True)
class Activity:
    """The activity an expense is tied to: its kind, and the days it takes place (a meeting's
    day, a task's start and due date; None where not set)."""

    label: str
    kind_id: int | None
    kind_name: str = ""
    first_date: date | None = None
    last_date: date | None = None


@dataclass(frozen=True)
class Post:
    """The funded post an expense is booked to: its grant, period, budget, and what the other
    accepted expenses booked to it used."""

    id: int
    title: str
    grant_id: int
    first_date: date
    last_date: date
    budget_ore: int
    used_ore: int = 0


@dataclass(frozen=True)
class GrantRules:
    """What a grant allows: its amount, period, categories (with conditions) and purposes."""

    name: str
    amount_ore: int
    first_date: date
    last_date: date
    categories: dict[CostCategory, str]
    purpose_ids: frozenset[int] = field(default_factory=frozenset)
    # The kinds of activity (id → name) an expense of a restricted category must be tied to.
    category_kinds: dict[CostCategory, dict[int, str]] = field(default_factory=dict)
    # The grant's funded posts (id → title); posts_only: salary and buy-out only to them.
    grant_id: int | None = None
    posts: dict[int, str] = field(default_factory=dict)
    posts_only: bool = False


@dataclass(frozen=True)
class ExpenseFacts:
    """The facts of one expense that the rules look at."""

    expense_date: date
    amount_ore: int
    category: CostCategory
    purpose_id: int | None = None
    supplier: str = ""
    hours_hundredths: int | None = None
    hourly_rate_ore: int | None = None
    condition_note: str = ""
    note: str = ""
    is_correction: bool = False
    activity: Activity | None = None
    post: Post | None = None
    # Accepted under its condition's note before the category named kinds of activity: it is
    # flagged "ikke knyttet til en aktivitet", not refused retroactively.
    unlinked_before: bool = False

    @classmethod
    def of(cls, e: Expenditure) -> "ExpenseFacts":
        """The facts of a recorded (or candidate) expenditure."""
        return cls(
            expense_date=e.expense_date,
            amount_ore=e.amount_ore,
            category=e.category,
            purpose_id=e.purpose_id,
            supplier=e.supplier,
            hours_hundredths=e.hours_hundredths,
            hourly_rate_ore=e.hourly_rate_ore,
            condition_note=e.condition_note,
            note=e.note,
            is_correction=e.correction_of_id is not None,
        )


def check_amount(expense: ExpenseFacts) -> None:
    """Refuse zero, and a negative amount that is not a correction (and a positive correction)."""
    if expense.amount_ore == 0:
        raise Invalid("Beløbet skal være større end 0 kr.", field="amount")
    if expense.amount_ore < 0 and not expense.is_correction:
        raise Invalid(
            f"Et negativt beløb ({format_kr(expense.amount_ore)}) kan kun registreres som en "
            "korrektion af en tidligere registreret udgift.",
            field="amount",
        )
    if expense.amount_ore > 0 and expense.is_correction:
        raise Invalid(
            "En korrektion nedskriver en tidligere udgift og skal have et negativt beløb. "
            "Registrér en ekstra udgift som en ny udgift.",
            field="amount",
        )


def check_buyout(expense: ExpenseFacts) -> None:
    """Buy-out names the person and their hours and rate; hours × rate must equal the amount
    unless the note explains the difference (e.g. pension or holiday pay on top)."""
    if expense.is_correction:
        return
    if expense.category == CostCategory.staff_buyout:
        if not expense.supplier.strip():
            raise Invalid(
                "Ved frikøb af medarbejdere skal den frikøbte medarbejder angives.",
                field="supplier",
            )
        if expense.hours_hundredths is None:
            raise Invalid(
                "Ved frikøb af medarbejdere skal antallet af timer angives.", field="hours"
            )
        if expense.hourly_rate_ore is None:
            raise Invalid(
                "Ved frikøb af medarbejdere skal timesatsen angives.", field="hourly_rate"
            )
    if expense.hours_hundredths is None or expense.hourly_rate_ore is None:
        return
    product = times_rate(expense.hours_hundredths, expense.hourly_rate_ore)
    if product != expense.amount_ore and not expense.note.strip():
        raise Invalid(
            f"Beløbet {format_kr(expense.amount_ore)} svarer ikke til "
            f"{hours_text(expense.hours_hundredths)} timer × {format_kr(expense.hourly_rate_ore)}"
            f" = {format_kr(product)} Ret beløbet, eller forklar forskellen i noten.",
            field="amount",
        )


def check_period(rules: GrantRules, expense_date: date) -> None:
    """Only expenses dated inside the eligibility period (both days included) count."""
    if expense_date < rules.first_date:
        raise Invalid(
            f"Udgiften er dateret {format_date(expense_date)}, før tilskudsperiodens første dag "
            f"{format_date(rules.first_date)}.",
            field="date",
        )
    if expense_date > rules.last_date:
        raise Invalid(
            f"Udgiften er dateret {format_date(expense_date)}, efter tilskudsperiodens sidste "
            f"dag {format_date(rules.last_date)}.",
            field="date",
        )


def check_category(rules: GrantRules, expense: ExpenseFacts) -> None:
    """The category must be eligible, and a restricted category needs its condition documented."""
    if expense.category not in rules.categories:
        allowed = ", ".join(label(c) for c in rules.categories) or "ingen"
        raise Invalid(
            f"{label(expense.category)} er ikke en tilskudsberettiget udgiftsart i tilskuddet "
            f"»{rules.name}«. Tilskudsberettiget er: {allowed}.",
            field="category",
        )
    condition = rules.categories[expense.category].strip()
    if rules.category_kinds.get(expense.category):
        return  # the condition names kinds of activity: the linked activity shows how it is met
    if condition and not expense.is_correction and not expense.condition_note.strip():
        raise Invalid(
            f"{label(expense.category)} er kun tilskudsberettiget på betingelse: {condition} "
            "Beskriv, hvordan udgiften opfylder betingelsen (f.eks. hvilken aktivitet den "
            "vedrører).",
            field="condition_note",
        )


def check_activity(rules: GrantRules, expense: ExpenseFacts) -> None:
    """An expense of a category whose condition names kinds of activity must be tied to an
    activity of such a kind that takes place (at least partly) within the grant's period."""
    kinds = rules.category_kinds.get(expense.category)
    if not kinds or expense.is_correction:
        return
    allowed = names(kinds.values())
    activity = expense.activity
    if activity is None:
        if expense.unlinked_before:
            return
        raise Invalid(
            f"{label(expense.category)} er kun tilskudsberettiget, når udgiften er knyttet til "
            f"en aktivitet af typen {allowed} (betingelse i tilskuddet »{rules.name}«). Vælg "
            "projektets møde, opgave eller eksterne aktivitet.",
            field="activity",
        )
    if activity.kind_id not in kinds:
        kind = f"af typen »{activity.kind_name}«" if activity.kind_name else "uden type"
        raise Invalid(
            f"{label(expense.category)} er kun tilskudsberettiget til aktiviteter af typen "
            f"{allowed} (betingelse i tilskuddet »{rules.name}«); »{activity.label}« er {kind}.",
            field="activity",
        )
    first = activity.first_date or activity.last_date
    last = activity.last_date or activity.first_date
    if (
        first is not None
        and last is not None
        and (last < rules.first_date or first > rules.last_date)
    ):
        raise Invalid(
            f"Aktiviteten »{activity.label}« ({format_date(first)}"
            f"{'' if first == last else '–' + format_date(last)}) ligger uden for "
            f"tilskudsperioden {format_date(rules.first_date)}–{format_date(rules.last_date)}.",
            field="activity",
        )


def check_post(rules: GrantRules, expense: ExpenseFacts) -> None:
    """Salary and buy-out may be booked to one of the grant's funded posts — must be, when the
    grant pays only its named posts — inside the post's period and within its budget."""
    post = expense.post
    if post is None:
        if rules.posts_only and expense.category in PAY_CATEGORIES and not expense.is_correction:
            allowed = names(rules.posts.values()) or "(ingen stillinger oprettet)"
            raise Invalid(
                f"Tilskuddet »{rules.name}« må kun betale løn og frikøb til sine navngivne "
                f"stillinger: {allowed}. Vælg stillingen.",
                field="post_id",
            )
        return
    if post.grant_id != rules.grant_id:
        raise Invalid(
            f"Stillingen »{post.title}« hører ikke til tilskuddet »{rules.name}«.",
            field="post_id",
        )
    if expense.category not in PAY_CATEGORIES:
        raise Invalid(
            f"Kun {label(CostCategory.project_staff).lower()} og "
            f"{label(CostCategory.staff_buyout).lower()} bogføres på en stilling, ikke "
            f"{label(expense.category).lower()}.",
            field="post_id",
        )
    if expense.is_correction:
        return
    if not post.first_date <= expense.expense_date <= post.last_date:
        raise Invalid(
            f"Udgiften er dateret {format_date(expense.expense_date)}, uden for stillingen "
            f"»{post.title}«s periode {format_date(post.first_date)}–"
            f"{format_date(post.last_date)}.",
            field="date",
        )
    left = post.budget_ore - post.used_ore
    if expense.amount_ore > left:
        raise Invalid(
            f"Udgiften på {format_kr(expense.amount_ore)} er mere end der er tilbage af "
            f"stillingen »{post.title}«s budget: {format_kr(max(left, 0))} (budget "
            f"{format_kr(post.budget_ore)}, allerede brugt og disponeret "
            f"{format_kr(post.used_ore)}).",
            field="amount",
        )


def check_purpose(rules: GrantRules, expense: ExpenseFacts) -> None:
    """An expense on a grant with purposes must say which purpose it serves."""
    if expense.purpose_id is None:
        if rules.purpose_ids:
            raise Invalid("Vælg hvilket af tilskuddets formål udgiften tjener.", field="purpose_id")
        return
    if expense.purpose_id not in rules.purpose_ids:
        raise Invalid(f"Formålet hører ikke til tilskuddet »{rules.name}«.", field="purpose_id")


def check_remaining(rules: GrantRules, expense: ExpenseFacts, *, used_ore: int) -> None:
    """The expense must fit in what is left of the grant (used_ore: all other accepted expenses)."""
    remaining = rules.amount_ore - used_ore
    if expense.amount_ore > remaining:
        raise Invalid(
            f"Udgiften på {format_kr(expense.amount_ore)} er mere end der er tilbage af "
            f"tilskuddet »{rules.name}«: {format_kr(max(remaining, 0))} (bevilget "
            f"{format_kr(rules.amount_ore)}, allerede brugt og disponeret {format_kr(used_ore)}).",
            field="amount",
        )


def check_expense(rules: GrantRules | None, expense: ExpenseFacts, *, used_ore: int = 0) -> None:
    """Raise Invalid naming the first rule the expense breaks; rules=None is own financing,
    which the municipality pays itself and which no grant rule limits."""
    check_amount(expense)
    check_buyout(expense)
    if rules is None:
        return
    check_eligibility(rules, expense)
    check_remaining(rules, expense, used_ore=used_ore)
    check_post(rules, expense)


def check_eligibility(rules: GrantRules, expense: ExpenseFacts) -> None:
    """The period, the category and its condition, and the purpose (not the money left)."""
    if not expense.is_correction:
        # A correction (a credit note, a refund) only lowers the spending and may arrive after
        # the period; it keeps the category and purpose of the expense it corrects.
        check_period(rules, expense.expense_date)
    check_category(rules, expense)
    check_activity(rules, expense)
    if not expense.is_correction:
        check_purpose(rules, expense)


def check_correction(*, original_ore: int, corrected_ore: int, amount_ore: int) -> None:
    """A correction may at most bring the original expense down to zero.
    corrected_ore: the sum (≤ 0) of the original's other corrections."""
    left = original_ore + corrected_ore
    if -amount_ore > left:
        raise Invalid(
            f"Korrektionen på {format_kr(amount_ore)} er større end det, der er tilbage af den "
            f"oprindelige udgift: {format_kr(left)} (udgift {format_kr(original_ore)}, "
            f"allerede korrigeret {format_kr(corrected_ore)}).",
            field="amount",
        )


def is_material(budget_ore: int, actual_ore: int) -> bool:
    """More than 10 % of the budget line and more than 5.000 kr. (any actual above 5.000 kr. on
    a line without budget)."""
    deviation = abs(actual_ore - budget_ore)
    if deviation <= MATERIAL_ORE:
        return False
    return budget_ore == 0 or deviation * 100 > abs(budget_ore) * MATERIAL_PERCENT


@dataclass(frozen=True)
class Forecast:
    """Spending at the current pace: the projected total at the period's last day."""

    as_of: date
    used_ore: int
    projected_ore: int
    unused_ore: int
    runs_out_date: date | None


def forecast(rules: GrantRules, *, used_ore: int, as_of: date) -> Forecast | None:
    """Project the spending so far (average per day since the first day) to the last day.
    None before the period starts; at and after its last day the projection is what was used."""
    if as_of < rules.first_date:
        return None
    if as_of >= rules.last_date:
        projected = used_ore
        return Forecast(as_of, used_ore, projected, max(rules.amount_ore - projected, 0), None)
    elapsed = (as_of - rules.first_date).days + 1
    left = (rules.last_date - as_of).days
    # An estimate: rounded to whole kroner, so that it does not look more exact than it is.
    projected = (used_ore + used_ore * left // elapsed + 50) // 100 * 100
    runs_out = None
    if projected > rules.amount_ore and used_ore > 0:
        days = (rules.amount_ore - used_ore) * elapsed // used_ore
        runs_out = as_of + timedelta(days=max(days, 0))
    return Forecast(as_of, used_ore, projected, max(rules.amount_ore - projected, 0), runs_out)


@dataclass(frozen=True)
class Warning:
    kind: str
    text: str


def warnings(
    rules: GrantRules, *, used_ore: int, as_of: date, report_due_date: date | None = None
) -> list[Warning]:
    """What the project leader must act on now: the period ends soon with money left, money
    will be left unused or run out at the current pace, or the period is over."""
    remaining = rules.amount_ore - used_ore
    found: list[Warning] = []
    if as_of > rules.last_date:
        if remaining > 0:
            found.append(
                Warning(
                    "unused",
                    (
                        f"Tilskudsperioden sluttede {format_date(rules.last_date)}. "
                        f"{format_kr(remaining)} er ikke brugt og skal betales tilbage til "
                        "tilskudsgiveren."
                    ),
                )
            )
        if report_due_date is not None:
            verb = "skulle" if as_of > report_due_date else "skal"
            found.append(
                Warning(
                    "report",
                    (f"Tilskudsregnskabet {verb} indsendes senest {format_date(report_due_date)}."),
                )
            )
        return found
    if as_of < rules.first_date:
        return found
    days_left = (rules.last_date - as_of).days
    if remaining > 0 and days_left <= WARNING_WEEKS * 7:
        found.append(
            Warning(
                "ending",
                (
                    f"Tilskudsperioden slutter {format_date(rules.last_date)} "
                    f"(om {days_left} dage), og der er stadig {format_kr(remaining)} tilbage. "
                    "Udgifter efter denne dag kan ikke afholdes af tilskuddet."
                ),
            )
        )
    outlook = forecast(rules, used_ore=used_ore, as_of=as_of)
    if outlook is not None and as_of < rules.last_date and remaining > 0:
        if outlook.runs_out_date is not None:
            found.append(
                Warning(
                    "runs_out",
                    (
                        f"Med det nuværende forbrugstempo er tilskuddet brugt op omkring "
                        f"{format_date(outlook.runs_out_date)}, før tilskudsperioden slutter "
                        f"{format_date(rules.last_date)}."
                    ),
                )
            )
        elif outlook.unused_ore * 100 > rules.amount_ore * UNUSED_WARNING_PERCENT:
            found.append(
                Warning(
                    "underspend",
                    (
                        "Med det nuværende forbrugstempo vil ca. "
                        f"{format_kr(outlook.unused_ore)} være ubrugt, når tilskudsperioden "
                        f"slutter {format_date(rules.last_date)}. Ubrugte midler skal betales "
                        "tilbage."
                    ),
                )
            )
    return found
