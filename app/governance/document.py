"""The organisation's part of the project document: charter, director areas, people, bodies.

Entities refer to each other by document keys ("person-3"), never by database ids, so a document
exported from one installation imports into another.
"""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from app.governance.models import (
    Body,
    BodyKind,
    DirectorArea,
    MemberRole,
    Membership,
    Person,
    Project,
    ProjectBase,
)
from app.projectdoc.refs import Refs


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CharterDoc(Strict):
    name: str = Field(min_length=1, max_length=200)
    municipality: str = Field(default="", max_length=120)
    reform: str = Field(default="", max_length=300)
    legal_basis: str = Field(default="", max_length=1000)
    purpose: str = Field(default="", max_length=5000)
    anchoring: str = Field(default="", max_length=1000)
    anchoring_decided_by: str = Field(default="", max_length=500)
    anchoring_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    follow_up_start_date: date | None = None
    follow_up_end_date: date | None = None
    economy_note: str = Field(default="", max_length=5000)


class DirectorAreaDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)


class PersonDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    director_area: str | None = None


class MemberDoc(Strict):
    person: str
    role: MemberRole = MemberRole.member
    condition: str = Field(default="", max_length=500)


class BodyDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    kind: BodyKind
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    reports_to: str | None = None
    members: list[MemberDoc] = []


class OrganisationDoc(Strict):
    """The sections of the document that this domain owns."""

    project: CharterDoc
    director_areas: list[DirectorAreaDoc] = []
    people: list[PersonDoc] = []
    bodies: list[BodyDoc] = []


def export_organisation(session: Session, *, project: Project, refs: Refs) -> dict:
    """The charter, director areas, people and bodies of a project, as document sections."""
    areas = session.exec(
        select(DirectorArea).where(DirectorArea.project_id == project.id)
        .order_by(DirectorArea.position, DirectorArea.id)
    ).all()
    people = session.exec(
        select(Person).where(Person.project_id == project.id).order_by(Person.id)
    ).all()
    bodies = session.exec(
        select(Body).where(Body.project_id == project.id).order_by(Body.position, Body.id)
    ).all()
    memberships = session.exec(
        select(Membership)
        .where(col(Membership.body_id).in_([b.id for b in bodies]))
        .order_by(Membership.id)
    ).all()
    for i, area in enumerate(areas, 1):
        refs.name("area", area.id, f"area-{i}")
    for i, person in enumerate(people, 1):
        refs.name("person", person.id, f"person-{i}")
    for i, body in enumerate(bodies, 1):
        refs.name("body", body.id, f"body-{i}")
    members_by_body: dict[int, list[MemberDoc]] = {}
    for m in memberships:
        members_by_body.setdefault(m.body_id, []).append(
            MemberDoc(person=refs.key("person", m.person_id), role=m.role, condition=m.condition)
        )
    doc = OrganisationDoc(
        project=CharterDoc.model_validate(project.model_dump(include=set(CharterDoc.model_fields))),
        director_areas=[DirectorAreaDoc(key=refs.key("area", a.id), name=a.name) for a in areas],
        people=[
            PersonDoc(key=refs.key("person", p.id), name=p.name, title=p.title, email=p.email,
                      director_area=refs.key("area", p.director_area_id))
            for p in people
        ],
        bodies=[
            BodyDoc(key=refs.key("body", b.id), kind=b.kind, name=b.name,
                    description=b.description, reports_to=refs.key("body", b.reports_to_id),
                    members=members_by_body.get(b.id or 0, []))
            for b in bodies
        ],
    )
    return doc.model_dump(mode="json")


def check_organisation(doc: OrganisationDoc, refs: Refs) -> None:
    """Declare the document's keys and check every reference to them (errors go to refs)."""
    refs.declare_all("area", "$.director_areas", [a.key for a in doc.director_areas])
    refs.declare_all("person", "$.people", [p.key for p in doc.people])
    refs.declare_all("body", "$.bodies", [b.key for b in doc.bodies])
    for i, p in enumerate(doc.people):
        refs.check("area", p.director_area, f"$.people[{i}].director_area")
    for i, b in enumerate(doc.bodies):
        refs.check("body", b.reports_to, f"$.bodies[{i}].reports_to")
        seen: set[str] = set()
        for j, m in enumerate(b.members):
            path = f"$.bodies[{i}].members[{j}]"
            refs.check("person", m.person, f"{path}.person")
            if m.person in seen:
                refs.error(f"{path}.person", f"Personen »{m.person}« er med i organet to gange.")
            seen.add(m.person)
            if m.role == MemberRole.ad_hoc and not m.condition.strip():
                refs.error(f"{path}.condition",
                           "Et ad hoc-medlem skal have en betingelse for, hvornår det tilkobles.")


def load_organisation(session: Session, *, doc: OrganisationDoc, refs: Refs) -> Project:
    """Create the project and its organisation from checked document sections (no commit)."""
    project = Project.model_validate(ProjectBase.model_validate(doc.project.model_dump()))
    session.add(project)
    session.flush()
    for i, a in enumerate(doc.director_areas):
        area = DirectorArea(project_id=project.id, name=a.name, position=i)
        session.add(area)
        session.flush()
        refs.bind("area", a.key, area.id)
    people = []
    for p in doc.people:
        person = Person(project_id=project.id, name=p.name, title=p.title, email=p.email,
                        director_area_id=refs.id("area", p.director_area))
        session.add(person)
        people.append((p.key, person))
    session.flush()
    for key, person in people:
        refs.bind("person", key, person.id)
    bodies = []
    for i, b in enumerate(doc.bodies):
        body = Body(project_id=project.id, kind=b.kind, name=b.name, description=b.description,
                    position=i)
        session.add(body)
        bodies.append((b, body))
    session.flush()
    for b, body in bodies:
        refs.bind("body", b.key, body.id)
    for b, body in bodies:
        body.reports_to_id = refs.id("body", b.reports_to)
        for m in b.members:
            session.add(Membership(body_id=body.id, person_id=refs.id("person", m.person),
                                   role=m.role, condition=m.condition))
    session.flush()
    return project
