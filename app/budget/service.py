"""Reading and changing the budget: funds, grants with their rules, budget lines, expenditures
checked against their grant's rules, and the explanations of deviations in the grant accounting.
The figures built from them are in overview.py, the reform economy in economy.py.
One commit per use case, at the end; a refusal raises before anything is written."""

from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlmodel import Session, col, func, or_, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget import rules
from app.budget.models import (
    BudgetLine,
    CostCategory,
    DeviationExplanation,
    Expenditure,
    ExpenditureStatus,
    Fund,
    Grant,
    GrantCategory,
    GrantPurpose,
)
from app.budget.money import to_ore
from app.budget.schemas import (
    BudgetLineCreate,
    BudgetLineUpdate,
    ExpenditureCreate,
    ExpenditureUpdate,
    ExplanationIn,
    FundCreate,
    FundUpdate,
    GrantCreate,
    GrantUpdate,
)
from app.danish import format_date, format_kr
from app.db import get_for_update, stored_id
from app.errors import Conflict, Invalid, NotFound, check_version, missing
from app.governance.models import Body

# Funds -------------------------------------------------------------------------------------


def list_funds(*, session: Session, project_id: int) -> list[Fund]:
    """The project's funds, by name."""
    return list(
        session.exec(
            select(Fund).where(Fund.project_id == project_id).order_by(col(Fund.name), col(Fund.id))
        ).all()
    )


def get_fund(*, session: Session, project_id: int, fund_id: int) -> Fund:
    """A fund of this project, or NotFound."""
    fund = session.get(Fund, fund_id)
    if fund is None or fund.project_id != project_id:
        raise NotFound("Puljen findes ikke i dette projekt.")
    return fund


def create_fund(*, session: Session, by: Access, data: FundCreate) -> Fund:
    """Register a fund (pool) that grants are made from."""
    fund = Fund(
        project_id=by.project_id,
        name=data.name.strip(),
        grantor=data.grantor.strip(),
        pool_ore=to_ore(data.pool),
        allocation_note=data.allocation_note.strip(),
    )
    session.add(fund)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="fund",
        entity_id=fund.id,
        project_id=by.project_id,
        after=audit.snapshot(fund),
    )
    session.commit()
    return fund


def update_fund(*, session: Session, by: Access, fund_id: int, data: FundUpdate) -> Fund:
    """Change a fund; its pool may not fall below what the project's grants take from it."""
    fund = locked(
        session=session,
        model=Fund,
        item_id=fund_id,
        project_id=by.project_id,
        message="Puljen findes ikke i dette projekt.",
    )
    check_version(fund, data.version)
    before = audit.snapshot(fund)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if "pool" in values:
        pool = to_ore(values.pop("pool"))
        granted = session.exec(
            select(func.coalesce(func.sum(Grant.amount_ore), 0)).where(Grant.fund_id == fund.id)
        ).one()
        if pool < granted:
            raise Invalid(
                f"Puljen ({format_kr(pool)}) kan ikke være mindre end de tilskud, projektet har "
                f"fra den ({format_kr(granted)}).",
                field="pool",
            )
        fund.pool_ore = pool
    for key, value in values.items():
        setattr(fund, key, clean(value))
    fund.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="fund",
        entity_id=fund.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(fund),
    )
    session.commit()
    return fund


def delete_fund(*, session: Session, by: Access, fund_id: int) -> None:
    """Delete a fund that no grant comes from."""
    fund = get_fund(session=session, project_id=by.project_id, fund_id=fund_id)
    if session.exec(select(Grant.id).where(Grant.fund_id == fund_id)).first() is not None:
        raise Conflict("Puljen har tilskud og kan ikke slettes. Slet eller flyt tilskuddene først.")
    before = audit.snapshot(fund)
    session.delete(fund)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="fund",
        entity_id=fund_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# Grants ------------------------------------------------------------------------------------


@dataclass
class GrantView:
    """A grant with its fund, eligible categories and purposes."""

    grant: Grant
    fund: Fund | None
    categories: list[GrantCategory]
    purposes: list[GrantPurpose]

    @property
    def rules(self) -> rules.GrantRules:
        return rules.GrantRules(
            name=self.grant.name,
            amount_ore=self.grant.amount_ore,
            first_date=self.grant.first_date,
            last_date=self.grant.last_date,
            categories={c.category: c.condition for c in self.categories},
            purpose_ids=frozenset(p.id for p in self.purposes if p.id is not None),
        )

    def purpose_text(self, purpose_id: int | None) -> str:
        return next((p.text for p in self.purposes if p.id == purpose_id), "")

    def snapshot(self) -> dict[str, Any]:
        return (audit.snapshot(self.grant) or {}) | {
            "eligible_categories": [
                {"category": c.category.value, "condition": c.condition} for c in self.categories
            ],
            "purposes": [p.text for p in self.purposes],
        }


def list_grants(*, session: Session, project_id: int) -> list[GrantView]:
    """The project's grants, by first day and name."""
    grants = session.exec(
        select(Grant)
        .where(Grant.project_id == project_id)
        .order_by(col(Grant.first_date), col(Grant.name), col(Grant.id))
    ).all()
    ids = [g.id for g in grants if g.id is not None]
    if not ids:
        return []
    categories: dict[int, list[GrantCategory]] = {i: [] for i in ids}
    for c in session.exec(
        select(GrantCategory)
        .where(col(GrantCategory.grant_id).in_(ids))
        .order_by(col(GrantCategory.position), col(GrantCategory.id))
    ):
        categories[c.grant_id].append(c)
    purposes: dict[int, list[GrantPurpose]] = {i: [] for i in ids}
    for p in session.exec(
        select(GrantPurpose)
        .where(col(GrantPurpose.grant_id).in_(ids))
        .order_by(col(GrantPurpose.position), col(GrantPurpose.id))
    ):
        purposes[p.grant_id].append(p)
    fund_ids = {g.fund_id for g in grants if g.fund_id}
    funds = (
        {f.id: f for f in session.exec(select(Fund).where(col(Fund.id).in_(fund_ids)))}
        if fund_ids
        else {}
    )
    return [
        GrantView(
            g,
            funds.get(g.fund_id) if g.fund_id else None,
            categories[g.id or 0],
            purposes[g.id or 0],
        )
        for g in grants
    ]


def get_grant(*, session: Session, project_id: int, grant_id: int) -> GrantView:
    """A grant of this project with its rules, or NotFound."""
    grant = session.get(Grant, grant_id)
    if grant is None or grant.project_id != project_id:
        raise NotFound("Tilskuddet findes ikke i dette projekt.")
    return _view(session=session, grant=grant)


def _view(*, session: Session, grant: Grant) -> GrantView:
    categories = session.exec(
        select(GrantCategory)
        .where(GrantCategory.grant_id == grant.id)
        .order_by(col(GrantCategory.position), col(GrantCategory.id))
    ).all()
    purposes = session.exec(
        select(GrantPurpose)
        .where(GrantPurpose.grant_id == grant.id)
        .order_by(col(GrantPurpose.position), col(GrantPurpose.id))
    ).all()
    fund = session.get(Fund, grant.fund_id) if grant.fund_id else None
    return GrantView(grant, fund, list(categories), list(purposes))


def _check_grant_values(
    *,
    session: Session,
    project_id: int,
    grant_id: int | None,
    fund_id: int | None,
    amount_ore: int,
    first_date: date,
    last_date: date,
    report_due_date: date | None,
    categories: list[Any],
) -> None:
    if fund_id is not None:
        fund = session.get(Fund, fund_id)
        if fund is None or fund.project_id != project_id:
            raise Invalid("Puljen findes ikke i dette projekt.", field="fund_id")
        others = session.exec(
            select(func.coalesce(func.sum(Grant.amount_ore), 0)).where(
                Grant.fund_id == fund_id, Grant.id != (grant_id or 0)
            )
        ).one()
        if fund.pool_ore and others + amount_ore > fund.pool_ore:
            raise Invalid(
                f"Tilskuddet ({format_kr(amount_ore)}) er større end det, der er tilbage i "
                f"puljen »{fund.name}«: {format_kr(fund.pool_ore - others)} (puljen er "
                f"{format_kr(fund.pool_ore)}).",
                field="amount",
            )
    if last_date < first_date:
        raise Invalid(
            f"Tilskudsperiodens sidste dag ({format_date(last_date)}) ligger før dens første dag "
            f"({format_date(first_date)}).",
            field="last_date",
        )
    if report_due_date is not None and report_due_date < last_date:
        raise Invalid(
            f"Fristen for tilskudsregnskabet ({format_date(report_due_date)}) ligger før "
            f"tilskudsperiodens sidste dag ({format_date(last_date)}).",
            field="report_due_date",
        )
    seen: set[CostCategory] = set()
    for rule in categories:
        if rule.category in seen:
            raise Invalid(
                f"Udgiftsarten {rules.label(rule.category)} er nævnt to gange.",
                field="eligible_categories",
            )
        seen.add(rule.category)


def create_grant(*, session: Session, by: Access, data: GrantCreate) -> GrantView:
    """Register a grant with its amount, eligibility period, categories and purposes."""
    amount = to_ore(data.amount)
    _check_grant_values(
        session=session,
        project_id=by.project_id,
        grant_id=None,
        fund_id=data.fund_id,
        amount_ore=amount,
        first_date=data.first_date,
        last_date=data.last_date,
        report_due_date=data.report_due_date,
        categories=data.eligible_categories,
    )
    grant = Grant(
        project_id=by.project_id,
        fund_id=data.fund_id,
        name=data.name.strip(),
        reference=data.reference.strip(),
        amount_ore=amount,
        first_date=data.first_date,
        last_date=data.last_date,
        report_due_date=data.report_due_date,
        other_rules=data.other_rules.strip(),
    )
    session.add(grant)
    session.flush()
    grant_id = stored_id(grant)
    for i, rule in enumerate(data.eligible_categories):
        session.add(
            GrantCategory(
                grant_id=grant_id,
                category=rule.category,
                condition=rule.condition.strip(),
                position=i,
            )
        )
    for i, text in enumerate(t.strip() for t in data.purposes):
        if not text:
            raise Invalid("Et formål må ikke være tomt.", field="purposes")
        session.add(GrantPurpose(grant_id=grant_id, text=text, position=i))
    session.flush()
    view = _view(session=session, grant=grant)
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="grant",
        entity_id=grant.id,
        project_id=by.project_id,
        after=view.snapshot(),
    )
    session.commit()
    return view


_GRANT_FIELD = {
    "date": "first_date",
    "category": "eligible_categories",
    "condition_note": "eligible_categories",
    "purpose_id": "purposes",
    "amount": "amount",
}


def update_grant(*, session: Session, by: Access, grant_id: int, data: GrantUpdate) -> GrantView:
    """Change a grant's terms; refused when a recorded expense would break the new rules."""
    grant = locked(
        session=session,
        model=Grant,
        item_id=grant_id,
        project_id=by.project_id,
        message="Tilskuddet findes ikke i dette projekt.",
    )
    check_version(grant, data.version)
    old = _view(session=session, grant=grant)
    before = old.snapshot()
    values = data.model_dump(
        exclude_unset=True, exclude={"version", "eligible_categories", "purposes", "amount"}
    )
    for key in ("name", "reference", "first_date", "last_date", "other_rules"):
        if key in values and values[key] is None:
            raise missing(key)
    amount = to_ore(data.amount) if data.amount is not None else grant.amount_ore
    categories = (
        data.eligible_categories
        if data.eligible_categories is not None
        else [c for c in old.categories]
    )
    fund_id = values.get("fund_id", grant.fund_id)
    first = values.get("first_date") or grant.first_date
    last = values.get("last_date") or grant.last_date
    due = values.get("report_due_date", grant.report_due_date)
    _check_grant_values(
        session=session,
        project_id=by.project_id,
        grant_id=grant.id,
        fund_id=fund_id,
        amount_ore=amount,
        first_date=first,
        last_date=last,
        report_due_date=due,
        categories=categories,
    )
    # The purposes after the change: kept (by id), renamed, added; the rest are removed.
    keep: dict[int, str] = {}
    added: list[str] = []
    if data.purposes is not None:
        own_ids = {p.id for p in old.purposes}
        for p in data.purposes:
            if p.id is None:
                added.append(p.text.strip())
            elif p.id not in own_ids:
                raise Invalid(
                    f"Formålet med id {p.id} hører ikke til tilskuddet.", field="purposes"
                )
            else:
                keep[p.id] = p.text.strip()
        removed = own_ids - set(keep)
        if removed and (
            session.exec(
                select(Expenditure.id).where(col(Expenditure.purpose_id).in_(removed))
            ).first()
            or session.exec(
                select(BudgetLine.id).where(col(BudgetLine.purpose_id).in_(removed))
            ).first()
        ):
            raise Invalid(
                "Et formål, som udgifter eller budgetlinjer er knyttet til, kan ikke fjernes.",
                field="purposes",
            )
    else:
        keep = {p.id: p.text for p in old.purposes if p.id is not None}
    new_rules = rules.GrantRules(
        name=values.get("name", grant.name),
        amount_ore=amount,
        first_date=first,
        last_date=last,
        categories={c.category: c.condition.strip() for c in categories},
        purpose_ids=frozenset(keep) | ({-1} if added else frozenset()),
    )
    _check_existing_spending(session=session, grant_id=grant.id, new_rules=new_rules)
    for key, value in values.items():
        setattr(grant, key, clean(value))
    grant.amount_ore = amount
    if data.eligible_categories is not None:
        for c in old.categories:
            session.delete(c)
        session.flush()
        for i, rule in enumerate(data.eligible_categories):
            session.add(
                GrantCategory(
                    grant_id=grant.id,
                    category=rule.category,
                    condition=rule.condition.strip(),
                    position=i,
                )
            )
    if data.purposes is not None:
        position = 0
        for purpose in old.purposes:
            if purpose.id in keep:
                purpose.text, purpose.position = keep[purpose.id], position
                position += 1
            else:
                session.delete(purpose)
        for text in added:
            session.add(GrantPurpose(grant_id=grant.id, text=text, position=position))
            position += 1
    grant.version += 1
    session.flush()
    view = _view(session=session, grant=grant)
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="grant",
        entity_id=grant.id,
        project_id=by.project_id,
        before=before,
        after=view.snapshot(),
    )
    session.commit()
    return view


def _check_existing_spending(
    *, session: Session, grant_id: int, new_rules: rules.GrantRules
) -> None:
    expenses = session.exec(
        select(Expenditure)
        .where(Expenditure.grant_id == grant_id)
        .order_by(col(Expenditure.expense_date), col(Expenditure.id))
    ).all()
    # Purposes are not required here: purposes added to a grant cannot be on old expenses yet.
    lenient = replace(new_rules, purpose_ids=frozenset())
    for e in expenses:
        try:
            rules.check_eligibility(lenient, replace(_facts(e), purpose_id=None))
        except Invalid as exc:
            raise Invalid(
                f"Ændringen kan ikke gemmes, fordi udgiften »{e.description}« "
                f"({format_date(e.expense_date)}, {format_kr(e.amount_ore)}) så ikke længere "
                f"overholder tilskuddets regler: {exc.message}",
                field=_GRANT_FIELD.get(exc.field or "", "eligible_categories"),
            ) from None
    used = sum(e.amount_ore for e in expenses)
    if used > new_rules.amount_ore:
        raise Invalid(
            f"Tilskuddet kan ikke sættes til {format_kr(new_rules.amount_ore)}, fordi der allerede "
            f"er brugt og disponeret {format_kr(used)}.",
            field="amount",
        )
    lines_total = session.exec(
        select(func.coalesce(func.sum(BudgetLine.amount_ore), 0)).where(
            BudgetLine.grant_id == grant_id
        )
    ).one()
    if lines_total > new_rules.amount_ore:
        raise Invalid(
            f"Tilskuddet kan ikke sættes til {format_kr(new_rules.amount_ore)}, fordi budgettet "
            f"for det allerede er {format_kr(lines_total)}. Ret budgettet først.",
            field="amount",
        )


def delete_grant(*, session: Session, by: Access, grant_id: int) -> None:
    """Delete a grant on which nothing has been spent (its budget lines go with it)."""
    view = get_grant(session=session, project_id=by.project_id, grant_id=grant_id)
    if session.exec(select(Expenditure.id).where(Expenditure.grant_id == grant_id)).first():
        raise Conflict("Der er registreret udgifter på tilskuddet, så det kan ikke slettes.")
    before = view.snapshot()
    for row in [
        *session.exec(select(BudgetLine).where(BudgetLine.grant_id == grant_id)),
        *session.exec(
            select(DeviationExplanation).where(DeviationExplanation.grant_id == grant_id)
        ),
        *view.categories,
        *view.purposes,
    ]:
        session.delete(row)
    session.flush()
    session.delete(view.grant)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="grant",
        entity_id=grant_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# Budget lines ------------------------------------------------------------------------------


def _budget_lines(project_id: int, grant_id: int | None, own: bool, *columns: Any) -> Any:
    """The query of the project's budget lines (of one grant, or of own financing), in their
    order: whole lines, or only the given columns."""
    query = select(*(columns or (BudgetLine,))).where(BudgetLine.project_id == project_id)
    if grant_id is not None:
        query = query.where(BudgetLine.grant_id == grant_id)
    elif own:
        query = query.where(col(BudgetLine.grant_id).is_(None))
    return query.order_by(BudgetLine.month_date, BudgetLine.category, BudgetLine.id)


def list_budget_lines(
    *, session: Session, project_id: int, grant_id: int | None = None, own: bool = False
) -> list[BudgetLine]:
    """Budget lines of the project; of one grant, or of own financing (own=True)."""
    return list(session.exec(_budget_lines(project_id, grant_id, own)).all())


class BudgetFigures(NamedTuple):
    """The columns of a budget line that sums and charts count (its note left out)."""

    grant_id: int | None
    category: CostCategory
    purpose_id: int | None
    group_id: int | None
    month_date: date
    amount_ore: int


def budget_figures(
    *, session: Session, project_id: int, grant_id: int | None = None, own: bool = False
) -> list[BudgetFigures]:
    """The figures of list_budget_lines(): plain rows, far cheaper to read than whole lines."""
    columns = (getattr(BudgetLine, name) for name in BudgetFigures._fields)
    rows = session.exec(_budget_lines(project_id, grant_id, own, *columns))
    return [BudgetFigures._make(row) for row in rows]


def _check_budget_line(
    *,
    session: Session,
    project_id: int,
    line_id: int | None,
    grant_id: int | None,
    category: CostCategory,
    purpose_id: int | None,
    group_id: int | None,
    month: date,
    amount_ore: int,
) -> None:
    _check_group(session=session, project_id=project_id, group_id=group_id)
    if grant_id is None:
        if purpose_id is not None:
            raise Invalid(
                "Et budget på egen finansiering har ikke tilskuddets formål.", field="purpose_id"
            )
        return
    view = _grant_in_body(session=session, project_id=project_id, grant_id=grant_id)
    grant = view.grant
    if category not in {c.category for c in view.categories}:
        raise Invalid(
            f"{rules.label(category)} er ikke en tilskudsberettiget udgiftsart i "
            f"tilskuddet »{grant.name}«.",
            field="category",
        )
    if purpose_id is not None and purpose_id not in view.rules.purpose_ids:
        raise Invalid(f"Formålet hører ikke til tilskuddet »{grant.name}«.", field="purpose_id")
    if month_end(month) < grant.first_date or month > grant.last_date:
        raise Invalid(
            f"Måneden {month.month:02d}.{month.year} ligger uden for tilskudsperioden "
            f"{format_date(grant.first_date)}–{format_date(grant.last_date)}.",
            field="month",
        )
    others = session.exec(
        select(func.coalesce(func.sum(BudgetLine.amount_ore), 0)).where(
            BudgetLine.grant_id == grant_id, BudgetLine.id != (line_id or 0)
        )
    ).one()
    if others + amount_ore > grant.amount_ore:
        raise Invalid(
            f"Budgettet for tilskuddet bliver {format_kr(others + amount_ore)}, mere end "
            f"tilskuddet på {format_kr(grant.amount_ore)}.",
            field="amount",
        )


def create_budget_line(*, session: Session, by: Access, data: BudgetLineCreate) -> BudgetLine:
    """Plan an amount for a category in a month (on a grant, or on own financing)."""
    month = data.month.replace(day=1)
    amount = to_ore(data.amount)
    _check_budget_line(
        session=session,
        project_id=by.project_id,
        line_id=None,
        grant_id=data.grant_id,
        category=data.category,
        purpose_id=data.purpose_id,
        group_id=data.group_id,
        month=month,
        amount_ore=amount,
    )
    line = BudgetLine(
        project_id=by.project_id,
        grant_id=data.grant_id,
        category=data.category,
        purpose_id=data.purpose_id,
        group_id=data.group_id,
        month_date=month,
        amount_ore=amount,
        note=data.note.strip(),
    )
    session.add(line)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="budget_line",
        entity_id=line.id,
        project_id=by.project_id,
        after=audit.snapshot(line),
    )
    session.commit()
    return line


def update_budget_line(
    *, session: Session, by: Access, line_id: int, data: BudgetLineUpdate
) -> BudgetLine:
    """Change a budget line."""
    line = locked(
        session=session,
        model=BudgetLine,
        item_id=line_id,
        project_id=by.project_id,
        message="Budgetlinjen findes ikke i dette projekt.",
    )
    check_version(line, data.version)
    before = audit.snapshot(line)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    month = (values.get("month") or line.month_date).replace(day=1)
    amount = to_ore(data.amount) if data.amount is not None else line.amount_ore
    category = values.get("category") or line.category
    purpose_id = values.get("purpose_id", line.purpose_id)
    group_id = values.get("group_id", line.group_id)
    _check_budget_line(
        session=session,
        project_id=by.project_id,
        line_id=line.id,
        grant_id=line.grant_id,
        category=category,
        purpose_id=purpose_id,
        group_id=group_id,
        month=month,
        amount_ore=amount,
    )
    line.month_date, line.amount_ore, line.category = month, amount, category
    line.purpose_id, line.group_id = purpose_id, group_id
    if "note" in values:
        line.note = (values["note"] or "").strip()
    line.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="budget_line",
        entity_id=line.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(line),
    )
    session.commit()
    return line


def delete_budget_line(*, session: Session, by: Access, line_id: int) -> None:
    """Remove a budget line."""
    line = session.get(BudgetLine, line_id)
    if line is None or line.project_id != by.project_id:
        raise NotFound("Budgetlinjen findes ikke i dette projekt.")
    before = audit.snapshot(line)
    session.delete(line)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="budget_line",
        entity_id=line_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# Expenditures ------------------------------------------------------------------------------


# Expenditures are listed by date.
BY_DATE = (col(Expenditure.expense_date), col(Expenditure.id))


def _expenditures(project_id: int, grant_id: int | None, own: bool, *columns: Any) -> Any:
    """The query of the project's expenditures (of one grant, or on own financing): whole
    expenditures, or only the given columns."""
    query = select(*(columns or (Expenditure,))).where(Expenditure.project_id == project_id)
    if grant_id is not None:
        return query.where(Expenditure.grant_id == grant_id)
    if own:
        return query.where(col(Expenditure.grant_id).is_(None))
    return query


def list_expenditures(
    *, session: Session, project_id: int, grant_id: int | None = None, own: bool = False
) -> list[Expenditure]:
    """Expenditures of the project; of one grant, or on own financing (own=True); by date."""
    query = _expenditures(project_id, grant_id, own)
    return list(session.exec(query.order_by(*BY_DATE)).all())


def page_of_expenditures(
    *,
    session: Session,
    project_id: int,
    grant_id: int | None = None,
    own: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[Expenditure], int]:
    """A page of list_expenditures(), with the total."""
    query = _expenditures(project_id, grant_id, own)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(*BY_DATE).offset(offset).limit(limit)).all()
    return list(rows), total


def expenditures_with_own(
    *, session: Session, project_id: int, ids: list[int]
) -> list[Expenditure]:
    """The project's expenditures with the given ids and every one on own financing, by date
    (one query for the rows the budget page shows)."""
    query = select(Expenditure).where(
        Expenditure.project_id == project_id,
        or_(col(Expenditure.id).in_(ids), col(Expenditure.grant_id).is_(None)),
    )
    return list(session.exec(query.order_by(*BY_DATE)))


class ExpenseFigures(NamedTuple):
    """The columns of an expenditure that sums, charts and paging need (its texts left out)."""

    id: int
    grant_id: int | None
    expense_date: date
    amount_ore: int
    category: CostCategory
    status: ExpenditureStatus
    group_id: int | None
    purpose_id: int | None
    correction_of_id: int | None


def expenditure_figures(
    *, session: Session, project_id: int, grant_id: int | None = None
) -> list[ExpenseFigures]:
    """The figures of list_expenditures(): plain rows, far cheaper to read than whole
    expenditures when only their sums are needed."""
    columns = (getattr(Expenditure, name) for name in ExpenseFigures._fields)
    rows = session.exec(_expenditures(project_id, grant_id, False, *columns).order_by(*BY_DATE))
    return [ExpenseFigures._make(row) for row in rows]


def corrected_ids(*, session: Session, ids: list[int]) -> set[int]:
    """Those of the expenditures that a correction points to (they may not be deleted)."""
    if not ids:
        return set()
    rows = session.exec(
        select(Expenditure.correction_of_id).where(col(Expenditure.correction_of_id).in_(ids))
    )
    return {i for i in rows if i is not None}


def get_expenditure(*, session: Session, project_id: int, expenditure_id: int) -> Expenditure:
    """An expenditure of this project, or NotFound."""
    expense = session.get(Expenditure, expenditure_id)
    if expense is None or expense.project_id != project_id:
        raise NotFound("Udgiften findes ikke i dette projekt.")
    return expense


def _facts(e: Expenditure) -> rules.ExpenseFacts:
    return rules.ExpenseFacts(
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


def _used(*, session: Session, grant_id: int, exclude_id: int | None = None) -> int:
    """What is spent and committed on the grant (every accepted expense), in øre."""
    query = select(func.coalesce(func.sum(Expenditure.amount_ore), 0)).where(
        Expenditure.grant_id == grant_id
    )
    if exclude_id is not None:
        query = query.where(Expenditure.id != exclude_id)
    return int(session.exec(query).one())


def _check_rules(
    *, session: Session, project_id: int, expense: Expenditure, exclude_id: int | None
) -> None:
    """Every check an expense must pass, whether it is new or edited."""
    _check_group(session=session, project_id=project_id, group_id=expense.group_id)
    view = None
    if expense.grant_id is not None:
        # Locked, so that two people spending the same grant at once queue (PostgreSQL).
        if get_for_update(session=session, model=Grant, item_id=expense.grant_id) is None:
            raise Invalid("Tilskuddet findes ikke i dette projekt.", field="grant_id")
        view = _grant_in_body(session=session, project_id=project_id, grant_id=expense.grant_id)
    elif expense.purpose_id is not None:
        raise Invalid(
            "En udgift på egen finansiering har ikke et af tilskuddets formål.", field="purpose_id"
        )
    if expense.correction_of_id is not None:
        _check_correction(session=session, project_id=project_id, expense=expense)
    if view is None:
        rules.check_expense(None, _facts(expense))
        return
    used = _used(session=session, grant_id=view.grant.id or 0, exclude_id=exclude_id)
    rules.check_expense(view.rules, _facts(expense), used_ore=used)


def _check_correction(*, session: Session, project_id: int, expense: Expenditure) -> None:
    original = session.get(Expenditure, expense.correction_of_id)
    if original is None or original.project_id != project_id:
        raise Invalid(
            "Den udgift, der korrigeres, findes ikke i dette projekt.", field="correction_of_id"
        )
    if original.correction_of_id is not None:
        raise Invalid(
            "En korrektion kan ikke selv korrigeres; korrigér den oprindelige udgift.",
            field="correction_of_id",
        )
    if (original.grant_id, original.category, original.purpose_id) != (
        expense.grant_id,
        expense.category,
        expense.purpose_id,
    ):
        raise Invalid(
            "En korrektion skal have samme tilskud, udgiftsart og formål som den "
            "udgift, den korrigerer.",
            field="correction_of_id",
        )
    corrected = session.exec(
        select(func.coalesce(func.sum(Expenditure.amount_ore), 0)).where(
            Expenditure.correction_of_id == original.id, Expenditure.id != (expense.id or 0)
        )
    ).one()
    rules.check_expense(None, _facts(expense))  # the sign first: a clearer message
    rules.check_correction(
        original_ore=original.amount_ore,
        corrected_ore=int(corrected),
        amount_ore=expense.amount_ore,
    )


def _hundredths(value: Decimal | None) -> int | None:
    return None if value is None else to_ore(value)


def record_expenditure(*, session: Session, by: Access, data: ExpenditureCreate) -> Expenditure:
    """Record an expense on a grant (checked against its rules) or on own financing."""
    expense = Expenditure(
        project_id=by.project_id,
        grant_id=data.grant_id,
        expense_date=data.date,
        amount_ore=to_ore(data.amount),
        category=data.category,
        purpose_id=data.purpose_id,
        description=data.description.strip(),
        supplier=data.supplier.strip(),
        hours_hundredths=_hundredths(data.hours),
        hourly_rate_ore=None if data.hourly_rate is None else to_ore(data.hourly_rate),
        group_id=data.group_id,
        condition_note=data.condition_note.strip(),
        note=data.note.strip(),
        attachment_ref=data.attachment_ref.strip(),
        status=data.status,
        correction_of_id=data.correction_of_id,
        recorded_by_id=by.user.id,
    )
    _check_rules(session=session, project_id=by.project_id, expense=expense, exclude_id=None)
    session.add(expense)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="recorded",
        entity="expenditure",
        entity_id=expense.id,
        project_id=by.project_id,
        after=audit.snapshot(expense),
    )
    session.commit()
    return expense


_EXPENSE_FIELDS = {
    "date": "expense_date",
    "grant_id": "grant_id",
    "category": "category",
    "purpose_id": "purpose_id",
    "description": "description",
    "supplier": "supplier",
    "group_id": "group_id",
    "condition_note": "condition_note",
    "note": "note",
    "attachment_ref": "attachment_ref",
    "status": "status",
}


def update_expenditure(
    *, session: Session, by: Access, expenditure_id: int, data: ExpenditureUpdate
) -> Expenditure:
    """Edit an expense; the edited expense must pass the same rules as a new one."""
    expense = locked(
        session=session,
        model=Expenditure,
        item_id=expenditure_id,
        project_id=by.project_id,
        message="Udgiften findes ikke i dette projekt.",
    )
    check_version(expense, data.version)
    before = audit.snapshot(expense)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    for key in ("date", "amount", "category", "description", "status"):
        if key in values and values[key] is None:
            raise missing(key)
    candidate = Expenditure.model_validate(expense.model_dump())
    for key, attr in _EXPENSE_FIELDS.items():
        if key in values:
            value = values[key]
            setattr(candidate, attr, clean(value))
    if data.amount is not None:
        candidate.amount_ore = to_ore(data.amount)
    if "hours" in values:
        candidate.hours_hundredths = _hundredths(data.hours)
    if "hourly_rate" in values:
        candidate.hourly_rate_ore = None if data.hourly_rate is None else to_ore(data.hourly_rate)
    corrections = session.exec(
        select(Expenditure).where(Expenditure.correction_of_id == expense.id)
    ).all()
    if corrections:
        if (candidate.grant_id, candidate.category, candidate.purpose_id) != (
            expense.grant_id,
            expense.category,
            expense.purpose_id,
        ):
            raise Invalid(
                "Udgiften er korrigeret; tilskud, udgiftsart og formål kan ikke ændres, "
                "så længe korrektionerne findes.",
                field="category",
            )
        rules.check_correction(
            original_ore=candidate.amount_ore,
            corrected_ore=0,
            amount_ore=sum(c.amount_ore for c in corrections),
        )
    _check_rules(
        session=session, project_id=by.project_id, expense=candidate, exclude_id=expense.id
    )
    for attr in [*_EXPENSE_FIELDS.values(), "amount_ore", "hours_hundredths", "hourly_rate_ore"]:
        setattr(expense, attr, getattr(candidate, attr))
    expense.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="expenditure",
        entity_id=expense.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(expense),
    )
    session.commit()
    return expense


def delete_expenditure(*, session: Session, by: Access, expenditure_id: int) -> None:
    """Delete an expense recorded in error (a paid expense is better corrected)."""
    expense = locked(
        session=session,
        model=Expenditure,
        item_id=expenditure_id,
        project_id=by.project_id,
        message="Udgiften findes ikke i dette projekt.",
    )
    if corrected_ids(session=session, ids=[expenditure_id]):
        raise Conflict("Udgiften er korrigeret og kan ikke slettes. Slet korrektionerne først.")
    if expense.grant_id is not None and expense.amount_ore < 0:
        grant = session.get(Grant, expense.grant_id)
        used = _used(session=session, grant_id=expense.grant_id, exclude_id=expense.id)
        if grant is not None and used > grant.amount_ore:
            raise Conflict(
                f"Korrektionen kan ikke slettes: så ville der være brugt {format_kr(used)} af "
                f"tilskuddet på {format_kr(grant.amount_ore)}."
            )
    before = audit.snapshot(expense)
    session.delete(expense)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="expenditure",
        entity_id=expenditure_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# Grant accounting: explanations ----------------------------------------------------------


def set_explanation(
    *, session: Session, by: Access, grant_id: int, category: CostCategory, data: ExplanationIn
) -> DeviationExplanation:
    """Write (or change) the explanation of a category's deviation from the approved budget."""
    category = CostCategory(category)
    view = get_grant(session=session, project_id=by.project_id, grant_id=grant_id)
    if (
        category not in {c.category for c in view.categories}
        and not session.exec(
            select(Expenditure.id).where(
                Expenditure.grant_id == grant_id, Expenditure.category == category
            )
        ).first()
    ):
        raise Invalid(
            f"{rules.label(category)} indgår ikke i tilskudsregnskabet.", field="category"
        )
    note = session.exec(
        select(DeviationExplanation)
        .where(DeviationExplanation.grant_id == grant_id, DeviationExplanation.category == category)
        .with_for_update()
    ).first()
    before = audit.snapshot(note)
    if note is None:
        # A category without an explanation is at version 0: one written meanwhile is a 409.
        note = DeviationExplanation(grant_id=grant_id, category=category, version=0)
        check_version(note, data.version)
        session.add(note)
    else:
        check_version(note, data.version)
    note.text = data.text.strip()
    note.version += 1
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="explained",
        entity="deviation_explanation",
        entity_id=note.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(note),
    )
    session.commit()
    return note


def month_end(month: date) -> date:
    """The last day of the month the date is in."""
    return date(month.year, month.month, monthrange(month.year, month.month)[1])


def clean(value: Any) -> Any:
    """Text trimmed; enums (which are str too) and everything else as it is."""
    return value.strip() if type(value) is str else value


def locked(*, session: Session, model: Any, item_id: int, project_id: int, message: str) -> Any:
    """A row of the project locked for this transaction, or NotFound with the message."""
    row = get_for_update(session=session, model=model, item_id=item_id)
    if row is None or row.project_id != project_id:
        raise NotFound(message)
    return row


def _grant_in_body(*, session: Session, project_id: int, grant_id: int) -> GrantView:
    try:
        return get_grant(session=session, project_id=project_id, grant_id=grant_id)
    except NotFound as exc:
        raise Invalid(exc.message, field="grant_id") from None


def _check_group(*, session: Session, project_id: int, group_id: int | None) -> None:
    if group_id is None:
        return
    body = session.get(Body, group_id)
    if body is None or body.project_id != project_id:
        raise Invalid("Gruppen findes ikke i dette projekt.", field="group_id")
