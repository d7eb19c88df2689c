"""Task hierarchy: sub-tasks with a parent and a position among their siblings (issue 20).

`task.parent_id` (nullable, indexed, FK to task.id ON DELETE CASCADE — the service refuses to
delete a task with sub-tasks, so only a project's deletion cascades) and `task.position` (the
order among siblings, 1..n). Existing tasks stay top-level (parent null) and get positions
1..n within their project and group in today's display order (start date, empty last; due
date; id), so every list shows them as before, now numbered 1, 2, 3. The number (1.2.3) is
not stored. On SQLite the batch rebuild of `task` runs without foreign-key enforcement
(migrations/env.py).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_index(batch_op.f("ix_task_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_task_parent_id_task"), "task", ["parent_id"], ["id"], ondelete="CASCADE"
        )
    # Today's order within each group (and among the tasks without a group), as positions.
    op.execute(
        """
        UPDATE task SET position = (
            SELECT ranked.n FROM (
                SELECT id, ROW_NUMBER() OVER (
                    PARTITION BY project_id, group_id
                    ORDER BY CASE WHEN start_date IS NULL THEN 1 ELSE 0 END,
                             start_date, due_date, id
                ) AS n
                FROM task
            ) AS ranked
            WHERE ranked.id = task.id
        )
        """
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.alter_column("position", server_default=None)


def downgrade() -> None:
    # Sub-tasks become top-level tasks again (their rolled-up parents keep their last dates).
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_task_parent_id_task"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_task_parent_id"))
        batch_op.drop_column("position")
        batch_op.drop_column("parent_id")
