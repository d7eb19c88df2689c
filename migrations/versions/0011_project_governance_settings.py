"""Governance as data: which body approves plans, which approves status reports and which
receives them, per project (issue 20).

Three nullable references from project to body, ON DELETE SET NULL; null means the default
(the steering group approves, the directorate receives; app.governance.bodies.governing_body).
Existing projects get null, so they keep today's behaviour. On SQLite the batch rebuild of
`project` runs without foreign-key enforcement (migrations/env.py), so dropping the old table
cascades to nothing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("plan_approver_id", "report_approver_id", "report_recipient_id")


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_project_{column}_body"),
                "body",
                [column],
                ["id"],
                ondelete="SET NULL",
            )


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_constraint(batch_op.f(f"fk_project_{column}_body"), type_="foreignkey")
            batch_op.drop_column(column)
