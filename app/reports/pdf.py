"""Status reports and steering-group meeting packs as A4 PDFs in Danish (WeasyPrint), drawn
from the same templates as the pages, with the Gantt chart as an SVG picture; and the Gantt
chart itself as a PDF on A4 or A3 landscape pages."""

import hashlib
import json
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session
from weasyprint import HTML

from app.danish import format_date
from app.errors import Invalid
from app.governance.people import get_person
from app.governance.projects import get_project
from app.jinja import env
from app.reports import gantt, gantt_data, gantt_svg, labels
from app.reports.content import hydrate
from app.reports.models import ReportStatus
from app.workstreams.models import TASK_STATUS_LABELS

# PDF/A-2b: the archival PDF a municipality's records system (ESDH) files as it is — fonts
# embedded, colours in sRGB, title, author, subject and language in the document's metadata
# (from the print templates' <title>, <meta name="author">, <meta name="description">, lang).
ARCHIVAL = "pdf/a-2b"


def report_html(
    content: dict[str, Any], *, status: ReportStatus, approved: date | None = None
) -> str:
    """A report as a printable HTML document (the source of its PDF); `approved` is the day the
    steering group approved it."""
    return env.get_template("reports/report_print.html").render(
        c=hydrate(content), status=status, approved=approved, labels=labels.ALL, print_mode=True
    )


# A draft's PDF is made on request from live data; made again only when what it shows has
# changed (the digest of its content), so a steering group opening the same draft again and again
# costs the renderer once. Per worker process, the last few drafts (one PDF is ~0.1–1 MB).
DRAFTS_KEPT = 8
_drafts: OrderedDict[str, bytes] = OrderedDict()
_drafts_lock = threading.Lock()


def _write_report(content: dict[str, Any], *, status: ReportStatus, approved: date | None) -> bytes:
    html = report_html(content, status=status, approved=approved)
    return HTML(string=html).write_pdf(pdf_variant=ARCHIVAL)


def content_digest(content: dict[str, Any], *, status: ReportStatus, approved: date | None) -> str:
    """The SHA-256 of everything a report's PDF is made from."""
    made_from = {"content": content, "status": str(status), "approved": approved}
    text = json.dumps(made_from, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def report_pdf(
    content: dict[str, Any], *, status: ReportStatus, approved: date | None = None
) -> bytes:
    """A report as an A4 PDF; a report not yet issued is marked as such on every page. A draft
    with the same content gives the PDF made last time (DRAFTS_KEPT); the PDF made at issue is
    always made afresh (and then stored with the report)."""
    if status == ReportStatus.issued:
        return _write_report(content, status=status, approved=approved)
    digest = content_digest(content, status=status, approved=approved)
    with _drafts_lock:
        if (kept := _drafts.get(digest)) is not None:
            _drafts.move_to_end(digest)
            return kept
    document = _write_report(content, status=status, approved=approved)
    with _drafts_lock:
        _drafts[digest] = document
        while len(_drafts) > DRAFTS_KEPT:
            _drafts.popitem(last=False)
    return document


def pack_html(pack: Any) -> str:
    """A steering-group meeting pack as a printable HTML document."""
    return env.get_template("reports/pack_print.html").render(pack=pack, labels=labels.ALL)


def pack_pdf(pack: Any) -> bytes:
    """A steering-group meeting pack as an A4 PDF."""
    return HTML(string=pack_html(pack)).write_pdf(pdf_variant=ARCHIVAL)


def filename(kind: str, number: int, day: Any) -> str:
    """statusrapport-3-2013-03-05.pdf — safe for a Content-Disposition header."""
    return f"{kind}-{number}-{day.isoformat()}.pdf"


# The Gantt chart as a PDF


@dataclass
class GanttPrint:
    """What the Gantt's PDF shows: the chart's parts, one per page, and what they show."""

    view: gantt_data.GanttView
    project_name: str
    municipality: str
    title: str
    paper: gantt_svg.Paper
    pages: list[str]
    filters_text: str
    made: date
    # Tasks of the filters not drawn (beyond gantt_data.PRINT_LIMIT).
    left_out: int


def paper_of(value: str) -> gantt_svg.Paper:
    """A4 or A3 (landscape) from the query string; A4 when left out."""
    key = value.strip().lower() or "a4"
    if key not in gantt_svg.PAPERS:
        raise Invalid("Feltet »Papir« skal være A4 eller A3.", field="paper")
    return gantt_svg.PAPERS[key]


def gantt_print(
    *,
    session: Session,
    project_id: int,
    filters: gantt_data.GanttFilters,
    on: date,
    paper: gantt_svg.Paper,
) -> GanttPrint:
    """The Gantt with the page's filters, every task drawn (no page's cap; up to
    PRINT_LIMIT), in parts that fit the paper. Groups are expanded unless the filters say
    otherwise: paper is split over pages instead of folded."""
    if not filters.expand:
        filters = replace(filters, expand=gantt_data.ALL)
    view = gantt_data.load(
        session=session,
        project_id=project_id,
        filters=filters,
        on=on,
        limit=gantt_data.PRINT_LIMIT,
    )
    project = get_project(session=session, project_id=project_id)
    group = next(
        (g.name for g in view.data.groups if filters.group_id and g.id == filters.group_id), ""
    )
    title = f"Gantt-diagram: {group or project.name}"
    chosen = [f"gruppe {group}"] if group else []
    if filters.status:
        chosen.append(f"status {TASK_STATUS_LABELS[filters.status].lower()}")
    if filters.owner_person_id:
        person = get_person(
            session=session, project_id=project_id, person_id=filters.owner_person_id
        )
        chosen.append(f"ansvarlig {person.name}")
    if filters.depth:
        chosen.append(f"{filters.depth} {'niveau' if filters.depth == 1 else 'niveauer'}")
    period = f"{format_date(view.data.window_start)}–{format_date(view.data.window_end)}"
    label = f"{title}, {period}"
    return GanttPrint(
        view=view,
        project_name=project.name,
        municipality=project.municipality or "",
        title=title,
        paper=paper,
        pages=gantt_svg.pages(
            gantt.build_model(view.data),
            label=label,
            rows_per_page=paper.rows_per_page,
            width=paper.svg_width,
            label_width=paper.label_width,
        ),
        filters_text=", ".join(chosen),
        made=on,
        left_out=view.left_out,
    )


def gantt_html(found: GanttPrint) -> str:
    """The Gantt as a printable HTML document (the source of its PDF)."""
    return env.get_template("reports/gantt_print.html").render(g=found, statuses=TASK_STATUS_LABELS)


def gantt_pdf(
    *,
    session: Session,
    project_id: int,
    filters: gantt_data.GanttFilters,
    on: date,
    paper: gantt_svg.Paper,
) -> bytes:
    """The Gantt as a PDF/A on landscape pages of the paper, the chart split over pages, then
    its tasks as a table with their full titles: the one function the page and the API call."""
    found = gantt_print(session=session, project_id=project_id, filters=filters, on=on, paper=paper)
    return HTML(string=gantt_html(found)).write_pdf(pdf_variant=ARCHIVAL)


def gantt_filename(project_name: str, day: date, extension: str = "pdf") -> str:
    """gantt-svendborg-kommune-2013-05-15.pdf: ASCII, safe for a Content-Disposition header."""
    text = project_name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = "-".join("".join(c if c.isalnum() else " " for c in text).split())[:50].strip("-")
    return f"gantt-{slug or 'projekt'}-{day.isoformat()}.{extension}"
