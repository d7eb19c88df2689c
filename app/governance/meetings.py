"""Meetings of the bodies: date, time, place, agenda, attendance (ad hoc members called in and
why) and minutes. The secretariat and the project leader prepare them; one commit per use case.

The agenda is numbered 1, 2, 3 … without gaps (`position`): adding puts an item last, taking
one off closes the gap, moving one shifts those between. Minutes are written per agenda item,
besides the meeting's general minutes; publishing them is a step that tells the body's members.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.clock import COPENHAGEN, today
from app.danish import format_date
from app.db import get_for_update, project_row, stored_id, utcnow
from app.errors import Invalid, NotFound, check_version, require_version
from app.governance import handoffs
from app.governance.bodies import (
    PLAN_APPROVER,
    REPORT_APPROVER,
    body_in_project,
    find_governing_body,
    get_body,
)
from app.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Decision,
    Meeting,
    Membership,
    Person,
    Project,
)
from app.governance.people import people, person_in_project
from app.governance.references import refuse_if_used
from app.governance.schemas import (
    AgendaItemCreate,
    AgendaItemMove,
    AgendaItemUpdate,
    AttendanceSet,
    ItemMinutesUpdate,
    MeetingCreate,
    MeetingUpdate,
    MinutesPublish,
    MinutesUpdate,
)
from app.notifications import events
from app.notifications import service as notifications
from app.notifications.models import NotificationKind

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")

ATTENDANCE_LABELS = {
    AttendanceStatus.present: "Til stede",
    AttendanceStatus.absent: "Afbud",
    AttendanceStatus.called_in: "Indkaldt ad hoc",
}


def list_meetings(
    *,
    session: Session,
    project_id: int,
    body_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Meeting], int]:
    """A page of the project's meetings, newest first, optionally of one body, with the total."""
    query = select(Meeting).where(Meeting.project_id == project_id)
    if body_id is not None:
        query = query.where(Meeting.body_id == body_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(
            col(Meeting.meeting_date).desc(), col(Meeting.start_time).desc(), col(Meeting.id).desc()
        )
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def get_meeting(
    *, session: Session, project_id: int, meeting_id: int, lock: bool = False
) -> Meeting:
    """A meeting of this project, or NotFound."""
    return project_row(
        Meeting,
        meeting_id,
        session=session,
        project_id=project_id,
        missing="Mødet findes ikke i dette projekt.",
        lock=lock,
    )


def _normalise_time(value: str) -> str:
    """'13.00' or '9:30' as '13:00' / '09:30'; empty stays empty."""
    value = value.strip()
    if not value:
        return ""
    match = TIME.match(value)
    if match is None:
        raise Invalid(
            f"Tidspunktet »{value}« skal skrives som TT:MM, f.eks. 13:00.", field="start_time"
        )
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _check_meeting(meeting: Meeting, body: Body) -> None:
    if meeting.meeting_date is None:
        raise Invalid("Mødet skal have en dato.", field="meeting_date")
    meeting.start_time = _normalise_time(meeting.start_time)
    meeting.place = meeting.place.strip()
    if body.kind == BodyKind.project_management:
        # The flag tells when a body met the project management; the management does not meet
        # itself.
        meeting.with_project_management = False


def create_meeting(*, session: Session, by: Access, data: MeetingCreate) -> Meeting:
    """Plan a meeting of a body (date required); a group's meeting is with the project management
    unless told otherwise, and with external partners only when told so."""
    body = body_in_project(session=session, project_id=by.project_id, body_id=data.body_id)
    assert body is not None
    with_pm = data.with_project_management
    if with_pm is None:
        with_pm = body.kind == BodyKind.implementation_group
    meeting = Meeting(
        project_id=by.project_id,
        body_id=stored_id(body),
        meeting_date=data.meeting_date,  # type: ignore[arg-type]
        start_time=data.start_time,
        place=data.place,
        with_project_management=with_pm,
        with_external_partners=data.with_external_partners,
        minutes=data.minutes,
    )
    _check_meeting(meeting, body)
    session.add(meeting)
    session.flush()
    audit.log(session=session, by=by, action="created", row=meeting)
    events.meeting_called(session, by=by, meeting=meeting)
    session.commit()
    return meeting


def update_meeting(
    *, session: Session, by: Access, meeting_id: int, data: MeetingUpdate
) -> Meeting:
    """Change a meeting's date, time, place, flag or minutes."""
    meeting = get_meeting(
        session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True
    )
    require_version(meeting, data.version)
    before = audit.snapshot(meeting)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("start_time", "place", "minutes"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    for flag in ("with_project_management", "with_external_partners"):
        if changes.get(flag, False) is None:
            del changes[flag]
    meeting.sqlmodel_update(changes)
    _check_meeting(
        meeting, get_body(session=session, project_id=by.project_id, body_id=meeting.body_id)
    )
    meeting.version += 1
    audit.log(session=session, by=by, action="updated", row=meeting, before=before)
    session.commit()
    return meeting


def update_minutes(
    *, session: Session, by: Access, meeting_id: int, data: MinutesUpdate
) -> Meeting:
    """Write or correct a meeting's minutes (referat)."""
    meeting = get_meeting(
        session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True
    )
    require_version(meeting, data.version)
    before = {"minutes": meeting.minutes, "version": meeting.version}
    meeting.minutes = data.minutes.strip()
    meeting.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="minutes_updated",
        entity="meeting",
        entity_id=meeting.id,
        project_id=by.project_id,
        before=before,
        after={"minutes": meeting.minutes, "version": meeting.version},
    )
    session.commit()
    return meeting


def delete_meeting(*, session: Session, by: Access, meeting_id: int, version: int | None) -> None:
    """Cancel a meeting with its agenda and attendance; refused once decisions refer to it."""
    meeting = get_meeting(
        session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True
    )
    require_version(meeting, version)
    refuse_if_used(
        session=session,
        table="meeting",
        item_id=meeting_id,
        what=f"Mødet den {meeting.meeting_date:%d.%m.%Y}",
        ignore={"agenda_item", "attendance"},
    )
    before = audit.snapshot(meeting) | {
        "agenda": [audit.snapshot(a) for a in agenda(session=session, meeting_id=meeting_id)]
    }
    session.delete(meeting)
    audit.log(session=session, by=by, action="deleted", row=meeting, before=before)
    session.commit()


def last_meeting_with_project_management(*, session: Session, group_id: int) -> date | None:
    """When the group last met the project management (None if never)."""
    return session.exec(
        select(func.max(Meeting.meeting_date)).where(
            Meeting.body_id == group_id, col(Meeting.with_project_management).is_(True)
        )
    ).one()


# Agenda ---------------------------------------------------------------------------------------


def agenda(*, session: Session, meeting_id: int) -> list[AgendaItem]:
    """A meeting's agenda items, in order."""
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all()
    )


def get_agenda_item(
    *, session: Session, project_id: int, meeting_id: int, item_id: int, lock: bool = False
) -> AgendaItem:
    """An agenda item of a meeting of this project, or NotFound."""
    get_meeting(session=session, project_id=project_id, meeting_id=meeting_id)
    item = (
        get_for_update(session=session, model=AgendaItem, item_id=item_id)
        if lock
        else session.get(AgendaItem, item_id)
    )
    if item is None or item.meeting_id != meeting_id:
        raise NotFound("Dagsordenspunktet findes ikke.")
    return item


def _check_agenda_item(item: AgendaItem) -> None:
    item.title = item.title.strip()
    if not item.title:
        raise Invalid("Dagsordenspunktet skal have en overskrift.", field="title")


def add_agenda_item(
    *, session: Session, by: Access, meeting_id: int, data: AgendaItemCreate
) -> AgendaItem:
    """Put an item on a meeting's agenda, after the others."""
    get_meeting(session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True)
    last = session.exec(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    ).one()
    item = AgendaItem(meeting_id=meeting_id, position=(last or 0) + 1, **data.model_dump())
    _check_agenda_item(item)
    session.add(item)
    session.flush()
    audit.log(session=session, by=by, action="created", row=item)
    session.commit()
    return item


def update_agenda_item(
    *, session: Session, by: Access, meeting_id: int, item_id: int, data: AgendaItemUpdate
) -> AgendaItem:
    """Change an agenda item's title or description."""
    item = get_agenda_item(
        session=session, project_id=by.project_id, meeting_id=meeting_id, item_id=item_id, lock=True
    )
    require_version(item, data.version)
    before = audit.snapshot(item)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("title", "description"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    item.sqlmodel_update(changes)
    _check_agenda_item(item)
    item.version += 1
    audit.log(session=session, by=by, action="updated", row=item, before=before)
    session.commit()
    return item


def delete_agenda_item(
    *, session: Session, by: Access, meeting_id: int, item_id: int, version: int | None
) -> None:
    """Take an item off a meeting's agenda; the items after it move up one."""
    item = get_agenda_item(
        session=session, project_id=by.project_id, meeting_id=meeting_id, item_id=item_id, lock=True
    )
    require_version(item, version)
    before = audit.snapshot(item)
    session.delete(item)
    session.flush()
    _renumber(agenda(session=session, meeting_id=meeting_id))
    audit.log(session=session, by=by, action="deleted", row=item, before=before)
    session.commit()


def _renumber(items: list[AgendaItem]) -> None:
    """Number the items 1, 2, 3 … in the given order (only those whose number changes)."""
    for number, row in enumerate(items, start=1):
        if row.position != number:
            row.position = number


def move_agenda_item(
    *, session: Session, by: Access, meeting_id: int, item_id: int, data: AgendaItemMove
) -> AgendaItem:
    """Put an agenda item at another number (1 is first; past the last means last); the items
    between shift one place. Audited with the agenda's order before and after."""
    get_meeting(session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True)
    item = get_agenda_item(
        session=session, project_id=by.project_id, meeting_id=meeting_id, item_id=item_id, lock=True
    )
    require_version(item, data.version)
    items = agenda(session=session, meeting_id=meeting_id)
    before = [row.id for row in items]
    items.remove(item)
    items.insert(min(data.position, len(items) + 1) - 1, item)
    _renumber(items)
    if [row.id for row in items] == before:
        return item
    item.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="moved",
        entity="agenda_item",
        entity_id=item.id,
        project_id=by.project_id,
        before={"order": before},
        after={"order": [row.id for row in items], "position": item.position},
    )
    session.commit()
    return item


# Minutes per item and publishing --------------------------------------------------------------


def update_item_minutes(
    *, session: Session, by: Access, meeting_id: int, item_id: int, data: ItemMinutesUpdate
) -> AgendaItem:
    """Write or correct the minutes of one agenda item."""
    item = get_agenda_item(
        session=session, project_id=by.project_id, meeting_id=meeting_id, item_id=item_id, lock=True
    )
    require_version(item, data.version)
    before = {"minutes": item.minutes, "version": item.version}
    item.minutes = data.minutes.strip()
    item.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="minutes_updated",
        entity="agenda_item",
        entity_id=item.id,
        project_id=by.project_id,
        before=before,
        after={"minutes": item.minutes, "version": item.version},
    )
    session.commit()
    return item


def _now_on_app_day() -> datetime:
    """Now, or noon (UTC) of the application's day when its clock is set to another day (the
    demo), so that the stamp's date is the day the app shows."""
    now = utcnow()
    day = today()
    if now.astimezone(COPENHAGEN).date() == day:
        return now
    return datetime.combine(day, time(12), tzinfo=UTC)


def publish_minutes(
    *, session: Session, by: Access, meeting_id: int, data: MinutesPublish
) -> Meeting:
    """Publish the minutes: stamp when and by whom, and tell the body's members (with a link).
    Publishing again after a correction tells them again. Refused while there are no minutes."""
    meeting = get_meeting(
        session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True
    )
    check_version(meeting, data.version)
    items = agenda(session=session, meeting_id=meeting_id)
    if not meeting.minutes and not any(i.minutes for i in items):
        raise Invalid("Skriv referatet, før det offentliggøres.", field="minutes")
    body = get_body(session=session, project_id=by.project_id, body_id=meeting.body_id)
    again = meeting.minutes_published_at is not None
    meeting.minutes_published_at = _now_on_app_day()
    meeting.minutes_published_by_name = by.user.full_name or by.user.username
    meeting.version += 1
    audit.record(
        session=session,
        by=by.user,
        action="minutes_published",
        entity="meeting",
        entity_id=meeting.id,
        project_id=by.project_id,
        after={"again": again, "version": meeting.version},
    )
    day = format_date(meeting.meeting_date)
    notifications.notify(
        session,
        kind=NotificationKind.minutes_published,
        project_id=by.project_id,
        recipients=handoffs.user_ids(
            handoffs.body_recipients(
                session=session, project_id=by.project_id, body_id=meeting.body_id
            )
        ),
        subject=f"Referat fra {body.name}s møde {day}" + (" (rettet)" if again else ""),
        text=f"Referatet fra mødet i {body.name} den {day} er offentliggjort.",
        link=f"/projects/{by.project_id}/meetings/{meeting.id}#minutes",
        exclude=by.user.id,
    )
    session.commit()
    return meeting


# Attendance -----------------------------------------------------------------------------------


@dataclass
class AttendanceRow:
    """One line of a meeting's attendance sheet: a member of the body or another attendee."""

    person: Person
    membership: Membership | None
    attendance: Attendance | None


def attendance_sheet(*, session: Session, meeting: Meeting) -> list[AttendanceRow]:
    """The body's members (registered or not) followed by other people who attended."""
    seats = session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.body_id == meeting.body_id)
        .order_by(col(Membership.id))
    ).all()
    registered = {
        a.person_id: (a, p)
        for a, p in session.exec(
            select(Attendance, Person)
            .join(Person, col(Person.id) == Attendance.person_id)
            .where(Attendance.meeting_id == meeting.id)
            .order_by(Person.name)
        ).all()
    }
    rows = [
        AttendanceRow(person=p, membership=m, attendance=registered.get(p.id or 0, (None,))[0])
        for m, p in seats
    ]
    members_ids = {p.id for _, p in seats}
    rows += [
        AttendanceRow(person=p, membership=None, attendance=a)
        for a, p in registered.values()
        if p.id not in members_ids
    ]
    return rows


def attendance(*, session: Session, meeting_id: int) -> list[tuple[Attendance, Person]]:
    """Who is registered as present, absent or called in at a meeting."""
    return list(
        session.exec(
            select(Attendance, Person)
            .join(Person, col(Person.id) == Attendance.person_id)
            .where(Attendance.meeting_id == meeting_id)
            .order_by(col(Attendance.id))
        ).all()
    )


def set_attendance(
    *, session: Session, by: Access, meeting_id: int, person_id: int, data: AttendanceSet
) -> Attendance:
    """Register a person as present, absent (afbud) or called in ad hoc (with the reason)."""
    get_meeting(session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True)
    person = person_in_project(session=session, project_id=by.project_id, person_id=person_id)
    assert person is not None
    reason = data.reason.strip()
    if data.status == AttendanceStatus.called_in and not reason:
        raise Invalid(f"Skriv hvorfor {person.name} blev indkaldt ad hoc.", field="reason")
    row = session.exec(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.person_id == person_id
        )
    ).first()
    before = audit.snapshot(row)
    if row is None:
        row = Attendance(meeting_id=meeting_id, person_id=person_id)
        session.add(row)
    row.status = data.status
    row.reason = reason
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="attendance_set",
        entity="attendance",
        entity_id=row.id,
        project_id=by.project_id,
        before=before,
        after=audit.snapshot(row) | {"person": person.name},
    )
    session.commit()
    return row


def clear_attendance(*, session: Session, by: Access, meeting_id: int, person_id: int) -> None:
    """Remove a person's registration from a meeting."""
    get_meeting(session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True)
    row = session.exec(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.person_id == person_id
        )
    ).first()
    if row is None:
        raise NotFound("Personen er ikke registreret ved mødet.")
    before = audit.snapshot(row)
    session.delete(row)
    audit.record(
        session=session,
        by=by.user,
        action="attendance_cleared",
        entity="attendance",
        entity_id=before and before["id"],
        project_id=by.project_id,
        before=before,
    )
    session.commit()


def decisions_at(*, session: Session, meeting_id: int) -> list[Decision]:
    """The decisions taken at a meeting, by number."""
    return list(
        session.exec(
            select(Decision).where(Decision.meeting_id == meeting_id).order_by(col(Decision.number))
        ).all()
    )


# What a page of meetings shows --------------------------------------------------------------


def pack_body_ids(*, session: Session, project_id: int) -> set[int]:
    """The bodies whose meetings have a meeting pack: those that approve plans or reports."""
    project = session.get(Project, project_id)
    if project is None:
        return set()
    found = (
        find_governing_body(session=session, project=project, role=role)
        for role in (PLAN_APPROVER, REPORT_APPROVER)
    )
    return {b.id for b in found if b is not None and b.id is not None}


@dataclass
class MeetingList:
    """A page of meetings with how many agenda items and decisions each has."""

    meetings: list[Meeting]
    total: int
    agenda_counts: dict[int | None, int]
    decision_counts: dict[int | None, int]
    # The meetings with minutes written to at least one agenda item.
    minuted: set[int]


def meeting_list(
    *, session: Session, project_id: int, body_id: int | None, offset: int, limit: int
) -> MeetingList:
    """A page of the project's meetings (as `list_meetings`), with their counts."""
    rows, total = list_meetings(
        session=session, project_id=project_id, body_id=body_id, offset=offset, limit=limit
    )
    ids = [m.id for m in rows]
    agenda_counts = dict(
        session.exec(
            select(AgendaItem.meeting_id, func.count())
            .where(col(AgendaItem.meeting_id).in_(ids))
            .group_by(col(AgendaItem.meeting_id))
        ).all()
    )
    decision_counts = dict(
        session.exec(
            select(Decision.meeting_id, func.count())
            .where(col(Decision.meeting_id).in_(ids))
            .group_by(col(Decision.meeting_id))
        ).all()
    )
    minuted = set(
        session.exec(
            select(AgendaItem.meeting_id)
            .where(col(AgendaItem.meeting_id).in_(ids), AgendaItem.minutes != "")
            .distinct()
        ).all()
    )
    return MeetingList(
        meetings=rows,
        total=total,
        agenda_counts={i: agenda_counts.get(i or 0, 0) for i in ids},
        decision_counts={i: decision_counts.get(i or 0, 0) for i in ids},
        minuted=minuted,
    )


@dataclass
class MeetingSheet:
    """A meeting's page: the meeting, its body, agenda, attendance sheet, the people who are
    not on the sheet, and the decisions taken."""

    meeting: Meeting
    body: Body
    is_group: bool
    agenda: list[AgendaItem]
    sheet: list[AttendanceRow]
    others: list[Person]
    decisions: list[Decision]


def meeting_sheet(*, session: Session, project_id: int, meeting_id: int) -> MeetingSheet:
    """A meeting of this project with what its page shows, or NotFound."""
    meeting = get_meeting(session=session, project_id=project_id, meeting_id=meeting_id)
    body = get_body(session=session, project_id=project_id, body_id=meeting.body_id)
    sheet = attendance_sheet(session=session, meeting=meeting)
    listed = {row.person.id for row in sheet}
    everyone = people(session=session, project_id=project_id)
    return MeetingSheet(
        meeting=meeting,
        body=body,
        is_group=body.kind == BodyKind.implementation_group,
        agenda=agenda(session=session, meeting_id=meeting_id),
        sheet=sheet,
        others=[p for p in everyone if p.id not in listed],
        decisions=decisions_at(session=session, meeting_id=meeting_id),
    )
