"""Pages of the budget: the overview with the burn chart and the expenditure form, grants and
funds, the budget of a grant, the grant accounting and the reform economy register.

Every form goes through app/web/forms.py: read into the API's schema (amounts typed the Danish
way), refused with the form again and its Danish messages (422/409), or answered with the section
that changed (htmx) or a redirect back to the page.
"""

from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app import clock
from app.auth.service import Access
from app.budget import (
    charts,
    economy,
    expenditures,
    funds,
    grants,
    lines,
    models,
    overview,
    reads,
    schemas,
    statements,
)
from app.budget.money import hours_text
from app.charts import page_json
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.governance.projects import get_project
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


def _read(session: Session, access: Access, read: Any) -> dict[str, Any]:
    """The page's context: the base and a read model's fields (named as the template names
    them)."""
    return _base(session, access, **{f.name: getattr(read, f.name) for f in fields(read)})


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
    """The budget page's context, for one selected grant on one date (its expenditures a page
    at a time)."""
    paging = Page(number=page, size=EXPENSES_PER_PAGE)
    read = reads.budget_page(
        session=session,
        project_id=access.project_id,
        grant_id=grant_id,
        as_of=as_of or clock.today(),
        offset=paging.offset,
        limit=paging.size,
    )
    selected, context = read.selected, _read(session, access, read)
    context["paging"] = paging.with_total(read.expense_count)
    context["chart_json"] = page_json(charts.burn_chart(selected.burn)) if selected else None
    context["view_grant"] = selected.view.grant.id if selected else ""
    return context | {"values": read.new_expense} | values


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
        context |= reads.correction(
            session=session, project_id=access.project_id, of=korriger, day=context["as_of"]
        )
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
    context, headers = _overview(session, access, **view), forms.announce(message) | MAIN_SECTION
    return render(request, "budget/_main.html", context, headers=headers)


@router.post(BUDGET + "/expenditures")
def record_expenditure(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    view = _view_args(form)
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ExpenditureCreate, form)
        expense = expenditures.record_expenditure(session=session, by=access, data=data)
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
    read = reads.expense_row(
        session=session, project_id=access.project_id, expenditure_id=expenditure_id
    )
    context = _read(session, access, read)
    return context | {"as_of": view["as_of"], "view_grant": view["grant_id"] or ""}


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
        expenditures.update_expenditure(
            session=session, by=access, expenditure_id=expenditure_id, data=data
        )
    if outcome.failed and is_htmx(request):
        context = _expense_context(session, access, expenditure_id, view) | outcome.context(form)
        return forms.refused(request, "budget/_expenditure_edit.html", context, outcome)
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
    expenditures.delete_expenditure(
        session=session,
        by=access,
        expenditure_id=expenditure_id,
        version=forms.form_version(form.getlist("version")),
    )
    return _main(request, session, access, _view_args(form), "Udgiften er slettet.")


# Grants and funds --------------------------------------------------------------------------


def _grant_form_context(
    session: Session, access: Access, grant_id: int | None = None
) -> dict[str, Any]:
    """The grant form: empty, or filled in with the grant as stored."""
    form = reads.grant_form(session=session, project_id=access.project_id, grant_id=grant_id)
    return _read(session, access, form)


def _grant_lists(form: FormData, view: grants.GrantView | None = None) -> dict[str, Any]:
    """The cost categories ticked on the grant form, each with its condition and the kinds of
    activity it names, and its purposes, one a line (in an edit, line n keeps and renames the
    grant's n-th purpose)."""
    texts = [line.strip() for line in str(form.get("purposes", "")).splitlines() if line.strip()]
    kept = view.purposes if view else []
    return {
        "eligible_categories": [
            {
                "category": c.value,
                "condition": str(form.get(f"condition_{c.value}", "")).strip(),
                "activity_kind_ids": [
                    int(str(k)) for k in form.getlist(f"kinds_{c.value}") if str(k).isdigit()
                ],
            }
            for c in models.CostCategory
            if form.get(f"cat_{c.value}")
        ],
        "purposes": [
            {"id": kept[i].id, "text": text} if i < len(kept) else {"text": text}
            for i, text in enumerate(texts)
        ]
        if view
        else texts,
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
        view = grants.create_grant(session=session, by=access, data=data)
    if outcome.failed:
        context = _grant_form_context(session, access) | outcome.context(form)
        return forms.refused(request, "budget/grant_form.html", context, outcome)
    url = _budget_url(access, view.grant.id, None)
    return forms.done(request, url, "Tilskuddet er registreret.")


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
    view = grants.get_grant(session=session, project_id=access.project_id, grant_id=grant_id)
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.GrantUpdate, form, **_grant_lists(form, view))
        grants.update_grant(session=session, by=access, grant_id=grant_id, data=data)
    if outcome.failed:
        context = _grant_form_context(session, access, grant_id) | outcome.context(form)
        return forms.refused(request, "budget/grant_form.html", context, outcome)
    return forms.done(request, _budget_url(access, grant_id, None), "Tilskuddet er gemt.")


@router.post(BUDGET + "/grants/{grant_id}/delete")
def delete_grant(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        grants.delete_grant(
            session=session,
            by=access,
            grant_id=grant_id,
            version=forms.form_version(form.getlist("version")),
        )
    if outcome.failed:
        context = _grant_form_context(session, access, grant_id) | outcome.context()
        return forms.refused(request, "budget/grant_form.html", context, outcome)
    return forms.done(request, BUDGET.format(**request.path_params), "Tilskuddet er slettet.")


def _funds_context(session: Session, access: Access, edit: int | None = None) -> dict[str, Any]:
    """The funds, and the form: empty, or filled in with the fund being edited as stored."""
    edit = edit if access.leads else None
    page = reads.funds_page(session=session, project_id=access.project_id, edit=edit)
    return _read(session, access, page)


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
        funds.create_fund(session=session, by=access, data=forms.read(schemas.FundCreate, form))
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
        funds.update_fund(session=session, by=access, fund_id=fund_id, data=data)
    if outcome.failed:
        context = _funds_context(session, access, fund_id) | outcome.context(form)
        return forms.refused(request, "budget/funds.html", context, outcome)
    return forms.done(request, FUNDS.format(**request.path_params), "Puljen er gemt.")


@router.post(FUNDS + "/{fund_id}/delete")
def delete_fund(
    request: Request, fund_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        funds.delete_fund(
            session=session,
            by=access,
            fund_id=fund_id,
            version=forms.form_version(form.getlist("version")),
        )
    if outcome.failed:
        context = _funds_context(session, access) | outcome.context()
        return forms.refused(request, "budget/funds.html", context, outcome)
    return forms.done(request, FUNDS.format(**request.path_params), "Puljen er slettet.")


# The budget of a grant ---------------------------------------------------------------------


def _lines_context(session: Session, access: Access, grant_id: int) -> dict[str, Any]:
    read = reads.grant_budget(session=session, project_id=access.project_id, grant_id=grant_id)
    return _read(session, access, read)


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
        lines.create_budget_line(session=session, by=access, data=data)
    if outcome.failed:
        context = _lines_context(session, access, grant_id) | outcome.context(form)
        return forms.refused(request, "budget/budget_lines.html", context, outcome)
    return forms.done(request, LINES.format(**request.path_params), "Budgetlinjen er tilføjet.")


@router.post(LINES + "/{line_id}/delete")
def delete_budget_line(
    request: Request,
    grant_id: int,
    line_id: int,
    access: ProjectLeader,
    session: SessionDep,
    form: FormDep,
) -> Response:
    with forms.attempt(session) as outcome:
        lines.delete_budget_line(
            session=session,
            by=access,
            line_id=line_id,
            version=forms.form_version(form.getlist("version")),
        )
    if outcome.failed:
        # E.g. a line changed since the page was shown: the page again, with the message.
        context = _lines_context(session, access, grant_id) | outcome.context()
        return forms.refused(request, "budget/budget_lines.html", context, outcome)
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
    return render(request, "budget/statement.html", _statement_context(session, access, grant_id))


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
        grants.set_explanation(
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
    edit, year = (edit if access.leads else None), clock.today().year
    read = reads.economy_register(
        session=session, project_id=access.project_id, edit=edit, year=year
    )
    return _read(session, access, read)


def _per_year(form: FormData) -> FormData:
    """The form with its amounts per year (one a line in a text area) as one value each; none
    when the area is empty (split evenly)."""
    lines = [t.strip() for t in str(form.get("per_year", "")).splitlines() if t.strip()]
    kept = [(k, v) for k, v in form.multi_items() if k != "per_year"]
    return FormData(kept + [("per_year", line) for line in lines])


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
        data = forms.read(schemas.EconomyCreate, _per_year(form))
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
        data = forms.read(schemas.EconomyUpdate, _per_year(form))
        economy.update_economy_entry(session=session, by=access, entry_id=entry_id, data=data)
    if outcome.failed:
        context = _economy_context(session, access, entry_id) | outcome.context(form)
        return forms.refused(request, "budget/economy.html", context, outcome)
    return forms.done(request, ECONOMY.format(**request.path_params), "Posten er gemt.")


@router.post(ECONOMY + "/{entry_id}/delete")
def delete_economy_entry(
    request: Request, entry_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        economy.delete_economy_entry(
            session=session,
            by=access,
            entry_id=entry_id,
            version=forms.form_version(form.getlist("version")),
        )
    if outcome.failed:
        # E.g. an entry changed since the page was shown: the page again, with the message.
        context = _economy_context(session, access) | outcome.context()
        return forms.refused(request, "budget/economy.html", context, outcome)
    return RedirectResponse(ECONOMY.format(**request.path_params), status_code=303)
