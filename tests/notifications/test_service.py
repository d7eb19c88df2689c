"""notify() and its hooks at the service level: who is told, by which channel, in the caller's
transaction; the date events told once; digests; delivery choices audited."""

from datetime import date, timedelta
from email import message_from_bytes

from sqlalchemy import event
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.models import ProjectMember
from app.governance import meetings
from app.governance.models import Membership
from app.governance.schemas import MeetingCreate
from app.notifications import digests, due, service
from app.notifications.mail import mime_message
from app.notifications.models import (
    Delivery,
    MailStatus,
    Notification,
    NotificationKind,
    OutboxMail,
)
from app.participants.models import Participant, Registrar, RegistrationScheme
from app.workstreams import plans, tasks
from app.workstreams.schemas import PlanDecisionIn, PlanSubmit, TaskUpdate
from tests.factories import ProjectWorld, make_person, make_user
from tests.notifications.factories import tell
from tests.risks.factories import make_indicator
from tests.workstreams.factories import access, make_milestone, make_plan, make_task

FUTURE = date.today() + timedelta(days=30)


def _notes(session: Session, user_id: int | None = None) -> list[Notification]:
    session.expire_all()
    query = select(Notification).order_by(col(Notification.id))
    if user_id is not None:
        query = query.where(Notification.user_id == user_id)
    return list(session.exec(query).all())


def _mails(session: Session) -> list[OutboxMail]:
    session.expire_all()
    return list(session.exec(select(OutboxMail).order_by(col(OutboxMail.id))).all())


def _with_email(session: Session, world: ProjectWorld, *names: str) -> None:
    for name in names:
        world.users[name].email = f"{name}@test.example"
        session.add(world.users[name])
    session.commit()


def test_each_recipient_is_told_in_the_app_and_by_their_choice_of_mail(session: Session) -> None:
    now, daily, off, no_mail = (make_user(session, email=f"{n}@test.example") for n in "abcd")
    no_mail.email = ""
    service.update_settings(
        session=session, user=daily, choices={NotificationKind.task_assigned: Delivery.daily}
    )
    service.update_settings(
        session=session, user=off, choices={NotificationKind.task_assigned: Delivery.none}
    )
    tell(session, [now.id, daily.id, off.id, no_mail.id])
    notes = {n.user_id: n for n in _notes(session)}
    assert set(notes) == {now.id, daily.id, off.id, no_mail.id}
    assert notes[daily.id].digest == Delivery.daily
    assert notes[now.id].digest is None and notes[off.id].digest is None
    assert [m.to_address for m in _mails(session)] == ["a@test.example"]


def test_notify_writes_in_the_callers_transaction_and_leaves_out_the_actor(
    session: Session,
) -> None:
    actor, other = make_user(session, email="a@test.example"), make_user(session, email="b@x.dk")
    made = service.notify(
        session,
        kind=NotificationKind.meeting_called,
        project_id=None,
        recipients=[actor.id, other.id, other.id],
        subject="Møde",
        text="",
        link="/",
        exclude=actor.id,
    )
    assert [n.user_id for n in made] == [other.id]
    session.rollback()  # the change that caused it was refused: nothing is told
    assert _notes(session) == [] and _mails(session) == []


def test_a_submitted_plan_tells_the_approvers_and_the_decision_tells_the_group(
    session: Session, world: ProjectWorld
) -> None:
    _with_email(session, world, "steering", "member_a", "member_b", "leader")
    make_task(session, world)
    plan = make_plan(session, world)
    plans.submit(
        session=session, by=access(session, world, "leader"), plan_id=plan.id, data=PlanSubmit()
    )
    [note] = _notes(session)
    assert note.user_id == world.users["steering"].id
    assert note.kind == NotificationKind.plan_submitted
    assert "Gruppe A" in note.subject and note.link.endswith("#plan-title")
    plans.return_plan(
        session=session,
        by=access(session, world, "steering"),
        plan_id=plan.id,
        data=PlanDecisionIn(comment="Tilføj milepæle."),
    )
    decided = [n for n in _notes(session) if n.kind == NotificationKind.plan_decided]
    assert [n.user_id for n in decided] == [world.users["member_a"].id]
    assert "sendt tilbage" in decided[0].subject and "Tilføj milepæle." in decided[0].text
    assert {m.to_address for m in _mails(session)} == {
        "steering@test.example",
        "member_a@test.example",
    }


def test_a_member_seated_in_the_approving_body_is_told_too(
    session: Session, world: ProjectWorld
) -> None:
    seated = make_user(session, username="formand")
    person = make_person(session, world.project, name="Formanden")
    session.add(Membership(body_id=world.steering.id, person_id=person.id, role="chair"))
    session.add(
        ProjectMember(
            project_id=world.project.id, user_id=seated.id, role="directorate", person_id=person.id
        )
    )
    session.commit()
    make_task(session, world)
    plan = make_plan(session, world)
    plans.submit(
        session=session, by=access(session, world, "leader"), plan_id=plan.id, data=PlanSubmit()
    )
    assert {n.user_id for n in _notes(session)} == {seated.id, world.users["steering"].id}


def test_a_task_given_to_someone_with_an_account_tells_them_once(
    session: Session, world: ProjectWorld
) -> None:
    person = make_person(session, world.project, name="Mette")
    other = make_person(session, world.project, name="Uden konto")
    member = session.exec(
        select(ProjectMember).where(ProjectMember.user_id == world.users["member_a"].id)
    ).one()
    member.person_id = person.id
    session.commit()
    task = make_task(session, world, owner_person_id=person.id)
    [note] = _notes(session)
    assert note.user_id == world.users["member_a"].id
    assert note.kind == NotificationKind.task_assigned and f"#task-{task.id}" in note.link
    by = access(session, world, "leader")
    tasks.update_task(
        session=session, by=by, task_id=task.id, data=TaskUpdate(title="Nyt navn", version=1)
    )
    assert len(_notes(session)) == 1  # still theirs: not told again
    tasks.update_task(
        session=session,
        by=by,
        task_id=task.id,
        data=TaskUpdate(owner_person_id=other.id, version=2),
    )
    assert len(_notes(session)) == 1  # handed to a person without an account: nobody to tell
    tasks.update_task(
        session=session,
        by=by,
        task_id=task.id,
        data=TaskUpdate(owner_person_id=person.id, version=3),
    )
    assert len(_notes(session)) == 2


def test_a_meeting_called_sends_its_members_an_invitation(
    session: Session, world: ProjectWorld
) -> None:
    user = make_user(session, username="medlem", email="medlem@test.example", full_name="Mia")
    person = make_person(session, world.project, name="Mia")
    session.add(Membership(body_id=world.steering.id, person_id=person.id))
    session.add(
        ProjectMember(
            project_id=world.project.id,
            user_id=user.id,
            role="steering_member",
            person_id=person.id,
        )
    )
    session.commit()
    by = access(session, world, "secretariat")
    meeting = meetings.create_meeting(
        session=session,
        by=by,
        data=MeetingCreate(
            body_id=world.steering.id, meeting_date=FUTURE, start_time="14:00", place="Rådhuset"
        ),
    )
    [note] = _notes(session)
    assert note.user_id == user.id and note.kind == NotificationKind.meeting_called
    assert note.link == f"/projects/{world.project.id}/meetings/{meeting.id}"
    [mail] = _mails(session)
    assert mail.calendar is not None
    ics = mail.calendar.decode()
    assert "METHOD:REQUEST" in ics and f"UID:meeting-{meeting.id}-p{world.project.id}" in ics
    assert "ATTENDEE;CN=Mia" in ics and "Rådhuset" in ics
    message = mime_message(mail, sender="rs@test.example")
    parsed = message_from_bytes(message.as_bytes())
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    # A meeting recorded after it was held calls no one.
    meetings.create_meeting(
        session=session,
        by=by,
        data=MeetingCreate(body_id=world.steering.id, meeting_date=date(2012, 1, 5)),
    )
    assert len(_notes(session)) == 1


def test_a_slipping_milestone_is_told_once_to_the_group_and_the_leaders(
    session: Session, world: ProjectWorld
) -> None:
    make_milestone(session, world, planned_date=date(2013, 3, 15))
    on_time = due.slipping_milestones(session=session, on=date(2013, 3, 10))
    assert on_time == 0
    assert due.slipping_milestones(session=session, on=date(2013, 3, 20)) == 2
    session.commit()
    assert due.slipping_milestones(session=session, on=date(2013, 3, 21)) == 0
    notes = _notes(session)
    assert {n.user_id for n in notes} == {world.users["leader"].id, world.users["member_a"].id}
    assert all(n.kind == NotificationKind.milestone_slipping for n in notes)


def _seat_secretariat_in_group_b(session: Session, world: ProjectWorld) -> int:
    """The secretariat's person sits in group B (by membership, not by access): its person id."""
    person = make_person(session, world.project, name="Sofie Sekretær")
    session.add(Membership(body_id=world.group_b.id, person_id=person.id))
    member = session.exec(
        select(ProjectMember).where(ProjectMember.user_id == world.users["secretariat"].id)
    ).one()
    member.person_id = person.id
    session.commit()
    return person.id or 0


def _member_queries(session: Session) -> list[str]:
    """The statements that will ask for project members from now on."""
    seen: list[str] = []
    event.listen(
        session.get_bind(),
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: (
            seen.append(statement) if "project_member" in statement else None
        ),
    )
    return seen


def test_slipping_milestones_find_all_their_recipients_in_one_query(
    session: Session, world: ProjectWorld
) -> None:
    _seat_secretariat_in_group_b(session, world)
    for group in (world.group_a, world.group_a, world.group_b):
        make_milestone(session, world, group_id=group.id, planned_date=date(2013, 3, 15))
    queries = _member_queries(session)
    assert due.slipping_milestones(session=session, on=date(2013, 3, 20)) == 7
    assert len(queries) == 2  # the leaders, and the groups' users
    told = {(n.user_id, n.event_key.split(":")[1]) for n in _notes(session) if n.event_key}
    u = world.users
    ids = sorted({int(key) for _, key in told})
    assert told == {(u["leader"].id, str(i)) for i in ids} | {
        (u["member_a"].id, str(ids[0])),
        (u["member_a"].id, str(ids[1])),
        (u["member_b"].id, str(ids[2])),
        (u["secretariat"].id, str(ids[2])),
    }


def test_measurements_due_go_to_the_owner_else_the_group_else_the_leaders_in_few_queries(
    session: Session, world: ProjectWorld
) -> None:
    person_id = _seat_secretariat_in_group_b(session, world)
    owned = make_indicator(session, world.project, name="Ejet", owner_id=person_id)
    grouped = make_indicator(session, world.project, name="Gruppens", group_id=world.group_a.id)
    neither = make_indicator(session, world.project, name="Ingens")
    queries = _member_queries(session)
    assert due.measurements_due(session=session, on=date(2013, 3, 20)) == 3
    assert len(queries) == 3  # the leaders, the owners' users, the groups' users
    told = {n.link.rsplit("/", 1)[1]: n.user_id for n in _notes(session)}
    assert told == {
        str(owned.id): world.users["secretariat"].id,
        str(grouped.id): world.users["member_a"].id,
        str(neither.id): world.users["leader"].id,
    }


def test_follow_ups_due_are_told_to_registrars_as_a_count_only(
    session: Session, world: ProjectWorld
) -> None:
    scheme = RegistrationScheme(project_id=world.project.id, name="Forløb", code_prefix="VF")
    session.add(scheme)
    session.flush()
    session.add(
        Participant(
            project_id=world.project.id,
            scheme_id=scheme.id,
            code="VF-001",
            start_date=date(2013, 1, 1),
        )
    )
    session.add(Registrar(project_id=world.project.id, user_id=world.users["leader"].id))
    session.commit()
    made = due.follow_ups_due(session=session, on=date(2013, 6, 1))
    session.commit()
    assert made == 1
    [note] = _notes(session)
    assert note.subject == "1 opfølgning på deltagere forfalder"
    assert "VF-001" not in note.subject + note.text
    assert note.link.endswith("/participants/due")
    assert due.follow_ups_due(session=session, on=date(2013, 6, 2)) == 0


def test_digests_carry_what_waited_once_weekly_on_mondays(
    session: Session, db, world: ProjectWorld
) -> None:
    daily = make_user(session, email="d@test.example")
    weekly = make_user(session, email="w@test.example")
    service.update_settings(
        session=session, user=daily, choices={NotificationKind.task_assigned: Delivery.daily}
    )
    service.update_settings(
        session=session, user=weekly, choices={NotificationKind.task_assigned: Delivery.weekly}
    )
    tell(session, [daily.id, weekly.id])
    tell(session, [daily.id], subject="Endnu en opgave")
    tuesday, monday = date(2026, 12, 8), date(2026, 12, 14)
    assert digests.queue_digests(session=session, on=tuesday) == 1
    session.commit()
    [mail] = _mails(session)
    assert mail.to_address == "d@test.example" and "2 nye notifikationer" in mail.subject
    assert "Endnu en opgave" in mail.text_body and "Kortlæg" in mail.text_body
    assert digests.queue_digests(session=session, on=tuesday) == 0
    session.commit()
    result = digests.run_daily(database=db, on=monday)
    session.commit()
    assert result.digests == 1
    assert [m.to_address for m in _mails(session)][-1] == "w@test.example"
    assert all(m.status == MailStatus.pending for m in _mails(session))


def test_changing_the_choices_is_audited(session: Session) -> None:
    user = make_user(session)
    chosen = service.update_settings(
        session=session, user=user, choices={NotificationKind.meeting_called: Delivery.weekly}
    )
    assert chosen[NotificationKind.meeting_called] == Delivery.weekly
    assert chosen[NotificationKind.milestone_slipping] == Delivery.daily  # the default
    [event] = session.exec(
        select(AuditEvent).where(AuditEvent.action == "notification_settings_changed")
    ).all()
    assert event.after == {"meeting_called": "weekly"}
    assert event.before == {"meeting_called": "immediate"}


def test_the_text_part_is_plain_text_and_the_html_part_escaped(session: Session) -> None:
    user = make_user(session, email="a@test.example", full_name="Per & Co")
    tell(
        session, [user.id], subject="Opgaven »A & B <C>« er tildelt dig", text="Frist < fredag & x"
    )
    [mail] = _mails(session)
    assert "Kære Per & Co" in mail.text_body
    assert "Opgaven »A & B <C>« er tildelt dig" in mail.text_body
    assert "Frist < fredag & x" in mail.text_body and "&amp;" not in mail.text_body
    assert "A &amp; B &lt;C&gt;" in mail.html_body and "<C>" not in mail.html_body
