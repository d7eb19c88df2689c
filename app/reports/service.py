"""Status reports: draft → submitted for approval → approved by the steering group (or returned
to draft with a reason) → issued to the directorate.

The project leader drafts a report for a period and edits its texts, tolerances, overrides of
the traffic lights and the decisions asked for, then submits it; the approving body approves it
(a decision in its log) or returns it with a reason; the project leader issues it. Issuing
freezes everything the report shows into its snapshot and stores the PDF as sent, so an issued
report never changes. Editing a submitted or approved report sends it back to draft: the
steering group approves what is issued. Each hand-off tells the next hands (app.notifications,
in the same transaction). The directorate reads issued reports only. One audit event and one
commit per use case.
"""

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.models import Role
from app.auth.service import Access
from app.clock import COPENHAGEN, today
from app.danish import format_date
from app.db import project_row, utcnow
from app.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    check_version,
    missing,
    require_version,
)
from app.governance import handoffs
from app.governance.bodies import (
    REPORT_APPROVE_REFUSED,
    REPORT_APPROVER,
    REPORT_RECIPIENT,
    acts_for,
    find_governing_body,
    governing_body,
    implementation_groups,
    in_sentence,
)
from app.governance.decisions import build_decision
from app.governance.meetings import list_meetings
from app.governance.models import Body, Meeting, Project
from app.notifications import service as notifications
from app.notifications.models import NotificationKind
from app.reports import content as composer
from app.reports import pdf, rag
from app.reports.models import (
    REPORT_STATUS_LABELS,
    ReportStatus,
    StatusReport,
    StatusReportFile,
    without_snapshot,
)
from app.reports.schemas import (
    SECTIONS,
    ApproveIn,
    ReturnIn,
    StatusReportCreate,
    StatusReportUpdate,
)

DRAFT_REFUSED = "Kun projektlederen må skrive og ændre statusrapporter."
APPROVE_REFUSED = REPORT_APPROVE_REFUSED
ISSUE_REFUSED = "Kun projektlederen må udsende en statusrapport."
SUBMIT_REFUSED = "Kun projektlederen må sende en statusrapport til godkendelse."
DRAFTS_HIDDEN = "Med rollen »Direktion« kan man kun læse udsendte statusrapporter."
DEFAULT_PERIOD_DAYS = 91
TEXT_LIMIT = 10_000


def sees_drafts(access: Access) -> bool:
    """Everybody in the project but the directorate may read reports before they are issued."""
    return access.is_admin or bool(access.roles - {Role.directorate})


def _name(access: Access) -> str:
    return access.user.full_name or access.user.username


def _title(report: StatusReport) -> str:
    return (
        f"Statusrapport nr. {report.number} ({format_date(report.period_start_date)}–"
        f"{format_date(report.period_end_date)})"
    )


# Reading


def list_reports(*, session: Session, access: Access) -> list[StatusReport]:
    """The project's reports, newest first (issued only, for the directorate)."""
    query = (
        select(StatusReport)
        .options(without_snapshot())
        .where(  # type: ignore[arg-type]
            StatusReport.project_id == access.project_id
        )
    )
    if not sees_drafts(access):
        query = query.where(StatusReport.status == ReportStatus.issued)
    return list(session.exec(query.order_by(col(StatusReport.number).desc())).all())


def get_report(
    *, session: Session, access: Access, report_id: int, lock: bool = False
) -> StatusReport:
    """A report of this project; NotFound, or Forbidden for a draft shown to the directorate."""
    report = project_row(
        StatusReport,
        report_id,
        session=session,
        project_id=access.project_id,
        missing="Statusrapporten findes ikke i dette projekt.",
        lock=lock,
    )
    if report.status != ReportStatus.issued and not sees_drafts(access):
        raise Forbidden(DRAFTS_HIDDEN)
    return report


def may_approve(*, session: Session, access: Access) -> bool:
    """Whether the user may approve reports on behalf of the approving body (acts_for)."""
    project = session.get(Project, access.project_id)
    if project is None:
        return False
    approver = find_governing_body(session=session, project=project, role=REPORT_APPROVER)
    return approver is not None and acts_for(session=session, access=access, body=approver)


def approval_meetings(*, session: Session, access: Access) -> list[Meeting]:
    """The meetings of the body that approves reports, which a member may name when approving
    one (none when the project has no such body)."""
    project = session.get(Project, access.project_id)
    approver = project and find_governing_body(
        session=session, project=project, role=REPORT_APPROVER
    )
    if approver is None:
        return []
    meetings, _ = list_meetings(
        session=session, project_id=access.project_id, body_id=approver.id, limit=12
    )
    return meetings


def content_of(*, session: Session, report: StatusReport) -> dict[str, Any]:
    """What the report shows: its frozen snapshot once issued, else composed from live data."""
    if report.status == ReportStatus.issued and report.snapshot is not None:
        return report.snapshot
    return composer.compose(session=session, report=report, made=today())


def pdf_of(*, session: Session, report: StatusReport) -> bytes:
    """The report as PDF: the stored bytes once issued, else made now (marked as a draft)."""
    if report.status == ReportStatus.issued:
        stored = session.exec(
            select(StatusReportFile).where(StatusReportFile.report_id == report.id)
        ).first()
        if stored is not None:
            return stored.pdf
    content = content_of(session=session, report=report)
    return pdf.report_pdf(content, status=report.status, approved=report.approved_at)


def pdf_etag(*, session: Session, report: StatusReport) -> str | None:
    """A strong ETag for the report's PDF once issued (its stored digest: it never changes);
    None for a draft, which is made anew (app/reports/pdf.py keeps it while its content stays)."""
    if report.status != ReportStatus.issued:
        return None
    digest = pdf_digest(session=session, report_id=report.id or 0)
    return f'"{digest}"' if digest else None


def pdf_digest(*, session: Session, report_id: int) -> str | None:
    """The SHA-256 of an issued report's stored PDF."""
    return session.exec(
        select(StatusReportFile.sha256).where(StatusReportFile.report_id == report_id)
    ).first()


# Checks


def _check_dates(report: StatusReport) -> None:
    if report.period_end_date < report.period_start_date:
        raise Invalid(
            f"Periodens slutdato ({format_date(report.period_end_date)}) ligger før dens "
            f"startdato ({format_date(report.period_start_date)}).",
            field="period_end_date",
        )
    if report.report_date < report.period_start_date:
        raise Invalid(
            f"Statusdatoen ({format_date(report.report_date)}) ligger før periodens startdato "
            f"({format_date(report.period_start_date)}).",
            field="report_date",
        )
    if report.next_period_end_date <= report.period_end_date:
        raise Invalid(
            f"Næste periodes slutdato ({format_date(report.next_period_end_date)}) skal ligge "
            f"efter periodens slutdato ({format_date(report.period_end_date)}).",
            field="next_period_end_date",
        )


def _override_keys(*, session: Session, project_id: int) -> dict[str, str]:
    keys = {rag.OVERALL: "Samlet status"} | rag.DIMENSIONS
    for g in implementation_groups(session=session, project_id=project_id):
        keys[f"group:{g.id}"] = g.name
    return keys


def _apply_overrides(
    *, session: Session, by: Access, report: StatusReport, overrides: dict[str, Any]
) -> None:
    known = _override_keys(session=session, project_id=report.project_id)
    merged = dict(report.overrides or {})
    for key, value in overrides.items():
        if key not in known:
            raise Invalid(f"»{key}« er ikke et trafiklys i rapporten.", field=f"overrides.{key}")
        if value is None:
            merged.pop(key, None)
            continue
        justification = value.justification.strip()
        if not justification:
            raise Invalid(
                f"Skriv en begrundelse, når du selv sætter trafiklyset for »{known[key]}«.",
                field=f"overrides.{key}.justification",
            )
        merged[key] = {
            "level": value.level.value,
            "justification": justification,
            "by": _name(by),
            "on": today().isoformat(),
        }
    report.overrides = merged


def _apply_texts(report: StatusReport, texts: dict[str, str]) -> None:
    merged = dict(report.texts or {})
    for key, value in texts.items():
        if key not in SECTIONS:
            raise Invalid(f"»{key}« er ikke et afsnit i rapporten.", field=f"texts.{key}")
        if len(value) > TEXT_LIMIT:
            raise Invalid(
                f"Afsnittet »{SECTIONS[key]}« må højst have {TEXT_LIMIT} tegn.",
                field=f"texts.{key}",
            )
        merged[key] = value.strip()
    report.texts = merged


def _state(report: StatusReport) -> dict[str, Any]:
    return {
        "status": report.status.value,
        "period_start_date": report.period_start_date,
        "period_end_date": report.period_end_date,
        "report_date": report.report_date,
        "next_period_end_date": report.next_period_end_date,
        "tolerances": report.tolerances,
        "overrides": report.overrides,
        "texts": report.texts,
        "decisions_requested": report.decisions_requested,
    }


# Use cases


def create_report(*, session: Session, by: Access, data: StatusReportCreate) -> StatusReport:
    """A new draft for a period; the period starts after the last issued report by default,
    and the tolerances are those of the previous report."""
    if not by.leads:
        raise Forbidden(DRAFT_REFUSED)
    project = session.get(Project, by.project_id)
    if project is None:
        raise NotFound("Projektet findes ikke.")
    reports = session.exec(
        select(StatusReport)
        .options(without_snapshot())
        .where(StatusReport.project_id == by.project_id)
        .order_by(col(StatusReport.number).desc())
    ).all()
    unissued = [r for r in reports if r.status != ReportStatus.issued]
    if unissued:
        raise Conflict(
            f"Statusrapport nr. {unissued[0].number} er endnu ikke udsendt. Gør den færdig "
            "(eller slet kladden), før du laver en ny."
        )
    last = reports[0] if reports else None
    on = data.report_date or today()
    end = data.period_end_date or on
    start = data.period_start_date or (
        last.period_end_date + timedelta(days=1)
        if last
        else (
            project.start_date
            if project.start_date and project.start_date <= end
            else end - timedelta(days=DEFAULT_PERIOD_DAYS)
        )
    )
    tolerances = (
        data.tolerances
        or (rag.Tolerances.model_validate(last.tolerances) if last else rag.Tolerances())
    ).model_dump()
    report = StatusReport(
        project_id=by.project_id,
        number=(
            session.exec(
                select(func.max(StatusReport.number)).where(
                    StatusReport.project_id == by.project_id
                )
            ).one()
            or 0
        )
        + 1,
        period_start_date=start,
        period_end_date=end,
        report_date=on,
        next_period_end_date=data.next_period_end_date
        or end + max(end - start, timedelta(days=28)),
        tolerances=tolerances,
        created_by_name=_name(by),
    )
    _check_dates(report)
    session.add(report)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="status_report",
        entity_id=report.id,
        project_id=by.project_id,
        after=_state(report),
    )
    session.commit()
    return report


def update_report(
    *, session: Session, by: Access, report_id: int, data: StatusReportUpdate
) -> StatusReport:
    """Change a report's period, tolerances, texts, overrides or decisions asked for. An approved
    report goes back to draft; an issued one cannot change."""
    if not by.leads:
        raise Forbidden(DRAFT_REFUSED)
    report = get_report(session=session, access=by, report_id=report_id, lock=True)
    require_version(report, data.version)
    if report.status == ReportStatus.issued:
        raise Conflict("Rapporten er udsendt og kan ikke ændres. Lav en ny statusrapport.")
    before = _state(report)
    values = data.model_dump(exclude_unset=True)
    for name in ("period_start_date", "period_end_date", "report_date", "next_period_end_date"):
        if name in values and values[name] is None:
            raise missing(name)
        if name in values:
            setattr(report, name, values[name])
    _check_dates(report)
    if data.tolerances is not None:
        report.tolerances = data.tolerances.model_dump()
    if data.texts is not None:
        _apply_texts(report, data.texts)
    if data.overrides is not None:
        _apply_overrides(session=session, by=by, report=report, overrides=data.overrides)
    if data.decisions_requested is not None:
        asked = []
        for i, d in enumerate(data.decisions_requested):
            if not d.text.strip():
                raise Invalid(
                    "Skriv, hvad der skal besluttes.", field=f"decisions_requested.{i}.text"
                )
            asked.append(
                {
                    "asked_of": d.asked_of.value,
                    "text": d.text.strip(),
                    "due_date": d.due_date.isoformat() if d.due_date else None,
                }
            )
        report.decisions_requested = asked
    reopened = report.status in (ReportStatus.submitted, ReportStatus.approved)
    if reopened:
        report.status = ReportStatus.draft
        report.submitted_at = None
        report.submitted_by_name = ""
        report.approved_at = None
        report.approved_by_name = ""
        report.approval_comment = ""
        report.decision_id = None
    report.version += 1
    report.updated_at = utcnow()
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="status_report",
        entity_id=report.id,
        project_id=by.project_id,
        before=before,
        after=_state(report) | {"approval_withdrawn": reopened},
    )
    session.commit()
    return report


def _moment(on: date) -> datetime:
    """The time stamped on a day's step: now when the day is the real date in Copenhagen, else
    noon (UTC) of the day (a meeting's day, a step recorded afterwards, the demo's clock)."""
    now = utcnow()
    if now.astimezone(COPENHAGEN).date() == on:
        return now
    return datetime.combine(on, time(12), tzinfo=UTC)


def _approver_body(session: Session, project_id: int) -> Body:
    return governing_body(session=session, project_id=project_id, role=REPORT_APPROVER)


def _link(report: StatusReport) -> str:
    return f"/projects/{report.project_id}/reports/{report.id}"


def _tell_leaders(
    *,
    session: Session,
    by: Access,
    report: StatusReport,
    kind: NotificationKind,
    subject: str,
    text: str,
) -> None:
    """Tell the project's leaders (an approval, a return)."""
    notifications.notify(
        session,
        kind=kind,
        project_id=report.project_id,
        recipients=handoffs.project_leaders(session=session, project_id=report.project_id),
        subject=subject,
        text=text,
        link=_link(report),
        exclude=by.user.id,
    )


def submit_report(
    *, session: Session, by: Access, report_id: int, version: int | None
) -> StatusReport:
    """The project leader sends a draft for approval; the approving body's members are told."""
    if not by.leads:
        raise Forbidden(SUBMIT_REFUSED)
    report = get_report(session=session, access=by, report_id=report_id, lock=True)
    check_version(report, version)
    if report.status != ReportStatus.draft:
        raise Conflict(
            f"Rapporten er {REPORT_STATUS_LABELS[report.status].lower()} og kan ikke sendes "
            "til godkendelse."
        )
    approver = _approver_body(session, by.project_id)
    report.status = ReportStatus.submitted
    report.submitted_at = _moment(today())
    report.submitted_by_name = _name(by)
    report.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="submitted",
        entity="status_report",
        entity_id=report.id,
        project_id=by.project_id,
        after={"status": report.status.value, "approver": approver.name},
    )
    notifications.notify(
        session,
        kind=NotificationKind.report_submitted,
        project_id=report.project_id,
        recipients=handoffs.user_ids(
            handoffs.body_recipients(
                session=session, project_id=by.project_id, body_id=approver.id or 0
            )
        ),
        subject=f"{_title(report)} venter på godkendelse",
        text=f"{_name(by)} har sendt {_title(report).lower()} til godkendelse i "
        f"{in_sentence(approver.name)}.",
        link=_link(report),
        exclude=by.user.id,
    )
    session.commit()
    return report


def _awaiting(report: StatusReport) -> None:
    if report.status != ReportStatus.submitted:
        raise Conflict(
            f"Rapporten er {REPORT_STATUS_LABELS[report.status].lower()} og afventer "
            "ikke godkendelse."
        )


def return_report(*, session: Session, by: Access, report_id: int, data: ReturnIn) -> StatusReport:
    """The approving body sends a submitted report back to draft with a reason (who may: as
    approve_report); the project leaders are told why."""
    approver = _approver_body(session, by.project_id)
    if not acts_for(session=session, access=by, body=approver):
        raise Forbidden(APPROVE_REFUSED)
    report = get_report(session=session, access=by, report_id=report_id, lock=True)
    check_version(report, data.version)
    _awaiting(report)
    reason = data.reason.strip()
    if not reason:
        raise Invalid("Skriv, hvorfor rapporten sendes tilbage.", field="reason")
    report.status = ReportStatus.draft
    report.submitted_at = None
    report.submitted_by_name = ""
    report.returned_reason = reason
    report.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="returned",
        entity="status_report",
        entity_id=report.id,
        project_id=by.project_id,
        after={"status": report.status.value, "reason": reason},
    )
    _tell_leaders(
        session=session,
        by=by,
        report=report,
        kind=NotificationKind.report_returned,
        subject=f"{_title(report)} er sendt tilbage",
        text=f"{approver.name} har sendt rapporten tilbage til kladde: »{reason}«",
    )
    session.commit()
    return report


def approve_report(
    *, session: Session, by: Access, report_id: int, data: ApproveIn, on: date | None = None
) -> StatusReport:
    """The approving body approves a submitted report for issuing; the approval is a decision in
    its log, and the report's approval date is the decision's (the meeting's day, else `on` or
    today). Its members, or holders of the role »Styregruppemedlem«, approve (acts_for); the
    project leaders are told."""
    approver = _approver_body(session, by.project_id)
    if not acts_for(session=session, access=by, body=approver):
        raise Forbidden(APPROVE_REFUSED)
    report = get_report(session=session, access=by, report_id=report_id, lock=True)
    check_version(report, data.version)
    _awaiting(report)
    decided = on or today()
    if data.meeting_id is not None:
        meeting = project_row(
            Meeting,
            data.meeting_id,
            session=session,
            project_id=by.project_id,
            missing="Mødet hører ikke til dette projekt.",
            field="meeting_id",
        )
        if meeting.body_id != approver.id:
            raise Invalid(f"Mødet er ikke et møde i »{approver.name}«.", field="meeting_id")
        decided = meeting.meeting_date
    comment = data.comment.strip()
    decision = build_decision(
        session=session,
        by=by,
        body_id=approver.id or 0,
        decision_date=decided,
        meeting_id=data.meeting_id,
        title=f"{_title(report)} godkendt til udsendelse",
        text=comment,
    )
    report.status = ReportStatus.approved
    report.approved_at = _moment(decided)
    report.approved_by_name = _name(by)
    report.approval_comment = comment
    report.returned_reason = ""
    report.decision_id = decision.id
    report.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="approved",
        entity="status_report",
        entity_id=report.id,
        project_id=by.project_id,
        after={
            "status": report.status.value,
            "comment": comment,
            "decision_id": decision.id,
            "decision_number": decision.number,
        },
    )
    _tell_leaders(
        session=session,
        by=by,
        report=report,
        kind=NotificationKind.report_approved,
        subject=f"{_title(report)} er godkendt",
        text=f"{approver.name} har godkendt rapporten til udsendelse"
        + (f": »{comment}«" if comment else "."),
    )
    session.commit()
    return report


def issue_recipients(
    *, session: Session, project_id: int
) -> tuple[Body | None, list[handoffs.Recipient]]:
    """The body a report is issued to and the people in it (None, [] without such a body)."""
    project = session.get(Project, project_id)
    if project is None:
        return None, []
    body = find_governing_body(session=session, project=project, role=REPORT_RECIPIENT)
    if body is None:
        return None, []
    return body, handoffs.body_recipients(
        session=session, project_id=project_id, body_id=body.id or 0
    )


def issue_report(
    *, session: Session, by: Access, report_id: int, version: int | None, on: date | None = None
) -> StatusReport:
    """Issue an approved report: freeze what it shows and store its PDF; it never changes
    again. `on` is the day it is issued (today unless recorded afterwards)."""
    if not by.leads:
        raise Forbidden(ISSUE_REFUSED)
    report = get_report(session=session, access=by, report_id=report_id, lock=True)
    check_version(report, version)
    if report.status == ReportStatus.issued:
        raise Conflict("Rapporten er allerede udsendt.")
    if report.status != ReportStatus.approved:
        project = session.get(Project, by.project_id)
        approver = project and find_governing_body(
            session=session, project=project, role=REPORT_APPROVER
        )
        by_whom = f" af {in_sentence(approver.name)}" if approver else ""
        raise Conflict(f"Rapporten skal godkendes{by_whom}, før den kan udsendes.")
    made = on or today()
    snapshot = composer.compose(session=session, report=report, made=made)
    document = pdf.report_pdf(snapshot, status=ReportStatus.issued, approved=report.approved_at)
    digest = hashlib.sha256(document).hexdigest()
    report.snapshot = snapshot
    report.overall_level = rag.Level(snapshot["lights"][rag.OVERALL])
    report.levels = snapshot["lights"]
    report.status = ReportStatus.issued
    report.issued_at = _moment(made)
    report.issued_by_name = _name(by)
    report.version += 1
    session.add(
        StatusReportFile(report_id=report.id or 0, pdf=document, sha256=digest, size=len(document))
    )
    recipient, people = issue_recipients(session=session, project_id=by.project_id)
    audit.record(
        session=session,
        by=by.user,
        action="issued",
        entity="status_report",
        entity_id=report.id,
        project_id=by.project_id,
        after={
            "number": report.number,
            "overall_level": report.overall_level.value,
            "levels": report.levels,
            "pdf_sha256": digest,
            "recipients": [p.name for p in people],
        },
    )
    if recipient is not None:
        notifications.notify(
            session,
            kind=NotificationKind.report_issued,
            project_id=report.project_id,
            recipients=handoffs.user_ids(people),
            subject=f"{_title(report)} er udsendt til {in_sentence(recipient.name)}",
            text=f"{_name(by)} har udsendt {_title(report).lower()}. Rapporten og dens PDF "
            "ligger i Reformstyr.",
            link=_link(report),
            exclude=by.user.id,
        )
    session.commit()
    return report


def delete_report(*, session: Session, by: Access, report_id: int, version: int | None) -> None:
    """Delete a report that is not issued (issued reports are history and stay)."""
    if not by.leads:
        raise Forbidden(DRAFT_REFUSED)
    report = get_report(session=session, access=by, report_id=report_id, lock=True)
    require_version(report, version)
    if report.status == ReportStatus.issued:
        raise Conflict("Udsendte statusrapporter er historik og kan ikke slettes.")
    before = _state(report) | {"number": report.number}
    session.delete(report)
    audit.log(session=session, by=by, action="deleted", row=report, before=before)
    session.commit()
