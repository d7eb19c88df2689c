"""Pages of the Gantt chart, the status reports, the dashboard and the meeting pack.

A report's page is one partial (`_report.html`) swapped whole after every edit, so each of its
forms always carries the report's current version. The forms go through the one form pipeline
(app/web/forms.py): a refused edit shows the report again with 422 (or 409), the error summary at
the form that was sent (`at`) and each message beside its field. Without htmx they redirect back.
"""

from dataclasses import replace
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.service import Access
from app.clock import today
from app.deps import CurrentUser, ProjectAccess, ProjectLeader, SessionDep
from app.errors import Invalid
from app.governance import bodies as governance_bodies
from app.governance import people as governance_people
from app.governance import projects as governance_projects
from app.governance.permissions import ReportApprover
from app.reports import content, gantt, gantt_data, gantt_plotly, labels, pack, pdf, service
from app.reports import dashboard as dashboards
from app.reports.api import PackReader
from app.reports.content import hydrate
from app.reports.models import ReportStatus, StatusReport
from app.reports.rag import Tolerances
from app.reports.schemas import (
    ApproveIn,
    AskedOf,
    OverrideIn,
    ReturnIn,
    StatusReportCreate,
    StatusReportUpdate,
)
from app.web import caching, forms
from app.web.forms import FormDep, Outcome
from app.web.templating import is_htmx, render
from app.workstreams.models import TASK_STATUS_LABELS, TaskStatus

router = APIRouter()
P = "/projects/{project_id}"
REPORTS = P + "/reports"
REPORT = REPORTS + "/{report_id}"


# The Gantt chart


def _gantt_context(
    session: Session, access: Access, filters: gantt_data.GanttFilters, url: str, **values: Any
) -> dict[str, Any]:
    project = governance_projects.get_project(session=session, project_id=access.project_id)
    view = gantt_data.load(
        session=session, project_id=access.project_id, filters=filters, on=today()
    )
    group_name = next(
        (
            g.name
            for g in view.data.groups
            if filters.group_id is not None and g.id == filters.group_id
        ),
        "",
    )
    title = f"Gantt-diagram: {group_name}" if group_name else f"Gantt-diagram: {project.name}"
    figure = gantt_plotly.figure(gantt.build_model(view.data))
    return {
        "project": project,
        "access": access,
        "view": view,
        "filters": filters,
        "figure_json": gantt_plotly.page_json(figure),
        "title": title,
        "url": url,
        # A new id for every answer: htmx settles the attributes of elements whose id is the
        # same before and after a swap, which would strip the classes Plotly has just drawn.
        "chart_id": f"gantt-chart-{uuid4().hex[:8]}",
        # The PNG and SVG of the current view (app/static/js/gantt.js adds the extension).
        "export_name": pdf.gantt_filename(project.name, today(), "").rstrip("."),
        "groups": view.group_choices,
        "people": governance_people.people(session=session, project_id=access.project_id),
        "statuses": TASK_STATUS_LABELS,
        "errors": {},
        "chart_label": (
            f"{title}, {view.data.window_start.strftime('%d.%m.%Y')}–"
            f"{view.data.window_end.strftime('%d.%m.%Y')}. Samme data står i tabellen under "
            "diagrammet."
        ),
    } | values


def _gantt_page(
    request: Request,
    session: Session,
    access: Access,
    url: str,
    query: dict[str, str],
    group_id: int | None = None,
) -> Response:
    try:
        filters = gantt_data.parse_filters(**query)
        if group_id is not None:
            filters = gantt_data.GanttFilters(
                group_id=group_id,
                status=filters.status,
                owner_person_id=filters.owner_person_id,
                start=filters.start,
                end=filters.end,
                expand=filters.expand,
                depth=filters.depth,
            )
        context = _gantt_context(session, access, filters, url)
        status = 200
    except Invalid as exc:
        filters = gantt_data.GanttFilters(group_id=group_id)
        context = _gantt_context(
            session, access, filters, url, errors={exc.field or "form": exc.message}, raw=query
        )
        status = 422
    template = "reports/_gantt.html" if is_htmx(request) else "reports/gantt.html"
    return render(request, template, context, status_code=status)


def _query(request: Request) -> dict[str, str]:
    names = ("group_id", "status", "owner_person_id", "start", "end", "expand", "depth")
    return {n: request.query_params.get(n, "") for n in names}


def _gantt_pdf(
    session: Session, access: Access, query: dict[str, str], paper: str, group_id: int | None
) -> Response:
    filters = gantt_data.parse_filters(**query)
    if group_id is not None:
        filters = replace(filters, group_id=group_id)
    project = governance_projects.get_project(session=session, project_id=access.project_id)
    on = today()
    document = pdf.gantt_pdf(
        session=session,
        project_id=access.project_id,
        filters=filters,
        on=on,
        paper=pdf.paper_of(paper),
    )
    name = pdf.gantt_filename(project.name, on)
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get(P + "/gantt")
def gantt_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """The project's Gantt chart with filters (group, status, owner, period)."""
    return _gantt_page(
        request, session, access, f"/projects/{access.project_id}/gantt", _query(request)
    )


@router.get(P + "/groups/{group_id}/gantt")
def group_gantt_page(
    request: Request, group_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """One implementation group's Gantt chart."""
    governance_bodies.get_group(session=session, project_id=access.project_id, group_id=group_id)
    query = _query(request) | {"group_id": ""}
    return _gantt_page(
        request,
        session,
        access,
        f"/projects/{access.project_id}/groups/{group_id}/gantt",
        query,
        group_id=group_id,
    )


@router.get(P + "/gantt.pdf")
def gantt_pdf(
    request: Request, access: ProjectAccess, session: SessionDep, paper: str = "a4"
) -> Response:
    """The project's Gantt chart with the page's filters as a PDF on A4 or A3 landscape pages
    (every task, the chart split over pages)."""
    return _gantt_pdf(session, access, _query(request), paper, None)


@router.get(P + "/groups/{group_id}/gantt.pdf")
def group_gantt_pdf(
    request: Request, group_id: int, access: ProjectAccess, session: SessionDep, paper: str = "a4"
) -> Response:
    """One implementation group's Gantt chart as a PDF on A4 or A3 landscape pages."""
    governance_bodies.get_group(session=session, project_id=access.project_id, group_id=group_id)
    return _gantt_pdf(session, access, _query(request) | {"group_id": ""}, paper, group_id)


# Status reports: the list


def _list_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    reports = service.list_reports(session=session, access=access)
    project = governance_projects.get_project(session=session, project_id=access.project_id)
    return {
        "project": project,
        "governance": content.governance_lines(session=session, project=project),
        "access": access,
        "working": [r for r in reports if r.status != ReportStatus.issued],
        "issued": [r for r in reports if r.status == ReportStatus.issued],
        "can_edit": access.leads,
        "labels": labels.ALL,
        "errors": {},
        "values": {},
        "sees_drafts": service.sees_drafts(access),
    } | values


@router.get(REPORTS)
def reports_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """The project's status reports: those being prepared, and the history of issued ones."""
    return render(request, "reports/reports.html", _list_context(session, access))


@router.post(REPORTS)
def create_report(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    """Draft a new report from the form (empty fields take the defaults)."""
    with forms.attempt(session) as outcome:
        data = forms.read(StatusReportCreate, form)
        report = service.create_report(session=session, by=access, data=data)
    if outcome.failed:
        context = _list_context(session, access) | outcome.context(form)
        return forms.refused(request, "reports/reports.html", context, outcome)
    url = f"/projects/{access.project_id}/reports/{report.id}"
    return forms.done(request, url, f"Kladden til statusrapport nr. {report.number} er oprettet.")


# Status reports: one report


def _report_context(
    session: Session, access: Access, report: StatusReport, **values: Any
) -> dict[str, Any]:
    frozen = report.status == ReportStatus.issued and report.snapshot is not None
    can_approve = report.status == ReportStatus.submitted and service.may_approve(
        session=session, access=access
    )
    meetings = service.approval_meetings(session=session, access=access) if can_approve else []
    return {
        "project": governance_projects.get_project(session=session, project_id=access.project_id),
        "access": access,
        "report": report,
        "frozen": frozen,
        "c": hydrate(service.content_of(session=session, report=report)),
        "labels": labels.ALL,
        "can_edit": access.leads,
        "can_approve": can_approve,
        "edit": access.leads and not frozen,
        "meetings": meetings,
        "errors": {},
        "values": {},
        "at": "",
    } | values


def _version(form: FormData) -> int:
    return forms.form_version(form.getlist("version"))


def _shown(outcome: Outcome) -> Outcome:
    """The service names a section's text `texts.<key>`, an override `overrides.<key>…` and a
    decision `decisions_requested.<n>…`; the forms call them text, justification, decisions."""
    names = {"texts": "text", "overrides": "justification", "decisions_requested": "decisions"}
    outcome.errors = {names.get(k.split(".")[0], k): v for k, v in outcome.errors.items()}
    return outcome


def _answer(
    request: Request,
    session: Session,
    access: Access,
    report_id: int,
    at: str,
    form: FormData,
    outcome: Outcome,
    message: str = "Rapporten er gemt.",
    event: str = "report.updated",
) -> Response:
    """The report after an edit: with the refused form's messages (`at` names the form), or
    swapped in with the message announced (a redirect back without htmx)."""
    report = service.get_report(session=session, access=access, report_id=report_id)
    if outcome.failed:
        context = _report_context(session, access, report, at=at) | _shown(outcome).context(form)
        partial = "reports/_report.html"
        return forms.refused(request, "reports/report.html", context, outcome, partial=partial)
    url = f"/projects/{access.project_id}/reports/{report_id}"
    if not is_htmx(request):
        return forms.done(request, url, message)
    fresh = _report_context(session, access, report)
    partial = "reports/_report.html"
    return forms.done(request, url, message, partial=partial, context=fresh, event=event)


def _save(session: Session, access: Access, report_id: int, form: FormData, **changes: Any) -> None:
    """Save the changes made on the copy the form names in its version."""
    data = forms.read(StatusReportUpdate, form, version=_version(form), **changes)
    service.update_report(session=session, by=access, report_id=report_id, data=data)


@router.get(REPORT + ".pdf")
def report_pdf(
    request: Request, report_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """The report as PDF (as issued, with an ETag: 304 when the client has it; or made now for
    a draft)."""
    report = service.get_report(session=session, access=access, report_id=report_id)
    name = pdf.filename("statusrapport", report.number, report.report_date)
    return caching.immutable(
        request,
        service.pdf_etag(session=session, report=report),
        lambda: service.pdf_of(session=session, report=report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get(REPORT)
def report_page(
    request: Request, report_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """A status report: frozen once issued; a draft shows today's figures and edit controls."""
    report = service.get_report(session=session, access=access, report_id=report_id)
    return render(request, "reports/report.html", _report_context(session, access, report))


@router.post(REPORT + "/texts/{key}")
def edit_text(
    request: Request,
    form: FormDep,
    report_id: int,
    key: str,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    """Save the free text of one section."""
    with forms.attempt(session) as outcome:
        _save(session, access, report_id, form, texts={key: str(form.get("text", ""))})
    return _answer(request, session, access, report_id, f"texts.{key}", form, outcome)


@router.post(REPORT + "/overrides/{key}")
def edit_override(
    request: Request,
    form: FormDep,
    report_id: int,
    key: str,
    access: ProjectLeader,
    session: SessionDep,
) -> Response:
    """Set a traffic light by hand (with a justification), or go back to the computed one."""
    with forms.attempt(session) as outcome:
        override = None if form.get("remove") else forms.read(OverrideIn, form)
        _save(session, access, report_id, form, overrides={key: override})
    return _answer(request, session, access, report_id, f"overrides.{key}", form, outcome)


def _decision_lines(text: Any, asked_of: AskedOf) -> list[dict[str, Any]]:
    """A decision request per line, with its due date when the line begins with one
    (»2013-03-19: Godkend planen«); the schema checks them with the rest of the edit."""
    found = []
    for line in str(text or "").splitlines():
        head, _, rest = line.strip().partition(":")
        dated = bool(rest) and len(head.strip()) == 10 and head.strip()[:4].isdigit()
        text_of = rest.strip() if dated else line.strip()
        if text_of:
            due = head.strip() if dated else None
            found.append({"asked_of": asked_of, "text": text_of, "due_date": due})
    return found


@router.post(REPORT + "/decisions")
def edit_decisions(
    request: Request, form: FormDep, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Save the decisions the steering group and the directorate are asked to make."""
    asked = _decision_lines(form.get("steering_group"), AskedOf.steering_group)
    asked += _decision_lines(form.get("directorate"), AskedOf.directorate)
    with forms.attempt(session) as outcome:
        _save(session, access, report_id, form, decisions_requested=asked)
    return _answer(request, session, access, report_id, "decisions", form, outcome)


@router.post(REPORT + "/settings")
def edit_settings(
    request: Request, form: FormDep, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Save the report's period, status date and tolerances."""
    with forms.attempt(session) as outcome:
        _save(session, access, report_id, form, tolerances=forms.read(Tolerances, form))
    return _answer(request, session, access, report_id, "settings", form, outcome)


@router.post(REPORT + "/submit")
def submit(
    request: Request, form: FormDep, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Send the draft to the approving body for approval."""
    with forms.attempt(session) as outcome:
        service.submit_report(
            session=session, by=access, report_id=report_id, version=_version(form)
        )
    message, event = "Rapporten er sendt til godkendelse.", "report.submitted"
    return _answer(request, session, access, report_id, "submit", form, outcome, message, event)


@router.post(REPORT + "/approve")
def approve(
    request: Request, form: FormDep, report_id: int, access: ReportApprover, session: SessionDep
) -> Response:
    """The approving body approves the report for issuing (who may: service.approve_report)."""
    with forms.attempt(session) as outcome:
        data = forms.read(ApproveIn, form, version=_version(form))
        service.approve_report(session=session, by=access, report_id=report_id, data=data)
    message, event = "Rapporten er godkendt.", "report.approved"
    return _answer(request, session, access, report_id, "approve", form, outcome, message, event)


@router.post(REPORT + "/return")
def return_report(
    request: Request, form: FormDep, report_id: int, access: ReportApprover, session: SessionDep
) -> Response:
    """The approving body sends the report back to draft, saying why."""
    with forms.attempt(session) as outcome:
        data = forms.read(ReturnIn, form, version=_version(form))
        service.return_report(session=session, by=access, report_id=report_id, data=data)
    message, event = "Rapporten er sendt tilbage til projektlederen.", "report.returned"
    return _answer(request, session, access, report_id, "return", form, outcome, message, event)


def _issue_context(session: Session, access: Access, report: StatusReport) -> dict[str, Any]:
    recipient, people = service.issue_recipients(session=session, project_id=access.project_id)
    return {
        "project": governance_projects.get_project(session=session, project_id=access.project_id),
        "access": access,
        "report": report,
        "recipient": recipient,
        "people": people,
        "errors": {},
    }


@router.get(REPORT + "/issue")
def issue_confirmation(
    request: Request, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """What issuing will do (frozen, sent to whom, never changed), with the button that does it:
    the confirmation step, with or without JavaScript."""
    report = service.get_report(session=session, access=access, report_id=report_id)
    context = _issue_context(session, access, report)
    return render(request, "reports/issue_confirm.html", context)


@router.post(REPORT + "/issue")
def issue(
    request: Request, form: FormDep, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Issue the approved report to its recipient (it is frozen from now on). A form without
    `confirmed` gets the confirmation page instead, and nothing happens."""
    if form.get("confirmed") != "yes":
        report = service.get_report(session=session, access=access, report_id=report_id)
        context = _issue_context(session, access, report)
        return render(request, "reports/issue_confirm.html", context)
    with forms.attempt(session) as outcome:
        version = _version(form)
        service.issue_report(session=session, by=access, report_id=report_id, version=version)
    message, event = "Rapporten er udsendt og frosset.", "report.issued"
    return _answer(request, session, access, report_id, "issue", form, outcome, message, event)


@router.post(REPORT + "/delete")
def delete(
    request: Request, form: FormDep, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Delete a draft (issued reports stay)."""
    with forms.attempt(session) as outcome:
        service.delete_report(
            session=session, by=access, report_id=report_id, version=_version(form)
        )
    if outcome.failed:
        return _answer(request, session, access, report_id, "delete", form, outcome)
    url = f"/projects/{access.project_id}/reports"
    return forms.done(request, url, "Kladden er slettet.", event="report.deleted")


# The dashboard and the meeting pack


@router.get("/projects/{project_id}")
def project_home(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """The project's front page: its charter, the traffic light of the latest issued report,
    the next milestones and the grant money left."""
    on = today()
    home = dashboards.project_home(session=session, project_id=access.project_id, on=on)
    context = {
        "project": home.project,
        "access": access,
        "groups": home.groups,
        "latest": home.latest,
        "milestones": home.milestones,
        "money": home.money,
        "meeting_rule_breaches": home.meeting_rule_breaches,
        "labels": labels.ALL,
        "today": on,
    }
    return render(request, "projects/home.html", context)


@router.get("/dashboard")
def dashboard_page(
    request: Request, user: CurrentUser, session: SessionDep, page: int = 1, reports_page: int = 1
) -> Response:
    """The projects the user follows and the issued status reports; changes nothing."""
    board = dashboards.dashboard_page(
        session=session, user=user, on=today(), page=page, reports_page=reports_page
    )
    return render(request, "reports/dashboard.html", {"board": board, "labels": labels.ALL})


@router.get(P + "/meetings/{meeting_id}/pack.pdf")
def pack_pdf(meeting_id: int, access: PackReader, session: SessionDep) -> Response:
    """The meeting pack as PDF."""
    found = pack.meeting_pack(session=session, access=access, meeting_id=meeting_id, made=today())
    name = pdf.filename("moedepakke", meeting_id, found.meeting.meeting_date)
    return Response(
        pdf.pack_pdf(found),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get(P + "/meetings/{meeting_id}/pack")
def pack_page(
    request: Request, meeting_id: int, access: PackReader, session: SessionDep
) -> Response:
    """The steering group's meeting pack: agenda and what the meeting must look at and decide."""
    found = pack.meeting_pack(session=session, access=access, meeting_id=meeting_id, made=today())
    return render(
        request,
        "reports/pack.html",
        {
            "project": found.project,
            "access": access,
            "pack": found,
            "labels": labels.ALL,
            "statuses": {s.value: TASK_STATUS_LABELS[s] for s in TaskStatus},
        },
    )
