"""Pages of the budget: the overview with the burn chart and the expenditure form, grants and
funds, the budget of a grant, the grant accounting and the reform economy register.

Every form goes through app/web/forms.py: read into the API's schema (amounts typed the Danish
way), refused with the form again and its Danish messages (422/409), or answered with the section
that changed (htmx) or a redirect back to the page.
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlmodel import Session
from starlette.datastructures import FormData

from app import clock
from app.auth.service import Access
from app.budget import charts, economy, models, overview, schemas, service, statements
from app.budget.money import hours_text, kr_input
from app.charts import page_json
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.governance.service import get_project
from app.inputs import check_day
from app.web import forms
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()
BUDGET = "/projects/{project_id}/budget"
FUNDS = BUDGET + "/funds"
LINES = BUDGET + "/grants/{grant_id}/budget"
STATEMENT = BUDGET + "/grants/{grant_id}/statement"
ECONOMY = BUDGET + "/economy"
# The selected grant's expenditures are listed a page at a time, by date.
EXPENSES_PER_PAGE = 25
# An expenditure written from the overview answers htmx with the whole main section: the
# figures, the chart and the lists all change.
MAIN_SECTION = {"HX-Retarget": "#budget-main", "HX-Reswap": "outerHTML"}
M = TypeVar("M", bound=BaseModel)
F = TypeVar("F", service.BudgetFigures, service.ExpenseFigures)


def _date(text: str | None) -> date | None:
    """The day a page is viewed as of; an unreadable or unrealistic one is ignored."""
    try:
        return check_day(date.fromisoformat(text)) if text else None
    except ValueError:
        return None


def _base(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    return {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "can_edit": access.leads,
        "category_labels": models.CATEGORY_LABELS,
        "status_labels": models.STATUS_LABELS,
        "kind_labels": models.ECONOMY_KIND_LABELS,
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
    grants = service.list_grants(session=session, project_id=project_id)
    # The figures of the project's budget lines and expenditures are read once, as plain rows,
    # and split by grant (in the order of the project-wide lists); only the expenditures the
    # page lists are read whole.
    lines = _by_grant(service.budget_figures(session=session, project_id=project_id))
    spending = _by_grant(service.expenditure_figures(session=session, project_id=project_id))
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
    paging = Page(number=page, size=EXPENSES_PER_PAGE).with_total(len(figures))
    shown = figures[paging.offset : paging.offset + paging.size]
    rows = service.expenditures_with_own(
        session=session, project_id=project_id, ids=[e.id for e in shown]
    )
    own_rows = [e for e in rows if e.grant_id is None]
    own = overview.own_financing(
        session=session, project_id=project_id, expenses=own_rows, budget=lines[None]
    )
    # What corrected_ids() would read, from the figures already loaded.
    corrected = {e.correction_of_id for e in (*figures, *spending[None]) if e.correction_of_id}
    context = _base(session, access, grants=grants, groups=groups, paging=paging, as_of=as_of)
    context |= {
        "summaries": summaries,
        "selected": selected,
        "chart_json": page_json(charts.burn_chart(selected.burn)) if selected else None,
        "expenses": [e for e in rows if e.grant_id is not None],
        "own": own,
        "corrected": corrected,
        "economy_rows": economy.economy_overview(session=session, project_id=project_id),
        "purposes": _purpose_numbers(grants),
        "view_grant": selected.view.grant.id if selected else "",
    }
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
    day = min(max(as_of, grant.first_date), grant.last_date) if grant else as_of
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
            session=session, project_id=access.project_id, expenditure_id=korriger
        )
        context["correcting"] = original
        kept = {"grant_id", "category", "purpose_id", "group_id", "status", "supplier"}
        context["values"] = original.model_dump(include=kept) | {
            "date": context["as_of"],
            "description": f"Korrektion af: {original.description}",
            "correction_of_id": original.id,
        }
    return render(request, "budget/overview.html", context)


def _view_args(sent: Mapping[str, Any], prefix: str = "view_") -> dict[str, Any]:
    """The grant and the date the page showed, as a form from it (or a link) sent them."""
    grant = str(sent.get(prefix + "grant", ""))
    as_of = _date(str(sent.get(prefix + "as_of", "")))
    return {"grant_id": int(grant) if grant.isdigit() else None, "as_of": as_of}


def _budget_url(access: Access, grant_id: int | None, as_of: date | None) -> str:
    url = f"/projects/{access.project_id}/budget"
    params = [f"grant={grant_id}" if grant_id else "", f"as_of={as_of}" if as_of else ""]
    query = "&".join(p for p in params if p)
    return f"{url}?{query}" if query else url


def _main(
    request: Request, session: Session, access: Access, view: dict[str, Any], message: str
) -> Response:
    """After a write to an expenditure: the page's main section again (htmx), or back to the
    page at its list of expenditures."""
    url = _budget_url(access, view["grant_id"], view["as_of"]) + "#udgifter"
    if not is_htmx(request):
        return forms.done(request, url, message)
    context = _overview(session, access, **view)
    return render(
        request, "budget/_main.html", context, headers=forms.announce(message) | MAIN_SECTION
    )


@router.post(BUDGET + "/expenditures")
def record_expenditure(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    view = _view_args(form)
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ExpenditureCreate, form)
        expense = service.record_expenditure(session=session, by=access, data=data)
    if outcome.failed:
        context = _overview(session, access, **view, **outcome.context(form))
        partial = "budget/_expenditure_form.html"
        return forms.refused(request, "budget/overview.html", context, outcome, partial=partial)
    view["grant_id"] = view["grant_id"] or expense.grant_id
    return _main(request, session, access, view, "Udgiften er registreret.")


def _expense_context(
    session: Session, access: Access, expenditure_id: int, view: dict[str, Any]
) -> dict[str, Any]:
    """One expenditure's row, or its edit form filled in with what is stored."""
    e = service.get_expenditure(
        session=session, project_id=access.project_id, expenditure_id=expenditure_id
    )
    grants = service.list_grants(session=session, project_id=access.project_id)
    stored = e.model_dump() | {
        "date": e.expense_date,
        "amount": kr_input(e.amount_ore),
        "hours": hours_text(e.hours_hundredths),
        "hourly_rate": kr_input(e.hourly_rate_ore),
    }
    groups = overview.group_names(session=session, project_id=access.project_id)
    corrected = service.corrected_ids(session=session, ids=[expenditure_id])
    context = _base(session, access, e=e, grants=grants, groups=groups, corrected=corrected)
    context |= {"purposes": _purpose_numbers(grants), "as_of": view["as_of"], "values": stored}
    return context | {"view_grant": view["grant_id"] or ""}


@router.get(BUDGET + "/expenditures/{expenditure_id}")
def expenditure_row(
    request: Request, expenditure_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    view = _view_args(request.query_params, prefix="")
    context = _expense_context(session, access, expenditure_id, view)
    return render(request, "budget/_expenditure_row.html", context)


@router.get(BUDGET + "/expenditures/{expenditure_id}/edit")
def edit_expenditure(
    request: Request, expenditure_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    view = _view_args(request.query_params, prefix="")
    context = _expense_context(session, access, expenditure_id, view)
    return render(request, "budget/_expenditure_edit.html", context)


@router.post(BUDGET + "/expenditures/{expenditure_id}")
def save_expenditure(
    request: Request, expenditure_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    view = _view_args(form)
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ExpenditureUpdate, form)
        service.update_expenditure(
            session=session, by=access, expenditure_id=expenditure_id, data=data
        )
    if outcome.failed and is_htmx(request):
        context = _expense_context(session, access, expenditure_id, view)
        return forms.refused(
            request, "budget/_expenditure_edit.html", context | outcome.context(form), outcome
        )
    if outcome.failed:
        # The row is edited in place with htmx only; without it the page says what failed.
        main_error = " ".join(outcome.errors.values())
        context = _overview(session, access, **view, main_error=main_error)
        return render(request, "budget/overview.html", context, status_code=outcome.status_code)
    return _main(request, session, access, view, "Udgiften er rettet.")


@router.post(BUDGET + "/expenditures/{expenditure_id}/delete")
def delete_expenditure(
    request: Request, expenditure_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    # A refusal (a corrected expenditure) is answered beside the button (app/web/errors.py).
    service.delete_expenditure(session=session, by=access, expenditure_id=expenditure_id)
    return _main(request, session, access, _view_args(form), "Udgiften er slettet.")


# Grants and funds --------------------------------------------------------------------------


def _grant_form_context(
    session: Session, access: Access, grant_id: int | None = None
) -> dict[str, Any]:
    """The grant form: empty, or filled in with the grant as stored."""
    funds = service.list_funds(session=session, project_id=access.project_id)
    context = _base(session, access, funds=funds, categories=list(models.CostCategory))
    if grant_id is None:
        return context
    view = service.get_grant(session=session, project_id=access.project_id, grant_id=grant_id)
    g = view.grant
    purposes = "\n".join(p.text for p in view.purposes)
    values = g.model_dump() | {"amount": kr_input(g.amount_ore), "purposes": purposes}
    for c in view.categories:
        values[f"cat_{c.category.value}"] = "on"
        values[f"condition_{c.category.value}"] = c.condition
    return context | {"grant": view, "values": values}


def _grant_lists(form: FormData, view: service.GrantView | None = None) -> dict[str, Any]:
    """The cost categories ticked on the grant form, each with its condition, and its purposes,
    one a line (in an edit, line n keeps and renames the grant's n-th purpose)."""
    lines = [line.strip() for line in str(form.get("purposes", "")).splitlines() if line.strip()]
    kept = view.purposes if view else []
    return {
        "eligible_categories": [
            {"category": c.value, "condition": str(form.get(f"condition_{c.value}", "")).strip()}
            for c in models.CostCategory
            if form.get(f"cat_{c.value}")
        ],
        "purposes": [
            {"id": kept[i].id, "text": text} if i < len(kept) else {"text": text}
            for i, text in enumerate(lines)
        ]
        if view
        else lines,
    }


@router.get(BUDGET + "/grants/new")
def new_grant(request: Request, access: ProjectLeader, session: SessionDep) -> Response:
    return render(request, "budget/grant_form.html", _grant_form_context(session, access))


@router.post(BUDGET + "/grants")
def create_grant(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.GrantCreate, form, **_grant_lists(form))
        view = service.create_grant(session=session, by=access, data=data)
    if outcome.failed:
        context = _grant_form_context(session, access) | outcome.context(form)
        return forms.refused(request, "budget/grant_form.html", context, outcome)
    return forms.done(
        request, _budget_url(access, view.grant.id, None), "Tilskuddet er registreret."
    )


@router.get(BUDGET + "/grants/{grant_id}/edit")
def edit_grant(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    context = _grant_form_context(session, access, grant_id)
    return render(request, "budget/grant_form.html", context)


@router.post(BUDGET + "/grants/{grant_id}")
def save_grant(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    view = service.get_grant(session=session, project_id=access.project_id, grant_id=grant_id)
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.GrantUpdate, form, **_grant_lists(form, view))
        service.update_grant(session=session, by=access, grant_id=grant_id, data=data)
    if outcome.failed:
        context = _grant_form_context(session, access, grant_id) | outcome.context(form)
        return forms.refused(request, "budget/grant_form.html", context, outcome)
    return forms.done(request, _budget_url(access, grant_id, None), "Tilskuddet er gemt.")


@router.post(BUDGET + "/grants/{grant_id}/delete")
def delete_grant(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        service.delete_grant(session=session, by=access, grant_id=grant_id)
    if outcome.failed:
        context = _grant_form_context(session, access, grant_id) | outcome.context()
        return forms.refused(request, "budget/grant_form.html", context, outcome)
    return forms.done(request, BUDGET.format(**request.path_params), "Tilskuddet er slettet.")


def _funds_context(session: Session, access: Access, edit: int | None = None) -> dict[str, Any]:
    """The funds, and the form: empty, or filled in with the fund being edited as stored."""
    funds = service.list_funds(session=session, project_id=access.project_id)
    grants = service.list_grants(session=session, project_id=access.project_id)
    context = _base(session, access, funds=funds, grants=grants)
    if edit is None or not access.leads:
        return context
    fund = service.get_fund(session=session, project_id=access.project_id, fund_id=edit)
    values = fund.model_dump() | {"pool": kr_input(fund.pool_ore)}
    return context | {"editing": fund, "values": values}


@router.get(FUNDS)
def funds_page(
    request: Request, access: ProjectAccess, session: SessionDep, edit: int | None = None
) -> Response:
    return render(request, "budget/funds.html", _funds_context(session, access, edit))


@router.post(FUNDS)
def create_fund(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        service.create_fund(session=session, by=access, data=forms.read(schemas.FundCreate, form))
    if outcome.failed:
        context = _funds_context(session, access) | outcome.context(form)
        return forms.refused(request, "budget/funds.html", context, outcome)
    return forms.done(request, FUNDS.format(**request.path_params), "Puljen er registreret.")


@router.post(FUNDS + "/{fund_id}")
def save_fund(
    request: Request, fund_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.FundUpdate, form)
        service.update_fund(session=session, by=access, fund_id=fund_id, data=data)
    if outcome.failed:
        context = _funds_context(session, access, fund_id) | outcome.context(form)
        return forms.refused(request, "budget/funds.html", context, outcome)
    return forms.done(request, FUNDS.format(**request.path_params), "Puljen er gemt.")


@router.post(FUNDS + "/{fund_id}/delete")
def delete_fund(
    request: Request, fund_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        service.delete_fund(session=session, by=access, fund_id=fund_id)
    if outcome.failed:
        context = _funds_context(session, access) | outcome.context()
        return forms.refused(request, "budget/funds.html", context, outcome)
    return forms.done(request, FUNDS.format(**request.path_params), "Puljen er slettet.")


# The budget of a grant ---------------------------------------------------------------------


def _lines_context(session: Session, access: Access, grant_id: int) -> dict[str, Any]:
    view = service.get_grant(session=session, project_id=access.project_id, grant_id=grant_id)
    lines = service.list_budget_lines(
        session=session, project_id=access.project_id, grant_id=grant_id
    )
    summary = overview.grant_summary(
        session=session, project_id=access.project_id, grant_id=grant_id, as_of=view.grant.last_date
    )
    matrix: dict[tuple[date, str], int] = {}
    for line in lines:
        key = (line.month_date, line.category.value)
        matrix[key] = matrix.get(key, 0) + line.amount_ore
    groups = overview.group_names(session=session, project_id=access.project_id)
    context = _base(session, access, grant=view, lines=lines, matrix=matrix, groups=groups)
    return context | {
        "months": summary.burn.months,
        "purpose_numbers": {p.id: f"Formål {i}" for i, p in enumerate(view.purposes, 1)},
        "categories": [c.category for c in view.categories],
        "total": sum(x.amount_ore for x in lines),
        "values": {"month": view.grant.first_date.strftime("%Y-%m")},
    }


@router.get(LINES)
def budget_lines_page(
    request: Request, grant_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, "budget/budget_lines.html", _lines_context(session, access, grant_id))


@router.post(LINES)
def create_budget_line(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    # A month field sends "2013-02"; the budget line is dated the first of the month.
    month = str(form.get("month", "")).strip()
    first_day = {"month": f"{month}-01"} if len(month) == 7 else {}
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.BudgetLineCreate, form, grant_id=grant_id, **first_day)
        service.create_budget_line(session=session, by=access, data=data)
    if outcome.failed:
        context = _lines_context(session, access, grant_id) | outcome.context(form)
        return forms.refused(request, "budget/budget_lines.html", context, outcome)
    return forms.done(request, LINES.format(**request.path_params), "Budgetlinjen er tilføjet.")


@router.post(LINES + "/{line_id}/delete")
def delete_budget_line(
    request: Request, grant_id: int, line_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    service.delete_budget_line(session=session, by=access, line_id=line_id)
    return RedirectResponse(LINES.format(**request.path_params), status_code=303)


# Grant accounting --------------------------------------------------------------------------


def _statement_context(session: Session, access: Access, grant_id: int) -> dict[str, Any]:
    st = overview.statement(
        session=session, project_id=access.project_id, grant_id=grant_id, made_date=clock.today()
    )
    context = _base(session, access, st=st, materiality=statements.MATERIALITY)
    return context | {"management_statement": statements.MANAGEMENT_STATEMENT}


@router.get(STATEMENT)
def statement_page(
    request: Request, grant_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    context = _statement_context(session, access, grant_id)
    return render(request, "budget/statement.html", context)


@router.post(BUDGET + "/grants/{grant_id}/explanations/{category}")
def save_explanation(
    request: Request,
    grant_id: int,
    category: models.CostCategory,
    access: ProjectLeader,
    session: SessionDep,
    form: FormDep,
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ExplanationIn, form)
        service.set_explanation(
            session=session, by=access, grant_id=grant_id, category=category, data=data
        )
    context = _statement_context(session, access, grant_id) | {"explaining": category}
    context["line"] = next(x for x in context["st"].lines if x.category == category)
    partial = "budget/_statement_line.html"
    if outcome.failed:
        context |= outcome.context(form)
        return forms.refused(request, "budget/statement.html", context, outcome, partial=partial)
    url = STATEMENT.format(**request.path_params) + f"#statement-line-{category.value}"
    return forms.done(request, url, "Forklaringen er gemt.", partial=partial, context=context)


# Reform economy ----------------------------------------------------------------------------


def _economy_context(session: Session, access: Access, edit: int | None = None) -> dict[str, Any]:
    """The register, and the form: empty, or filled in with the entry being edited as stored."""
    areas = economy.director_areas(session=session, project_id=access.project_id)
    entries = economy.list_economy(session=session, project_id=access.project_id)
    rows = economy.economy_overview(session=session, project_id=access.project_id)
    context = _base(session, access, areas=areas, entries=entries, rows=rows)
    context |= {"area_names": {a.id: a.name for a in areas}}
    context["values"] = {"year": clock.today().year, "kind": "cost"}
    entry = next((e for e in entries if e.id == edit), None) if access.leads else None
    if entry is None:
        return context
    expected, realised = kr_input(entry.expected_ore), kr_input(entry.realised_ore)
    values = entry.model_dump() | {"expected": expected, "realised": realised}
    return context | {"editing": entry, "values": values}


@router.get(ECONOMY)
def economy_page(
    request: Request, access: ProjectAccess, session: SessionDep, edit: int | None = None
) -> Response:
    return render(request, "budget/economy.html", _economy_context(session, access, edit))


@router.post(ECONOMY)
def create_economy_entry(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.EconomyCreate, form)
        economy.create_economy_entry(session=session, by=access, data=data)
    if outcome.failed:
        context = _economy_context(session, access) | outcome.context(form)
        return forms.refused(request, "budget/economy.html", context, outcome)
    return forms.done(request, ECONOMY.format(**request.path_params), "Posten er registreret.")


@router.post(ECONOMY + "/{entry_id}")
def save_economy_entry(
    request: Request, entry_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.EconomyUpdate, form)
        economy.update_economy_entry(session=session, by=access, entry_id=entry_id, data=data)
    if outcome.failed:
        context = _economy_context(session, access, entry_id) | outcome.context(form)
        return forms.refused(request, "budget/economy.html", context, outcome)
    return forms.done(request, ECONOMY.format(**request.path_params), "Posten er gemt.")


@router.post(ECONOMY + "/{entry_id}/delete")
def delete_economy_entry(
    request: Request, entry_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    economy.delete_economy_entry(session=session, by=access, entry_id=entry_id)
    return RedirectResponse(ECONOMY.format(**request.path_params), status_code=303)
