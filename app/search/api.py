"""API of the project search: GET /api/projects/{id}/search?q= (paged; X-Total-Count)."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import ProjectAccess, SessionDep
from app.search import service
from app.search.schemas import SearchHitPublic, SearchResults
from app.web.pagination import PageOf

router = APIRouter(prefix="/api", tags=["søgning"])


@router.get("/projects/{project_id}/search")
def search(
    access: ProjectAccess,
    session: SessionDep,
    page: PageOf,
    q: Annotated[str, Query(description="Ordene; hvert ord findes også som begyndelse af et ord")],
) -> SearchResults:
    """The project's rows that hold every word, best first (what the caller may read)."""
    found = service.search(
        session=session, access=access, q=q, offset=page.offset, limit=page.limit
    )
    page.answer(found.total)
    items = [
        SearchHitPublic(
            kind=h.kind,
            kind_label=h.kind_label,
            id=h.id,
            title=h.title,
            snippet=h.snippet,
            url=h.url,
        )
        for h in found.hits
    ]
    return SearchResults(q=found.q, total=found.total, items=items)
