"""The read models behind two report pages: the meetings an approval may name, and a project's
front page."""

from datetime import date

from sqlmodel import Session

from app.auth.service import access_for
from app.governance.models import Meeting
from app.reports import dashboard, service
from tests.factories import ProjectWorld, make_project
from tests.reports.factories import access, issued_report


def test_approval_names_the_steering_groups_meetings_only(session: Session, world: ProjectWorld):
    steering = Meeting(
        project_id=world.project.id, body_id=world.steering.id, meeting_date=date(2013, 3, 5)
    )
    other = Meeting(
        project_id=world.project.id, body_id=world.group_a.id, meeting_date=date(2013, 3, 6)
    )
    session.add_all([steering, other])
    session.commit()
    found = service.approval_meetings(session=session, access=access(session, world, "steering"))
    assert [m.id for m in found] == [steering.id]


def test_a_project_without_a_steering_group_has_no_meetings_to_name(
    session: Session, world: ProjectWorld
):
    bare = make_project(session)
    admin = access_for(session=session, user=world.users["admin"], project_id=bare.id or 0)
    assert service.approval_meetings(session=session, access=admin) == []


def test_the_front_page_shows_the_latest_issued_report(session: Session, world: ProjectWorld):
    report = issued_report(session, world)
    home = dashboard.project_home(session=session, project_id=world.project.id, on=date(2013, 3, 4))
    assert home.project.id == world.project.id
    assert [g.name for g in home.groups] == ["Gruppe A", "Gruppe B"]
    assert home.latest is not None and home.latest.id == report.id
