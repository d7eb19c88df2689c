"""Pages of the budget: the overview with the burn chart and the expenditure form, grants and
funds, the budget of a grant, the grant accounting and the reform economy register.

Forms are read into the API's schemas (amounts typed the Danish way, "1.000,50", are accepted),
so pages and API validate alike. A write answers htmx with the section that changed, or with
the form and its Danish messages (422); without htmx it redirects back to the page.
"""

import json
from collections import defaultdict
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from app import clock
from app.auth.service import Access
from app.budget import charts, economy, overview, service, statements
from app.budget.models import (
    CATEGORY_LABELS,
    ECONOMY_KIND_LABELS,
    STATUS_LABELS,
    CostCategory,
    Expenditure,
)
from app.budget.money import danish_to_decimal_text, hours_text, kr_input
from app.budget.schemas import (
    BudgetLineCreate,
    EconomyCreate,
    EconomyUpdate,
    ExpenditureCreate,
    ExpenditureUpdate,
    ExplanationIn,
    FundCreate,
    FundUpdate,
    GrantCreate,
    GrantUpdate,
)
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.errors import DomainError, danish_message, field_name
from app.governance.service import get_project
from app.inputs import check_day
from app.web.charts import page_json
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()
BUDGET = "/projects/{project_id}/budget"
# The selected grant's expenditures are listed a page at a time, by date.
EXPENSES_PER_PAGE = 25
M = TypeVar("M", bound=BaseModel)
F = TypeVar("F", service.BudgetFigures, service.ExpenseFigures)


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


class FormError(Exception):
    """A form that did not pass: the Danish message per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _validate(schema: type[M], values: dict[str, Any]) -> M:
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            errors.setdefault(field_name(error["loc"]) or "form", danish_message(dict(error)))
        raise FormError(errors) from None


def _errors(exc: Exception) -> dict[str, str]:
    if isinstance(exc, FormError):
        return exc.errors
    if isinstance(exc, DomainError):
        return {exc.field or "form": exc.message}
    raise exc


def _status(exc: Exception) -> int:
    return exc.status_code if isinstance(exc, DomainError) else 422


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _opt(form: FormData, name: str) -> str | None:
    return _text(form, name) or None


def _money(form: FormData, name: str) -> str | None:
    text = _text(form, name)
    return danish_to_decimal_text(text) if text else None


def _flash(message: str) -> dict[str, str]:
    return {"HX-Trigger": json.dumps({"flash": message})}


def _date(text: str | None) -> date | None:
    """The day a page is viewed as of; an unreadable or unrealistic one is ignored."""
    try:
        return check_day(date.fromisoformat(text)) if text else None
    except ValueError:
        return None


def _base(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    return {
        "project": get_project(session, project_id=access.project_id),
        "access": access,
        "can_edit": access.leads,
        "category_labels": CATEGORY_LABELS,
        "status_labels": STATUS_LABELS,
        "kind_labels": ECONOMY_KIND_LABELS,
        "kr_input": kr_input,
        "hours_text": hours_text,
        "errors": {},
        "values": {},
    } | values


# Overview ----------------------------------------------------------------------------------


def _overview(
    session: Session,
    access: Access,
    *,
    grant_id: int | None,
    as_of: date | None,
    page: int = 1,
    **values: Any,
) -> dict[str, Any]:
    """Everything the budget page shows, for one selected grant on one date (its expenditures
    a page at a time; the sums and the chart count them all)."""
    project_id = access.project_id
    as_of = as_of or clock.today()
    grants = service.list_grants(session, project_id=project_id)
    # The figures of the project's budget lines and expenditures are read once, as plain rows,
    # and split by grant (in the order of the project-wide lists); only the expenditures the
    # page lists are read whole.
    lines = _by_grant(service.budget_figures(session, project_id=project_id))
    spending = _by_grant(service.expenditure_figures(session, project_id=project_id))
    groups = overview.group_names(session, project_id=project_id)
    summaries = [
        overview.summarise(
            v,
            budget=lines[v.grant.id],
            expenses=spending[v.grant.id],
            names=groups,
            as_of=as_of,
        )
        for v in grants
    ]
    selected = next(
        (s for s in summaries if s.view.grant.id == grant_id), summaries[0] if summaries else None
    )
    figures = spending[selected.view.grant.id] if selected else []
    paging = Page(number=page, size=EXPENSES_PER_PAGE).with_total(len(figures))
    shown = figures[paging.offset : paging.offset + paging.size]
    rows = service.expenditures_with_own(session, project_id=project_id, ids=[e.id for e in shown])
    chart_json = page_json(charts.burn_chart(selected.burn)) if selected else None
    context = _base(
        session,
        access,
        grants=grants,
        summaries=summaries,
        selected=selected,
        as_of=as_of,
        chart_json=chart_json,
        expenses=[e for e in rows if e.grant_id is not None],
        paging=paging,
        groups=groups,
        own=overview.own_financing(
            session,
            project_id=project_id,
            expenses=[e for e in rows if e.grant_id is None],
            budget=lines[None],
        ),
        economy_rows=economy.economy_overview(session, project_id=project_id),
        # What corrected_ids() would read, from the figures already loaded.
        corrected={e.correction_of_id for e in (*figures, *spending[None]) if e.correction_of_id},
        purposes=_purpose_numbers(grants),
        view_grant=selected.view.grant.id if selected else "",
    )
    context |= values
    if "values" not in values:
        context["values"] = _new_expense_values(selected, as_of)
    return context


def _by_grant(rows: list[F]) -> defaultdict[int | None, list[F]]:
    """Rows split by their grant (None: own financing), each share in the order given."""
    split: defaultdict[int | None, list[F]] = defaultdict(list)
    for row in rows:
        split[row.grant_id].append(row)
    return split


def _purpose_numbers(grants: list[service.GrantView]) -> dict[int, str]:
    """Purposes by id as their short label ("formål 2"), as the grant numbers them."""
    return {
        p.id: f"formål {i}" for v in grants for i, p in enumerate(v.purposes, 1) if p.id is not None
    }


def _new_expense_values(selected: overview.GrantSummary | None, as_of: date) -> dict[str, Any]:
    grant = selected.view.grant if selected else None
    day = as_of
    if grant is not None:
        day = min(max(as_of, grant.first_date), grant.last_date)
    return {"grant_id": grant.id if grant else "", "date": day.isoformat(), "status": "paid"}


@router.get(BUDGET)
def budget_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    grant: int | None = None,
    as_of: str | None = None,
    korriger: int | None = None,
    page: int = 1,
) -> Response:
    context = _overview(session, access, grant_id=grant, as_of=_date(as_of), page=page)
    if korriger is not None and access.leads:
        original = service.get_expenditure(
            session, project_id=access.project_id, expenditure_id=korriger
        )
        context["correcting"] = original
        context["values"] = {
            "grant_id": original.grant_id or "",
            "category": original.category.value,
            "purpose_id": original.purpose_id or "",
            "group_id": original.group_id or "",
            "date": context["as_of"].isoformat(),
            "status": original.status.value,
            "description": f"Korrektion af: {original.description}",
            "supplier": original.supplier,
            "correction_of_id": original.id,
        }
    return render(request, "budget/overview.html", context)


def _expense_values(form: FormData) -> dict[str, Any]:
    return {
        "grant_id": _opt(form, "grant_id"),
        "date": _opt(form, "date"),
        "amount": _money(form, "amount"),
        "category": _opt(form, "category"),
        "purpose_id": _opt(form, "purpose_id"),
        "description": _text(form, "description"),
        "supplier": _text(form, "supplier"),
        "hours": _money(form, "hours"),
        "hourly_rate": _money(form, "hourly_rate"),
        "group_id": _opt(form, "group_id"),
        "condition_note": _text(form, "condition_note"),
        "note": _text(form, "note"),
        "attachment_ref": _text(form, "attachment_ref"),
        "status": _opt(form, "status") or "paid",
    }


def _view_args(form: FormData) -> dict[str, Any]:
    grant = _text(form, "view_grant")
    return {
        "grant_id": int(grant) if grant.isdigit() else None,
        "as_of": _date(_text(form, "view_as_of")),
    }


def _budget_url(access: Access, grant_id: int | None, as_of: date | None) -> str:
    url = f"/projects/{access.project_id}/budget"
    params = [f"grant={grant_id}" if grant_id else "", f"as_of={as_of}" if as_of else ""]
    query = "&".join(p for p in params if p)
    return f"{url}?{query}" if query else url


def _main(
    request: Request, session: Session, access: Access, view: dict[str, Any], message: str
) -> Response:
    """After a write: the page's main section again (htmx), or back to the page."""
    if not is_htmx(request):
        return RedirectResponse(
            _budget_url(access, view["grant_id"], view["as_of"]), status_code=303
        )
    context = _overview(session, access, **view)
    return render(
        request,
        "budget/_main.html",
        context,
        headers=_flash(message) | {"HX-Retarget": "#budget-main", "HX-Reswap": "outerHTML"},
    )


@router.post(BUDGET + "/expenditures")
def record_expenditure(
    request: Request, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    values = _expense_values(form) | {"correction_of_id": _opt(form, "correction_of_id")}
    view = _view_args(form)
    try:
        data = _validate(ExpenditureCreate, values)
        expense = service.record_expenditure(session, by=access, data=data)
    except (FormError, DomainError) as exc:
        session.rollback()
        context = _overview(session, access, **view, values=dict(form), errors=_errors(exc))
        if values["correction_of_id"]:
            context["correcting"] = session.get(Expenditure, int(values["correction_of_id"]))
        template = "budget/_expenditure_form.html" if is_htmx(request) else "budget/overview.html"
        return render(request, template, context, status_code=_status(exc))
    view["grant_id"] = view["grant_id"] or expense.grant_id
    return _main(request, session, access, view, "Udgiften er registreret.")


def _expense_context(
    session: Session, access: Access, expenditure_id: int, **values: Any
) -> dict[str, Any]:
    expense = service.get_expenditure(
        session, project_id=access.project_id, expenditure_id=expenditure_id
    )
    grants = service.list_grants(session, project_id=access.project_id)
    context = _base(
        session,
        access,
        e=expense,
        grants=grants,
        groups=overview.group_names(session, project_id=access.project_id),
        purposes=_purpose_numbers(grants),
        corrected=service.corrected_ids(session, ids=[expenditure_id]),
    )
    return context | values


@router.get(BUDGET + "/expenditures/{expenditure_id}")
def expenditure_row(
    request: Request,
    expenditure_id: int,
    access: ProjectAccess,
    session: SessionDep,
    as_of: str = "",
    grant: str = "",
) -> Response:
    context = _expense_context(
        session, access, expenditure_id, as_of=_date(as_of), view_grant=grant
    )
    return render(request, "budget/_expenditure_row.html", context)


@router.get(BUDGET + "/expenditures/{expenditure_id}/edit")
def edit_expenditure(
    request: Request,
    expenditure_id: int,
    access: ProjectLeader,
    session: SessionDep,
    as_of: str = "",
    grant: str = "",
) -> Response:
    context = _expense_context(
        session, access, expenditure_id, as_of=_date(as_of), view_grant=grant
    )
    e = context["e"]
    context["values"] = {
        "grant_id": e.grant_id or "",
        "date": e.expense_date.isoformat(),
        "amount": kr_input(e.amount_ore),
        "category": e.category.value,
        "purpose_id": e.purpose_id or "",
        "description": e.description,
        "supplier": e.supplier,
        "hours": hours_text(e.hours_hundredths),
        "hourly_rate": kr_input(e.hourly_rate_ore),
        "group_id": e.group_id or "",
        "condition_note": e.condition_note,
        "note": e.note,
        "attachment_ref": e.attachment_ref,
        "status": e.status.value,
        "version": e.version,
    }
    return render(request, "budget/_expenditure_edit.html", context)


@router.post(BUDGET + "/expenditures/{expenditure_id}")
def save_expenditure(
    request: Request, expenditure_id: int, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    view = _view_args(form)
    values = _expense_values(form) | {"version": _opt(form, "version")}
    try:
        data = _validate(ExpenditureUpdate, values)
        service.update_expenditure(session, by=access, expenditure_id=expenditure_id, data=data)
    except (FormError, DomainError) as exc:
        session.rollback()
        context = _expense_context(
            session,
            access,
            expenditure_id,
            values=dict(form),
            errors=_errors(exc),
            as_of=view["as_of"],
            view_grant=view["grant_id"] or "",
        )
        if not is_htmx(request):
            context = _overview(session, access, **view, main_error=" ".join(_errors(exc).values()))
            return render(request, "budget/overview.html", context, status_code=_status(exc))
        return render(request, "budget/_expenditure_edit.html", context, status_code=_status(exc))
    return _main(request, session, access, view, "Udgiften er rettet.")


@router.post(BUDGET + "/expenditures/{expenditure_id}/delete")
def delete_expenditure(
    request: Request, expenditure_id: int, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    view = _view_args(form)
    try:
        service.delete_expenditure(session, by=access, expenditure_id=expenditure_id)
    except DomainError as exc:
        session.rollback()
        context = _overview(session, access, **view, main_error=exc.message)
        template = "budget/_main.html" if is_htmx(request) else "budget/overview.html"
        return render(
            request,
            template,
            context,
            status_code=exc.status_code,
            headers={"HX-Retarget": "#budget-main", "HX-Reswap": "outerHTML"},
        )
    return _main(request, session, access, view, "Udgiften er slettet.")


# Grants and funds --------------------------------------------------------------------------


def _grant_form_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    return (
        _base(
            session,
            access,
            funds=service.list_funds(session, project_id=access.project_id),
            categories=list(CostCategory),
        )
        | values
    )


def _grant_values(view: service.GrantView) -> dict[str, Any]:
    g = view.grant
    values: dict[str, Any] = {
        "fund_id": g.fund_id or "",
        "name": g.name,
        "reference": g.reference,
        "amount": kr_input(g.amount_ore),
        "first_date": g.first_date.isoformat(),
        "last_date": g.last_date.isoformat(),
        "report_due_date": g.report_due_date.isoformat() if g.report_due_date else "",
        "purposes": "\n".join(p.text for p in view.purposes),
        "other_rules": g.other_rules,
        "version": g.version,
    }
    for c in view.categories:
        values[f"cat_{c.category.value}"] = "on"
        values[f"condition_{c.category.value}"] = c.condition
    return values


def _grant_form_values(form: FormData) -> dict[str, Any]:
    return {
        "fund_id": _opt(form, "fund_id"),
        "name": _text(form, "name"),
        "reference": _text(form, "reference"),
        "amount": _money(form, "amount"),
        "first_date": _opt(form, "first_date"),
        "last_date": _opt(form, "last_date"),
        "report_due_date": _opt(form, "report_due_date"),
        "eligible_categories": [
            {"category": c.value, "condition": _text(form, f"condition_{c.value}")}
            for c in CostCategory
            if form.get(f"cat_{c.value}")
        ],
        "other_rules": _text(form, "other_rules"),
    }


def _purpose_lines(form: FormData) -> list[str]:
    return [line.strip() for line in _text(form, "purposes").splitlines() if line.strip()]


@router.get(BUDGET + "/grants/new")
def new_grant(request: Request, access: ProjectLeader, session: SessionDep) -> Response:
    return render(request, "budget/grant_form.html", _grant_form_context(session, access))


@router.post(BUDGET + "/grants")
def create_grant(
    request: Request, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    values = _grant_form_values(form) | {"purposes": _purpose_lines(form)}
    try:
        view = service.create_grant(session, by=access, data=_validate(GrantCreate, values))
    except (FormError, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "budget/grant_form.html",
            _grant_form_context(session, access, values=dict(form), errors=_errors(exc)),
            status_code=_status(exc),
        )
    return RedirectResponse(_budget_url(access, view.grant.id, None), status_code=303)


@router.get(BUDGET + "/grants/{grant_id}/edit")
def edit_grant(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    view = service.get_grant(session, project_id=access.project_id, grant_id=grant_id)
    return render(
        request,
        "budget/grant_form.html",
        _grant_form_context(session, access, grant=view, values=_grant_values(view)),
    )


@router.post(BUDGET + "/grants/{grant_id}")
def save_grant(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    view = service.get_grant(session, project_id=access.project_id, grant_id=grant_id)
    # The purposes are edited as lines; line n keeps (renames) the grant's n-th purpose.
    lines = _purpose_lines(form)
    purposes = [
        {"id": view.purposes[i].id, "text": text} if i < len(view.purposes) else {"text": text}
        for i, text in enumerate(lines)
    ]
    values = _grant_form_values(form) | {"purposes": purposes, "version": _opt(form, "version")}
    if not values["fund_id"]:
        values["fund_id"] = None
    try:
        service.update_grant(
            session, by=access, grant_id=grant_id, data=_validate(GrantUpdate, values)
        )
    except (FormError, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "budget/grant_form.html",
            _grant_form_context(
                session, access, grant=view, values=dict(form), errors=_errors(exc)
            ),
            status_code=_status(exc),
        )
    return RedirectResponse(_budget_url(access, grant_id, None), status_code=303)


@router.post(BUDGET + "/grants/{grant_id}/delete")
def delete_grant(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        service.delete_grant(session, by=access, grant_id=grant_id)
    except DomainError as exc:
        session.rollback()
        view = service.get_grant(session, project_id=access.project_id, grant_id=grant_id)
        return render(
            request,
            "budget/grant_form.html",
            _grant_form_context(
                session,
                access,
                grant=view,
                values=_grant_values(view),
                errors={"form": exc.message},
            ),
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/projects/{access.project_id}/budget", status_code=303)


def _funds_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    funds = service.list_funds(session, project_id=access.project_id)
    grants = service.list_grants(session, project_id=access.project_id)
    return _base(session, access, funds=funds, grants=grants) | values


@router.get(BUDGET + "/funds")
def funds_page(
    request: Request, access: ProjectAccess, session: SessionDep, edit: int | None = None
) -> Response:
    context = _funds_context(session, access)
    if edit is not None and access.leads:
        fund = service.get_fund(session, project_id=access.project_id, fund_id=edit)
        context |= {
            "editing": fund,
            "values": {
                "name": fund.name,
                "grantor": fund.grantor,
                "pool": kr_input(fund.pool_ore),
                "allocation_note": fund.allocation_note,
                "version": fund.version,
            },
        }
    return render(request, "budget/funds.html", context)


def _fund_values(form: FormData) -> dict[str, Any]:
    return {
        "name": _text(form, "name"),
        "grantor": _text(form, "grantor"),
        "pool": _money(form, "pool") or "0",
        "allocation_note": _text(form, "allocation_note"),
    }


@router.post(BUDGET + "/funds")
def create_fund(
    request: Request, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    try:
        service.create_fund(session, by=access, data=_validate(FundCreate, _fund_values(form)))
    except (FormError, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "budget/funds.html",
            _funds_context(session, access, values=dict(form), errors=_errors(exc)),
            status_code=_status(exc),
        )
    return RedirectResponse(f"/projects/{access.project_id}/budget/funds", status_code=303)


@router.post(BUDGET + "/funds/{fund_id}")
def save_fund(
    request: Request, fund_id: int, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    values = _fund_values(form) | {"version": _opt(form, "version")}
    try:
        service.update_fund(session, by=access, fund_id=fund_id, data=_validate(FundUpdate, values))
    except (FormError, DomainError) as exc:
        session.rollback()
        fund = service.get_fund(session, project_id=access.project_id, fund_id=fund_id)
        return render(
            request,
            "budget/funds.html",
            _funds_context(session, access, editing=fund, values=dict(form), errors=_errors(exc)),
            status_code=_status(exc),
        )
    return RedirectResponse(f"/projects/{access.project_id}/budget/funds", status_code=303)


@router.post(BUDGET + "/funds/{fund_id}/delete")
def delete_fund(
    request: Request, fund_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        service.delete_fund(session, by=access, fund_id=fund_id)
    except DomainError as exc:
        session.rollback()
        return render(
            request,
            "budget/funds.html",
            _funds_context(session, access, errors={"form": exc.message}),
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/projects/{access.project_id}/budget/funds", status_code=303)


# The budget of a grant ---------------------------------------------------------------------


def _lines_context(
    session: Session, access: Access, grant_id: int, **values: Any
) -> dict[str, Any]:
    view = service.get_grant(session, project_id=access.project_id, grant_id=grant_id)
    lines = service.list_budget_lines(session, project_id=access.project_id, grant_id=grant_id)
    summary = overview.grant_summary(
        session, project_id=access.project_id, grant_id=grant_id, as_of=view.grant.last_date
    )
    categories = [c.category for c in view.categories]
    matrix: dict[tuple[date, str], int] = {}
    for line in lines:
        key = (line.month_date, line.category.value)
        matrix[key] = matrix.get(key, 0) + line.amount_ore
    return (
        _base(
            session,
            access,
            grant=view,
            lines=lines,
            months=summary.burn.months,
            purpose_numbers={p.id: f"Formål {i}" for i, p in enumerate(view.purposes, 1)},
            categories=categories,
            matrix=matrix,
            total=sum(x.amount_ore for x in lines),
            groups=overview.group_names(session, project_id=access.project_id),
        )
        | {"values": {"month": view.grant.first_date.strftime("%Y-%m")}}
        | values
    )


@router.get(BUDGET + "/grants/{grant_id}/budget")
def budget_lines_page(
    request: Request, grant_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, "budget/budget_lines.html", _lines_context(session, access, grant_id))


@router.post(BUDGET + "/grants/{grant_id}/budget")
def create_budget_line(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    month = _text(form, "month")
    values = {
        "grant_id": grant_id,
        "category": _opt(form, "category"),
        "purpose_id": _opt(form, "purpose_id"),
        "group_id": _opt(form, "group_id"),
        "month": f"{month}-01" if len(month) == 7 else month or None,
        "amount": _money(form, "amount"),
        "note": _text(form, "note"),
    }
    try:
        service.create_budget_line(session, by=access, data=_validate(BudgetLineCreate, values))
    except (FormError, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "budget/budget_lines.html",
            _lines_context(session, access, grant_id, values=dict(form), errors=_errors(exc)),
            status_code=_status(exc),
        )
    return RedirectResponse(
        f"/projects/{access.project_id}/budget/grants/{grant_id}/budget", status_code=303
    )


@router.post(BUDGET + "/grants/{grant_id}/budget/{line_id}/delete")
def delete_budget_line(
    request: Request, grant_id: int, line_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    service.delete_budget_line(session, by=access, line_id=line_id)
    return RedirectResponse(
        f"/projects/{access.project_id}/budget/grants/{grant_id}/budget", status_code=303
    )


# Grant accounting --------------------------------------------------------------------------


@router.get(BUDGET + "/grants/{grant_id}/statement")
def statement_page(
    request: Request, grant_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    st = overview.statement(
        session, project_id=access.project_id, grant_id=grant_id, made_date=clock.today()
    )
    return render(
        request,
        "budget/statement.html",
        _base(
            session,
            access,
            st=st,
            management_statement=statements.MANAGEMENT_STATEMENT,
            materiality=statements.MATERIALITY,
        ),
    )


@router.post(BUDGET + "/grants/{grant_id}/explanations/{category}")
def save_explanation(
    request: Request,
    grant_id: int,
    category: CostCategory,
    access: ProjectLeader,
    session: SessionDep,
    form: Form,
) -> Response:
    values = {"text": _text(form, "text"), "version": _opt(form, "version")}
    error: dict[str, str] = {}
    status = 200
    try:
        service.set_explanation(
            session,
            by=access,
            grant_id=grant_id,
            category=category,
            data=_validate(ExplanationIn, values),
        )
    except (FormError, DomainError) as exc:
        session.rollback()
        error = _errors(exc)
        status = _status(exc)
    st = overview.statement(
        session, project_id=access.project_id, grant_id=grant_id, made_date=clock.today()
    )
    if not error and not is_htmx(request):
        return RedirectResponse(
            f"/projects/{access.project_id}/budget/grants/{grant_id}/statement", status_code=303
        )
    line = next(x for x in st.lines if x.category == category)
    context = _base(
        session, access, st=st, line=line, line_errors=error, line_values=values if error else None
    )
    if not is_htmx(request):
        return render(
            request,
            "budget/statement.html",
            context
            | {
                "management_statement": statements.MANAGEMENT_STATEMENT,
                "materiality": statements.MATERIALITY,
            },
            status_code=status,
        )
    return render(
        request,
        "budget/_statement_line.html",
        context,
        status_code=status if error else 200,
        headers={} if error else _flash("Forklaringen er gemt."),
    )


# Reform economy ----------------------------------------------------------------------------


def _economy_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    areas = economy.director_areas(session, project_id=access.project_id)
    return (
        _base(
            session,
            access,
            areas=areas,
            area_names={a.id: a.name for a in areas},
            entries=economy.list_economy(session, project_id=access.project_id),
            rows=economy.economy_overview(session, project_id=access.project_id),
            values={"year": clock.today().year, "kind": "cost"},
        )
        | values
    )


def _economy_values(form: FormData) -> dict[str, Any]:
    return {
        "director_area_id": _opt(form, "director_area_id"),
        "year": _opt(form, "year"),
        "kind": _opt(form, "kind"),
        "description": _text(form, "description"),
        "expected": _money(form, "expected") or "0",
        "realised": _money(form, "realised"),
        "note": _text(form, "note"),
    }


@router.get(BUDGET + "/economy")
def economy_page(
    request: Request, access: ProjectAccess, session: SessionDep, edit: int | None = None
) -> Response:
    context = _economy_context(session, access)
    if edit is not None and access.leads:
        entry = next((e for e in context["entries"] if e.id == edit), None)
        if entry is not None:
            context |= {
                "editing": entry,
                "values": {
                    "director_area_id": entry.director_area_id,
                    "year": entry.year,
                    "kind": entry.kind.value,
                    "description": entry.description,
                    "expected": kr_input(entry.expected_ore),
                    "realised": kr_input(entry.realised_ore),
                    "note": entry.note,
                    "version": entry.version,
                },
            }
    return render(request, "budget/economy.html", context)


@router.post(BUDGET + "/economy")
def create_economy_entry(
    request: Request, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    try:
        economy.create_economy_entry(
            session, by=access, data=_validate(EconomyCreate, _economy_values(form))
        )
    except (FormError, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "budget/economy.html",
            _economy_context(session, access, values=dict(form), errors=_errors(exc)),
            status_code=_status(exc),
        )
    return RedirectResponse(f"/projects/{access.project_id}/budget/economy", status_code=303)


@router.post(BUDGET + "/economy/{entry_id}")
def save_economy_entry(
    request: Request, entry_id: int, access: ProjectLeader, session: SessionDep, form: Form
) -> Response:
    values = _economy_values(form) | {"version": _opt(form, "version")}
    try:
        economy.update_economy_entry(
            session, by=access, entry_id=entry_id, data=_validate(EconomyUpdate, values)
        )
    except (FormError, DomainError) as exc:
        session.rollback()
        context = _economy_context(session, access, values=dict(form), errors=_errors(exc))
        context["editing"] = next((e for e in context["entries"] if e.id == entry_id), None)
        return render(request, "budget/economy.html", context, status_code=_status(exc))
    return RedirectResponse(f"/projects/{access.project_id}/budget/economy", status_code=303)


@router.post(BUDGET + "/economy/{entry_id}/delete")
def delete_economy_entry(
    request: Request, entry_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    economy.delete_economy_entry(session, by=access, entry_id=entry_id)
    return RedirectResponse(f"/projects/{access.project_id}/budget/economy", status_code=303)
