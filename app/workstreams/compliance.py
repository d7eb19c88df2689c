"""Plan compliance for the project management: does every group have an approved plan and follow
it (no overdue tasks, no milestones slipped since the baseline), and does it keep its meeting
rules (app.governance.meeting_rules: the project management, external partners, any meeting)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from app.auth.service import Access
from app.clock import today
from app.danish import format_weeks
from app.db import stored_id
from app.errors import Forbidden
from app.governance import meeting_rules
from app.governance.bodies import (
    PLAN_APPROVER,
    bodies,
    find_governing_body,
    get_group,
    in_sentence,
)
from app.governance.meeting_rules import RuleStatus
from app.governance.models import Body, BodyKind, MeetingCounterpart, Person, Project
from app.governance.projects import get_project
from app.workstreams import plans, references
from app.workstreams.baselines import Baselines, PlanChange, baselines_of, diff, snapshot_from
from app.workstreams.milestones import describe_milestone
from app.workstreams.models import (
    PLAN_STATUS_LABELS,
    GroupSetting,
    Milestone,
    MilestoneStatus,
    Plan,
    PlanStatus,
    PlanVersion,
    Task,
    TaskStatus,
)
from app.workstreams.schemas import GroupSettingUpdate
from app.workstreams.tasks import BLOCKED_TOO_LONG_DAYS, blocked_days, is_overdue

# Meeting rules


def set_meeting_rule(
    *, session: Session, by: Access, group_id: int, data: GroupSettingUpdate
) -> GroupSetting:
    """Set how often the group must at least meet the project management (empty: no rule); the
    group's form and the old group-settings route (app.governance.meeting_rules for any body)."""
    if not by.leads:
        raise Forbidden(meeting_rules.SET_REFUSED)
    get_group(session=session, project_id=by.project_id, group_id=group_id)
    return meeting_rules.set_meeting_rule(
        session=session,
        by=by,
        body_id=group_id,
        counterpart=MeetingCounterpart.project_management,
        data=data,
    )


# Plan compliance


@dataclass
class GroupCompliance:
    """Whether a group has an approved plan and follows it, and keeps its meeting rules."""

    group: Body
    plan: Plan | None
    versions: list[PlanVersion]
    overdue_tasks: int = 0
    blocked_tasks: int = 0
    blocked_too_long: int = 0
    slipped_milestones: int = 0
    max_slip_days: int = 0
    changes: list[PlanChange] = field(default_factory=list)
    last_meeting_date: date | None = None
    meeting_interval_days: int | None = None
    next_meeting_due_date: date | None = None
    meeting_overdue: bool = False
    # Every meeting rule the group has (against any counterpart), judged on the day.
    rules: list[RuleStatus] = field(default_factory=list)
    # The day the approving body approved the baseline (its decision's date, not the time the
    # decision was registered).
    approved_on: date | None = None
    setting_version: int = 0
    level: str = "green"
    label: str = "Følger planen"
    problems: list[str] = field(default_factory=list)
    # The group's tasks (with their owners' names) and milestones as loaded for the indicator,
    # in the order of the group's lists: tasks by start and due date, milestones by date.
    tasks: list[tuple[Task, str | None]] = field(default_factory=list, repr=False)
    milestones: list[Milestone] = field(default_factory=list, repr=False)

    @property
    def baseline(self) -> PlanVersion | None:
        return plans.baseline_version(self.versions)

    @property
    def current(self) -> PlanVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def unapproved_changes(self) -> bool:
        current, baseline = self.current, self.baseline
        if current is None or baseline is None or current is baseline:
            return False
        return current.status == PlanStatus.submitted or bool(self.changes)


LEVEL_BADGES = {"red": "red", "amber": "amber", "green": "green"}


@dataclass(frozen=True)
class PlanGovernance:
    """The organisation as the plans' pages read it, once: the project's bodies in their order,
    the body that approves plans (None: the project has none) and every body's meeting rules
    against each counterpart (set or not), judged on a day."""

    bodies: list[Body]
    approver: Body | None
    rules: list[RuleStatus]

    @property
    def groups(self) -> list[Body]:
        """The implementation groups, in their set order."""
        return [b for b in self.bodies if b.kind == BodyKind.implementation_group]

    @property
    def set_rules(self) -> list[RuleStatus]:
        """The rules that are set, in the bodies' order (meeting_rules.statuses' default)."""
        return [r for r in self.rules if r.interval_days]


def plan_governance(*, session: Session, project: Project, on: date) -> PlanGovernance:
    """The project's bodies, plan approver and meeting rules judged on `on`: three queries
    (bodies, rules, meetings), a fourth for the approver only when the charter names none."""
    project_id = stored_id(project)
    found = bodies(session=session, project_id=project_id)
    # The charter's approver is among the bodies just read (no query for it).
    approver = find_governing_body(session=session, project=project, role=PLAN_APPROVER)
    rules = meeting_rules.statuses(
        session=session,
        project_id=project_id,
        on=on,
        every_counterpart=True,
        project=project,
        among=found,
    )
    return PlanGovernance(bodies=found, approver=approver, rules=rules)


def compliance(
    *, session: Session, project_id: int, on: date | None = None, group_id: int | None = None
) -> list[GroupCompliance]:
    """The plan-compliance indicator of every implementation group (or one), in a fixed number
    of queries: no approved plan, overdue tasks, milestones slipped since the baseline, changes
    awaiting approval, and the meeting rule."""
    return compliance_and_baselines(
        session=session, project_id=project_id, on=on, group_id=group_id
    )[0]


def project_tasks(*, project_id: int) -> Select[Task, str]:
    """The query of a project's tasks with their owners' names, in the group page's order (by
    start and due date)."""
    return (
        select(Task, Person.name)
        .outerjoin(Person, col(Person.id) == Task.owner_person_id)
        .where(Task.project_id == project_id)
        .order_by(
            col(Task.start_date).is_(None), col(Task.start_date), col(Task.due_date), col(Task.id)
        )
    )


def compliance_and_baselines(
    *,
    session: Session,
    project_id: int,
    on: date | None = None,
    group_id: int | None = None,
    project: Project | None = None,
    governance: PlanGovernance | None = None,
    tasks: Sequence[tuple[Task, str | None]] | None = None,
) -> tuple[list[GroupCompliance], Baselines]:
    """compliance(), and the plan baselines it was judged against (for pages that also show
    tasks and milestones with their baseline dates): the project's, or for one group only its
    plan's. The project, its plan_governance() (judged on `on`) and its tasks with their
    owners' names (project_tasks(); a status report reads them for itself too) may be given
    when already loaded."""
    on = on or today()
    if project is None:
        project = get_project(session=session, project_id=project_id)
    if governance is None:
        governance = plan_governance(session=session, project=project, on=on)
    groups = [g for g in governance.groups if group_id is None or g.id == group_id]
    approver = governance.approver
    approver_name = in_sentence(approver.name) if approver else "det godkendende organ"
    rules: dict[int, list[RuleStatus]] = defaultdict(list)
    for status in governance.rules:
        rules[stored_id(status.body)].append(status)
    plan_rows, versions = plans.plans_with_versions(
        session=session, project_id=project_id, group_id=group_id
    )
    plan_by_group = {p.group_id: p for p in plan_rows}
    # Ordered as the group page lists them (service.list_tasks / list_milestones), so the page
    # can show these rows without reading them again; the indicator does not depend on order.
    in_groups = (
        col(Task.group_id).is_not(None) if group_id is None else col(Task.group_id) == group_id
    )
    if tasks is None:
        tasks = list(session.exec(project_tasks(project_id=project_id).where(in_groups)).all())
    else:
        tasks = [(t, o) for t, o in tasks if t.group_id is not None]
        if group_id is not None:
            tasks = [(t, o) for t, o in tasks if t.group_id == group_id]
    milestones_in_groups = (
        col(Milestone.group_id).is_not(None)
        if group_id is None
        else col(Milestone.group_id) == group_id
    )
    milestones = session.exec(
        select(Milestone)
        .where(Milestone.project_id == project_id, milestones_in_groups)
        .order_by(col(Milestone.planned_date), col(Milestone.id))
    ).all()
    base = baselines_of(plan_rows, versions)
    tasks_by_group: dict[int, list[tuple[Task, str | None]]] = defaultdict(list)
    for t, owner in tasks:
        tasks_by_group[t.group_id or 0].append((t, owner))
    ms_by_group: dict[int, list[Milestone]] = defaultdict(list)
    for m in milestones:
        ms_by_group[m.group_id or 0].append(m)
    result = []
    for g in groups:
        gid = g.id or 0
        plan = plan_by_group.get(gid)
        item = GroupCompliance(
            group=g, plan=plan, versions=versions.get(plan.id or 0, []) if plan else []
        )
        group_tasks = tasks_by_group.get(gid, [])
        item.tasks = group_tasks
        item.milestones = ms_by_group.get(gid, [])
        item.overdue_tasks = sum(1 for t, _ in group_tasks if is_overdue(t, on=on))
        blocked = [t for t, _ in group_tasks if t.status == TaskStatus.blocked]
        item.blocked_tasks = len(blocked)
        item.blocked_too_long = sum(
            1 for t in blocked if (blocked_days(t, on=on) or 0) > BLOCKED_TOO_LONG_DAYS
        )
        baseline = item.baseline
        if baseline is not None:
            for m in ms_by_group.get(gid, []):
                if m.id not in base.milestone_dates:
                    continue
                view = describe_milestone(
                    m, baseline=base.milestone_dates[m.id], group_name=g.name, on=on
                )
                if view.slippage_days > 0 and m.status != MilestoneStatus.cancelled:
                    item.slipped_milestones += 1
                    item.max_slip_days = max(item.max_slip_days, view.slippage_days)
            if plan is not None:
                live = snapshot_from(
                    plan=plan, tasks=group_tasks, milestones=ms_by_group.get(gid, [])
                )
                item.changes = diff(baseline.snapshot, live)
        item.rules = [r for r in rules.get(gid, []) if r.interval_days]
        with_pm = next(
            r for r in rules.get(gid, []) if r.counterpart == MeetingCounterpart.project_management
        )
        item.setting_version = with_pm.version
        item.meeting_interval_days = with_pm.interval_days
        item.last_meeting_date = with_pm.last_meeting_date
        item.next_meeting_due_date = with_pm.next_due_date
        item.meeting_overdue = any(r.overdue for r in item.rules)
        _judge(item, approver_name)
        result.append(item)
    made = references.decisions(
        session=session, ids=[i.baseline.decision_id for i in result if i.baseline]
    )
    for item in result:
        if item.baseline and item.baseline.decision_id in made:
            item.approved_on = made[item.baseline.decision_id].decision_date
    return result, base


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _judge(item: GroupCompliance, approver_name: str) -> None:
    """Red: no approved plan, or the plan is not followed; amber: something needs attention."""
    problems = []
    red = amber = False
    current = item.current
    if item.baseline is None:
        red = True
        state = PLAN_STATUS_LABELS[current.status].lower() if current else "ikke oprettet"
        problems.append(f"Ingen godkendt plan (planen er {state})")
    if item.overdue_tasks:
        red = True
        problems.append(_plural(item.overdue_tasks, "opgave er forfalden", "opgaver er forfaldne"))
    if item.slipped_milestones:
        red = True
        slipped = _plural(item.slipped_milestones, "milepæl er skredet", "milepæle er skredet")
        most = format_weeks(item.max_slip_days)
        problems.append(f"{slipped} i forhold til den godkendte plan (op til {most} uger)")
    if item.unapproved_changes:
        amber = True
        problems.append(f"Ændringer siden godkendelsen er ikke godkendt af {approver_name}")
    if current is not None and current.status == PlanStatus.returned:
        amber = True
        problems.append(f"Planen er sendt tilbage af {approver_name}")
    if item.blocked_too_long:
        amber = True
        problems.append(
            f"{_plural(item.blocked_too_long, 'opgave', 'opgaver')} har været "
            f"blokeret i mere end {BLOCKED_TOO_LONG_DAYS // 7} uger"
        )
    for rule in item.rules:
        if rule.overdue:
            amber = True
            problems.append(rule.problem)
    item.problems = problems
    if red:
        item.level = "red"
        item.label = "Ingen godkendt plan" if item.baseline is None else "Følger ikke planen"
    elif amber:
        item.level, item.label = "amber", "Kræver opmærksomhed"
    else:
        item.level, item.label = "green", "Følger planen"
