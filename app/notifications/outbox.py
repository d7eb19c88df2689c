"""The outbox as the administrator sees it: what waits, what was sent, what failed and why;
and sending a failed message again (audited)."""

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, NotFound
from app.notifications.models import MailStatus, OutboxMail

SHOWN = 200


@dataclass(frozen=True)
class OutboxView:
    mails: list[OutboxMail]
    counts: dict[MailStatus, int]


def list_outbox(*, session: Session, status: MailStatus | None = None) -> OutboxView:
    """The newest messages (of one status, if given) and the count of each status."""
    counts = {s: 0 for s in MailStatus}
    for status_, count in session.exec(
        select(OutboxMail.status, func.count()).group_by(col(OutboxMail.status))
    ).all():
        counts[MailStatus(status_)] = int(count)
    query = select(OutboxMail).order_by(col(OutboxMail.id).desc()).limit(SHOWN)
    if status is not None:
        query = query.where(OutboxMail.status == status)
    return OutboxView(list(session.exec(query).all()), counts)


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
