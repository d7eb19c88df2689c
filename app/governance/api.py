"""API of the project organisation: projects and charter, the project document (export/import),
director areas, people, bodies with members and mandates. Meetings and the decision log:
meeting_api.py."""

from typing import Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.deps import (
    AdminUser,
    CurrentUser,
    ProjectAccess,
    ProjectLeader,
    SessionDep,
)
from app.governance import bodies, mandates, memberships, people, projects
from app.governance.models import Body as BodyRow
from app.governance.schemas import (
    BodyCreate,
    BodyPublic,
    BodyUpdate,
    DirectorAreaCreate,
    DirectorAreaPublic,
    DirectorAreaUpdate,
    MandateItemCreate,
    MandateItemPublic,
    MandateItemUpdate,
    MandatePublic,
    MembershipCreate,
    MembershipPublic,
    MembershipUpdate,
    PersonCreate,
    PersonPublic,
    PersonUpdate,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
)
from app.inputs import Day
from app.projectdoc import document as projectdoc
from app.projectdoc.refs import Refs
from app.web.pagination import PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["projekter"])
PROJECT = "/projects/{project_id}"


# Projects, charter and the project document --------------------------------------------------


class ProjectSummary(BaseModel):
    id: int
    name: str
    municipality: str


class ImportedProject(BaseModel):
    id: int
    name: str
    keys: dict[str, dict[str, int]] = Field(
        description="Dokumentets nøgler → de nye id'er, pr. slags: "
        '{"task": {"t1": 812, …}, "milestone": {…}, "person": {…}, …}.'
    )


@router.get("/projects", response_model=list[ProjectSummary])
def list_projects(user: CurrentUser, session: SessionDep, page: PageOf) -> list[ProjectSummary]:
    """The projects the caller may see, with their ids and names."""
    found, total = projects.visible_projects(
        session=session, user=user, offset=page.offset, limit=page.limit
    )
    page.answer(total)
    return [ProjectSummary(id=p.id or 0, name=p.name, municipality=p.municipality) for p in found]


@router.post("/projects", response_model=ProjectPublic, status_code=201)
def create_project(data: ProjectCreate, user: AdminUser, session: SessionDep) -> Any:
    """A new project (administrator), optionally with the usual bodies and a project leader."""
    return projects.create_project(session=session, by=user, data=data)


@router.post("/projects/import", response_model=ImportedProject, status_code=201)
def import_project(
    user: AdminUser, session: SessionDep, document: dict[str, Any] = Body(...)
) -> ImportedProject:
    """A new project from a project document; 422 lists every error's JSON path."""
    refs = Refs()
    project = projectdoc.import_project(session=session, data=document, by=user, refs=refs)
    return ImportedProject(id=project.id or 0, name=project.name, keys=refs.created())


@router.get("/project-document/schema")
def project_document_schema(_user: CurrentUser) -> dict[str, Any]:
    """The JSON Schema of the project document."""
    return projectdoc.json_schema()


@router.get(PROJECT, response_model=ProjectPublic)
def get_project(access: ProjectAccess, session: SessionDep) -> Any:
    """The project's charter."""
    return projects.get_project(session=session, project_id=access.project_id)


@router.patch(PROJECT, response_model=ProjectPublic)
def update_project(data: ProjectUpdate, access: ProjectLeader, session: SessionDep) -> Any:
    """Change the charter (send the version you read)."""
    return projects.update_project(session=session, by=access, data=data)


@router.get(PROJECT + "/export")
def export_project(access: ProjectLeader, session: SessionDep) -> dict[str, Any]:
    """The whole project as one JSON document (keys instead of database ids)."""
    project = projects.get_project(session=session, project_id=access.project_id)
    return projectdoc.export_project(session=session, project=project)


# Director areas and people ---------------------------------------------------------------------


@router.get(PROJECT + "/director-areas", response_model=list[DirectorAreaPublic])
def list_director_areas(access: ProjectAccess, session: SessionDep, page: PageOf) -> Any:
    return page.slice(people.director_areas(session=session, project_id=access.project_id))


@router.post(PROJECT + "/director-areas", response_model=DirectorAreaPublic, status_code=201)
def create_director_area(
    data: DirectorAreaCreate, access: ProjectLeader, session: SessionDep
) -> Any:
    return people.create_director_area(session=session, by=access, data=data)


@router.patch(PROJECT + "/director-areas/{area_id}", response_model=DirectorAreaPublic)
def update_director_area(
    area_id: int, data: DirectorAreaUpdate, access: ProjectLeader, session: SessionDep
) -> Any:
    return people.update_director_area(session=session, by=access, area_id=area_id, data=data)


@router.delete(PROJECT + "/director-areas/{area_id}", status_code=204)
def delete_director_area(
    area_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    people.delete_director_area(session=session, by=access, area_id=area_id, version=expected)
    return Response(status_code=204)


@router.get(PROJECT + "/people", response_model=list[PersonPublic])
def list_people(access: ProjectAccess, session: SessionDep, page: PageOf) -> Any:
    return page.slice(people.people(session=session, project_id=access.project_id))


@router.post(PROJECT + "/people", response_model=PersonPublic, status_code=201)
def create_person(data: PersonCreate, access: ProjectLeader, session: SessionDep) -> Any:
    return people.create_person(session=session, by=access, data=data)


@router.get(PROJECT + "/people/{person_id}", response_model=PersonPublic)
def get_person(person_id: int, access: ProjectAccess, session: SessionDep) -> Any:
    return people.get_person(session=session, project_id=access.project_id, person_id=person_id)


@router.patch(PROJECT + "/people/{person_id}", response_model=PersonPublic)
def update_person(
    person_id: int, data: PersonUpdate, access: ProjectLeader, session: SessionDep
) -> Any:
    return people.update_person(session=session, by=access, person_id=person_id, data=data)


@router.delete(PROJECT + "/people/{person_id}", status_code=204)
def delete_person(
    person_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    people.delete_person(session=session, by=access, person_id=person_id, version=expected)
    return Response(status_code=204)


# Bodies and members ----------------------------------------------------------------------------


def _body_public(session: Session, body: BodyRow) -> BodyPublic:
    members = [
        MembershipPublic(
            id=m.id or 0,
            body_id=m.body_id,
            person_id=m.person_id,
            person_name=p.name,
            role=m.role,
            condition=m.condition,
            version=m.version,
        )
        for m, p in memberships.members_with_people(session=session, body_id=body.id or 0)
    ]
    return BodyPublic.model_validate(body).model_copy(update={"members": members})


def _membership_public(
    session: Session, access_project: int, body_id: int, membership_id: int
) -> MembershipPublic:
    membership = memberships.get_membership(
        session=session, project_id=access_project, body_id=body_id, membership_id=membership_id
    )
    person = people.get_person(
        session=session, project_id=access_project, person_id=membership.person_id
    )
    return MembershipPublic(
        id=membership.id or 0,
        body_id=body_id,
        person_id=person.id or 0,
        person_name=person.name,
        role=membership.role,
        condition=membership.condition,
        version=membership.version,
    )


@router.get(PROJECT + "/bodies", response_model=list[BodyPublic])
def list_bodies(access: ProjectAccess, session: SessionDep, page: PageOf) -> list[BodyPublic]:
    """Every body with its members (role and ad hoc condition)."""
    return [
        _body_public(session, b)
        for b in page.slice(bodies.bodies(session=session, project_id=access.project_id))
    ]


@router.post(PROJECT + "/bodies", response_model=BodyPublic, status_code=201)
def create_body(data: BodyCreate, access: ProjectLeader, session: SessionDep) -> BodyPublic:
    """Add a body; without reports_to_id it gets the usual reporting line for its kind."""
    return _body_public(session, bodies.create_body(session=session, by=access, data=data))


@router.get(PROJECT + "/bodies/{body_id}", response_model=BodyPublic)
def get_body(body_id: int, access: ProjectAccess, session: SessionDep) -> BodyPublic:
    return _body_public(
        session, bodies.get_body(session=session, project_id=access.project_id, body_id=body_id)
    )


@router.patch(PROJECT + "/bodies/{body_id}", response_model=BodyPublic)
def update_body(
    body_id: int, data: BodyUpdate, access: ProjectLeader, session: SessionDep
) -> BodyPublic:
    return _body_public(
        session, bodies.update_body(session=session, by=access, body_id=body_id, data=data)
    )


@router.delete(PROJECT + "/bodies/{body_id}", status_code=204)
def delete_body(
    body_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    bodies.delete_body(session=session, by=access, body_id=body_id, version=expected)
    return Response(status_code=204)


@router.get(PROJECT + "/bodies/{body_id}/members", response_model=list[MembershipPublic])
def list_members(body_id: int, access: ProjectAccess, session: SessionDep, page: PageOf) -> Any:
    body = bodies.get_body(session=session, project_id=access.project_id, body_id=body_id)
    return page.slice(_body_public(session, body).members)


@router.post(
    PROJECT + "/bodies/{body_id}/members", response_model=MembershipPublic, status_code=201
)
def add_member(
    body_id: int, data: MembershipCreate, access: ProjectLeader, session: SessionDep
) -> MembershipPublic:
    """Seat a person in the body; an ad hoc member needs its condition."""
    membership = memberships.add_member(session=session, by=access, body_id=body_id, data=data)
    return _membership_public(session, access.project_id, body_id, membership.id or 0)


@router.patch(
    PROJECT + "/bodies/{body_id}/members/{membership_id}", response_model=MembershipPublic
)
def update_member(
    body_id: int,
    membership_id: int,
    data: MembershipUpdate,
    access: ProjectLeader,
    session: SessionDep,
) -> MembershipPublic:
    memberships.update_member(
        session=session, by=access, body_id=body_id, membership_id=membership_id, data=data
    )
    return _membership_public(session, access.project_id, body_id, membership_id)


@router.delete(PROJECT + "/bodies/{body_id}/members/{membership_id}", status_code=204)
def remove_member(
    body_id: int,
    membership_id: int,
    access: ProjectLeader,
    session: SessionDep,
    expected: ExpectedVersion,
    effective_date: Day | None = None,
) -> Response:
    """Take the person out of the body from effective_date (»Gælder fra«; default: today)."""
    memberships.remove_member(
        session=session,
        by=access,
        body_id=body_id,
        membership_id=membership_id,
        version=expected,
        effective_date=effective_date,
    )
    return Response(status_code=204)


# Mandates --------------------------------------------------------------------------------------


def _mandate_public(mandate: mandates.Mandate) -> MandatePublic:
    return MandatePublic(
        body_id=mandate.body.id or 0,
        body_name=mandate.body.name,
        done=mandate.done,
        total=mandate.total,
        items=[MandateItemPublic.model_validate(i) for i in mandate.items],
    )


@router.get(PROJECT + "/mandates", response_model=list[MandatePublic])
def list_mandates(access: ProjectAccess, session: SessionDep, page: PageOf) -> list[MandatePublic]:
    """Every body's mandate and how many of its duties are met."""
    return [
        _mandate_public(m)
        for m in page.slice(mandates.mandates(session=session, project_id=access.project_id))
    ]


@router.get(PROJECT + "/bodies/{body_id}/mandate", response_model=MandatePublic)
def get_mandate(body_id: int, access: ProjectAccess, session: SessionDep) -> MandatePublic:
    body = bodies.get_body(session=session, project_id=access.project_id, body_id=body_id)
    return _mandate_public(
        mandates.Mandate(body=body, items=mandates.mandate_items(session=session, body_id=body_id))
    )


@router.post(
    PROJECT + "/bodies/{body_id}/mandate", response_model=MandateItemPublic, status_code=201
)
def add_mandate_item(
    body_id: int, data: MandateItemCreate, access: ProjectLeader, session: SessionDep
) -> Any:
    return mandates.add_mandate_item(session=session, by=access, body_id=body_id, data=data)


@router.patch(PROJECT + "/bodies/{body_id}/mandate/{item_id}", response_model=MandateItemPublic)
def update_mandate_item(
    body_id: int, item_id: int, data: MandateItemUpdate, access: ProjectLeader, session: SessionDep
) -> Any:
    """Follow up on a duty: status, note, date."""
    return mandates.update_mandate_item(
        session=session, by=access, body_id=body_id, item_id=item_id, data=data
    )


@router.delete(PROJECT + "/bodies/{body_id}/mandate/{item_id}", status_code=204)
def delete_mandate_item(
    body_id: int,
    item_id: int,
    access: ProjectLeader,
    session: SessionDep,
    expected: ExpectedVersion,
) -> Response:
    mandates.delete_mandate_item(
        session=session, by=access, body_id=body_id, item_id=item_id, version=expected
    )
    return Response(status_code=204)
