"""API of the project calendar: the iCalendar feed for signed-in clients and the personal
subscription token for calendar apps."""

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from app.deps import ProjectAccess, SessionDep
from app.reports import calendar

router = APIRouter(prefix="/api", tags=["kalender"])
ICS_TYPE = "text/calendar; charset=utf-8"


def ics_response(body: bytes, filename: str) -> Response:
    return Response(
        body, media_type=ICS_TYPE, headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


@router.get(
    "/projects/{project_id}/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def project_calendar(*, access: ProjectAccess, session: SessionDep) -> Response:
    """Meetings, dated external activities and milestones as an iCalendar (.ics) feed."""
    body = calendar.project_feed(session=session, project_id=access.project_id)
    return ics_response(body, f"reformstyr-projekt-{access.project_id}.ics")


class FeedTokenPublic(BaseModel):
    active: bool
    created_at: datetime | None = None
    url: str | None = None
    webcal_url: str | None = None


def feed_urls(request: Request, token: str) -> tuple[str, str]:
    """The personal feed's https URL and its webcal:// twin (opens the calendar app)."""
    url = str(request.url_for("personal_calendar", token=token))
    return url, "webcal://" + url.split("://", 1)[1]


@router.get("/projects/{project_id}/calendar/token", response_model=FeedTokenPublic)
def feed_token_status(*, access: ProjectAccess, session: SessionDep) -> FeedTokenPublic:
    """Whether the caller has a personal calendar URL (the URL itself is shown only once)."""
    row = calendar.feed_token(
        session=session, project_id=access.project_id, user_id=access.user.id or 0
    )
    return FeedTokenPublic(active=row is not None, created_at=row.created_at if row else None)


@router.post(
    "/projects/{project_id}/calendar/token", response_model=FeedTokenPublic, status_code=201
)
def create_feed_token(
    *, request: Request, access: ProjectAccess, session: SessionDep
) -> FeedTokenPublic:
    """A new personal calendar URL for the caller; an earlier one stops working."""
    token = calendar.create_feed_token(session=session, by=access)
    url, webcal = feed_urls(request, token)
    row = calendar.feed_token(
        session=session, project_id=access.project_id, user_id=access.user.id or 0
    )
    return FeedTokenPublic(
        active=True, created_at=row.created_at if row else None, url=url, webcal_url=webcal
    )


@router.delete("/projects/{project_id}/calendar/token", status_code=204)
def revoke_feed_token(*, access: ProjectAccess, session: SessionDep) -> Response:
    """Stop the caller's personal calendar URL at once."""
    calendar.revoke_feed_token(session=session, by=access)
    return Response(status_code=204)
