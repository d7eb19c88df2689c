"""The budget: amounts planned per cost category and month, on a grant (within its amount,
period, categories and purposes) or on own financing; reading, planning, changing and removing
budget lines. One commit per use case, at the end; a refusal raises before anything is written."""

from calendar import monthrange
from datetime import date
from typing import Any, NamedTuple

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.budget import rules
from app.budget.grants import grant_in_body
from app.budget.models import BudgetLine, CostCategory
from app.budget.money import to_ore
from app.budget.schemas import BudgetLineCreate, BudgetLineUpdate
from app.danish import format_date, format_kr
from app.db import project_row
from app.errors import Invalid, require_version
from app.governance.models import Body

MISSING = "Budgetlinjen findes ikke i dette projekt."


def month_end(month: date) -> date:
    """The last day of the month the date is in."""
    return date(month.year, month.month, monthrange(month.year, month.month)[1])


def check_group(*, session: Session, project_id: int, group_id: int | None) -> None:
    """The group a budget line or an expense names must be a body of the project."""
    if group_id is None:
        return
    project_row(
        Body,
        group_id,
        session=session,
        project_id=project_id,
        missing="Gruppen findes ikke i dette projekt.",
        field="group_id",
    )


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
    check_group(session=session, project_id=project_id, group_id=group_id)
    if grant_id is None:
        if purpose_id is not None:
            raise Invalid(
                "Et budget på egen finansiering har ikke tilskuddets formål.", field="purpose_id"
            )
        return
    view = grant_in_body(session=session, project_id=project_id, grant_id=grant_id)
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
            f"tilskuddet på {format_kr(grant.amount_ore)}",
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
    audit.log(session=session, by=by, action="created", row=line)
    session.commit()
    return line


def update_budget_line(
    *, session: Session, by: Access, line_id: int, data: BudgetLineUpdate
) -> BudgetLine:
    """Change a budget line."""
    line = project_row(
        BudgetLine, line_id, session=session, project_id=by.project_id, missing=MISSING, lock=True
    )
    require_version(line, data.version)
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
    audit.log(session=session, by=by, action="updated", row=line, before=before)
    session.commit()
    return line


def delete_budget_line(*, session: Session, by: Access, line_id: int, version: int | None) -> None:
    """Remove a budget line."""
    line = project_row(
        BudgetLine, line_id, session=session, project_id=by.project_id, missing=MISSING, lock=True
    )
    require_version(line, version)
    before = audit.snapshot(line)
    session.delete(line)
    audit.log(session=session, by=by, action="deleted", row=line, before=before)
    session.commit()
