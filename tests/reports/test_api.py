"""The reports' API: status reports through their workflow, the Gantt figure, the dashboard
and the meeting pack, refusals included."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.governance.models import Meeting
from app.reports.models import StatusReport
from tests.factories import ProjectWorld, bearer
from tests.reports.factories import issued_report, make_report, submitted_report
from tests.workstreams.factories import approved_plan, make_milestone, make_task

NEW = {
    "period_start_date": "2012-12-01",
    "period_end_date": "2013-02-28",
    "report_date": "2013-03-01",
    "next_period_end_date": "2013-05-31",
}


def _url(world: ProjectWorld, tail: str = "") -> str:
    return f"/api/projects/{world.project.id}/status-reports{tail}"


def test_the_workflow_through_the_api(client: TestClient, world: ProjectWorld):
    leader, steering = bearer(client, "leader"), bearer(client, "steering")
    answer = client.post(_url(world), json=NEW, headers=leader)
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert report["status"] == "draft" and report["frozen"] is False
    assert report["content"]["report"]["period_start_date"] == "2012-12-01"
    rid = report["id"]
    answer = client.patch(
        _url(world, f"/{rid}"),
        headers=leader,
        json={
            "texts": {"summary": "Godt i gang"},
            "overrides": {"risks": {"level": "amber", "justification": "Håndteres af Regionen"}},
            "version": 1,
        },
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["content"]["lights"]["risks"] == "amber"
    answer = client.post(_url(world, f"/{rid}/submit"), headers=leader, json={"version": 2})
    assert answer.status_code == 200 and answer.json()["status"] == "submitted"
    answer = client.post(
        _url(world, f"/{rid}/approve"), headers=steering, json={"comment": "OK", "version": 3}
    )
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    answer = client.post(_url(world, f"/{rid}/issue"), headers=leader, json={"version": 4})
    assert answer.status_code == 200, answer.text
    issued = answer.json()
    assert issued["status"] == "issued" and issued["frozen"] and issued["pdf_sha256"]
    assert issued["overall_level"] == "amber"
    pdf = client.get(_url(world, f"/{rid}.pdf"), headers=bearer(client, "directorate"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="statusrapport-1-2013-03-01.pdf"' in pdf.headers["content-disposition"]


@pytest.mark.parametrize("name", ["steering", "member_a", "directorate", "secretariat"])
def test_only_the_leader_drafts_through_the_api(
    client: TestClient, world: ProjectWorld, session: Session, name: str
):
    answer = client.post(_url(world), json=NEW, headers=bearer(client, name))
    assert answer.status_code == 403
    assert session.exec(select(StatusReport)).all() == []


def test_the_outsider_is_refused(client: TestClient, world: ProjectWorld):
    assert client.get(_url(world), headers=bearer(client, "outsider")).status_code == 403


def test_invalid_input_answers_422_naming_the_field(
    client: TestClient, world: ProjectWorld, session: Session
):
    answer = client.post(
        _url(world), headers=bearer(client, "leader"), json=NEW | {"period_end_date": "2012-11-01"}
    )
    assert answer.status_code == 422
    [detail] = answer.json()["errors"]
    assert detail["field"] == "period_end_date"
    assert (
        detail["message"]
        == "Periodens slutdato (01.11.2012) ligger før dens startdato (01.12.2012)."
    )
    answer = client.post(
        _url(world),
        headers=bearer(client, "leader"),
        json=NEW | {"tolerances": {"milestone_red_weeks": 0}},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "tolerances.milestone_red_weeks"
    assert session.exec(select(StatusReport)).all() == []


def test_overrides_need_a_justification(client: TestClient, world: ProjectWorld, session: Session):
    report = make_report(session, world)
    answer = client.patch(
        _url(world, f"/{report.id}"),
        headers=bearer(client, "leader"),
        json={"overrides": {"time": {"level": "red"}}, "version": report.version},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "overrides.time.justification"


def test_outdated_versions_and_wrong_states_answer_409(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = make_report(session, world)
    leader = bearer(client, "leader")
    answer = client.patch(
        _url(world, f"/{report.id}"), headers=leader, json={"texts": {"summary": "x"}, "version": 9}
    )
    assert answer.status_code == 409
    answer = client.post(_url(world, f"/{report.id}/issue"), headers=leader)
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "Rapporten skal godkendes af styregruppen, før den kan udsendes."
    )


def test_approving_is_for_the_steering_group(
    client: TestClient, world: ProjectWorld, session: Session
):
    report = submitted_report(session, world)
    for name in ("leader", "directorate", "secretariat"):
        answer = client.post(_url(world, f"/{report.id}/approve"), headers=bearer(client, name))
        assert answer.status_code == 403
    session.expire_all()
    assert session.get(StatusReport, report.id).status == "submitted"


def test_the_directorate_sees_issued_reports_only(
    client: TestClient, world: ProjectWorld, session: Session
):
    issued = issued_report(session, world)
    draft = make_report(
        session,
        world,
        period_start_date=date(2013, 3, 1),
        period_end_date=date(2013, 5, 31),
        report_date=date(2013, 5, 31),
        next_period_end_date=date(2013, 8, 31),
    )
    directorate = bearer(client, "directorate")
    listed = client.get(_url(world), headers=directorate).json()
    assert [r["id"] for r in listed] == [issued.id]
    answer = client.get(_url(world, f"/{draft.id}"), headers=directorate)
    assert answer.status_code == 403
    assert (
        answer.json()["detail"]
        == "Med rollen »Direktion« kan man kun læse udsendte statusrapporter."
    )
    assert client.get(_url(world, f"/{draft.id}.pdf"), headers=directorate).status_code == 403
    assert (
        client.patch(
            _url(world, f"/{issued.id}"), headers=directorate, json={"texts": {"summary": "x"}}
        ).status_code
        == 403
    )
    frozen = client.get(_url(world, f"/{issued.id}"), headers=directorate).json()
    assert frozen["frozen"] and frozen["content"] == issued.snapshot


def test_deleting(client: TestClient, world: ProjectWorld, session: Session):
    issued = issued_report(session, world)
    leader = bearer(client, "leader")
    refused = client.delete(
        _url(world, f"/{issued.id}"), params={"version": issued.version}, headers=leader
    )
    assert refused.status_code == 409
    draft = make_report(
        session,
        world,
        period_start_date=date(2013, 3, 1),
        period_end_date=date(2013, 5, 31),
        report_date=date(2013, 5, 31),
        next_period_end_date=date(2013, 8, 31),
    )
    draft_id, draft_version = draft.id, draft.version
    assert (
        client.delete(_url(world, f"/{draft_id}"), headers=bearer(client, "steering")).status_code
        == 403
    )
    gone = client.delete(
        _url(world, f"/{draft_id}"), params={"version": draft_version}, headers=leader
    )
    assert gone.status_code == 204
    assert client.get(_url(world, f"/{draft_id}"), headers=leader).status_code == 404


def test_the_gantt_figure(client: TestClient, world: ProjectWorld, session: Session):
    approved_plan(session, world)
    make_task(session, world, title="Blokeret", status="blocked", group_id=world.group_b.id)
    url = f"/api/projects/{world.project.id}/gantt"
    answer = client.get(
        url,
        headers=bearer(client, "directorate"),
        params={"start": "2013-01-01", "end": "2013-03-31"},
    )
    assert answer.status_code == 200
    figure = answer.json()
    names = [t["name"] for t in figure["data"]]
    assert "Status: Blokeret" in names and "Godkendt plan (baseline)" in names
    assert len(names) <= 10
    assert figure["layout"]["xaxis"]["range"] == ["2013-01-01", "2013-04-01"]
    assert figure["layout"]["xaxis"]["ticktext"][0] == "uge 2<br>jan 2013"
    filtered = client.get(
        url,
        headers=bearer(client, "member_a"),
        params={
            "group_id": world.group_b.id,
            "status": "blocked",
            "start": "2013-01-01",
            "end": "2013-03-31",
        },
    ).json()
    bars = [t for t in filtered["data"] if t["name"].startswith("Status: ")]
    assert [t["name"] for t in bars] == ["Status: Blokeret"]
    wrong = client.get(url, headers=bearer(client, "leader"), params={"status": "venter"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "status"
    assert client.get(url, headers=bearer(client, "outsider")).status_code == 403
    assert client.get(url).status_code == 401


def test_the_dashboard(client: TestClient, world: ProjectWorld, session: Session):
    issued_report(session, world)
    answer = client.get("/api/dashboard", headers=bearer(client, "directorate"))
    assert answer.status_code == 200
    board = answer.json()
    assert [p["name"] for p in board["projects"]] == ["Testprojekt"]
    project = board["projects"][0]
    assert project["overall_level"] == "amber" and project["last_report"]["number"] == 1
    assert board["issued_total"] == 1 and board["issued_reports"][0]["project"] == "Testprojekt"
    outsider = client.get("/api/dashboard", headers=bearer(client, "outsider")).json()
    assert [p["name"] for p in outsider["projects"]] == ["Andet projekt"]
    assert outsider["issued_reports"] == []


def test_the_dashboard_pages_by_offset_and_limit(
    client: TestClient, world: ProjectWorld, session: Session
):
    """Projects by `offset`/`limit` (X-Total-Count, Link), issued reports by
    `reports_offset`/`reports_limit` (their number in issued_total), like every list."""
    issued_report(session, world)
    headers = bearer(client, "directorate")
    first = client.get("/api/dashboard", params={"limit": 1}, headers=headers)
    assert first.status_code == 200 and first.headers["X-Total-Count"] == "1"
    assert [p["name"] for p in first.json()["projects"]] == ["Testprojekt"]
    past = client.get("/api/dashboard", params={"offset": 1, "limit": 1}, headers=headers)
    assert past.json()["projects"] == [] and 'rel="prev"' in past.headers["Link"]
    reports = client.get(
        "/api/dashboard", params={"reports_offset": 1, "reports_limit": 1}, headers=headers
    ).json()
    assert reports["issued_reports"] == [] and reports["issued_total"] == 1
    too_many = client.get("/api/dashboard", params={"reports_limit": 501}, headers=headers)
    assert too_many.status_code == 422


def test_the_meeting_pack(client: TestClient, world: ProjectWorld, session: Session):
    steering_meeting = Meeting(
        project_id=world.project.id, body_id=world.steering.id, meeting_date=date(2013, 3, 19)
    )
    group_meeting = Meeting(
        project_id=world.project.id, body_id=world.group_a.id, meeting_date=date(2013, 3, 12)
    )
    session.add_all([steering_meeting, group_meeting])
    session.commit()
    make_report(session, world)
    url = f"/api/projects/{world.project.id}/meetings/{{}}/pack"
    answer = client.get(url.format(steering_meeting.id), headers=bearer(client, "secretariat"))
    assert answer.status_code == 200
    found = answer.json()
    assert found["meeting"]["meeting_date"] == "2013-03-19"
    assert found["reports_awaiting_approval"][0]["number"] == 1
    for name in ("leader", "steering"):
        assert (
            client.get(url.format(steering_meeting.id), headers=bearer(client, name)).status_code
            == 200
        )
    for name in ("member_a", "directorate"):
        assert (
            client.get(url.format(steering_meeting.id), headers=bearer(client, name)).status_code
            == 403
        )
    assert (
        client.get(url.format(group_meeting.id), headers=bearer(client, "secretariat")).status_code
        == 404
    )


def test_the_dashboard_shows_open_milestones_as_the_milestones_api_measures_them(
    client: TestClient, world: ProjectWorld, session: Session
):
    late = make_milestone(session, world, name="Aftale indgået", planned_date=date(2013, 3, 1))
    make_milestone(session, world, name="Seminar holdt", planned_date=date(2013, 4, 2))
    leader, directorate = bearer(client, "leader"), bearer(client, "directorate")
    day = {"as_of": "2013-03-15"}
    board = client.get("/api/dashboard", params=day, headers=directorate).json()
    [line] = [p for p in board["projects"] if p["id"] == world.project.id]
    shown = [(m["name"], m["health"], m["slippage_days"]) for m in line["next_milestones"]]
    # The milestone open after its date comes first, slipped to the day it is seen.
    assert shown == [("Aftale indgået", "overdue", 14), ("Seminar holdt", "on_track", 0)]
    url = f"/api/projects/{world.project.id}/milestones/{late.id}"
    assert client.get(url, params=day, headers=leader).json()["slippage_days"] == 14
    later = client.get("/api/dashboard", params={"as_of": "2013-04-15"}, headers=directorate)
    [line] = [p for p in later.json()["projects"] if p["id"] == world.project.id]
    assert [m["slippage_days"] for m in line["next_milestones"]] == [45, 13]
    assert (
        client.get("/api/dashboard", params={"as_of": "2013-02-30"}, headers=leader).status_code
        == 422
    )
