"""Search index (issue 21): full-text search across a project.

SQLite: one FTS5 table, `search_index` (tokenizer unicode61 with remove_diacritics 0, so æ, ø
and å stay letters of their own), kept by triggers on each searched table. A row's FTS rowid is
`id * 16 + kind` (the kinds below), so a trigger replaces its row by rowid without a scan. The
table is filled from the rows already there. It is not in SQLModel's metadata:
migrations/env.py leaves `search_index*` out of autogenerate (alembic check).

A later migration that rebuilds one of these tables on SQLite (batch mode: copy, drop, rename)
drops its triggers with it: it must create them again (tests/search/test_index.py fails if a
trigger is missing at head).

PostgreSQL: no table; the search reads the rows themselves with to_tsvector('danish', …), and
each searched table gets a GIN index on exactly that expression (app/search/sources.py holds
the same expressions; the two must stay equal for the indexes to be used).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (kind number, table, columns whose change re-indexes the row, project id, title, text):
# SQL expressions over the row (`{r}.` is NEW. or OLD. in triggers, nothing in the fill).
SOURCES = (
    (1, "task", "title, description", "{r}project_id", "{r}title", "{r}description"),
    (2, "milestone", "name, description", "{r}project_id", "{r}name", "{r}description"),
    (3, "decision", "title, text", "{r}project_id", "{r}title", "{r}text"),
    (4, "meeting", "place, minutes", "{r}project_id", "{r}place", "{r}minutes"),
    (
        5,
        "agenda_item",
        "title, description, meeting_id",
        "(SELECT m.project_id FROM meeting AS m WHERE m.id = {r}meeting_id)",
        "{r}title",
        "{r}description",
    ),
    (
        6,
        "stakeholder",
        "name, organisation, needs",
        "{r}project_id",
        "{r}name",
        "{r}organisation || ' ' || {r}needs",
    ),
    (
        7,
        "raid_item",
        "title, description, response",
        "{r}project_id",
        "{r}title",
        "{r}description || ' ' || {r}response",
    ),
    (8, "status_report", "number", "{r}project_id", "'Statusrapport nr. ' || {r}number", "''"),
    (9, "plan", "title, description", "{r}project_id", "{r}title", "{r}description"),
)
KINDS = 16

# PostgreSQL: the document of each table, as app/search/sources.py writes it.
PG_DOCUMENTS = {
    "task": "coalesce(title, '') || ' ' || coalesce(description, '')",
    "milestone": "coalesce(name, '') || ' ' || coalesce(description, '')",
    "decision": "coalesce(title, '') || ' ' || coalesce(text, '')",
    "meeting": "coalesce(place, '') || ' ' || coalesce(minutes, '')",
    "agenda_item": "coalesce(title, '') || ' ' || coalesce(description, '')",
    "stakeholder": (
        "coalesce(name, '') || ' ' || coalesce(organisation, '') || ' ' || coalesce(needs, '')"
    ),
    "raid_item": (
        "coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(response, '')"
    ),
    "status_report": "'Statusrapport nr. ' || number::text",
    "plan": "coalesce(title, '') || ' ' || coalesce(description, '')",
}


def _sqlite_upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "project_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 0')"
    )
    for kind, table, columns, project, title, text in SOURCES:
        new = {"r": "NEW."}
        values = (
            f"NEW.id * {KINDS} + {kind}, {project.format(**new)}, "
            f"{title.format(**new)}, {text.format(**new)}"
        )
        insert = f"INSERT INTO search_index (rowid, project_id, title, body) VALUES ({values});"
        delete = f"DELETE FROM search_index WHERE rowid = OLD.id * {KINDS} + {kind};"
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {insert} END")
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {columns} ON {table} "
            f"BEGIN {delete} {insert} END"
        )
        op.execute(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {delete} END")
        plain = {"r": ""}
        op.execute(
            "INSERT INTO search_index (rowid, project_id, title, body) "
            f"SELECT id * {KINDS} + {kind}, {project.format(**plain)}, {title.format(**plain)}, "
            f"{text.format(**plain)} FROM {table}"
        )


def _sqlite_downgrade() -> None:
    for _kind, table, *_ in SOURCES:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
        return
    for table, document in PG_DOCUMENTS.items():
        op.execute(
            f"CREATE INDEX ix_{table}_search ON {table} "
            f"USING gin (to_tsvector('danish', {document}))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_downgrade()
        return
    for table in PG_DOCUMENTS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
