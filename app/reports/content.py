"""What a status report shows, composed from the project's data on the report's date.

`compose` reads every domain through its own service functions and returns plain JSON-safe data
(dates as ISO text under keys ending in `_date`). A draft is composed afresh each time it is
shown; issuing stores the composition as the report's snapshot, and from then on the report is
shown from the snapshot alone (`hydrate` turns its dates back into dates), never from live
tables.
"""

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.budget import overview as budget_overview
from app.budget import service as budget
from app.danish import format_date
from app.governance import mandates as governance_mandates
from app.governance import service as governance
from app.governance.models import MANDATE_STATUS_LABELS, BodyKind, MandateStatus, Project
from app.participants import service as participants
from app.reports import gantt, gantt_data, gantt_svg, rag
from app.reports.models import ReportStatus, StatusReport
from app.reports.schemas import ASKED_OF_LABELS, SECTIONS, AskedOf
from app.risks import rules as risk_rules
from app.risks import service as risks
from app.stakeholders import service as stakeholders
from app.stakeholders.models import ATTITUDE_LABELS, Attitude
from app.workstreams import compliance as workstreams_compliance
from app.workstreams import service as workstreams
from app.workstreams.models import (
    PLAN_STATUS_LABELS,
    TASK_STATUS_LABELS,
    MilestoneStatus,
    Task,
    TaskStatus,
)

FORMAT = 1
TOP_RISKS = 5
NEXT_ITEMS = 40


def previous_issued(*, session: Session, report: StatusReport) -> StatusReport | None:
    """The newest report issued before this one."""
    return session.exec(
        select(StatusReport)
        .where(
            StatusReport.project_id == report.project_id,
            StatusReport.status == ReportStatus.issued,
            col(StatusReport.number) < report.number,
        )
        .order_by(col(StatusReport.number).desc())
    ).first()


def _iso(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_iso(v) for v in value]
    return value


def hydrate(value: Any, key: str = "") -> Any:
    """A composed or frozen report with its `*_date` values as dates again."""
    if isinstance(value, dict):
        return {k: hydrate(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [hydrate(v, key) for v in value]
    if isinstance(value, str) and key.endswith("_date") and value:
        return date.fromisoformat(value)
    return value


def _rated(r: rag.Rated) -> dict[str, Any]:
    override = None
    if r.override is not None:
        override = {
            "level": r.override.level.value,
            "justification": r.override.justification,
            "by": r.override.by,
            "on_date": r.override.on,
        }
    return {
        "key": r.key,
        "label": r.label,
        "computed": r.computed.value,
        "level": r.level.value,
        "reasons": r.reasons,
        "override": override,
        "overridden": r.overridden,
    }


def _override(report: StatusReport, key: str) -> rag.Override | None:
    raw = (report.overrides or {}).get(key)
    return rag.Override.model_validate(raw) if raw else None


def _milestone(view: workstreams.MilestoneView, *, on: date) -> dict[str, Any]:
    m = view.milestone
    slip = view.slippage_days
    if m.status == MilestoneStatus.planned and view.expected_date < on:
        slip = max(slip, (on - view.baseline_date).days)
    return {
        "id": m.id,
        "name": m.name,
        "group": view.group_name or "Hele projektet",
        "group_id": m.group_id,
        "planned_date": m.planned_date,
        "baseline_date": view.baseline_date,
        "expected_date": view.expected_date,
        "actual_date": m.actual_date,
        "slip_days": slip,
        "health": view.health,
        "health_label": view.health_label,
        "badge": view.badge,
        "open": m.status == MilestoneStatus.planned,
    }


def compose(*, session: Session, report: StatusReport, made: date) -> dict[str, Any]:
    """Everything the report shows, from the data as it is now, judged on the report's date."""
    project = session.get(Project, report.project_id)
    assert project is not None
    on = report.report_date
    tolerances = rag.Tolerances.model_validate(report.tolerances or {})
    previous = previous_issued(session=session, report=report)
    before = (previous.snapshot or {}) if previous else {}
    since = previous.report_date if previous else report.period_start_date - timedelta(days=1)
    groups = governance.implementation_groups(session=session, project_id=project.id or 0)

    # Milestones
    views, _ = workstreams.list_milestones(
        session=session, project_id=project.id or 0, limit=10_000, on=on
    )
    milestones = [_milestone(v, on=on) for v in views]
    old_slips = {int(k): v for k, v in (before.get("milestone_slips") or {}).items()}
    for m in milestones:
        m["new"] = bool(previous) and m["open"] and m["slip_days"] > old_slips.get(m["id"], 0)
    reached = [
        m
        for m in milestones
        if m["actual_date"]
        and since < m["actual_date"] <= on
        and m["health"] in ("reached", "reached_late")
    ]
    slipped = [m for m in milestones if m["open"] and m["slip_days"] > 0]
    next_start = report.period_end_date + timedelta(days=1)
    upcoming = [
        m
        for m in milestones
        if m["open"] and next_start <= m["expected_date"] <= report.next_period_end_date
    ]

    # Tasks and plans
    task_rows = session.exec(
        # sqlmodel's select() is typed for at most four columns; the rows are typed Any.
        select(  # type: ignore[call-overload]
            Task.title,
            Task.group_id,
            Task.status,
            Task.due_date,
            Task.blocked_since_date,
            Task.completed_date,
        )
        .where(Task.project_id == project.id)
        .order_by(col(Task.due_date), col(Task.id))
    ).all()
    names = {g.id: g.name for g in groups}
    task_facts: dict[int | None, list[rag.TaskFact]] = {}
    blocked, done_in_period = [], []
    overdue_count = 0
    for title, group_id, status, due, blocked_since, completed in task_rows:
        blocked_days = (
            (on - blocked_since).days
            if (status == TaskStatus.blocked and blocked_since)
            else (0 if status == TaskStatus.blocked else None)
        )
        overdue_days = (on - due).days if (status != TaskStatus.done and due and due < on) else None
        task_facts.setdefault(group_id, []).append(rag.TaskFact(title, blocked_days, overdue_days))
        if blocked_days is not None:
            blocked.append(
                {"title": title, "group": names.get(group_id, ""), "blocked_days": blocked_days}
            )
        if overdue_days:
            overdue_count += 1
        if completed and report.period_start_date <= completed <= on:
            done_in_period.append(
                {"title": title, "group": names.get(group_id, ""), "completed_date": completed}
            )
    compliance = workstreams_compliance.compliance(
        session=session, project_id=project.id or 0, on=on
    )
    plans, plan_facts = [], {}
    for item in compliance:
        baseline, current = item.baseline, item.current
        state = PLAN_STATUS_LABELS[current.status].lower() if current else "ikke oprettet"
        fact = rag.PlanFact(item.group.name, baseline is not None, item.unapproved_changes, state)
        plan_facts[item.group.id] = fact
        plans.append(
            {
                "group": item.group.name,
                "state_label": PLAN_STATUS_LABELS[current.status] if current else "Ikke oprettet",
                "approved": baseline is not None,
                "baseline_number": baseline.number if baseline else None,
                "approved_date": baseline.decided_at.date()
                if baseline and baseline.decided_at
                else None,
                "pending_changes": item.unapproved_changes,
                "badge": "green"
                if baseline is not None and not item.unapproved_changes
                else "amber",
            }
        )

    # Grants
    grants: list[dict[str, Any]] = []
    grant_facts = []
    old_grants = {g["id"]: g for g in before.get("grants") or []}
    for view in budget.list_grants(session=session, project_id=project.id or 0):
        s = budget_overview.grant_summary(
            session=session, project_id=project.id or 0, grant_id=view.grant.id or 0, as_of=on
        )
        projected = s.forecast.projected_ore if s.forecast else None
        grant_facts.append(rag.GrantFact(view.grant.name, s.granted_ore, s.used_ore, projected))
        old = old_grants.get(view.grant.id)
        grants.append(
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

    # Risks
    open_risks = risks.open_risks(session=session, project_id=project.id or 0)
    owners = risks.owner_names(session=session, project_id=project.id or 0)
    risk_facts = [
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
        for r in risks.top_risks(session=session, project_id=project.id or 0, limit=TOP_RISKS)
    ]

    # Stakeholders
    late_actions = [
        v
        for v in stakeholders.communication_actions(
            session=session, project_id=project.id or 0, end=on - timedelta(days=1), done=False
        )
    ]
    action_facts = [
        rag.ActionFact(v.action.what, (on - v.action.planned_date).days) for v in late_actions
    ]
    people = stakeholders.list_stakeholders(session=session, project_id=project.id or 0)
    stakeholder_facts = [
        rag.StakeholderFact(s.name, s.influence, s.attitude == Attitude.opposing) for s in people
    ]
    moves = [
        {
            "name": mv.stakeholder.name,
            "assessed_date": mv.after.assessed_date,
            "before": ATTITUDE_LABELS[mv.before.attitude],
            "after": ATTITUDE_LABELS[mv.after.attitude],
            "note": mv.after.note,
        }
        for mv in stakeholders.moves(
            session=session, project_id=project.id or 0, since=report.period_start_date
        )
        if mv.after.assessed_date <= on
    ]

    # The lights
    dimensions = [
        rag.rate(
            "time",
            rag.DIMENSIONS["time"],
            rag.time_level(
                [rag.MilestoneFact(m["name"], m["slip_days"], m["open"]) for m in milestones],
                tolerances,
            ),
            _override(report, "time"),
        ),
        rag.rate(
            "economy",
            rag.DIMENSIONS["economy"],
            rag.economy_level(grant_facts, tolerances),
            _override(report, "economy"),
        ),
        rag.rate(
            "deliverables",
            rag.DIMENSIONS["deliverables"],
            rag.deliverables_level(
                [t for facts in task_facts.values() for t in facts], plan_facts.values(), tolerances
            ),
            _override(report, "deliverables"),
        ),
        rag.rate(
            "risks",
            rag.DIMENSIONS["risks"],
            rag.risks_level(risk_facts, tolerances),
            _override(report, "risks"),
        ),
        rag.rate(
            "stakeholders",
            rag.DIMENSIONS["stakeholders"],
            rag.stakeholders_level(action_facts, stakeholder_facts, tolerances),
            _override(report, "stakeholders"),
        ),
    ]
    overall = rag.overall(dimensions, _override(report, rag.OVERALL))
    group_lights = []
    for g in groups:
        key = f"group:{g.id}"
        time = rag.time_level(
            [
                rag.MilestoneFact(m["name"], m["slip_days"], m["open"])
                for m in milestones
                if m["group_id"] == g.id
            ],
            tolerances,
        )
        plan = plan_facts.get(g.id)
        work = rag.deliverables_level(task_facts.get(g.id, []), [plan] if plan else [], tolerances)
        worst = rag.worst([time.level, work.level])
        group_lights.append(
            rag.rate(
                key,
                g.name,
                rag.Assessment(worst, time.reasons + work.reasons),
                _override(report, key),
            )
        )
    lights = {r.key: r.level.value for r in [overall, *dimensions, *group_lights]}

    # What changed since the previous issued report
    old_lights = (before.get("lights") or {}) if before else {}
    labels = {r.key: r.label for r in [overall, *dimensions, *group_lights]}
    status_changes = [
        {"label": labels[key], "before": old_lights[key], "after": level}
        for key, level in lights.items()
        if key in old_lights and old_lights[key] != level
    ]
    new_slippage = [
        {
            "name": m["name"],
            "group": m["group"],
            "before_days": old_slips.get(m["id"], 0),
            "after_days": m["slip_days"],
        }
        for m in milestones
        if m["new"]
    ]
    spent: list[int] = [
        int(g["spent_since_ore"]) for g in grants if g["spent_since_ore"] is not None
    ]

    # Next period
    next_tasks, _ = workstreams.list_tasks(
        session=session,
        project_id=project.id or 0,
        period_start=next_start,
        period_end=report.next_period_end_date,
        limit=NEXT_ITEMS,
        on=on,
    )

    # The chart of the period and the next
    chart = gantt_data.load(
        session=session,
        project_id=project.id or 0,
        filters=gantt_data.GanttFilters(
            start=report.period_start_date, end=report.next_period_end_date
        ),
        on=on,
    )
    label = (
        f"Gantt-diagram for {project.name}, {format_date(report.period_start_date)}–"
        f"{format_date(report.next_period_end_date)}"
    )
    picture = gantt_svg.svg(gantt.build_model(chart.data), label=label)

    mandate = [
        {
            "body": m.body.name,
            "text": item.text,
            "status_label": MANDATE_STATUS_LABELS[item.status],
            "note": item.note,
            "badge": "amber" if item.status == MandateStatus.in_progress else "grey",
        }
        for m in governance_mandates.mandates(session=session, project_id=project.id or 0)
        if m.body.kind in (BodyKind.steering_group, BodyKind.project_management)
        for item in m.items
        if item.status != MandateStatus.done
    ]
    content = {
        "format": FORMAT,
        "made_date": made,
        "project": {
            "id": project.id,
            "name": project.name,
            "municipality": project.municipality,
            "reform": project.reform,
        },
        "report": {
            "number": report.number,
            "period_start_date": report.period_start_date,
            "period_end_date": report.period_end_date,
            "report_date": on,
            "next_period_start_date": next_start,
            "next_period_end_date": report.next_period_end_date,
        },
        "tolerances": tolerances.model_dump(),
        "tolerance_texts": rag.tolerance_texts(tolerances),
        "rag": {
            "overall": _rated(overall),
            "dimensions": [_rated(d) for d in dimensions],
            "groups": [_rated(g) for g in group_lights],
        },
        "lights": lights,
        "milestones": {"reached": reached, "slipped": slipped, "upcoming": upcoming},
        "milestone_slips": {str(m["id"]): m["slip_days"] for m in milestones if m["open"]},
        "tasks": {
            "blocked": blocked,
            "overdue_count": overdue_count,
            "done_in_period": done_in_period,
        },
        "plans": plans,
        "grants": grants,
        "risks": top,
        "open_risk_count": len(open_risks),
        "stakeholders": {
            "late_actions": [
                {
                    "what": v.action.what,
                    "stakeholder": v.stakeholder_name,
                    "group": v.group_name,
                    "planned_date": v.action.planned_date,
                    "days": (on - v.action.planned_date).days,
                }
                for v in late_actions
            ],
            "moves": moves,
        },
        "mandate": mandate,
        # The participants' headline figures per registration scheme, "<5" applied ([] when
        # the project registers no participants).
        "participants": participants.report_figures(
            session=session, project_id=project.id or 0, as_of=on
        ),
        "decisions_requested": [
            {
                "asked_of": d.get("asked_of", "steering_group"),
                "asked_of_label": ASKED_OF_LABELS[AskedOf(d.get("asked_of", "steering_group"))],
                "text": d.get("text", ""),
                "due_date": d.get("due_date"),
            }
            for d in report.decisions_requested or []
        ],
        "next_period": {
            "tasks": [
                {
                    "title": v.task.title,
                    "group": v.group_name or "",
                    "owner": v.owner_name or "",
                    "start_date": v.task.start_date,
                    "due_date": v.task.due_date,
                    "status_label": TASK_STATUS_LABELS[v.task.status],
                }
                for v in next_tasks
                if v.task.status != TaskStatus.done
            ],
            "milestones": upcoming,
        },
        "texts": {key: (report.texts or {}).get(key, "") for key in SECTIONS},
        "changes": {
            "previous": {
                "number": previous.number,
                "report_date": previous.report_date,
                "issued_date": previous.issued_at.date() if previous.issued_at else None,
            }
            if previous
            else None,
            "status_changes": status_changes,
            "new_slippage": new_slippage,
            "spent_since_ore": sum(spent) if spent else None,
            "reached_count": len(reached),
        },
        "gantt_label": label,
        "gantt_svg": picture,
    }
    return _iso(content)
