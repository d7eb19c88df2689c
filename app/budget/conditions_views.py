"""Pages of what a grant's conditions are checked against: the project's kinds of activity with
the kind of each meeting, task and external activity, and a grant's funded posts with their
budget, spent and remaining. Included in the budget's page router (app/budget/views.py); forms
go through app/web/forms.py like the budget's other pages."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.auth.service import Access
from app.budget import activities, models, posts, reads, schemas
from app.budget.money import hours_text
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.governance.projects import get_project
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import render

router = APIRouter()
BUDGET = "/projects/{project_id}/budget"
KINDS = BUDGET + "/activity-kinds"
ACTIVITIES = BUDGET + "/activities"
POSTS = BUDGET + "/grants/{grant_id}/posts"


def _context(session: Session, access: Access, read: Any) -> dict[str, Any]:
    return {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "can_edit": access.leads,
        "category_labels": models.CATEGORY_LABELS,
        "hours_text": hours_text,
        "errors": {},
        "values": {},
    } | {name: getattr(read, name) for name in read.__dataclass_fields__}


# Kinds of activity -------------------------------------------------------------------------


def _kinds_context(session: Session, access: Access, edit: int | None = None) -> dict[str, Any]:
    edit = edit if access.leads else None
    page = reads.activities_page(session=session, project_id=access.project_id, edit=edit)
    context = _context(session, access, page)
    return context | {"default_kinds": activities.DEFAULT_KINDS}


def _kinds_url(request: Request) -> str:
    return ACTIVITIES.format(**request.path_params)


@router.get(ACTIVITIES)
def activities_page(
    request: Request, access: ProjectAccess, session: SessionDep, edit: int | None = None
) -> Response:
    return render(request, "budget/activities.html", _kinds_context(session, access, edit))


@router.post(KINDS)
def create_kind(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ActivityKindIn, form)
        activities.create_kind(session=session, by=access, data=data)
    if outcome.failed:
        context = _kinds_context(session, access) | outcome.context(form)
        return forms.refused(request, "budget/activities.html", context, outcome)
    return forms.done(request, _kinds_url(request), "Aktivitetstypen er oprettet.")


@router.post(KINDS + "/defaults")
def create_default_kinds(request: Request, access: ProjectLeader, session: SessionDep) -> Response:
    activities.create_default_kinds(session=session, by=access)
    return forms.done(request, _kinds_url(request), "Standardtyperne er oprettet.")


@router.post(KINDS + "/{kind_id}")
def save_kind(
    request: Request, kind_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ActivityKindUpdate, form)
        activities.update_kind(session=session, by=access, kind_id=kind_id, data=data)
    if outcome.failed:
        context = _kinds_context(session, access, kind_id) | outcome.context(form)
        return forms.refused(request, "budget/activities.html", context, outcome)
    return forms.done(request, _kinds_url(request), "Aktivitetstypen er omdøbt.")


@router.post(KINDS + "/{kind_id}/delete")
def delete_kind(
    request: Request, kind_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        activities.delete_kind(
            session=session,
            by=access,
            kind_id=kind_id,
            version=forms.form_version(form.getlist("version")),
        )
    if outcome.failed:
        context = _kinds_context(session, access) | outcome.context()
        return forms.refused(request, "budget/activities.html", context, outcome)
    return forms.done(request, _kinds_url(request), "Aktivitetstypen er slettet.")


@router.post(ACTIVITIES)
def set_activity_kind(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ActivityTagIn, form)
        found = activities.set_activity_kind(session=session, by=access, data=data)
    if outcome.failed:
        context = _kinds_context(session, access) | outcome.context(form)
        return forms.refused(request, "budget/activities.html", context, outcome)
    anchor = "#activity-" + found.ref.replace(":", "-")
    return forms.done(request, _kinds_url(request) + anchor, "Aktivitetens type er gemt.")


# Funded posts ------------------------------------------------------------------------------


def _posts_context(
    session: Session, access: Access, grant_id: int, edit: int | None = None
) -> dict[str, Any]:
    edit = edit if access.leads else None
    page = reads.posts_page(
        session=session, project_id=access.project_id, grant_id=grant_id, edit=edit
    )
    return _context(session, access, page)


@router.get(POSTS)
def posts_page(
    request: Request,
    grant_id: int,
    access: ProjectAccess,
    session: SessionDep,
    edit: int | None = None,
) -> Response:
    context = _posts_context(session, access, grant_id, edit)
    return render(request, "budget/posts.html", context)


@router.post(POSTS)
def create_post(
    request: Request, grant_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PostCreate, form, grant_id=grant_id)
        posts.create_post(session=session, by=access, data=data)
    if outcome.failed:
        context = _posts_context(session, access, grant_id) | outcome.context(form)
        return forms.refused(request, "budget/posts.html", context, outcome)
    return forms.done(request, POSTS.format(**request.path_params), "Stillingen er oprettet.")


@router.post(POSTS + "/{post_id}")
def save_post(
    request: Request,
    grant_id: int,
    post_id: int,
    access: ProjectLeader,
    session: SessionDep,
    form: FormDep,
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PostUpdate, form)
        posts.update_post(session=session, by=access, post_id=post_id, data=data)
    if outcome.failed:
        context = _posts_context(session, access, grant_id, post_id) | outcome.context(form)
        return forms.refused(request, "budget/posts.html", context, outcome)
    return forms.done(request, POSTS.format(**request.path_params), "Stillingen er gemt.")


@router.post(POSTS + "/{post_id}/delete")
def delete_post(
    request: Request,
    grant_id: int,
    post_id: int,
    access: ProjectLeader,
    session: SessionDep,
    form: FormDep,
) -> Response:
    with forms.attempt(session) as outcome:
        posts.delete_post(
            session=session,
            by=access,
            post_id=post_id,
            version=forms.form_version(form.getlist("version")),
        )
    if outcome.failed:
        context = _posts_context(session, access, grant_id) | outcome.context()
        return forms.refused(request, "budget/posts.html", context, outcome)
    return forms.done(request, POSTS.format(**request.path_params), "Stillingen er slettet.")
