"""`reformstyr send-mail` and `reformstyr send-digests`, as cron or a timer runs them."""

from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from app.notifications.models import Delivery, MailStatus, NotificationKind, OutboxMail
from app.notifications.service import update_settings
from tests.factories import make_user
from tests.notifications.factories import tell

runner = CliRunner()


def _run(monkeypatch, env: dict[str, str], *args: str) -> str:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from app.config import get_settings

    get_settings.cache_clear()
    try:
        result = runner.invoke(cli, list(args))
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.output


def test_send_digests_then_send_mail_delivers_over_smtp(
    monkeypatch, database_url: str, session: Session, smtp
) -> None:
    inbox, port = smtp
    user = make_user(session, email="d@test.example")
    update_settings(
        session=session, user=user, choices={NotificationKind.task_assigned: Delivery.daily}
    )
    tell(session, [user.id])
    env = {"REFORMSTYR_DATABASE_URL": database_url, "REFORMSTYR_TODAY": "2013-05-14"}
    said = _run(monkeypatch, env, "send-digests")
    assert "1 samlede mails i udbakken" in said
    held = _run(monkeypatch, env, "send-mail")
    assert "mails bliver i udbakken" in held
    env |= {"REFORMSTYR_SMTP_HOST": "127.0.0.1", "REFORMSTYR_SMTP_PORT": str(port)}
    assert "1 mails sendt" in _run(monkeypatch, env, "send-mail")
    assert "0 mails sendt" in _run(monkeypatch, env, "send-mail")
    [message] = inbox.messages
    assert "dagligt overblik" in message["Subject"]
    session.expire_all()
    assert session.exec(select(OutboxMail)).one().status == MailStatus.sent
