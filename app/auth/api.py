"""API: tokens for scripts (OAuth2 password flow), who am I and my tokens, and accounts for
administrators."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service
from app.auth.client import SignInClient, set_device_cookie
from app.auth.models import UserSession
from app.auth.schemas import (
    MePublic,
    PersonalTokenCreate,
    PersonalTokenCreated,
    ProjectRolePublic,
    SessionPublic,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from app.deps import AdminUser, CurrentAuth, CurrentUser, SessionDep, SettingsDep
from app.web.pagination import PageOf

router = APIRouter(prefix="/api", tags=["konti"])


@router.post("/token", response_model=TokenPublic)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    client: SignInClient,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenPublic:
    """Exchange username and password for a bearer token (throttled like the sign-in page)."""
    signed_in = service.sign_in(
        session=session,
        username=form.username,
        password=form.password,
        kind="api",
        client=client,
        settings=settings,
    )
    set_device_cookie(response, signed_in.device_token, settings)
    return TokenPublic(access_token=signed_in.token, expires_in=settings.api_token_hours * 3600)


@router.get("/me", response_model=MePublic)
def me(user: CurrentUser, session: SessionDep) -> MePublic:
    """Who the caller is, and their roles per project."""
    roles = [
        ProjectRolePublic(project_id=m.project_id, role=m.role, group_id=m.group_id)
        for m in service.roles_of(session=session, user=user)
    ]
    return MePublic(
        id=user.id or 0,
        username=user.username,
        full_name=user.full_name,
        is_admin=user.is_admin,
        roles=roles,
    )


def _public(row: UserSession, found: CurrentAuth) -> SessionPublic:
    return SessionPublic(
        id=row.ref,
        kind=row.kind,
        name=row.name,
        read_only=row.read_only,
        created_at=row.created_at,
        last_used_at=row.last_seen_at,
        expires_at=row.expires_at,
        current=row.id == found.user_session.id,
    )


@router.get("/me/tokens", response_model=list[SessionPublic])
def my_tokens(
    found: CurrentAuth, session: SessionDep, settings: SettingsDep, page: PageOf
) -> list[SessionPublic]:
    """The caller's own browser sessions, API tokens and personal access tokens that still
    work (never their secrets)."""
    return [
        _public(row, found)
        for row in page.slice(
            service.live_sessions(session=session, user=found.user, settings=settings)
        )
    ]


@router.post("/me/tokens", response_model=PersonalTokenCreated, status_code=201)
def create_personal_token(
    data: PersonalTokenCreate, found: CurrentAuth, session: SessionDep
) -> PersonalTokenCreated:
    """A personal access token for scripts (`Authorization: Bearer …`), with the caller's own
    rights or only reading them; `token` is shown in this answer only."""
    token, row = service.create_personal_token(
        session=session, user=found.user, data=data, made_with=found.user_session
    )
    return PersonalTokenCreated(token=token, **_public(row, found).model_dump())


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_my_token(token_id: str, user: CurrentUser, session: SessionDep) -> Response:
    """End one of the caller's own sessions or API tokens (another user's is not found)."""
    service.revoke_session(session=session, user=user, ref=token_id)
    return Response(status_code=204)


@router.get("/users", response_model=list[UserPublic])
def list_users(_admin: AdminUser, session: SessionDep, page: PageOf) -> list[UserPublic]:
    return [
        UserPublic.model_validate(u, from_attributes=True)
        for u in page.slice(service.list_users(session=session))
    ]


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(data: UserCreate, admin: AdminUser, session: SessionDep) -> UserPublic:
    user = service.create_user(session=session, by=admin, **data.model_dump())
    return UserPublic.model_validate(user, from_attributes=True)


@router.post("/users/{user_id}/deactivate", response_model=UserPublic)
def deactivate_user(user_id: int, admin: AdminUser, session: SessionDep) -> UserPublic:
    user = service.set_active(session=session, by=admin, user_id=user_id, active=False)
    return UserPublic.model_validate(user, from_attributes=True)


@router.post("/users/{user_id}/activate", response_model=UserPublic)
def activate_user(user_id: int, admin: AdminUser, session: SessionDep) -> UserPublic:
    user = service.set_active(session=session, by=admin, user_id=user_id, active=True)
    return UserPublic.model_validate(user, from_attributes=True)


@router.post("/users/{user_id}/unlock", response_model=UserPublic)
def unlock_user(user_id: int, admin: AdminUser, session: SessionDep) -> UserPublic:
    """End an account's sign-in delay at once (its failed sign-ins are forgotten)."""
    user = service.unlock(session=session, by=admin, user_id=user_id)
    return UserPublic.model_validate(user, from_attributes=True)
