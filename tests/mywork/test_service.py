"""»Mit overblik« at the service level: a person's tasks, approvals, measurements, follow-up
links and meetings across projects; what is not theirs stays out; one query per block."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from app.auth.models import ProjectMember, Role, User
from app.governance.models import Meeting, MemberRole, Membership, Person, Project
from app.mywork import service
from app.reports.models import ReportStatus
from app.risks.models import Indicator
from app.risks.rules import Frequency
from app.workstreams.models import Plan, PlanStatus, Task, TaskStatus
from tests.factories import ProjectWorld, grant, make_body, make_person, make_project, make_user
from tests.search.factories import report

TODAY = date(2013, 5, 15)


def person_of(session: Session, user: User, project: Project, **values) -> Person:
    """The user's person in the project (on their ProjectMember rows there)."""
    person = make_person(session, project, **values)
    for member in session.exec(
        select(ProjectMember).where(
            ProjectMember.user_id == user.id, ProjectMember.project_id == project.id
        )
    ).all():
        member.person_id = person.id
    session.commit()
    return person


def test_open_tasks_across_projects_overdue_first(session: Session, world: ProjectWorld):
    user = world.users["member_a"]
    mine = person_of(session, user, world.project)
    other = world.other_project
    grant(session, user, other, Role.group_member, make_body(session, other))
    mine_there = person_of(session, user, other)
    someone = make_person(session, world.project)
    pid, oid = world.project.id, other.id
    session.add_all(
        [
            Task(project_id=pid, title="Snart", owner_person_id=mine.id, due_date=date(2013, 6, 1)),
            Task(
                project_id=pid,
                title="Lidt sent",
                owner_person_id=mine.id,
                due_date=date(2013, 5, 10),
            ),
            Task(
                project_id=oid,
                title="Meget sent",
                owner_person_id=mine_there.id,
                due_date=date(2013, 1, 1),
            ),
            Task(project_id=pid, title="Uden frist", owner_person_id=mine.id),
            Task(
                project_id=pid,
                title="Færdig",
                owner_person_id=mine.id,
                status=TaskStatus.done,
                due_date=date(2013, 1, 1),
            ),
            Task(project_id=pid, title="Andens", owner_person_id=someone.id),
        ]
    )
    session.commit()
    found = service.my_overview(session=session, user=user, today=TODAY)
    assert [t.title for t in found.tasks] == ["Meget sent", "Lidt sent", "Snart", "Uden frist"]
    assert [t.overdue_days for t in found.tasks] == [134, 5, None, None]
    assert found.overdue_tasks == 2
    assert found.tasks[0].project_name == "Andet projekt"
    assert found.tasks[2].url == f"/projects/{pid}/plans#uforankrede"


def test_approvals_wait_for_those_who_act_for_the_approving_body(session: Session, world):
    pid = world.project.id
    session.add(
        Plan(project_id=pid, group_id=world.group_a.id, title="Plan A", status=PlanStatus.submitted)
    )
    session.add(
        Plan(project_id=pid, group_id=world.group_b.id, title="Plan B", status=PlanStatus.draft)
    )
    session.commit()
    report(session, world, 1, ReportStatus.submitted)
    # a chair of the steering group without the role »Styregruppemedlem«
    chair = make_user(session, username="formand")
    grant(session, chair, world.project, Role.secretariat)
    seat = person_of(session, chair, world.project)
    session.add(Membership(body_id=world.steering.id, person_id=seat.id, role=MemberRole.chair))
    # the steering group's secretary does not approve
    secretary = world.users["secretariat"]
    serves = person_of(session, secretary, world.project)
    session.add(
        Membership(body_id=world.steering.id, person_id=serves.id, role=MemberRole.secretariat)
    )
    session.commit()
    for user in (world.users["steering"], chair):
        found = service.my_overview(session=session, user=user, today=TODAY)
        assert [(a.kind, a.title) for a in found.approvals] == [
            ("plan", "Tids- og handleplan for Gruppe A"),
            ("status_report", "Statusrapport nr. 1"),
        ]
        assert found.approvals[0].body_name == "Styregruppen"
    for name in ("member_a", "leader", "secretariat"):
        assert (
            service.my_overview(session=session, user=world.users[name], today=TODAY).approvals
            == []
        )


def test_measurements_due_follow_up_links_and_meetings(session: Session, world):
    leader = world.users["leader"]
    me = person_of(session, leader, world.project)
    pid = world.project.id
    session.add_all(
        [
            Indicator(
                project_id=pid,
                name="Andel i job",
                frequency=Frequency.monthly,
                baseline_date=date(2013, 1, 1),
                owner_id=me.id,
            ),
            Indicator(
                project_id=pid,
                name="Ikke min",
                frequency=Frequency.monthly,
                baseline_date=date(2013, 1, 1),
            ),
            Membership(body_id=world.steering.id, person_id=me.id, role=MemberRole.member),
            Meeting(
                project_id=pid,
                body_id=world.steering.id,
                meeting_date=date(2013, 6, 3),
                start_time="09:00",
                place="Rådhuset",
            ),
            Meeting(project_id=pid, body_id=world.steering.id, meeting_date=date(2013, 4, 3)),
            Meeting(project_id=pid, body_id=world.group_b.id, meeting_date=date(2013, 6, 4)),
        ]
    )
    session.commit()
    found = service.my_overview(session=session, user=leader, today=TODAY)
    assert [(m.name, m.missing) for m in found.measurements] == [("Andel i job", True)]
    assert [f.url for f in found.follow_ups] == [f"/projects/{pid}/participants/due"]
    assert [(m.body_name, m.meeting_date) for m in found.meetings] == [
        ("Styregruppen", date(2013, 6, 3))
    ]
    member = service.my_overview(session=session, user=world.users["member_a"], today=TODAY)
    assert member.follow_ups == [] and member.meetings == [] and member.measurements == []


def test_nobody_and_the_number_of_queries_does_not_grow_with_projects(session: Session, world, db):
    lonely = make_user(session, username="ny")
    assert service.my_overview(session=session, user=lonely, today=TODAY).projects == {}

    def queries(user: User) -> int:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with db.session() as fresh:
                service.my_overview(session=fresh, user=fresh.get(User, user.id), today=TODAY)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    user = world.users["member_a"]
    person_of(session, user, world.project)
    one = queries(user)
    for n in range(3):
        project = make_project(session)
        grant(session, user, project, Role.project_leader)
        mine = person_of(session, user, project)
        session.add(Task(project_id=project.id, title=f"Opgave {n}", owner_person_id=mine.id))
        session.commit()
    assert queries(user) == one
