"""The audit log page of a project (project leader and administrator)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.audit import service
from app.deps import ProjectLeader, SessionDep
from app.governance.service import get_project
from app.web.pagination import Page
from app.web.templating import render

router = APIRouter()


@router.get("/projects/{project_id}/audit")
def audit_log(request: Request, access: ProjectLeader, session: SessionDep,
              page: int = 1) -> Response:
    paging = Page(number=page)
    events, total = service.list_events(session, project_id=access.project_id,
                                        offset=paging.offset, limit=paging.size)
    return render(request, "audit/log.html", {
        "project": get_project(session, project_id=access.project_id), "access": access,
        "events": events, "paging": paging.with_total(total),
    })
