"""What the budget's pages read, gathered in one call each: the budget page (every grant's
figures on a date, the selected grant's expenditures a page at a time, own financing and the
reform economy), an expenditure with what its row and edit form need, a grant's budget, the
grant form, the funds and the reform economy register; a form's values from what is stored.
Each read model's fields are named as its page's template names them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session

from app.budget import economy, overview
from app.budget.activities import ActivityOption, is_unlinked, list_activities, list_kinds
from app.budget.expenditures import (
    ExpenseFigures,
    corrected_ids,
    expenditure_figures,
    expenditures_with_own,
    get_expenditure,
)
from app.budget.funds import get_fund, list_funds
from app.budget.grants import GrantView, get_grant, list_grants
from app.budget.lines import BudgetFigures, budget_figures, list_budget_lines
from app.budget.models import (
    CATEGORY_LABELS,
    BudgetLine,
    CostCategory,
    EconomyEntry,
    Expenditure,
    Fund,
    FundedPost,
    ProjectActivityKind,
)
from app.budget.money import hours_text, kr_input
from app.budget.posts import PostRow, list_posts
from app.budget.schemas import activity_ref, expense_fields
from app.governance.models import DirectorArea

F = TypeVar("F", BudgetFigures, ExpenseFigures)
# What a correction keeps of the expenditure it corrects.
CORRECTION_KEEPS = ("grant_id", "category", "purpose_id", "group_id", "status", "supplier")


@dataclass
class BudgetPage:
    """The budget page for one selected grant on one date: every grant's summary, the selected
    grant's expenditures (one page of them; the sums count them all), own financing, the reform
    economy and the new expenditure form's first values."""

    as_of: date
    grants: list[GrantView]
    groups: dict[int, str]
    summaries: list[overview.GrantSummary]
    selected: overview.GrantSummary | None
    expense_count: int
    expenses: list[Expenditure]
    own: overview.OwnFinancing
    corrected: set[int]
    economy_rows: list[economy.EconomyRow]
    purposes: dict[int, str]
    new_expense: dict[str, Any]
    # The activities an expense may be tied to (the form offers those with a kind).
    activities: list[ActivityOption] = field(default_factory=list)
    links: "ExpenseLinks | None" = None


def budget_page(
    *,
    session: Session,
    project_id: int,
    grant_id: int | None,
    as_of: date,
    offset: int,
    limit: int,
) -> BudgetPage:
    """Everything the budget page shows, for the selected grant (the first when none or another
    is asked for) on a date; its expenditures from `offset`, at most `limit` of them."""
    grants = list_grants(session=session, project_id=project_id)
    # The figures of the project's budget lines and expenditures are read once, as plain rows,
    # and split by grant (in the order of the project-wide lists); only the expenditures the
    # page lists are read whole.
    lines = _by_grant(budget_figures(session=session, project_id=project_id))
    spending = _by_grant(expenditure_figures(session=session, project_id=project_id))
    groups = overview.group_names(session=session, project_id=project_id)
    summaries = [
        overview.summarise(
            v, budget=lines[v.grant.id], expenses=spending[v.grant.id], names=groups, as_of=as_of
        )
        for v in grants
    ]
    selected = next(
        (s for s in summaries if s.view.grant.id == grant_id), summaries[0] if summaries else None
    )
    figures = spending[selected.view.grant.id] if selected else []
    shown = figures[offset : offset + limit]
    rows = expenditures_with_own(session=session, project_id=project_id, ids=[e.id for e in shown])
    found = list_activities(session=session, project_id=project_id)
    own_rows = [e for e in rows if e.grant_id is None]
    own = overview.own_financing(
        session=session, project_id=project_id, expenses=own_rows, budget=lines[None]
    )
    # What corrected_ids() would read, from the figures already loaded.
    corrected = {e.correction_of_id for e in (*figures, *spending[None]) if e.correction_of_id}
    return BudgetPage(
        as_of=as_of,
        grants=grants,
        groups=groups,
        summaries=summaries,
        selected=selected,
        expense_count=len(figures),
        expenses=[e for e in rows if e.grant_id is not None],
        own=own,
        corrected=corrected,
        economy_rows=economy.economy_overview(session=session, project_id=project_id),
        purposes=purpose_numbers(grants),
        new_expense=_new_expense(selected, as_of),
        activities=found,
        links=expense_links(grants, found, [e for e in rows if e.grant_id is not None]),
    )


@dataclass
class ExpenseLinks:
    """How the listed expenses meet their grants' conditions: each one's activity and post (by
    expense id), and those flagged "ikke knyttet til en aktivitet"."""

    activity: dict[int, str]
    post: dict[int, str]
    unlinked: set[int]


def expense_links(
    grants: list[GrantView], found: list[ActivityOption], expenses: list[Expenditure]
) -> ExpenseLinks:
    """The links of the expenses, from the grants and activities already read."""
    labels = {a.ref: f"{a.type_label}: {a.label}" for a in found}
    titles = {p.id: p.title for v in grants for p in v.posts}
    grant_rules = {v.grant.id: v.rules for v in grants}
    links = ExpenseLinks({}, {}, set())
    for e in expenses:
        ref = activity_ref(e)
        if ref in labels and e.id is not None:
            links.activity[e.id] = labels[ref]
        if e.post_id in titles and e.id is not None:
            links.post[e.id] = titles[e.post_id]
        if is_unlinked(grant_rules.get(e.grant_id), e) and e.id is not None:
            links.unlinked.add(e.id)
    return links


def _by_grant(rows: list[F]) -> defaultdict[int | None, list[F]]:
    """Rows split by their grant (None: own financing), each share in the order given."""
    split: defaultdict[int | None, list[F]] = defaultdict(list)
    for row in rows:
        split[row.grant_id].append(row)
    return split


def purpose_numbers(grants: list[GrantView]) -> dict[int, str]:
    """Purposes by id as their short label ("formål 2"), as the grant numbers them."""
    return {
        p.id: f"formål {i}" for v in grants for i, p in enumerate(v.purposes, 1) if p.id is not None
    }


def _new_expense(selected: overview.GrantSummary | None, as_of: date) -> dict[str, Any]:
    """A new expenditure's first values: on the selected grant, dated within its period."""
    grant = selected.view.grant if selected else None
    day = min(max(as_of, grant.first_date), grant.last_date) if grant else as_of
    return {"grant_id": grant.id if grant else "", "date": day.isoformat(), "status": "paid"}


def form_values(e: Expenditure) -> dict[str, Any]:
    """An expenditure's fields as its edit form shows them (amounts and hours typed the Danish
    way)."""
    return expense_fields(e, kroner=kr_input, hours=hours_text)


def correction(*, session: Session, project_id: int, of: int, day: date) -> dict[str, Any]:
    """The expenditure `of` of the project being corrected (or NotFound), and the first values
    of its correction, dated `day`."""
    original = get_expenditure(session=session, project_id=project_id, expenditure_id=of)
    kept = {k: v for k, v in form_values(original).items() if k in CORRECTION_KEEPS}
    values = kept | {
        "date": day,
        "description": f"Korrektion af: {original.description}",
        "correction_of_id": original.id,
    }
    return {"correcting": original, "values": values}


@dataclass
class ExpenseRow:
    """One expenditure with what its row and its edit form show."""

    e: Expenditure
    grants: list[GrantView]
    groups: dict[int, str]
    corrected: set[int]
    purposes: dict[int, str]
    values: dict[str, Any]
    activities: list[ActivityOption] = field(default_factory=list)
    links: ExpenseLinks | None = None


def expense_row(*, session: Session, project_id: int, expenditure_id: int) -> ExpenseRow:
    """An expenditure of the project with the grants, groups and purposes its form offers, or
    NotFound."""
    e = get_expenditure(session=session, project_id=project_id, expenditure_id=expenditure_id)
    grants = list_grants(session=session, project_id=project_id)
    found = list_activities(session=session, project_id=project_id)
    return ExpenseRow(
        e=e,
        grants=grants,
        groups=overview.group_names(session=session, project_id=project_id),
        corrected=corrected_ids(session=session, ids=[expenditure_id]),
        purposes=purpose_numbers(grants),
        values=form_values(e),
        activities=found,
        links=expense_links(grants, found, [e]),
    )


@dataclass
class GrantBudget:
    """A grant's budget lines, summed per month and category, with its months, and a new
    line's first values."""

    grant: GrantView
    lines: list[BudgetLine]
    matrix: dict[tuple[date, str], int]
    groups: dict[int, str]
    months: list[overview.MonthRow]
    purpose_numbers: dict[int | None, str]
    categories: list[CostCategory]
    total: int
    values: dict[str, Any]


def grant_budget(*, session: Session, project_id: int, grant_id: int) -> GrantBudget:
    """The budget of a grant of the project, or NotFound."""
    view = get_grant(session=session, project_id=project_id, grant_id=grant_id)
    lines = list_budget_lines(session=session, project_id=project_id, grant_id=grant_id)
    summary = overview.grant_summary(
        session=session, project_id=project_id, grant_id=grant_id, as_of=view.grant.last_date
    )
    matrix: dict[tuple[date, str], int] = {}
    for line in lines:
        key = (line.month_date, line.category.value)
        matrix[key] = matrix.get(key, 0) + line.amount_ore
    return GrantBudget(
        grant=view,
        lines=lines,
        matrix=matrix,
        groups=overview.group_names(session=session, project_id=project_id),
        months=summary.burn.months,
        purpose_numbers={p.id: f"Formål {i}" for i, p in enumerate(view.purposes, 1)},
        categories=[c.category for c in view.categories],
        total=sum(x.amount_ore for x in lines),
        values={"month": view.grant.first_date.strftime("%Y-%m")},
    )


@dataclass
class GrantForm:
    """The grant form: the funds to choose from, and the grant being edited as stored."""

    funds: list[Fund]
    categories: list[CostCategory]
    kinds: list[ProjectActivityKind] = field(default_factory=list)
    grant: GrantView | None = None
    values: dict[str, Any] = field(default_factory=dict)


def grant_form(*, session: Session, project_id: int, grant_id: int | None) -> GrantForm:
    """The grant form, empty or with a grant of the project (or NotFound)."""
    form = GrantForm(
        list_funds(session=session, project_id=project_id),
        list(CostCategory),
        list_kinds(session=session, project_id=project_id),
    )
    if grant_id is None:
        return form
    view = get_grant(session=session, project_id=project_id, grant_id=grant_id)
    g = view.grant
    purposes = "\n".join(p.text for p in view.purposes)
    values = g.model_dump() | {"amount": kr_input(g.amount_ore), "purposes": purposes}
    for c in view.categories:
        values[f"cat_{c.category.value}"] = "on"
        values[f"condition_{c.category.value}"] = c.condition
        values[f"kinds_{c.category.value}"] = [str(k) for k in view.kinds.get(c.category, {})]
    values["posts_only"] = "true" if g.posts_only else ""
    form.grant, form.values = view, values
    return form


@dataclass
class FundsPage:
    """The funds and the grants made from them, and the fund being edited as stored."""

    funds: list[Fund]
    grants: list[GrantView]
    editing: Fund | None = None
    values: dict[str, Any] = field(default_factory=dict)


def funds_page(*, session: Session, project_id: int, edit: int | None) -> FundsPage:
    """The funds page, with fund `edit` of the project (or NotFound) in its form."""
    page = FundsPage(
        list_funds(session=session, project_id=project_id),
        list_grants(session=session, project_id=project_id),
    )
    if edit is not None:
        fund = get_fund(session=session, project_id=project_id, fund_id=edit)
        page.editing, page.values = fund, fund.model_dump() | {"pool": kr_input(fund.pool_ore)}
    return page


@dataclass
class EconomyRegister:
    """The reform economy register: the entries, their sums per area and year, and the form
    (with the entry being edited as stored, or a new entry's first values)."""

    areas: list[DirectorArea]
    entries: list[EconomyEntry]
    rows: list[economy.EconomyRow]
    area_names: dict[int | None, str]
    values: dict[str, Any]
    editing: EconomyEntry | None = None
    # Each entry's amounts per year (by entry id): split evenly or as given.
    years: dict[int, list[economy.YearAmount]] = field(default_factory=dict)


def economy_register(
    *, session: Session, project_id: int, edit: int | None, year: int
) -> EconomyRegister:
    """The register, with entry `edit` in the form when it is the project's; a new entry is
    for `year`."""
    areas = economy.director_areas(session=session, project_id=project_id)
    entries = economy.list_economy(session=session, project_id=project_id)
    register = EconomyRegister(
        areas=areas,
        entries=entries,
        rows=economy.economy_overview(session=session, project_id=project_id),
        area_names={a.id: a.name for a in areas},
        values={"year": year, "kind": "cost"},
        years=economy.entries_per_year(session=session, entries=entries),
    )
    entry = next((e for e in entries if e.id == edit), None)
    if entry is not None:
        expected, realised = kr_input(entry.expected_ore), kr_input(entry.realised_ore)
        given = economy.given_years(session=session, entry_ids=[entry.id or 0])[entry.id or 0]
        register.editing = entry
        register.values = entry.model_dump() | {
            "expected": expected,
            "realised": realised,
            "last_year": entry.last_year or "",
            "per_year": "\n".join(kr_input(y.expected_ore) for y in given),
        }
    return register


# What a grant's conditions are checked against (issue 26) ----------------------------------


@dataclass
class ActivitiesPage:
    """The project's kinds of activity and its activities with their kinds, the kind being
    renamed, and the conditions naming each kind."""

    kinds: list[ProjectActivityKind]
    activities: list[ActivityOption]
    used_by: dict[int, list[str]]
    editing: ProjectActivityKind | None = None
    values: dict[str, Any] = field(default_factory=dict)


def activities_page(*, session: Session, project_id: int, edit: int | None) -> ActivitiesPage:
    """The kinds page, with kind `edit` of the project in the rename form."""
    kinds = list_kinds(session=session, project_id=project_id)
    used_by: dict[int, list[str]] = defaultdict(list)
    for view in list_grants(session=session, project_id=project_id):
        for category, named in view.kinds.items():
            for kind_id in named:
                used_by[kind_id].append(f"{view.grant.name}: {CATEGORY_LABELS[category]}")
    page = ActivitiesPage(
        kinds, list_activities(session=session, project_id=project_id), dict(used_by)
    )
    page.editing = next((k for k in kinds if k.id == edit), None)
    if page.editing is not None:
        page.values = {"name": page.editing.name, "version": page.editing.version}
    return page


@dataclass
class PostsPage:
    """A grant's funded posts with their figures, and the post being edited as stored (or a
    new post's first values)."""

    grant: GrantView
    posts: list[PostRow]
    values: dict[str, Any]
    editing: FundedPost | None = None


def posts_page(*, session: Session, project_id: int, grant_id: int, edit: int | None) -> PostsPage:
    """The posts page of a grant of the project (or NotFound), with post `edit` in the form."""
    view = get_grant(session=session, project_id=project_id, grant_id=grant_id)
    rows = list_posts(session=session, project_id=project_id, grant_id=grant_id)
    g = view.grant
    page = PostsPage(
        view, rows, {"first_date": g.first_date.isoformat(), "last_date": g.last_date.isoformat()}
    )
    post = next((r.post for r in rows if r.post.id == edit), None)
    if post is not None:
        page.editing = post
        page.values = post.model_dump() | {
            "budget": kr_input(post.budget_ore),
            "hours": hours_text(post.hours_hundredths),
            "share": hours_text(post.share_hundredths),
        }
    return page
