"""»Mit overblik«: what is the signed-in person's across every project they have a role in
(docs/overblik.md). A user is a person in a project through their ProjectMember rows'
`person_id`; tasks are theirs by `owner_person_id`, indicators by `owner_id`, bodies by their
memberships. One query per block, across all the projects at once; nothing is written."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, or_, select

from app import clock
from app.auth.models import ProjectMember, Role, User
from app.governance.bodies import DECIDING_SEATS
from app.governance.models import Body, BodyKind, Meeting, Membership, Project
from app.participants.models import Registrar
from app.reports.models import ReportStatus, StatusReport
from app.risks.measures import status_of
from app.risks.models import Indicator, Measurement
from app.risks.rules import DueState
from app.workstreams.models import (
    TASK_STATUS_LABELS,
    Plan,
    PlanStatus,
    Task,
    TaskStatus,
)
from app.workstreams.tasks import overdue_days

# Meetings further ahead than this are not "coming" yet; at most this many are shown.
MEETINGS_AHEAD_DAYS = 60
MEETINGS_SHOWN = 10


@dataclass(frozen=True)
class TaskItem:
    id: int
    project_id: int
    project_name: str
    title: str
    status: TaskStatus
    due_date: date | None
    overdue_days: int | None
    url: str

    @property
    def status_label(self) -> str:
        return TASK_STATUS_LABELS[self.status]


@dataclass(frozen=True)
class ApprovalItem:
    kind: str  # "plan" or "status_report"
    id: int
    project_id: int
    project_name: str
    title: str
    body_name: str
    url: str


@dataclass(frozen=True)
class MeasurementItem:
    indicator_id: int
    project_id: int
    project_name: str
    name: str
    due_date: date | None
    missing: bool
    url: str


@dataclass(frozen=True)
class FollowUpItem:
    """Where the participants' follow-ups due are, for a registrar: a link, no participant data."""

    project_id: int
    project_name: str
    url: str


@dataclass(frozen=True)
class MeetingItem:
    id: int
    project_id: int
    project_name: str
    body_name: str
    meeting_date: date
    start_time: str
    place: str
    url: str


@dataclass
class MyOverview:
    today: date
    projects: dict[int, str] = field(default_factory=dict)
    tasks: list[TaskItem] = field(default_factory=list)
    approvals: list[ApprovalItem] = field(default_factory=list)
    measurements: list[MeasurementItem] = field(default_factory=list)
    follow_ups: list[FollowUpItem] = field(default_factory=list)
    meetings: list[MeetingItem] = field(default_factory=list)

    @property
    def overdue_tasks(self) -> int:
        return sum(1 for t in self.tasks if t.overdue_days is not None)


@dataclass
class _Me:
    """The user's roles and persons per project (from one query)."""

    roles: dict[int, set[Role]] = field(default_factory=lambda: defaultdict(set))
    persons: dict[int, int] = field(default_factory=dict)  # person id → project id


def my_overview(*, session: Session, user: User, today: date | None = None) -> MyOverview:
    """The user's open tasks (overdue first), approvals waiting for them, measurements due,
    where their participants' follow-ups are, and their bodies' coming meetings."""
    today = today or clock.today()
    me = _Me()
    for project_id, role, person_id in session.exec(
        select(ProjectMember.project_id, ProjectMember.role, ProjectMember.person_id).where(
            ProjectMember.user_id == user.id
        )
    ).all():
        me.roles[project_id].add(Role(role))
        if person_id is not None:
            me.persons[person_id] = project_id
    overview = MyOverview(today=today)
    if not me.roles:
        return overview
    projects = list(session.exec(select(Project).where(col(Project.id).in_(list(me.roles)))).all())
    overview.projects = {p.id or 0: p.name for p in projects}
    overview.tasks = _tasks(session, me, overview, today)
    seats = list(
        session.exec(
            select(Membership.body_id, Membership.role).where(
                col(Membership.person_id).in_(list(me.persons))
            )
        ).all()
    )
    deciding = {b for b, r in seats if r in DECIDING_SEATS}
    overview.approvals = _approvals(session, me, overview, projects, deciding)
    overview.measurements = _measurements(session, me, overview, today)
    overview.follow_ups = _follow_ups(session, user, me, overview)
    overview.meetings = _meetings(session, overview, {b for b, _ in seats}, today)
    return overview


def _tasks(session: Session, me: _Me, overview: MyOverview, today: date) -> list[TaskItem]:
    rows = session.exec(
        select(Task).where(
            col(Task.owner_person_id).in_(list(me.persons)), Task.status != TaskStatus.done
        )
    ).all()
    items = [
        TaskItem(
            id=t.id or 0,
            project_id=t.project_id,
            project_name=overview.projects.get(t.project_id, ""),
            title=t.title,
            status=t.status,
            due_date=t.due_date,
            overdue_days=overdue_days(t, on=today),
            url=f"/projects/{t.project_id}/"
            + (f"groups/{t.group_id}#task-{t.id}" if t.group_id else "plans#uforankrede"),
        )
        for t in rows
    ]
    # Overdue first, the longest overdue on top; then by due date, tasks without one last.
    return sorted(
        items,
        key=lambda i: (
            i.overdue_days is None,
            -(i.overdue_days or 0),
            i.due_date or date.max,
            i.project_name,
            i.title,
        ),
    )


def _approvals(
    session: Session,
    me: _Me,
    overview: MyOverview,
    projects: list[Project],
    deciding_bodies: set[int],
) -> list[ApprovalItem]:
    """Plans submitted to, and reports awaiting, a body the user acts for (the rule of
    app.governance.bodies.acts_for: the role »Styregruppemedlem« in the project, or a seat as
    chair or member; the approving bodies as find_governing_body resolves them)."""
    chosen = {
        getattr(p, setting)
        for p in projects
        for setting in ("plan_approver_id", "report_approver_id")
        if getattr(p, setting) is not None
    }
    bodies = {
        b.id: b
        for b in session.exec(
            select(Body).where(
                col(Body.project_id).in_(list(me.roles)),
                or_(Body.kind == BodyKind.steering_group, col(Body.id).in_(chosen)),
            )
        ).all()
    }
    steering: dict[int, Body] = {}
    for b in sorted(bodies.values(), key=lambda b: b.id or 0):
        if b.kind == BodyKind.steering_group:
            steering.setdefault(b.project_id, b)

    def approver(project: Project, setting: str) -> Body | None:
        body = bodies.get(getattr(project, setting))
        if body is not None and body.project_id == project.id:
            return body
        return steering.get(project.id or 0)

    def acts(project: Project, body: Body | None) -> bool:
        return body is not None and (
            Role.steering_member in me.roles[project.id or 0] or body.id in deciding_bodies
        )

    plan_bodies = {p.id: approver(p, "plan_approver_id") for p in projects}
    report_bodies = {p.id: approver(p, "report_approver_id") for p in projects}
    plan_projects = [p.id for p in projects if acts(p, plan_bodies[p.id])]
    report_projects = [p.id for p in projects if acts(p, report_bodies[p.id])]
    items: list[ApprovalItem] = []
    plans = session.exec(
        select(Plan, Body.name)
        .join(Body, col(Body.id) == Plan.group_id)
        .where(col(Plan.project_id).in_(plan_projects), Plan.status == PlanStatus.submitted)
        .order_by(col(Plan.project_id), col(Body.position), col(Plan.id))
    ).all()
    for plan, group_name in plans:
        body = plan_bodies[plan.project_id]
        items.append(
            ApprovalItem(
                kind="plan",
                id=plan.id or 0,
                project_id=plan.project_id,
                project_name=overview.projects.get(plan.project_id, ""),
                title=f"Tids- og handleplan for {group_name}",
                body_name=body.name if body else "",
                url=f"/projects/{plan.project_id}/groups/{plan.group_id}#plan-title",
            )
        )
    reports = session.exec(
        select(StatusReport)
        .where(
            col(StatusReport.project_id).in_(report_projects),
            StatusReport.status == ReportStatus.submitted,
        )
        .order_by(col(StatusReport.project_id), col(StatusReport.number))
    ).all()
    for report in reports:
        body = report_bodies[report.project_id]
        items.append(
            ApprovalItem(
                kind="status_report",
                id=report.id or 0,
                project_id=report.project_id,
                project_name=overview.projects.get(report.project_id, ""),
                title=f"Statusrapport nr. {report.number}",
                body_name=body.name if body else "",
                url=f"/projects/{report.project_id}/reports/{report.id}",
            )
        )
    return items


def _measurements(
    session: Session, me: _Me, overview: MyOverview, today: date
) -> list[MeasurementItem]:
    """The user's indicators whose next measurement is missing or due soon."""
    indicators = session.exec(
        select(Indicator).where(col(Indicator.owner_id).in_(list(me.persons)))
    ).all()
    measured: dict[int, list[Measurement]] = defaultdict(list)
    for m in session.exec(
        select(Measurement).where(col(Measurement.indicator_id).in_([i.id for i in indicators]))
    ).all():
        measured[m.indicator_id].append(m)
    items = []
    for indicator in indicators:
        due = status_of(indicator, measured[indicator.id or 0], today=today).due
        if due.state in (DueState.missing, DueState.due_soon):
            items.append(
                MeasurementItem(
                    indicator_id=indicator.id or 0,
                    project_id=indicator.project_id,
                    project_name=overview.projects.get(indicator.project_id, ""),
                    name=indicator.name,
                    due_date=due.next_due_date,
                    missing=due.missing,
                    url=f"/projects/{indicator.project_id}/indicators/{indicator.id}",
                )
            )
    return sorted(items, key=lambda i: (not i.missing, i.due_date or date.max, i.name))


def _follow_ups(session: Session, user: User, me: _Me, overview: MyOverview) -> list[FollowUpItem]:
    """The projects where the user registers participants (project leader or appointed
    registrar): a link to the follow-ups due there. Counting them would read participant
    records, which is audited; the overview reads none."""
    appointed = set(
        session.exec(select(Registrar.project_id).where(Registrar.user_id == user.id)).all()
    )
    return [
        FollowUpItem(
            project_id=pid,
            project_name=name,
            url=f"/projects/{pid}/participants/due",
        )
        for pid, name in sorted(overview.projects.items(), key=lambda p: p[1])
        if pid in appointed or Role.project_leader in me.roles[pid]
    ]


def _meetings(
    session: Session, overview: MyOverview, body_ids: set[int], today: date
) -> list[MeetingItem]:
    """The coming meetings of the bodies the user sits in (any seat)."""
    rows = session.exec(
        select(Meeting, Body.name)
        .join(Body, col(Body.id) == Meeting.body_id)
        .where(
            col(Meeting.body_id).in_(list(body_ids)),
            Meeting.meeting_date >= today,
            Meeting.meeting_date <= today + timedelta(days=MEETINGS_AHEAD_DAYS),
        )
        .order_by(col(Meeting.meeting_date), col(Meeting.start_time), col(Meeting.id))
        .limit(MEETINGS_SHOWN)
    ).all()
    return [
        MeetingItem(
            id=m.id or 0,
            project_id=m.project_id,
            project_name=overview.projects.get(m.project_id, ""),
            body_name=name,
            meeting_date=m.meeting_date,
            start_time=m.start_time,
            place=m.place,
            url=f"/projects/{m.project_id}/meetings/{m.id}",
        )
        for m, name in rows
    ]
