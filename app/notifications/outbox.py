"""The outbox as the administrator sees it: what waits, what was sent, what failed and why;
and sending a failed message again (audited)."""

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, NotFound
from app.notifications.models import MailStatus, OutboxMail

PER_PAGE = 100


@dataclass(frozen=True)
class OutboxView:
    mails: list[OutboxMail]
    counts: dict[MailStatus, int]
    total: int  # of the status asked for (all messages without one), not only this window


def list_outbox(
    *,
    session: Session,
    status: MailStatus | None = None,
    offset: int = 0,
    limit: int = PER_PAGE,
) -> OutboxView:
    """One window of the messages, newest first (of one status, if given), the count of each
    status and the total the window is taken from."""
    counts = {s: 0 for s in MailStatus}
    for status_, count in session.exec(
        select(OutboxMail.status, func.count()).group_by(col(OutboxMail.status))
    ).all():
        counts[MailStatus(status_)] = int(count)
    query = select(OutboxMail).order_by(col(OutboxMail.id).desc()).offset(offset).limit(limit)
    if status is not None:
        query = query.where(OutboxMail.status == status)
    total = counts[status] if status is not None else sum(counts.values())
    return OutboxView(list(session.exec(query).all()), counts, total)


def retry(*, session: Session, by: User, mail_id: int) -> OutboxMail:
    """Put a failed message back in line to be sent at once."""
    mail = session.get(OutboxMail, mail_id, with_for_update=True)
    if mail is None:
        raise NotFound("Mailen findes ikke i udbakken.")
    if mail.status != MailStatus.failed:
        raise Conflict("Kun en mail, der er fejlet, kan sendes igen.")
    before = {"status": mail.status, "attempts": mail.attempts, "last_error": mail.last_error}
    mail.status = MailStatus.pending
    mail.attempts = 0
    mail.next_attempt_at = utcnow()
    session.add(mail)
    audit.record(
        session=session,
        by=by,
        action="mail_retried",
        entity="outbox_mail",
        entity_id=mail.id,
        before=before,
        after={"status": mail.status},
    )
    session.commit()
    return mail
