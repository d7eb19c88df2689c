"""Status reports and steering-group meeting packs as A4 PDFs in Danish (WeasyPrint), drawn
from the same templates as the pages, with the Gantt chart as an SVG picture."""

from datetime import date
from typing import Any

from weasyprint import HTML

from app.jinja import env
from app.reports import labels
from app.reports.content import hydrate
from app.reports.models import ReportStatus


def report_html(
    content: dict[str, Any], *, status: ReportStatus, approved: date | None = None
) -> str:
    """A report as a printable HTML document (the source of its PDF); `approved` is the day the
    steering group approved it."""
    return env.get_template("reports/report_print.html").render(
        c=hydrate(content), status=status, approved=approved, labels=labels.ALL, print_mode=True
    )


def report_pdf(
    content: dict[str, Any], *, status: ReportStatus, approved: date | None = None
) -> bytes:
    """A report as an A4 PDF; a report not yet issued is marked as such on every page."""
    return HTML(string=report_html(content, status=status, approved=approved)).write_pdf()


def pack_html(pack: Any) -> str:
    """A steering-group meeting pack as a printable HTML document."""
    return env.get_template("reports/pack_print.html").render(pack=pack, labels=labels.ALL)


def pack_pdf(pack: Any) -> bytes:
    """A steering-group meeting pack as an A4 PDF."""
    return HTML(string=pack_html(pack)).write_pdf()


def filename(kind: str, number: int, day: Any) -> str:
    """statusrapport-3-2013-03-05.pdf — safe for a Content-Disposition header."""
    return f"{kind}-{number}-{day.isoformat()}.pdf"
