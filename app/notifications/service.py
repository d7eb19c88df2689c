"""Telling people: `notify` is the one entry point other services call. It writes each
recipient's in-app notification and, by their choice for the kind, an outbox mail at once or a
mark for their digest — in the caller's transaction (it never commits), so the mail exists if
and only if the change that caused it does. Also: reading and marking notifications read, and
each person's delivery choices."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.models import User
from app.db import utcnow
from app.errors import NotFound
from app.notifications.mail import queue_mail
from app.notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    Notification,
    NotificationKind,
    NotificationSetting,
)

PAGE_SIZE = 50


def deliveries(
    *, session: Session, user_ids: Iterable[int]
) -> dict[int, dict[NotificationKind, Delivery]]:
    """Each user's delivery per kind, defaults filled in (one query for all users)."""
    ids = sorted(set(user_ids))
    chosen: dict[int, dict[NotificationKind, Delivery]] = {
        uid: dict(DEFAULT_DELIVERY) for uid in ids
    }
    if not ids:
        return chosen
    for row in session.exec(
        select(NotificationSetting).where(col(NotificationSetting.user_id).in_(ids))
    ).all():
        chosen[row.user_id][row.kind] = row.delivery
    return chosen


def notify(
    session: Session,
    *,
    kind: NotificationKind,
    project_id: int | None,
    recipients: Iterable[int],
    subject: str,
    text: str,
    link: str,
    calendar: bytes | None = None,
    exclude: int | None = None,
    event_key: str | None = None,
) -> list[Notification]:
    """Tell each recipient (user ids; `exclude`, the one who acted, is left out): an in-app
    notification always, and by the recipient's choice for `kind` a mail now (with `calendar`
    attached as an invitation), a place in their daily or weekly digest, or no mail. `link` is
    the path in the app (/projects/1/...). Mail carries the subject, text and link only: callers
    never pass participant data. No commit: the caller's transaction carries it."""
    ids = sorted({uid for uid in recipients if uid and uid != exclude})
    if not ids:
        return []
    users = {
        u.id: u
        for u in session.exec(select(User).where(col(User.id).in_(ids), col(User.is_active))).all()
    }
    chosen = deliveries(session=session, user_ids=[uid for uid in users if uid is not None])
    made = []
    for uid in ids:
        user = users.get(uid)
        if user is None:
            continue
        delivery = chosen[uid][kind]
        digest = delivery if delivery in (Delivery.daily, Delivery.weekly) else None
        note = Notification(
            user_id=uid,
            project_id=project_id,
            kind=kind,
            subject=subject[:300],
            text=text[:4000],
            link=link,
            digest=digest if user.email else None,
            event_key=event_key,
        )
        session.add(note)
        made.append(note)
        if delivery == Delivery.immediate and user.email:
            queue_mail(
                session,
                user=user,
                subject=subject,
                items=[note],
                calendar=calendar,
            )
    return made


def unread_count(*, session: Session, user_id: int) -> int:
    """How many of the user's notifications are unread (one query, on the user/read index)."""
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, col(Notification.read_at).is_(None))
    ).one()


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    unread: int
    total: int
    page: int
    pages: int


def list_notifications(
    *,
    session: Session,
    user: User,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    unread_only: bool = False,
) -> NotificationPage:
    """The user's notifications, newest first, `limit` from `offset`."""
    where = [col(Notification.user_id) == user.id]
    if unread_only:
        where.append(col(Notification.read_at).is_(None))
    counts = session.exec(
        select(
            func.count(),
            func.count().filter(col(Notification.read_at).is_(None)),
        )
        .select_from(Notification)
        .where(Notification.user_id == user.id)
    ).one()
    total_all, unread = int(counts[0]), int(counts[1])
    total = unread if unread_only else total_all
    items = session.exec(
        select(Notification)
        .where(*where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    pages = max(1, -(-total // limit))
    return NotificationPage(list(items), unread, total, offset // limit + 1, pages)


def mark_read(*, session: Session, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (another's answers 404)."""
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound("Notifikationen findes ikke.")
    if note.read_at is None:
        note.read_at = utcnow()
        session.add(note)
    audit.record(
        session=session,
        by=user,
        action="notification_read",
        entity="notification",
        entity_id=note.id,
        project_id=note.project_id,
    )
    session.commit()
    return note


def mark_all_read(*, session: Session, user: User) -> int:
    """Mark all the user's notifications read; how many were unread."""
    result = session.execute(
        update(Notification)
        .where(col(Notification.user_id) == user.id, col(Notification.read_at).is_(None))
        .values(read_at=utcnow())
    )
    marked = int(getattr(result, "rowcount", 0) or 0)
    audit.record(
        session=session,
        by=user,
        action="notifications_read",
        entity="user",
        entity_id=user.id,
        after={"marked": marked},
    )
    session.commit()
    return marked


def settings_of(*, session: Session, user: User) -> dict[NotificationKind, Delivery]:
    """The user's delivery per kind (defaults where they chose nothing)."""
    return deliveries(session=session, user_ids=[user.id or 0])[user.id or 0]


def update_settings(
    *, session: Session, user: User, choices: dict[NotificationKind, Delivery]
) -> dict[NotificationKind, Delivery]:
    """Store the user's choices (kinds left out keep theirs); audited with before and after."""
    before = settings_of(session=session, user=user)
    rows = {
        row.kind: row
        for row in session.exec(
            select(NotificationSetting).where(NotificationSetting.user_id == user.id)
        ).all()
    }
    for kind, delivery in choices.items():
        row = rows.get(kind)
        if row is None:
            session.add(NotificationSetting(user_id=user.id or 0, kind=kind, delivery=delivery))
        elif row.delivery != delivery:
            row.delivery = delivery
            session.add(row)
    after = before | choices
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    # Recorded also when nothing changed: the person saved their choices.
    audit.record(
        session=session,
        by=user,
        action="notification_settings_changed",
        entity="user",
        entity_id=user.id,
        before={str(k): before[k] for k in changed},
        after={str(k): v for k, v in changed.items()},
    )
    session.commit()
    return after
