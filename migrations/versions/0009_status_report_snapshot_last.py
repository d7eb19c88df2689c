"""Status reports: the snapshot becomes the last column on SQLite.

SQLite reads a row's columns in order, so every column after a large value costs a walk
through its overflow pages: with 50 KB snapshots, the dashboard's report heads (levels,
issued_at) read the whole snapshot of every report it lists (bench/README.md). Moving the
snapshot last makes those reads cheap. PostgreSQL stores large values apart (TOAST) and is left
as it is. Done with ADD/DROP/RENAME COLUMN (SQLite 3.35+), not a table rebuild, so the
reports' PDF rows (ON DELETE CASCADE) are never touched.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _move_snapshot_last() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("ALTER TABLE status_report ADD COLUMN snapshot_moved JSON")
    op.execute("UPDATE status_report SET snapshot_moved = snapshot")
    op.execute("ALTER TABLE status_report DROP COLUMN snapshot")
    op.execute("ALTER TABLE status_report RENAME COLUMN snapshot_moved TO snapshot")


def upgrade() -> None:
    _move_snapshot_last()


def downgrade() -> None:
    # Column order is physical only; the schema is the same either way.
    pass
