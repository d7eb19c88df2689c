"""Notification test helpers: users with e-mail, and one notify() call."""

from typing import Any

from sqlmodel import Session, col, select

from app.auth.models import User
from app.db import Database
from app.notifications.models import (
    MailStatus,
    Notification,
    NotificationKind,
    OutboxMail,
)
from app.notifications.service import notify


def tell(session: Session, user_ids: list[int], **overrides: Any) -> list[Notification]:
    values: dict[str, Any] = {
        "kind": NotificationKind.task_assigned,
        "project_id": None,
        "recipients": user_ids,
        "subject": "Opgaven »Kortlæg borgerforløb« er tildelt dig",
        "text": "Frist 22.11.2012.",
        "link": "/projects/1/tasks/1",
    }
    values |= overrides
    made = notify(session, **values)
    session.commit()
    return made


def seed_for_matrix(db: Database) -> None:
    """What the security matrix needs of notifications: one for each account, and a mail that
    failed for good (for the administrator's »Send igen«)."""
    with db.session(write=True) as session:
        users = session.exec(select(User).order_by(col(User.id))).all()
        for user in users:
            session.add(
                Notification(
                    user_id=user.id or 0,
                    kind=NotificationKind.task_assigned,
                    subject="Opgaven »Kortlæg borgerforløb« er givet til dig",
                    link="/",
                )
            )
        session.add(
            OutboxMail(
                user_id=users[0].id,
                to_address="ukendt@refused.example",
                subject="Kunne ikke leveres",
                text_body="Tekst",
                html_body="<p>Tekst</p>",
                status=MailStatus.failed,
                attempts=1,
                last_error="550 5.1.1 Ukendt modtager",
            )
        )
        session.commit()
