"""Audit log pages: a project's log with its exports (project leader and administrator), and
everything about one person across projects (administrator, for GDPR access requests)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.audit import service
from app.audit.api import ExportFormat, export_response, person_of
from app.auth.service import project_users
from app.deps import AdminUser, ProjectLeader, SessionDep
from app.governance.projects import get_project
from app.web.pagination import Page
from app.web.templating import render

router = APIRouter()


@router.get("/projects/{project_id}/audit")
def audit_log(
    request: Request,
    access: ProjectLeader,
    session: SessionDep,
    page: int = 1,
    user_id: int | None = None,
) -> Response:
    paging = Page(number=page)
    person = person_of(session, user_id)
    events, total = service.list_events(
        session=session,
        project_id=access.project_id,
        user_id=person.id if person else None,
        offset=paging.offset,
        limit=paging.size,
    )
    members = project_users(session=session, project_id=access.project_id)
    query = f"?user_id={person.id}&" if person else "?"
    return render(
        request,
        "audit/log.html",
        {
            "project": get_project(session=session, project_id=access.project_id),
            "access": access,
            "events": events,
            "paging": paging.with_total(total),
            "person": person,
            "members": members,
            "base_url": f"/projects/{access.project_id}/audit{query}",
        },
    )


@router.get("/projects/{project_id}/audit/export")
def export_project_audit(
    access: ProjectLeader,
    session: SessionDep,
    format: ExportFormat = "csv",
    user_id: int | None = None,
) -> Response:
    """Download the project's log, or one person's part of it, as CSV or JSON."""
    person = person_of(session, user_id)
    name = f"revisionsspor-projekt-{access.project_id}" + (f"-bruger-{user_id}" if person else "")
    return export_response(
        session, project_id=access.project_id, person=person, format=format, filename=name
    )


@router.get("/admin/users/{user_id}/audit")
def person_audit(
    request: Request, user_id: int, _admin: AdminUser, session: SessionDep, page: int = 1
) -> Response:
    """What the audit log holds of and about one person, in every project."""
    paging = Page(number=page)
    person = person_of(session, user_id)
    events, total = service.list_events(
        session=session, user_id=user_id, offset=paging.offset, limit=paging.size
    )
    return render(
        request,
        "audit/person.html",
        {
            "person": person,
            "events": events,
            "paging": paging.with_total(total),
            "base_url": f"/admin/users/{user_id}/audit?",
        },
    )


@router.get("/admin/users/{user_id}/audit/export")
def export_person_audit(
    user_id: int, _admin: AdminUser, session: SessionDep, format: ExportFormat = "csv"
) -> Response:
    """Download everything about one person (GDPR access request) as CSV or JSON."""
    return export_response(
        session,
        project_id=None,
        person=person_of(session, user_id),
        format=format,
        filename=f"revisionsspor-bruger-{user_id}",
    )
