"""Whom a hand-off goes to: the users who sit in a body (to be told of a report submitted, an
issued report, published minutes) and the project's leaders (told of an approval or a return).

A body's seat belongs to a person; a person is told when a user account in the project is linked
to them (project_member.person_id). Names are the persons' names, so a page can say whom a step
will reach, also those without an account (who get nothing in the app). One query each.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.auth.models import ProjectMember, Role
from app.governance.models import MemberRole, Membership, Person


@dataclass(frozen=True)
class Recipient:
    """A person a step reaches, with the user account told in the app (None: no account)."""

    name: str
    user_id: int | None


def body_recipients(*, session: Session, project_id: int, body_id: int) -> list[Recipient]:
    """The body's chair, members and secretariat (not ad hoc members), by name."""
    rows = session.exec(
        select(Person.name, ProjectMember.user_id)
        .join(Membership, col(Membership.person_id) == Person.id)
        .outerjoin(
            ProjectMember,
            (col(ProjectMember.person_id) == Person.id) & (ProjectMember.project_id == project_id),
        )
        .where(Membership.body_id == body_id, Membership.role != MemberRole.ad_hoc)
        .order_by(Person.name)
    ).all()
    found: dict[str, Recipient] = {}
    for name, user_id in rows:
        if name not in found or found[name].user_id is None:
            found[name] = Recipient(name=name, user_id=user_id)
    return list(found.values())


def project_leaders(*, session: Session, project_id: int) -> list[int]:
    """The user ids of the project's leaders."""
    return sorted(
        set(
            session.exec(
                select(ProjectMember.user_id).where(
                    ProjectMember.project_id == project_id,
                    ProjectMember.role == Role.project_leader,
                )
            ).all()
        )
    )


def user_ids(recipients: list[Recipient]) -> list[int]:
    """The accounts among the recipients, once each."""
    return sorted({r.user_id for r in recipients if r.user_id is not None})
