"""API shapes of notifications, delivery choices and the outbox."""

from datetime import datetime

from pydantic import BaseModel, Field

from app.inputs import Input
from app.notifications.models import (
    KIND_LABELS,
    Delivery,
    MailStatus,
    NotificationKind,
)

K = NotificationKind


class NotificationPublic(BaseModel):
    id: int
    project_id: int | None
    kind: NotificationKind
    kind_label: str
    subject: str
    text: str
    link: str
    created_at: datetime
    read_at: datetime | None


class ReadAll(BaseModel):
    marked: int


class NotificationSettingsUpdate(Input):
    """A person's mail delivery per kind; kinds left out keep their choice. In-app
    notifications are always shown."""

    plan_submitted: Delivery | None = Field(default=None, title=KIND_LABELS[K.plan_submitted])
    plan_decided: Delivery | None = Field(default=None, title=KIND_LABELS[K.plan_decided])
    report_submitted: Delivery | None = Field(default=None, title=KIND_LABELS[K.report_submitted])
    report_approved: Delivery | None = Field(default=None, title=KIND_LABELS[K.report_approved])
    report_returned: Delivery | None = Field(default=None, title=KIND_LABELS[K.report_returned])
    report_issued: Delivery | None = Field(default=None, title=KIND_LABELS[K.report_issued])
    task_assigned: Delivery | None = Field(default=None, title=KIND_LABELS[K.task_assigned])
    milestone_slipping: Delivery | None = Field(
        default=None, title=KIND_LABELS[K.milestone_slipping]
    )
    measurement_due: Delivery | None = Field(default=None, title=KIND_LABELS[K.measurement_due])
    follow_up_due: Delivery | None = Field(default=None, title=KIND_LABELS[K.follow_up_due])
    meeting_called: Delivery | None = Field(default=None, title=KIND_LABELS[K.meeting_called])
    minutes_published: Delivery | None = Field(default=None, title=KIND_LABELS[K.minutes_published])

    def choices(self) -> dict[NotificationKind, Delivery]:
        return {
            NotificationKind(name): value
            for name, value in self.model_dump(exclude_none=True).items()
        }


class NotificationSettingPublic(BaseModel):
    kind: NotificationKind
    kind_label: str
    delivery: Delivery


class OutboxMailPublic(BaseModel):
    id: int
    to_address: str
    subject: str
    status: MailStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None
