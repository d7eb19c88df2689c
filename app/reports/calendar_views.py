"""The calendar page (upcoming entries, personal subscription) and the personal feed URL that
calendar apps fetch without signing in."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app import clock
from app.deps import ProjectAccess, SessionDep
from app.governance.projects import get_project
from app.reports import calendar
from app.reports.calendar_api import feed_urls, ics_response
from app.web.templating import is_htmx, render

router = APIRouter()


@router.get("/calendar/{token}.ics", name="personal_calendar", include_in_schema=False)
def personal_calendar(*, token: str, session: SessionDep) -> Response:
    """The feed behind a personal token: no sign-in, 404 for a wrong or revoked token."""
    return ics_response(calendar.feed_for_token(session=session, token=token), "reformstyr.ics")


def _page(
    *,
    request: Request,
    session: SessionDep,
    access: ProjectAccess,
    url: str = "",
    webcal: str = "",
    status_code: int = 200,
) -> Response:
    entries = calendar.project_entries(session=session, project_id=access.project_id)
    today = clock.today()
    context = {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "upcoming": [e for e in entries if e.day >= today],
        "past": [e for e in entries if e.day < today][-50:][::-1],
        "token": calendar.feed_token(
            session=session, project_id=access.project_id, user_id=access.user.id or 0
        ),
        "feed_url": url,
        "webcal_url": webcal,
    }
    name = "reports/_calendar_subscription.html" if is_htmx(request) else "reports/calendar.html"
    return render(request, name, context, status_code=status_code)


@router.get("/projects/{project_id}/calendar")
def calendar_page(*, request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    return _page(request=request, session=session, access=access)


@router.post("/projects/{project_id}/calendar/token")
def create_token(*, request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """Make a personal calendar URL; it is shown this once (only its hash is stored)."""
    token = calendar.create_feed_token(session=session, by=access)
    url, webcal = feed_urls(request, token)
    return _page(request=request, session=session, access=access, url=url, webcal=webcal)


@router.post("/projects/{project_id}/calendar/token/revoke")
def revoke_token(*, request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    calendar.revoke_feed_token(session=session, by=access)
    return _page(request=request, session=session, access=access)
