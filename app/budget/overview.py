"""Read-only figures of the budget: a grant's status on a date (per category, group and
purpose), its burn over the eligibility period with the forecast and warnings, own financing,
and the data of the grant accounting (tilskudsregnskab)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, func, select

from app.budget import rules
from app.budget.activities import ActivityOption, is_unlinked, list_activities
from app.budget.expenditures import ExpenseFigures, expenditure_figures, list_expenditures
from app.budget.grants import GrantView, get_grant, list_grants
from app.budget.lines import BudgetFigures, budget_figures, list_budget_lines, month_end
from app.budget.models import (
    STATUS_LABELS,
    CostCategory,
    DeviationExplanation,
    Expenditure,
    ExpenditureStatus,
    Fund,
    Grant,
)
from app.budget.schemas import activity_ref
from app.governance.models import Body, Project
from app.inputs import within_window

# What a grant's amounts are summed by: cost category, group and purpose.
Combination = tuple[CostCategory, int | None, int | None]


@dataclass
class Line:
    """Budget against spending for one category, group or purpose."""

    key: str
    label: str
    budget_ore: int = 0
    paid_ore: int = 0
    committed_ore: int = 0

    @property
    def used_ore(self) -> int:
        return self.paid_ore + self.committed_ore

    @property
    def remaining_ore(self) -> int:
        return self.budget_ore - self.used_ore


@dataclass
class MonthRow:
    month: date
    budget_ore: int
    cumulative_budget_ore: int
    actual_ore: int
    cumulative_actual_ore: int
    counted: bool


@dataclass
class Burn:
    """The data of the burn chart: cumulative budget and spending over the eligibility period."""

    first_date: date
    last_date: date
    as_of: date
    granted_ore: int
    budget_points: list[tuple[date, int]]
    actual_points: list[tuple[date, int]]
    forecast_points: list[tuple[date, int]]
    months: list[MonthRow]


class Amounts:
    """What is used and left of money granted, the one definition: used is paid plus committed
    (expenses dated up to the day seen), left is granted less used."""

    granted_ore: int
    paid_ore: int
    committed_ore: int

    @property
    def used_ore(self) -> int:
        return self.paid_ore + self.committed_ore

    @property
    def remaining_ore(self) -> int:
        return self.granted_ore - self.used_ore


@dataclass(frozen=True)
class ProjectMoney(Amounts):
    """A project's grants together on a day: the sums of their grant_summary figures."""

    granted_ore: int = 0
    paid_ore: int = 0
    committed_ore: int = 0


def paid_and_committed(expenses: Iterable[ExpenseFigures | Expenditure]) -> tuple[int, int]:
    """What of the expenses is paid and what is committed, in øre."""
    paid = committed = 0
    for e in expenses:
        if e.status == ExpenditureStatus.committed:
            committed += e.amount_ore
        else:
            paid += e.amount_ore
    return paid, committed


@dataclass
class GrantSummary(Amounts):
    view: GrantView
    as_of: date
    granted_ore: int
    budgeted_ore: int
    paid_ore: int
    committed_ore: int
    categories: list[Line]
    groups: list[Line]
    purposes: list[Line]
    forecast: rules.Forecast | None
    warnings: list[rules.Warning]
    burn: Burn
    # The grant's funded posts: budget, paid, committed and left of each (post_lines).
    posts: list[Line] = field(default_factory=list)


def _months(first: date, last: date) -> list[date]:
    months, month = [], within_window(first).replace(day=1)
    while month <= within_window(last):
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    return months


def _add(
    lines: dict[str, Line],
    key: str,
    label: str,
    *,
    budget: int = 0,
    paid: int = 0,
    committed: int = 0,
) -> None:
    line = lines.setdefault(key, Line(key, label))
    line.budget_ore += budget
    line.paid_ore += paid
    line.committed_ore += committed


def post_lines(view: GrantView, expenses: Iterable[ExpenseFigures | Expenditure]) -> list[Line]:
    """Each of the grant's funded posts: its budget, what is paid and committed on it, and what
    is left — the one computation of a post's figures that every page, file and the API show."""
    lines = {str(p.id): Line(str(p.id), p.title, budget_ore=p.budget_ore) for p in view.posts}
    for e in expenses:
        line = lines.get(str(e.post_id)) if e.post_id is not None else None
        if line is None:
            continue
        if e.status == ExpenditureStatus.committed:
            line.committed_ore += e.amount_ore
        else:
            line.paid_ore += e.amount_ore
    return list(lines.values())


def group_names(*, session: Session, project_id: int) -> dict[int, str]:
    """The names of the project's bodies, by id (groups that budgets and expenses belong to)."""
    rows = session.exec(
        select(Body.id, Body.name)
        .where(Body.project_id == project_id)
        .order_by(col(Body.position), col(Body.id))
    )
    return {body_id: name for body_id, name in rows if body_id is not None}


def grant_summary(*, session: Session, project_id: int, grant_id: int, as_of: date) -> GrantSummary:
    """Status of a grant on a date: granted, spent, committed and remaining, per category, group
    and purpose, the burn figures, the forecast at the current pace and the warnings. Expenses
    dated after the date are not yet counted."""
    return summarise(
        get_grant(session=session, project_id=project_id, grant_id=grant_id),
        budget=budget_figures(session=session, project_id=project_id, grant_id=grant_id),
        expenses=expenditure_figures(session=session, project_id=project_id, grant_id=grant_id),
        names=group_names(session=session, project_id=project_id),
        as_of=as_of,
    )


def grant_summaries(*, session: Session, project_id: int, as_of: date) -> list[GrantSummary]:
    """grant_summary() of each of the project's grants (list_grants' order), the figures read
    once for them all (a fixed number of queries, however many grants)."""
    budget: defaultdict[int | None, list[BudgetFigures]] = defaultdict(list)
    for b in budget_figures(session=session, project_id=project_id):
        budget[b.grant_id].append(b)
    expenses: defaultdict[int | None, list[ExpenseFigures]] = defaultdict(list)
    for e in expenditure_figures(session=session, project_id=project_id):
        expenses[e.grant_id].append(e)
    names = group_names(session=session, project_id=project_id)
    return [
        summarise(
            view,
            budget=budget[view.grant.id],
            expenses=expenses[view.grant.id],
            names=names,
            as_of=as_of,
        )
        for view in list_grants(session=session, project_id=project_id)
    ]


def project_money(
    *, session: Session, project_ids: list[int], as_of: date
) -> dict[int, ProjectMoney]:
    """Per project with grants, its grants' granted, paid and committed on a day, counted as
    grant_summary counts them (expenses on a grant dated up to the day); two grouped queries
    for a page of projects."""
    if not project_ids:
        return {}
    granted = dict(
        session.exec(
            select(Grant.project_id, func.sum(Grant.amount_ore))
            .where(col(Grant.project_id).in_(project_ids))
            .group_by(col(Grant.project_id))
        ).all()
    )
    spent: dict[int, dict[ExpenditureStatus, int]] = defaultdict(dict)
    for project_id, status, amount in session.exec(
        select(Expenditure.project_id, Expenditure.status, func.sum(Expenditure.amount_ore))
        .where(
            col(Expenditure.project_id).in_(project_ids),
            col(Expenditure.grant_id).is_not(None),
            col(Expenditure.expense_date) <= as_of,
        )
        .group_by(col(Expenditure.project_id), col(Expenditure.status))
    ):
        spent[project_id][ExpenditureStatus(status)] = int(amount or 0)
    return {
        pid: ProjectMoney(
            granted_ore=int(amount or 0),
            paid_ore=spent[pid].get(ExpenditureStatus.paid, 0),
            committed_ore=spent[pid].get(ExpenditureStatus.committed, 0),
        )
        for pid, amount in granted.items()
    }


def summarise(
    view: GrantView,
    *,
    budget: Sequence[BudgetFigures],
    expenses: Sequence[ExpenseFigures],
    names: dict[int, str],
    as_of: date,
) -> GrantSummary:
    """The figures of grant_summary from already loaded rows: the grant's budget lines and
    expenditures (in the order budget_figures and expenditure_figures give them) and the
    group names."""
    grant = view.grant
    expenses = [e for e in expenses if e.expense_date <= as_of]
    # Amounts are summed per category, group, purpose (and status) first, so the lines below
    # take one step per combination rather than three per row; they keep the order in which
    # the rows first name them.
    planned: dict[Combination, int] = defaultdict(int)
    for b in budget:
        planned[b.category, b.group_id, b.purpose_id] += b.amount_ore
    spent: dict[tuple[Combination, ExpenditureStatus], int] = defaultdict(int)
    for e in expenses:
        spent[(e.category, e.group_id, e.purpose_id), e.status] += e.amount_ore
    texts = {p.id: p.text for p in view.purposes}
    categories: dict[str, Line] = {}
    for c in view.categories:
        _add(categories, c.category.value, rules.label(c.category))
    groups: dict[str, Line] = {}
    purposes: dict[str, Line] = {str(p.id): Line(str(p.id), p.text) for p in view.purposes}

    def add(
        category: CostCategory, group_id: int | None, purpose_id: int | None, **ore: int
    ) -> None:
        _add(categories, category.value, rules.label(category), **ore)
        _add(groups, str(group_id or ""), names.get(group_id or 0, "Ingen gruppe"), **ore)
        _add(purposes, str(purpose_id or ""), texts.get(purpose_id) or "Intet formål", **ore)

    for combination, amount in planned.items():
        add(*combination, budget=amount)
    for (combination, status), amount in spent.items():
        if status == ExpenditureStatus.committed:
            add(*combination, committed=amount)
        else:
            add(*combination, paid=amount)
    paid, committed = paid_and_committed(expenses)
    used = paid + committed
    grant_rules = view.rules
    outlook = rules.forecast(grant_rules, used_ore=used, as_of=as_of)
    found = rules.warnings(
        grant_rules, used_ore=used, as_of=as_of, report_due_date=grant.report_due_date
    )
    order = {c.value: i for i, c in enumerate(CostCategory)}
    return GrantSummary(
        view=view,
        as_of=as_of,
        granted_ore=grant.amount_ore,
        budgeted_ore=sum(b.amount_ore for b in budget),
        paid_ore=paid,
        committed_ore=committed,
        categories=sorted(categories.values(), key=lambda line: order[line.key]),
        groups=sorted(groups.values(), key=lambda line: (line.key == "", line.label)),
        purposes=[
            line for line in purposes.values() if line.budget_ore or line.used_ore or line.key != ""
        ],
        forecast=outlook,
        warnings=found,
        burn=_burn(grant, budget, expenses, as_of=as_of, outlook=outlook),
        posts=post_lines(view, expenses),
    )


def _burn(
    grant: Grant,
    budget: Sequence[BudgetFigures],
    expenses: Sequence[ExpenseFigures],
    *,
    as_of: date,
    outlook: rules.Forecast | None,
) -> Burn:
    first, last = grant.first_date, grant.last_date
    by_month_budget: dict[date, int] = defaultdict(int)
    for b in budget:
        by_month_budget[b.month_date] += b.amount_ore
    by_month_actual: dict[date, int] = defaultdict(int)
    by_day: dict[date, int] = defaultdict(int)
    for e in expenses:
        by_month_actual[e.expense_date.replace(day=1)] += e.amount_ore
        by_day[e.expense_date] += e.amount_ore
    months: list[MonthRow] = []
    budget_points = [(first, 0)]
    cum_budget = cum_actual = 0
    for month in _months(first, last):
        cum_budget += by_month_budget[month]
        cum_actual += by_month_actual[month]
        months.append(
            MonthRow(
                month,
                by_month_budget[month],
                cum_budget,
                by_month_actual[month],
                cum_actual,
                counted=month <= as_of,
            )
        )
        budget_points.append((min(month_end(month), last), cum_budget))
    actual_points: list[tuple[date, int]] = []
    if as_of >= first:
        running = sum(v for d, v in by_day.items() if d < first)
        actual_points.append((first, running))
        for day in sorted(d for d in by_day if first <= d <= last):
            running += by_day[day]
            actual_points.append((day, running))
        end = min(as_of, last)
        if actual_points[-1][0] < end:
            actual_points.append((end, running))
    forecast_points: list[tuple[date, int]] = []
    if outlook is not None and as_of < last:
        forecast_points = [(as_of, outlook.used_ore), (last, outlook.projected_ore)]
    return Burn(
        first, last, as_of, grant.amount_ore, budget_points, actual_points, forecast_points, months
    )


@dataclass
class OwnFinancing:
    budget_ore: int
    paid_ore: int
    committed_ore: int
    expenses: list[Expenditure] = field(default_factory=list)


def own_financing(
    *,
    session: Session,
    project_id: int,
    expenses: list[Expenditure] | None = None,
    budget: Sequence[BudgetFigures] | None = None,
) -> OwnFinancing:
    """What the municipality pays itself, outside any grant (from the given own-financing
    expenditures and budget lines when already loaded)."""
    if expenses is None:
        expenses = list_expenditures(session=session, project_id=project_id, own=True)
    if budget is None:
        budget = budget_figures(session=session, project_id=project_id, own=True)
    paid, committed = paid_and_committed(expenses)
    return OwnFinancing(
        budget_ore=sum(b.amount_ore for b in budget),
        paid_ore=paid,
        committed_ore=committed,
        expenses=expenses,
    )


# Grant accounting --------------------------------------------------------------------------


@dataclass
class StatementLine:
    category: CostCategory
    label: str
    budget_ore: int
    actual_ore: int
    explanation: str = ""
    explanation_version: int = 0

    @property
    def deviation_ore(self) -> int:
        return self.actual_ore - self.budget_ore

    @property
    def deviation_percent(self) -> Decimal | None:
        if self.budget_ore == 0:
            return None
        return (Decimal(self.deviation_ore) * 100 / Decimal(self.budget_ore)).quantize(
            Decimal("0.1")
        )

    @property
    def material(self) -> bool:
        return rules.is_material(self.budget_ore, self.actual_ore)


@dataclass
class StatementRow:
    expense: Expenditure
    category_label: str
    purpose_text: str
    purpose_number: int | None
    group_name: str
    status_label: str
    # How the grant's conditions are met: the linked activity, the post, or the flag.
    how_met: str = ""
    unlinked: bool = False
    post_title: str = ""


@dataclass
class PurposeLine:
    number: int | None
    text: str
    budget_ore: int
    actual_ore: int


@dataclass
class Statement:
    """The grant accounting (tilskudsregnskab) of one grant."""

    municipality: str
    project_name: str
    grant: Grant
    fund: Fund | None
    purposes: list[str]
    made_date: date
    lines: list[StatementLine]
    purpose_lines: list[PurposeLine]
    rows: list[StatementRow]
    paid_ore: int
    committed_ore: int
    post_lines: list[Line] = field(default_factory=list)

    @property
    def total_budget_ore(self) -> int:
        return sum(line.budget_ore for line in self.lines)

    @property
    def total_actual_ore(self) -> int:
        return sum(line.actual_ore for line in self.lines)

    @property
    def unused_ore(self) -> int:
        return max(self.grant.amount_ore - self.total_actual_ore, 0)

    @property
    def missing_explanations(self) -> list[StatementLine]:
        return [line for line in self.lines if line.material and not line.explanation.strip()]


def statement(*, session: Session, project_id: int, grant_id: int, made_date: date) -> Statement:
    """The grant accounting: every expense by category and purpose against the approved budget,
    with the explanations of material deviations, totals and the unused amount to pay back."""
    view = get_grant(session=session, project_id=project_id, grant_id=grant_id)
    project = session.get(Project, project_id)
    budget = list_budget_lines(session=session, project_id=project_id, grant_id=grant_id)
    expenses = list_expenditures(session=session, project_id=project_id, grant_id=grant_id)
    explanations = {
        x.category: x
        for x in session.exec(
            select(DeviationExplanation).where(DeviationExplanation.grant_id == grant_id)
        )
    }
    names = group_names(session=session, project_id=project_id)
    wanted = (
        {c.category for c in view.categories}
        | {b.category for b in budget}
        | {e.category for e in expenses}
    )
    lines = []
    for category in CostCategory:
        if category not in wanted:
            continue
        note = explanations.get(category)
        lines.append(
            StatementLine(
                category=category,
                label=rules.label(category),
                budget_ore=sum(b.amount_ore for b in budget if b.category == category),
                actual_ore=sum(e.amount_ore for e in expenses if e.category == category),
                explanation=note.text if note else "",
                explanation_version=note.version if note else 0,
            )
        )
    numbers = {p.id: i for i, p in enumerate(view.purposes, 1)}
    purpose_lines = [
        PurposeLine(
            i,
            p.text,
            sum(b.amount_ore for b in budget if b.purpose_id == p.id),
            sum(e.amount_ore for e in expenses if e.purpose_id == p.id),
        )
        for i, p in enumerate(view.purposes, 1)
    ]
    unassigned = [e.amount_ore for e in expenses if e.purpose_id is None]
    if unassigned or any(b.purpose_id is None for b in budget):
        purpose_lines.append(
            PurposeLine(
                None,
                "Uden formål",
                sum(b.amount_ore for b in budget if b.purpose_id is None),
                sum(unassigned),
            )
        )
    grant_rules = view.rules
    conditioned = {c.category for c in view.categories if c.condition.strip()} | set(view.kinds)
    found = (
        {a.ref: a for a in list_activities(session=session, project_id=project_id)}
        if conditioned or any(activity_ref(e) for e in expenses)
        else {}
    )
    posts = {p.id: p.title for p in view.posts}
    rows = []
    for e in expenses:
        unlinked = is_unlinked(grant_rules, e)
        rows.append(
            StatementRow(
                e,
                rules.label(e.category),
                view.purpose_text(e.purpose_id),
                numbers.get(e.purpose_id),
                names.get(e.group_id or 0, ""),
                STATUS_LABELS[e.status],
                how_met=how_met(e, found, posts, unlinked=unlinked, conditioned=conditioned),
                unlinked=unlinked,
                post_title=posts.get(e.post_id, ""),
            )
        )
    paid, committed = paid_and_committed(expenses)
    return Statement(
        municipality=project.municipality if project else "",
        project_name=project.name if project else "",
        grant=view.grant,
        fund=view.fund,
        purposes=[p.text for p in view.purposes],
        made_date=made_date,
        lines=lines,
        purpose_lines=purpose_lines,
        rows=rows,
        paid_ore=paid,
        committed_ore=committed,
        post_lines=post_lines(view, expenses),
    )


def how_met(
    e: Expenditure,
    activities: dict[str, ActivityOption],
    posts: dict[int | None, str],
    *,
    unlinked: bool,
    conditioned: set[CostCategory],
) -> str:
    """How an expense meets its grant's conditions, in words: its activity (with its kind), its
    post, or its note; "Ikke knyttet til en aktivitet" for one accepted before its condition
    named kinds of activity."""
    parts = []
    activity = activities.get(activity_ref(e) or "")
    if activity is not None:
        kind = f", {activity.kind_name.lower()}" if activity.kind_name else ""
        parts.append(f"{activity.type_label}: {activity.label}{kind}")
    elif unlinked:
        parts.append("Ikke knyttet til en aktivitet")
    if e.post_id is not None and e.post_id in posts:
        parts.append(f"Stilling: {posts[e.post_id]}")
    if e.condition_note.strip() and (e.category in conditioned or unlinked):
        parts.append(e.condition_note.strip())
    return " · ".join(parts)
