"""Review mends: agenda items' own minutes in the search index; the notification kind
report_returned where the kind is constrained.

Search (migration 0021): an agenda item is found by its title, its description and now its own
minutes (added in 0019). SQLite: the item's three FTS5 triggers are made again with the minutes
in the indexed text (and a change of the minutes re-indexing the row), and the items' rows of
the index are written again from the items. PostgreSQL: the GIN index on the item's document is
made again over the new expression (app/search/sources.py holds the same one). The downgrade
puts 0021's triggers, rows and index back.

Notifications: the kind column is a plain string without a CHECK constraint (app.db.enum_type,
native_enum=False, and 0018 made no constraint), so the new value »report_returned« needs no
schema change here.

Revision ID: 0023
Revises: 0022
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

KINDS = 16
AGENDA_ITEM = 5  # the agenda item's kind number in the FTS rowid (0021, app/search/sources.py)
PROJECT = "(SELECT m.project_id FROM meeting AS m WHERE m.id = {r}meeting_id)"

# (columns whose change re-indexes the row, the indexed text, the PostgreSQL document)
BEFORE = (
    "title, description, meeting_id",
    "{r}description",
    "coalesce(title, '') || ' ' || coalesce(description, '')",
)
AFTER = (
    "title, description, minutes, meeting_id",
    "{r}description || ' ' || {r}minutes",
    "coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(minutes, '')",
)


def _sqlite(columns: str, text: str) -> None:
    """Make the agenda item's triggers anew over `text` and write its rows of the index again."""
    for suffix in ("ai", "au", "ad"):
        op.execute(f"DROP TRIGGER IF EXISTS search_agenda_item_{suffix}")
    new, plain = {"r": "NEW."}, {"r": ""}
    values = (
        f"NEW.id * {KINDS} + {AGENDA_ITEM}, {PROJECT.format(**new)}, NEW.title, "
        f"{text.format(**new)}"
    )
    insert = f"INSERT INTO search_index (rowid, project_id, title, body) VALUES ({values});"
    delete = f"DELETE FROM search_index WHERE rowid = OLD.id * {KINDS} + {AGENDA_ITEM};"
    op.execute(
        f"CREATE TRIGGER search_agenda_item_ai AFTER INSERT ON agenda_item BEGIN {insert} END"
    )
    op.execute(
        f"CREATE TRIGGER search_agenda_item_au AFTER UPDATE OF {columns} ON agenda_item "
        f"BEGIN {delete} {insert} END"
    )
    op.execute(
        f"CREATE TRIGGER search_agenda_item_ad AFTER DELETE ON agenda_item BEGIN {delete} END"
    )
    op.execute(f"DELETE FROM search_index WHERE rowid % {KINDS} = {AGENDA_ITEM}")
    op.execute(
        "INSERT INTO search_index (rowid, project_id, title, body) "
        f"SELECT id * {KINDS} + {AGENDA_ITEM}, {PROJECT.format(**plain)}, title, "
        f"{text.format(**plain)} FROM agenda_item"
    )


def _postgres(document: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_agenda_item_search")
    op.execute(
        f"CREATE INDEX ix_agenda_item_search ON agenda_item "
        f"USING gin (to_tsvector('danish', {document}))"
    )


def _apply(columns: str, text: str, document: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite(columns, text)
    else:
        _postgres(document)


def upgrade() -> None:
    _apply(*AFTER)


def downgrade() -> None:
    _apply(*BEFORE)
