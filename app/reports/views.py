"""Pages of the Gantt chart, the status reports, the dashboard and the meeting pack.

A report's page is one partial (`_report.html`) swapped whole after every edit, so each of its
forms always carries the report's current version; a refused edit re-renders it with 422 (or
409) and the Danish message next to the field. A form without its version is refused (422), and
so is one the schemas refuse (a date outside 1990–2100, a number too large): `_refused`. Without
htmx the forms redirect back.
"""

import json
from datetime import date
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.models import Role
from app.auth.service import Access
from app.clock import today
from app.deps import (
    CSRF_FIELD,
    CurrentUser,
    ProjectAccess,
    ProjectLeader,
    SessionDep,
    SteeringMember,
)
from app.errors import Conflict, DomainError, Invalid, danish_message
from app.governance import meetings as governance_meetings
from app.governance import service as governance
from app.governance.models import Meeting
from app.reports import dashboard as dashboards
from app.reports import gantt, gantt_data, labels, pack, pdf, reads, service
from app.reports.api import PackReader
from app.reports.content import hydrate
from app.reports.models import ReportStatus, StatusReport
from app.reports.rag import Level, Tolerances
from app.reports.schemas import (
    ApproveIn,
    AskedOf,
    OverrideIn,
    StatusReportCreate,
    StatusReportUpdate,
)
from app.web.forms import FormDep, form_version
from app.web.templating import is_htmx, render
from app.workstreams.models import TASK_STATUS_LABELS, TaskStatus

router = APIRouter()
P = "/projects/{project_id}"
REPORTS = P + "/reports"
REPORT = REPORTS + "/{report_id}"
DATE_FIELDS = {
    "period_start_date": "Periodens start",
    "period_end_date": "Periodens slut",
    "report_date": "Status pr.",
    "next_period_end_date": "Næste periode slutter",
}
# The Danish names of fields in the messages of a refused form, and the fields whose message is
# shown beside them (the others' above the form).
FIELD_LABELS = DATE_FIELDS | {"meeting_id": "Møde", "due_date": "Frist", "comment": "Bemærkning"}
SHOWN_AT = {name: name for name in DATE_FIELDS} | {"decisions_requested": "decisions"}
# What a form may be refused with: the service's rules, or the input schemas' (app.inputs).
REFUSALS = (Invalid, Conflict, ValidationError)


def _trigger(message: str, event: str) -> dict[str, str]:
    """htmx events after a write: the flash message and the server event (`domain.verb`)."""
    return {"HX-Trigger": json.dumps({"flash": message, event: {}})}


def _texts(form: FormData) -> dict[str, str]:
    """The form's fields as text, without the CSRF token."""
    return {k: str(v) for k, v in form.items() if k != CSRF_FIELD}


def _errors(exc: DomainError | ValidationError) -> dict[str, str]:
    """The Danish message of each refused field, keyed by where the page shows it."""
    if isinstance(exc, DomainError):
        return {exc.field if exc.field and exc.field != "version" else "form": exc.message}
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = error["loc"]
        label = FIELD_LABELS.get(str(loc[-1])) if loc else None
        message = danish_message(dict(error) | ({"loc": (label,)} if label else {}))
        errors.setdefault(SHOWN_AT.get(str(loc[0]) if loc else "", "form"), message)
    return errors


def _status(exc: DomainError | ValidationError) -> int:
    return exc.status_code if isinstance(exc, DomainError) else 422


# The Gantt chart


def _gantt_context(
    session: Session, access: Access, filters: gantt_data.GanttFilters, url: str, **values: Any
) -> dict[str, Any]:
    project = governance.get_project(session, project_id=access.project_id)
    view = gantt_data.load(session, project_id=access.project_id, filters=filters, on=today())
    group_name = next(
        (
            g.name
            for g in view.data.groups
            if filters.group_id is not None and g.id == filters.group_id
        ),
        "",
    )
    title = f"Gantt-diagram: {group_name}" if group_name else f"Gantt-diagram: {project.name}"
    figure = gantt.figure(gantt.build_model(view.data))
    return {
        "project": project,
        "access": access,
        "view": view,
        "filters": filters,
        "figure_json": gantt.page_json(figure),
        "title": title,
        "url": url,
        # A new id for every answer: htmx settles the attributes of elements whose id is the
        # same before and after a swap, which would strip the classes Plotly has just drawn.
        "chart_id": f"gantt-chart-{uuid4().hex[:8]}",
        "groups": governance.implementation_groups(session, project_id=access.project_id),
        "people": governance.people(session, project_id=access.project_id),
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
    names = ("group_id", "status", "owner_person_id", "start", "end", "expand")
    return {n: request.query_params.get(n, "") for n in names}


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
    governance.get_group(session, project_id=access.project_id, group_id=group_id)
    query = _query(request) | {"group_id": ""}
    return _gantt_page(
        request,
        session,
        access,
        f"/projects/{access.project_id}/groups/{group_id}/gantt",
        query,
        group_id=group_id,
    )


# Status reports: the list


def _list_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    reports = service.list_reports(session, access=access)
    return {
        "project": governance.get_project(session, project_id=access.project_id),
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
    values = _texts(form)
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status = 422
    for name, text in DATE_FIELDS.items():
        raw = values.get(name, "").strip()
        if raw:
            try:
                data[name] = date.fromisoformat(raw)
            except ValueError:
                errors[name] = f"Feltet »{text}« skal være en dato (ÅÅÅÅ-MM-DD)."
    if not errors:
        try:
            report = service.create_report(session, by=access, data=StatusReportCreate(**data))
        except REFUSALS as exc:
            session.rollback()
            errors, status = _errors(exc), _status(exc)
        else:
            url = f"/projects/{access.project_id}/reports/{report.id}"
            if is_htmx(request):
                return Response(status_code=204, headers={"HX-Redirect": url})
            return RedirectResponse(url, status_code=303)
    context = _list_context(session, access, errors=errors, values=values)
    return render(request, "reports/reports.html", context, status_code=status)


# Status reports: one report


def _report_context(
    session: Session, access: Access, report: StatusReport, **values: Any
) -> dict[str, Any]:
    frozen = report.status == ReportStatus.issued and report.snapshot is not None
    can_approve = access.has(Role.steering_member) and report.status == ReportStatus.draft
    meetings: list[Meeting] = []
    if can_approve:
        try:
            steering = governance.steering_group(session, project_id=access.project_id)
            meetings, _ = governance_meetings.list_meetings(
                session, project_id=access.project_id, body_id=steering.id, limit=12
            )
        except Invalid:
            pass
    return {
        "project": governance.get_project(session, project_id=access.project_id),
        "access": access,
        "report": report,
        "frozen": frozen,
        "c": hydrate(service.content_of(session, report=report)),
        "labels": labels.ALL,
        "can_edit": access.leads,
        "can_approve": can_approve,
        "edit": access.leads and not frozen,
        "meetings": meetings,
        "errors": {},
        "message": "",
        "settings_open": False,
    } | values


def _report_answer(
    request: Request,
    session: Session,
    access: Access,
    report_id: int,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> Response:
    if status >= 400:
        session.rollback()
    report = service.get_report(session, access=access, report_id=report_id)
    if not is_htmx(request) and status < 400:
        return RedirectResponse(
            f"/projects/{access.project_id}/reports/{report_id}", status_code=303
        )
    context = _report_context(session, access, report, **values)
    template = "reports/_report.html" if is_htmx(request) else "reports/report.html"
    return render(request, template, context, status_code=status, headers=headers)


def _refused(
    request: Request,
    session: Session,
    access: Access,
    report_id: int,
    exc: DomainError | ValidationError,
    **values: Any,
) -> Response:
    """The report again, with the Danish message of each refused field (422, or 409)."""
    return _report_answer(
        request, session, access, report_id, status=_status(exc), errors=_errors(exc), **values
    )


def _update(
    request: Request,
    session: Session,
    access: Access,
    report_id: int,
    form: dict[str, str],
    changes: dict[str, Any],
    **values: Any,
) -> Response:
    """Save the changes made on the copy the form names in its version."""
    try:
        data = StatusReportUpdate(**changes, version=form_version(form.get("version")))
        service.update_report(session, by=access, report_id=report_id, data=data)
    except REFUSALS as exc:
        return _refused(request, session, access, report_id, exc, **values)
    return _report_answer(
        request,
        session,
        access,
        report_id,
        headers=_trigger("Rapporten er gemt.", "report.updated"),
        message="Ændringen er gemt.",
        message_kind="ok",
    )


@router.get(REPORT + ".pdf")
def report_pdf(report_id: int, access: ProjectAccess, session: SessionDep) -> Response:
    """The report as PDF (as issued, or made now for a draft)."""
    report = service.get_report(session, access=access, report_id=report_id)
    name = pdf.filename("statusrapport", report.number, report.report_date)
    return Response(
        service.pdf_of(session, report=report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get(REPORT)
def report_page(
    request: Request, report_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """A status report: frozen once issued; a draft shows today's figures and edit controls."""
    report = service.get_report(session, access=access, report_id=report_id)
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
    values = _texts(form)
    return _update(
        request, session, access, report_id, values, {"texts": {key: values.get("text", "")}}
    )


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
    values = _texts(form)
    override: OverrideIn | None = None
    if not values.get("remove"):
        try:
            override = OverrideIn(
                level=Level(values.get("level", "")),
                justification=values.get("justification", "")[:2000],
            )
        except ValueError:
            return _report_answer(
                request,
                session,
                access,
                report_id,
                status=422,
                errors={f"overrides.{key}.justification": "Vælg grøn, gul eller rød."},
            )
    return _update(request, session, access, report_id, values, {"overrides": {key: override}})


def _decision_lines(text: str, asked_of: AskedOf) -> list[dict[str, Any]]:
    """A decision request per line, each with a due date when the line begins with one (the
    schema checks them with the rest of the edit)."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        due = None
        head, _, rest = line.partition(":")
        if rest and len(head.strip()) == 10:
            try:
                due = date.fromisoformat(head.strip())
                line = rest.strip()
            except ValueError:
                due = None
        found.append({"asked_of": asked_of, "text": line[:1000], "due_date": due})
    return found


@router.post(REPORT + "/decisions")
def edit_decisions(
    request: Request, form: FormDep, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Save the decisions the steering group and the directorate are asked to make."""
    values = _texts(form)
    asked = _decision_lines(
        values.get("steering_group", ""), AskedOf.steering_group
    ) + _decision_lines(values.get("directorate", ""), AskedOf.directorate)
    return _update(request, session, access, report_id, values, {"decisions_requested": asked})


@router.post(REPORT + "/settings")
def edit_settings(
    request: Request, form: FormDep, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Save the report's period, status date and tolerances."""
    values = _texts(form)
    errors: dict[str, str] = {}
    dates: dict[str, date] = {}
    for name, text in DATE_FIELDS.items():
        raw = values.get(name, "").strip()
        if not raw:
            errors[name] = f"Feltet »{text}« skal udfyldes."
            continue
        try:
            dates[name] = date.fromisoformat(raw)
        except ValueError:
            errors[name] = f"Feltet »{text}« skal være en dato (ÅÅÅÅ-MM-DD)."
    tolerances = None
    raw_tolerances = {n: values.get(n, "").strip() for n in Tolerances.model_fields}
    try:
        tolerances = Tolerances.model_validate(raw_tolerances)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0])
            errors.setdefault(f"tolerances.{name}", danish_message(dict(error)))
    if errors or tolerances is None:
        return _report_answer(
            request, session, access, report_id, status=422, errors=errors, settings_open=True
        )
    changes = {**dates, "tolerances": tolerances}
    return _update(request, session, access, report_id, values, changes, settings_open=True)


@router.post(REPORT + "/approve")
def approve(
    request: Request, form: FormDep, report_id: int, access: SteeringMember, session: SessionDep
) -> Response:
    """The steering group approves the report for issuing."""
    values = _texts(form)
    try:
        data = ApproveIn.model_validate(
            {
                "version": form_version(values.get("version")),
                "comment": values.get("comment", "")[:2000],
                "meeting_id": values.get("meeting_id", "").strip() or None,
            }
        )
        service.approve_report(session, by=access, report_id=report_id, data=data)
    except REFUSALS as exc:
        return _refused(request, session, access, report_id, exc)
    return _report_answer(
        request,
        session,
        access,
        report_id,
        headers=_trigger("Rapporten er godkendt.", "report.approved"),
        message="Rapporten er godkendt af styregruppen.",
        message_kind="ok",
    )


@router.post(REPORT + "/issue")
def issue(
    request: Request, form: FormDep, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Issue the approved report to the directorate (it is frozen from now on)."""
    values = _texts(form)
    try:
        version = form_version(values.get("version"))
        service.issue_report(session, by=access, report_id=report_id, version=version)
    except REFUSALS as exc:
        return _refused(request, session, access, report_id, exc)
    return _report_answer(
        request,
        session,
        access,
        report_id,
        headers=_trigger("Rapporten er udsendt.", "report.issued"),
        message="Rapporten er udsendt og frosset.",
        message_kind="ok",
    )


@router.post(REPORT + "/delete")
def delete(
    request: Request, report_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    """Delete a draft (issued reports stay)."""
    try:
        service.delete_report(session, by=access, report_id=report_id)
    except Conflict as exc:
        return _refused(request, session, access, report_id, exc)
    url = f"/projects/{access.project_id}/reports"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


# The dashboard and the meeting pack


@router.get("/projects/{project_id}")
def project_home(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    """The project's front page: its charter, the traffic light of the latest issued report,
    the next milestones and the grant money left."""
    on, project_id = today(), access.project_id
    return render(
        request,
        "projects/home.html",
        {
            "project": governance.get_project(session, project_id=project_id),
            "access": access,
            "groups": governance.implementation_groups(session, project_id=project_id),
            "latest": reads.latest_issued(session, project_ids=[project_id]).get(project_id),
            "milestones": reads.next_milestones(session, project_ids=[project_id], on=on).get(
                project_id, []
            ),
            "money": reads.grant_money(session, project_ids=[project_id], on=on).get(project_id),
            "labels": labels.ALL,
            "today": on,
        },
    )


@router.get("/dashboard")
def dashboard_page(
    request: Request, user: CurrentUser, session: SessionDep, page: int = 1, reports_page: int = 1
) -> Response:
    """The projects the user follows and the issued status reports; changes nothing."""
    board = dashboards.dashboard(
        session, user=user, on=today(), page=page, reports_page=reports_page
    )
    return render(request, "reports/dashboard.html", {"board": board, "labels": labels.ALL})


@router.get(P + "/meetings/{meeting_id}/pack.pdf")
def pack_pdf(meeting_id: int, access: PackReader, session: SessionDep) -> Response:
    """The meeting pack as PDF."""
    found = pack.meeting_pack(session, access=access, meeting_id=meeting_id, made=today())
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
    found = pack.meeting_pack(session, access=access, meeting_id=meeting_id, made=today())
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
