"""Delivering the outbox over SMTP, safely with several senders at once.

A sender picks due messages and claims each with one conditional UPDATE (status »pending«, or a
claim whose lease ran out) that sets its own random claim token and a lease; the database lets
exactly one such UPDATE change the row, so two senders never both own a message. The claim is
committed before the message goes over the wire; after SMTP accepts it, the row is marked
»sent« under the same token. A transient fault (the server unreachable, a 4xx answer) puts the
message back as »pending« with an exponential back-off; a permanent refusal (5xx) or too many
attempts marks it »failed«, which the administrator sees at /admin/outbox. So does any other
error building or sending one message (a header the mail library refuses): it would fail the
same way every time, and must not stop the rest of the batch.

If a sender dies between SMTP's acceptance and its mark, the lease runs out and the message is
sent again (at least once, never lost); it keeps its Message-ID, so the receiving side can tell.
"""

import logging
import secrets
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import Database, utcnow
from app.notifications.mail import mime_message
from app.notifications.models import MailStatus, OutboxMail

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=6)
BATCH = 50
SMTP_TIMEOUT = 20


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): trying again will not help."""


def back_off(attempts: int) -> timedelta:
    """The wait before attempt `attempts + 1`: 1, 2, 4, … minutes, at most 6 hours."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LAST_RETRY)


@dataclass
class SendResult:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def due_ids(*, session: Session, limit: int = BATCH) -> list[int]:
    """Messages that may be claimed now: pending and due, or claimed by a sender that let
    its lease run out."""
    now = utcnow()
    rows = session.exec(
        select(OutboxMail.id)
        .where(
            or_(
                (col(OutboxMail.status) == MailStatus.pending)
                & (col(OutboxMail.next_attempt_at) <= now),
                (col(OutboxMail.status) == MailStatus.sending)
                & (col(OutboxMail.claimed_until) < now),
            )
        )
        .order_by(col(OutboxMail.id))
        .limit(limit)
    ).all()
    return [row for row in rows if row is not None]


def claim(*, session: Session, mail_id: int, token: str) -> bool:
    """Take the message for this sender (committed); False when another sender has it."""
    now = utcnow()
    result = session.execute(
        update(OutboxMail)
        .where(
            col(OutboxMail.id) == mail_id,
            or_(
                (col(OutboxMail.status) == MailStatus.pending)
                & (col(OutboxMail.next_attempt_at) <= now),
                (col(OutboxMail.status) == MailStatus.sending)
                & (col(OutboxMail.claimed_until) < now),
            ),
        )
        .values(
            status=MailStatus.sending,
            claim_token=token,
            claimed_until=now + LEASE,
            attempts=OutboxMail.attempts + 1,  # type: ignore[operator]
        )
    )
    session.commit()
    return getattr(result, "rowcount", 0) == 1


def _finish(*, session: Session, mail_id: int, token: str, **values: object) -> None:
    """Record the outcome, if the claim is still this sender's."""
    session.execute(
        update(OutboxMail)
        .where(col(OutboxMail.id) == mail_id, col(OutboxMail.claim_token) == token)
        .values(claim_token=None, claimed_until=None, **values)
    )
    session.commit()


def deliver(mail: OutboxMail, *, settings: Settings) -> None:
    """Hand one message to the SMTP server; PermanentFailure on a 5xx refusal, OSError or
    smtplib's errors on anything that may pass."""
    message = mime_message(mail, sender=settings.mail_from)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        try:
            refused = smtp.send_message(message, to_addrs=[mail.to_address])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(_describe(exc)) from exc
            raise
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            if exc.smtp_code >= 500:
                raise PermanentFailure(_describe(exc)) from exc
            raise
        if refused:
            raise PermanentFailure(f"Modtageren blev afvist: {refused}")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def send_due(*, database: Database, settings: Settings, limit: int = BATCH) -> SendResult:
    """Deliver what is due, once; each message in its own short transactions."""
    result = SendResult()
    if not settings.smtp_host:
        return result
    token = secrets.token_hex(16)
    with database.session() as reader:
        ids = due_ids(session=reader, limit=limit)
    for mail_id in ids:
        outcome = _send_one(database=database, settings=settings, mail_id=mail_id, token=token)
        if outcome is not None:
            getattr(result, outcome).append(mail_id)
    return result


def _send_one(*, database: Database, settings: Settings, mail_id: int, token: str) -> str | None:
    """Claim, send and mark one message; which list of SendResult it belongs in (None: another
    sender had it). No transaction is open while SMTP talks: SQLite's write lock is never held
    across the network."""
    with database.session(write=True) as session:
        if not claim(session=session, mail_id=mail_id, token=token):
            return None
    with database.session() as reader:
        mail = reader.get(OutboxMail, mail_id)
    if mail is None:
        return None
    values: dict[str, object]
    try:
        deliver(mail, settings=settings)
    except PermanentFailure as exc:
        log.warning("Mail %s refused for good: %s", mail_id, exc)
        outcome, values = "failed", {"status": MailStatus.failed, "last_error": str(exc)[:1000]}
    except (OSError, smtplib.SMTPException) as exc:
        given_up = mail.attempts >= MAX_ATTEMPTS
        log.info("Mail %s not delivered (attempt %s): %s", mail_id, mail.attempts, exc)
        outcome = "failed" if given_up else "retried"
        values = {
            "status": MailStatus.failed if given_up else MailStatus.pending,
            "next_attempt_at": utcnow() + back_off(mail.attempts),
            "last_error": _describe(exc),
        }
    except Exception as exc:  # noqa: BLE001 (one bad message must not stop the batch)
        # Anything else (a header the mail library refuses, a bug in building the message)
        # will fail the same way next time: failed for good, the reason kept, the batch goes on.
        log.exception("Mail %s could not be built or sent", mail_id)
        outcome, values = "failed", {"status": MailStatus.failed, "last_error": _describe(exc)}
    else:
        outcome = "sent"
        values = {"status": MailStatus.sent, "sent_at": utcnow(), "last_error": ""}
    with database.session(write=True) as session:
        _finish(session=session, mail_id=mail_id, token=token, **values)
    return outcome
