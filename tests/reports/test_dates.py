"""Dates people read: a decision is dated the day it was made (the meeting's day, else the
application's today, never the server's wall clock); a report's Gantt marks its status date."""

import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from app.config import get_settings
from app.governance.models import Decision
from app.reports import service
from app.reports.models import StatusReport
from app.workstreams import plans
from app.workstreams.schemas import PlanDecisionIn, PlanSubmit
from tests.factories import ProjectWorld, bearer, login
from tests.reports.factories import access, approved_report, make_report, submitted_report
from tests.workstreams.factories import make_meeting, make_plan, make_task

TODAY = date(2013, 5, 15)


@pytest.fixture
def demo_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[date]:
    """The application's today fixed at 15.05.2013, as `make run` does for the demo."""
    monkeypatch.setenv("REFORMSTYR_TODAY", TODAY.isoformat())
    get_settings.cache_clear()
    yield TODAY
    monkeypatch.delenv("REFORMSTYR_TODAY")
    get_settings.cache_clear()


def _text(document: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    return re.sub(r"\s+", " ", text)


def test_a_report_approved_at_a_meeting_carries_the_meetings_date(
    demo_clock: date, client: TestClient, session: Session, world: ProjectWorld
):
    meeting = make_meeting(session, world, world.steering, date(2013, 5, 29))
    report = submitted_report(session, world)
    url = f"/api/projects/{world.project.id}/status-reports/{report.id}"
    answer = client.post(
        f"{url}/approve",
        headers=bearer(client, "steering"),
        json={"comment": "Godkendt", "version": report.version, "meeting_id": meeting.id},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["approved_at"].startswith("2013-05-29")
    decision = session.get(Decision, session.get(StatusReport, report.id).decision_id)
    assert decision.decision_date == date(2013, 5, 29)
    login(client, "leader")
    page = client.get(f"/projects/{world.project.id}/reports/{report.id}")
    assert "<dt>Godkendt af Styregruppen</dt><dd>29.05.2013," in page.text
    pdf = client.get(f"/projects/{world.project.id}/reports/{report.id}.pdf")
    assert "Godkendt af Styregruppen 29.05.2013" in _text(pdf.content)


def test_steps_outside_a_meeting_carry_the_applications_date(
    demo_clock: date, session: Session, world: ProjectWorld
):
    report = approved_report(session, world)
    assert report.approved_at.date() == TODAY
    assert session.get(Decision, report.decision_id).decision_date == TODAY
    report = service.issue_report(
        session=session,
        by=access(session, world, "leader"),
        report_id=report.id,
        version=report.version,
    )
    assert report.issued_at.date() == TODAY


def test_a_plan_decision_without_a_meeting_carries_the_applications_date(
    demo_clock: date, session: Session, world: ProjectWorld
):
    make_task(session, world)
    plan = make_plan(session, world)
    leader, steering = access(session, world, "leader"), access(session, world, "steering")
    plans.submit(session=session, by=leader, plan_id=plan.id, data=PlanSubmit())
    version = plans.approve(
        session=session, by=steering, plan_id=plan.id, data=PlanDecisionIn(comment="OK")
    )
    assert session.get(Decision, version.decision_id).decision_date == TODAY


def test_the_pdf_gantt_marks_the_status_date(session: Session, world: ProjectWorld):
    make_task(session, world)
    report = make_report(session, world, report_date=date(2013, 3, 1))
    text = _text(service.pdf_of(session=session, report=report))
    assert "Statusdato 01.03.2013" in text
    assert "I dag" not in text


def test_a_printed_page_is_dated_by_the_applications_day(
    demo_clock: date, client: TestClient, world: ProjectWorld
):
    login(client, "leader")
    page = client.get(f"/projects/{world.project.id}")
    assert "Reformstyr · udskrevet 15.05.2013 (uge 20)" in page.text
