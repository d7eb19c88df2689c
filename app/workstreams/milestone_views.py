"""The milestones page: every milestone with its slippage against the baseline, filtered by
group, with rows edited in place (htmx) and a form to add one."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.auth.service import Access
from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.errors import Forbidden
from app.governance.bodies import implementation_groups
from app.web import forms
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import render
from app.workstreams import milestones, schemas
from app.workstreams.views import base_context, group_options, refusal, row_refused

router = APIRouter(include_in_schema=False)

MILESTONE_ROW = "workstreams/_milestone_row.html"
MILESTONES = "workstreams/milestones.html"
# Rows per page: what a person reads at once (and what keeps a page's cost flat, bench/README.md).
MILESTONES_PER_PAGE = 50


@router.get("/projects/{project_id}/milestones")
def milestones_page(
    request: Request, access: ProjectAccess, session: SessionDep, group: str = "", page: int = 1
) -> Response:
    return render(request, MILESTONES, _milestones_context(session, access, group=group, page=page))


def _milestones_context(
    session: Session, access: Access, *, group: str = "", page: int = 1
) -> dict[str, Any]:
    project_id = access.project_id
    groups = implementation_groups(session=session, project_id=project_id)
    paging = Page(number=page, size=MILESTONES_PER_PAGE)
    views, total = milestones.list_milestones(
        session=session,
        project_id=project_id,
        group_id=int(group) if group.isdigit() else None,
        project_wide=group == "projekt",
        offset=paging.offset,
        limit=paging.size,
        group_names={g.id: g.name for g in groups if g.id is not None},
    )
    creatable = group_options(access, groups)
    return base_context(session, access) | {
        "milestones": views,
        "groups": groups,
        "group_filter": group,
        "paging": paging.with_total(total),
        "editable": {v.milestone.id for v in views if access.can_edit_group(v.milestone.group_id)},
        "creatable_groups": creatable,
        "can_create_project_wide": access.leads,
        "can_create": bool(creatable) or access.leads,
    }


def _milestone_context(
    session: Session, access: Access, *, milestone_id: int, mode: str = "view"
) -> dict[str, Any]:
    view = milestones.milestone_view(
        session=session, project_id=access.project_id, milestone_id=milestone_id
    )
    return base_context(session, access) | {
        "v": view,
        "mode": mode,
        "can_edit": access.can_edit_group(view.milestone.group_id),
    }


@router.get("/projects/{project_id}/milestones/{milestone_id}/row")
def milestone_row(
    request: Request, milestone_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(
        request, MILESTONE_ROW, _milestone_context(session, access, milestone_id=milestone_id)
    )


@router.get("/projects/{project_id}/milestones/{milestone_id}/edit")
def milestone_edit(
    request: Request, milestone_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    m = milestones.get_milestone(
        session=session, project_id=access.project_id, milestone_id=milestone_id
    )
    if not access.can_edit_group(m.group_id):
        raise Forbidden(milestones.MILESTONE_REFUSED)
    context = _milestone_context(session, access, milestone_id=milestone_id, mode="edit")
    return render(request, MILESTONE_ROW, context)


@router.post("/projects/{project_id}/milestones/{milestone_id}")
def update_milestone(
    request: Request, milestone_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Save a milestone edited in its row; the row shows the new slippage at once."""
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.MilestoneUpdate, form, version=version)
        milestones.update_milestone(
            session=session, by=access, milestone_id=milestone_id, data=data
        )
    mode = "edit" if outcome.failed else "view"
    context = _milestone_context(session, access, milestone_id=milestone_id, mode=mode)
    if outcome.failed:
        return row_refused(request, context | outcome.context(form), outcome, MILESTONE_ROW)
    url = f"/projects/{access.project_id}/milestones#milestone-{milestone_id}"
    message, event = "Milepælen er gemt.", "milestone.updated"
    return forms.done(request, url, message, partial=MILESTONE_ROW, context=context, event=event)


@router.post("/projects/{project_id}/milestones")
def create_milestone(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MilestoneCreate, form)
        m = milestones.create_milestone(session=session, by=access, data=data)
    if outcome.failed:
        context = _milestones_context(session, access) | refusal(outcome, form, "milestone")
        new = "workstreams/_milestone_new.html"
        return forms.refused(request, MILESTONES, context, outcome, partial=new)
    url = f"/projects/{access.project_id}/milestones#milestone-{m.id}"
    return forms.done(request, url, "Milepælen er tilføjet.")


@router.post("/projects/{project_id}/milestones/{milestone_id}/delete")
def delete_milestone(
    request: Request, milestone_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    milestones.delete_milestone(
        session=session,
        by=access,
        milestone_id=milestone_id,
        version=forms.form_version(form.getlist("version")),
    )
    return forms.done(request, f"/projects/{access.project_id}/milestones", "Milepælen er slettet.")
