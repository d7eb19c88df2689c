"""Database engine and sessions: SQLite (WAL, FULL sync, immediate writes) or PostgreSQL."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, create_engine

from app.errors import Invalid, NotFound

T = TypeVar("T", bound=SQLModel)
log = logging.getLogger(__name__)
SLOW_WRITE_SECONDS = 2.0

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


class _ProjectRow(Protocol):
    project_id: int


R = TypeVar("R", bound=_ProjectRow)


def stored_id(row: _Row) -> int:
    """The primary key of a row known to be stored (loaded, or added and flushed). Its column is
    `int | None` only because a new row has no key until the database gives it one."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id: it has not been flushed")
    return row.id


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (every *_at column holds UTC)."""
    return datetime.now(UTC)


def enum_type(enum_cls: type[StrEnum]) -> sa.Enum:
    """An enum stored as its value in a plain string column: new values need no type migration."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=40,
        values_callable=lambda members: [m.value for m in members],
    )


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets the pragmas that make concurrent writers safe."""
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself, so writers can BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock at BEGIN, so it waits its turn (busy_timeout) instead of
        # failing with "database is locked" when it later tries to upgrade a read lock.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        if immediate:
            connection.info["write_lock_since"] = time.monotonic()

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection: Any) -> None:
        since = connection.info.pop("write_lock_since", None)
        if since is not None and (held := time.monotonic() - since) > SLOW_WRITE_SECONDS:
            # Every other writer waits this long: worth knowing about (busy_timeout is 30 s).
            log.warning("A write transaction held SQLite's write lock for %.1f s", held)

    return engine


class Database:
    """The engine of one application instance, with readers' and writers' sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._writer = self.engine.execution_options(sqlite_immediate=True)

    def session(self, *, write: bool = False) -> Session:
        return Session(self._writer if write else self.engine, expire_on_commit=False)

    def request_session(self, *, write: bool) -> Session:
        """The session of one web request. A writing request writes once: after its commit,
        what it reads to build the answer is read without SQLite's write lock, which would
        otherwise stay taken until the answer has been sent."""
        session = self.session(write=write)
        if write:
            session.info[READ_AFTER_COMMIT] = self.engine
        return session

    @contextmanager
    def begin(self, *, write: bool = True) -> Iterator[Session]:
        """A session for CLI and background work; rolls back if the block raises."""
        with self.session(write=write) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


READ_AFTER_COMMIT = "read_after_commit"


@event.listens_for(Session, "after_commit")
def _read_after_commit(session: Session) -> None:
    reader = session.info.pop(READ_AFTER_COMMIT, None)
    if reader is not None:
        session.bind = reader
        session.info["committed"] = True


@event.listens_for(Session, "before_flush")
def _write_once(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get("committed") and (session.new or session.dirty or session.deleted):
        # A second write would begin without the write lock and could fail at once under
        # load (SQLite refuses to upgrade a stale read); a use case commits once.
        raise RuntimeError("A request's session writes once; this one has already committed.")


def get_for_update(*, session: Session, model: type[T], item_id: int) -> T | None:
    """Load a row locked for this transaction (SELECT … FOR UPDATE on PostgreSQL)."""
    return session.get(model, item_id, with_for_update=True)


def project_row(
    model: type[R],
    row_id: int,
    *,
    session: Session,
    project_id: int,
    missing: str,
    field: str | None = None,
    lock: bool = False,
) -> R:
    """The row `row_id` of `model` if it belongs to project `project_id`, else NotFound with the
    message `missing` (the same answer for a row of another project as for no row: nobody learns
    what another project holds) — or, for a row an input refers to in its `field`, Invalid
    naming that field. `lock` holds the row for this transaction."""
    row = session.get(model, row_id, with_for_update=True if lock else None)
    if row is None or row.project_id != project_id:
        raise NotFound(missing) if field is None else Invalid(missing, field=field)
    return row
