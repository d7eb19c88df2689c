"""Reading and changing the project organisation: the charter, director areas, people, bodies,
memberships and mandates. One commit per use case, at the end; a refusal raises before any write."""

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, func, select

from app.audit import service as audit
from app.auth.models import ProjectMember, Role, User
from app.auth.service import Access
from app.danish import format_date
from app.db import get_for_update, stored_id
from app.errors import Conflict, Invalid, NotFound, check_version
from app.governance.models import (
    BODY_KIND_LABELS,
    MEMBER_ROLE_LABELS,
    Body,
    BodyKind,
    Decision,
    DirectorArea,
    MandateItem,
    Meeting,
    MemberRole,
    Membership,
    Person,
    Project,
)
from app.governance.schemas import (
    BodyCreate,
    BodyUpdate,
    DirectorAreaCreate,
    DirectorAreaUpdate,
    MembershipCreate,
    MembershipUpdate,
    PersonCreate,
    PersonUpdate,
    ProjectCreate,
    ProjectUpdate,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Only one body of each of these kinds per project; implementation groups are any number.
SINGLE_KINDS = (BodyKind.directorate, BodyKind.steering_group, BodyKind.project_management)
# The usual reporting line, used when a new body is created without one.
USUAL_LINE = {
    BodyKind.implementation_group: BodyKind.project_management,
    BodyKind.project_management: BodyKind.steering_group,
    BodyKind.steering_group: BodyKind.directorate,
}
# Roles that belong to one kind of body only.
ROLE_KINDS = {
    MemberRole.group_lead: BodyKind.implementation_group,
    MemberRole.project_leader: BodyKind.project_management,
}
# Danish names of the tables that may refer to an entity being deleted (other domains' too).
USAGE_LABELS = {
    "membership": "medlemskaber af organer",
    "attendance": "mødedeltagelse",
    "follow_up_action": "opfølgningspunkter",
    "project_member": "brugeradgange",
    "person": "personer",
    "body": "organer, der refererer til det",
    "meeting": "møder",
    "decision": "beslutninger",
    "mandate_item": "mandatpunkter",
    # Other domains' tables as they stand; a table not named here shows by its own name.
    "plan": "tids- og handleplaner",
    "plan_version": "planversioner",
    "task": "opgaver",
    "milestone": "milepæle",
    "group_setting": "gruppens indstillinger",
    "stakeholder": "interessenter",
    "communication_action": "kommunikationsaktiviteter",
    "external_activity": "eksterne aktiviteter",
    "activity_delegate": "deltagere i eksterne aktiviteter",
    "budget_line": "budgetlinjer",
    "expenditure": "udgifter",
    "economy_entry": "økonomiposter",
    "indicator": "indikatorer",
    "raid_item": "risici, antagelser, problemer og afhængigheder",
}


# Projects and the charter -------------------------------------------------------------------


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
    """Change the charter (name, reform, purpose, anchoring, period, economy note)."""
    project = get_for_update(session=session, model=Project, item_id=by.project_id)
    if project is None:
        raise NotFound("Projektet findes ikke.")
    check_version(project, data.version)
    before = audit.snapshot(project)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for name in (
        "name",
        "municipality",
        "reform",
        "legal_basis",
        "purpose",
        "anchoring",
        "anchoring_decided_by",
        "economy_note",
    ):
        if name in changes and changes[name] is None:
            changes[name] = ""
    project.sqlmodel_update(changes)
    project.name = project.name.strip()
    _check_charter(project)
    project.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="project",
        entity_id=project.id,
        project_id=project.id,
        before=before,
        after=audit.snapshot(project),
    )
    session.commit()
    return project


# Access to a project (accounts) ---------------------------------------------------------------


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


def grant_access(
    *,
    session: Session,
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
            raise Invalid(
                "Et implementeringsgruppemedlem skal knyttes til en gruppe.", field="group_id"
            )
        get_group(session=session, project_id=project_id, group_id=group_id)
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
    member = ProjectMember(
        project_id=project_id, user_id=user_id, role=role, group_id=group_id, person_id=person_id
    )
    session.add(member)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="granted",
        entity="project_member",
        entity_id=member.id,
        project_id=project_id,
        after=audit.snapshot(member),
    )
    session.commit()
    return member


def revoke_access(*, session: Session, by: Access, member_id: int) -> None:
    """Take a role in the project away from a user."""
    member = session.get(ProjectMember, member_id)
    if member is None or member.project_id != by.project_id:
        raise NotFound("Adgangen findes ikke.")
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


# Deleting: refused while anything (in any domain) still refers to the row ---------------------


def _usages(*, session: Session, table: str, item_id: int, ignore: set[str]) -> list[str]:
    """Where other rows refer to this one, as Danish labels with counts. It walks the metadata
    instead of naming tables, because later domains (plans, tasks, grants) refer to people and
    bodies too, and a cascade there would silently delete their work."""
    found = []
    for t in SQLModel.metadata.sorted_tables:
        if t.name in ignore:
            continue
        for fk in t.foreign_keys:
            if fk.column.table.name != table:
                continue
            count = session.scalar(
                sa.select(sa.func.count()).select_from(t).where(fk.parent == item_id)
            )
            if count:
                found.append(f"{USAGE_LABELS.get(t.name, t.name.replace('_', ' '))} ({count})")
    return found


def refuse_if_used(
    *, session: Session, table: str, item_id: int, what: str, ignore: set[str] | None = None
) -> None:
    used = _usages(session=session, table=table, item_id=item_id, ignore=ignore or set())
    if used:
        raise Conflict(
            f"{what} kan ikke slettes, fordi der henvises til den fra: "
            f"{', '.join(used)}. Fjern eller flyt dem først."
        )


# Director areas -------------------------------------------------------------------------------


def director_areas(*, session: Session, project_id: int) -> list[DirectorArea]:
    """The project's director areas, in their set order."""
    return list(
        session.exec(
            select(DirectorArea)
            .where(DirectorArea.project_id == project_id)
            .order_by(col(DirectorArea.position), col(DirectorArea.id))
        ).all()
    )


def get_director_area(
    *, session: Session, project_id: int, area_id: int, lock: bool = False
) -> DirectorArea:
    """A director area of this project, or NotFound."""
    area = (
        get_for_update(session=session, model=DirectorArea, item_id=area_id)
        if lock
        else session.get(DirectorArea, area_id)
    )
    if area is None or area.project_id != project_id:
        raise NotFound("Direktørområdet findes ikke i dette projekt.")
    return area


def _check_area_name(
    *, session: Session, project_id: int, name: str, area_id: int | None = None
) -> str:
    name = name.strip()
    if not name:
        raise Invalid("Direktørområdets navn skal udfyldes.", field="name")
    same = session.exec(
        select(DirectorArea).where(
            DirectorArea.project_id == project_id,
            DirectorArea.name == name,
            DirectorArea.id != area_id,
        )
    ).first()
    if same:
        raise Invalid(f"Direktørområdet »{name}« findes allerede.", field="name")
    return name


def create_director_area(*, session: Session, by: Access, data: DirectorAreaCreate) -> DirectorArea:
    """Add a director area to the project."""
    name = _check_area_name(session=session, project_id=by.project_id, name=data.name)
    last = session.exec(
        select(func.max(DirectorArea.position)).where(DirectorArea.project_id == by.project_id)
    ).one()
    area = DirectorArea(project_id=by.project_id, name=name, position=(last or 0) + 1)
    session.add(area)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="director_area",
        entity_id=area.id,
        project_id=by.project_id,
        after=audit.snapshot(area),
    )
    session.commit()
    return area


def update_director_area(
    *, session: Session, by: Access, area_id: int, data: DirectorAreaUpdate
) -> DirectorArea:
    """Rename a director area."""
    area = get_director_area(session=session, project_id=by.project_id, area_id=area_id, lock=True)
    check_version(area, data.version)
    before = audit.snapshot(area)
    if data.name is not None:
        area.name = _check_area_name(
            session=session, project_id=by.project_id, name=data.name, area_id=area.id
        )
    area.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="director_area",
        entity_id=area.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(area),
    )
    session.commit()
    return area


def delete_director_area(*, session: Session, by: Access, area_id: int) -> None:
    """Remove a director area that no person belongs to."""
    area = get_director_area(session=session, project_id=by.project_id, area_id=area_id, lock=True)
    refuse_if_used(
        session=session,
        table="director_area",
        item_id=area_id,
        what=f"Direktørområdet »{area.name}«",
    )
    before = audit.snapshot(area)
    session.delete(area)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="director_area",
        entity_id=area_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# People ---------------------------------------------------------------------------------------


def people(*, session: Session, project_id: int) -> list[Person]:
    """The project's people, by name."""
    return list(
        session.exec(
            select(Person)
            .where(Person.project_id == project_id)
            .order_by(col(Person.name), col(Person.id))
        ).all()
    )


def get_person(*, session: Session, project_id: int, person_id: int, lock: bool = False) -> Person:
    """A person of this project, or NotFound."""
    person = (
        get_for_update(session=session, model=Person, item_id=person_id)
        if lock
        else session.get(Person, person_id)
    )
    if person is None or person.project_id != project_id:
        raise NotFound("Personen findes ikke i dette projekt.")
    return person


def person_in_project(
    *, session: Session, project_id: int, person_id: int | None, field: str = "person_id"
) -> Person | None:
    """The person for an id given in input: Invalid (not 404) when not in this project."""
    if person_id is None:
        return None
    person = session.get(Person, person_id)
    if person is None or person.project_id != project_id:
        raise Invalid("Personen findes ikke i dette projekt.", field=field)
    return person


def _check_person(*, session: Session, person: Person) -> None:
    person.name = person.name.strip()
    person.email = person.email.strip()
    if not person.name:
        raise Invalid("Personens navn skal udfyldes.", field="name")
    if person.email and not EMAIL.match(person.email):
        raise Invalid(f"E-mailadressen »{person.email}« er ikke gyldig.", field="email")
    if person.director_area_id is not None:
        # Checked before the changed person is flushed: an unknown area would otherwise fail
        # in the database (foreign key) instead of here with a message.
        with session.no_autoflush:
            area = session.get(DirectorArea, person.director_area_id)
        if area is None or area.project_id != person.project_id:
            raise Invalid("Direktørområdet findes ikke i dette projekt.", field="director_area_id")


def create_person(*, session: Session, by: Access, data: PersonCreate) -> Person:
    """Add a person (name, title, director area, e-mail) to the project."""
    person = Person(project_id=by.project_id, **data.model_dump())
    _check_person(session=session, person=person)
    session.add(person)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="person",
        entity_id=person.id,
        project_id=by.project_id,
        after=audit.snapshot(person),
    )
    session.commit()
    return person


def update_person(*, session: Session, by: Access, person_id: int, data: PersonUpdate) -> Person:
    """Change a person's name, title, director area or e-mail."""
    person = get_person(session=session, project_id=by.project_id, person_id=person_id, lock=True)
    check_version(person, data.version)
    before = audit.snapshot(person)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("name", "title", "email"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    person.sqlmodel_update(changes)
    _check_person(session=session, person=person)
    person.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="person",
        entity_id=person.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(person),
    )
    session.commit()
    return person


def delete_person(*, session: Session, by: Access, person_id: int) -> None:
    """Remove a person who sits in no body and appears nowhere else in the project."""
    person = get_person(session=session, project_id=by.project_id, person_id=person_id, lock=True)
    refuse_if_used(session=session, table="person", item_id=person_id, what=f"{person.name}")
    before = audit.snapshot(person)
    session.delete(person)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="person",
        entity_id=person_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


def memberships_of_people(
    *, session: Session, project_id: int
) -> dict[int, list[tuple[Membership, Body]]]:
    """Each person's seats in the project's bodies."""
    rows = session.exec(
        select(Membership, Body)
        .join(Body, col(Body.id) == Membership.body_id)
        .where(Body.project_id == project_id)
        .order_by(col(Body.position), col(Body.id))
    ).all()
    seats: dict[int, list[tuple[Membership, Body]]] = {}
    for membership, body in rows:
        seats.setdefault(membership.person_id, []).append((membership, body))
    return seats


# Bodies ---------------------------------------------------------------------------------------


def bodies(*, session: Session, project_id: int) -> list[Body]:
    """The project's bodies: directorate, steering group, project management, then the groups."""
    order = sa.case({k: i for i, k in enumerate(BodyKind)}, value=Body.kind)
    return list(
        session.exec(
            select(Body)
            .where(Body.project_id == project_id)
            .order_by(order, col(Body.position), col(Body.id))
        ).all()
    )


def get_body(*, session: Session, project_id: int, body_id: int, lock: bool = False) -> Body:
    """A body of this project, or NotFound."""
    body = (
        get_for_update(session=session, model=Body, item_id=body_id)
        if lock
        else session.get(Body, body_id)
    )
    if body is None or body.project_id != project_id:
        raise NotFound("Organet findes ikke i dette projekt.")
    return body


def body_in_project(
    *, session: Session, project_id: int, body_id: int | None, field: str = "body_id"
) -> Body | None:
    """The body for an id given in input: Invalid (not 404) when not in this project."""
    if body_id is None:
        return None
    body = session.get(Body, body_id)
    if body is None or body.project_id != project_id:
        raise Invalid("Organet findes ikke i dette projekt.", field=field)
    return body


def implementation_groups(*, session: Session, project_id: int) -> list[Body]:
    """The project's implementation groups, in their set order."""
    return list(
        session.exec(
            select(Body)
            .where(Body.project_id == project_id, Body.kind == BodyKind.implementation_group)
            .order_by(col(Body.position), col(Body.id))
        ).all()
    )


def get_group(*, session: Session, project_id: int, group_id: int) -> Body:
    """An implementation group of this project, or NotFound."""
    group = session.get(Body, group_id)
    if (
        group is None
        or group.project_id != project_id
        or group.kind != BodyKind.implementation_group
    ):
        raise NotFound("Implementeringsgruppen findes ikke i dette projekt.")
    return group


def steering_group(*, session: Session, project_id: int) -> Body:
    """The project's steering group (the body that approves plans and reports)."""
    body = session.exec(
        select(Body)
        .where(Body.project_id == project_id, Body.kind == BodyKind.steering_group)
        .order_by(col(Body.id))
    ).first()
    if body is None:
        raise Invalid("Projektet har ingen styregruppe.", field="body_id")
    return body


def _body_of_kind(*, session: Session, project_id: int, kind: BodyKind) -> Body | None:
    return session.exec(
        select(Body).where(Body.project_id == project_id, Body.kind == kind).order_by(col(Body.id))
    ).first()


def _check_reports_to(*, session: Session, body: Body, reports_to_id: int | None) -> None:
    target = body_in_project(
        session=session, project_id=body.project_id, body_id=reports_to_id, field="reports_to_id"
    )
    seen: set[int] = set()
    while target is not None and target.id not in seen:
        if target.id == body.id:
            raise Invalid(
                "Et organ kan ikke referere til sig selv, heller ikke gennem andre organer.",
                field="reports_to_id",
            )
        seen.add(target.id or 0)
        target = session.get(Body, target.reports_to_id) if target.reports_to_id else None


def _check_body_name(body: Body) -> None:
    body.name = body.name.strip()
    if not body.name:
        raise Invalid("Organets navn skal udfyldes.", field="name")


def create_body(*, session: Session, by: Access, data: BodyCreate) -> Body:
    """Add a body; without a reporting line given it gets the usual one for its kind."""
    project_id = by.project_id
    if data.kind in SINGLE_KINDS:
        existing = _body_of_kind(session=session, project_id=project_id, kind=data.kind)
        if existing:
            raise Invalid(
                f"Projektet har allerede en {BODY_KIND_LABELS[data.kind].lower()} "
                f"(»{existing.name}«). Der kan kun være én.",
                field="kind",
            )
    if "reports_to_id" in data.model_fields_set:
        reports_to_id = data.reports_to_id
    else:
        above = USUAL_LINE.get(data.kind)
        usual = above and _body_of_kind(session=session, project_id=project_id, kind=above)
        reports_to_id = usual.id if usual else None
    last = session.exec(
        select(func.max(Body.position)).where(Body.project_id == project_id, Body.kind == data.kind)
    ).one()
    body = Body(
        project_id=project_id,
        kind=data.kind,
        name=data.name,
        description=data.description,
        position=(last or 0) + 1,
    )
    _check_body_name(body)
    _check_reports_to(session=session, body=body, reports_to_id=reports_to_id)
    body.reports_to_id = reports_to_id
    session.add(body)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="body",
        entity_id=body.id,
        project_id=project_id,
        after=audit.snapshot(body),
    )
    session.commit()
    return body


def update_body(*, session: Session, by: Access, body_id: int, data: BodyUpdate) -> Body:
    """Change a body's name, description or reporting line (its kind stays)."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id, lock=True)
    check_version(body, data.version)
    before = audit.snapshot(body)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "reports_to_id" in changes:
        _check_reports_to(session=session, body=body, reports_to_id=changes["reports_to_id"])
    for name in ("name", "description"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    body.sqlmodel_update(changes)
    _check_body_name(body)
    body.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="body",
        entity_id=body.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(body),
    )
    session.commit()
    return body


def delete_body(*, session: Session, by: Access, body_id: int) -> None:
    """Remove a body with its memberships and mandate, unless meetings, decisions, other bodies
    or other domains' work refer to it."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id, lock=True)
    refuse_if_used(
        session=session,
        table="body",
        item_id=body_id,
        what=f"»{body.name}«",
        ignore={"membership", "mandate_item"},
    )
    before = audit.snapshot(body) | {
        "members": [audit.snapshot(m) for m in members(session=session, body_id=body_id)],
        "mandate": [
            audit.snapshot(i)
            for i in session.exec(select(MandateItem).where(MandateItem.body_id == body_id)).all()
        ],
    }
    session.delete(body)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="body",
        entity_id=body_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# Memberships ----------------------------------------------------------------------------------


def members(*, session: Session, body_id: int) -> list[Membership]:
    """A body's memberships, in the order they were added."""
    return list(
        session.exec(
            select(Membership).where(Membership.body_id == body_id).order_by(col(Membership.id))
        ).all()
    )


def members_with_people(*, session: Session, body_id: int) -> list[tuple[Membership, Person]]:
    """A body's memberships with their people, chair and members first, secretariat last."""
    order = sa.case(
        {
            r: i
            for i, r in enumerate(
                [
                    MemberRole.chair,
                    MemberRole.project_leader,
                    MemberRole.group_lead,
                    MemberRole.member,
                    MemberRole.ad_hoc,
                    MemberRole.secretariat,
                ]
            )
        },
        value=Membership.role,
    )
    return list(
        session.exec(
            select(Membership, Person)
            .join(Person, col(Person.id) == Membership.person_id)
            .where(Membership.body_id == body_id)
            .order_by(order, col(Membership.id))
        ).all()
    )


def get_membership(
    *, session: Session, project_id: int, body_id: int, membership_id: int, lock: bool = False
) -> Membership:
    """A membership of a body of this project, or NotFound."""
    get_body(session=session, project_id=project_id, body_id=body_id)
    membership = (
        get_for_update(session=session, model=Membership, item_id=membership_id)
        if lock
        else session.get(Membership, membership_id)
    )
    if membership is None or membership.body_id != body_id:
        raise NotFound("Medlemskabet findes ikke.")
    return membership


def _check_membership(body: Body, membership: Membership) -> None:
    needed_kind = ROLE_KINDS.get(membership.role)
    if needed_kind and body.kind != needed_kind:
        raise Invalid(
            f"Rollen »{MEMBER_ROLE_LABELS[membership.role]}« findes kun i en "
            f"{BODY_KIND_LABELS[needed_kind].lower()}.",
            field="role",
        )
    membership.condition = membership.condition.strip()
    if membership.role == MemberRole.ad_hoc:
        if not membership.condition:
            raise Invalid(
                "Et ad hoc-medlem skal have en betingelse for, hvornår det tilkobles "
                "(f.eks. »når det omhandler ydelser«).",
                field="condition",
            )
    else:
        # Only ad hoc members are attached on a condition; another role carries none.
        membership.condition = ""


def add_member(*, session: Session, by: Access, body_id: int, data: MembershipCreate) -> Membership:
    """Seat a person of the project in a body with a role (an ad hoc member with its condition)."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id, lock=True)
    person = person_in_project(session=session, project_id=by.project_id, person_id=data.person_id)
    assert person is not None
    existing = session.exec(
        select(Membership).where(Membership.body_id == body_id, Membership.person_id == person.id)
    ).first()
    if existing:
        raise Invalid(
            f"{person.name} er allerede med i {body.name} (som "
            f"{MEMBER_ROLE_LABELS[existing.role].lower()}). En person kan kun være med "
            f"én gang i et organ; ret rollen i stedet.",
            field="person_id",
        )
    membership = Membership(
        body_id=body_id, person_id=stored_id(person), role=data.role, condition=data.condition
    )
    _check_membership(body, membership)
    session.add(membership)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="membership",
        entity_id=membership.id,
        project_id=by.project_id,
        after=audit.snapshot(membership) | {"person": person.name, "body": body.name},
    )
    session.commit()
    return membership


def update_member(
    *, session: Session, by: Access, body_id: int, membership_id: int, data: MembershipUpdate
) -> Membership:
    """Change a member's role or ad hoc condition."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id)
    membership = get_membership(
        session=session,
        project_id=by.project_id,
        body_id=body_id,
        membership_id=membership_id,
        lock=True,
    )
    check_version(membership, data.version)
    before = audit.snapshot(membership)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if changes.get("condition", "") is None:
        changes["condition"] = ""
    if changes.get("role", "") is None:
        del changes["role"]
    membership.sqlmodel_update(changes)
    _check_membership(body, membership)
    membership.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="membership",
        entity_id=membership.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(membership),
    )
    session.commit()
    return membership


def remove_member(*, session: Session, by: Access, body_id: int, membership_id: int) -> None:
    """Take a person out of a body (their past attendance at meetings stays)."""
    membership = get_membership(
        session=session,
        project_id=by.project_id,
        body_id=body_id,
        membership_id=membership_id,
        lock=True,
    )
    before = audit.snapshot(membership)
    session.delete(membership)
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="membership",
        entity_id=membership_id,
        project_id=by.project_id,
        before=before,
    )
    session.commit()


# The organisation chart -----------------------------------------------------------------------


@dataclass
class ChartNode:
    """A body in the organisation chart, with its members and the bodies reporting to it."""

    body: Body
    members: list[tuple[Membership, Person]]
    children: list["ChartNode"] = field(default_factory=list)


def organisation_tree(*, session: Session, project_id: int) -> list[ChartNode]:
    """The bodies as trees along their reporting lines (a body without one is a root)."""
    found = bodies(session=session, project_id=project_id)
    rows = session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(col(Membership.body_id).in_([b.id for b in found]))
        .order_by(col(Membership.id))
    ).all()
    order = [
        MemberRole.chair,
        MemberRole.project_leader,
        MemberRole.group_lead,
        MemberRole.member,
        MemberRole.ad_hoc,
        MemberRole.secretariat,
    ]
    seats: dict[int, list[tuple[Membership, Person]]] = {}
    for membership, person in sorted(rows, key=lambda r: order.index(r[0].role)):
        seats.setdefault(membership.body_id, []).append((membership, person))
    nodes = {b.id: ChartNode(body=b, members=seats.get(b.id or 0, [])) for b in found}
    roots = []
    for body in found:
        parent = nodes.get(body.reports_to_id)
        if parent is None or parent is nodes[body.id]:
            roots.append(nodes[body.id])
        else:
            parent.children.append(nodes[body.id])
    return roots


# Decisions inside another use case ------------------------------------------------------------


def fold(text: str) -> str:
    """Text as the decision search compares it: case-folded in Python (æøå included)."""
    return text.casefold()


def build_decision(
    *,
    session: Session,
    by: Access,
    body_id: int,
    decision_date: date,
    title: str,
    text: str = "",
    kind: str = "decision",
    meeting_id: int | None = None,
) -> Decision:
    """A new numbered decision after the checks every decision passes (no audit, no commit)."""
    project_id = by.project_id
    body_in_project(session=session, project_id=project_id, body_id=body_id)
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or meeting.project_id != project_id:
            raise Invalid("Mødet hører ikke til dette projekt.", field="meeting_id")
        if meeting.body_id != body_id:
            raise Invalid(
                "Mødet er et møde i et andet organ end det, der har truffet beslutningen.",
                field="body_id",
            )
    title = title.strip()
    if not title:
        raise Invalid("Beslutningen skal have en overskrift.", field="title")
    last = session.exec(
        select(func.max(Decision.number)).where(Decision.project_id == project_id)
    ).one()
    decision = Decision(
        project_id=project_id,
        number=(last or 0) + 1,
        body_id=body_id,
        meeting_id=meeting_id,
        decision_date=decision_date,
        title=title,
        text=text,
        kind=kind,
        recorded_by_id=by.user.id,
        search_text=fold(f"{title}\n{text}"),
    )
    session.add(decision)
    session.flush()
    return decision
