"""»Mit overblik«, the page (/me), linked from every page's header."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import CurrentUser, SessionDep
from app.mywork import service
from app.web.templating import render

router = APIRouter()


@router.get("/me")
def my_overview_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """The signed-in person's work across their projects."""
    found = service.my_overview(session=session, user=user)
    return render(request, "mywork/overview.html", {"found": found})
