"""Meetings of the bodies: date, time, place, agenda, attendance (ad hoc members called in and
why) and minutes. The secretariat and the project leader prepare them; one commit per use case."""

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.db import get_for_update, project_row, stored_id
from app.errors import Invalid, NotFound, check_version
from app.governance.bodies import body_in_project, get_body
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
)
from app.governance.people import people, person_in_project
from app.governance.references import refuse_if_used
from app.governance.schemas import (
    AgendaItemCreate,
    AgendaItemUpdate,
    AttendanceSet,
    MeetingCreate,
    MeetingUpdate,
    MinutesUpdate,
)

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
    session.commit()
    return meeting


def update_meeting(
    *, session: Session, by: Access, meeting_id: int, data: MeetingUpdate
) -> Meeting:
    """Change a meeting's date, time, place, flag or minutes."""
    meeting = get_meeting(
        session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True
    )
    check_version(meeting, data.version)
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
    check_version(meeting, data.version)
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


def delete_meeting(*, session: Session, by: Access, meeting_id: int) -> None:
    """Cancel a meeting with its agenda and attendance; refused once decisions refer to it."""
    meeting = get_meeting(
        session=session, project_id=by.project_id, meeting_id=meeting_id, lock=True
    )
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
    check_version(item, data.version)
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


def delete_agenda_item(*, session: Session, by: Access, meeting_id: int, item_id: int) -> None:
    """Take an item off a meeting's agenda."""
    item = get_agenda_item(
        session=session, project_id=by.project_id, meeting_id=meeting_id, item_id=item_id, lock=True
    )
    before = audit.snapshot(item)
    session.delete(item)
    audit.log(session=session, by=by, action="deleted", row=item, before=before)
    session.commit()


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


@dataclass
class MeetingList:
    """A page of meetings with how many agenda items and decisions each has."""

    meetings: list[Meeting]
    total: int
    agenda_counts: dict[int | None, int]
    decision_counts: dict[int | None, int]


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
    return MeetingList(
        meetings=rows,
        total=total,
        agenda_counts={i: agenda_counts.get(i or 0, 0) for i in ids},
        decision_counts={i: decision_counts.get(i or 0, 0) for i in ids},
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
