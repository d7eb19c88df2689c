"""API: the caller's notifications and mail choices; the outbox for administrators."""

from fastapi import APIRouter

from app.deps import AdminUser, CurrentUser, SessionDep
from app.notifications import outbox, service
from app.notifications.models import KIND_LABELS, MailStatus, Notification, NotificationKind
from app.notifications.schemas import (
    NotificationPublic,
    NotificationSettingPublic,
    NotificationSettingsUpdate,
    OutboxMailPublic,
    ReadAll,
)
from app.web.pagination import PageOf

router = APIRouter(prefix="/api", tags=["notifikationer"])


def _public(note: Notification) -> NotificationPublic:
    return NotificationPublic(
        id=note.id or 0,
        project_id=note.project_id,
        kind=note.kind,
        kind_label=KIND_LABELS[note.kind],
        subject=note.subject,
        text=note.text,
        link=note.link,
        created_at=note.created_at,
        read_at=note.read_at,
    )


def _settings(choices: dict[NotificationKind, object]) -> list[NotificationSettingPublic]:
    return [
        NotificationSettingPublic.model_validate(
            {"kind": kind, "kind_label": KIND_LABELS[kind], "delivery": choices[kind]}
        )
        for kind in NotificationKind
    ]


@router.get("/me/notifications", response_model=list[NotificationPublic])
def my_notifications(
    user: CurrentUser, session: SessionDep, page: PageOf, unread: bool = False
) -> list[NotificationPublic]:
    """The caller's notifications, newest first (`unread=true`: only unread); how many are
    unread in the X-Unread-Count header."""
    found = service.list_notifications(
        session=session, user=user, offset=page.offset, limit=page.limit, unread_only=unread
    )
    page.answer(found.total)
    page.response.headers["X-Unread-Count"] = str(found.unread)
    return [_public(n) for n in found.items]


@router.post("/me/notifications/read-all", response_model=ReadAll)
def read_all(user: CurrentUser, session: SessionDep) -> ReadAll:
    """Mark all the caller's notifications read."""
    return ReadAll(marked=service.mark_all_read(session=session, user=user))


@router.post("/me/notifications/{notification_id}/read", response_model=NotificationPublic)
def read_one(notification_id: int, user: CurrentUser, session: SessionDep) -> NotificationPublic:
    """Mark one of the caller's notifications read."""
    note = service.mark_read(session=session, user=user, notification_id=notification_id)
    return _public(note)


@router.get("/me/notification-settings", response_model=list[NotificationSettingPublic])
def my_settings(user: CurrentUser, session: SessionDep) -> list[NotificationSettingPublic]:
    """The caller's mail delivery per kind: immediate, daily, weekly or none."""
    return _settings(dict(service.settings_of(session=session, user=user)))


@router.put("/me/notification-settings", response_model=list[NotificationSettingPublic])
def change_settings(
    data: NotificationSettingsUpdate, user: CurrentUser, session: SessionDep
) -> list[NotificationSettingPublic]:
    """Change the caller's mail delivery for the kinds given (audited)."""
    chosen = service.update_settings(session=session, user=user, choices=data.choices())
    return _settings(dict(chosen))


@router.get("/admin/outbox", response_model=list[OutboxMailPublic])
def admin_outbox(
    _admin: AdminUser, session: SessionDep, page: PageOf, status: MailStatus | None = None
) -> list[OutboxMailPublic]:
    """The outbox's messages, newest first (of one status, if given), a page at a time."""
    view = outbox.list_outbox(session=session, status=status, offset=page.offset, limit=page.limit)
    page.answer(view.total)
    return [OutboxMailPublic.model_validate(m, from_attributes=True) for m in view.mails]


@router.post("/admin/outbox/{mail_id}/retry", response_model=OutboxMailPublic)
def admin_retry(mail_id: int, admin: AdminUser, session: SessionDep) -> OutboxMailPublic:
    """Put a failed message back in line (audited)."""
    mail = outbox.retry(session=session, by=admin, mail_id=mail_id)
    return OutboxMailPublic.model_validate(mail, from_attributes=True)
