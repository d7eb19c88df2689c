"""Reading and changing the project organisation. One commit per use case, at the end."""

from datetime import date

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.models import ProjectMember, Role, User
from app.auth.service import Access
from app.errors import Conflict, Invalid, NotFound
from app.governance.models import Body, BodyKind, Decision, Meeting, Person, Project


def visible_projects(
    session: Session, *, user: User, offset: int = 0, limit: int = 50
) -> tuple[list[Project], int]:
    """The projects the user may see (all, for an administrator), by name, with the total."""
    query = select(Project)
    if not user.is_admin:
        member_of = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
        query = query.where(col(Project.id).in_(member_of))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Project.name, Project.id).offset(offset).limit(limit)).all()
    return list(rows), total


def get_project(session: Session, *, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("Projektet findes ikke.")
    return project


def implementation_groups(session: Session, *, project_id: int) -> list[Body]:
    """The project's implementation groups, in their set order."""
    return list(
        session.exec(
            select(Body)
            .where(Body.project_id == project_id, Body.kind == BodyKind.implementation_group)
            .order_by(Body.position, Body.id)
        ).all()
    )


def get_group(session: Session, *, project_id: int, group_id: int) -> Body:
    """An implementation group of this project, or NotFound."""
    group = session.get(Body, group_id)
    if group is None or group.project_id != project_id or group.kind != BodyKind.implementation_group:
        raise NotFound("Implementeringsgruppen findes ikke i dette projekt.")
    return group


def list_members(session: Session, *, project_id: int) -> list[tuple[ProjectMember, User]]:
    """Who has access to the project, with which role."""
    return list(
        session.exec(
            select(ProjectMember, User)
            .join(User, col(User.id) == ProjectMember.user_id)
            .where(ProjectMember.project_id == project_id)
            .order_by(User.username, ProjectMember.role)
        ).all()
    )


def grant_access(
    session: Session,
    *,
    by: Access,
    user_id: int,
    role: Role,
    group_id: int | None = None,
    person_id: int | None = None,
) -> ProjectMember:
    """Give a user a role in the project; a group member's role names their group."""
    project_id = by.project_id
    if session.get(User, user_id) is None:
        raise Invalid("Brugeren findes ikke.", field="user_id")
    if role == Role.group_member:
        if group_id is None:
            raise Invalid("Et implementeringsgruppemedlem skal knyttes til en gruppe.",
                          field="group_id")
        get_group(session, project_id=project_id, group_id=group_id)
    elif group_id is not None:
        raise Invalid("Kun implementeringsgruppemedlemmer knyttes til en gruppe.", field="group_id")
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is None or person.project_id != project_id:
            raise Invalid("Personen findes ikke i projektet.", field="person_id")
    exists = session.exec(
        select(ProjectMember).where(
            ProjectMember.project_id == project_id,
            ProjectMember.user_id == user_id,
            ProjectMember.role == role,
            ProjectMember.group_id == group_id,
        )
    ).first()
    if exists:
        raise Conflict("Brugeren har allerede denne rolle i projektet.", field="role")
    member = ProjectMember(project_id=project_id, user_id=user_id, role=role, group_id=group_id,
                           person_id=person_id)
    session.add(member)
    session.flush()
    audit.record(session, by=by.user, action="granted", entity="project_member",
                 entity_id=member.id, project_id=project_id, after=audit.snapshot(member))
    session.commit()
    return member


def revoke_access(session: Session, *, by: Access, member_id: int) -> None:
    """Take a role in the project away from a user."""
    member = session.get(ProjectMember, member_id)
    if member is None or member.project_id != by.project_id:
        raise NotFound("Adgangen findes ikke.")
    before = audit.snapshot(member)
    session.delete(member)
    audit.record(session, by=by.user, action="revoked", entity="project_member",
                 entity_id=member_id, project_id=by.project_id, before=before)
    session.commit()


def steering_group(session: Session, *, project_id: int) -> Body:
    """The project's steering group (the body that approves plans and reports)."""
    body = session.exec(
        select(Body).where(Body.project_id == project_id, Body.kind == BodyKind.steering_group)
        .order_by(Body.id)
    ).first()
    if body is None:
        raise Invalid("Projektet har ingen styregruppe.", field="body_id")
    return body


def add_decision(
    session: Session,
    *,
    by: Access,
    body_id: int,
    decision_date: date,
    title: str,
    text: str = "",
    kind: str = "decision",
    meeting_id: int | None = None,
) -> Decision:
    """Add an entry to the decision log inside the caller's transaction (no commit), so that a
    use case such as approving a plan records its decision atomically with the approval."""
    project_id = by.project_id
    body = session.get(Body, body_id)
    if body is None or body.project_id != project_id:
        raise Invalid("Organet findes ikke i dette projekt.", field="body_id")
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or meeting.project_id != project_id:
            raise Invalid("Mødet hører ikke til dette projekt.", field="meeting_id")
    last = session.exec(
        select(func.max(Decision.number)).where(Decision.project_id == project_id)
    ).one()
    decision = Decision(project_id=project_id, number=(last or 0) + 1, body_id=body_id,
                        meeting_id=meeting_id, decision_date=decision_date, title=title,
                        text=text, kind=kind, recorded_by_id=by.user.id)
    session.add(decision)
    session.flush()
    audit.record(session, by=by.user, action="recorded", entity="decision",
                 entity_id=decision.id, project_id=project_id, after=audit.snapshot(decision))
    return decision
