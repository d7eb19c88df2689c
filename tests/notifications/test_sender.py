"""The outbox sender against a real SMTP server on loopback: delivery, exactly-once with two
senders at once, retries with back-off, permanent failure, and an unreachable server."""

import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

from sqlmodel import Session, col, select

from app.config import Settings
from app.db import Database, utcnow
from app.notifications import sender
from app.notifications.mail import queue_mail
from app.notifications.models import MailStatus, OutboxMail
from tests.factories import make_user
from tests.notifications.factories import tell


def _outbox(session: Session) -> list[OutboxMail]:
    session.expire_all()
    return list(session.exec(select(OutboxMail).order_by(col(OutboxMail.id))).all())


def test_a_message_is_sent_as_text_and_html_with_a_link(
    session: Session, db: Database, mail_settings: Settings, smtp
) -> None:
    inbox, _port = smtp
    user = make_user(session, email="mette@test.example", full_name="Mette Madsen")
    tell(session, [user.id])
    result = sender.send_due(database=db, settings=mail_settings)
    assert len(result.sent) == 1
    [mail] = _outbox(session)
    assert mail.status == MailStatus.sent and mail.sent_at is not None and mail.attempts == 1
    [message] = inbox.messages
    assert message["To"] == "mette@test.example"
    assert message["Subject"] == "Opgaven »Kortlæg borgerforløb« er tildelt dig"
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert "Kære Mette Madsen" in text and "http://127.0.0.1:8000/projects/1/tasks/1" in text
    assert 'href="http://127.0.0.1:8000/projects/1/tasks/1"' in html
    # Sent once: a second run finds nothing to send.
    assert sender.send_due(database=db, settings=mail_settings).sent == []
    assert len(inbox.messages) == 1


def test_an_invitation_travels_as_text_calendar_method_request(
    session: Session, db: Database, mail_settings: Settings, smtp
) -> None:
    inbox, _port = smtp
    user = make_user(session, email="a@test.example")
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    tell(session, [user.id], calendar=ics)
    sender.send_due(database=db, settings=mail_settings)
    [message] = inbox.messages
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_payload(decode=True) == ics


def test_two_senders_at_once_send_each_message_exactly_once(
    session: Session, db: Database, mail_settings: Settings, smtp
) -> None:
    inbox, _port = smtp
    users = [make_user(session, email=f"u{i}@test.example") for i in range(12)]
    for user in users:
        for _ in range(2):
            queue_mail(session, user=user, subject=f"Til {user.username}", items=[])
    session.commit()
    start = Barrier(2)

    def run() -> list[int]:
        own = Database(mail_settings.database_url)
        start.wait()
        try:
            return sender.send_due(database=own, settings=mail_settings).sent
        finally:
            own.dispose()

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: run(), range(2))
    assert not set(first) & set(second)
    assert len(first) + len(second) == 24
    assert len(inbox.messages) == 24
    assert len({m["Message-ID"] for m in inbox.messages}) == 24
    assert all(m.status == MailStatus.sent and m.attempts == 1 for m in _outbox(session))


def test_a_claim_taken_by_another_sender_is_not_taken_again(session: Session, db: Database) -> None:
    user = make_user(session, email="a@test.example")
    mail = queue_mail(session, user=user, subject="Hej", items=[])
    session.commit()
    with db.session(write=True) as first:
        assert sender.claim(session=first, mail_id=mail.id, token="a" * 32)
    with db.session(write=True) as second:
        assert not sender.claim(session=second, mail_id=mail.id, token="b" * 32)
    # Once the first sender's lease has run out (it died), the message may be taken again.
    session.exec(select(OutboxMail)).one().claimed_until = utcnow() - timedelta(seconds=1)
    session.commit()
    with db.session(write=True) as third:
        assert sender.claim(session=third, mail_id=mail.id, token="c" * 32)


def test_a_permanent_refusal_is_marked_failed_and_not_retried(
    session: Session, db: Database, mail_settings: Settings, smtp
) -> None:
    user = make_user(session, email="nobody@refused.example")
    tell(session, [user.id])
    result = sender.send_due(database=db, settings=mail_settings)
    assert result.failed and not result.sent
    [mail] = _outbox(session)
    assert mail.status == MailStatus.failed and "550" in mail.last_error
    assert sender.due_ids(session=session) == []


def test_a_temporary_refusal_is_retried_later_with_back_off(
    session: Session, db: Database, mail_settings: Settings, smtp
) -> None:
    user = make_user(session, email="busy@later.example")
    tell(session, [user.id])
    assert sender.send_due(database=db, settings=mail_settings).retried
    [mail] = _outbox(session)
    assert mail.status == MailStatus.pending and mail.attempts == 1 and "451" in mail.last_error
    assert mail.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert sender.due_ids(session=session) == []  # not before its time
    assert sender.back_off(1) == timedelta(minutes=1)
    assert sender.back_off(3) == timedelta(minutes=4)
    assert sender.back_off(20) == sender.LAST_RETRY


def test_an_unreachable_server_delays_mail_and_gives_up_after_the_last_attempt(
    session: Session, db: Database, settings: Settings
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    user = make_user(session, email="a@test.example")
    tell(session, [user.id])
    assert sender.send_due(database=db, settings=down).retried
    [mail] = _outbox(session)
    assert mail.status == MailStatus.pending and mail.last_error
    mail.attempts = sender.MAX_ATTEMPTS - 1
    mail.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert sender.send_due(database=db, settings=down).failed
    assert _outbox(session)[0].status == MailStatus.failed


def test_without_an_smtp_host_mail_stays_in_the_outbox(
    session: Session, db: Database, settings: Settings
) -> None:
    user = make_user(session, email="a@test.example")
    tell(session, [user.id])
    assert sender.send_due(database=db, settings=settings).sent == []
    assert _outbox(session)[0].status == MailStatus.pending


def test_a_subject_with_a_line_break_is_queued_on_one_line(session: Session) -> None:
    user = make_user(session, email="a@test.example")
    mail = queue_mail(session, user=user, subject="Rapport\r\nfor  uge 47\n", items=[])
    assert mail.subject == "Rapport for uge 47"


def test_a_message_that_cannot_be_built_fails_alone_and_the_batch_goes_on(
    session: Session, db: Database, mail_settings: Settings, smtp
) -> None:
    inbox, _port = smtp
    user = make_user(session, email="a@test.example")
    bad = queue_mail(session, user=user, subject="Hej", items=[])
    queue_mail(session, user=user, subject="Goddag", items=[])
    session.flush()
    bad.subject = "Linje et\nlinje to"  # as if written before subjects were made one line
    session.commit()
    result = sender.send_due(database=db, settings=mail_settings)
    assert result.failed == [bad.id] and len(result.sent) == 1
    first, second = _outbox(session)
    assert first.status == MailStatus.failed and "ValueError" in first.last_error
    assert first.claim_token is None and second.status == MailStatus.sent
    assert [m["Subject"] for m in inbox.messages] == ["Goddag"]
    assert sender.due_ids(session=session) == []
