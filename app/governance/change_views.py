"""Pages of the organisation's dated changes: the changes' own page (paged, of one body or all),
and registering or deleting a change written by hand. The organisation page and a body's page
show the newest changes through the same partial (templates/governance/_changes.html).

Every write goes through the form pipeline (app/web/forms.py), as on every organisation page.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.service import Access
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.governance import changes, organisation, schemas
from app.governance.bodies import get_body
from app.governance.shared_views import ORG, answer, optional_id, org_url, page_context, refusal
from app.web import forms
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()

PAGE = "governance/changes.html"
PARTIAL = "governance/_changes.html"
# Changes per page of their own page.
PER_PAGE = 25


def changes_context(
    session: Session,
    access: Access,
    *,
    body_id: int | None = None,
    page: int | None = None,
    **values: Any,
) -> dict[str, Any]:
    """The changes' section: the newest few (`page` None, as the organisation page and a body's
    page show them), or a page of them (the changes' own page); of one body when `body_id`."""
    body = (
        get_body(session=session, project_id=access.project_id, body_id=body_id)
        if body_id is not None
        else None
    )
    paging = Page(number=page or 1, size=PER_PAGE) if page is not None else None
    log = organisation.change_log(
        session=session,
        project_id=access.project_id,
        body=body,
        offset=paging.offset if paging else 0,
        limit=paging.size if paging else organisation.CHANGES_SHOWN,
    )
    return {
        "org_changes": log,
        "changes_paging": paging.with_total(log.total) if paging else None,
    } | values


def _page_context(
    session: Session, access: Access, body_id: int | None, page: int | None, **values: Any
) -> dict[str, Any]:
    context = changes_context(session, access, body_id=body_id, page=page)
    return page_context(session, access, section="charter", **(context | values))


@router.get(ORG + "/changes")
def changes_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    body_id: str = "",
    page: int = 1,
    shown: str = "",
) -> Response:
    """The organisation's changes, newest first, a page at a time (of one body with body_id);
    for htmx the section alone (`shown=few`: the newest few, as on the organisation's pages)."""
    few = shown == "few"
    context = _page_context(session, access, optional_id(body_id), None if few else page)
    return render(request, PARTIAL if is_htmx(request) else PAGE, context)


def _scope(form: FormData) -> tuple[int | None, int | None]:
    """Which section the form was sent from: the body whose page it is on (`scope_body_id`) and
    whether the section was paged (the changes' own page) or showed the newest few."""
    body_id = optional_id(str(form.get("scope_body_id") or ""))
    return body_id, (1 if form.get("shown") == "paged" else None)


def _back(access: Access, form: FormData) -> str:
    """Where the person was: the changes' page, a body's page or the organisation page."""
    body_id, page = _scope(form)
    if page is not None:
        return org_url(access, "/changes" + (f"?body_id={body_id}" if body_id else ""))
    if body_id is not None:
        return org_url(access, f"/bodies/{body_id}#org-changes")
    return org_url(access, "#org-changes")


@router.post(ORG + "/changes")
def create_change(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.OrganisationChangeCreate, form)
        changes.create_change(session=session, by=access, data=data)
    body_id, page = _scope(form)
    context = _page_context(session, access, body_id, page, **refusal(outcome, form, "change"))
    message = "Ændringen er registreret."
    return answer(request, outcome, context, PAGE, PARTIAL, _back(access, form), message)


@router.post(ORG + "/changes/{change_id}/delete")
def delete_change(
    request: Request, form: FormDep, change_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        changes.delete_change(session=session, by=access, change_id=change_id)
    body_id, page = _scope(form)
    context = _page_context(session, access, body_id, page, **refusal(outcome, form, "change"))
    message = "Ændringen er slettet."
    return answer(request, outcome, context, PAGE, PARTIAL, _back(access, form), message)
