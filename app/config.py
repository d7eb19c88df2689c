"""The one settings class: everything configurable comes from REFORMSTYR_* environment variables."""

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFORMSTYR_")

    database_url: str = f"sqlite:///{ROOT / 'data' / 'reformstyr.db'}"
    # Cookies get the Secure flag when the site is served over HTTPS (behind a proxy).
    secure_cookies: bool = False
    session_idle_minutes: int = 60
    session_absolute_hours: int = 12
    api_token_hours: int = 8
    # Sign-in throttling (docs/architecture.md): past its free failures, each further failed
    # sign-in for an account, or from a client address, doubles the wait before the next attempt
    # there, from login_delay_seconds up to login_max_delay_seconds. A failure counts for
    # login_window_minutes; a device cookie is remembered for login_device_days.
    login_free_failures: int = 5
    login_address_free_failures: int = 20
    login_delay_seconds: int = 2
    login_max_delay_seconds: int = 300
    login_window_minutes: int = 60
    login_device_days: int = 90
    # Single sign-on with the municipality's OpenID Connect provider (docs/sso.md): on when an
    # issuer and a client id are set. The provider's name is shown as "Log ind med <name>".
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    oidc_scopes: str = "openid profile email"
    # The claim that names the person (stored with the issuer on their account); when it is not
    # "sub", its value also finds an existing account by username or e-mail at first sign-in.
    oidc_user_claim: str = "sub"
    oidc_create_users: bool = False
    oidc_name: str = "kommunens login"
    # Off: only single sign-on, and the password of the break-glass administrator, let people in.
    local_passwords: bool = True
    break_glass_admin: str = ""
    # Mail (docs/notifications.md): with no SMTP host (the demo), mail stays in the outbox and
    # the administrator sees it at /admin/outbox. base_url starts the links in mail.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    mail_from: str = "Reformstyr <reformstyr@localhost>"
    base_url: str = "http://127.0.0.1:8000"
    # A fixed "today" (ISO date) for demonstrations; unset in real use (see app/clock.py).
    today: date | None = None
    # Attachments (bilag, docs/attachments.md): the directory their files are kept in (empty:
    # "attachments" beside the SQLite file, or data/attachments), and the largest file taken.
    attachments_dir: str = ""
    attachments_max_mb: int = 25

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
