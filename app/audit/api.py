"""API of the audit log."""

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from app.audit import service
from app.deps import ProjectLeader, SessionDep

router = APIRouter(tags=["revisionsspor"])


class AuditEventPublic(BaseModel):
    id: int
    at: datetime
    username: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@router.get("/projects/{project_id}/audit", response_model=list[AuditEventPublic])
def project_audit(access: ProjectLeader, session: SessionDep, offset: int = 0,
                  limit: int = 100) -> list[AuditEventPublic]:
    """The project's audit events, newest first."""
    events, _ = service.list_events(session, project_id=access.project_id,
                                    offset=max(0, offset), limit=min(max(1, limit), 500))
    return [AuditEventPublic.model_validate(e, from_attributes=True) for e in events]
