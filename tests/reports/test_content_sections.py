"""What the grantor and the committee read in a status report: the success measures as of the
status date, the economy register's entries of the period with their sum, the decisions made
in the period; each only when the project has something for it, kept when the report is issued,
and reports frozen before these sections existed still render."""

import io
import re
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from app.governance.models import (
    MandateItem,
    MandateStatus,
    Meeting,
    MeetingCounterpart,
    MeetingRule,
)
from app.reports.models import StatusReport
from tests.budget.factories import access as budget_access
from tests.budget.factories import make_grant, record
from tests.factories import ProjectWorld, bearer, login
from tests.governance.factories import make_decision
from tests.reports.factories import issued_report, make_report
from tests.risks.factories import make_indicator, make_measurement

NEW_KEYS = ("indicators", "expenditures", "decisions_made", "mandate_item_count")


def _pdf_text(document: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    return re.sub(r"\s+", " ", text)


def _fill(session: Session, world: ProjectWorld) -> None:
    """An indicator whose monthly measurement is missing on the status date (01.03.2013), two
    expenditures and two decisions, one of each inside the period 01.12.2012–28.02.2013."""
    indicator = make_indicator(
        session,
        world.project,
        name="Borgere i job efter forløbet",
        unit="%",
        baseline_date=date(2012, 12, 1),
        baseline_value=Decimal("10"),
        target_value=Decimal("40"),
        target_date=date(2014, 12, 31),
    )
    make_measurement(session, indicator, measured_date=date(2012, 12, 31), value=Decimal("12"))
    make_measurement(session, indicator, measured_date=date(2013, 1, 15), value=Decimal("14.5"))
    # Measured after the status date: not known to the report.
    make_measurement(session, indicator, measured_date=date(2013, 3, 20), value=Decimal("99"))
    by = budget_access(session, world.users["leader"], world.project)
    grant = make_grant(session, by)
    record(session, by, grant, date="2013-02-15", amount="12500.00", description="Inde-udgift")
    record(session, by, grant, date="2013-03-15", amount="7000.00", description="Ude-udgift")
    make_decision(session, world, decision_date=date(2013, 1, 10), title="Inde-beslutning")
    make_decision(session, world, decision_date=date(2012, 11, 27), title="Ude-beslutning")


def _url(world: ProjectWorld, report: StatusReport, tail: str = "") -> str:
    return f"/projects/{world.project.id}/reports/{report.id}{tail}"


def test_the_report_carries_the_periods_measures_expenses_and_decisions(
    client: TestClient, session: Session, world: ProjectWorld
):
    _fill(session, world)
    report = make_report(session, world)
    api = client.get(
        f"/api/projects/{world.project.id}/status-reports/{report.id}",
        headers=bearer(client, "leader"),
    )
    content = api.json()["content"]
    [measure] = content["indicators"]
    assert measure["latest_value"] == "14,5" and measure["latest_date"] == "2013-01-15"
    assert measure["target_value"] == "40" and measure["target_date"] == "2014-12-31"
    assert (measure["trend"], measure["trend_label"]) == ("up", "Stigende")
    assert measure["frequency_label"] == "Månedlig"
    assert measure["missing"] and measure["due_label"] == "Måling mangler"
    assert measure["next_due_date"] == "2013-02-15"
    assert [e["description"] for e in content["expenditures"]["rows"]] == ["Inde-udgift"]
    assert content["expenditures"]["total_ore"] == 1_250_000
    assert [(d["decision_date"], d["body"], d["title"]) for d in content["decisions_made"]] == [
        ("2013-01-10", "Styregruppen", "Inde-beslutning")
    ]

    login(client, "leader")
    page = client.get(_url(world, report)).text
    for shown in ("Succesmål", "Borgere i job efter forløbet", "14,5 %", "15.01.2013", "Stigende"):
        assert shown in page
    assert "Måling mangler" in page and 'class="is-late"' in page
    assert "Inde-udgift" in page and "12.500 kr." in page and "I alt i perioden" in page
    assert "Inde-beslutning" in page and "10.01.2013" in page
    for left_out in ("Ude-udgift", "Ude-beslutning", "99 %"):
        assert left_out not in page

    text = _pdf_text(client.get(_url(world, report, ".pdf")).content)
    for shown in ("Succesmål", "Måling mangler", "Inde-udgift", "12.500 kr.", "Inde-beslutning"):
        assert shown in text
    assert "Ude-udgift" not in text and "Ude-beslutning" not in text


def test_an_issued_report_keeps_the_sections_as_they_were(
    client: TestClient, session: Session, world: ProjectWorld
):
    _fill(session, world)
    report = issued_report(session, world)
    assert [e["description"] for e in report.snapshot["expenditures"]["rows"]] == ["Inde-udgift"]
    # Recorded after issuing: the frozen report does not change.
    make_decision(session, world, decision_date=date(2013, 2, 1), title="Senere-beslutning")
    login(client, "leader")
    page = client.get(_url(world, report)).text
    assert "Inde-beslutning" in page and "Senere-beslutning" not in page
    assert "Succesmål" in page and "Inde-udgift" in page
    text = _pdf_text(client.get(_url(world, report, ".pdf")).content)
    assert "Inde-beslutning" in text and "Succesmål" in text


def test_an_empty_project_shows_none_of_the_sections(
    client: TestClient, session: Session, world: ProjectWorld
):
    report = make_report(session, world)
    content = client.get(
        f"/api/projects/{world.project.id}/status-reports/{report.id}",
        headers=bearer(client, "leader"),
    ).json()["content"]
    assert content["indicators"] == [] and content["decisions_made"] == []
    assert content["expenditures"] == {"rows": [], "total_ore": 0}
    assert content["meeting_rule_breaches"] == []
    login(client, "leader")
    page = client.get(_url(world, report)).text
    for absent in ("Succesmål", "Udgifter i perioden", "Beslutninger truffet i perioden"):
        assert absent not in page
    # A mandate without items is not "all done".
    assert "Alle mandatets opgaver er opfyldt" not in page
    assert "Mandatet har ingen opgaver." in page


def test_a_mandate_with_every_item_done_says_so(
    client: TestClient, session: Session, world: ProjectWorld
):
    session.add(
        MandateItem(body_id=world.steering.id, text="Godkend planen", status=MandateStatus.done)
    )
    session.commit()
    report = make_report(session, world)
    login(client, "leader")
    page = client.get(_url(world, report)).text
    assert "Alle mandatets opgaver er opfyldt." in page
    assert "Mandatet har ingen opgaver." not in page


def test_a_report_frozen_before_the_sections_existed_still_renders(
    client: TestClient, session: Session, world: ProjectWorld
):
    _fill(session, world)
    report = issued_report(session, world)
    report.snapshot = {k: v for k, v in report.snapshot.items() if k not in NEW_KEYS}
    session.add(report)
    session.commit()
    login(client, "leader")
    page = client.get(_url(world, report))
    assert page.status_code == 200
    assert "Succesmål" not in page.text and "Inde-udgift" not in page.text
    assert "Beslutninger truffet i perioden" not in page.text
    api = client.get(
        f"/api/projects/{world.project.id}/status-reports/{report.id}",
        headers=bearer(client, "leader"),
    )
    assert api.status_code == 200 and "indicators" not in api.json()["content"]


def test_a_meeting_rule_not_kept_is_in_the_report(
    client: TestClient, session: Session, world: ProjectWorld
):
    """The steering group must meet at least every 30 days; its last meeting was 50 days before
    the report's date: the report says so, naming the body and the rule."""
    session.add(
        MeetingRule(
            project_id=world.project.id,
            body_id=world.steering.id,
            counterpart=MeetingCounterpart.any,
            meeting_interval_days=30,
        )
    )
    session.add(
        Meeting(
            project_id=world.project.id, body_id=world.steering.id, meeting_date=date(2013, 1, 10)
        )
    )
    session.commit()
    report = make_report(session, world)
    content = client.get(
        f"/api/projects/{world.project.id}/status-reports/{report.id}",
        headers=bearer(client, "leader"),
    ).json()["content"]
    assert content["meeting_rule_breaches"] == [
        "Styregruppen har ikke holdt møde i 50 dage (regel: mindst hver 30. dag)"
    ]
    login(client, "leader")
    page = client.get(_url(world, report)).text
    assert "Mødekadence, der ikke er overholdt" in page
    assert "Styregruppen har ikke holdt møde i 50 dage" in page
