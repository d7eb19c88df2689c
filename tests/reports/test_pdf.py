"""The PDFs opened with pypdf: Danish text, the municipality, the period, the lights."""

import io
from datetime import date

from pypdf import PdfReader
from sqlmodel import Session

from app.governance.models import Meeting
from app.reports import pack, pdf, service
from app.reports.models import ReportStatus
from app.reports.schemas import ApproveIn, StatusReportUpdate
from tests.factories import ProjectWorld
from tests.reports.factories import access, issued_report, make_report
from tests.risks.factories import make_item
from tests.workstreams.factories import approved_plan, make_milestone


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
