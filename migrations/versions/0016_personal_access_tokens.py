"""Personal access tokens (issue 23): a user's named tokens for scripts, kept as sessions of
the kind "personal", each with a name, an optional expiry and an optional read-only limit.

`user_session` gains `name` (empty for browser sessions and password-flow tokens) and
`read_only` (false), and `expires_at` becomes nullable: a personal token may have no expiry.
Existing rows keep their values.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "name",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("read_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.alter_column(
            "expires_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True
        )
    # The defaults filled the existing rows; new rows get theirs from the application.
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.alter_column("name", server_default=None)
        batch_op.alter_column("read_only", server_default=None)


def downgrade() -> None:
    # A personal token without an expiry cannot be kept in the older schema.
    op.execute("DELETE FROM user_session WHERE expires_at IS NULL")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False
        )
        batch_op.drop_column("read_only")
        batch_op.drop_column("name")
