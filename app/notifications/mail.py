"""Mail in the outbox: one message per address, in Danish, as plain text and HTML with links
back into the app, rendered from templates/notifications/mail.* and added to the caller's
transaction. Also the MIME message the sender hands to SMTP."""

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formataddr

from sqlmodel import Session

from app.auth.models import User
from app.config import get_settings
from app.jinja import env
from app.notifications.models import KIND_LABELS, Notification, OutboxMail

MAIL_DOMAIN = "reformstyr"


def absolute(link: str) -> str:
    """A path in the app as a full address, from REFORMSTYR_BASE_URL."""
    if link.startswith(("http://", "https://")):
        return link
    return get_settings().base_url.rstrip("/") + "/" + link.lstrip("/")


def render_bodies(
    *, user: User, heading: str, items: Sequence[Notification], digest: str = ""
) -> tuple[str, str]:
    """The text and HTML bodies of a mail carrying `items` (one, or a digest's many)."""
    context = {
        "name": user.full_name or user.username,
        "heading": heading,
        "digest": digest,
        "items": [
            {
                "kind": KIND_LABELS[n.kind],
                "subject": n.subject,
                "text": n.text,
                "url": absolute(n.link) if n.link else "",
                "at": n.created_at,
            }
            for n in items
        ],
        "settings_url": absolute("/account/notifications"),
    }
    text = env.get_template("notifications/mail.txt").render(context)
    html = env.get_template("notifications/mail.html").render(context)
    return text, html


def one_line(subject: str) -> str:
    """A subject as one header line: line breaks and runs of whitespace become one space (a
    header with a line break is refused by the mail library, and would otherwise stop the
    outbox)."""
    return " ".join(subject.split())


def queue_mail(
    session: Session,
    *,
    user: User,
    subject: str,
    items: Sequence[Notification],
    calendar: bytes | None = None,
    digest: str = "",
) -> OutboxMail:
    """Add one mail to the user to the outbox (the caller's transaction; no commit)."""
    text, html = render_bodies(user=user, heading=subject, items=items, digest=digest)
    mail = OutboxMail(
        user_id=user.id,
        to_address=user.email,
        subject=one_line(subject)[:300],
        text_body=text,
        html_body=html,
        calendar=calendar,
    )
    session.add(mail)
    return mail


def mime_message(mail: OutboxMail, *, sender: str) -> EmailMessage:
    """The message for SMTP: text with an HTML alternative, and the invitation when there is
    one (text/calendar; method=REQUEST, which mail programs show as a meeting to accept). The
    Message-ID is the outbox row's, so a message sent again after a crash is recognisably the
    same one."""
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    message["To"] = formataddr(("", mail.to_address))
    message["Message-ID"] = f"<outbox-{mail.id}.{mail.created_at:%Y%m%d%H%M%S}@{MAIL_DOMAIN}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    if mail.calendar:
        message.add_attachment(
            mail.calendar,
            maintype="text",
            subtype="calendar",
            params={"method": "REQUEST", "charset": "utf-8"},
            filename="invitation.ics",
        )
    return message
