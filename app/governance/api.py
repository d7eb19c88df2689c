"""API of the project organisation."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.deps import CurrentUser, SessionDep
from app.governance import service

router = APIRouter(tags=["projekter"])


class ProjectSummary(BaseModel):
    id: int
    name: str
    municipality: str


@router.get("/projects", response_model=list[ProjectSummary])
def list_projects(user: CurrentUser, session: SessionDep, offset: int = 0,
                  limit: int = 100) -> list[ProjectSummary]:
    """The projects the caller may see, with their ids and names."""
    projects, _ = service.visible_projects(session, user=user, offset=max(0, offset),
                                           limit=min(max(1, limit), 500))
    return [ProjectSummary(id=p.id or 0, name=p.name, municipality=p.municipality)
            for p in projects]
