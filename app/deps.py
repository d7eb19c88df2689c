"""FastAPI dependencies: the database session, the signed-in user, and permission aliases."""

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlmodel import Session, col

from app.auth import service as auth
from app.auth.models import ProjectMember, Role, User, UserSession
from app.auth.security import tokens_equal
from app.config import Settings
from app.db import Database, utcnow
from app.errors import Forbidden, NotFound

SESSION_COOKIE = "reformstyr_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotAuthenticated(Exception):
    """No valid session: browsers are sent to sign-in, API clients get 401."""


class CsrfRejected(Exception):
    """A state-changing request from a browser session without the session's CSRF token."""


# Dependencies that only look at memory are async: a sync one costs a trip to the thread pool.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_database(request: Request) -> Database:
    return request.app.state.db


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_form(request: Request) -> bool:
    """Whether a request may change something and carries a submitted form."""
    return request.method not in SAFE_METHODS and request.headers.get(
        "content-type", ""
    ).startswith(FORM_TYPES)


async def _form_arrived(request: Request) -> None:
    """Wait, on the event loop, until a submitted form has arrived whole. Starlette keeps it on
    the request, so the handler's form dependency and the CSRF check read the same object."""
    if is_form(request):
        await request.form()


def get_session(
    request: Request, _form: Annotated[None, Depends(_form_arrived)]
) -> Iterator[Session]:
    """One session per request; requests that may write begin an immediate (write) transaction,
    and read without it once they have committed (Database.request_session). It opens only
    after the request's form has arrived: a writer's first statement takes SQLite's write lock,
    and a slow client sending its body would otherwise hold every other writer waiting."""
    with get_database(request).request_session(write=request.method not in SAFE_METHODS) as session:
        # A page's header reads its unread count through it (app/notifications/views.py), so a
        # page holds one connection, not two; gone once the session is closed.
        request.state.db_session = session
        try:
            yield session
        finally:
            request.state.db_session = None


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


@dataclass(frozen=True)
class Auth:
    user: User
    user_session: UserSession
    via_cookie: bool


def _authenticate(request: Request, settings: SettingsDep) -> Auth | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token, kind, via_cookie = header[7:].strip(), "api", False
    else:
        token, kind, via_cookie = request.cookies.get(SESSION_COOKIE, ""), "browser", True
    if not token:
        return None
    database = get_database(request)
    # Looked up in a short session of its own, before the request's session has begun: a
    # writing request holds SQLite's write lock from its first statement on, and the touch
    # below would otherwise wait for the request's own lock (30 s, then "database is locked").
    with database.session() as reader:
        found = auth.resolve_session(session=reader, token=token, kind=kind, settings=settings)
    if found is None:
        return None
    user, user_session = found
    if utcnow() - user_session.last_seen_at > timedelta(minutes=1):
        # A separate short write, so that reads never hold a write lock. (API tokens too: their
        # owner sees when each was last used.)
        with database.session(write=True) as writer:
            auth.touch_session(session=writer, session_id=user_session.id)
    request.state.user = user
    request.state.csrf_token = user_session.csrf_token if via_cookie else ""
    return Auth(user=user, user_session=user_session, via_cookie=via_cookie)


OptionalAuth = Annotated[Auth | None, Depends(_authenticate)]


async def _require_auth(request: Request, found: OptionalAuth) -> Auth:
    if found is None:
        raise NotAuthenticated()
    if found.user_session.read_only and request.method not in SAFE_METHODS:
        raise Forbidden("API-nøglen må kun læse: lav en nøgle uden »Kun læseadgang« for at ændre.")
    if found.via_cookie and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and is_form(request):
            sent = str((await request.form()).get(CSRF_FIELD) or "")
        if not tokens_equal(sent, found.user_session.csrf_token):
            raise CsrfRejected()
    return found


CurrentAuth = Annotated[Auth, Depends(_require_auth)]


async def _current_user(found: CurrentAuth) -> User:
    return found.user


CurrentUser = Annotated[User, Depends(_current_user)]


async def _admin_user(user: CurrentUser) -> User:
    if not user.is_admin:
        raise Forbidden("Kun en administrator må dette.")
    return user


AdminUser = Annotated[User, Depends(_admin_user)]


# The core knows of projects only that they are rows of this table (the domain is governance's).
PROJECT_TABLE = sa.table("project", sa.column("id"))


def _memberships(session: Session, *, user: User, project_id: int) -> list[Any] | None:
    """The user's (role, group) rows in the project, in one statement: None when there is no
    such project, [(None, None)] when the user holds no role in it."""
    rows = session.execute(
        sa.select(col(ProjectMember.role), col(ProjectMember.group_id))
        .select_from(PROJECT_TABLE)
        .outerjoin(
            ProjectMember,
            sa.and_(
                col(ProjectMember.project_id) == project_id, col(ProjectMember.user_id) == user.id
            ),
        )
        .where(PROJECT_TABLE.c.id == project_id)
    ).all()
    return list(rows) or None


def _project_access(project_id: int, user: CurrentUser, session: SessionDep) -> auth.Access:
    rows = _memberships(session, user=user, project_id=project_id)
    if rows is None:
        raise NotFound("Projektet findes ikke.")
    access = auth.access_of(user, project_id, rows)
    if not access.is_admin and not access.roles:
        raise Forbidden("Du har ikke adgang til dette projekt.")
    return access


ProjectAccess = Annotated[auth.Access, Depends(_project_access)]


def require_roles(
    *roles: Role, message: str
) -> Callable[[auth.Access], Coroutine[Any, Any, auth.Access]]:
    """A dependency that lets through administrators and holders of one of the roles."""

    async def dependency(access: ProjectAccess) -> auth.Access:
        if not access.has(*roles):
            raise Forbidden(message)
        return access

    return dependency


ProjectLeader = Annotated[
    auth.Access,
    Depends(require_roles(Role.project_leader, message="Kun projektlederen må ændre dette.")),
]
SteeringMember = Annotated[
    auth.Access,
    Depends(
        require_roles(
            Role.steering_member,
            message="Kun brugere med rollen »Styregruppemedlem« må træffe denne beslutning.",
        )
    ),
]
Secretariat = Annotated[
    auth.Access,
    Depends(
        require_roles(
            Role.secretariat,
            Role.project_leader,
            message="Kun sekretariatet og projektlederen må ændre møder og referater.",
        )
    ),
]
GroupWorker = Annotated[
    auth.Access,
    Depends(
        require_roles(
            Role.project_leader,
            Role.group_member,
            message="Kun projektlederen og gruppens medlemmer må ændre dette.",
        )
    ),
]
