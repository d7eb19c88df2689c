"""The hand-offs the existing services announce, one call each from inside their transaction:
a plan submitted (to the approving body), approved or returned (to the group), a task given to
someone (to them), a meeting called (to the body's members, with the invitation). Each says
who is told and what, and hands it to `notify`."""

from sqlmodel import Session, col, select

from app.auth.models import Role, User
from app.auth.service import Access
from app.clock import today
from app.danish import format_date
from app.governance.models import AgendaItem, Body, Meeting, MemberRole
from app.notifications.invitation import meeting_request
from app.notifications.mail import absolute
from app.notifications.models import NotificationKind
from app.notifications.recipients import body_users, group_users, person_users
from app.notifications.service import notify
from app.workstreams.models import Plan, Task

DECIDING = (MemberRole.chair, MemberRole.member)


def _who(by: Access) -> str:
    return by.user.full_name or by.user.username


def _group_name(session: Session, group_id: int | None) -> str:
    group = session.get(Body, group_id) if group_id is not None else None
    return group.name if group else "projektet"


def plan_submitted(
    session: Session, *, by: Access, plan: Plan, approver: Body, number: int
) -> None:
    """Tell the approving body's deciding members (and holders of »Styregruppemedlem«, who
    may approve too: app.governance.bodies.acts_for) that a plan waits for them."""
    group = _group_name(session, plan.group_id)
    notify(
        session,
        kind=NotificationKind.plan_submitted,
        project_id=plan.project_id,
        recipients=body_users(
            session=session,
            project_id=plan.project_id,
            body_id=approver.id,
            seats=DECIDING,
            roles=(Role.steering_member,),
        ),
        subject=f"Tids- og handleplanen for {group} venter på godkendelse",
        text=f"{_who(by)} har indsendt version {number} af planen til {approver.name}.",
        link=f"/projects/{plan.project_id}/groups/{plan.group_id}#plan-title",
        exclude=by.user.id,
    )


def plan_decided(
    session: Session, *, by: Access, plan: Plan, approved: bool, number: int, comment: str
) -> None:
    """Tell the group that its plan was approved or sent back (with the comments)."""
    verb = "godkendt" if approved else "sendt tilbage"
    text = f"{_who(by)} har {verb} version {number} af planen."
    if comment:
        text += f"\n\nBemærkninger: {comment}"
    notify(
        session,
        kind=NotificationKind.plan_decided,
        project_id=plan.project_id,
        recipients=group_users(session=session, project_id=plan.project_id, group_id=plan.group_id),
        subject=f"Tids- og handleplanen for {_group_name(session, plan.group_id)} er {verb}",
        text=text,
        link=f"/projects/{plan.project_id}/groups/{plan.group_id}#plan-title",
        exclude=by.user.id,
    )


def task_assigned(session: Session, *, by: Access, task: Task, previous: int | None) -> None:
    """Tell the task's owner that it is theirs, when it became theirs now (created with them,
    or handed over from someone else) and they have an account in the project."""
    if task.owner_person_id is None or task.owner_person_id == previous:
        return
    due = f" Frist: {format_date(task.due_date)}." if task.due_date else ""
    anchor = f"groups/{task.group_id}" if task.group_id is not None else "plans"
    notify(
        session,
        kind=NotificationKind.task_assigned,
        project_id=task.project_id,
        recipients=person_users(
            session=session, project_id=task.project_id, person_id=task.owner_person_id
        ),
        subject=f"Opgaven »{task.title}« er givet til dig",
        text=f"{_who(by)} har gjort dig ansvarlig for opgaven i "
        f"{_group_name(session, task.group_id)}.{due}",
        link=f"/projects/{task.project_id}/{anchor}#task-{task.id}",
        exclude=by.user.id,
    )


def meeting_called(session: Session, *, by: Access, meeting: Meeting) -> None:
    """Tell the body's members of a new meeting, with the agenda and an invitation they can
    accept in their calendar (METHOD:REQUEST). A meeting recorded after it was held calls no
    one."""
    if meeting.meeting_date < today():
        return
    body = session.get(Body, meeting.body_id)
    name = body.name if body else "organet"
    recipients = body_users(session=session, project_id=meeting.project_id, body_id=meeting.body_id)
    people = session.exec(
        select(User.full_name, User.username, User.email).where(col(User.id).in_(recipients))
    ).all()
    agenda = list(
        session.exec(
            select(AgendaItem.title)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all()
    )
    link = f"/projects/{meeting.project_id}/meetings/{meeting.id}"
    when = format_date(meeting.meeting_date) + (
        f" kl. {meeting.start_time}" if meeting.start_time else ""
    )
    summary = f"Møde i {name}" + (" med projektledelsen" if meeting.with_project_management else "")
    lines = [f"{summary} den {when}" + (f", {meeting.place}" if meeting.place else "") + "."]
    lines.append(
        "Dagsorden:\n" + "\n".join(f"{i}. {t}" for i, t in enumerate(agenda, 1))
        if agenda
        else "Dagsordenen følger."
    )
    invitation = meeting_request(
        meeting_id=meeting.id or 0,
        project_id=meeting.project_id,
        summary=summary,
        day=meeting.meeting_date,
        start_time=meeting.start_time,
        place=meeting.place,
        agenda=agenda,
        attendees=[(full or user, email) for full, user, email in people if email],
        sequence=meeting.version - 1,
        url=absolute(link),
    )
    notify(
        session,
        kind=NotificationKind.meeting_called,
        project_id=meeting.project_id,
        recipients=recipients,
        subject=f"Indkaldelse: {summary} den {when}",
        text="\n\n".join(lines),
        link=link,
        calendar=invitation,
        exclude=by.user.id,
    )
