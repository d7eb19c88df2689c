"""The project's search page: a search box on every project page leads here; htmx gets the
results alone."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import ProjectAccess, SessionDep
from app.governance.projects import get_project
from app.search import service
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()
PER_PAGE = 20


@router.get("/projects/{project_id}/search")
def search_page(
    request: Request, access: ProjectAccess, session: SessionDep, q: str = "", page: int = 1
) -> Response:
    """The hits for `q`, a page at a time."""
    paging = Page(number=page, size=PER_PAGE)
    found = service.search(
        session=session, access=access, q=q, offset=paging.offset, limit=paging.size
    )
    context = {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "found": found,
        "paging": paging.with_total(found.total),
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "search-results":
        return render(request, "search/_results.html", context)
    return render(request, "search/search.html", context)
