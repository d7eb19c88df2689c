"""The steering group's meeting pack (mødemateriale): for one of its meetings, the agenda and
what the steering group must look at or decide: plans awaiting approval, status reports awaiting
approval, slipped milestones, budget warnings, open mandate items, and decisions and follow-ups
due. Made on demand from the data as it is on the day it is made; nothing is stored."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.attachments import service as attachment_service
from app.auth.service import Access
from app.budget import grants as budget_grants
from app.budget import overview as budget_overview
from app.errors import NotFound
from app.governance import bodies as governance_bodies
from app.governance import mandates as governance_mandates
from app.governance import meetings as governance_meetings
from app.governance.models import (
    MANDATE_STATUS_LABELS,
    AgendaItem,
    Body,
    BodyKind,
    MandateStatus,
    Meeting,
    Project,
)
from app.governance.projects import get_project
from app.inputs import within_window
from app.reports import reads
from app.reports.content import asked_of_label, governance_lines
from app.reports.models import ReportStatus, StatusReport, without_snapshot
from app.workstreams import milestones as workstreams_milestones
from app.workstreams import plans as workstreams_plans
from app.workstreams.models import PlanStatus

FOLLOW_UP_DAYS = 14


@dataclass(frozen=True)
class WaitingPlan:
    group: str
    title: str
    version: int
    submitted_at: Any
    submitted_by: str
    note: str


@dataclass(frozen=True)
class GrantWarning:
    grant: str
    text: str


@dataclass(frozen=True)
class OpenMandateItem:
    body: str
    text: str
    status_label: str
    note: str


@dataclass(frozen=True)
class Pack:
    project: Project
    meeting: Meeting
    body: Body
    made: date
    agenda: list[AgendaItem]
    plans_waiting: list[WaitingPlan]
    reports_waiting: list[StatusReport]
    decisions_asked: list[dict[str, Any]]
    slipped: list[workstreams_milestones.MilestoneView]
    warnings: list[GrantWarning]
    mandate_open: list[OpenMandateItem]
    follow_ups: list[reads.FollowUpDue]
    follow_up_until: date
    # The body that approves status reports (the charter's choice, else the steering group).
    report_approver: str = ""
    # The meeting's attachments and its agenda items' (bilag), listed by name.
    attachments: list[attachment_service.Listed] = field(default_factory=list)


def meeting_pack(*, session: Session, access: Access, meeting_id: int, made: date) -> Pack:
    """The pack for a meeting of a body that approves plans or reports (the steering group
    unless the charter names others), judged on the meeting's day."""
    meeting = governance_meetings.get_meeting(
        session=session, project_id=access.project_id, meeting_id=meeting_id
    )
    body = session.get(Body, meeting.body_id)
    project = get_project(session=session, project_id=access.project_id)
    deciding = {
        role: governance_bodies.find_governing_body(session=session, project=project, role=role)
        for role in (governance_bodies.PLAN_APPROVER, governance_bodies.REPORT_APPROVER)
    }
    if body is None or body.id not in {b.id for b in deciding.values() if b is not None}:
        raise NotFound(
            "Mødepakker laves til møder i de organer, der godkender planer og statusrapporter; "
            "dette møde er et andet organs."
        )
    report_approver = deciding[governance_bodies.REPORT_APPROVER]
    governance = governance_lines(session=session, project=project)
    on = within_window(meeting.meeting_date)
    rows, _ = workstreams_plans.list_plans(
        session=session, project_id=access.project_id, status=PlanStatus.submitted
    )
    waiting = []
    for plan, group, versions in rows:
        submitted = [v for v in versions if v.status == PlanStatus.submitted]
        if submitted:
            v = submitted[0]
            waiting.append(
                WaitingPlan(
                    group.name, plan.title, v.number, v.submitted_at, v.submitted_by_name, v.note
                )
            )
    reports = list(
        session.exec(
            select(StatusReport)
            .options(without_snapshot())
            .where(
                StatusReport.project_id == access.project_id,
                StatusReport.status != ReportStatus.issued,
            )
            .order_by(col(StatusReport.number))
        ).all()
    )
    asked = [
        {
            "report": r.number,
            "text": d.get("text", ""),
            "asked_of_label": asked_of_label(governance, d.get("asked_of", "steering_group")),
            "due_date": date.fromisoformat(d["due_date"]) if d.get("due_date") else None,
        }
        for r in reports
        for d in (r.decisions_requested or [])
    ]
    milestones, _ = workstreams_milestones.list_milestones(
        session=session, project_id=access.project_id, limit=10_000, on=on
    )
    slipped = [m for m in milestones if m.health in ("overdue", "slipping")]
    warnings = []
    for view in budget_grants.list_grants(session=session, project_id=access.project_id):
        summary = budget_overview.grant_summary(
            session=session, project_id=access.project_id, grant_id=view.grant.id or 0, as_of=on
        )
        warnings += [GrantWarning(view.grant.name, w.text) for w in summary.warnings]
    mandate_open = [
        OpenMandateItem(m.body.name, item.text, MANDATE_STATUS_LABELS[item.status], item.note)
        for m in governance_mandates.mandates(session=session, project_id=access.project_id)
        if m.body.kind in (BodyKind.steering_group, BodyKind.project_management)
        for item in m.items
        if item.status != MandateStatus.done
    ]
    until = on + timedelta(days=FOLLOW_UP_DAYS)
    return Pack(
        project=project,
        meeting=meeting,
        body=body,
        made=made,
        agenda=governance_meetings.agenda(session=session, meeting_id=meeting.id or 0),
        plans_waiting=waiting,
        reports_waiting=reports,
        decisions_asked=asked,
        slipped=slipped,
        warnings=warnings,
        mandate_open=mandate_open,
        follow_ups=reads.follow_ups_due(session=session, project_id=access.project_id, by=until),
        follow_up_until=until,
        report_approver=report_approver.name if report_approver else "",
        attachments=attachment_service.listed(
            attachment_service.meeting_section(
                session=session, access=access, meeting_id=meeting_id
            )
        ),
    )


def pack_json(pack: Pack) -> dict[str, Any]:
    """The pack as JSON for the API."""
    return {
        "meeting": {
            "id": pack.meeting.id,
            "meeting_date": pack.meeting.meeting_date,
            "start_time": pack.meeting.start_time,
            "place": pack.meeting.place,
            "body": pack.body.name,
            "minutes": pack.meeting.minutes,
            "minutes_published_at": pack.meeting.minutes_published_at,
        },
        "made_date": pack.made,
        "agenda": [
            {
                "position": a.position,
                "title": a.title,
                "description": a.description,
                "minutes": a.minutes,
            }
            for a in pack.agenda
        ],
        "plans_awaiting_approval": [
            {
                "group": p.group,
                "title": p.title,
                "version": p.version,
                "submitted_by": p.submitted_by,
            }
            for p in pack.plans_waiting
        ],
        "reports_awaiting_approval": [
            {
                "id": r.id,
                "number": r.number,
                "status": r.status.value,
                "period_start_date": r.period_start_date,
                "period_end_date": r.period_end_date,
            }
            for r in pack.reports_waiting
        ],
        "decisions_asked": pack.decisions_asked,
        "slipped_milestones": [
            {
                "id": m.milestone.id,
                "name": m.milestone.name,
                "group": m.group_name,
                "baseline_date": m.baseline_date,
                "expected_date": m.expected_date,
                "slippage_days": m.slippage_days,
                "health": m.health,
            }
            for m in pack.slipped
        ],
        "budget_warnings": [{"grant": w.grant, "text": w.text} for w in pack.warnings],
        "open_mandate_items": [
            {"body": i.body, "text": i.text, "status": i.status_label} for i in pack.mandate_open
        ],
        "attachments": [
            {
                "id": a.attachment.id,
                "owner": a.owner,
                "file_name": a.attachment.file_name,
                "size": a.attachment.size,
                "sha256": a.attachment.sha256,
            }
            for a in pack.attachments
        ],
        "follow_ups_due": [
            {
                "decision_number": f.decision.number,
                "decision": f.decision.title,
                "text": f.action.text,
                "owner": f.owner_name,
                "due_date": f.action.due_date,
            }
            for f in pack.follow_ups
        ],
    }
