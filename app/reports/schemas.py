"""Input and output of the status reports, the dashboard and the Gantt's query parameters."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from app import inputs
from app.reports.models import ReportStatus
from app.reports.rag import Level, Tolerances

SECTIONS = {
    "summary": "Sammenfatning",
    "time": "Tid og milepæle",
    "deliverables": "Leverancer og planer",
    "economy": "Tilskud og økonomi",
    "risks": "Risici",
    "stakeholders": "Interessenter og kommunikation",
    "mandate": "Mandat og opgaver",
    "decisions": "Beslutninger",
    "next_period": "Plan for næste periode",
}


VERSION_REQUIRED = (
    "Påkrævet: den version, ændringen bygger på; mangler den: 428, er den ældre: 409."
)


class AskedOf(StrEnum):
    steering_group = "steering_group"
    directorate = "directorate"


# Whom a decision is asked of, when the project has no such body to name (app.reports.content.
# asked_of_label names the body: the one that approves the report, or the one that receives it).
ASKED_OF_LABELS = {
    AskedOf.steering_group: "Det godkendende organ",
    AskedOf.directorate: "Rapportens modtager",
}


class Schema(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


class OverrideIn(Schema):
    level: Level
    justification: str = Field(default="", max_length=2000)


class DecisionRequest(Schema):
    asked_of: AskedOf = AskedOf.steering_group
    text: str = Field(max_length=1000)
    due_date: date | None = None


class StatusReportCreate(Schema):
    period_start_date: date | None = None
    period_end_date: date | None = None
    report_date: date | None = None
    next_period_end_date: date | None = None
    tolerances: Tolerances | None = None


class StatusReportUpdate(Schema):
    period_start_date: date | None = None
    period_end_date: date | None = None
    report_date: date | None = None
    next_period_end_date: date | None = None
    tolerances: Tolerances | None = None
    texts: dict[str, str] | None = None
    # A key with null removes the override.
    overrides: dict[str, OverrideIn | None] | None = None
    decisions_requested: list[DecisionRequest] | None = None
    version: int | None = Field(default=None, description=VERSION_REQUIRED)


class ApproveIn(Schema):
    version: int | None = None
    comment: str = Field(default="", max_length=2000)
    meeting_id: int | None = None


class IssueIn(Schema):
    version: int | None = None


class SubmitIn(Schema):
    version: int | None = None


class ReturnIn(Schema):
    """The approving body sends a submitted report back to draft, saying why."""

    version: int | None = None
    reason: str = Field(default="", max_length=2000)


class StatusReportSummary(BaseModel):
    id: int
    project_id: int
    number: int
    status: ReportStatus
    status_label: str
    period_start_date: date
    period_end_date: date
    report_date: date
    next_period_end_date: date
    overall_level: Level | None
    submitted_at: datetime | None = None
    submitted_by_name: str = ""
    returned_reason: str = ""
    approved_at: datetime | None
    approved_by_name: str
    issued_at: datetime | None
    issued_by_name: str
    version: int
    url: str
    pdf_url: str


class StatusReportPublic(StatusReportSummary):
    tolerances: dict[str, Any]
    overrides: dict[str, Any]
    texts: dict[str, Any]
    decisions_requested: list[dict[str, Any]]
    approval_comment: str
    # Everything the report shows: computed from live data for a draft, the frozen snapshot
    # for an issued report.
    content: dict[str, Any]
    frozen: bool
    pdf_sha256: str | None = None


class DashboardProject(BaseModel):
    id: int
    name: str
    municipality: str
    overall_level: Level | None
    levels: dict[str, str] | None
    last_report: dict[str, Any] | None
    next_milestones: list[dict[str, Any]]
    granted: str | None
    money_left: str | None


class DashboardPublic(BaseModel):
    today: date
    projects: list[DashboardProject]
    projects_total: int
    issued_reports: list[dict[str, Any]]
    issued_total: int
