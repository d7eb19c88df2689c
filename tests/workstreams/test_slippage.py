"""One milestone, one slippage (docs/workstreams.md »Slippage«): a milestone measured on a day
shows the same number of days late on its page, its group's page, the meeting pack, a status
report drafted that day and in the API — and a milestone still open after its date has slipped
at least to that day."""

from datetime import timedelta

import pytest

from app import clock
from app.reports import service as reports
from app.reports.schemas import StatusReportCreate
from app.workstreams import milestones
from tests.factories import bearer, login
from tests.workstreams.factories import access, make_meeting, make_milestone


def _days(today, planned, forecast):
    return {
        "planned_date": today + timedelta(days=planned),
        "forecast_date": None if forecast is None else today + timedelta(days=forecast),
    }


@pytest.mark.parametrize(
    ("planned", "forecast", "slip", "health"),
    [
        (-20, None, 20, "overdue"),  # past its date, no forecast: late until today
        (-30, -10, 30, "overdue"),  # its forecast is past too: still late until today
        (-30, 10, 40, "slipping"),  # a forecast ahead: late until the forecast
        (10, 24, 14, "slipping"),
        (10, None, 0, "on_track"),
    ],
)
def test_every_face_shows_the_one_slippage(client, world, session, planned, forecast, slip, health):
    today = clock.today()
    m = make_milestone(session, world, name="Politisk seminar", **_days(today, planned, forecast))
    project = world.project.id
    [view], _ = milestones.list_milestones(session=session, project_id=project, on=today)
    assert (view.slippage_days, view.health) == (slip, health)

    api = client.get(f"/api/projects/{project}/milestones/{m.id}", headers=bearer(client, "leader"))
    assert api.json()["slippage_days"] == slip

    shown = f"+{slip} dage" if slip else "Ingen"
    login(client, "leader")
    for path in ("milestones", f"groups/{world.group_a.id}"):
        html = client.get(f"/projects/{project}/{path}").text
        assert shown in html, path

    meeting = make_meeting(session, world, world.steering, today)
    pack = client.get(f"/projects/{project}/meetings/{meeting.id}/pack").text
    assert (f'<td class="num">{slip}</td>' in pack) == (health != "on_track")

    report = reports.create_report(
        session=session,
        by=access(session, world, "leader"),
        data=StatusReportCreate(report_date=today),
    )
    content = reports.content_of(session=session, report=report)
    assert content["milestone_slips"][str(m.id)] == slip


def test_the_api_judges_milestones_tasks_and_compliance_as_of_a_day(client, world, session):
    today = clock.today()
    m = make_milestone(session, world, planned_date=today - timedelta(days=20))
    headers = bearer(client, "leader")
    base = f"/api/projects/{world.project.id}"
    for as_of, slip in ((today - timedelta(days=30), 0), (today + timedelta(days=5), 25)):
        params = {"as_of": as_of.isoformat()}
        one = client.get(f"{base}/milestones/{m.id}", headers=headers, params=params).json()
        listed = client.get(f"{base}/milestones", headers=headers, params=params).json()
        assert one["slippage_days"] == [x["slippage_days"] for x in listed if x["id"] == m.id][0]
        assert one["slippage_days"] == slip
    late = client.get(f"{base}/tasks", headers=headers, params={"overdue": True}).json()
    assert late == []
    refused = client.get(f"{base}/plan-compliance", headers=headers, params={"as_of": "1800-01-01"})
    assert refused.status_code == 422
