"""Tables of notifications (in the app), each person's choice of delivery per kind, and the mail
outbox the sender delivers from. The kinds and their Danish labels live here, once."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import enum_type, utcnow


class NotificationKind(StrEnum):
    plan_submitted = "plan_submitted"
    plan_decided = "plan_decided"
    report_submitted = "report_submitted"
    report_approved = "report_approved"
    report_returned = "report_returned"
    report_issued = "report_issued"
    task_assigned = "task_assigned"
    milestone_slipping = "milestone_slipping"
    measurement_due = "measurement_due"
    follow_up_due = "follow_up_due"
    meeting_called = "meeting_called"
    minutes_published = "minutes_published"


KIND_LABELS = {
    NotificationKind.plan_submitted: "En plan er indsendt til godkendelse",
    NotificationKind.plan_decided: "Gruppens plan er godkendt eller sendt tilbage",
    NotificationKind.report_submitted: "En statusrapport er indsendt til godkendelse",
    NotificationKind.report_approved: "En statusrapport er godkendt",
    NotificationKind.report_returned: "En statusrapport er sendt retur",
    NotificationKind.report_issued: "En statusrapport er udsendt",
    NotificationKind.task_assigned: "En opgave er tildelt dig",
    NotificationKind.milestone_slipping: "En milepæl begynder at skride",
    NotificationKind.measurement_due: "En måling skal registreres",
    NotificationKind.follow_up_due: "Opfølgninger på deltagere forfalder",
    NotificationKind.meeting_called: "Et møde er indkaldt",
    NotificationKind.minutes_published: "Et referat er offentliggjort",
}


class Delivery(StrEnum):
    immediate = "immediate"
    daily = "daily"
    weekly = "weekly"
    none = "none"


DELIVERY_LABELS = {
    Delivery.immediate: "Straks",
    Delivery.daily: "Daglig samlet mail",
    Delivery.weekly: "Ugentlig samlet mail",
    Delivery.none: "Ingen mail",
}

# A person who has chosen nothing: events about their own work at once, the daily watch of
# dates (built once a day anyway) in the daily digest.
DEFAULT_DELIVERY = {kind: Delivery.immediate for kind in NotificationKind} | {
    NotificationKind.milestone_slipping: Delivery.daily,
    NotificationKind.measurement_due: Delivery.daily,
    NotificationKind.follow_up_due: Delivery.daily,
}


class Notification(SQLModel, table=True):
    """One event told to one user: always shown in the app; `digest` says which digest mail
    will carry it (daily/weekly) until `digested_at` is set. `event_key` names an event built
    from dates (a milestone slipping), so a daily run tells it once."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_unread", "user_id", "read_at"),
        UniqueConstraint("user_id", "event_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    project_id: int | None = Field(
        default=None, foreign_key="project.id", index=True, ondelete="CASCADE"
    )
    kind: NotificationKind = Field(sa_type=enum_type(NotificationKind))
    subject: str = Field(max_length=300)
    text: str = Field(default="", max_length=4000)
    link: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None
    digest: Delivery | None = Field(default=None, sa_type=enum_type(Delivery))
    digested_at: datetime | None = None
    event_key: str | None = Field(default=None, max_length=120)


class NotificationSetting(SQLModel, table=True):
    """A user's choice of e-mail delivery for one kind (no row: DEFAULT_DELIVERY)."""

    __tablename__ = "notification_setting"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    kind: NotificationKind = Field(sa_type=enum_type(NotificationKind))
    delivery: Delivery = Field(sa_type=enum_type(Delivery))


class MailStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"


MAIL_STATUS_LABELS = {
    MailStatus.pending: "Venter",
    MailStatus.sending: "Sendes",
    MailStatus.sent: "Sendt",
    MailStatus.failed: "Fejlet",
}


class OutboxMail(SQLModel, table=True):
    """One e-mail to one address, written in the transaction of the change that caused it. A
    sender claims it (status »sending«, its `claim_token`, until `claimed_until`), sends it and
    marks it sent with the same token; a claim whose lease ran out may be taken again."""

    __tablename__ = "outbox_mail"
    __table_args__ = (Index("ix_outbox_mail_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(
        default=None, foreign_key="user_account.id", index=True, ondelete="SET NULL"
    )
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    text_body: str
    html_body: str
    calendar: bytes | None = Field(default=None, sa_type=LargeBinary)
    status: MailStatus = Field(default=MailStatus.pending, sa_type=enum_type(MailStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claim_token: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = None
    last_error: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
