"""The reports' pages: the Gantt with filters, the report list and a report's edits through
htmx, the directorate's read-only view, the dashboard and the meeting pack."""

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.clock import today
from app.governance import meeting_rules
from app.governance.models import Meeting, MeetingCounterpart, MeetingRule, Project
from app.reports.models import ReportStatus, StatusReport
from tests.factories import ProjectWorld, csrf_of, login
from tests.reports.factories import (
    approved_report,
    issued_report,
    make_report,
    submitted_report,
)
from tests.workstreams.factories import approved_plan, make_milestone, make_task


def _htmx(client: TestClient, page: str) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, page)}


def _report_url(world: ProjectWorld, report: StatusReport, tail: str = "") -> str:
    return f"/projects/{world.project.id}/reports/{report.id}{tail}"


def test_the_gantt_page_draws_a_chart_and_a_table(
    client: TestClient, world: ProjectWorld, session: Session
):
    approved_plan(session, world)
    login(client, "member_a")
    page = client.get(f"/projects/{world.project.id}/gantt?start=2013-01-01&end=2013-03-31")
    assert page.status_code == 200
    assert 'id="gantt-chart-' in page.text and "/static/vendor/plotly.min.js" in page.text
    assert "Kortlæg arbejdsgange" in page.text  # the table under the chart
    assert 'aria-current="page">Gantt' in page.text
    partial = client.get(
        f"/projects/{world.project.id}/gantt?status=done", headers={"HX-Request": "true"}
    )
    assert partial.text.lstrip().startswith('<div id="gantt-result"')
    assert "<html" not in partial.text


def test_a_groups_gantt_and_a_bad_filter(client: TestClient, world: ProjectWorld, session: Session):
    make_task(session, world, title="Opgave i gruppe B", group_id=world.group_b.id)
    login(client, "leader")
    page = client.get(
        f"/projects/{world.project.id}/groups/{world.group_b.id}/gantt"
        "?start=2013-01-01&end=2013-03-31"
    )
    assert page.status_code == 200 and "Gantt-diagram: Gruppe B" in page.text
    assert "Opgave i gruppe B" in page.text
    assert (
        client.get(f"/projects/{world.project.id}/groups/{world.steering.id}/gantt").status_code
        == 404
    )
    wrong = client.get(f"/projects/{world.project.id}/gantt?start=2013-03-01&end=2013-01-01")
    assert wrong.status_code == 422
    assert 'id="f-end-error"' in wrong.text and 'aria-invalid="true"' in wrong.text
    assert "Periodens slutdato (01.01.2013) ligger før startdatoen (01.03.2013)." in wrong.text


def test_the_leader_creates_a_report_from_the_list(
    client: TestClient, world: ProjectWorld, session: Session
):
    login(client, "leader")
    page = client.get(f"/projects/{world.project.id}/reports")
    assert "Ny statusrapport" in page.text
    token = csrf_of(client, f"/projects/{world.project.id}/reports")
    answer = client.post(
        f"/projects/{world.project.id}/reports",
        follow_redirects=False,
        data={
            "csrf_token": token,
            "period_start_date": "2012-12-01",
            "period_end_date": "2013-02-28",
            "report_date": "2013-03-01",
            "next_period_end_date": "",
        },
    )
    assert answer.status_code == 303
    report = session.exec(select(StatusReport)).one()
    assert answer.headers["location"] == _report_url(world, report)
    page = client.get(answer.headers["location"])
    assert "Statusrapport nr. 1" in page.text and "Kladde" in page.text


def test_creating_with_a_bad_date_shows_the_message_at_the_field(
    client: TestClient, world: ProjectWorld, session: Session
):
    login(client, "leader")
    token = csrf_of(client, f"/projects/{world.project.id}/reports")
    answer = client.post(
        f"/projects/{world.project.id}/reports",
        data={
            "csrf_token": token,
            "period_start_date": "2013-03-01",
            "period_end_date": "2013-02-01",
            "report_date": "2013-03-01",
        },
    )
    assert answer.status_code == 422
    assert 'id="period_end_date-error"' in answer.text
    assert "Periodens slutdato (01.02.2013) ligger før dens startdato (01.03.2013)." in answer.text
    assert session.exec(select(StatusReport)).all() == []


def test_others_see_no_create_form_and_are_refused(
    client: TestClient, world: ProjectWorld, session: Session
):
    login(client, "steering")
    page = client.get(f"/projects/{world.project.id}/reports")
    assert page.status_code == 200 and "Ny statusrapport" not in page.text
    token = csrf_of(client, f"/projects/{world.project.id}/reports")
    answer = client.post(f"/projects/{world.project.id}/reports", data={"csrf_token": token})
    assert answer.status_code == 403
    assert session.exec(select(StatusReport)).all() == []


def test_inline_edits_swap_the_report(client: TestClient, world: ProjectWorld, session: Session):
    report = make_report(session, world)
    login(client, "leader")
    headers = _htmx(client, _report_url(world, report))
    answer = client.post(
        _report_url(world, report, "/texts/summary"),
        headers=headers,
        data={"text": "Godt i gang.", "version": "1"},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<article id="report"')
    assert "Godt i gang." in answer.text and 'name="version" value="2"' in answer.text
    assert "report.updated" in answer.headers["HX-Trigger"]
    refused = client.post(
        _report_url(world, report, "/overrides/time"),
        headers=headers,
        data={"level": "red", "justification": " ", "version": "2"},
    )
    assert refused.status_code == 422
    assert 'id="overrides-time-justification-error"' in refused.text
    assert "Skriv en begrundelse, når du selv sætter trafiklyset for »Tid«." in refused.text
    done = client.post(
        _report_url(world, report, "/overrides/time"),
        headers=headers,
        data={"level": "red", "justification": "Regionen er forsinket", "version": "2"},
    )
    assert done.status_code == 200 and "Regionen er forsinket" in done.text
    stale = client.post(
        _report_url(world, report, "/texts/risks"),
        headers=headers,
        data={"text": "x", "version": "1"},
    )
    assert stale.status_code == 409 and "Posten er ændret af en anden" in stale.text
    decisions = client.post(
        _report_url(world, report, "/decisions"),
        headers=headers,
        data={
            "steering_group": "2013-03-19: Godkend uddannelsesplanen\n\n",
            "directorate": "Dato for temamødet",
            "version": "3",
        },
    )
    assert decisions.status_code == 200
    session.expire_all()
    stored = session.get(StatusReport, report.id)
    assert stored.decisions_requested == [
        {
            "asked_of": "steering_group",
            "text": "Godkend uddannelsesplanen",
            "due_date": "2013-03-19",
        },
        {"asked_of": "directorate", "text": "Dato for temamødet", "due_date": None},
    ]


def test_a_refused_override_shows_the_error_summary_at_its_form(
    client: TestClient, world: ProjectWorld, session: Session
):
    """Without htmx a refused edit answers 422 with the whole page: the error summary at the top
    of the form that was sent, linked to the field, which shows its own message and what was
    typed; the other forms show none."""
    report = make_report(session, world)
    login(client, "leader")
    token = csrf_of(client, _report_url(world, report))
    answer = client.post(
        _report_url(world, report, "/overrides/time"),
        data={"csrf_token": token, "level": "amber", "justification": " ", "version": "1"},
    )
    assert answer.status_code == 422
    assert answer.text.lstrip().lower().startswith("<!doctype html>")
    form = answer.text.split('/overrides/time"', 1)[1].split("</form>", 1)[0]
    summary = form.split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    message = "Skriv en begrundelse, når du selv sætter trafiklyset for »Tid«."
    assert f'<a href="#overrides-time-justification">{message}</a>' in summary
    assert 'id="overrides-time-justification-error"' in form
    assert '<option value="amber" selected>' in form
    assert answer.text.count("data-error-summary") == 1
    details = answer.text.split('/overrides/time"', 1)[0].rsplit("<details", 1)[1]
    assert details.startswith(' class="rp-edit no-print" open>')
    session.expire_all()
    assert session.get(StatusReport, report.id).overrides in ({}, None)


def test_settings_are_checked_field_by_field(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = make_report(session, world)
    login(client, "leader")
    headers = _htmx(client, _report_url(world, report))
    data = {
        "period_start_date": "2012-12-01",
        "period_end_date": "2013-02-28",
        "report_date": "2013-03-01",
        "next_period_end_date": "2013-05-31",
        "milestone_red_weeks": "0",
        "blocked_red_weeks": "2",
        "unused_amber_percent": "10",
        "risk_red_score": "15",
        "risk_amber_score": "8",
        "communication_red_weeks": "4",
        "version": "1",
    }
    answer = client.post(_report_url(world, report, "/settings"), headers=headers, data=data)
    assert answer.status_code == 422
    assert 'id="milestone_red_weeks-error"' in answer.text
    answer = client.post(
        _report_url(world, report, "/settings"),
        headers=headers,
        data=data | {"milestone_red_weeks": "6"},
    )
    assert answer.status_code == 200
    assert "skredet mere end 6 uger" in answer.text


def test_the_steering_group_approves_and_the_leader_issues_on_the_page(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = submitted_report(session, world)
    login(client, "steering")
    page = client.get(_report_url(world, report))
    assert "Godkend rapporten" in page.text and "Sæt trafiklyset" not in page.text
    answer = client.post(
        _report_url(world, report, "/approve"),
        headers=_htmx(client, _report_url(world, report)),
        data={"comment": "Fint", "version": "2"},
    )
    assert answer.status_code == 200 and "Godkendt af Styregruppen" in answer.text
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    login(client, "leader")
    answer = client.post(
        _report_url(world, report, "/issue"),
        headers=_htmx(client, _report_url(world, report)),
        data={"version": "3", "confirmed": "yes"},
    )
    assert answer.status_code == 200
    assert "Rapporten er udsendt og frosset" in answer.text
    session.expire_all()
    assert session.get(StatusReport, report.id).status == ReportStatus.issued


def test_the_directorate_reads_an_issued_report_and_can_change_nothing(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = issued_report(session, world)
    draft = make_report(
        session,
        world,
        period_start_date=date(2013, 3, 1),
        period_end_date=date(2013, 5, 31),
        report_date=date(2013, 5, 31),
        next_period_end_date=date(2013, 8, 31),
    )
    login(client, "directorate")
    listing = client.get(f"/projects/{world.project.id}/reports")
    assert "Under udarbejdelse" not in listing.text and "Statusrapport nr. 2" not in listing.text
    page = client.get(_report_url(world, report))
    assert page.status_code == 200
    assert "Statusrapport nr. 1" in page.text and "Testkommune" in page.text
    assert not re.search(r"<form[^>]*method=\"post\"[^>]*action=\"/projects", page.text)
    assert "<textarea" not in page.text and "<select" not in page.text
    assert client.get(_report_url(world, draft)).status_code == 403
    headers = _htmx(client, _report_url(world, report))
    for tail, data in [
        ("/texts/summary", {"text": "x"}),
        ("/issue", {}),
        ("/approve", {}),
        ("/delete", {}),
        ("/overrides/time", {"level": "red", "justification": "x"}),
    ]:
        assert (
            client.post(_report_url(world, report, tail), headers=headers, data=data).status_code
            == 403
        )
    pdf = client.get(_report_url(world, report, ".pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_dashboard_page(client: TestClient, world: ProjectWorld, session: Session):
    report = issued_report(session, world)
    login(client, "directorate")
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Statusoverblik" in page.text and "Testprojekt" in page.text
    assert f'href="/projects/{world.project.id}/reports/{report.id}"' in page.text
    assert "<form" not in page.text.split('<main id="main"', 1)[1]


def test_the_meeting_pack_page(client: TestClient, world: ProjectWorld, session: Session):
    meeting = Meeting(
        project_id=world.project.id, body_id=world.steering.id, meeting_date=date(2013, 3, 19)
    )
    session.add(meeting)
    session.commit()
    approved_report(session, world)
    login(client, "secretariat")
    page = client.get(f"/projects/{world.project.id}/meetings/{meeting.id}/pack")
    assert page.status_code == 200
    assert "Mødepakke: Styregruppen 19.03.2013" in page.text
    assert "Godkendelse af statusrapport nr. 1" in page.text
    pdf = client.get(f"/projects/{world.project.id}/meetings/{meeting.id}/pack.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    login(client, "directorate")
    assert client.get(f"/projects/{world.project.id}/meetings/{meeting.id}/pack").status_code == 403


def test_the_dashboard_lists_many_projects_a_page_at_a_time(
    client: TestClient, world: ProjectWorld, session: Session
):
    for n in range(30):
        session.add(Project(name=f"Reform {n:02d}", municipality="Svendborg Kommune"))
    session.commit()
    total = session.exec(select(func.count()).select_from(Project)).one()
    login(client, "admin")  # an administrator follows every project
    first = client.get("/dashboard").text
    assert "Reform 00" in first and "Reform 23" in first and "Reform 24" not in first
    assert f"Side 1 af 2 ({total} projekter)" in first
    second = client.get("/dashboard?page=2").text
    assert "Reform 29" in second and "Testprojekt" in second and "Reform 00" not in second


# Bad input on the report forms: 422 with the Danish message where the form shows its errors


OUT_OF_RANGE = "skal ligge mellem 01.01.1990 og 31.12.2100."
NO_VERSION = "Formularen mangler den version, ændringen er lavet ud fra"


def _settings_form(client: TestClient, world: ProjectWorld, report: StatusReport) -> dict[str, str]:
    """The fields of the report's settings form as its page renders them."""
    page = client.get(_report_url(world, report)).text
    form = page.split('/settings"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))


def test_a_new_report_dated_1800_is_refused_at_the_field(
    client: TestClient, world: ProjectWorld, session: Session
):
    login(client, "leader")
    token = csrf_of(client, f"/projects/{world.project.id}/reports")
    answer = client.post(
        f"/projects/{world.project.id}/reports",
        data={"csrf_token": token, "report_date": "1800-01-01"},
    )
    assert answer.status_code == 422
    assert 'id="report_date-error"' in answer.text
    assert f"Feltet »Statusdato« {OUT_OF_RANGE}" in answer.text
    assert session.exec(select(StatusReport)).all() == []


def test_settings_with_a_date_in_1800_are_refused_at_the_field(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = make_report(session, world)
    login(client, "leader")
    data = _settings_form(client, world, report) | {"report_date": "1800-01-01"}
    answer = client.post(
        _report_url(world, report, "/settings"),
        headers=_htmx(client, _report_url(world, report)),
        data=data,
    )
    assert answer.status_code == 422
    assert 'id="report_date-error"' in answer.text
    assert f"Feltet »Statusdato« {OUT_OF_RANGE}" in answer.text
    session.expire_all()
    assert session.get(StatusReport, report.id).version == report.version


def test_a_decision_due_in_1800_is_refused_beside_the_decisions(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = make_report(session, world)
    login(client, "leader")
    answer = client.post(
        _report_url(world, report, "/decisions"),
        headers=_htmx(client, _report_url(world, report)),
        data={"steering_group": "1800-01-01: Godkend planen", "version": "1"},
    )
    assert answer.status_code == 422
    assert 'id="decisions-error"' in answer.text
    assert f"Feltet »Frist« {OUT_OF_RANGE}" in answer.text


def test_an_approval_naming_a_meeting_beyond_64_bits_is_refused(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = submitted_report(session, world)
    login(client, "steering")
    answer = client.post(
        _report_url(world, report, "/approve"),
        headers=_htmx(client, _report_url(world, report)),
        data={"comment": "Fint", "meeting_id": str(2**63), "version": "2"},
    )
    assert answer.status_code == 422
    assert "Feltet »Møde« er et for stort tal." in answer.text
    session.expire_all()
    assert session.get(StatusReport, report.id).status == ReportStatus.submitted


def test_report_edits_without_their_version_are_refused(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = make_report(session, world)
    login(client, "leader")
    headers = _htmx(client, _report_url(world, report))
    settings = _settings_form(client, world, report)
    del settings["version"]
    for tail, data in [
        ("/texts/summary", {"text": "Godt i gang."}),
        ("/overrides/time", {"level": "red", "justification": "Regionen er forsinket"}),
        ("/decisions", {"steering_group": "Godkend planen"}),
        ("/settings", settings),
        ("/issue", {"confirmed": "yes"}),
    ]:
        for version in ({}, {"version": ""}, {"version": "to"}):
            answer = client.post(
                _report_url(world, report, tail), headers=headers, data=data | version
            )
            assert answer.status_code == 422, (tail, version)
            assert answer.text.lstrip().startswith('<article id="report"')
            assert NO_VERSION in answer.text
    session.expire_all()
    assert session.get(StatusReport, report.id).version == report.version


def test_the_approve_page_refuses_a_second_approval_from_the_same_copy(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = submitted_report(session, world)
    login(client, "steering")
    url = _report_url(world, report)
    copy = re.search(r'/approve"[^>]*>.*?name="version" value="(\d+)"', client.get(url).text, re.S)
    headers = _htmx(client, url)
    missing = client.post(url + "/approve", headers=headers, data={"comment": "Fint"})
    assert missing.status_code == 422
    assert NO_VERSION in missing.text
    session.expire_all()
    assert session.get(StatusReport, report.id).status == ReportStatus.submitted
    data = {"comment": "Fint", "version": copy.group(1)}
    first = client.post(url + "/approve", headers=headers, data=data)
    assert first.status_code == 200 and "Godkendt af Styregruppen" in first.text
    second = client.post(url + "/approve", headers=headers, data=data)
    assert second.status_code == 409
    assert second.text.lstrip().startswith('<article id="report"')
    assert "Posten er ændret af en anden, siden du hentede den" in second.text


def test_the_dashboard_and_front_page_show_a_late_milestone_as_its_page_does(
    client: TestClient, world: ProjectWorld, session: Session
):
    make_milestone(session, world, name="Aftale indgået", planned_date=date(2013, 3, 1))
    login(client, "leader")
    row = client.get(f"/projects/{world.project.id}/milestones").text
    days = re.search(r"\+(\d+) dage", row)
    assert days and "Overskredet" in row
    for url in ("/dashboard", f"/projects/{world.project.id}"):
        page = client.get(url).text
        assert "Aftale indgået" in page and "Overskredet" in page, url
        assert f"({days.group(1)} dage)" in page, url


def test_the_front_page_says_which_meeting_rule_is_not_kept(
    client: TestClient, world: ProjectWorld, session: Session
):
    """A working group that must meet its external partners at least every 92 days and never
    has: the front page says so, in the words the plans page and the report use."""
    login(client, "leader")
    assert "Mødekadence" not in client.get(f"/projects/{world.project.id}").text
    session.add(
        MeetingRule(
            project_id=world.project.id,
            body_id=world.group_a.id,
            counterpart=MeetingCounterpart.external_partners,
            meeting_interval_days=92,
        )
    )
    session.commit()
    page = client.get(f"/projects/{world.project.id}").text
    [breach] = meeting_rules.breaches(session=session, project_id=world.project.id, on=today())
    assert "Mødekadence" in page and "Ikke overholdt" in page
    assert html.escape(breach.message) in page and world.group_a.name in breach.message
