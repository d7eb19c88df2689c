"""The one settings class: everything configurable comes from REFORMSTYR_* environment variables."""

from datetime import date
from functools import lru_cache
from pathlib import Path

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
    login_max_failures: int = 5
    login_window_minutes: int = 15
    municipality: str = "Svendborg Kommune"
    # A fixed "today" (ISO date) for demonstrations; unset in real use (see app/clock.py).
    today: date | None = None


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
