"""Pages of the project organisation: the project overview, a new project, the charter, people
and director areas, bodies with their members, mandates and the organisation chart.

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
from starlette.datastructures import FormData, UploadFile

from app.auth.models import Role
from app.auth.service import Access, list_users, role_kinds
from app.deps import AdminUser, CurrentUser, ProjectAccess, ProjectLeader, SessionDep
from app.errors import InvalidDocument
from app.governance import mandates, schemas, service
from app.governance.models import (
    BODY_KIND_LABELS,
    MANDATE_STATUS_LABELS,
    MEMBER_ROLE_LABELS,
    BodyKind,
    MandateStatus,
    MemberRole,
    Membership,
)
from app.governance.permissions import DECISION_ROLES, FOLLOW_UP_ROLES, MINUTES_ROLES
from app.projectdoc import document as projectdoc
from app.web import forms
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import render

router = APIRouter()
ORG = "/projects/{project_id}/organisation"
MAX_DOCUMENT_BYTES = 5_000_000
# Projects per page of the overview, as on the directorate dashboard.
PROJECTS_PER_PAGE = 25


def page_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    """What every organisation page needs: the project, the caller's access and what they may do."""
    return {
        "project": service.get_project(session=session, project_id=access.project_id),
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


def refusal(outcome: forms.Outcome, form: FormData, name: str, **opened: Any) -> dict[str, Any]:
    """A refused form's messages and what was typed, under the names its section reads
    (`area_errors`, `area_values`), with its inline form kept open; nothing if the write passed."""
    if not outcome.failed:
        return {}
    return {f"{name}_{key}": value for key, value in outcome.context(form).items()} | opened


def answer(
    request: Request,
    outcome: forms.Outcome,
    context: dict[str, Any],
    page: str,
    partial: str,
    url: str,
    message: str,
) -> Response:
    """After an attempted write: refused, the section again with its messages (the whole page
    without htmx); done, the section with the message announced, or back to `url`."""
    if outcome.failed:
        return forms.refused(request, page, context, outcome, partial=partial)
    return forms.done(request, url, message, partial=partial, context=context)


def org_url(access: Access, path: str = "") -> str:
    return f"/projects/{access.project_id}/organisation{path}"


def bodies_by_id(session: Session, access: Access) -> dict[str, Any]:
    """The project's bodies in order (`bodies`) and by id (`by_id`), as the pages read them."""
    bodies = service.bodies(session=session, project_id=access.project_id)
    return {"bodies": bodies, "by_id": {b.id: b for b in bodies}}


# Projects ---------------------------------------------------------------------------------------


@router.get("/")
def project_overview(
    request: Request, user: CurrentUser, session: SessionDep, page: int = 1
) -> Response:
    if not user.is_admin and role_kinds(session=session, user=user) == {Role.directorate}:
        # The directorate follows projects through the dashboard and the issued reports.
        return RedirectResponse("/dashboard", status_code=303)
    paging = Page(number=page, size=PROJECTS_PER_PAGE)
    projects, total = service.visible_projects(
        session=session, user=user, offset=paging.offset, limit=paging.size
    )
    context = {"projects": projects, "paging": paging.with_total(total)}
    return render(request, "projects/overview.html", context)


def _new_project_context(session: Session, **values: Any) -> dict[str, Any]:
    return {
        "users": [u for u in list_users(session=session) if u.is_active],
        "values": {"with_standard_bodies": True},
        "errors": {},
        "document_errors": [],
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
        project = service.create_project(session=session, by=admin, data=data)
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
    project = service.get_project(session=session, project_id=access.project_id)
    document = projectdoc.export_project(session=session, project=project)
    disposition = f'attachment; filename="projekt-{project.id}.json"'
    return JSONResponse(document, headers={"Content-Disposition": disposition})


# Charter ----------------------------------------------------------------------------------------


def _charter_context(session: Session, access: Access) -> dict[str, Any]:
    """The charter, with the director areas and how far the steering group's mandate is met."""
    areas = service.director_areas(session=session, project_id=access.project_id)
    every = mandates.mandates(session=session, project_id=access.project_id)
    return page_context(session, access, section="charter", areas=areas, mandates=every)


@router.get(ORG + "/edit")
def edit_charter(request: Request, access: ProjectLeader, session: SessionDep) -> Response:
    context = page_context(session, access, section="charter", errors={})
    context["values"] = context["project"].model_dump()
    return render(request, "governance/charter_edit.html", context)


@router.post(ORG + "/edit")
def save_charter(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        service.update_project(
            session=session, by=access, data=forms.read(schemas.ProjectUpdate, form)
        )
    if outcome.failed:
        context = page_context(session, access, section="charter", **outcome.context(form))
        context.setdefault("values", context["project"].model_dump())
        return forms.refused(request, "governance/charter_edit.html", context, outcome)
    return forms.done(request, org_url(access), "Kommissoriet er gemt.")


# Director areas and people ----------------------------------------------------------------------

PEOPLE = "governance/people.html"
AREAS, AREA_ROW = "governance/_areas.html", "governance/_area_row.html"
PEOPLE_LIST, PERSON_ROW = "governance/_people.html", "governance/_person_row.html"


def _people_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    """The people page; `editing` (a person) and `editing_area` open a row's inline form."""
    return page_context(
        session,
        access,
        section="people",
        areas=service.director_areas(session=session, project_id=access.project_id),
        people=service.people(session=session, project_id=access.project_id),
        seats=service.memberships_of_people(session=session, project_id=access.project_id),
        **values,
    )


def _area(session: Session, access: Access, area_id: int, **values: Any) -> dict[str, Any]:
    area = service.get_director_area(session=session, project_id=access.project_id, area_id=area_id)
    return _people_context(session, access, area=area, **values)


def _person(session: Session, access: Access, person_id: int, **values: Any) -> dict[str, Any]:
    person = service.get_person(session=session, project_id=access.project_id, person_id=person_id)
    return _people_context(session, access, person=person, **values)


@router.post(ORG + "/director-areas")
def create_director_area(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.DirectorAreaCreate, form)
        area = service.create_director_area(session=session, by=access, data=data)
    context = _people_context(session, access, **refusal(outcome, form, "new_area"))
    message = "" if outcome.failed else f"Direktørområdet »{area.name}« er oprettet."
    url = org_url(access, "/people#areas")
    return answer(request, outcome, context, PEOPLE, AREAS, url, message)


@router.get(ORG + "/director-areas/{area_id}")
def area_row(
    request: Request, area_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, AREA_ROW, _area(session, access, area_id))


@router.get(ORG + "/director-areas/{area_id}/edit")
def edit_area(
    request: Request, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    return render(request, AREA_ROW, _area(session, access, area_id, editing_area=area_id))


@router.post(ORG + "/director-areas/{area_id}")
def save_area(
    request: Request, form: FormDep, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.DirectorAreaUpdate, form)
        service.update_director_area(session=session, by=access, area_id=area_id, data=data)
    refused = refusal(outcome, form, "area", editing_area=area_id)
    context = _area(session, access, area_id, **refused)
    url = org_url(access, f"/people#area-{area_id}")
    return answer(request, outcome, context, PEOPLE, AREA_ROW, url, "Direktørområdet er gemt.")


@router.post(ORG + "/director-areas/{area_id}/delete")
def delete_area(
    request: Request, area_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        service.delete_director_area(session=session, by=access, area_id=area_id)
    context = _people_context(session, access, **refusal(outcome, FormData(), "new_area"))
    url = org_url(access, "/people#areas")
    return answer(request, outcome, context, PEOPLE, AREAS, url, "Direktørområdet er slettet.")


@router.post(ORG + "/people")
def create_person(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PersonCreate, form)
        person = service.create_person(session=session, by=access, data=data)
    context = _people_context(session, access, **refusal(outcome, form, "new_person"))
    message = "" if outcome.failed else f"{person.name} er tilføjet."
    url = org_url(access, "/people#people")
    return answer(request, outcome, context, PEOPLE, PEOPLE_LIST, url, message)


@router.get(ORG + "/people/{person_id}")
def person_row(
    request: Request, person_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, PERSON_ROW, _person(session, access, person_id))


@router.get(ORG + "/people/{person_id}/edit")
def edit_person(
    request: Request, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    return render(request, PERSON_ROW, _person(session, access, person_id, editing=person_id))


@router.post(ORG + "/people/{person_id}")
def save_person(
    request: Request, form: FormDep, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PersonUpdate, form)
        service.update_person(session=session, by=access, person_id=person_id, data=data)
    context = _person(
        session, access, person_id, **refusal(outcome, form, "person", editing=person_id)
    )
    url = org_url(access, f"/people#person-{person_id}")
    return answer(request, outcome, context, PEOPLE, PERSON_ROW, url, "Personen er gemt.")


@router.post(ORG + "/people/{person_id}/delete")
def delete_person(
    request: Request, person_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        service.delete_person(session=session, by=access, person_id=person_id)
    context = _people_context(session, access, **refusal(outcome, FormData(), "new_person"))
    url = org_url(access, "/people#people")
    return answer(request, outcome, context, PEOPLE, PEOPLE_LIST, url, "Personen er slettet.")


# Bodies and members -----------------------------------------------------------------------------

BODY = "governance/body.html"
BODY_INFO = "governance/_body_info.html"
MEMBERS = "governance/_members.html"


def _bodies_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    listed = bodies_by_id(session, access)
    every = mandates.mandates(session=session, project_id=access.project_id)
    return page_context(
        session,
        access,
        section="bodies",
        counts={m.body.id: m for m in every},
        members={
            b: service.members_with_people(session=session, body_id=b or 0) for b in listed["by_id"]
        },
        kinds=list(BodyKind),
        **listed | values,
    )


def _body_form(form: FormData) -> FormData:
    """The body form; the reporting line "auto" means the usual one (the field left out)."""
    if form.get("reports_to_id") != "auto":
        return form
    return FormData([(k, v) for k, v in form.multi_items() if k != "reports_to_id"])


@router.post(ORG + "/bodies")
def create_body(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.BodyCreate, _body_form(form))
        body = service.create_body(session=session, by=access, data=data)
    context = _bodies_context(session, access, **refusal(outcome, form, "new_body"))
    message = "" if outcome.failed else f"»{body.name}« er oprettet."
    url = org_url(access, "/bodies")
    partial = "governance/_bodies.html"
    return answer(request, outcome, context, "governance/bodies.html", partial, url, message)


def _body_context(session: Session, access: Access, body_id: int, **values: Any) -> dict[str, Any]:
    """A body's page; `editing_body` opens its details' form, `editing` a member's."""
    body = service.get_body(session=session, project_id=access.project_id, body_id=body_id)
    listed = bodies_by_id(session, access)
    members = service.members_with_people(session=session, body_id=body_id)
    seated = {p.id for _, p in members}
    people = service.people(session=session, project_id=access.project_id)
    items = mandates.mandate_items(session=session, body_id=body_id)
    return page_context(
        session,
        access,
        section="bodies",
        body=body,
        reports=[b for b in listed["bodies"] if b.reports_to_id == body.id],
        members=members,
        candidates=[p for p in people if p.id not in seated],
        roles=list(MemberRole),
        mandate=mandates.Mandate(body=body, items=items),
        **listed | values,
    )


def body_url(access: Access, body_id: int, anchor: str) -> str:
    return org_url(access, f"/bodies/{body_id}#{anchor}")


@router.get(ORG + "/bodies/{body_id}")
@router.get(ORG + "/bodies/{body_id}/info")
@router.get(ORG + "/bodies/{body_id}/members")
def body_page(
    request: Request, body_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """A body's page; for htmx, its details (…/info) or its members (…/members)."""
    sections = {"info": BODY_INFO, "members": MEMBERS}
    template = sections.get(request.url.path.rsplit("/", 1)[-1], BODY)
    return render(request, template, _body_context(session, access, body_id))


@router.get(ORG + "/bodies/{body_id}/edit")
def edit_body(
    request: Request, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    return render(request, BODY_INFO, _body_context(session, access, body_id, editing_body=True))


@router.post(ORG + "/bodies/{body_id}")
def save_body(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.BodyUpdate, form)
        service.update_body(session=session, by=access, body_id=body_id, data=data)
    refused = refusal(outcome, form, "body", editing_body=True)
    context = _body_context(session, access, body_id, **refused)
    url = body_url(access, body_id, "body-info")
    return answer(request, outcome, context, BODY, BODY_INFO, url, "Organet er gemt.")


@router.post(ORG + "/bodies/{body_id}/delete")
def delete_body(
    request: Request, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        service.delete_body(session=session, by=access, body_id=body_id)
    if outcome.failed:
        context = _body_context(session, access, body_id, **refusal(outcome, FormData(), "body"))
        return forms.refused(request, BODY, context, outcome, partial=BODY_INFO)
    return forms.done(request, org_url(access, "/bodies"), "Organet er slettet.")


@router.post(ORG + "/bodies/{body_id}/members")
def add_member(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MembershipCreate, form)
        membership = service.add_member(session=session, by=access, body_id=body_id, data=data)
    context = _body_context(session, access, body_id, **refusal(outcome, form, "new_member"))
    message = "" if outcome.failed else _member_added(session, access, membership)
    url = body_url(access, body_id, "members")
    return answer(request, outcome, context, BODY, MEMBERS, url, message)


def _member_added(session: Session, access: Access, membership: Membership) -> str:
    person = service.get_person(
        session=session, project_id=access.project_id, person_id=membership.person_id
    )
    return f"{person.name} er tilføjet som {MEMBER_ROLE_LABELS[membership.role].lower()}."


@router.get(ORG + "/bodies/{body_id}/members/{membership_id}/edit")
def edit_member(
    request: Request, body_id: int, membership_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    membership = service.get_membership(
        session=session, project_id=access.project_id, body_id=body_id, membership_id=membership_id
    )
    context = _body_context(session, access, body_id, editing=membership.id)
    return render(request, MEMBERS, context)


@router.post(ORG + "/bodies/{body_id}/members/{membership_id}")
def save_member(
    request: Request,
    form: FormDep,
    body_id: int,
    membership_id: int,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MembershipUpdate, form)
        service.update_member(
            session=session, by=access, body_id=body_id, membership_id=membership_id, data=data
        )
    refused = refusal(outcome, form, "member", editing=membership_id)
    context = _body_context(session, access, body_id, **refused)
    url = body_url(access, body_id, f"member-{membership_id}")
    return answer(request, outcome, context, BODY, MEMBERS, url, "Medlemskabet er gemt.")


@router.post(ORG + "/bodies/{body_id}/members/{membership_id}/delete")
def remove_member(
    request: Request, body_id: int, membership_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    service.remove_member(session=session, by=access, body_id=body_id, membership_id=membership_id)
    context = _body_context(session, access, body_id)
    url = body_url(access, body_id, "members")
    message = "Personen er taget ud af organet."
    return forms.done(request, url, message, partial=MEMBERS, context=context)


# Mandates ---------------------------------------------------------------------------------------


def _mandates_context(
    session: Session, access: Access, body_id: int | None = None, **values: Any
) -> dict[str, Any]:
    """Every body's mandate; `body_id` names the one whose section is answered (its forms show
    the messages of a refusal)."""
    if body_id is not None:
        service.get_body(session=session, project_id=access.project_id, body_id=body_id)
    every = mandates.mandates(session=session, project_id=access.project_id)
    return page_context(
        session,
        access,
        section="mandates",
        mandates=every,
        mandate=next((m for m in every if m.body.id == body_id), None),
        body_id=body_id,
        statuses=list(MandateStatus),
        **values,
    )


@router.get(ORG + "/bodies/{body_id}/mandate")
def mandate_section(
    request: Request,
    body_id: int,
    access: ProjectAccess,
    session: SessionDep,
    edit: int | None = None,
) -> Response:
    context = _mandates_context(session, access, body_id)
    if edit is not None and access.leads:
        item = mandates.get_mandate_item(
            session=session, project_id=access.project_id, body_id=body_id, item_id=edit
        )
        context["editing"] = item.id
    return render(request, "governance/_mandate.html", context)


def _mandate_answer(
    request: Request, outcome: forms.Outcome, context: dict[str, Any], message: str
) -> Response:
    """A body's mandate section after a write, or the mandates page at that body."""
    url = org_url(context["access"], f"/mandates#mandate-{context['body_id']}")
    page, partial = "governance/mandates.html", "governance/_mandate.html"
    return answer(request, outcome, context, page, partial, url, message)


@router.post(ORG + "/bodies/{body_id}/mandate")
def add_mandate_item(
    request: Request, form: FormDep, body_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MandateItemCreate, form)
        mandates.add_mandate_item(session=session, by=access, body_id=body_id, data=data)
    context = _mandates_context(session, access, body_id, **refusal(outcome, form, "new_item"))
    return _mandate_answer(request, outcome, context, "Opgaven er føjet til mandatet.")


@router.post(ORG + "/bodies/{body_id}/mandate/{item_id}")
def save_mandate_item(
    request: Request,
    form: FormDep,
    body_id: int,
    item_id: int,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MandateItemUpdate, form)
        mandates.update_mandate_item(
            session=session, by=access, body_id=body_id, item_id=item_id, data=data
        )
    refused = refusal(outcome, form, "item", editing=item_id)
    context = _mandates_context(session, access, body_id, **refused)
    return _mandate_answer(request, outcome, context, "Opfølgningen er gemt.")


@router.post(ORG + "/bodies/{body_id}/mandate/{item_id}/delete")
def delete_mandate_item(
    request: Request, body_id: int, item_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    mandates.delete_mandate_item(session=session, by=access, body_id=body_id, item_id=item_id)
    context = _mandates_context(session, access, body_id)
    return _mandate_answer(request, forms.Outcome(), context, "Opgaven er fjernet fra mandatet.")


# Organisation chart -----------------------------------------------------------------------------


def _chart_context(session: Session, access: Access) -> dict[str, Any]:
    """The organisation chart (the seed's appendix 2): bodies, members and reporting lines."""
    roots = service.organisation_tree(session=session, project_id=access.project_id)
    areas = service.director_areas(session=session, project_id=access.project_id)
    return page_context(
        session, access, section="chart", roots=roots, areas={a.id: a.name for a in areas}
    )


# The organisation's pages, by the last part of their path: the template and what it shows.
PAGES: dict[str, tuple[str, Callable[[Session, Access], dict[str, Any]]]] = {
    "organisation": ("governance/organisation.html", _charter_context),
    "people": (PEOPLE, _people_context),
    "bodies": ("governance/bodies.html", _bodies_context),
    "mandates": ("governance/mandates.html", _mandates_context),
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
