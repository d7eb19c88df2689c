"""API of the status reports, the Gantt chart, the dashboard and the meeting pack."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.auth.models import Role
from app.auth.service import Access
from app.budget.money import ore_str
from app.clock import today
from app.deps import (
    CurrentUser,
    ProjectAccess,
    ProjectLeader,
    SessionDep,
    require_roles,
)
from app.governance.permissions import ReportApprover
from app.governance.projects import get_project
from app.inputs import AsOf
from app.reports import dashboard as dashboards
from app.reports import gantt, gantt_data, gantt_plotly, pack, pdf, service
from app.reports.models import REPORT_STATUS_LABELS, ReportStatus, StatusReport
from app.reports.schemas import (
    ApproveIn,
    DashboardProject,
    DashboardPublic,
    IssueIn,
    ReturnIn,
    StatusReportCreate,
    StatusReportPublic,
    StatusReportSummary,
    StatusReportUpdate,
    SubmitIn,
)
from app.web import caching
from app.web.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageOf
from app.web.versions import ExpectedVersion

router = APIRouter(prefix="/api", tags=["statusrapporter, Gantt og overblik"])
P = "/projects/{project_id}"
REPORTS = P + "/status-reports"

PackReader = Annotated[
    Access,
    Depends(
        require_roles(
            Role.secretariat,
            Role.project_leader,
            Role.steering_member,
            message=(
                "Kun sekretariatet, projektlederen og rollen »Styregruppemedlem« kan se mødepakken."
            ),
        )
    ),
]


def gantt_filters(
    group_id: str = "",
    status: str = "",
    owner_person_id: str = "",
    start: str = "",
    end: str = "",
    expand: str = "",
    depth: Annotated[str, Query(description="Niveauer af planen: 1, 2 … (tom: alle)")] = "",
) -> gantt_data.GanttFilters:
    """The Gantt's filters from the query string (empty means all)."""
    return gantt_data.parse_filters(
        group_id=group_id,
        status=status,
        owner_person_id=owner_person_id,
        start=start,
        end=end,
        expand=expand,
        depth=depth,
    )


GanttQuery = Annotated[gantt_data.GanttFilters, Depends(gantt_filters)]


def _summary(report: StatusReport) -> dict[str, Any]:
    base = f"/api/projects/{report.project_id}/status-reports/{report.id}"
    return {
        "id": report.id,
        "project_id": report.project_id,
        "number": report.number,
        "status": report.status,
        "status_label": REPORT_STATUS_LABELS[report.status],
        "period_start_date": report.period_start_date,
        "period_end_date": report.period_end_date,
        "report_date": report.report_date,
        "next_period_end_date": report.next_period_end_date,
        "overall_level": report.overall_level,
        "submitted_at": report.submitted_at,
        "submitted_by_name": report.submitted_by_name,
        "returned_reason": report.returned_reason,
        "approved_at": report.approved_at,
        "approved_by_name": report.approved_by_name,
        "issued_at": report.issued_at,
        "issued_by_name": report.issued_by_name,
        "version": report.version,
        "url": base,
        "pdf_url": f"{base}.pdf",
    }


def _public(session: Session, report: StatusReport) -> StatusReportPublic:
    frozen = report.snapshot is not None
    return StatusReportPublic(
        **_summary(report),
        tolerances=report.tolerances or {},
        overrides=report.overrides or {},
        texts=report.texts or {},
        decisions_requested=report.decisions_requested or [],
        approval_comment=report.approval_comment,
        content=service.content_of(session=session, report=report),
        frozen=frozen,
        pdf_sha256=service.pdf_digest(session=session, report_id=report.id or 0)
        if frozen
        else None,
    )


@router.get(REPORTS, response_model=list[StatusReportSummary])
def list_reports(
    access: ProjectAccess, session: SessionDep, page: PageOf
) -> list[StatusReportSummary]:
    """The project's status reports, newest first (only issued ones for the directorate)."""
    found = service.list_reports(session=session, access=access)
    return [StatusReportSummary(**_summary(r)) for r in page.slice(found)]


@router.post(REPORTS, response_model=StatusReportPublic, status_code=201)
def create_report(
    data: StatusReportCreate, access: ProjectLeader, session: SessionDep
) -> StatusReportPublic:
    """Draft a new status report (period defaults: after the last issued report, to today)."""
    report = service.create_report(session=session, by=access, data=data)
    return _public(session, report)


@router.get(REPORTS + "/{report_id}.pdf")
def report_pdf(
    request: Request, report_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """The report as PDF: byte for byte as issued (with an ETag: 304 when the client has it),
    or made now for a draft."""
    report = service.get_report(session=session, access=access, report_id=report_id)
    name = pdf.filename("statusrapport", report.number, report.report_date)
    return caching.immutable(
        request,
        service.pdf_etag(session=session, report=report),
        lambda: service.pdf_of(session=session, report=report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get(REPORTS + "/{report_id}", response_model=StatusReportPublic)
def get_report(
    request: Request, report_id: int, access: ProjectAccess, session: SessionDep
) -> StatusReportPublic | Response:
    """One report with everything it shows (frozen once issued). An issued report can never
    change and is the same for everyone allowed to see it: a strong ETag, and 304 when the
    client holds it (after the permission check)."""
    report = service.get_report(session=session, access=access, report_id=report_id)
    public = _public(session, report)
    if report.status != ReportStatus.issued:
        return public
    return caching.unchanging_json(request, jsonable_encoder(public))


@router.patch(REPORTS + "/{report_id}", response_model=StatusReportPublic)
def update_report(
    report_id: int, data: StatusReportUpdate, access: ProjectLeader, session: SessionDep
) -> StatusReportPublic:
    """Change texts, overrides (with justification), tolerances, period or decisions asked for."""
    report = service.update_report(session=session, by=access, report_id=report_id, data=data)
    return _public(session, report)


@router.post(REPORTS + "/{report_id}/submit", response_model=StatusReportPublic)
def submit_report(
    report_id: int, access: ProjectLeader, session: SessionDep, data: SubmitIn | None = None
) -> StatusReportPublic:
    """The project leader sends a draft for approval; the approving body's members are told."""
    report = service.submit_report(
        session=session, by=access, report_id=report_id, version=(data or SubmitIn()).version
    )
    return _public(session, report)


@router.post(REPORTS + "/{report_id}/return", response_model=StatusReportPublic)
def return_report(
    report_id: int, data: ReturnIn, access: ReportApprover, session: SessionDep
) -> StatusReportPublic:
    """The approving body sends a submitted report back to draft, with the reason (required)."""
    report = service.return_report(session=session, by=access, report_id=report_id, data=data)
    return _public(session, report)


@router.post(REPORTS + "/{report_id}/approve", response_model=StatusReportPublic)
def approve_report(
    report_id: int, access: ReportApprover, session: SessionDep, data: ApproveIn | None = None
) -> StatusReportPublic:
    """The approving body approves a submitted report for issuing (its members or a
    »Styregruppemedlem«); the project leaders are told."""
    report = service.approve_report(
        session=session, by=access, report_id=report_id, data=data or ApproveIn()
    )
    return _public(session, report)


@router.post(REPORTS + "/{report_id}/issue", response_model=StatusReportPublic)
def issue_report(
    report_id: int, access: ProjectLeader, session: SessionDep, data: IssueIn | None = None
) -> StatusReportPublic:
    """Issue an approved report: it is frozen with its PDF and never changes again; the
    receiving body's members are told, with a link."""
    report = service.issue_report(
        session=session, by=access, report_id=report_id, version=(data or IssueIn()).version
    )
    return _public(session, report)


@router.delete(REPORTS + "/{report_id}", status_code=204)
def delete_report(
    report_id: int, access: ProjectLeader, session: SessionDep, expected: ExpectedVersion
) -> Response:
    """Delete a report that has not been issued."""
    service.delete_report(session=session, by=access, report_id=report_id, version=expected)
    return Response(status_code=204)


@router.get(P + "/gantt", response_model=dict[str, Any])
def gantt_figure(
    access: ProjectAccess, session: SessionDep, filters: GanttQuery, as_of: AsOf = None
) -> JSONResponse:
    """The Gantt chart as a Plotly figure (JSON), with the page's filters as query parameters."""
    view = gantt_data.load(
        session=session, project_id=access.project_id, filters=filters, on=as_of or today()
    )
    # Answered as it is: the figure is plain data, validating it again would only cost time.
    return JSONResponse(gantt_plotly.figure(gantt.build_model(view.data)))


@router.get(P + "/gantt.pdf", response_class=Response)
def gantt_pdf(
    access: ProjectAccess,
    session: SessionDep,
    filters: GanttQuery,
    paper: Annotated[str, Query(description="Papir: a4 eller a3 (liggende)")] = "a4",
    as_of: AsOf = None,
) -> Response:
    """The Gantt chart as a PDF/A on A4 or A3 landscape pages, with the page's filters: every
    task drawn, the chart split over pages, then the tasks as a table."""
    on = as_of or today()
    document = pdf.gantt_pdf(
        session=session,
        project_id=access.project_id,
        filters=filters,
        on=on,
        paper=pdf.paper_of(paper),
    )
    project = get_project(session=session, project_id=access.project_id)
    name = pdf.gantt_filename(project.name, on)
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/dashboard", response_model=DashboardPublic)
def dashboard(
    user: CurrentUser,
    session: SessionDep,
    page: PageOf,
    reports_offset: Annotated[
        int, Query(ge=0, description="Antal udsendte rapporter, der springes over")
    ] = 0,
    reports_limit: Annotated[
        int,
        Query(
            ge=1, le=MAX_LIMIT, description=f"Højst så mange udsendte rapporter (højst {MAX_LIMIT})"
        ),
    ] = DEFAULT_LIMIT,
    as_of: AsOf = None,
) -> DashboardPublic:
    """The projects the user follows with their latest issued status, their open milestones
    and grant money left (paged by `offset` and `limit`: X-Total-Count and Link count the
    projects), and the issued reports (paged by `reports_offset` and `reports_limit`; their
    number in `issued_total`)."""
    d = dashboards.dashboard(
        session=session,
        user=user,
        on=as_of or today(),
        offset=page.offset,
        limit=page.limit,
        reports_offset=reports_offset,
        reports_limit=reports_limit,
    )
    page.answer(d.projects_total)
    return DashboardPublic(
        today=d.today,
        projects=[
            DashboardProject(
                id=line.project.id,
                name=line.project.name,
                municipality=line.project.municipality,
                overall_level=line.latest.overall_level if line.latest else None,
                levels=line.latest.levels if line.latest else None,
                last_report=jsonable_encoder(
                    {
                        "id": line.latest.id,
                        "number": line.latest.number,
                        "report_date": line.latest.report_date,
                        "issued_at": line.latest.issued_at,
                        "url": f"/api/projects/{line.project.id}/status-reports/{line.latest.id}",
                    }
                )
                if line.latest
                else None,
                next_milestones=[
                    {
                        "id": v.milestone.id,
                        "name": v.milestone.name,
                        "expected_date": v.expected_date.isoformat(),
                        "slippage_days": v.slippage_days,
                        "health": v.health,
                    }
                    for v in line.next_milestones
                ],
                granted=ore_str(line.money.granted_ore) if line.money else None,
                money_left=ore_str(line.money.remaining_ore) if line.money else None,
            )
            for line in d.projects
        ],
        projects_total=d.projects_total,
        issued_reports=[
            jsonable_encoder(
                {
                    "id": r.report.id,
                    "project_id": r.project.id,
                    "project": r.project.name,
                    "number": r.report.number,
                    "period_start_date": r.report.period_start_date,
                    "period_end_date": r.report.period_end_date,
                    "overall_level": r.report.overall_level,
                    "issued_at": r.report.issued_at,
                    "url": f"/api/projects/{r.project.id}/status-reports/{r.report.id}",
                }
            )
            for r in d.reports
        ],
        issued_total=d.reports_total,
    )


@router.get(P + "/meetings/{meeting_id}/pack")
def meeting_pack(
    meeting_id: int, access: PackReader, session: SessionDep, as_of: AsOf = None
) -> dict[str, Any]:
    """The steering group's meeting pack as JSON, made on a day (today unless as_of)."""
    found = pack.meeting_pack(
        session=session, access=access, meeting_id=meeting_id, made=as_of or today()
    )
    return jsonable_encoder(pack.pack_json(found))
