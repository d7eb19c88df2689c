"""A meeting's invitation as iCalendar (RFC 5546, METHOD:REQUEST): the one event, with the
same UID as the project calendar's feed (app/reports/calendar.py), so a calendar app that holds
both sees one meeting; its SEQUENCE follows the meeting's version."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from app.config import get_settings
from app.db import utcnow
from app.inputs import clean_text

TIMEZONE = ZoneInfo("Europe/Copenhagen")
MEETING_HOURS = 2
PRODID = "-//Reformstyr//Mødeindkaldelse//DA"
ONE_DAY = timedelta(days=1)


def _start(day: date, start_time: str) -> date | datetime:
    """The meeting's start in Danish time; a meeting without a time is an all-day event."""
    try:
        hours, minutes = start_time.replace(".", ":").split(":")
        return datetime.combine(day, time(int(hours), int(minutes)), tzinfo=TIMEZONE)
    except ValueError:
        return day


def meeting_request(
    *,
    meeting_id: int,
    project_id: int,
    summary: str,
    day: date,
    start_time: str,
    place: str,
    agenda: list[str],
    attendees: list[tuple[str, str]],
    sequence: int = 0,
    url: str = "",
) -> bytes:
    """The invitation to one meeting; `attendees` are (name, e-mail) pairs."""
    calendar = Calendar.new(prodid=PRODID, method="REQUEST")
    start = _start(day, start_time)
    end = start + (timedelta(hours=MEETING_HOURS) if isinstance(start, datetime) else ONE_DAY)
    event = Event.new(
        uid=f"meeting-{meeting_id}-p{project_id}@reformstyr",
        summary=clean_text(summary),
        start=start,
        end=end,
        stamp=utcnow(),
        sequence=sequence,
    )
    if place:
        event.add("LOCATION", clean_text(place))
    lines = [f"{i}. {title}" for i, title in enumerate(agenda, 1)]
    description = "Dagsorden:\n" + "\n".join(lines) if lines else "Dagsordenen følger."
    if url:
        description += f"\n\nMødet i Reformstyr: {url}"
    event.add("DESCRIPTION", clean_text(description))
    organizer = vCalAddress(f"mailto:{_address(get_settings().mail_from)}")
    organizer.params["cn"] = vText("Reformstyr")
    event.add("ORGANIZER", organizer)
    for name, email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("ATTENDEE", attendee, encode=False)
    event.add("STATUS", "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _address(sender: str) -> str:
    """The address in "Name <address>" (or the text as it is)."""
    if "<" in sender and sender.endswith(">"):
        return sender.rsplit("<", 1)[1][:-1]
    return sender
