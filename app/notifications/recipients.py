"""Who is told: the user accounts behind a body's seats, a group, or one person. A user is tied
to a person of the project by their access (ProjectMember.person_id); a person without an
account is told nothing. One query each; the plural forms answer for many groups or persons
in one query (the daily run over every milestone and measure)."""

from collections.abc import Iterable

from sqlalchemy import case, or_
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


def groups_users(
    *, session: Session, groups: Iterable[tuple[int, int | None]]
) -> dict[tuple[int, int], list[int]]:
    """group_users for many (project, group) pairs in one query: each pair's users."""
    wanted = {(pid, gid) for pid, gid in groups if gid is not None}
    found: dict[tuple[int, int], set[int]] = {key: set() for key in wanted}
    if not wanted:
        return {}
    project_ids = sorted({pid for pid, _ in wanted})
    group_ids = sorted({gid for _, gid in wanted})
    rows = session.exec(
        select(
            ProjectMember.project_id,
            ProjectMember.user_id,
            case((col(ProjectMember.role) == Role.group_member, col(ProjectMember.group_id))),
            Membership.body_id,
        )
        .join(User, col(User.id) == ProjectMember.user_id)
        .outerjoin(
            Membership,
            (col(Membership.person_id) == ProjectMember.person_id)
            & col(Membership.body_id).in_(group_ids),
        )
        .where(
            col(ProjectMember.project_id).in_(project_ids),
            col(User.is_active),
            or_(
                col(Membership.body_id).is_not(None),
                (col(ProjectMember.role) == Role.group_member)
                & col(ProjectMember.group_id).in_(group_ids),
            ),
        )
    ).all()
    for project_id, user_id, own_group, seat in rows:  # own_group: a group member's group
        for group_id in (seat, own_group):
            if (project_id, group_id) in found:
                found[(project_id, group_id)].add(user_id)  # type: ignore[index]
    return {key: sorted(users) for key, users in found.items()}


def persons_users(
    *, session: Session, persons: Iterable[tuple[int, int | None]]
) -> dict[tuple[int, int], list[int]]:
    """person_users for many (project, person) pairs in one query: each pair's accounts."""
    wanted = {(pid, person) for pid, person in persons if person is not None}
    found: dict[tuple[int, int], set[int]] = {key: set() for key in wanted}
    if not wanted:
        return {}
    rows = session.exec(
        select(ProjectMember.project_id, ProjectMember.person_id, ProjectMember.user_id)
        .join(User, col(User.id) == ProjectMember.user_id)
        .where(
            col(ProjectMember.project_id).in_(sorted({pid for pid, _ in wanted})),
            col(ProjectMember.person_id).in_(sorted({person for _, person in wanted})),
            col(User.is_active),
        )
    ).all()
    for project_id, person_id, user_id in rows:
        if (project_id, person_id) in found:
            found[(project_id, person_id)].add(user_id)  # type: ignore[index]
    return {key: sorted(users) for key, users in found.items()}


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
