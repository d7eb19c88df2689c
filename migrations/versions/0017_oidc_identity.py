"""Single sign-on (issue 23): an account remembers who it is at the identity provider, and a
sign-in through the provider is kept in the database while it is under way.

`user_account` gains `oidc_issuer` and `oidc_subject` (null for the existing accounts: they are
linked at their first sign-in through the provider), unique together. The new table
`oidc_sign_in` holds the state, nonce and PKCE verifier of a sign-in under way (ten minutes at
most; deleted when used).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 08:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("oidc_issuer", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True)
        )
        batch_op.add_column(
            sa.Column("oidc_subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True)
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_user_account_oidc_issuer_oidc_subject"),
            ["oidc_issuer", "oidc_subject"],
        )
    op.create_table(
        "oidc_sign_in",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("browser_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("code_verifier", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("next_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_sign_in")),
    )
    with op.batch_alter_table("oidc_sign_in", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oidc_sign_in_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("oidc_sign_in", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oidc_sign_in_expires_at"))
    op.drop_table("oidc_sign_in")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_user_account_oidc_issuer_oidc_subject"), type_="unique"
        )
        batch_op.drop_column("oidc_subject")
        batch_op.drop_column("oidc_issuer")
