"""The PDFs opened with pypdf: Danish text, the municipality, the period, the lights."""

import io
from datetime import date
from xml.etree import ElementTree

from pypdf import PdfReader
from sqlmodel import Session

from app.governance.models import Meeting
from app.reports import pack, pdf, service
from app.reports.models import ReportStatus
from app.reports.schemas import ApproveIn, StatusReportUpdate
from tests.budget import factories as budget_factories
from tests.factories import ProjectWorld
from tests.reports.factories import access, issued_report, make_report
from tests.risks.factories import make_item
from tests.workstreams.factories import approved_plan, make_milestone

PDFA_ID = "{http://www.aiim.org/pdfa/ns/id/}"


def _pdfa(reader: PdfReader) -> tuple[str | None, str | None]:
    """The PDF/A part and conformance its XMP metadata declares."""
    xmp = ElementTree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    for element in xmp.iter():
        if PDFA_ID + "part" in element.attrib:
            return element.attrib[PDFA_ID + "part"], element.attrib.get(PDFA_ID + "conformance")
    return None, None


def _text(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_issued_report_pdf_reads_in_danish(session: Session, world: ProjectWorld):
    approved_plan(session, world)
    make_milestone(
        session,
        world,
        name="Samarbejdsaftale underskrevet",
        planned_date=date(2013, 1, 15),
        forecast_date=date(2013, 4, 12),
    )
    make_item(
        session,
        world.project,
        title="Regionen udpeger ikke repræsentanter",
        probability=4,
        consequence=4,
    )
    report = make_report(session, world)
    service.update_report(
        session=session,
        by=access(session, world, "leader"),
        report_id=report.id,
        data=StatusReportUpdate(
            texts={"summary": "Reformen er godt i gang."}, version=report.version
        ),
    )
    report = service.submit_report(
        session=session, by=access(session, world, "leader"), report_id=report.id, version=None
    )
    report = service.approve_report(
        session=session,
        by=access(session, world, "steering"),
        report_id=report.id,
        data=ApproveIn(),
    )
    report = service.issue_report(
        session=session,
        by=access(session, world, "leader"),
        report_id=report.id,
        version=report.version,
        on=date(2013, 3, 4),
    )
    text = _text(service.pdf_of(session=session, report=report))
    for expected in (
        "Testkommune",
        "Statusrapport nr. 1",
        "Testprojekt",
        "01.12.2012–28.02.2013",
        "Status pr. 01.03.2013 (uge 9)",
        "Udsendt 04.03.2013",
        "Samlet status",
        "Rød",
        "Grøn",
        "Reformen er godt i gang.",
        "Samarbejdsaftale underskrevet",
        "12.04.2013",
        "Regionen udpeger ikke repræsentanter",
        "Tolerancer",
        "uge",
        "Side 1 af",
    ):
        assert expected in text, expected
    assert "KLADDE" not in text


def test_a_draft_pdf_says_it_is_a_draft(session: Session, world: ProjectWorld):
    report = make_report(session, world)
    text = _text(service.pdf_of(session=session, report=report))
    assert "KLADDE" in text and "Statusrapport nr. 1" in text


def test_the_pdf_is_made_from_the_snapshot_alone(session: Session, world: ProjectWorld):
    report = issued_report(session, world)
    snapshot = dict(report.snapshot)
    snapshot["project"] = dict(snapshot["project"], municipality="Faaborg-Midtfyn Kommune")
    text = _text(pdf.report_pdf(snapshot, status=ReportStatus.issued))
    assert "Faaborg-Midtfyn Kommune" in text and "Testkommune" not in text


def test_the_meeting_pack_pdf(session: Session, world: ProjectWorld):
    meeting = Meeting(
        project_id=world.project.id,
        body_id=world.steering.id,
        meeting_date=date(2013, 3, 19),
        start_time="13:00",
        place="Rådhuset",
    )
    session.add(meeting)
    session.commit()
    make_milestone(session, world, name="Kursus afholdt", planned_date=date(2013, 2, 1))
    found = pack.meeting_pack(
        session=session,
        access=access(session, world, "secretariat"),
        meeting_id=meeting.id,
        made=date(2013, 3, 12),
    )
    text = _text(pdf.pack_pdf(found))
    for expected in (
        "Mødepakke",
        "Styregruppen",
        "19.03.2013",
        "19. marts 2013",
        "Rådhuset",
        "Dagsorden",
        "Kursus afholdt",
        "Overskredet",
        "Udarbejdet 12.03.2013",
    ):
        assert expected in text, expected


def test_the_report_pdf_is_archival_with_its_metadata(session: Session, world: ProjectWorld):
    """The issued PDF is filed in the municipality's records system as it is: PDF/A-2b, with
    title, author, subject and language."""
    report = issued_report(session, world)
    reader = PdfReader(io.BytesIO(service.pdf_of(session=session, report=report)))
    info = reader.metadata
    assert info.title == "Statusrapport nr. 1 · Testprojekt"
    assert info.author == "Testkommune"
    assert info.subject.startswith("Statusrapport for Testprojekt, perioden ")
    assert "(kladde)" not in info.subject
    assert _pdfa(reader) == ("2", "B")
    assert reader.trailer["/Root"]["/Lang"] == "da"
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_the_meeting_pack_pdf_is_archival_too(session: Session, world: ProjectWorld):
    meeting = Meeting(
        project_id=world.project.id, body_id=world.steering.id, meeting_date=date(2013, 3, 19)
    )
    session.add(meeting)
    session.commit()
    found = pack.meeting_pack(
        session=session,
        access=access(session, world, "secretariat"),
        meeting_id=meeting.id,
        made=date(2013, 3, 12),
    )
    reader = PdfReader(io.BytesIO(pdf.pack_pdf(found)))
    assert reader.metadata.author == "Testkommune"
    assert reader.metadata.subject == "Mødepakke til Styregruppens møde 19.03.2013, Testprojekt"
    assert _pdfa(reader) == ("2", "B")


def test_page_one_is_the_summary_and_the_gantt_is_landscape(session: Session, world: ProjectWorld):
    """A director reads page 1 alone: the summary, every light with its first reason, the key
    milestones with their slip, each grant's money and the decisions asked; the Gantt has its
    own landscape page."""
    leader = access(session, world, "leader")
    make_milestone(
        session,
        world,
        name="Samarbejdsaftale underskrevet",
        planned_date=date(2013, 1, 15),
        forecast_date=date(2013, 4, 12),
    )
    budget_factories.make_grant(session, leader)
    report = make_report(session, world)
    report = service.update_report(
        session=session,
        by=leader,
        report_id=report.id,
        data=StatusReportUpdate(
            texts={"summary": "Reformen er godt i gang."},
            decisions_requested=[{"text": "Godkend den nye tidsplan", "asked_of": "directorate"}],
            version=report.version,
        ),
    )
    reader = PdfReader(io.BytesIO(service.pdf_of(session=session, report=report)))
    first = reader.pages[0].extract_text()
    for expected in (
        "Sammenfatning",
        "Reformen er godt i gang.",
        "Samlet status",
        "Vigtigste grund",
        "Samarbejdsaftale underskrevet",
        "12.04.2013",
        "Puljemidler til implementering af reformen",
        "461.474 kr.",
        "Godkend den nye tidsplan",
        "Direktionen",
    ):
        assert expected in first, expected
    everything = _text(service.pdf_of(session=session, report=report))
    assert everything.count("Reformen er godt i gang.") == 1
    gantt = next(p for p in reader.pages if "Tidsplan (Gantt)" in p.extract_text())
    assert gantt.mediabox.width > gantt.mediabox.height
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height
