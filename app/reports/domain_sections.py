"""The sections of a status report that come from the other domains: milestones, tasks and plans,
grants, the period's expenditures, success measures, risks, stakeholders, the open mandate, the
period's decisions and organisation changes, and the next period's tasks. Each is read through
that domain's own functions and returned as plain data (dates still dates; content.py makes the
whole report JSON-safe) together with the facts its traffic lights are judged from (app/reports/
rag.py)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from app.budget import expenditures as budget_expenditures
from app.budget import grants as budget_grants
from app.budget import overview as budget_overview
from app.budget.models import STATUS_LABELS as EXPENSE_STATUS_LABELS
from app.danish import format_measure
from app.governance import changes as governance_changes
from app.governance import decisions as governance_decisions
from app.governance import mandates as governance_mandates
from app.governance.models import (
    CHANGE_KIND_LABELS,
    MANDATE_STATUS_LABELS,
    Body,
    BodyKind,
    MandateStatus,
)
from app.reports import rag
from app.reports.models import StatusReport
from app.risks import measures as risk_measures
from app.risks import rules as risk_rules
from app.risks import service as risks
from app.stakeholders import communication
from app.stakeholders import service as stakeholders
from app.stakeholders.models import ATTITUDE_LABELS, Attitude
from app.workstreams import compliance as workstreams_compliance
from app.workstreams import hierarchy
from app.workstreams import milestones as workstreams_milestones
from app.workstreams import tasks as workstreams_tasks
from app.workstreams.baselines import Baselines
from app.workstreams.models import (
    PLAN_STATUS_LABELS,
    TASK_STATUS_LABELS,
    MilestoneStatus,
    Task,
    TaskStatus,
)

TOP_RISKS = 5
NEXT_ITEMS = 40
# Levels of the plans' structure a report shows (1 and 1.2; deeper levels are on the pages).
STRUCTURE_LEVELS = 2


@dataclass
class Milestones:
    """Every milestone as the report shows it, and those reached, slipped and coming up."""

    all: list[dict[str, Any]]
    reached: list[dict[str, Any]]
    slipped: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    old_slips: dict[int, int]


@dataclass
class Work:
    """Blocked, overdue and finished tasks, the groups' plans, and their facts by group."""

    blocked: list[dict[str, Any]] = field(default_factory=list)
    overdue_count: int = 0
    done_in_period: list[dict[str, Any]] = field(default_factory=list)
    task_facts: dict[int | None, list[rag.TaskFact]] = field(default_factory=dict)
    plans: list[dict[str, Any]] = field(default_factory=list)
    plan_facts: dict[int | None, rag.PlanFact] = field(default_factory=dict)
    # The structure of the plans that have sub-tasks (plan_structure).
    structure: list[dict[str, Any]] = field(default_factory=list)
    # Every task's place in its plan and the plans' baselines, as read here: the report's
    # Gantt and next period's tasks are drawn from them rather than reading them again.
    places: dict[int, hierarchy.Place] = field(default_factory=dict)
    base: Baselines = field(default_factory=Baselines)


@dataclass
class Grants:
    rows: list[dict[str, Any]]
    facts: list[rag.GrantFact]


@dataclass
class Risks:
    top: list[dict[str, Any]]
    open_count: int
    facts: list[rag.RiskFact]


@dataclass
class Stakeholders:
    late_actions: list[dict[str, Any]]
    moves: list[dict[str, Any]]
    action_facts: list[rag.ActionFact]
    facts: list[rag.StakeholderFact]


def _milestone(view: workstreams_milestones.MilestoneView) -> dict[str, Any]:
    m = view.milestone
    return {
        "id": m.id,
        "name": m.name,
        "group": view.group_name or "Hele projektet",
        "group_id": m.group_id,
        "planned_date": m.planned_date,
        "baseline_date": view.baseline_date,
        "expected_date": view.expected_date,
        "actual_date": m.actual_date,
        "slip_days": view.slippage_days,
        "health": view.health,
        "health_label": view.health_label,
        "badge": view.badge,
        "open": m.status == MilestoneStatus.planned,
    }


def milestones(
    *,
    session: Session,
    report: StatusReport,
    on: date,
    since: date,
    before: dict[str, Any] | None,
) -> Milestones:
    """The milestones judged on `on`; `new` marks a slip grown since the previous issued report
    (`before`, its snapshot, or None when there is none)."""
    views, _ = workstreams_milestones.list_milestones(
        session=session, project_id=report.project_id, limit=10_000, on=on
    )
    found = [_milestone(v) for v in views]
    old_slips = {int(k): v for k, v in ((before or {}).get("milestone_slips") or {}).items()}
    for m in found:
        m["new"] = before is not None and m["open"] and m["slip_days"] > old_slips.get(m["id"], 0)
    next_start = report.period_end_date + timedelta(days=1)
    return Milestones(
        all=found,
        reached=[
            m
            for m in found
            if m["actual_date"]
            and since < m["actual_date"] <= on
            and m["health"] in ("reached", "reached_late")
        ],
        slipped=[m for m in found if m["open"] and m["slip_days"] > 0],
        upcoming=[
            m
            for m in found
            if m["open"] and next_start <= m["expected_date"] <= report.next_period_end_date
        ],
        old_slips=old_slips,
    )


def work(*, session: Session, report: StatusReport, on: date, groups: list[Body]) -> Work:
    """The tasks (blocked, overdue, done in the period) and the groups' plans, judged on `on`.
    The project's tasks are read once, for the lists and for the plans' compliance."""
    with_owners = list(
        session.exec(workstreams_compliance.project_tasks(project_id=report.project_id)).all()
    )
    # Listed by due date, tasks without one last (the same on SQLite and PostgreSQL).
    task_rows = sorted(
        (t for t, _ in with_owners),
        key=lambda t: (t.due_date is None, t.due_date or date.min, t.id or 0),
    )
    names = {g.id: g.name for g in groups}
    found = Work()
    places = hierarchy.outline(task_rows)
    found.places = places
    for task in task_rows:
        title, group_id, completed = task.title, task.group_id, task.completed_date
        place = places.get(task.id or 0)
        number = place.number if place else ""
        blocked = workstreams_tasks.blocked_days(task, on=on)
        overdue = workstreams_tasks.overdue_days(task, on=on)
        found.task_facts.setdefault(group_id, []).append(rag.TaskFact(title, blocked, overdue))
        if blocked is not None:
            found.blocked.append(
                {
                    "title": title,
                    "number": number,
                    "group": names.get(group_id, ""),
                    "blocked_days": blocked,
                }
            )
        if overdue:
            found.overdue_count += 1
        if completed and report.period_start_date <= completed <= on:
            found.done_in_period.append(
                {
                    "title": title,
                    "number": number,
                    "group": names.get(group_id, ""),
                    "completed_date": completed,
                }
            )
    found.structure = plan_structure(task_rows, places, groups)
    compliance, found.base = workstreams_compliance.compliance_and_baselines(
        session=session, project_id=report.project_id, on=on, tasks=with_owners
    )
    for item in compliance:
        baseline, current = item.baseline, item.current
        state = PLAN_STATUS_LABELS[current.status].lower() if current else "ikke oprettet"
        fact = rag.PlanFact(item.group.name, baseline is not None, item.unapproved_changes, state)
        found.plan_facts[item.group.id] = fact
        found.plans.append(
            {
                "group": item.group.name,
                "state_label": PLAN_STATUS_LABELS[current.status] if current else "Ikke oprettet",
                "approved": baseline is not None,
                "baseline_number": baseline.number if baseline else None,
                "approved_date": item.approved_on,
                "pending_changes": item.unapproved_changes,
                "badge": "green"
                if baseline is not None and not item.unapproved_changes
                else "amber",
            }
        )
    return found


def grants(*, session: Session, project_id: int, on: date, before: dict[str, Any]) -> Grants:
    """Each grant's money on `on`, with what was spent since the previous issued report."""
    rows: list[dict[str, Any]] = []
    facts = []
    old_grants = {g["id"]: g for g in before.get("grants") or []}
    for s in budget_overview.grant_summaries(session=session, project_id=project_id, as_of=on):
        view = s.view
        projected = s.forecast.projected_ore if s.forecast else None
        facts.append(rag.GrantFact(view.grant.name, s.granted_ore, s.used_ore, projected))
        old = old_grants.get(view.grant.id)
        rows.append(
            {
                "id": view.grant.id,
                "name": view.grant.name,
                "granted_ore": s.granted_ore,
                "paid_ore": s.paid_ore,
                "committed_ore": s.committed_ore,
                "used_ore": s.used_ore,
                "remaining_ore": s.remaining_ore,
                "projected_ore": projected,
                "first_date": view.grant.first_date,
                "last_date": view.grant.last_date,
                "warnings": [w.text for w in s.warnings],
                "spent_since_ore": s.used_ore - old["used_ore"] if old else None,
            }
        )
    return Grants(rows, facts)


def top_risks(*, session: Session, project_id: int, on: date) -> Risks:
    """The highest-scoring open risks, and every open risk's facts."""
    open_risks = risks.open_risks(session=session, project_id=project_id)
    owners = risks.owner_names(session=session, project_id=project_id)
    facts = [
        rag.RiskFact(
            r.title,
            r.score,
            risk_rules.review_overdue(review_date=r.review_date, is_open=True, today=on),
        )
        for r in open_risks
    ]
    top = [
        {
            "id": r.id,
            "title": r.title,
            "score": r.score,
            "level_label": risk_rules.RISK_LEVEL_LABELS[r.level] if r.level else "",
            "badge": risk_rules.RISK_LEVEL_BADGES[r.level] if r.level else "grey",
            "owner": owners.get(r.owner_id or 0, ""),
            "response": r.response,
            "status_label": risk_rules.RAID_STATUS_LABELS[r.status],
            "review_date": r.review_date,
        }
        for r in risks.top_risks(session=session, project_id=project_id, limit=TOP_RISKS)
    ]
    return Risks(top, len(open_risks), facts)


def stakeholder_section(*, session: Session, report: StatusReport, on: date) -> Stakeholders:
    """The communication actions overdue on `on`, and who moved on the grid in the period."""
    project_id = report.project_id
    late = communication.communication_actions(
        session=session, project_id=project_id, end=on - timedelta(days=1), done=False
    )
    people = stakeholders.list_stakeholders(session=session, project_id=project_id)
    moves = [
        {
            "name": mv.stakeholder.name,
            "assessed_date": mv.after.assessed_date,
            "before": ATTITUDE_LABELS[mv.before.attitude],
            "after": ATTITUDE_LABELS[mv.after.attitude],
            "note": mv.after.note,
        }
        for mv in stakeholders.moves(
            session=session, project_id=project_id, since=report.period_start_date
        )
        if mv.after.assessed_date <= on
    ]
    return Stakeholders(
        late_actions=[
            {
                "what": v.action.what,
                "stakeholder": v.stakeholder_name,
                "group": v.group_name,
                "planned_date": v.action.planned_date,
                "days": (on - v.action.planned_date).days,
            }
            for v in late
        ],
        moves=moves,
        action_facts=[
            rag.ActionFact(v.action.what, (on - v.action.planned_date).days) for v in late
        ],
        facts=[
            rag.StakeholderFact(s.name, s.influence, s.attitude == Attitude.opposing)
            for s in people
        ],
    )


@dataclass
class Mandate:
    """The steering group's and project management's mandate items not yet done, and how many
    items their mandates have in all (none: the report says so rather than "all done")."""

    open: list[dict[str, Any]]
    item_count: int


def open_mandate(*, session: Session, project_id: int) -> Mandate:
    """The steering group's and project management's mandate items not yet done."""
    items = [
        (m.body, item)
        for m in governance_mandates.mandates(session=session, project_id=project_id)
        if m.body.kind in (BodyKind.steering_group, BodyKind.project_management)
        for item in m.items
    ]
    return Mandate(
        open=[
            {
                "body": body.name,
                "text": item.text,
                "status_label": MANDATE_STATUS_LABELS[item.status],
                "note": item.note,
                "badge": "amber" if item.status == MandateStatus.in_progress else "grey",
            }
            for body, item in items
            if item.status != MandateStatus.done
        ],
        item_count=len(items),
    )


def success_measures(*, session: Session, project_id: int, on: date) -> list[dict[str, Any]]:
    """Each indicator as of `on`: latest value against target, trend, frequency, progress and
    whether a due measurement is missing (the risks domain's `indicator_overview`)."""
    rows = []
    for s in risk_measures.indicator_overview(session=session, project_id=project_id, today=on):
        i, latest, trend = s.indicator, s.latest, s.trend
        rows.append(
            {
                "id": i.id,
                "name": i.name,
                "unit": i.unit,
                "direction_label": risk_rules.DIRECTION_LABELS[i.direction],
                "baseline_value": format_measure(i.baseline_value),
                "baseline_date": i.baseline_date,
                "target_value": format_measure(i.target_value),
                "target_date": i.target_date,
                "latest_value": format_measure(latest.value) if latest else "",
                "latest_date": latest.measured_date if latest else None,
                "trend": trend.value if trend else None,
                "trend_label": risk_rules.TREND_LABELS[trend] if trend else "",
                "trend_arrow": risk_rules.TREND_ARROWS[trend] if trend else "",
                "frequency_label": risk_rules.FREQUENCY_LABELS[i.frequency],
                "progress_label": s.progress_label,
                "progress_badge": s.progress_badge,
                "due_label": s.due.label,
                "due_badge": s.due.badge,
                "next_due_date": s.due.next_due_date,
                "missing": s.due.missing,
            }
        )
    return rows


def period_expenditures(
    *, session: Session, report: StatusReport, grant_names: dict[int, str] | None = None
) -> dict[str, Any]:
    """The economy register's entries dated in the report's period, and their sum (the grants'
    names by id may be given when already read)."""
    found = budget_expenditures.expenditures_between(
        session=session,
        project_id=report.project_id,
        start=report.period_start_date,
        end=report.period_end_date,
    )
    if not found:
        return {"rows": [], "total_ore": 0}
    names = grant_names
    if names is None:
        names = {
            v.grant.id or 0: v.grant.name
            for v in budget_grants.list_grants(session=session, project_id=report.project_id)
        }
    return {
        "rows": [
            {
                "id": e.id,
                "expense_date": e.expense_date,
                "description": e.description,
                "grant": names.get(e.grant_id, "") if e.grant_id else "Egen finansiering",
                "amount_ore": e.amount_ore,
                "status_label": EXPENSE_STATUS_LABELS[e.status],
            }
            for e in found
        ],
        "total_ore": sum(e.amount_ore for e in found),
    }


def period_decisions(*, session: Session, report: StatusReport) -> list[dict[str, Any]]:
    """The decisions of the log dated in the report's period: date, body, title."""
    return [
        {
            "number": d.number,
            "decision_date": d.decision_date,
            "body": body.name,
            "title": d.title,
        }
        for d, body in governance_decisions.decisions_between(
            session=session,
            project_id=report.project_id,
            start=report.period_start_date,
            end=report.period_end_date,
        )
    ]


def period_organisation_changes(*, session: Session, report: StatusReport) -> list[dict[str, Any]]:
    """The organisation's changes taking effect in the report's period, oldest first: the day,
    the body, what kind of change and its text (the names as they were recorded)."""
    return [
        {
            "effective_date": c.effective_date,
            "body": c.body_name,
            "kind": c.kind.value,
            "kind_label": CHANGE_KIND_LABELS[c.kind],
            "person": c.person_name,
            "description": c.description,
        }
        for c in governance_changes.changes_between(
            session=session,
            project_id=report.project_id,
            start=report.period_start_date,
            end=report.period_end_date,
        )
    ]


def plan_structure(
    tasks: Sequence[Task], places: dict[int, hierarchy.Place], groups: list[Body]
) -> list[dict[str, Any]]:
    """The structure of the groups' plans (only when a plan has sub-tasks): each group's tasks
    of the top STRUCTURE_LEVELS levels in tree order, with number, level, status, progress and
    due date. Empty when every plan is flat (the section is then left out)."""
    if not any(t.parent_id for t in tasks):
        return []
    by_group: dict[int | None, list[Task]] = {}
    for t in sorted(tasks, key=lambda t: hierarchy.sort_key(places, t.id)):
        if hierarchy.level_of(places, t.id) <= STRUCTURE_LEVELS:
            by_group.setdefault(t.group_id, []).append(t)
    return [
        {
            "group": g.name,
            "rows": [
                {
                    "number": places[t.id or 0].number,
                    "title": t.title,
                    "level": places[t.id or 0].level,
                    "parent": places[t.id or 0].children > 0,
                    "status_label": TASK_STATUS_LABELS[t.status],
                    "progress": t.progress,
                    "due_date": t.due_date,
                }
                for t in by_group[g.id]
            ],
        }
        for g in groups
        if by_group.get(g.id) and any(t.parent_id for t in by_group[g.id])
    ]


def next_tasks(
    *, session: Session, report: StatusReport, on: date, work: Work | None = None
) -> list[dict[str, Any]]:
    """The tasks of the next period that are not done (the tasks' places and baselines taken
    from `work` when it was read already)."""
    found, _ = workstreams_tasks.list_tasks(
        session=session,
        project_id=report.project_id,
        period_start=report.period_end_date + timedelta(days=1),
        period_end=report.next_period_end_date,
        limit=NEXT_ITEMS,
        on=on,
        base=work.base if work else None,
        places=work.places if work else None,
    )
    return [
        {
            "title": v.task.title,
            "number": v.number,
            "level": v.level,
            "group": v.group_name or "",
            "owner": v.owner_name or "",
            "start_date": v.task.start_date,
            "due_date": v.task.due_date,
            "status_label": TASK_STATUS_LABELS[v.task.status],
        }
        for v in found
        if v.task.status != TaskStatus.done
    ]
