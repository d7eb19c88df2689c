"""Test fixtures: a fresh migrated database per test (SQLite file, or PostgreSQL when
REFORMSTYR_TEST_DATABASE_URL is set), the app on it, clients signed in per role, factories."""

import os
import shutil
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from app.auth import service as auth_service
from app.cli import migrate_database
from app.config import Settings, get_settings
from app.db import Database
from app.main import create_app
from tests.factories import ProjectWorld, make_world

# The longest files first: `--dist loadfile` hands each file whole to one worker in collection
# order, so a long file collected late keeps one worker busy after the other has finished.
LONGEST_FIRST = (
    "tests/security/test_authorization_matrix.py",
    "tests/security/test_csrf.py",
    "tests/browser/test_accessibility.py",
    "tests/security/test_audit_trail.py",
    "tests/security/test_hostile_input.py",
    "tests/security/test_conditional_writes.py",
    "tests/security/test_headers.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: place for place, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def _worker_database(url: str) -> str:
    """With pytest-xdist, each worker gets its own PostgreSQL database on the same server (and
    the environment says so, for the tests that read it)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker:
        return url
    name = f"reformstyr_test_{worker}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    worker_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    os.environ["REFORMSTYR_TEST_DATABASE_URL"] = worker_url
    return worker_url


# Every test's world opens eight accounts with the same password, and argon2 with the production
# parameters (~25 ms a hash) made that minutes of the suite. Each distinct password is hashed
# once per test process: still a real argon2 hash, verified for real at every sign-in.
auth_service.hash_password = lru_cache(maxsize=256)(auth_service.hash_password)

PG_URL = _worker_database(os.environ.get("REFORMSTYR_TEST_DATABASE_URL", ""))


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate once per run; each test then starts from a copy (SQLite) or emptied tables (PG)."""
    if PG_URL:
        engine = Database(PG_URL).engine
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        migrate_database(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate_database(f"sqlite:///{path}")
    return str(path)


def fresh_database(template_database: str, folder: Path) -> str:
    """A database of its own with the migrated schema and no rows: a copy of the template file
    in `folder` on SQLite, the emptied test database on PostgreSQL."""
    if PG_URL:
        db = Database(PG_URL)
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.dispose()
        return PG_URL
    path = folder / "test.db"
    shutil.copyfile(template_database, path)
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def attachments_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test's attachments in its own folder, on PostgreSQL as on SQLite (where the default
    folder is beside the database file), never in the checkout's data/."""
    folder = tmp_path / "attachments"
    monkeypatch.setenv("REFORMSTYR_ATTACHMENTS_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


@pytest.fixture
def database_url(template_database: str, tmp_path: Path) -> str:
    return fresh_database(template_database, tmp_path)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    """The test's own session. It begins deferred transactions, so reading never holds the write
    lock, and the client below ends its transaction around each request (see SyncedClient)."""
    with db.session() as s:
        yield s


@pytest.fixture
def app(settings: Settings):
    application = create_app(settings)
    yield application
    application.state.db.dispose()


class SyncedClient(TestClient):
    """A TestClient that lets the app see what the test wrote, and the test see what the app
    wrote: the test session commits before each request and forgets its loaded rows after."""

    def __init__(self, app, session: Session) -> None:
        super().__init__(app)
        self.test_session = session

    def request(self, *args, **kwargs):  # type: ignore[override]
        self.test_session.commit()
        try:
            return super().request(*args, **kwargs)
        finally:
            self.test_session.expire_all()


@pytest.fixture
def client(app, session: Session) -> Iterator[TestClient]:
    with SyncedClient(app, session) as c:
        yield c


@pytest.fixture
def world(session: Session) -> ProjectWorld:
    """A project with its organisation and one user per role (see tests/factories.py)."""
    return make_world(session)
