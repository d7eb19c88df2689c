"""The project's people and its director areas: who the organisation is made of, before any body
seats them. One commit per use case, at the end; a refusal raises before any write."""

import re

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.db import project_row
from app.errors import Invalid, require_version
from app.governance.models import Body, DirectorArea, Membership, Person
from app.governance.references import refuse_if_used
from app.governance.schemas import (
    DirectorAreaCreate,
    DirectorAreaUpdate,
    PersonCreate,
    PersonUpdate,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    return project_row(
        DirectorArea,
        area_id,
        session=session,
        project_id=project_id,
        missing="Direktørområdet findes ikke i dette projekt.",
        lock=lock,
    )


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
    audit.log(session=session, by=by, action="created", row=area)
    session.commit()
    return area


def update_director_area(
    *, session: Session, by: Access, area_id: int, data: DirectorAreaUpdate
) -> DirectorArea:
    """Rename a director area."""
    area = get_director_area(session=session, project_id=by.project_id, area_id=area_id, lock=True)
    require_version(area, data.version)
    before = audit.snapshot(area)
    if data.name is not None:
        area.name = _check_area_name(
            session=session, project_id=by.project_id, name=data.name, area_id=area.id
        )
    area.version += 1
    audit.log(session=session, by=by, action="updated", row=area, before=before)
    session.commit()
    return area


def delete_director_area(
    *, session: Session, by: Access, area_id: int, version: int | None
) -> None:
    """Remove a director area that no person belongs to."""
    area = get_director_area(session=session, project_id=by.project_id, area_id=area_id, lock=True)
    require_version(area, version)
    refuse_if_used(
        session=session,
        table="director_area",
        item_id=area_id,
        what=f"Direktørområdet »{area.name}«",
    )
    before = audit.snapshot(area)
    session.delete(area)
    audit.log(session=session, by=by, action="deleted", row=area, before=before)
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
    return project_row(
        Person,
        person_id,
        session=session,
        project_id=project_id,
        missing="Personen findes ikke i dette projekt.",
        lock=lock,
    )


def person_in_project(
    *, session: Session, project_id: int, person_id: int | None, field: str = "person_id"
) -> Person | None:
    """The person for an id given in input: Invalid (not 404) when not in this project."""
    if person_id is None:
        return None
    person = project_row(
        Person,
        person_id,
        session=session,
        project_id=project_id,
        missing="Personen findes ikke i dette projekt.",
        field=field,
    )
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
    audit.log(session=session, by=by, action="created", row=person)
    session.commit()
    return person


def update_person(*, session: Session, by: Access, person_id: int, data: PersonUpdate) -> Person:
    """Change a person's name, title, director area or e-mail."""
    person = get_person(session=session, project_id=by.project_id, person_id=person_id, lock=True)
    require_version(person, data.version)
    before = audit.snapshot(person)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("name", "title", "email"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    person.sqlmodel_update(changes)
    _check_person(session=session, person=person)
    person.version += 1
    audit.log(session=session, by=by, action="updated", row=person, before=before)
    session.commit()
    return person


def delete_person(*, session: Session, by: Access, person_id: int, version: int | None) -> None:
    """Remove a person who sits in no body and appears nowhere else in the project."""
    person = get_person(session=session, project_id=by.project_id, person_id=person_id, lock=True)
    require_version(person, version)
    refuse_if_used(session=session, table="person", item_id=person_id, what=f"{person.name}")
    before = audit.snapshot(person)
    session.delete(person)
    audit.log(session=session, by=by, action="deleted", row=person, before=before)
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
