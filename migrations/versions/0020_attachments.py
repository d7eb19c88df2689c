"""Attachments (bilag) (issue 21): one table, its owner one of five nullable references (meeting,
agenda item, task, decision, plan), exactly one set (check constraint), each ON DELETE CASCADE so
deleting the owner deletes its rows. A new table: existing rows are untouched.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNERS = ("meeting", "agenda_item", "task", "decision", "plan")
# Exactly one owner (CASE, not a boolean sum: PostgreSQL does not add booleans).
ONE_OWNER = (
    " + ".join(f"CASE WHEN {owner}_id IS NULL THEN 0 ELSE 1 END" for owner in OWNERS) + " = 1"
)


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        *(sa.Column(f"{owner}_id", sa.Integer(), nullable=True) for owner in OWNERS),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_name", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(ONE_OWNER, name=op.f("ck_attachment_one_owner")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_attachment_project_id_project"),
            ondelete="CASCADE",
        ),
        *(
            sa.ForeignKeyConstraint(
                [f"{owner}_id"],
                [f"{owner}.id"],
                name=op.f(f"fk_attachment_{owner}_id_{owner}"),
                ondelete="CASCADE",
            )
            for owner in OWNERS
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_attachment_uploaded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    for column in ("project_id", *(f"{owner}_id" for owner in OWNERS), "sha256"):
        op.create_index(op.f(f"ix_attachment_{column}"), "attachment", [column], unique=False)


def downgrade() -> None:
    for column in ("project_id", *(f"{owner}_id" for owner in OWNERS), "sha256"):
        op.drop_index(op.f(f"ix_attachment_{column}"), table_name="attachment")
    op.drop_table("attachment")
