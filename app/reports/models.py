"""Tables of the status reports: the report with its texts, tolerances and overrides, and, once
issued, its frozen snapshot and the PDF exactly as it was sent."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlalchemy.orm import defer
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow
from app.reports.rag import Level


class ReportStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    issued = "issued"


REPORT_STATUS_LABELS = {
    ReportStatus.draft: "Kladde",
    ReportStatus.submitted: "Til godkendelse",
    ReportStatus.approved: "Godkendt",
    ReportStatus.issued: "Udsendt",
}
REPORT_STATUS_BADGES = {
    ReportStatus.draft: "grey",
    ReportStatus.submitted: "amber",
    ReportStatus.approved: "amber",
    ReportStatus.issued: "green",
}


class StatusReport(SQLModel, table=True):
    """A status report for a period: drafted by the project leader, submitted for approval,
    approved (or returned with a reason) by the steering group, issued to the directorate.
    Issuing freezes everything it shows in `snapshot`."""

    __tablename__ = "status_report"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    number: int
    status: ReportStatus = Field(default=ReportStatus.draft, sa_type=enum_type(ReportStatus))
    period_start_date: date
    period_end_date: date
    # The day the status is measured on ("status pr.").
    report_date: date
    next_period_end_date: date
    tolerances: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    overrides: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    texts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    decisions_requested: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    overall_level: Level | None = Field(default=None, sa_type=enum_type(Level))
    levels: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    created_by_name: str = Field(default="", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    submitted_by_name: str = Field(default="", max_length=200)
    # Why the approving body sent the report back to draft (the last time it did).
    returned_reason: str = Field(default="", max_length=2000)
    approved_at: datetime | None = None
    approved_by_name: str = Field(default="", max_length=200)
    approval_comment: str = Field(default="", max_length=2000)
    decision_id: int | None = Field(default=None, foreign_key="decision.id", ondelete="SET NULL")
    issued_at: datetime | None = Field(default=None, index=True)
    issued_by_name: str = Field(default="", max_length=200)
    version: int = 1
    # Filled when issued, never changed afterwards. Last, so that SQLite reads the other
    # columns without walking through it (migration 0009).
    snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


def without_snapshot() -> Any:
    """A loader option that leaves the (large) snapshot unloaded, for lists of reports."""
    return defer(StatusReport.snapshot)  # type: ignore[arg-type]


class StatusReportFile(SQLModel, table=True):
    """The PDF of an issued report, byte for byte as it was sent (kept apart from the report
    row, so lists of reports never load it)."""

    __tablename__ = "status_report_file"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="status_report.id", unique=True, ondelete="CASCADE")
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    size: int
    created_at: datetime = Field(default_factory=utcnow)
