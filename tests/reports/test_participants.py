"""The status report's "Deltagere" section: the participants' headline figures, "<5" applied,
frozen at issue, shown on the page and in the PDF, in a fixed number of queries."""

from datetime import date

from sqlmodel import Session

from app.participants import figures as participants
from app.reports import content as composer
from app.reports import pdf, service
from app.reports.models import ReportStatus, StatusReport
from tests.factories import ProjectWorld, login
from tests.participants.factories import exit_participant, make_participant, make_scheme
from tests.reports.factories import REPORT_DATE, counted_queries, issued_report, make_report


def _registrations(session: Session, world: ProjectWorld):
    """Six started in January 2013; one dropped out on 15.02.2013 (before the report's date)."""
    scheme = make_scheme(session, world)
    people = [
        make_participant(session, world, scheme, start_date=date(2013, 1, 2 + i)) for i in range(6)
    ]
    exit_participant(session, world, people[0], date(2013, 2, 15), outcome="dropout")
    return scheme


def _figures(section: dict) -> dict[str, str]:
    return {k["label"]: k["value"] for k in section["key_figures"]}


def test_a_project_without_registrations_has_no_participants_section(session, world):
    report = make_report(session, world)
    assert service.content_of(session=session, report=report)["participants"] == []
    page = pdf.report_html(service.content_of(session=session, report=report), status=report.status)
    assert 'id="rp-participants"' not in page


def test_the_issued_snapshot_holds_the_suppressed_figures_and_does_not_change(session, world):
    scheme = _registrations(session, world)
    report = issued_report(session, world)
    [section] = report.snapshot["participants"]
    assert section["scheme"] == "Virksomhedscentre"
    # Published figures: as of the month end before the report's date, counts rounded to 5.
    assert section["as_of_date"] == "2013-02-28"
    assert _figures(section) == {
        "Startet i alt": "5",
        "Aktive": "5",
        "Afsluttet": "<5",
        "Opfølgninger til tiden": "–",
    }
    assert [(o["label"], o["count"]) for o in section["outcomes"]] == [
        ("Selvforsørgelse – job", "0"),
        ("Delvis selvforsørgelse – fleksjob", "0"),
        ("Frafald", "<5"),
    ]
    assert section["exited"] == "<5"
    frozen = service.content_of(session=session, report=report)
    html = pdf.report_html(frozen, status=ReportStatus.issued)
    assert 'id="rp-participants"' in html and "Afsluttet: Frafald" in html and "&lt;5" in html

    # Participants registered after issuing, starting before the report's date.
    for day in (1, 2, 3):
        make_participant(session, world, scheme, start_date=date(2013, 2, day))
    session.expire_all()
    report = session.get(StatusReport, report.id)
    assert service.content_of(session=session, report=report) == frozen
    assert _figures(report.snapshot["participants"][0])["Startet i alt"] == "5"
    live = composer.compose(session=session, report=report, made=date(2013, 3, 4))
    assert _figures(live["participants"][0])["Startet i alt"] == "10"


def test_the_report_page_shows_the_section(client, session, world):
    _registrations(session, world)
    report = make_report(session, world)
    login(client, "leader")
    page = client.get(f"/projects/{world.project.id}/reports/{report.id}")
    assert page.status_code == 200
    assert '<h2 id="rp-participants">Deltagere</h2>' in page.text
    assert "Virksomhedscentre" in page.text and "&lt;5" in page.text


def test_the_figures_take_a_fixed_number_of_queries(session, world):
    scheme = _registrations(session, world)

    def queries() -> int:
        session.expire_all()
        with counted_queries(session) as statements:
            participants.report_figures(
                session=session, project_id=world.project.id, as_of=REPORT_DATE
            )
        return len(statements)

    few = queries()
    for i in range(10):
        make_participant(session, world, scheme, start_date=date(2013, 2, 1 + i))
    make_scheme(session, world, name="Fleksjob", code_prefix="FJ")
    assert queries() == few
