"""Who has access to a project, with which role (auth's ProjectMember rows). It lives in
governance, not auth, because a grant names the project's own rows: a group member's
implementation group and the person a user is in the organisation."""

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.models import ProjectMember, Role, User
from app.auth.schemas import MemberCreate
from app.auth.service import Access
from app.db import project_row
from app.errors import Conflict, Invalid
from app.governance.bodies import get_group
from app.governance.models import Person


def list_members(*, session: Session, project_id: int) -> list[tuple[ProjectMember, User]]:
    """Who has access to the project, with which role."""
    return list(
        session.exec(
            select(ProjectMember, User)
            .join(User, col(User.id) == ProjectMember.user_id)
            .where(ProjectMember.project_id == project_id)
            .order_by(User.username, ProjectMember.role)
        ).all()
    )


def grant_access(*, session: Session, by: Access, data: MemberCreate) -> ProjectMember:
    """Give a user a role in the project; a group member's role names their group."""
    project_id = by.project_id
    if session.get(User, data.user_id) is None:
        raise Invalid("Brugeren findes ikke.", field="user_id")
    if data.role == Role.group_member:
        if data.group_id is None:
            raise Invalid(
                "Et implementeringsgruppemedlem skal knyttes til en gruppe.", field="group_id"
            )
        get_group(session=session, project_id=project_id, group_id=data.group_id)
    elif data.group_id is not None:
        raise Invalid("Kun implementeringsgruppemedlemmer knyttes til en gruppe.", field="group_id")
    if data.person_id is not None:
        project_row(
            Person,
            data.person_id,
            session=session,
            project_id=project_id,
            missing="Personen findes ikke i projektet.",
            field="person_id",
        )
    exists = session.exec(
        select(ProjectMember).where(
            ProjectMember.project_id == project_id,
            ProjectMember.user_id == data.user_id,
            ProjectMember.role == data.role,
            ProjectMember.group_id == data.group_id,
        )
    ).first()
    if exists:
        raise Conflict("Brugeren har allerede denne rolle i projektet.", field="role")
    member = ProjectMember(project_id=project_id, **data.model_dump())
    session.add(member)
    session.flush()
    audit.log(session=session, by=by, action="granted", row=member)
    session.commit()
    return member


def revoke_access(*, session: Session, by: Access, member_id: int) -> None:
    """Take a role in the project away from a user."""
    member = project_row(
        ProjectMember,
        member_id,
        session=session,
        project_id=by.project_id,
        missing="Adgangen findes ikke.",
    )
    before = audit.snapshot(member)
    session.delete(member)
    audit.record(
        session=session,
        by=by.user,
        action="revoked",
        entity="project_member",
        entity_id=member_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()
