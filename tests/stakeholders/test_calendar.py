"""The project calendar (app/reports/calendar.py): the feed, parsed back with icalendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.service import access_for
from app.governance.models import AgendaItem, Meeting
from app.reports import calendar
from app.reports.calendar import CalendarToken
from app.workstreams.models import Milestone, MilestoneStatus
from tests.factories import bearer, csrf_of, login, make_person
from tests.stakeholders.factories import make_activity

CPH = ZoneInfo("Europe/Copenhagen")


def fill(session, world):
    meeting = Meeting(
        project_id=world.project.id,
        body_id=world.steering.id,
        meeting_date=date(2012, 11, 27),
        start_time="13:00",
        place="Rådhuset",
    )
    session.add(meeting)
    session.flush()
    session.add(AgendaItem(meeting_id=meeting.id, position=1, title="Godkendelse af planer"))
    person = make_person(session, world.project, name="Birgit Bagge")
    make_activity(
        session,
        world.project,
        title="Netværksmøde",
        activity_date=date(2012, 12, 13),
        organiser="Beskæftigelsesregion Syddanmark",
        theme="Hvordan tilrettelægger kommunen en rehabiliteringsindsats",
        delegates=(person.id,),
        delegate_limit=3,
    )
    make_activity(session, world.project, title="Politisk seminar")  # no date: not in the feed
    session.add(
        Milestone(
            project_id=world.project.id,
            group_id=world.group_a.id,
            name="Rehabiliteringsteamet er etableret",
            planned_date=date(2013, 1, 1),
            forecast_date=date(2013, 1, 15),
        )
    )
    session.add(
        Milestone(
            project_id=world.project.id,
            name="Udgået milepæl",
            planned_date=date(2013, 2, 1),
            status=MilestoneStatus.cancelled,
        )
    )
    session.commit()


def events(body: bytes) -> dict[str, object]:
    parsed = Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}


def test_the_feed_holds_meetings_dated_activities_and_milestones(session, world):
    fill(session, world)
    body = calendar.project_feed(session=session, project_id=world.project.id)
    parsed = Calendar.from_ical(body)
    assert str(parsed["X-WR-CALNAME"]).startswith("Testprojekt")
    found = events(body)
    assert set(found) == {
        "Møde i Styregruppen",
        "Netværk: Netværksmøde",
        "Milepæl: Rehabiliteringsteamet er etableret",
    }
    meeting = found["Møde i Styregruppen"]
    assert meeting.decoded("DTSTART") == datetime(2012, 11, 27, 13, 0, tzinfo=CPH)
    assert meeting.decoded("DTEND") == datetime(2012, 11, 27, 15, 0, tzinfo=CPH)
    assert str(meeting["LOCATION"]) == "Rådhuset"
    assert "1. Godkendelse af planer" in str(meeting["DESCRIPTION"])
    network = found["Netværk: Netværksmøde"]
    assert network.decoded("DTSTART") == date(2012, 12, 13)
    description = str(network["DESCRIPTION"])
    assert "Arrangør: Beskæftigelsesregion Syddanmark" in description
    assert "Kommunens delegerede (højst 3): Birgit Bagge" in description
    milestone = found["Milepæl: Rehabiliteringsteamet er etableret"]
    assert milestone.decoded("DTSTART") == date(2013, 1, 15)  # the forecast, not the plan
    assert "Planlagt: 01.01.2013" in str(milestone["DESCRIPTION"])
    uids = [str(e["UID"]) for e in found.values()]
    assert len(set(uids)) == 3
    assert parsed.walk("VTIMEZONE")[0]["TZID"] == "Europe/Copenhagen"


def test_signed_in_clients_get_the_feed_from_the_api(client, world, session):
    fill(session, world)
    answer = client.get(
        f"/api/projects/{world.project.id}/calendar.ics", headers=bearer(client, "directorate")
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert "Møde i Styregruppen" in events(answer.content)
    assert client.get(f"/api/projects/{world.project.id}/calendar.ics").status_code == 401
    assert (
        client.get(
            f"/api/projects/{world.project.id}/calendar.ics", headers=bearer(client, "outsider")
        ).status_code
        == 403
    )


def test_a_personal_token_url_works_without_sign_in_until_revoked(client, world, session):
    fill(session, world)
    headers = bearer(client, "member_a")
    created = client.post(f"/api/projects/{world.project.id}/calendar/token", headers=headers)
    assert created.status_code == 201
    url = created.json()["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert created.json()["webcal_url"].startswith("webcal://")
    stored = session.exec(select(CalendarToken)).one()
    assert stored.token_hash != token and token not in stored.token_hash
    client.cookies.clear()
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200 and "Netværk: Netværksmøde" in events(feed.content)
    status = client.get(f"/api/projects/{world.project.id}/calendar/token", headers=headers)
    assert status.json()["active"] is True and status.json()["url"] is None
    wrong = client.get(f"/calendar/{token[:-2]}xx.ics")
    assert wrong.status_code == 404 and b"VCALENDAR" not in wrong.content
    assert (
        client.delete(
            f"/api/projects/{world.project.id}/calendar/token", headers=headers
        ).status_code
        == 204
    )
    revoked = client.get(f"/calendar/{token}.ics")
    assert revoked.status_code == 404 and b"BEGIN:VEVENT" not in revoked.content
    actions = [
        e.action
        for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "calendar_token"))
    ]
    assert actions == ["created", "revoked"]


def test_a_new_token_replaces_the_old_and_lost_access_ends_the_feed(client, world, session):
    access = access_for(
        session=session, user=world.users["directorate"], project_id=world.project.id
    )
    first = calendar.create_feed_token(session=session, by=access)
    second = calendar.create_feed_token(session=session, by=access)
    assert client.get(f"/calendar/{first}.ics").status_code == 404
    assert client.get(f"/calendar/{second}.ics").status_code == 200
    world.users["directorate"].is_active = False
    session.add(world.users["directorate"])
    session.commit()
    assert client.get(f"/calendar/{second}.ics").status_code == 404


def test_the_calendar_page_shows_the_url_once_and_revokes_it(client, world, session):
    fill(session, world)
    login(client, "steering")
    page = client.get(f"/projects/{world.project.id}/calendar")
    assert page.status_code == 200 and "Møde i Styregruppen" in page.text
    assert "Opret kalenderadresse" in page.text
    token = csrf_of(client, f"/projects/{world.project.id}/calendar")
    created = client.post(
        f"/projects/{world.project.id}/calendar/token",
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert created.status_code == 200 and 'id="calendar-subscription"' in created.text
    assert "/calendar/" in created.text and "webcal://" in created.text
    again = client.get(f"/projects/{world.project.id}/calendar")
    assert "Du har en aktiv kalenderadresse" in again.text and "webcal://" not in again.text
    assert client.post(f"/projects/{world.project.id}/calendar/token/revoke").status_code == 403
    revoked = client.post(
        f"/projects/{world.project.id}/calendar/token/revoke", data={"csrf_token": token}
    )
    assert revoked.status_code == 200 and "Opret kalenderadresse" in revoked.text
    assert session.exec(select(CalendarToken)).all() == []
