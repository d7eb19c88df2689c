"""Tables of the project organisation."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow


class BodyKind(StrEnum):
    directorate = "directorate"
    steering_group = "steering_group"
    project_management = "project_management"
    implementation_group = "implementation_group"


BODY_KIND_LABELS = {
    BodyKind.directorate: "Direktion",
    BodyKind.steering_group: "Styregruppe",
    BodyKind.project_management: "Projektledelse",
    BodyKind.implementation_group: "Implementeringsgruppe",
}


class MemberRole(StrEnum):
    chair = "chair"
    member = "member"
    ad_hoc = "ad_hoc"
    secretariat = "secretariat"
    group_lead = "group_lead"
    project_leader = "project_leader"


MEMBER_ROLE_LABELS = {
    MemberRole.chair: "Formand",
    MemberRole.member: "Medlem",
    MemberRole.ad_hoc: "Ad hoc-medlem",
    MemberRole.secretariat: "Sekretariat",
    MemberRole.group_lead: "Gruppeleder",
    MemberRole.project_leader: "Projektleder",
}


class ProjectBase(SQLModel):
    name: str = Field(max_length=200)
    municipality: str = Field(default="", max_length=120)
    reform: str = Field(default="", max_length=300)
    legal_basis: str = Field(default="", max_length=1000)
    purpose: str = Field(default="", max_length=5000)
    anchoring: str = Field(default="", max_length=1000)
    anchoring_decided_by: str = Field(default="", max_length=500)
    anchoring_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    follow_up_start_date: date | None = None
    follow_up_end_date: date | None = None
    economy_note: str = Field(default="", max_length=5000)


def _body_setting() -> Any:
    """A project's choice of one of its bodies (null: the default body, see
    app.governance.bodies.governing_body). `use_alter`: project and body refer to each other."""
    return Field(
        default=None,
        sa_column_args=[ForeignKey("body.id", ondelete="SET NULL", use_alter=True)],
    )


class Project(ProjectBase, table=True):
    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    # Governance as data: which body approves plans, which approves status reports and which
    # receives them (docs/governance.md, »Who approves and who receives«).
    plan_approver_id: int | None = _body_setting()
    report_approver_id: int | None = _body_setting()
    report_recipient_id: int | None = _body_setting()
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class DirectorArea(SQLModel, table=True):
    __tablename__ = "director_area"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    position: int = 0
    version: int = 1


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    director_area_id: int | None = Field(
        default=None, foreign_key="director_area.id", ondelete="SET NULL"
    )
    version: int = 1


class Body(SQLModel, table=True):
    """A governance body: the directorate, the steering group, the project management or a group."""

    __tablename__ = "body"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    kind: BodyKind = Field(sa_type=enum_type(BodyKind))
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    reports_to_id: int | None = Field(default=None, foreign_key="body.id", ondelete="SET NULL")
    position: int = 0
    version: int = 1


class Membership(SQLModel, table=True):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("body_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    role: MemberRole = Field(default=MemberRole.member, sa_type=enum_type(MemberRole))
    condition: str = Field(default="", max_length=500)
    version: int = 1


class MandateStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"


MANDATE_STATUS_LABELS = {
    MandateStatus.not_started: "Ikke påbegyndt",
    MandateStatus.in_progress: "I gang",
    MandateStatus.done: "Opfyldt",
}


class MandateItem(SQLModel, table=True):
    """One responsibility in a body's mandate (opgavebeskrivelse), followed up one by one."""

    __tablename__ = "mandate_item"

    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id", index=True, ondelete="CASCADE")
    position: int = 0
    text: str = Field(max_length=1000)
    status: MandateStatus = Field(
        default=MandateStatus.not_started, sa_type=enum_type(MandateStatus)
    )
    note: str = Field(default="", max_length=2000)
    status_date: date | None = None
    version: int = 1


class Meeting(SQLModel, table=True):
    """A meeting of a body; it may be with the project management and/or with external partners
    (the counterparts a meeting rule counts, MeetingRule)."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    body_id: int = Field(foreign_key="body.id", index=True, ondelete="CASCADE")
    meeting_date: date = Field(index=True)
    start_time: str = Field(default="", max_length=5)
    place: str = Field(default="", max_length=200)
    with_project_management: bool = False
    with_external_partners: bool = False
    # The general minutes (what belongs to no agenda item); each item has its own (AgendaItem).
    minutes: str = Field(default="", max_length=20000)
    minutes_published_at: datetime | None = None
    minutes_published_by_name: str = Field(default="", max_length=200)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class MeetingCounterpart(StrEnum):
    """Whom a body's meeting rule says it must meet: which of its meetings count."""

    project_management = "project_management"
    external_partners = "external_partners"
    any = "any"


MEETING_COUNTERPART_LABELS = {
    MeetingCounterpart.project_management: "Med projektledelsen",
    MeetingCounterpart.external_partners: "Med eksterne samarbejdspartnere",
    MeetingCounterpart.any: "Alle organets møder",
}


class MeetingRule(SQLModel, table=True):
    """A body's meeting rule: it meets its counterpart at least every N days (empty: no rule).
    One per body and counterpart. The table keeps its first name, from when only implementation
    groups had a rule (against the project management)."""

    __tablename__ = "group_setting"
    __table_args__ = (UniqueConstraint("body_id", "counterpart"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    body_id: int = Field(foreign_key="body.id", index=True, ondelete="CASCADE")
    counterpart: MeetingCounterpart = Field(
        default=MeetingCounterpart.project_management, sa_type=enum_type(MeetingCounterpart)
    )
    meeting_interval_days: int | None = None
    version: int = 1


class AgendaItem(SQLModel, table=True):
    """An item on a meeting's agenda, in `position` order (1, 2, 3 … per meeting, no gaps), with
    the minutes written to it."""

    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    position: int = 0
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    minutes: str = Field(default="", max_length=20000)
    version: int = 1


class AttendanceStatus(StrEnum):
    present = "present"
    absent = "absent"
    called_in = "called_in"


class Attendance(SQLModel, table=True):
    """Who attended; an ad hoc member who was called in carries the reason."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    status: AttendanceStatus = Field(
        default=AttendanceStatus.present, sa_type=enum_type(AttendanceStatus)
    )
    reason: str = Field(default="", max_length=500)


class Decision(SQLModel, table=True):
    """An entry in the decision log (beslutningsprotokol). Never deleted; superseded instead."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    number: int
    body_id: int = Field(foreign_key="body.id", index=True, ondelete="CASCADE")
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", index=True, ondelete="SET NULL"
    )
    # The agenda item whose minutes record the decision (recorded by the secretariat).
    agenda_item_id: int | None = Field(
        default=None, foreign_key="agenda_item.id", index=True, ondelete="SET NULL"
    )
    decision_date: date = Field(index=True)
    title: str = Field(max_length=300)
    text: str = Field(default="", max_length=10000)
    kind: str = Field(default="decision", max_length=40)
    # Title and text folded to lower case in Python (SQLite's lower() knows only ASCII, not æøå).
    search_text: str = Field(default="", max_length=10400)
    superseded_by_id: int | None = Field(
        default=None, foreign_key="decision.id", ondelete="SET NULL"
    )
    recorded_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    recorded_at: datetime = Field(default_factory=utcnow)


class FollowUpAction(SQLModel, table=True):
    """A follow-up action of a decision, with an owner and a due date."""

    __tablename__ = "follow_up_action"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=1000)
    owner_person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    due_date: date | None = None
    done_date: date | None = None
    version: int = 1


class ChangeKind(StrEnum):
    member_joined = "member_joined"
    member_left = "member_left"
    role_changed = "role_changed"
    body_created = "body_created"
    body_removed = "body_removed"
    other = "other"


CHANGE_KIND_LABELS = {
    ChangeKind.member_joined: "Nyt medlem",
    ChangeKind.member_left: "Medlem udtrådt",
    ChangeKind.role_changed: "Ny rolle",
    ChangeKind.body_created: "Organ oprettet",
    ChangeKind.body_removed: "Organ nedlagt",
    ChangeKind.other: "Anden ændring",
}


class OrganisationChange(SQLModel, table=True):
    """A dated change to the organisation (a member in or out, a new role, a body set up or
    closed, or one written by hand): the day it takes effect, in the past or the future. The
    body's and the person's names are kept as text, so a change still reads once they are gone."""

    __tablename__ = "organisation_change"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    effective_date: date = Field(index=True)
    kind: ChangeKind = Field(default=ChangeKind.other, sa_type=enum_type(ChangeKind))
    body_id: int | None = Field(
        default=None, foreign_key="body.id", index=True, ondelete="SET NULL"
    )
    body_name: str = Field(default="", max_length=200)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    person_name: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=1000)
    # Written by hand (»Registrér en ændring«) rather than recorded with a membership change;
    # only these may be deleted.
    manual: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    # The recorder's name as it was, so the record survives a deleted account or an import.
    created_by_name: str = Field(default="", max_length=200)
