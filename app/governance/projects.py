"""Projects side by side and each one's charter (kommissorium): name, reform, purpose,
anchoring, periods and economy note. One commit per use case, at the end."""

from datetime import date

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.models import ProjectMember, Role, User
from app.auth.service import Access
from app.danish import format_date
from app.db import get_for_update, stored_id
from app.errors import Invalid, NotFound, require_version
from app.governance.bodies import GOVERNING_ROLES, body_in_project
from app.governance.models import Body, BodyKind, Project, ProjectBase
from app.governance.schemas import ProjectCreate, ProjectUpdate

# The charter's text fields: a change to null stores them empty.
TEXT_FIELDS = tuple(
    name for name, info in ProjectBase.model_fields.items() if info.annotation is str
)


def visible_projects(
    *, session: Session, user: User, offset: int = 0, limit: int = 50
) -> tuple[list[Project], int]:
    """The projects the user may see (all, for an administrator), by name, with the total."""
    query = select(Project)
    if not user.is_admin:
        member_of = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
        query = query.where(col(Project.id).in_(member_of))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(Project.name), col(Project.id)).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def get_project(*, session: Session, project_id: int) -> Project:
    """The project, or NotFound."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("Projektet findes ikke.")
    return project


def _check_charter(project: Project) -> None:
    if not project.name.strip():
        raise Invalid("Projektets navn skal udfyldes.", field="name")
    _check_period(project.start_date, project.end_date, "end_date", "Slutdatoen", "startdatoen")
    _check_period(
        project.follow_up_start_date,
        project.follow_up_end_date,
        "follow_up_end_date",
        "Opfølgningsperiodens slutdato",
        "dens startdato",
    )


def _check_period(start: date | None, end: date | None, name: str, what: str, other: str) -> None:
    if start and end and end < start:
        raise Invalid(
            f"{what} ({format_date(end)}) ligger før {other} ({format_date(start)}).", field=name
        )


def create_project(*, session: Session, by: User, data: ProjectCreate) -> Project:
    """A new project side by side with the others; optionally with the usual three bodies and a
    project leader (a user who gets the project leader's role)."""
    values = data.model_dump(exclude={"project_leader_user_id", "with_standard_bodies"})
    project = Project(**values | {"name": data.name.strip()})
    _check_charter(project)
    leader = None
    if data.project_leader_user_id is not None:
        leader = session.get(User, data.project_leader_user_id)
        if leader is None or not leader.is_active:
            raise Invalid("Brugeren findes ikke.", field="project_leader_user_id")
    session.add(project)
    session.flush()
    project_id = stored_id(project)
    bodies: list[str] = []
    if data.with_standard_bodies:
        above = None
        for position, (kind, name) in enumerate(
            [
                (BodyKind.directorate, "Direktionen"),
                (BodyKind.steering_group, "Styregruppen"),
                (BodyKind.project_management, "Projektledelsen"),
            ]
        ):
            body = Body(
                project_id=project_id, kind=kind, name=name, position=position, reports_to_id=above
            )
            session.add(body)
            session.flush()
            above = body.id
            bodies.append(name)
    if leader is not None:
        session.add(
            ProjectMember(
                project_id=project_id, user_id=stored_id(leader), role=Role.project_leader
            )
        )
    audit.record(
        session=session,
        by=by,
        action="created",
        entity="project",
        entity_id=project_id,
        project_id=project_id,
        after=audit.snapshot(project)
        | {"bodies": bodies, "project_leader": leader and leader.username},
    )
    session.commit()
    return project


def update_project(*, session: Session, by: Access, data: ProjectUpdate) -> Project:
    """Change the charter (name, reform, purpose, anchoring, period, economy note) and which
    bodies approve plans and reports and receive the reports (each a body of this project)."""
    project = get_for_update(session=session, model=Project, item_id=by.project_id)
    if project is None:
        raise NotFound("Projektet findes ikke.")
    require_version(project, data.version)
    before = audit.snapshot(project)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for name in TEXT_FIELDS:
        if name in changes and changes[name] is None:
            changes[name] = ""
    for role in GOVERNING_ROLES:
        if role.setting in changes:
            body_in_project(
                session=session,
                project_id=by.project_id,
                body_id=changes[role.setting],
                field=role.setting,
            )
    project.sqlmodel_update(changes)
    project.name = project.name.strip()
    _check_charter(project)
    project.version += 1
    audit.log(session=session, by=by, action="updated", row=project, before=before)
    session.commit()
    return project
