"""Pages of the project organisation: the project overview, a new project (from scratch or a
project document), the charter, the organisation chart, and the organisation's pages by name
(their sections: people_views.py, body_views.py).

Every write goes through the form pipeline (app/web/forms.py): htmx gets the section that
changed, or the section with its Danish messages (422, 409 with the stored copy); without htmx
a write redirects back to where the person was and a refusal shows the whole page.
"""

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import UploadFile

from app.auth.models import Role
from app.auth.service import Access, list_users, role_kinds
from app.deps import AdminUser, CurrentUser, ProjectAccess, ProjectLeader, SessionDep
from app.errors import InvalidDocument
from app.governance import bodies, mandates, organisation, people, projects, schemas
from app.governance.body_views import bodies_context, mandates_context
from app.governance.models import BODY_KIND_LABELS
from app.governance.people_views import PEOPLE, people_context
from app.governance.shared_views import ORG, org_url, page_context
from app.projectdoc import document as projectdoc
from app.projecttemplates.views import from_template_context
from app.web import forms
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import render

router = APIRouter()
MAX_DOCUMENT_BYTES = 5_000_000
# Projects per page of the overview, as on the directorate dashboard.
PROJECTS_PER_PAGE = 25


# Projects ---------------------------------------------------------------------------------------


@router.get("/")
def project_overview(
    request: Request, user: CurrentUser, session: SessionDep, page: int = 1
) -> Response:
    if not user.is_admin and role_kinds(session=session, user=user) == {Role.directorate}:
        # The directorate follows projects through the dashboard and the issued reports.
        return RedirectResponse("/dashboard", status_code=303)
    paging = Page(number=page, size=PROJECTS_PER_PAGE)
    found, total = projects.visible_projects(
        session=session, user=user, offset=paging.offset, limit=paging.size
    )
    context = {"projects": found, "paging": paging.with_total(total)}
    return render(request, "projects/overview.html", context)


def _new_project_context(session: Session, **values: Any) -> dict[str, Any]:
    return {
        "users": [u for u in list_users(session=session) if u.is_active],
        "values": {"with_standard_bodies": True},
        "errors": {},
        "document_errors": [],
        **from_template_context(session),  # the third way: from a template (app/projecttemplates)
    } | values


@router.get("/projects/new")
def new_project(request: Request, _admin: AdminUser, session: SessionDep) -> Response:
    """The administrator's page for a new project: from scratch or from a project document."""
    return render(request, "governance/project_new.html", _new_project_context(session))


@router.post("/projects/new")
def create_project(
    request: Request, form: FormDep, admin: AdminUser, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ProjectCreate, form)
        project = projects.create_project(session=session, by=admin, data=data)
    if outcome.failed:
        context = _new_project_context(session, **outcome.context(form))
        return forms.refused(request, "governance/project_new.html", context, outcome)
    return forms.done(
        request, f"/projects/{project.id}/organisation", f"Projektet »{project.name}« er oprettet."
    )


def _read_document(upload: Any) -> tuple[Any, list[dict[str, str]]]:
    """The uploaded project document as JSON, or what is wrong with the file."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None, [{"path": "$", "message": "Vælg en fil med et projektdokument (JSON)."}]
    raw = upload.file.read(MAX_DOCUMENT_BYTES + 1)
    if len(raw) > MAX_DOCUMENT_BYTES:
        return None, [{"path": "$", "message": "Filen er for stor (højst 5 MB)."}]
    try:
        return json.loads(raw.decode("utf-8")), []
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [{"path": "$", "message": f"Filen er ikke gyldig JSON ({exc})."}]


@router.post("/projects/import")
def import_project(
    request: Request, form: FormDep, admin: AdminUser, session: SessionDep
) -> Response:
    """A new project from an uploaded project document (JSON)."""
    data, problems = _read_document(form.get("document"))
    if not problems:
        try:
            project = projectdoc.import_project(session=session, data=data, by=admin)
        except InvalidDocument as exc:
            problems = exc.errors
        else:
            url = f"/projects/{project.id}/organisation"
            return forms.done(request, url, f"Projektet »{project.name}« er indlæst.")
    context = _new_project_context(session, document_errors=problems)
    return render(request, "governance/project_new.html", context, status_code=422)


@router.get("/projects/{project_id}/export")
def export_project(access: ProjectLeader, session: SessionDep) -> Response:
    """The project document as a file to download."""
    project = projects.get_project(session=session, project_id=access.project_id)
    document = projectdoc.export_project(session=session, project=project)
    disposition = f'attachment; filename="projekt-{project.id}.json"'
    return JSONResponse(document, headers={"Content-Disposition": disposition})


# Charter ----------------------------------------------------------------------------------------


def _charter_context(session: Session, access: Access) -> dict[str, Any]:
    """The charter, with the director areas and how far the steering group's mandate is met."""
    areas = people.director_areas(session=session, project_id=access.project_id)
    every = mandates.mandates(session=session, project_id=access.project_id)
    context = page_context(session, access, section="charter", areas=areas, mandates=every)
    context["org_changes"] = organisation.change_log(session=session, project_id=access.project_id)
    context["governing"] = [
        (role, bodies.find_governing_body(session=session, project=context["project"], role=role))
        for role in bodies.GOVERNING_ROLES
    ]
    return context


def _charter_form_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    """The charter's form: the page context, with the bodies that may approve and receive."""
    listed = bodies.bodies(session=session, project_id=access.project_id)
    return page_context(
        session,
        access,
        section="charter",
        governing_roles=bodies.GOVERNING_ROLES,
        body_choices=[(b.id, f"{b.name} ({BODY_KIND_LABELS[b.kind].lower()})") for b in listed],
        **values,
    )


@router.get(ORG + "/edit")
def edit_charter(request: Request, access: ProjectLeader, session: SessionDep) -> Response:
    context = _charter_form_context(session, access, errors={})
    context["values"] = context["project"].model_dump()
    return render(request, "governance/charter_edit.html", context)


@router.post(ORG + "/edit")
def save_charter(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        projects.update_project(
            session=session, by=access, data=forms.read(schemas.ProjectUpdate, form)
        )
    if outcome.failed:
        context = _charter_form_context(session, access, **outcome.context(form))
        context.setdefault("values", context["project"].model_dump())
        return forms.refused(request, "governance/charter_edit.html", context, outcome)
    return forms.done(request, org_url(access), "Kommissoriet er gemt.")


# Organisation chart -----------------------------------------------------------------------------


def _chart_context(session: Session, access: Access) -> dict[str, Any]:
    """The organisation chart (the seed's appendix 2): bodies, members and reporting lines."""
    roots = bodies.organisation_tree(session=session, project_id=access.project_id)
    areas = people.director_areas(session=session, project_id=access.project_id)
    return page_context(
        session, access, section="chart", roots=roots, areas={a.id: a.name for a in areas}
    )


# The organisation's pages, by the last part of their path: the template and what it shows.
PAGES: dict[str, tuple[str, Callable[[Session, Access], dict[str, Any]]]] = {
    "organisation": ("governance/organisation.html", _charter_context),
    "people": (PEOPLE, people_context),
    "bodies": ("governance/bodies.html", bodies_context),
    "mandates": ("governance/mandates.html", mandates_context),
    "chart": ("governance/chart.html", _chart_context),
}


@router.get(ORG)
@router.get(ORG + "/people")
@router.get(ORG + "/bodies")
@router.get(ORG + "/mandates")
@router.get(ORG + "/chart")
def organisation_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """A page of the organisation: the charter, people, bodies, mandates or the chart."""
    template, context = PAGES[request.url.path.rsplit("/", 1)[-1]]
    return render(request, template, context(session, access))
