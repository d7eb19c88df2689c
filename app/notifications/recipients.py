"""Who is told: the user accounts behind a body's seats, a group, or one person. A user is tied
to a person of the project by their access (ProjectMember.person_id); a person without an
account is told nothing. One query each."""

from collections.abc import Iterable

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.auth.models import ProjectMember, Role, User
from app.governance.models import MemberRole, Membership

ALL_SEATS = tuple(MemberRole)


def body_users(
    *,
    session: Session,
    project_id: int,
    body_id: int | None,
    seats: Iterable[MemberRole] = ALL_SEATS,
    roles: Iterable[Role] = (),
) -> list[int]:
    """The active users whose person in the project sits in the body in one of `seats`, and
    (for bodies that approve) the holders of `roles` in the project."""
    seated = select(Membership.person_id).where(
        Membership.body_id == body_id, col(Membership.role).in_(list(seats))
    )
    rows = session.exec(
        select(ProjectMember.user_id)
        .join(User, col(User.id) == ProjectMember.user_id)
        .where(
            ProjectMember.project_id == project_id,
            col(User.is_active),
            or_(
                col(ProjectMember.person_id).in_(seated),
                col(ProjectMember.role).in_(list(roles)),
            ),
        )
        .distinct()
    ).all()
    return sorted(set(rows))


def group_users(*, session: Session, project_id: int, group_id: int | None) -> list[int]:
    """The users of a group: its members by access (»Implementeringsgruppemedlem« of the group)
    and the users whose person sits in it."""
    seated = select(Membership.person_id).where(Membership.body_id == group_id)
    rows = session.exec(
        select(ProjectMember.user_id)
        .join(User, col(User.id) == ProjectMember.user_id)
        .where(
            ProjectMember.project_id == project_id,
            col(User.is_active),
            or_(
                col(ProjectMember.person_id).in_(seated),
                (col(ProjectMember.role) == Role.group_member)
                & (col(ProjectMember.group_id) == group_id),
            ),
        )
        .distinct()
    ).all()
    return sorted(set(rows))


def person_users(*, session: Session, project_id: int, person_id: int | None) -> list[int]:
    """The account(s) of one person of the project (none when they have no account)."""
    if person_id is None:
        return []
    rows = session.exec(
        select(ProjectMember.user_id)
        .join(User, col(User.id) == ProjectMember.user_id)
        .where(
            ProjectMember.project_id == project_id,
            ProjectMember.person_id == person_id,
            col(User.is_active),
        )
        .distinct()
    ).all()
    return sorted(set(rows))


def project_leaders(*, session: Session, project_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active project leaders of each project (one query for all projects)."""
    ids = sorted(set(project_ids))
    found: dict[int, list[int]] = {pid: [] for pid in ids}
    if not ids:
        return found
    for project_id, user_id in session.exec(
        select(ProjectMember.project_id, ProjectMember.user_id)
        .join(User, col(User.id) == ProjectMember.user_id)
        .where(
            col(ProjectMember.project_id).in_(ids),
            ProjectMember.role == Role.project_leader,
            col(User.is_active),
        )
    ).all():
        found[project_id].append(user_id)
    return found
