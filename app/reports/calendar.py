"""The project calendar as an iCalendar feed: meetings, external activities and milestones.

Signed-in clients fetch it from the API; calendar apps (Outlook, Google, Apple), which cannot
sign in, subscribe to a personal URL holding a random token. Only the token's SHA-256 is stored,
so the database never holds a working URL; revoking deletes the row and the URL answers 404.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlmodel import Field, Session, SQLModel, UniqueConstraint, col, select

from app.audit import service as audit
from app.auth.models import ProjectMember, User
from app.auth.security import new_token, token_hash
from app.auth.service import Access
from app.danish import format_date
from app.db import utcnow
from app.errors import NotFound
from app.governance.models import AgendaItem, Body, Meeting, Project
from app.inputs import clean_text, within_window
from app.stakeholders.activities import list_activities
from app.stakeholders.models import ACTIVITY_KIND_LABELS
from app.workstreams.models import Milestone, MilestoneStatus

TIMEZONE = ZoneInfo("Europe/Copenhagen")
MEETING_HOURS = 2
ACTIVITY_HOURS = 3
PRODID = "-//Reformstyr//Projektkalender//DA"


class CalendarToken(SQLModel, table=True):
    """A user's personal calendar subscription for one project (the token's hash only)."""

    __tablename__ = "calendar_token"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


@dataclass(frozen=True)
class CalendarEntry:
    """One event of the feed; without a start time it is an all-day event."""

    uid: str
    kind: str
    summary: str
    day: date
    start_time: time | None = None
    hours: int = 0
    location: str = ""
    description: str = ""
    sequence: int = 0


def _time(value: str) -> time | None:
    try:
        hours, minutes = value.replace(".", ":").split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None


def project_entries(*, session: Session, project_id: int) -> list[CalendarEntry]:
    """The project's meetings, dated external activities and milestones, by date."""
    entries: list[CalendarEntry] = []
    bodies = {b.id: b.name for b in session.exec(select(Body).where(Body.project_id == project_id))}
    meetings = session.exec(select(Meeting).where(Meeting.project_id == project_id)).all()
    agenda: dict[int, list[str]] = {}
    for item in session.exec(
        select(AgendaItem)
        .where(col(AgendaItem.meeting_id).in_([m.id for m in meetings]))
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    ).all():
        agenda.setdefault(item.meeting_id, []).append(item.title)
    for m in meetings:
        body = bodies.get(m.body_id, "")
        lines = ["Dagsorden:", *(f"{i}. {t}" for i, t in enumerate(agenda.get(m.id or 0, []), 1))]
        entries.append(
            CalendarEntry(
                uid=f"meeting-{m.id}-p{project_id}@reformstyr",
                kind="Møde",
                summary=f"Møde i {body}"
                + (" med projektledelsen" if m.with_project_management else ""),
                day=m.meeting_date,
                start_time=_time(m.start_time),
                hours=MEETING_HOURS,
                location=m.place,
                description="\n".join(lines) if len(lines) > 1 else "",
                sequence=m.version - 1,
            )
        )
    for view in list_activities(session=session, project_id=project_id):
        a = view.activity
        if a.activity_date is None:
            continue
        lines = [f"Arrangør: {a.organiser}"]
        if a.theme:
            lines.append(f"Tema: {a.theme}")
        if a.audience:
            lines.append(f"Deltagere: {a.audience}")
        if view.delegates:
            limit = f" (højst {a.delegate_limit})" if a.delegate_limit else ""
            lines.append(
                "Kommunens delegerede" + limit + ": " + ", ".join(p.name for p in view.delegates)
            )
        entries.append(
            CalendarEntry(
                uid=f"activity-{a.id}-p{project_id}@reformstyr",
                kind=ACTIVITY_KIND_LABELS[a.kind],
                summary=f"{ACTIVITY_KIND_LABELS[a.kind]}: {a.title}",
                day=a.activity_date,
                start_time=_time(a.start_time),
                hours=ACTIVITY_HOURS,
                location=a.place,
                description="\n".join(lines),
                sequence=a.version - 1,
            )
        )
    for ms in session.exec(select(Milestone).where(Milestone.project_id == project_id)).all():
        if ms.status == MilestoneStatus.cancelled:
            continue
        day = ms.actual_date or ms.forecast_date or ms.planned_date
        lines = [f"Planlagt: {format_date(ms.planned_date)}"]
        if ms.forecast_date:
            lines.append(f"Forventet: {format_date(ms.forecast_date)}")
        if ms.actual_date:
            lines.append(f"Nået: {format_date(ms.actual_date)}")
        owner = bodies.get(ms.group_id, "") if ms.group_id else ""
        if owner:
            lines.append(f"Gruppe: {owner}")
        entries.append(
            CalendarEntry(
                uid=f"milestone-{ms.id}-p{project_id}@reformstyr",
                kind="Milepæl",
                summary=f"Milepæl: {ms.name}",
                day=day,
                description="\n".join(lines),
                sequence=ms.version - 1,
            )
        )
    entries.sort(key=lambda e: (e.day, e.start_time or time.min, e.uid))
    return entries


def build_feed(
    *, project: Project, entries: list[CalendarEntry], stamp: datetime | None = None
) -> bytes:
    """The iCalendar (RFC 5545) text of a project's entries, times in Danish local time."""
    calendar = Calendar.new(
        name=f"{project.name} ({project.municipality})" if project.municipality else project.name,
        prodid=PRODID,
        method="PUBLISH",
        refresh_interval=timedelta(hours=1),
        uid=f"project-{project.id}@reformstyr",
    )
    calendar.add("X-PUBLISHED-TTL", timedelta(hours=1))
    stamp = stamp or utcnow()
    for e in entries:
        day = within_window(e.day)
        if e.start_time is None:
            start: date | datetime = day
            end: date | datetime = day + timedelta(days=1)
        else:
            start = datetime.combine(day, e.start_time, tzinfo=TIMEZONE)
            end = start + timedelta(hours=e.hours)
        event = Event.new(
            uid=e.uid,
            summary=clean_text(e.summary),
            start=start,
            end=end,
            stamp=stamp,
            categories=[e.kind],
            sequence=e.sequence,
        )
        # iCalendar allows no control characters but tab (RFC 5545, 3.3.11): text stored
        # before app.inputs cleaned input may still hold them.
        if e.location:
            event.add("LOCATION", clean_text(e.location))
        if e.description:
            event.add("DESCRIPTION", clean_text(e.description))
        event.add("TRANSP", "TRANSPARENT" if e.start_time is None else "OPAQUE")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def project_feed(*, session: Session, project_id: int) -> bytes:
    """The whole project's calendar as iCalendar text."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("Projektet findes ikke.")
    return build_feed(
        project=project, entries=project_entries(session=session, project_id=project_id)
    )


def feed_token(*, session: Session, project_id: int, user_id: int) -> CalendarToken | None:
    """The user's calendar subscription for the project, if any."""
    return session.exec(
        select(CalendarToken).where(
            CalendarToken.project_id == project_id, CalendarToken.user_id == user_id
        )
    ).first()


def create_feed_token(*, session: Session, by: Access) -> str:
    """A new personal calendar URL token for the caller (replacing an earlier one), shown once."""
    token = new_token()
    existing = feed_token(session=session, project_id=by.project_id, user_id=by.user.id or 0)
    if existing is not None:
        session.delete(existing)
        session.flush()
    row = CalendarToken(
        project_id=by.project_id, user_id=by.user.id or 0, token_hash=token_hash(token)
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="renewed" if existing else "created",
        entity="calendar_token",
        entity_id=row.id,
        project_id=by.project_id,
        after={"user_id": by.user.id},
    )
    session.commit()
    return token


def revoke_feed_token(*, session: Session, by: Access) -> None:
    """Stop the caller's calendar URL at once (a calendar app then gets 404)."""
    existing = feed_token(session=session, project_id=by.project_id, user_id=by.user.id or 0)
    if existing is None:
        raise NotFound("Du har ingen kalenderadresse for dette projekt.")
    session.delete(existing)
    audit.record(
        session=session,
        by=by.user,
        action="revoked",
        entity="calendar_token",
        entity_id=existing.id,
        project_id=by.project_id,
        before={"user_id": by.user.id},
    )
    session.commit()


def feed_for_token(*, session: Session, token: str) -> bytes:
    """The feed a personal URL gives; NotFound for an unknown or revoked token, a disabled
    account or a user who no longer has access to the project (nothing tells them apart)."""
    row = session.exec(
        select(CalendarToken).where(CalendarToken.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise NotFound("Kalenderen findes ikke.")
    user = session.get(User, row.user_id)
    still_member = user is not None and (
        user.is_admin
        or session.exec(
            select(ProjectMember.id).where(
                ProjectMember.project_id == row.project_id, ProjectMember.user_id == row.user_id
            )
        ).first()
        is not None
    )
    if user is None or not user.is_active or not still_member:
        raise NotFound("Kalenderen findes ikke.")
    return project_feed(session=session, project_id=row.project_id)
