"""Pages of the project organisation: the project overview, a new project, the charter, people
and director areas, bodies with their members, mandates and the organisation chart.

Writes answer htmx with the partial that changed (422 with the form and its Danish messages on
bad input); without htmx they redirect back to the page.
"""

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from app.auth.models import Role
from app.auth.service import Access, list_users, role_kinds
from app.deps import AdminUser, CurrentUser, ProjectAccess, ProjectLeader, SessionDep
from app.errors import Conflict, DomainError, Invalid, InvalidDocument
from app.governance import mandates, service
from app.governance.forms import FormInvalid, form_errors, read_form
from app.governance.models import (
    BODY_KIND_LABELS,
    MANDATE_STATUS_LABELS,
    MEMBER_ROLE_LABELS,
    BodyKind,
    MandateStatus,
    MemberRole,
)
from app.governance.permissions import DECISION_ROLES, FOLLOW_UP_ROLES, MINUTES_ROLES
from app.governance.schemas import (
    BodyCreate,
    BodyUpdate,
    DirectorAreaCreate,
    DirectorAreaUpdate,
    MandateItemCreate,
    MandateItemUpdate,
    MembershipCreate,
    MembershipUpdate,
    PersonCreate,
    PersonUpdate,
    ProjectCreate,
    ProjectUpdate,
)
from app.projectdoc import document as projectdoc
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()
ORG = "/projects/{project_id}/organisation"
CHARTER_TEXT = (
    "municipality",
    "reform",
    "legal_basis",
    "purpose",
    "anchoring",
    "anchoring_decided_by",
    "economy_note",
)
MAX_DOCUMENT_BYTES = 5_000_000
# Projects per page of the overview, as on the directorate dashboard.
PROJECTS_PER_PAGE = 25


def page_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    """What every organisation page needs: the project, the caller's access and what they may do."""
    return {
        "project": service.get_project(session, project_id=access.project_id),
        "access": access,
        "can_organise": access.leads,
        "can_meet": access.has(Role.secretariat, Role.project_leader),
        "can_minute": access.has(*MINUTES_ROLES),
        "can_decide": access.has(*DECISION_ROLES),
        "can_follow_up": access.has(*FOLLOW_UP_ROLES),
        "kind_labels": BODY_KIND_LABELS,
        "role_labels": MEMBER_ROLE_LABELS,
        "status_labels": MANDATE_STATUS_LABELS,
    } | values


def flash(message: str) -> dict[str, str]:
    """Headers that make app.js show a short confirmation after an htmx swap."""
    return {"HX-Trigger": json.dumps({"flash": message})}


def back(request: Request, url: str) -> Response:
    """After a write: htmx is sent to the page (HX-Redirect), a plain form is redirected."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def error_status(exc: FormInvalid | DomainError) -> int:
    return exc.status_code if isinstance(exc, DomainError) else 422


# Projects ---------------------------------------------------------------------------------------


@router.get("/")
def project_overview(
    request: Request, user: CurrentUser, session: SessionDep, page: int = 1
) -> Response:
    if not user.is_admin and role_kinds(session, user=user) == {Role.directorate}:
        # The directorate follows projects through the dashboard and the issued reports.
        return RedirectResponse("/dashboard", status_code=303)
    paging = Page(number=page, size=PROJECTS_PER_PAGE)
    projects, total = service.visible_projects(
        session, user=user, offset=paging.offset, limit=paging.size
    )
    return render(
        request,
        "projects/overview.html",
        {"projects": projects, "paging": paging.with_total(total)},
    )


def _new_project_page(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    document_errors: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    users = [u for u in list_users(session) if u.is_active]
    return render(
        request,
        "governance/project_new.html",
        {
            "users": users,
            "values": values or {"with_standard_bodies": True},
            "errors": errors or {},
            "document_errors": document_errors or [],
        },
        status_code=status_code,
    )


@router.get("/projects/new")
def new_project(request: Request, _admin: AdminUser, session: SessionDep) -> Response:
    """The administrator's page for a new project: from scratch or from a project document."""
    return _new_project_page(request, session)


@router.post("/projects/new")
def create_project(
    request: Request, form: FormDep, admin: AdminUser, session: SessionDep
) -> Response:
    try:
        data = read_form(form, ProjectCreate, checkboxes=("with_standard_bodies",))
        project = service.create_project(session, by=admin, data=data)
    except (FormInvalid, Invalid) as exc:
        session.rollback()
        values = exc.values if isinstance(exc, FormInvalid) else dict(form)
        return _new_project_page(
            request, session, values=values, errors=form_errors(exc), status_code=422
        )
    return RedirectResponse(f"/projects/{project.id}/organisation", status_code=303)


@router.post("/projects/import")
def import_project(
    request: Request, form: FormDep, admin: AdminUser, session: SessionDep
) -> Response:
    """A new project from an uploaded project document (JSON)."""
    upload = form.get("document")
    problems: list[dict[str, str]] = []
    data: Any = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems = [{"path": "$", "message": "Vælg en fil med et projektdokument (JSON)."}]
    else:
        raw = upload.file.read(MAX_DOCUMENT_BYTES + 1)
        if len(raw) > MAX_DOCUMENT_BYTES:
            problems = [{"path": "$", "message": "Filen er for stor (højst 5 MB)."}]
        else:
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems = [{"path": "$", "message": f"Filen er ikke gyldig JSON ({exc})."}]
    if not problems:
        try:
            project = projectdoc.import_project(session, data=data, by=admin)
        except InvalidDocument as exc:
            problems = exc.errors
        else:
            return RedirectResponse(f"/projects/{project.id}/organisation", status_code=303)
    return _new_project_page(request, session, document_errors=problems, status_code=422)


@router.get("/projects/{project_id}/export")
def export_project(access: ProjectLeader, session: SessionDep) -> Response:
    """The project document as a file to download."""
    project = service.get_project(session, project_id=access.project_id)
    document = projectdoc.export_project(session, project=project)
    return JSONResponse(
        document,
        headers={"Content-Disposition": f'attachment; filename="projekt-{project.id}.json"'},
    )


# Charter ----------------------------------------------------------------------------------------


@router.get(ORG)
def organisation(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """The charter, with the director areas and how far the steering group's mandate is met."""
    return render(
        request,
        "governance/organisation.html",
        page_context(
            session,
            access,
            section="charter",
            areas=service.director_areas(session, project_id=access.project_id),
            mandates=mandates.mandates(session, project_id=access.project_id),
        ),
    )


@router.get(ORG + "/edit")
def edit_charter(request: Request, access: ProjectLeader, session: SessionDep) -> Response:
    context = page_context(session, access, section="charter", errors={})
    context["values"] = context["project"].model_dump()
    return render(request, "governance/charter_edit.html", context)


@router.post(ORG + "/edit")
def save_charter(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = read_form(form, ProjectUpdate)
        service.update_project(session, by=access, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        values = dict(form)
        return render(
            request,
            "governance/charter_edit.html",
            page_context(
                session, access, section="charter", values=values, errors=form_errors(exc)
            ),
            status_code=error_status(exc),
        )
    return RedirectResponse(f"/projects/{access.project_id}/organisation", status_code=303)


# Director areas and people ----------------------------------------------------------------------


def _people_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    return (
        page_context(
            session,
            access,
            section="people",
            areas=service.director_areas(session, project_id=access.project_id),
            people=service.people(session, project_id=access.project_id),
            seats=service.memberships_of_people(session, project_id=access.project_id),
            errors={},
            values={},
            area_errors={},
            area_values={},
        )
        | values
    )


@router.get(ORG + "/people")
def people_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    return render(request, "governance/people.html", _people_context(session, access))


@router.post(ORG + "/director-areas")
def create_director_area(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = read_form(form, DirectorAreaCreate)
        area = service.create_director_area(session, by=access, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_areas.html",
            _people_context(
                session,
                access,
                area_errors=form_errors(exc),
                area_values=dict(form),
            ),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/people")
    return render(
        request,
        "governance/_areas.html",
        _people_context(session, access),
        headers=flash(f"Direktørområdet »{area.name}« er oprettet."),
    )


@router.get(ORG + "/director-areas/{area_id}")
def area_row(
    request: Request, area_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    area = service.get_director_area(session, project_id=access.project_id, area_id=area_id)
    return render(request, "governance/_area_row.html", page_context(session, access, area=area))


@router.get(ORG + "/director-areas/{area_id}/edit")
def edit_area(
    request: Request, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    area = service.get_director_area(session, project_id=access.project_id, area_id=area_id)
    return render(
        request,
        "governance/_area_edit.html",
        page_context(session, access, area=area, values=area.model_dump(), errors={}),
    )


@router.post(ORG + "/director-areas/{area_id}")
def save_area(
    request: Request, form: FormDep, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = read_form(form, DirectorAreaUpdate)
        area = service.update_director_area(session, by=access, area_id=area_id, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        area = service.get_director_area(session, project_id=access.project_id, area_id=area_id)
        return render(
            request,
            "governance/_area_edit.html",
            page_context(
                session,
                access,
                area=area,
                values=dict(form),
                errors=form_errors(exc),
            ),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/people")
    return render(
        request,
        "governance/_area_row.html",
        page_context(session, access, area=area),
        headers=flash("Direktørområdet er gemt."),
    )


@router.post(ORG + "/director-areas/{area_id}/delete")
def delete_area(
    request: Request, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        service.delete_director_area(session, by=access, area_id=area_id)
    except Conflict as exc:
        session.rollback()
        return render(
            request,
            "governance/_areas.html",
            _people_context(session, access, area_errors={"form": exc.message}),
            status_code=409,
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/people")
    return render(
        request,
        "governance/_areas.html",
        _people_context(session, access),
        headers=flash("Direktørområdet er slettet."),
    )


@router.post(ORG + "/people")
def create_person(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = read_form(form, PersonCreate)
        person = service.create_person(session, by=access, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_people.html",
            _people_context(session, access, errors=form_errors(exc), values=dict(form)),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/people")
    return render(
        request,
        "governance/_people.html",
        _people_context(session, access),
        headers=flash(f"{person.name} er tilføjet."),
    )


def _person_context(
    session: Session, access: Access, person_id: int, **values: Any
) -> dict[str, Any]:
    person = service.get_person(session, project_id=access.project_id, person_id=person_id)
    return (
        page_context(
            session,
            access,
            person=person,
            areas=service.director_areas(session, project_id=access.project_id),
            seats=service.memberships_of_people(session, project_id=access.project_id),
            values=person.model_dump(),
            errors={},
        )
        | values
    )


@router.get(ORG + "/people/{person_id}")
def person_row(
    request: Request, person_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(
        request, "governance/_person_row.html", _person_context(session, access, person_id)
    )


@router.get(ORG + "/people/{person_id}/edit")
def edit_person(
    request: Request, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    return render(
        request, "governance/_person_edit.html", _person_context(session, access, person_id)
    )


@router.post(ORG + "/people/{person_id}")
def save_person(
    request: Request, form: FormDep, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = read_form(form, PersonUpdate)
        service.update_person(session, by=access, person_id=person_id, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_person_edit.html",
            _person_context(
                session,
                access,
                person_id,
                values=dict(form),
                errors=form_errors(exc),
            ),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/people")
    return render(
        request,
        "governance/_person_row.html",
        _person_context(session, access, person_id),
        headers=flash("Personen er gemt."),
    )


@router.post(ORG + "/people/{person_id}/delete")
def delete_person(
    request: Request, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        service.delete_person(session, by=access, person_id=person_id)
    except Conflict as exc:
        session.rollback()
        return render(
            request,
            "governance/_people.html",
            _people_context(session, access, errors={"form": exc.message}),
            status_code=409,
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/people")
    return render(
        request,
        "governance/_people.html",
        _people_context(session, access),
        headers=flash("Personen er slettet."),
    )


# Bodies and members -----------------------------------------------------------------------------


def _bodies_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    bodies = service.bodies(session, project_id=access.project_id)
    return (
        page_context(
            session,
            access,
            section="bodies",
            bodies=bodies,
            by_id={b.id: b for b in bodies},
            counts={m.body.id: m for m in mandates.mandates(session, project_id=access.project_id)},
            members={b.id: service.members_with_people(session, body_id=b.id or 0) for b in bodies},
            kinds=list(BodyKind),
            errors={},
            values={"reports_to_id": "auto"},
        )
        | values
    )


@router.get(ORG + "/bodies")
def bodies_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    return render(request, "governance/bodies.html", _bodies_context(session, access))


def _body_form(form: FormData, schema: type[BodyCreate] | type[BodyUpdate]) -> Any:
    """The body form; the reporting line "auto" means the usual one (the field left out)."""
    skip = ("reports_to_id",) if form.get("reports_to_id") == "auto" else ()
    return read_form(form, schema, skip=skip)


@router.post(ORG + "/bodies")
def create_body(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = _body_form(form, BodyCreate)
        body = service.create_body(session, by=access, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_bodies.html",
            _bodies_context(session, access, errors=form_errors(exc), values=dict(form)),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/bodies")
    return render(
        request,
        "governance/_bodies.html",
        _bodies_context(session, access),
        headers=flash(f"»{body.name}« er oprettet."),
    )


def _body_context(session: Session, access: Access, body_id: int, **values: Any) -> dict[str, Any]:
    body = service.get_body(session, project_id=access.project_id, body_id=body_id)
    bodies = service.bodies(session, project_id=access.project_id)
    members = service.members_with_people(session, body_id=body_id)
    seated = {p.id for _, p in members}
    return (
        page_context(
            session,
            access,
            section="bodies",
            body=body,
            bodies=bodies,
            by_id={b.id: b for b in bodies},
            reports=[b for b in bodies if b.reports_to_id == body.id],
            members=members,
            candidates=[
                p
                for p in service.people(session, project_id=access.project_id)
                if p.id not in seated
            ],
            roles=list(MemberRole),
            mandate=mandates.Mandate(
                body=body, items=mandates.mandate_items(session, body_id=body_id)
            ),
            errors={},
            values={"role": MemberRole.member.value},
            body_errors={},
            body_values=body.model_dump(),
            member=None,
        )
        | values
    )


@router.get(ORG + "/bodies/{body_id}")
def body_page(
    request: Request, body_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, "governance/body.html", _body_context(session, access, body_id))


@router.get(ORG + "/bodies/{body_id}/info")
def body_info(
    request: Request, body_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, "governance/_body_info.html", _body_context(session, access, body_id))


@router.get(ORG + "/bodies/{body_id}/edit")
def edit_body(
    request: Request, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    return render(request, "governance/_body_edit.html", _body_context(session, access, body_id))


@router.post(ORG + "/bodies/{body_id}")
def save_body(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = _body_form(form, BodyUpdate)
        service.update_body(session, by=access, body_id=body_id, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_body_edit.html",
            _body_context(
                session,
                access,
                body_id,
                body_values=dict(form),
                body_errors=form_errors(exc),
            ),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/bodies/{body_id}")
    return render(
        request,
        "governance/_body_info.html",
        _body_context(session, access, body_id),
        headers=flash("Organet er gemt."),
    )


@router.post(ORG + "/bodies/{body_id}/delete")
def delete_body(
    request: Request, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        service.delete_body(session, by=access, body_id=body_id)
    except Conflict as exc:
        session.rollback()
        return render(
            request,
            "governance/_body_info.html",
            _body_context(session, access, body_id, body_errors={"form": exc.message}),
            status_code=409,
        )
    return back(request, f"/projects/{access.project_id}/organisation/bodies")


@router.post(ORG + "/bodies/{body_id}/members")
def add_member(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = read_form(form, MembershipCreate)
        membership = service.add_member(session, by=access, body_id=body_id, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_members.html",
            _body_context(session, access, body_id, errors=form_errors(exc), values=dict(form)),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/bodies/{body_id}")
    person = service.get_person(
        session, project_id=access.project_id, person_id=membership.person_id
    )
    return render(
        request,
        "governance/_members.html",
        _body_context(session, access, body_id),
        headers=flash(
            f"{person.name} er tilføjet som {MEMBER_ROLE_LABELS[membership.role].lower()}."
        ),
    )


@router.get(ORG + "/bodies/{body_id}/members/{membership_id}/edit")
def edit_member(
    request: Request, body_id: int, membership_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    membership = service.get_membership(
        session, project_id=access.project_id, body_id=body_id, membership_id=membership_id
    )
    return render(
        request,
        "governance/_members.html",
        _body_context(
            session,
            access,
            body_id,
            editing=membership.id,
            member_values=membership.model_dump(),
            member_errors={},
        ),
    )


@router.get(ORG + "/bodies/{body_id}/members")
def members_section(
    request: Request, body_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, "governance/_members.html", _body_context(session, access, body_id))


@router.post(ORG + "/bodies/{body_id}/members/{membership_id}")
def save_member(
    request: Request,
    form: FormDep,
    body_id: int,
    membership_id: int,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    try:
        data = read_form(form, MembershipUpdate)
        service.update_member(
            session, by=access, body_id=body_id, membership_id=membership_id, data=data
        )
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_members.html",
            _body_context(
                session,
                access,
                body_id,
                editing=membership_id,
                member_values=dict(form),
                member_errors=form_errors(exc),
            ),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/bodies/{body_id}")
    return render(
        request,
        "governance/_members.html",
        _body_context(session, access, body_id),
        headers=flash("Medlemskabet er gemt."),
    )


@router.post(ORG + "/bodies/{body_id}/members/{membership_id}/delete")
def remove_member(
    request: Request, body_id: int, membership_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    service.remove_member(session, by=access, body_id=body_id, membership_id=membership_id)
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/bodies/{body_id}")
    return render(
        request,
        "governance/_members.html",
        _body_context(session, access, body_id),
        headers=flash("Personen er taget ud af organet."),
    )


# Mandates ---------------------------------------------------------------------------------------


def _mandate_context(
    session: Session, access: Access, body_id: int, **values: Any
) -> dict[str, Any]:
    body = service.get_body(session, project_id=access.project_id, body_id=body_id)
    return (
        page_context(
            session,
            access,
            mandate=mandates.Mandate(
                body=body, items=mandates.mandate_items(session, body_id=body_id)
            ),
            statuses=list(MandateStatus),
            editing=None,
            item_values={},
            item_errors={},
            errors={},
            values={},
        )
        | values
    )


@router.get(ORG + "/mandates")
def mandates_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """Every body's mandate, followed up duty by duty."""
    return render(
        request,
        "governance/mandates.html",
        page_context(
            session,
            access,
            section="mandates",
            mandates=mandates.mandates(session, project_id=access.project_id),
            statuses=list(MandateStatus),
            editing=None,
            item_values={},
            item_errors={},
            errors={},
            values={},
        ),
    )


@router.get(ORG + "/bodies/{body_id}/mandate")
def mandate_section(
    request: Request,
    body_id: int,
    access: ProjectAccess,
    session: SessionDep,
    edit: int | None = None,
) -> Response:
    context = _mandate_context(session, access, body_id)
    if edit is not None and access.leads:
        item = mandates.get_mandate_item(
            session, project_id=access.project_id, body_id=body_id, item_id=edit
        )
        context |= {"editing": item.id, "item_values": item.model_dump()}
    return render(request, "governance/_mandate.html", context)


@router.post(ORG + "/bodies/{body_id}/mandate")
def add_mandate_item(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        data = read_form(form, MandateItemCreate)
        mandates.add_mandate_item(session, by=access, body_id=body_id, data=data)
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_mandate.html",
            _mandate_context(session, access, body_id, errors=form_errors(exc), values=dict(form)),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/mandates")
    return render(
        request,
        "governance/_mandate.html",
        _mandate_context(session, access, body_id),
        headers=flash("Opgaven er føjet til mandatet."),
    )


@router.post(ORG + "/bodies/{body_id}/mandate/{item_id}")
def save_mandate_item(
    request: Request,
    form: FormDep,
    body_id: int,
    item_id: int,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    try:
        data = read_form(form, MandateItemUpdate)
        mandates.update_mandate_item(
            session, by=access, body_id=body_id, item_id=item_id, data=data
        )
    except (FormInvalid, DomainError) as exc:
        session.rollback()
        return render(
            request,
            "governance/_mandate.html",
            _mandate_context(
                session,
                access,
                body_id,
                editing=item_id,
                item_values=dict(form),
                item_errors=form_errors(exc),
            ),
            status_code=error_status(exc),
        )
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/mandates")
    return render(
        request,
        "governance/_mandate.html",
        _mandate_context(session, access, body_id),
        headers=flash("Opfølgningen er gemt."),
    )


@router.post(ORG + "/bodies/{body_id}/mandate/{item_id}/delete")
def delete_mandate_item(
    request: Request, body_id: int, item_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    mandates.delete_mandate_item(session, by=access, body_id=body_id, item_id=item_id)
    if not is_htmx(request):
        return back(request, f"/projects/{access.project_id}/organisation/mandates")
    return render(
        request,
        "governance/_mandate.html",
        _mandate_context(session, access, body_id),
        headers=flash("Opgaven er fjernet fra mandatet."),
    )


# Organisation chart -----------------------------------------------------------------------------


@router.get(ORG + "/chart")
def chart_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """The organisation chart (the seed's appendix 2): bodies, members and reporting lines."""
    return render(
        request,
        "governance/chart.html",
        page_context(
            session,
            access,
            section="chart",
            roots=service.organisation_tree(session, project_id=access.project_id),
            areas={
                a.id: a.name for a in service.director_areas(session, project_id=access.project_id)
            },
        ),
    )
