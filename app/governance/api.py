"""API of the project organisation: projects and charter, director areas, people, bodies with
members and mandates, meetings, the decision log, and the project document (export/import)."""

from typing import Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.deps import (
    AdminUser,
    CurrentUser,
    ProjectAccess,
    ProjectLeader,
    Secretariat,
    SessionDep,
)
from app.governance import decisions, mandates, meetings, service
from app.governance.models import Body as BodyRow
from app.governance.models import Decision, Meeting
from app.governance.permissions import DecisionMaker, FollowUpEditor, MinutesEditor
from app.governance.schemas import (
    AgendaItemCreate,
    AgendaItemPublic,
    AgendaItemUpdate,
    AttendancePublic,
    AttendanceSet,
    BodyCreate,
    BodyPublic,
    BodyUpdate,
    DecisionCreate,
    DecisionPage,
    DecisionPublic,
    DirectorAreaCreate,
    DirectorAreaPublic,
    DirectorAreaUpdate,
    FollowUpCreate,
    FollowUpPublic,
    FollowUpUpdate,
    MandateItemCreate,
    MandateItemPublic,
    MandateItemUpdate,
    MandatePublic,
    MeetingCreate,
    MeetingPage,
    MeetingPublic,
    MeetingUpdate,
    MembershipCreate,
    MembershipPublic,
    MembershipUpdate,
    MinutesUpdate,
    PersonCreate,
    PersonPublic,
    PersonUpdate,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
)
from app.projectdoc import document as projectdoc

router = APIRouter(prefix="/api", tags=["projekter"])
PROJECT = "/projects/{project_id}"


def _limit(limit: int) -> int:
    return min(max(1, limit), 500)


# Projects, charter and the project document --------------------------------------------------


class ProjectSummary(BaseModel):
    id: int
    name: str
    municipality: str


class ImportedProject(BaseModel):
    id: int
    name: str


@router.get("/projects", response_model=list[ProjectSummary])
def list_projects(
    user: CurrentUser, session: SessionDep, offset: int = 0, limit: int = 100
) -> list[ProjectSummary]:
    """The projects the caller may see, with their ids and names."""
    projects, _ = service.visible_projects(
        session=session, user=user, offset=max(0, offset), limit=_limit(limit)
    )
    return [
        ProjectSummary(id=p.id or 0, name=p.name, municipality=p.municipality) for p in projects
    ]


@router.post("/projects", response_model=ProjectPublic, status_code=201)
def create_project(data: ProjectCreate, user: AdminUser, session: SessionDep) -> Any:
    """A new project (administrator), optionally with the usual bodies and a project leader."""
    return service.create_project(session=session, by=user, data=data)


@router.post("/projects/import", response_model=ImportedProject, status_code=201)
def import_project(
    user: AdminUser, session: SessionDep, document: dict[str, Any] = Body(...)
) -> ImportedProject:
    """A new project from a project document; 422 lists every error's JSON path."""
    project = projectdoc.import_project(session=session, data=document, by=user)
    return ImportedProject(id=project.id or 0, name=project.name)


@router.get("/project-document/schema")
def project_document_schema(_user: CurrentUser) -> dict[str, Any]:
    """The JSON Schema of the project document."""
    return projectdoc.json_schema()


@router.get(PROJECT, response_model=ProjectPublic)
def get_project(access: ProjectAccess, session: SessionDep) -> Any:
    """The project's charter."""
    return service.get_project(session=session, project_id=access.project_id)


@router.patch(PROJECT, response_model=ProjectPublic)
def update_project(data: ProjectUpdate, access: ProjectLeader, session: SessionDep) -> Any:
    """Change the charter (send the version you read)."""
    return service.update_project(session=session, by=access, data=data)


@router.get(PROJECT + "/export")
def export_project(access: ProjectLeader, session: SessionDep) -> dict[str, Any]:
    """The whole project as one JSON document (keys instead of database ids)."""
    project = service.get_project(session=session, project_id=access.project_id)
    return projectdoc.export_project(session=session, project=project)


# Director areas and people ---------------------------------------------------------------------


@router.get(PROJECT + "/director-areas", response_model=list[DirectorAreaPublic])
def list_director_areas(access: ProjectAccess, session: SessionDep) -> Any:
    return service.director_areas(session=session, project_id=access.project_id)


@router.post(PROJECT + "/director-areas", response_model=DirectorAreaPublic, status_code=201)
def create_director_area(
    data: DirectorAreaCreate, access: ProjectLeader, session: SessionDep
) -> Any:
    return service.create_director_area(session=session, by=access, data=data)


@router.patch(PROJECT + "/director-areas/{area_id}", response_model=DirectorAreaPublic)
def update_director_area(
    area_id: int, data: DirectorAreaUpdate, access: ProjectLeader, session: SessionDep
) -> Any:
    return service.update_director_area(session=session, by=access, area_id=area_id, data=data)


@router.delete(PROJECT + "/director-areas/{area_id}", status_code=204)
def delete_director_area(area_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    service.delete_director_area(session=session, by=access, area_id=area_id)
    return Response(status_code=204)


@router.get(PROJECT + "/people", response_model=list[PersonPublic])
def list_people(access: ProjectAccess, session: SessionDep) -> Any:
    return service.people(session=session, project_id=access.project_id)


@router.post(PROJECT + "/people", response_model=PersonPublic, status_code=201)
def create_person(data: PersonCreate, access: ProjectLeader, session: SessionDep) -> Any:
    return service.create_person(session=session, by=access, data=data)


@router.get(PROJECT + "/people/{person_id}", response_model=PersonPublic)
def get_person(person_id: int, access: ProjectAccess, session: SessionDep) -> Any:
    return service.get_person(session=session, project_id=access.project_id, person_id=person_id)


@router.patch(PROJECT + "/people/{person_id}", response_model=PersonPublic)
def update_person(
    person_id: int, data: PersonUpdate, access: ProjectLeader, session: SessionDep
) -> Any:
    return service.update_person(session=session, by=access, person_id=person_id, data=data)


@router.delete(PROJECT + "/people/{person_id}", status_code=204)
def delete_person(person_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    service.delete_person(session=session, by=access, person_id=person_id)
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
        for m, p in service.members_with_people(session=session, body_id=body.id or 0)
    ]
    return BodyPublic.model_validate(body).model_copy(update={"members": members})


def _membership_public(
    session: Session, access_project: int, body_id: int, membership_id: int
) -> MembershipPublic:
    membership = service.get_membership(
        session=session, project_id=access_project, body_id=body_id, membership_id=membership_id
    )
    person = service.get_person(
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
def list_bodies(access: ProjectAccess, session: SessionDep) -> list[BodyPublic]:
    """Every body with its members (role and ad hoc condition)."""
    return [
        _body_public(session, b)
        for b in service.bodies(session=session, project_id=access.project_id)
    ]


@router.post(PROJECT + "/bodies", response_model=BodyPublic, status_code=201)
def create_body(data: BodyCreate, access: ProjectLeader, session: SessionDep) -> BodyPublic:
    """Add a body; without reports_to_id it gets the usual reporting line for its kind."""
    return _body_public(session, service.create_body(session=session, by=access, data=data))


@router.get(PROJECT + "/bodies/{body_id}", response_model=BodyPublic)
def get_body(body_id: int, access: ProjectAccess, session: SessionDep) -> BodyPublic:
    return _body_public(
        session, service.get_body(session=session, project_id=access.project_id, body_id=body_id)
    )


@router.patch(PROJECT + "/bodies/{body_id}", response_model=BodyPublic)
def update_body(
    body_id: int, data: BodyUpdate, access: ProjectLeader, session: SessionDep
) -> BodyPublic:
    return _body_public(
        session, service.update_body(session=session, by=access, body_id=body_id, data=data)
    )


@router.delete(PROJECT + "/bodies/{body_id}", status_code=204)
def delete_body(body_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    service.delete_body(session=session, by=access, body_id=body_id)
    return Response(status_code=204)


@router.get(PROJECT + "/bodies/{body_id}/members", response_model=list[MembershipPublic])
def list_members(body_id: int, access: ProjectAccess, session: SessionDep) -> Any:
    body = service.get_body(session=session, project_id=access.project_id, body_id=body_id)
    return _body_public(session, body).members


@router.post(
    PROJECT + "/bodies/{body_id}/members", response_model=MembershipPublic, status_code=201
)
def add_member(
    body_id: int, data: MembershipCreate, access: ProjectLeader, session: SessionDep
) -> MembershipPublic:
    """Seat a person in the body; an ad hoc member needs its condition."""
    membership = service.add_member(session=session, by=access, body_id=body_id, data=data)
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
    service.update_member(
        session=session, by=access, body_id=body_id, membership_id=membership_id, data=data
    )
    return _membership_public(session, access.project_id, body_id, membership_id)


@router.delete(PROJECT + "/bodies/{body_id}/members/{membership_id}", status_code=204)
def remove_member(
    body_id: int, membership_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    service.remove_member(session=session, by=access, body_id=body_id, membership_id=membership_id)
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
def list_mandates(access: ProjectAccess, session: SessionDep) -> list[MandatePublic]:
    """Every body's mandate and how many of its duties are met."""
    return [
        _mandate_public(m) for m in mandates.mandates(session=session, project_id=access.project_id)
    ]


@router.get(PROJECT + "/bodies/{body_id}/mandate", response_model=MandatePublic)
def get_mandate(body_id: int, access: ProjectAccess, session: SessionDep) -> MandatePublic:
    body = service.get_body(session=session, project_id=access.project_id, body_id=body_id)
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
    body_id: int, item_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    mandates.delete_mandate_item(session=session, by=access, body_id=body_id, item_id=item_id)
    return Response(status_code=204)


# Meetings --------------------------------------------------------------------------------------


def _meeting_public(session: Session, meeting: Meeting) -> MeetingPublic:
    return MeetingPublic.model_validate(meeting).model_copy(
        update={
            "agenda": [
                AgendaItemPublic.model_validate(a)
                for a in meetings.agenda(session=session, meeting_id=meeting.id or 0)
            ],
            "attendance": [
                AttendancePublic(
                    person_id=p.id or 0, person_name=p.name, status=a.status, reason=a.reason
                )
                for a, p in meetings.attendance(session=session, meeting_id=meeting.id or 0)
            ],
        }
    )


@router.get(PROJECT + "/meetings", response_model=MeetingPage)
def list_meetings(
    access: ProjectAccess,
    session: SessionDep,
    body_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> MeetingPage:
    """The project's meetings, newest first, optionally of one body."""
    rows, total = meetings.list_meetings(
        session=session,
        project_id=access.project_id,
        body_id=body_id,
        offset=max(0, offset),
        limit=_limit(limit),
    )
    return MeetingPage(
        items=[_meeting_public(session, m) for m in rows],
        total=total,
        offset=max(0, offset),
        limit=_limit(limit),
    )


@router.post(PROJECT + "/meetings", response_model=MeetingPublic, status_code=201)
def create_meeting(data: MeetingCreate, access: Secretariat, session: SessionDep) -> MeetingPublic:
    """Plan a meeting of a body; the date is required."""
    return _meeting_public(session, meetings.create_meeting(session=session, by=access, data=data))


@router.get(PROJECT + "/meetings/{meeting_id}", response_model=MeetingPublic)
def get_meeting(meeting_id: int, access: ProjectAccess, session: SessionDep) -> MeetingPublic:
    return _meeting_public(
        session,
        meetings.get_meeting(session=session, project_id=access.project_id, meeting_id=meeting_id),
    )


@router.patch(PROJECT + "/meetings/{meeting_id}", response_model=MeetingPublic)
def update_meeting(
    meeting_id: int, data: MeetingUpdate, access: Secretariat, session: SessionDep
) -> MeetingPublic:
    return _meeting_public(
        session,
        meetings.update_meeting(session=session, by=access, meeting_id=meeting_id, data=data),
    )


@router.put(PROJECT + "/meetings/{meeting_id}/minutes", response_model=MeetingPublic)
def update_minutes(
    meeting_id: int, data: MinutesUpdate, access: MinutesEditor, session: SessionDep
) -> MeetingPublic:
    """Write the minutes (secretariat, project leader, steering group members)."""
    return _meeting_public(
        session,
        meetings.update_minutes(session=session, by=access, meeting_id=meeting_id, data=data),
    )


@router.delete(PROJECT + "/meetings/{meeting_id}", status_code=204)
def delete_meeting(meeting_id: int, access: Secretariat, session: SessionDep) -> Response:
    """Cancel a meeting; refused once decisions refer to it."""
    meetings.delete_meeting(session=session, by=access, meeting_id=meeting_id)
    return Response(status_code=204)


@router.post(
    PROJECT + "/meetings/{meeting_id}/agenda", response_model=AgendaItemPublic, status_code=201
)
def add_agenda_item(
    meeting_id: int, data: AgendaItemCreate, access: Secretariat, session: SessionDep
) -> Any:
    return meetings.add_agenda_item(session=session, by=access, meeting_id=meeting_id, data=data)


@router.patch(PROJECT + "/meetings/{meeting_id}/agenda/{item_id}", response_model=AgendaItemPublic)
def update_agenda_item(
    meeting_id: int, item_id: int, data: AgendaItemUpdate, access: Secretariat, session: SessionDep
) -> Any:
    return meetings.update_agenda_item(
        session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
    )


@router.delete(PROJECT + "/meetings/{meeting_id}/agenda/{item_id}", status_code=204)
def delete_agenda_item(
    meeting_id: int, item_id: int, access: Secretariat, session: SessionDep
) -> Response:
    meetings.delete_agenda_item(session=session, by=access, meeting_id=meeting_id, item_id=item_id)
    return Response(status_code=204)


@router.put(
    PROJECT + "/meetings/{meeting_id}/attendance/{person_id}", response_model=AttendancePublic
)
def set_attendance(
    meeting_id: int, person_id: int, data: AttendanceSet, access: Secretariat, session: SessionDep
) -> AttendancePublic:
    """Register a person as present, absent or called in ad hoc (with the reason)."""
    row = meetings.set_attendance(
        session=session, by=access, meeting_id=meeting_id, person_id=person_id, data=data
    )
    person = service.get_person(session=session, project_id=access.project_id, person_id=person_id)
    return AttendancePublic(
        person_id=person_id, person_name=person.name, status=row.status, reason=row.reason
    )


@router.delete(PROJECT + "/meetings/{meeting_id}/attendance/{person_id}", status_code=204)
def clear_attendance(
    meeting_id: int, person_id: int, access: Secretariat, session: SessionDep
) -> Response:
    meetings.clear_attendance(
        session=session, by=access, meeting_id=meeting_id, person_id=person_id
    )
    return Response(status_code=204)


# Decisions -------------------------------------------------------------------------------------


def _decision_public(session: Session, decision: Decision) -> DecisionPublic:
    return DecisionPublic.model_validate(decision).model_copy(
        update={
            "supersedes_ids": [
                d.id for d in decisions.superseding(session=session, decision_id=decision.id or 0)
            ],
            "actions": [
                FollowUpPublic.model_validate(a)
                for a, _ in decisions.follow_ups(session=session, decision_id=decision.id or 0)
            ],
        }
    )


@router.get(PROJECT + "/decisions", response_model=DecisionPage)
def search_decisions(
    access: ProjectAccess,
    session: SessionDep,
    q: str = "",
    body_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> DecisionPage:
    """The decision log, newest first; q searches titles and texts (every word must occur)."""
    rows, total = decisions.search_decisions(
        session=session,
        project_id=access.project_id,
        q=q,
        body_id=body_id,
        offset=max(0, offset),
        limit=_limit(limit),
    )
    return DecisionPage(
        items=[_decision_public(session, d) for d in rows],
        total=total,
        offset=max(0, offset),
        limit=_limit(limit),
    )


@router.post(PROJECT + "/decisions", response_model=DecisionPublic, status_code=201)
def record_decision(
    data: DecisionCreate, access: DecisionMaker, session: SessionDep
) -> DecisionPublic:
    """Record a decision with its follow-up actions."""
    return _decision_public(
        session, decisions.record_decision(session=session, by=access, data=data)
    )


@router.get(PROJECT + "/decisions/{decision_id}", response_model=DecisionPublic)
def get_decision(decision_id: int, access: ProjectAccess, session: SessionDep) -> DecisionPublic:
    return _decision_public(
        session,
        decisions.get_decision(
            session=session, project_id=access.project_id, decision_id=decision_id
        ),
    )


@router.post(
    PROJECT + "/decisions/{decision_id}/supersede", response_model=DecisionPublic, status_code=201
)
def supersede_decision(
    decision_id: int, data: DecisionCreate, access: DecisionMaker, session: SessionDep
) -> DecisionPublic:
    """Record a new decision that supersedes this one (which stays in the log, marked)."""
    return _decision_public(
        session,
        decisions.supersede_decision(
            session=session, by=access, decision_id=decision_id, data=data
        ),
    )


@router.post(
    PROJECT + "/decisions/{decision_id}/actions", response_model=FollowUpPublic, status_code=201
)
def add_follow_up(
    decision_id: int, data: FollowUpCreate, access: FollowUpEditor, session: SessionDep
) -> Any:
    return decisions.add_follow_up(session=session, by=access, decision_id=decision_id, data=data)


@router.patch(
    PROJECT + "/decisions/{decision_id}/actions/{action_id}", response_model=FollowUpPublic
)
def update_follow_up(
    decision_id: int,
    action_id: int,
    data: FollowUpUpdate,
    access: FollowUpEditor,
    session: SessionDep,
) -> Any:
    """Change a follow-up action or mark it done (done_date)."""
    return decisions.update_follow_up(
        session=session, by=access, decision_id=decision_id, action_id=action_id, data=data
    )
