"""A generated benchmark database copied to PostgreSQL, for the region/KL path (issue 24):

    scripts/with-postgres.sh python -m bench.runner --sizes L --postgres

`copy` makes a fresh database on the server named by REFORMSTYR_TEST_DATABASE_URL (as
scripts/with-postgres.sh sets it), migrates it to head as `reformstyr migrate` does, and copies
every table of the SQLite file through the app's own table definitions, so each value arrives
with its type (dates, booleans, amounts). The id sequences are set past the copied rows.
"""

import os

from sqlalchemy import Integer, create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import app.main  # noqa: F401  (every domain's tables registered in SQLModel.metadata)
from app.cli import migrate_database

CHUNK = 5000


def copy(sqlite_path: str, name: str) -> str:
    """The URL of a PostgreSQL database holding the same rows as the SQLite file."""
    server = make_url(os.environ["REFORMSTYR_TEST_DATABASE_URL"])
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = server.set(database=name).render_as_string(hide_password=False)
    migrate_database(url)
    source = create_engine(f"sqlite:///{sqlite_path}")
    target = create_engine(url)
    with source.connect() as read, target.begin() as write:
        for table in SQLModel.metadata.sorted_tables:
            rows = read.execute(select(table)).mappings()
            while chunk := rows.fetchmany(CHUNK):
                write.execute(insert(table), [dict(row) for row in chunk])
            if "id" in table.c and isinstance(table.c.id.type, Integer):
                write.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                    )
                )
        write.execute(text("ANALYZE"))
    source.dispose()
    target.dispose()
    return url
