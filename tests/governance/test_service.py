import json
import re
from datetime import date

import pytest
from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.auth.models import ProjectMember, Role
from app.config import ROOT
from app.errors import Conflict, Invalid, NotFound
from app.governance import bodies, decisions, mandates, meetings, memberships, people, projects
from app.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Decision,
    DirectorArea,
    FollowUpAction,
    MandateItem,
    MandateStatus,
    Meeting,
    MemberRole,
    Membership,
    Person,
    Project,
)
from app.governance.schemas import (
    AgendaItemCreate,
    AgendaItemUpdate,
    AttendanceSet,
    BodyCreate,
    BodyUpdate,
    DecisionCreate,
    DirectorAreaCreate,
    FollowUpCreate,
    FollowUpUpdate,
    MandateItemCreate,
    MandateItemUpdate,
    MeetingCreate,
    MembershipCreate,
    MembershipUpdate,
    PersonCreate,
    PersonUpdate,
    ProjectCreate,
    ProjectUpdate,
)
from app.projectdoc.document import import_project
from tests.factories import make_body, make_person
from tests.governance.factories import access, make_area, make_decision, make_meeting


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def events(session, entity: str, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.entity == entity)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.exec(query).all())


# Charter and projects ---------------------------------------------------------------------------


def test_charter_update_bumps_version_and_is_audited(session, world):
    project = projects.update_project(
        session=session,
        by=access(session, world, "leader"),
        data=ProjectUpdate(
            purpose="Flest muligt i arbejde.",
            start_date=date(2012, 11, 1),
            end_date=date(2015, 11, 30),
            version=1,
        ),
    )
    assert project.version == 2 and project.purpose == "Flest muligt i arbejde."
    [event] = events(session, "project", "updated")
    assert event.before["purpose"] == "" and event.after["purpose"] == "Flest muligt i arbejde."


def test_charter_with_end_before_start_is_refused_in_danish(session, world):
    with pytest.raises(Invalid) as refused:
        projects.update_project(
            session=session,
            by=access(session, world, "leader"),
            data=ProjectUpdate(start_date=date(2013, 2, 1), end_date=date(2013, 1, 31), version=1),
        )
    assert refused.value.field == "end_date"
    assert refused.value.message == "Slutdatoen (31.01.2013) ligger før startdatoen (01.02.2013)."
    session.rollback()
    assert session.get(Project, world.project.id).start_date is None


def test_charter_from_an_outdated_copy_is_a_conflict(session, world):
    leader = access(session, world, "leader")
    projects.update_project(session=session, by=leader, data=ProjectUpdate(reform="A", version=1))
    with pytest.raises(Conflict):
        projects.update_project(
            session=session, by=leader, data=ProjectUpdate(reform="B", version=1)
        )
    session.rollback()
    assert session.get(Project, world.project.id).reform == "A"


def test_blank_project_name_is_refused(session, world):
    with pytest.raises(Invalid) as refused:
        projects.update_project(
            session=session,
            by=access(session, world, "leader"),
            data=ProjectUpdate(name="   ", version=1),
        )
    assert refused.value.field == "name"


def test_admin_creates_a_project_with_the_usual_bodies_and_a_leader(session, world):
    project = projects.create_project(
        session=session,
        by=world.users["admin"],
        data=ProjectCreate(
            name="Kontanthjælpsreformen",
            municipality="Assens Kommune",
            project_leader_user_id=world.users["member_b"].id,
        ),
    )
    found = bodies.bodies(session=session, project_id=project.id)
    assert [(b.kind, b.name) for b in found] == [
        (BodyKind.directorate, "Direktionen"),
        (BodyKind.steering_group, "Styregruppen"),
        (BodyKind.project_management, "Projektledelsen"),
    ]
    assert found[1].reports_to_id == found[0].id and found[2].reports_to_id == found[1].id
    grant = session.exec(select(ProjectMember).where(ProjectMember.project_id == project.id)).one()
    assert grant.user_id == world.users["member_b"].id and grant.role == Role.project_leader
    assert len(events(session, "project", "created")) == 1


def test_new_project_with_an_unknown_leader_stores_nothing(session, world):
    before = count(session, Project)
    with pytest.raises(Invalid):
        projects.create_project(
            session=session,
            by=world.users["admin"],
            data=ProjectCreate(name="X", project_leader_user_id=9999),
        )
    session.rollback()
    assert count(session, Project) == before


# Director areas and people ----------------------------------------------------------------------


def test_director_area_names_are_unique_per_project(session, world):
    leader = access(session, world, "leader")
    people.create_director_area(
        session=session, by=leader, data=DirectorAreaCreate(name="Børn og Unge")
    )
    with pytest.raises(Invalid) as refused:
        people.create_director_area(
            session=session, by=leader, data=DirectorAreaCreate(name=" Børn og Unge ")
        )
    assert "findes allerede" in refused.value.message
    other = access(session, world, "outsider", world.other_project)
    people.create_director_area(
        session=session, by=other, data=DirectorAreaCreate(name="Børn og Unge")
    )


def test_a_director_area_with_people_cannot_be_deleted(session, world):
    area = make_area(session, world.project)
    make_person(session, world.project, director_area_id=area.id)
    with pytest.raises(Conflict) as refused:
        people.delete_director_area(
            session=session, by=access(session, world, "leader"), area_id=area.id, version=1
        )
    assert "personer (1)" in refused.value.message
    session.rollback()
    assert session.get(DirectorArea, area.id) is not None


def test_person_with_a_bad_email_or_a_foreign_area_is_refused(session, world):
    leader = access(session, world, "leader")
    with pytest.raises(Invalid) as refused:
        people.create_person(
            session=session, by=leader, data=PersonCreate(name="A", email="ikke-en-mail")
        )
    assert refused.value.field == "email"
    foreign = make_area(session, world.other_project)
    with pytest.raises(Invalid) as refused:
        people.create_person(
            session=session, by=leader, data=PersonCreate(name="A", director_area_id=foreign.id)
        )
    assert refused.value.field == "director_area_id"
    session.rollback()
    assert count(session, Person, Person.name == "A") == 0


def test_person_update_and_outdated_copy(session, world):
    leader = access(session, world, "leader")
    person = make_person(session, world.project, name="Lene Kragh")
    updated = people.update_person(
        session=session,
        by=leader,
        person_id=person.id,
        data=PersonUpdate(title="Kommunikationsmedarbejder", version=1),
    )
    assert updated.version == 2
    with pytest.raises(Conflict):
        people.update_person(
            session=session,
            by=leader,
            person_id=person.id,
            data=PersonUpdate(title="Andet", version=1),
        )


def test_a_person_who_sits_in_a_body_cannot_be_deleted(session, world):
    [membership] = bodies.members(session=session, body_id=world.steering.id)
    with pytest.raises(Conflict) as refused:
        people.delete_person(
            session=session,
            by=access(session, world, "leader"),
            person_id=membership.person_id,
            version=1,
        )
    assert "medlemskaber af organer (1)" in refused.value.message
    session.rollback()
    assert session.get(Person, membership.person_id) is not None


def test_a_person_of_another_project_is_not_found(session, world):
    foreign = make_person(session, world.other_project)
    with pytest.raises(NotFound):
        people.update_person(
            session=session,
            by=access(session, world, "leader"),
            person_id=foreign.id,
            data=PersonUpdate(name="X", version=1),
        )


# Bodies -----------------------------------------------------------------------------------------


def test_a_new_group_reports_to_the_project_management_unless_told(session, world):
    leader = access(session, world, "leader")
    group = bodies.create_body(
        session=session,
        by=leader,
        data=BodyCreate(kind=BodyKind.implementation_group, name="Uddannelse af medarbejdere"),
    )
    assert group.reports_to_id == world.management.id
    top = bodies.create_body(
        session=session,
        by=leader,
        data=BodyCreate(kind=BodyKind.implementation_group, name="Særgruppe", reports_to_id=None),
    )
    assert top.reports_to_id is None
    assert len(events(session, "body", "created")) == 2


def test_only_one_steering_group_per_project(session, world):
    with pytest.raises(Invalid) as refused:
        bodies.create_body(
            session=session,
            by=access(session, world, "leader"),
            data=BodyCreate(kind=BodyKind.steering_group, name="Styregruppe 2"),
        )
    assert refused.value.field == "kind" and "»Styregruppen«" in refused.value.message


def test_reporting_lines_cannot_go_round_in_a_circle(session, world):
    with pytest.raises(Invalid) as refused:
        bodies.update_body(
            session=session,
            by=access(session, world, "leader"),
            body_id=world.steering.id,
            data=BodyUpdate(reports_to_id=world.group_a.id, version=1),
        )
    assert refused.value.field == "reports_to_id"
    session.rollback()
    assert session.get(Body, world.steering.id).reports_to_id != world.group_a.id


def test_reporting_line_to_another_projects_body_is_refused(session, world):
    foreign = make_body(session, world.other_project, kind=BodyKind.steering_group)
    with pytest.raises(Invalid):
        bodies.update_body(
            session=session,
            by=access(session, world, "leader"),
            body_id=world.group_a.id,
            data=BodyUpdate(reports_to_id=foreign.id, version=1),
        )


def test_a_body_with_meetings_cannot_be_deleted_one_without_goes_with_its_members(session, world):
    leader = access(session, world, "leader")
    make_meeting(session, world, body_id=world.group_b.id)
    with pytest.raises(Conflict) as refused:
        bodies.delete_body(session=session, by=leader, body_id=world.group_b.id, version=1)
    assert "møder (1)" in refused.value.message
    session.rollback()
    extra = make_body(session, world.project, name="Midlertidig", reports_to_id=world.management.id)
    person = make_person(session, world.project)
    session.add(Membership(body_id=extra.id, person_id=person.id))
    session.add(MandateItem(body_id=extra.id, text="Opgave"))
    session.commit()
    bodies.delete_body(session=session, by=leader, body_id=extra.id, version=extra.version)
    assert session.get(Body, extra.id) is None
    assert count(session, Membership, Membership.body_id == extra.id) == 0
    [event] = events(session, "body", "deleted")
    assert len(event.before["members"]) == 1 and len(event.before["mandate"]) == 1


# Memberships ------------------------------------------------------------------------------------


def test_an_ad_hoc_member_is_seated_with_its_condition(session, world):
    person = make_person(session, world.project, name="Marianne Wederkopp")
    membership = memberships.add_member(
        session=session,
        by=access(session, world, "leader"),
        body_id=world.steering.id,
        data=MembershipCreate(
            person_id=person.id, role=MemberRole.ad_hoc, condition=" når det omhandler ydelser "
        ),
    )
    assert membership.condition == "når det omhandler ydelser"
    [event] = events(session, "membership", "created")
    assert event.after["person"] == "Marianne Wederkopp"


def test_a_person_twice_in_one_body_is_refused_and_nothing_stored(session, world):
    [existing] = bodies.members(session=session, body_id=world.steering.id)
    with pytest.raises(Invalid) as refused:
        memberships.add_member(
            session=session,
            by=access(session, world, "leader"),
            body_id=world.steering.id,
            data=MembershipCreate(person_id=existing.person_id, role=MemberRole.chair),
        )
    assert refused.value.field == "person_id"
    assert refused.value.message.startswith("Sanne Styr er allerede med i Styregruppen")
    session.rollback()
    assert count(session, Membership, Membership.body_id == world.steering.id) == 1
    assert events(session, "membership") == []


def test_an_ad_hoc_member_without_a_condition_is_refused(session, world):
    person = make_person(session, world.project)
    with pytest.raises(Invalid) as refused:
        memberships.add_member(
            session=session,
            by=access(session, world, "leader"),
            body_id=world.steering.id,
            data=MembershipCreate(person_id=person.id, role=MemberRole.ad_hoc, condition="  "),
        )
    assert refused.value.field == "condition"
    assert "betingelse" in refused.value.message
    session.rollback()
    assert count(session, Membership, Membership.person_id == person.id) == 0


def test_a_person_of_another_project_cannot_be_seated(session, world):
    foreign = make_person(session, world.other_project)
    with pytest.raises(Invalid) as refused:
        memberships.add_member(
            session=session,
            by=access(session, world, "leader"),
            body_id=world.steering.id,
            data=MembershipCreate(person_id=foreign.id),
        )
    assert refused.value.field == "person_id"


def test_group_lead_belongs_to_implementation_groups_only(session, world):
    person = make_person(session, world.project)
    leader = access(session, world, "leader")
    with pytest.raises(Invalid) as refused:
        memberships.add_member(
            session=session,
            by=leader,
            body_id=world.steering.id,
            data=MembershipCreate(person_id=person.id, role=MemberRole.group_lead),
        )
    assert refused.value.field == "role"
    memberships.add_member(
        session=session,
        by=leader,
        body_id=world.group_a.id,
        data=MembershipCreate(person_id=person.id, role=MemberRole.group_lead),
    )


def test_changing_an_ad_hoc_member_to_member_drops_the_condition(session, world):
    leader = access(session, world, "leader")
    person = make_person(session, world.project)
    membership = memberships.add_member(
        session=session,
        by=leader,
        body_id=world.steering.id,
        data=MembershipCreate(
            person_id=person.id, role=MemberRole.ad_hoc, condition="unge under 30 år"
        ),
    )
    changed = memberships.update_member(
        session=session,
        by=leader,
        body_id=world.steering.id,
        membership_id=membership.id,
        data=MembershipUpdate(role=MemberRole.member, version=1),
    )
    assert changed.condition == "" and changed.version == 2
    with pytest.raises(Conflict):
        memberships.update_member(
            session=session,
            by=leader,
            body_id=world.steering.id,
            membership_id=membership.id,
            data=MembershipUpdate(role=MemberRole.chair, version=1),
        )


def test_a_membership_is_found_only_under_its_own_body(session, world):
    [membership] = bodies.members(session=session, body_id=world.steering.id)
    with pytest.raises(NotFound):
        memberships.remove_member(
            session=session,
            by=access(session, world, "leader"),
            body_id=world.group_a.id,
            membership_id=membership.id,
            version=membership.version,
        )


# Mandates ---------------------------------------------------------------------------------------


def test_mandate_follow_up_dates_a_new_status_today(session, world):
    leader = access(session, world, "leader")
    item = mandates.add_mandate_item(
        session=session,
        by=leader,
        body_id=world.steering.id,
        data=MandateItemCreate(text="Indgå samarbejdsaftale med Regionen"),
    )
    mandates.add_mandate_item(
        session=session,
        by=leader,
        body_id=world.steering.id,
        data=MandateItemCreate(text="Orientere direktionen"),
    )
    assert item.position == 1 and item.status == MandateStatus.not_started
    done = mandates.update_mandate_item(
        session=session,
        by=leader,
        body_id=world.steering.id,
        item_id=item.id,
        data=MandateItemUpdate(
            status=MandateStatus.done, note="Aftalen er underskrevet", version=1
        ),
        today=date(2013, 5, 15),
    )
    assert done.status_date == date(2013, 5, 15) and done.version == 2
    [steering] = [
        m
        for m in mandates.mandates(session=session, project_id=world.project.id)
        if m.body.id == world.steering.id
    ]
    assert (steering.done, steering.in_progress, steering.total) == (1, 0, 2)
    assert len(events(session, "mandate_item", "updated")) == 1


def test_mandate_item_without_text_is_refused(session, world):
    with pytest.raises(Invalid) as refused:
        mandates.add_mandate_item(
            session=session,
            by=access(session, world, "leader"),
            body_id=world.steering.id,
            data=MandateItemCreate(text=" "),
        )
    assert refused.value.field == "text"


def test_mandate_of_another_projects_body_is_not_found(session, world):
    foreign = make_body(session, world.other_project)
    with pytest.raises(NotFound):
        mandates.add_mandate_item(
            session=session,
            by=access(session, world, "leader"),
            body_id=foreign.id,
            data=MandateItemCreate(text="X"),
        )


def test_mandates_list_the_bodies_directorate_and_steering_group_first(session, world):
    kinds = [m.body.kind for m in mandates.mandates(session=session, project_id=world.project.id)]
    assert kinds[:3] == [BodyKind.directorate, BodyKind.steering_group, BodyKind.project_management]


# Organisation chart -----------------------------------------------------------------------------


def test_organisation_tree_follows_the_reporting_lines(session, world):
    [root] = bodies.organisation_tree(session=session, project_id=world.project.id)
    assert root.body.kind == BodyKind.directorate
    [steering] = root.children
    [management] = steering.children
    assert [c.body.name for c in management.children] == ["Gruppe A", "Gruppe B"]
    assert [p.name for _, p in steering.members] == ["Sanne Styr"]


# Meetings ---------------------------------------------------------------------------------------


def test_a_meeting_without_a_date_is_refused(session, world):
    with pytest.raises(Invalid) as refused:
        meetings.create_meeting(
            session=session,
            by=access(session, world, "secretariat"),
            data=MeetingCreate(body_id=world.steering.id, place="Rådhuset"),
        )
    assert refused.value.field == "meeting_date"
    assert refused.value.message == "Mødet skal have en dato."
    session.rollback()
    assert count(session, Meeting) == 0


def test_a_group_meeting_is_with_the_project_management_by_default_and_others_may_be(
    session, world
):
    secretariat = access(session, world, "secretariat")
    group_meeting = meetings.create_meeting(
        session=session,
        by=secretariat,
        data=MeetingCreate(
            body_id=world.group_a.id, meeting_date=date(2012, 12, 11), start_time="10.00"
        ),
    )
    assert group_meeting.with_project_management and group_meeting.start_time == "10:00"
    steering_meeting = meetings.create_meeting(
        session=session,
        by=secretariat,
        data=MeetingCreate(
            body_id=world.steering.id, meeting_date=date(2012, 11, 27), with_project_management=True
        ),
    )
    # Any body but the project management itself may meet the project management.
    assert steering_meeting.with_project_management and not steering_meeting.with_external_partners
    own = meetings.create_meeting(
        session=session,
        by=secretariat,
        data=MeetingCreate(
            body_id=world.management.id,
            meeting_date=date(2012, 11, 28),
            with_project_management=True,
            with_external_partners=True,
        ),
    )
    assert not own.with_project_management and own.with_external_partners
    assert meetings.last_meeting_with_project_management(
        session=session, group_id=world.group_a.id
    ) == date(2012, 12, 11)
    assert (
        meetings.last_meeting_with_project_management(session=session, group_id=world.group_b.id)
        is None
    )


def test_a_meeting_time_must_look_like_a_time(session, world):
    with pytest.raises(Invalid) as refused:
        meetings.create_meeting(
            session=session,
            by=access(session, world, "secretariat"),
            data=MeetingCreate(
                body_id=world.steering.id, meeting_date=date(2012, 11, 27), start_time="kl. 1"
            ),
        )
    assert refused.value.field == "start_time"


def test_a_meeting_of_another_projects_body_is_refused(session, world):
    foreign = make_body(session, world.other_project)
    with pytest.raises(Invalid):
        meetings.create_meeting(
            session=session,
            by=access(session, world, "secretariat"),
            data=MeetingCreate(body_id=foreign.id, meeting_date=date(2012, 11, 27)),
        )


def test_agenda_items_are_added_in_order_changed_and_removed(session, world):
    secretariat = access(session, world, "secretariat")
    meeting = make_meeting(session, world)
    first = meetings.add_agenda_item(
        session=session,
        by=secretariat,
        meeting_id=meeting.id,
        data=AgendaItemCreate(title="Velkomst"),
    )
    second = meetings.add_agenda_item(
        session=session,
        by=secretariat,
        meeting_id=meeting.id,
        data=AgendaItemCreate(title="Implementeringsgrupperne"),
    )
    assert (first.position, second.position) == (1, 2)
    meetings.update_agenda_item(
        session=session,
        by=secretariat,
        meeting_id=meeting.id,
        item_id=first.id,
        data=AgendaItemUpdate(title="Velkomst og kommissorium", version=1),
    )
    meetings.delete_agenda_item(
        session=session,
        by=secretariat,
        meeting_id=meeting.id,
        item_id=second.id,
        version=second.version,
    )
    assert [a.title for a in meetings.agenda(session=session, meeting_id=meeting.id)] == [
        "Velkomst og kommissorium"
    ]
    with pytest.raises(Invalid):
        meetings.add_agenda_item(
            session=session, by=secretariat, meeting_id=meeting.id, data=AgendaItemCreate(title="")
        )


def test_an_ad_hoc_member_called_in_needs_the_reason(session, world):
    secretariat = access(session, world, "secretariat")
    meeting = make_meeting(session, world)
    person = make_person(session, world.project, name="Bo Madsen")
    with pytest.raises(Invalid) as refused:
        meetings.set_attendance(
            session=session,
            by=secretariat,
            meeting_id=meeting.id,
            person_id=person.id,
            data=AttendanceSet(status=AttendanceStatus.called_in),
        )
    assert refused.value.field == "reason" and "Bo Madsen" in refused.value.message
    session.rollback()
    assert count(session, Attendance) == 0
    meetings.set_attendance(
        session=session,
        by=secretariat,
        meeting_id=meeting.id,
        person_id=person.id,
        data=AttendanceSet(
            status=AttendanceStatus.called_in, reason="Punktet omhandler unge under 30 år"
        ),
    )
    again = meetings.set_attendance(
        session=session,
        by=secretariat,
        meeting_id=meeting.id,
        person_id=person.id,
        data=AttendanceSet(status=AttendanceStatus.absent),
    )
    assert again.status == AttendanceStatus.absent
    assert count(session, Attendance) == 1
    sheet = meetings.attendance_sheet(session=session, meeting=meeting)
    assert [r.person.name for r in sheet] == ["Sanne Styr", "Bo Madsen"]
    assert sheet[1].membership is None and sheet[1].attendance.status == AttendanceStatus.absent


def test_attendance_of_a_person_from_another_project_is_refused(session, world):
    meeting = make_meeting(session, world)
    foreign = make_person(session, world.other_project)
    with pytest.raises(Invalid):
        meetings.set_attendance(
            session=session,
            by=access(session, world, "secretariat"),
            meeting_id=meeting.id,
            person_id=foreign.id,
            data=AttendanceSet(),
        )


def test_a_meeting_with_decisions_cannot_be_deleted(session, world):
    secretariat = access(session, world, "secretariat")
    meeting = make_meeting(session, world)
    session.add(AgendaItem(meeting_id=meeting.id, title="Punkt"))
    session.commit()
    make_decision(session, world, meeting_id=meeting.id)
    with pytest.raises(Conflict) as refused:
        meetings.delete_meeting(
            session=session, by=secretariat, meeting_id=meeting.id, version=meeting.version
        )
    assert "beslutninger (1)" in refused.value.message
    session.rollback()
    empty = make_meeting(session, world)
    session.add(AgendaItem(meeting_id=empty.id, title="Punkt"))
    session.commit()
    meetings.delete_meeting(
        session=session, by=secretariat, meeting_id=empty.id, version=empty.version
    )
    assert session.get(Meeting, empty.id) is None
    assert count(session, AgendaItem, AgendaItem.meeting_id == empty.id) == 0


# Decisions --------------------------------------------------------------------------------------


def test_a_decision_at_a_meeting_takes_its_body_and_date_and_gets_the_next_number(session, world):
    owner = make_person(session, world.project, name="Christina Stavnsbjerg")
    meeting = make_meeting(session, world)
    decision = decisions.record_decision(
        session=session,
        by=access(session, world, "steering"),
        data=DecisionCreate(
            title="Sammensætning af implementeringsgrupperne",
            meeting_id=meeting.id,
            actions=[
                FollowUpCreate(
                    text="Indkald til første møde",
                    owner_person_id=owner.id,
                    due_date=date(2012, 12, 14),
                )
            ],
        ),
    )
    assert (decision.number, decision.body_id, decision.decision_date) == (
        1,
        world.steering.id,
        date(2012, 11, 27),
    )
    assert decision.recorded_by_id == world.users["steering"].id
    [action] = session.exec(select(FollowUpAction)).all()
    assert action.owner_person_id == owner.id
    [event] = events(session, "decision", "recorded")
    assert len(event.after["actions"]) == 1


def test_a_decision_on_a_meeting_of_another_project_is_refused(session, world):
    foreign_body = make_body(session, world.other_project, kind=BodyKind.steering_group)
    foreign = make_meeting(
        session, world, project_id=world.other_project.id, body_id=foreign_body.id
    )
    with pytest.raises(Invalid) as refused:
        decisions.record_decision(
            session=session,
            by=access(session, world, "steering"),
            data=DecisionCreate(title="X", meeting_id=foreign.id, body_id=world.steering.id),
        )
    assert refused.value.field == "meeting_id"
    assert refused.value.message == "Mødet hører ikke til dette projekt."
    session.rollback()
    assert count(session, Decision) == 0 and events(session, "decision") == []


def test_a_decision_must_name_its_body_and_match_its_meeting(session, world):
    steering = access(session, world, "steering")
    with pytest.raises(Invalid) as refused:
        decisions.record_decision(
            session=session,
            by=steering,
            data=DecisionCreate(title="X", decision_date=date(2013, 1, 1)),
        )
    assert refused.value.field == "body_id"
    meeting = make_meeting(session, world)
    with pytest.raises(Invalid) as refused:
        decisions.record_decision(
            session=session,
            by=steering,
            data=DecisionCreate(title="X", meeting_id=meeting.id, body_id=world.group_a.id),
        )
    assert refused.value.field == "body_id"
    with pytest.raises(Invalid) as refused:
        decisions.record_decision(
            session=session, by=steering, data=DecisionCreate(title="X", body_id=world.steering.id)
        )
    assert refused.value.field == "decision_date"


def test_a_follow_up_owner_from_another_project_is_refused_nothing_stored(session, world):
    foreign = make_person(session, world.other_project)
    with pytest.raises(Invalid) as refused:
        decisions.record_decision(
            session=session,
            by=access(session, world, "steering"),
            data=DecisionCreate(
                title="X",
                body_id=world.steering.id,
                decision_date=date(2013, 1, 1),
                actions=[FollowUpCreate(text="Y", owner_person_id=foreign.id)],
            ),
        )
    assert refused.value.field == "actions.0.owner_person_id"
    session.rollback()
    assert count(session, Decision) == 0


def test_superseding_links_both_ways_and_keeps_the_old_decision(session, world):
    steering = access(session, world, "steering")
    old = make_decision(session, world, title="Status hver måned")
    new = decisions.supersede_decision(
        session=session,
        by=steering,
        decision_id=old.id,
        data=DecisionCreate(title="Status hvert kvartal", decision_date=date(2013, 1, 15)),
    )
    assert new.body_id == world.steering.id and new.number == 2
    entry = decisions.decision_entry(
        session=session, project_id=world.project.id, decision_id=old.id
    )
    assert entry.superseded_by.id == new.id
    newer = decisions.decision_entry(
        session=session, project_id=world.project.id, decision_id=new.id
    )
    assert [d.id for d in newer.supersedes] == [old.id]
    assert count(session, Decision) == 2
    [event] = events(session, "decision", "superseded")
    assert event.after["supersedes"] == 1
    with pytest.raises(Conflict) as refused:
        decisions.supersede_decision(
            session=session,
            by=steering,
            decision_id=old.id,
            data=DecisionCreate(title="Igen", decision_date=date(2013, 2, 1)),
        )
    assert "allerede afløst af beslutning nr. 2" in refused.value.message


def test_a_decision_cannot_be_superseded_by_an_earlier_one(session, world):
    old = make_decision(session, world, decision_date=date(2013, 1, 15))
    with pytest.raises(Invalid) as refused:
        decisions.supersede_decision(
            session=session,
            by=access(session, world, "steering"),
            decision_id=old.id,
            data=DecisionCreate(title="X", decision_date=date(2013, 1, 1)),
        )
    assert refused.value.field == "decision_date"
    assert "01.01.2013" in refused.value.message and "15.01.2013" in refused.value.message
    session.rollback()
    assert session.get(Decision, old.id).superseded_by_id is None


def test_search_matches_every_word_danish_letters_in_any_case_and_numbers(session, world):
    steering = access(session, world, "steering")
    for title, text in [
        ("Økonomisk overblik", "Styregruppen skaber overblik over ØKONOMIEN."),
        ("Implementeringsgrupperne", "Fire grupper på tværs af områderne."),
        ("Samarbejdsaftale med Regionen", ""),
    ]:
        decisions.record_decision(
            session=session,
            by=steering,
            data=DecisionCreate(
                title=title, text=text, body_id=world.steering.id, decision_date=date(2013, 1, 1)
            ),
        )
    found, total = decisions.search_decisions(
        session=session, project_id=world.project.id, q="økonomien"
    )
    assert total == 1 and found[0].title == "Økonomisk overblik"
    found, total = decisions.search_decisions(
        session=session, project_id=world.project.id, q="FIRE tværs"
    )
    assert [d.title for d in found] == ["Implementeringsgrupperne"]
    _, total = decisions.search_decisions(
        session=session, project_id=world.project.id, q="fire regionen"
    )
    assert total == 0
    found, _ = decisions.search_decisions(session=session, project_id=world.project.id, q="3")
    assert [d.number for d in found] == [3]
    _, total = decisions.search_decisions(session=session, project_id=world.project.id, q="100%")
    assert total == 0
    page, total = decisions.search_decisions(
        session=session, project_id=world.project.id, offset=1, limit=1
    )
    assert total == 3 and len(page) == 1
    make_decision(
        session,
        world,
        project_id=world.other_project.id,
        body_id=world.steering.id,
        title="Økonomi andetsteds",
    )
    _, total = decisions.search_decisions(session=session, project_id=world.project.id, q="økonomi")
    assert total == 1


def test_a_follow_up_is_marked_done_and_reopened(session, world):
    decision = make_decision(session, world)
    leader = access(session, world, "leader")
    action = decisions.add_follow_up(
        session=session,
        by=leader,
        decision_id=decision.id,
        data=FollowUpCreate(text="Send skabelonen"),
    )
    done = decisions.update_follow_up(
        session=session,
        by=leader,
        decision_id=decision.id,
        action_id=action.id,
        data=FollowUpUpdate(done_date=date(2012, 12, 5), version=1),
    )
    assert done.done_date == date(2012, 12, 5) and done.version == 2
    reopened = decisions.update_follow_up(
        session=session,
        by=leader,
        decision_id=decision.id,
        action_id=action.id,
        data=FollowUpUpdate(done_date=None, version=2),
    )
    assert reopened.done_date is None


def test_build_decision_joins_the_callers_transaction(session, world):
    decision = decisions.build_decision(
        session=session,
        by=access(session, world, "steering"),
        body_id=world.steering.id,
        decision_date=date(2013, 1, 15),
        title="Tids- og handleplan godkendt",
        kind="plan_approval",
    )
    assert decision.number == 1 and decision.search_text == "tids- og handleplan godkendt\n"
    session.rollback()
    assert count(session, Decision) == 0


def test_the_example_in_the_format_documentation_imports(session, world):
    text = (ROOT / "docs" / "project-document.md").read_text(encoding="utf-8")
    example = re.findall(r"```json\n(.*?)```", text, re.S)[-1]
    project = import_project(session=session, data=json.loads(example), by=None)
    [steering] = [
        b
        for b in bodies.bodies(session=session, project_id=project.id)
        if b.kind == BodyKind.steering_group
    ]
    assert [m.condition for m in bodies.members(session=session, body_id=steering.id)] == [
        "",
        "Tilkobles ad hoc, når det omhandler ydelser",
    ]
