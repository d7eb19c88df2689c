"""What a status report shows, composed from the project's data on the report's date.

`compose` reads every domain through its own functions (the sections in domain_sections.py),
judges the traffic lights and what changed since the previous issued report, and returns plain
JSON-safe data (dates as ISO text under keys ending in `_date`). A draft is composed afresh each
time it is shown; issuing stores the composition as the report's snapshot, and from then on the
report is shown from the snapshot alone (`hydrate` turns its dates back into dates), never from
live tables.
"""

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.danish import format_date
from app.governance import meeting_rules
from app.governance.bodies import (
    REPORT_APPROVER,
    REPORT_RECIPIENT,
    find_governing_body,
    implementation_groups,
)
from app.governance.models import Body, Project
from app.participants import figures as participants
from app.reports import domain_sections as sections
from app.reports import gantt, gantt_data, gantt_svg, rag
from app.reports.models import ReportStatus, StatusReport
from app.reports.schemas import ASKED_OF_LABELS, SECTIONS, AskedOf

FORMAT = 1


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


def governance_lines(*, session: Session, project: Project) -> dict[str, str | None]:
    """Whom the report goes to and through whom, by the bodies' names as the report was made
    (the charter's choices, else the directorate and the steering group; None when the project
    has no such body)."""
    approver = find_governing_body(session=session, project=project, role=REPORT_APPROVER)
    recipient = find_governing_body(session=session, project=project, role=REPORT_RECIPIENT)
    return {
        "approver": approver.name if approver else None,
        "recipient": recipient.name if recipient else None,
    }


def asked_of_label(governance: dict[str, str | None], asked_of: str) -> str:
    """Whom a decision is asked of, by the body's name: `steering_group` is the body that
    approves the report, `directorate` the one that receives it (governance_lines)."""
    kind = AskedOf(asked_of)
    name = governance["approver" if kind == AskedOf.steering_group else "recipient"]
    return name or ASKED_OF_LABELS[kind]


def compose(*, session: Session, report: StatusReport, made: date) -> dict[str, Any]:
    """Everything the report shows, from the data as it is now, judged on the report's date."""
    project = session.get(Project, report.project_id)
    assert project is not None
    on = report.report_date
    tolerances = rag.Tolerances.model_validate(report.tolerances or {})
    previous = previous_issued(session=session, report=report)
    before = (previous.snapshot or {}) if previous else {}
    since = previous.report_date if previous else report.period_start_date - timedelta(days=1)
    groups = implementation_groups(session=session, project_id=project.id or 0)
    governance = governance_lines(session=session, project=project)
    milestones = sections.milestones(
        session=session, report=report, on=on, since=since, before=before if previous else None
    )
    tasks = sections.work(session=session, report=report, on=on, groups=groups)
    grants = sections.grants(session=session, project_id=project.id or 0, on=on, before=before)
    risks = sections.top_risks(session=session, project_id=project.id or 0, on=on)
    people = sections.stakeholder_section(session=session, report=report, on=on)
    mandate = sections.open_mandate(session=session, project_id=project.id or 0)

    # The lights
    def time_level(group: Body | None = None) -> rag.Assessment:
        facts = [
            rag.MilestoneFact(m["name"], m["slip_days"], m["open"])
            for m in milestones.all
            if group is None or m["group_id"] == group.id
        ]
        return rag.time_level(facts, tolerances)

    all_tasks = [t for facts in tasks.task_facts.values() for t in facts]
    dimensions = [
        rag.rate("time", rag.DIMENSIONS["time"], time_level(), _override(report, "time")),
        rag.rate(
            "economy",
            rag.DIMENSIONS["economy"],
            rag.economy_level(grants.facts, tolerances),
            _override(report, "economy"),
        ),
        rag.rate(
            "deliverables",
            rag.DIMENSIONS["deliverables"],
            rag.deliverables_level(all_tasks, tasks.plan_facts.values(), tolerances),
            _override(report, "deliverables"),
        ),
        rag.rate(
            "risks",
            rag.DIMENSIONS["risks"],
            rag.risks_level(risks.facts, tolerances),
            _override(report, "risks"),
        ),
        rag.rate(
            "stakeholders",
            rag.DIMENSIONS["stakeholders"],
            rag.stakeholders_level(people.action_facts, people.facts, tolerances),
            _override(report, "stakeholders"),
        ),
    ]
    overall = rag.overall(dimensions, _override(report, rag.OVERALL))
    group_lights = []
    for g in groups:
        key = f"group:{g.id}"
        time = time_level(g)
        plan = tasks.plan_facts.get(g.id)
        work = rag.deliverables_level(
            tasks.task_facts.get(g.id, []), [plan] if plan else [], tolerances
        )
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
            "before_days": milestones.old_slips.get(m["id"], 0),
            "after_days": m["slip_days"],
        }
        for m in milestones.all
        if m["new"]
    ]
    spent: list[int] = [
        int(g["spent_since_ore"]) for g in grants.rows if g["spent_since_ore"] is not None
    ]

    # The chart of the period and the next
    chart = gantt_data.load(
        session=session,
        project_id=project.id or 0,
        filters=gantt_data.GanttFilters(
            start=report.period_start_date, end=report.next_period_end_date
        ),
        on=on,
        base=tasks.base,
        places=tasks.places,
    )
    label = (
        f"Gantt-diagram for {project.name}, {format_date(report.period_start_date)}–"
        f"{format_date(report.next_period_end_date)}"
    )
    chart_model = gantt.build_model(chart.data)
    picture = gantt_svg.svg(chart_model, label=label)
    # The same chart on the report's landscape pages: a part per page, labels whole.
    landscape = gantt_svg.PAPERS["a4"]
    picture_pages = gantt_svg.pages(
        chart_model,
        label=label,
        rows_per_page=landscape.rows_per_page,
        width=landscape.svg_width,
        label_width=landscape.label_width,
    )

    content = {
        "format": FORMAT,
        "made_date": made,
        "project": {
            "id": project.id,
            "name": project.name,
            "municipality": project.municipality,
            "reform": project.reform,
        },
        "governance": governance,
        "report": {
            "number": report.number,
            "period_start_date": report.period_start_date,
            "period_end_date": report.period_end_date,
            "report_date": on,
            "next_period_start_date": report.period_end_date + timedelta(days=1),
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
        "milestones": {
            "reached": milestones.reached,
            "slipped": milestones.slipped,
            "upcoming": milestones.upcoming,
        },
        "milestone_slips": {str(m["id"]): m["slip_days"] for m in milestones.all if m["open"]},
        "tasks": {
            "blocked": tasks.blocked,
            "overdue_count": tasks.overdue_count,
            "done_in_period": tasks.done_in_period,
            "structure": tasks.structure,
        },
        "plans": tasks.plans,
        "grants": grants.rows,
        "risks": risks.top,
        "open_risk_count": risks.open_count,
        "stakeholders": {"late_actions": people.late_actions, "moves": people.moves},
        "mandate": mandate.open,
        # How many items the mandates have in all (reports issued before it was kept lack it).
        "mandate_item_count": mandate.item_count,
        # The bodies' meeting rules not kept on the report's date, each in a sentence naming
        # the body and the counterpart ([] when every rule is kept; older reports lack the key).
        "meeting_rule_breaches": [
            s.message
            for s in meeting_rules.breaches(session=session, project_id=project.id or 0, on=on)
        ],
        # Success measures as of the status date, the economy register's entries and the
        # decisions of the period (empty when the project has none; older reports lack them).
        "indicators": sections.success_measures(session=session, project_id=project.id or 0, on=on),
        "expenditures": sections.period_expenditures(
            session=session, report=report, grant_names={g["id"]: g["name"] for g in grants.rows}
        ),
        "decisions_made": sections.period_decisions(session=session, report=report),
        # The organisation's changes taking effect in the period ([] when none; older reports
        # lack the key).
        "organisation_changes": sections.period_organisation_changes(
            session=session, report=report
        ),
        # The participants' headline figures per registration scheme, "<5" applied ([] when
        # the project registers no participants).
        "participants": participants.report_figures(
            session=session, project_id=project.id or 0, as_of=on
        ),
        "decisions_requested": [
            {
                "asked_of": d.get("asked_of", "steering_group"),
                "asked_of_label": asked_of_label(governance, d.get("asked_of", "steering_group")),
                "text": d.get("text", ""),
                "due_date": d.get("due_date"),
            }
            for d in report.decisions_requested or []
        ],
        "next_period": {
            "tasks": sections.next_tasks(session=session, report=report, on=on, work=tasks),
            "milestones": milestones.upcoming,
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
            "reached_count": len(milestones.reached),
        },
        "gantt_label": label,
        "gantt_svg": picture,
        # The chart in page-sized parts for the landscape pages (reports issued before it was
        # kept show `gantt_svg` whole).
        "gantt_pages": picture_pages,
    }
    return _iso(summarise(content))


# A status report is read by a steering group and a directorate: it summarises, it never lists
# every task of a large project (issue 24; an 82-page draft PDF at 3,000 tasks). Past SHOWN
# items a list keeps its most telling ones — the longest blocked, the furthest slipped, the
# largest expenditures, the latest done — and `counts` says how many there are in all; a light's
# reasons keep their first REASONS_SHOWN and say how many more. Sums and lights are reckoned
# from everything, before the lists are cut (docs/reports.md).
SHOWN = 15
REASONS_SHOWN = 5
CUT = {
    ("tasks", "blocked"): lambda t: -t["blocked_days"],
    ("tasks", "done_in_period"): lambda t: (str(t["completed_date"]), t["title"]),
    ("milestones", "slipped"): lambda m: -(m.get("slip_days") or 0),
    ("expenditures", "rows"): lambda e: -e["amount_ore"],
}
LATEST_FIRST = {("tasks", "done_in_period")}


def summarise(content: dict[str, Any]) -> dict[str, Any]:
    """The report's long lists cut to what a reader takes in (SHOWN), with their full counts
    in `content["counts"]` ("tasks.blocked": 750); short lists stay as they are, in order."""
    counts: dict[str, int] = {}
    for (part, key), telling in CUT.items():
        items = (content.get(part) or {}).get(key)
        if not isinstance(items, list):
            continue
        counts[f"{part}.{key}"] = len(items)
        if len(items) > SHOWN:
            chosen = sorted(items, key=telling, reverse=(part, key) in LATEST_FIRST)[:SHOWN]
            content[part][key] = [i for i in items if any(i is c for c in chosen)]
    for rated in (*content["rag"]["dimensions"], *content["rag"]["groups"]):
        reasons = rated["reasons"]
        if len(reasons) > REASONS_SHOWN + 1:
            more = len(reasons) - REASONS_SHOWN
            rated["reasons"] = [*reasons[:REASONS_SHOWN], f"… og {more} andre forhold."]
    content["counts"] = counts
    return content
