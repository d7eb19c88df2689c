"""API: tokens for scripts (OAuth2 password flow), who am I, and accounts for administrators."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service
from app.auth.schemas import MePublic, ProjectRolePublic, TokenPublic, UserCreate, UserPublic
from app.deps import AdminUser, CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api", tags=["konti"])


@router.post("/token", response_model=TokenPublic)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> TokenPublic:
    """Exchange username and password for a bearer token."""
    user = service.authenticate(
        session, username=form.username, password=form.password, settings=settings
    )
    access_token = service.start_session(session, user=user, kind="api", settings=settings)
    return TokenPublic(access_token=access_token, expires_in=settings.api_token_hours * 3600)


@router.get("/me", response_model=MePublic)
def me(user: CurrentUser, session: SessionDep) -> MePublic:
    """Who the caller is, and their roles per project."""
    roles = [
        ProjectRolePublic(project_id=m.project_id, role=m.role, group_id=m.group_id)
        for m in service.roles_of(session, user=user)
    ]
    return MePublic(
        id=user.id or 0,
        username=user.username,
        full_name=user.full_name,
        is_admin=user.is_admin,
        roles=roles,
    )


@router.get("/users", response_model=list[UserPublic])
def list_users(_admin: AdminUser, session: SessionDep) -> list[UserPublic]:
    return [UserPublic.model_validate(u, from_attributes=True) for u in service.list_users(session)]


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(data: UserCreate, admin: AdminUser, session: SessionDep) -> UserPublic:
    user = service.create_user(session, by=admin, **data.model_dump())
    return UserPublic.model_validate(user, from_attributes=True)


@router.post("/users/{user_id}/deactivate", response_model=UserPublic)
def deactivate_user(user_id: int, admin: AdminUser, session: SessionDep) -> UserPublic:
    user = service.set_active(session, by=admin, user_id=user_id, active=False)
    return UserPublic.model_validate(user, from_attributes=True)


@router.post("/users/{user_id}/activate", response_model=UserPublic)
def activate_user(user_id: int, admin: AdminUser, session: SessionDep) -> UserPublic:
    user = service.set_active(session, by=admin, user_id=user_id, active=True)
    return UserPublic.model_validate(user, from_attributes=True)
