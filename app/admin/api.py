"""API of project access: which users hold which role in a project."""

from fastapi import APIRouter, Response

from app.auth.models import ProjectMember, User
from app.auth.schemas import MemberCreate, MemberPublic
from app.auth.service import get_user
from app.deps import ProjectLeader, SessionDep
from app.governance import access as project_access
from app.web.pagination import PageOf

router = APIRouter(prefix="/api", tags=["adgang"])


def _public(member: ProjectMember, user: User) -> MemberPublic:
    return MemberPublic(
        id=member.id or 0,
        project_id=member.project_id,
        user_id=member.user_id,
        username=user.username,
        role=member.role,
        group_id=member.group_id,
        person_id=member.person_id,
    )


@router.get("/projects/{project_id}/members", response_model=list[MemberPublic])
def list_members(access: ProjectLeader, session: SessionDep, page: PageOf) -> list[MemberPublic]:
    """Who has access to the project, with which role."""
    return [
        _public(m, u)
        for m, u in page.slice(
            project_access.list_members(session=session, project_id=access.project_id)
        )
    ]


@router.post("/projects/{project_id}/members", response_model=MemberPublic, status_code=201)
def grant(data: MemberCreate, access: ProjectLeader, session: SessionDep) -> MemberPublic:
    """Give a user a role in the project (a group member's role names the group)."""
    member = project_access.grant_access(session=session, by=access, data=data)
    return _public(member, get_user(session=session, user_id=member.user_id))


@router.delete("/projects/{project_id}/members/{member_id}", status_code=204)
def revoke(member_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    """Take a role away from a user."""
    project_access.revoke_access(session=session, by=access, member_id=member_id)
    return Response(status_code=204)
