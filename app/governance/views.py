"""Pages of the project organisation: the project overview and a project's front page."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import CurrentUser, ProjectAccess, SessionDep
from app.governance import service
from app.web.pagination import Page
from app.web.templating import render

router = APIRouter()


@router.get("/")
def project_overview(request: Request, user: CurrentUser, session: SessionDep,
                     page: int = 1) -> Response:
    paging = Page(number=page)
    projects, total = service.visible_projects(session, user=user, offset=paging.offset,
                                               limit=paging.size)
    return render(request, "projects/overview.html",
                  {"projects": projects, "paging": paging.with_total(total)})


@router.get("/projects/{project_id}")
def project_home(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    project = service.get_project(session, project_id=access.project_id)
    groups = service.implementation_groups(session, project_id=access.project_id)
    return render(request, "projects/home.html",
                  {"project": project, "access": access, "groups": groups})
