"""API of the audit log: a project's events, and exports for a project or for one person."""

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.audit import service
from app.auth.models import User
from app.db import utcnow
from app.deps import AdminUser, ProjectLeader, SessionDep
from app.errors import NotFound
from app.web.pagination import PageOf

router = APIRouter(prefix="/api", tags=["revisionsspor"])
ExportFormat = Literal["json", "csv"]


class AuditEventPublic(BaseModel):
    id: int
    at: datetime
    username: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ExportedEvent(AuditEventPublic):
    user_id: int | None
    project_id: int | None


class PersonPublic(BaseModel):
    id: int
    username: str
    full_name: str
    email: str


class AuditExport(BaseModel):
    exported_at: datetime
    project_id: int | None
    person: PersonPublic | None
    events: list[ExportedEvent]


@router.get("/projects/{project_id}/audit", response_model=list[AuditEventPublic])
def project_audit(
    access: ProjectLeader, session: SessionDep, page: PageOf
) -> list[AuditEventPublic]:
    """The project's audit events, newest first."""
    events, total = service.list_events(
        session=session, project_id=access.project_id, offset=page.offset, limit=page.limit
    )
    page.answer(total)
    return [AuditEventPublic.model_validate(e, from_attributes=True) for e in events]


def person_of(session: Session, user_id: int | None) -> User | None:
    """The account a person export is about (404 when it does not exist)."""
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Brugeren findes ikke.")
    return user


def export_response(
    session: Session,
    *,
    project_id: int | None,
    person: User | None,
    format: ExportFormat,
    filename: str,
) -> Response:
    """The export as a JSON document or a CSV file, to download."""
    events = service.export_events(
        session=session, project_id=project_id, user_id=person.id if person else None
    )
    disposition = {"Content-Disposition": f'attachment; filename="{filename}.{format}"'}
    if format == "csv":
        return Response(
            service.events_csv(events), media_type="text/csv; charset=utf-8", headers=disposition
        )
    document = AuditExport(
        exported_at=utcnow(),
        project_id=project_id,
        person=PersonPublic.model_validate(person, from_attributes=True) if person else None,
        events=[ExportedEvent.model_validate(service.event_row(e)) for e in events],
    )
    return JSONResponse(document.model_dump(mode="json"), headers=disposition)


EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/AuditExport"}},
            "text/csv": {"schema": {"type": "string"}},
        }
    },
}


@router.get(
    "/projects/{project_id}/audit/export", response_model=AuditExport, responses=EXPORT_RESPONSES
)
def export_project_audit(
    access: ProjectLeader,
    session: SessionDep,
    format: ExportFormat = "json",
    user_id: int | None = None,
) -> Response:
    """The project's whole audit log (or one person's part of it) as JSON or CSV."""
    person = person_of(session, user_id)
    name = f"revisionsspor-projekt-{access.project_id}" + (f"-bruger-{user_id}" if person else "")
    return export_response(
        session, project_id=access.project_id, person=person, format=format, filename=name
    )


@router.get("/users/{user_id}/audit/export", response_model=AuditExport, responses=EXPORT_RESPONSES)
def export_person_audit(
    user_id: int, _admin: AdminUser, session: SessionDep, format: ExportFormat = "json"
) -> Response:
    """Everything the audit log holds of and about one person, in every project (GDPR access
    request; administrator)."""
    person = person_of(session, user_id)
    return export_response(
        session,
        project_id=None,
        person=person,
        format=format,
        filename=f"revisionsspor-bruger-{user_id}",
    )
