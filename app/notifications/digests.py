"""The daily run (`reformstyr send-digests`, or a timer): build the events that come from
dates (app/notifications/due.py), then put each person's daily digest — and on Mondays their
weekly digest — in the outbox as one mail, marking what it carries so no run sends it again."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.auth.models import User
from app.db import Database, utcnow
from app.notifications import due
from app.notifications.mail import queue_mail
from app.notifications.models import Delivery, Notification

WEEKLY_ON = 0  # Monday
DIGEST_TITLES = {
    Delivery.daily: ("dagligt overblik", "Det er sket siden i går"),
    Delivery.weekly: ("ugentligt overblik", "Det er sket i den forløbne uge"),
}


@dataclass(frozen=True)
class DailyResult:
    events: int
    digests: int


def queue_digests(*, session: Session, on: date) -> int:
    """Queue the digests due on `on` (the caller commits); how many mails were queued."""
    kinds = [Delivery.daily] + ([Delivery.weekly] if on.weekday() == WEEKLY_ON else [])
    notes = session.exec(
        select(Notification)
        .where(col(Notification.digest).in_(kinds), col(Notification.digested_at).is_(None))
        .order_by(col(Notification.user_id), col(Notification.created_at))
        .with_for_update(skip_locked=True)
    ).all()
    grouped: dict[tuple[int, Delivery], list[Notification]] = defaultdict(list)
    for note in notes:
        if note.digest is not None:
            grouped[(note.user_id, note.digest)].append(note)
    users = {
        u.id: u
        for u in session.exec(
            select(User).where(col(User.id).in_({uid for uid, _ in grouped}))
        ).all()
    }
    now = utcnow()
    queued = 0
    for (user_id, kind), items in grouped.items():
        user = users.get(user_id)
        if user is not None and user.email and user.is_active:
            name, lead = DIGEST_TITLES[kind]
            count = (
                f"{len(items)} ny notifikation"
                if len(items) == 1
                else f"{len(items)} nye notifikationer"
            )
            queue_mail(
                session,
                user=user,
                subject=f"Reformstyr, {name}: {count}",
                items=items,
                digest=lead,
            )
            queued += 1
        for note in items:
            note.digested_at = now
            session.add(note)
    return queued


def run_daily(*, database: Database, on: date) -> DailyResult:
    """The daily job: the date events (committed), then the digests (committed)."""
    with database.session(write=True) as session:
        events = (
            due.slipping_milestones(session=session, on=on)
            + due.measurements_due(session=session, on=on)
            + due.follow_ups_due(session=session, on=on)
        )
        session.commit()
    with database.session(write=True) as session:
        digests = queue_digests(session=session, on=on)
        session.commit()
    return DailyResult(events=events, digests=digests)
