"""Pages for administrators (accounts) and project leaders (who has access to the project)."""

import json
import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import service as auth
from app.auth import throttle
from app.auth.models import ROLE_LABELS, Role, User
from app.auth.schemas import MemberCreate
from app.config import Settings
from app.deps import AdminUser, ProjectLeader, SessionDep, SettingsDep
from app.errors import DomainError
from app.governance import access as project_access
from app.governance.bodies import implementation_groups
from app.governance.projects import get_project
from app.web.templating import render

router = APIRouter()


def _users_page(
    request: Request,
    session: SessionDep,
    settings: Settings,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "admin/users.html",
        {
            "users": auth.list_users(session=session),
            "failures": throttle.recent_failures(session=session, settings=settings),
            "max_wait_minutes": math.ceil(settings.login_max_delay_seconds / 60),
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


def _user_row(
    request: Request, session: SessionDep, settings: Settings, user: User, *, focus: str
) -> Response:
    """The user's row after one of its buttons; `focus` names what keeps the keyboard focus."""
    return render(
        request,
        "admin/_user_row.html",
        {
            "u": user,
            "failures": throttle.recent_failures(session=session, settings=settings),
            "focus": focus,
        },
    )


@router.get("/admin/users")
def users(
    request: Request, _admin: AdminUser, session: SessionDep, settings: SettingsDep
) -> Response:
    return _users_page(request, session, settings)


@router.post("/admin/users")
def create_user(
    request: Request,
    admin: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=80)] = "",
    full_name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    values = {"username": username, "full_name": full_name, "email": email}
    if not username.strip():
        return _users_page(
            request,
            session,
            settings,
            errors={"username": "Brugernavn skal udfyldes."},
            values=values,
            status_code=422,
        )
    try:
        auth.create_user(
            session=session,
            by=admin,
            username=username.strip(),
            password=password,
            full_name=full_name,
            email=email,
        )
    except DomainError as exc:
        return _users_page(
            request,
            session,
            settings,
            errors={exc.field or "username": exc.message},
            values=values,
            status_code=422,
        )
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/active")
def set_active(
    request: Request,
    user_id: int,
    admin: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    active: Annotated[bool, Form()] = False,
) -> Response:
    user = auth.set_active(session=session, by=admin, user_id=user_id, active=active)
    return _user_row(request, session, settings, user, focus="active")


@router.post("/admin/users/{user_id}/unlock")
def unlock(
    request: Request, user_id: int, admin: AdminUser, session: SessionDep, settings: SettingsDep
) -> Response:
    """End the account's sign-in delay: its failed sign-ins are forgotten (the wait of an
    address is separate, docs/architecture.md)."""
    user = auth.unlock(session=session, by=admin, user_id=user_id)
    response = _user_row(request, session, settings, user, focus="unlocked")
    response.headers["HX-Trigger"] = json.dumps(
        {"flash": f"{user.username} kan logge ind igen.", "user.unlocked": True},
        ensure_ascii=True,
    )
    return response


def _access_page(
    request: Request,
    access: ProjectLeader,
    session: SessionDep,
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "admin/access.html",
        {
            "project": get_project(session=session, project_id=access.project_id),
            "access": access,
            "members": project_access.list_members(session=session, project_id=access.project_id),
            "users": auth.list_users(session=session),
            "groups": implementation_groups(session=session, project_id=access.project_id),
            "role_labels": ROLE_LABELS,
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/projects/{project_id}/access")
def access_page(request: Request, access: ProjectLeader, session: SessionDep) -> Response:
    return _access_page(request, access, session)


@router.post("/projects/{project_id}/access")
def grant(
    request: Request,
    access: ProjectLeader,
    session: SessionDep,
    user_id: Annotated[int, Form()],
    role: Annotated[Role, Form()],
    group_id: Annotated[int | None, Form()] = None,
) -> Response:
    try:
        data = MemberCreate(user_id=user_id, role=role, group_id=group_id)
        project_access.grant_access(session=session, by=access, data=data)
    except DomainError as exc:
        return _access_page(
            request, access, session, error=exc.message, status_code=exc.status_code
        )
    return RedirectResponse(f"/projects/{access.project_id}/access", status_code=303)


@router.post("/projects/{project_id}/access/{member_id}/revoke")
def revoke(access: ProjectLeader, session: SessionDep, member_id: int) -> Response:
    project_access.revoke_access(session=session, by=access, member_id=member_id)
    return RedirectResponse(f"/projects/{access.project_id}/access", status_code=303)
