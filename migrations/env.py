"""Alembic environment: our metadata, batch mode for SQLite, the URL from settings."""

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table on the metadata)
from app.config import get_settings
from app.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


# Kept by hand in migrations, outside SQLModel's metadata (0021): SQLite's FTS5 table with its
# shadow tables, and PostgreSQL's GIN indexes on expressions.
SEARCH_INDEX = "search_index"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave the search index out of autogenerate (and so out of alembic check)."""
    if type_ == "table" and name and name.startswith(SEARCH_INDEX):
        return False
    return not (type_ == "index" and name and name.endswith("_search"))


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def _without_foreign_key_actions(connection: Connection) -> None:
    """SQLite: no foreign-key enforcement while migrating, as SQLite's own procedure for a table
    rebuild asks. A batch rebuild drops the old table, and a DROP TABLE with enforcement on
    deletes (ON DELETE CASCADE) every row that refers to it. Set on the driver's connection
    before the transaction begins (the pragma does nothing inside one); checked at the end."""
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")


def _check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"The migration leaves rows with broken references: {broken[:5]}")


def run_migrations_online() -> None:
    engine = make_engine(_url())
    with engine.connect() as connection:
        _without_foreign_key_actions(connection)
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
            _check_foreign_keys(connection)
    # The connection went without enforcement: it is not handed out again.
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
