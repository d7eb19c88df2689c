"""The project's search page: a search box on every project page leads here; htmx gets the
results alone (with the search field's message, out of band). A too-long text is answered 422
with the message beside the field."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import ProjectAccess, SessionDep
from app.errors import Invalid
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
    error, status_code = "", 200
    try:
        found = service.search(
            session=session, access=access, q=q, offset=paging.offset, limit=paging.size
        )
    except Invalid as refused:  # too long: said beside the search field, not as an error page
        error, status_code = refused.message, refused.status_code
        found = service.Found(q.strip(), [], 0, [])
    context = {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "found": found,
        "error": error,
        "paging": paging.with_total(found.total),
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "search-results":
        # The results, and the field's message out of band (the field itself is not swapped:
        # it keeps its focus while the person types).
        return render(
            request, "search/_results.html", context | {"oob": True}, status_code=status_code
        )
    return render(request, "search/search.html", context, status_code=status_code)
