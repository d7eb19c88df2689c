"""Participants: registration schemes, pseudonymous participants, follow-ups, registrars.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 08:11:27.828254
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "participant_registrar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("appointed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_participant_registrar_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_participant_registrar_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_registrar")),
        sa.UniqueConstraint(
            "project_id", "user_id", name=op.f("uq_participant_registrar_project_id_user_id")
        ),
    )
    with op.batch_alter_table("participant_registrar", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_registrar_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participant_registrar_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "registration_scheme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("grantor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("code_prefix", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("period_start_date", sa.Date(), nullable=True),
        sa.Column("period_end_date", sa.Date(), nullable=True),
        sa.Column("follow_up_every", sa.Integer(), nullable=False),
        sa.Column(
            "follow_up_unit",
            sa.Enum("days", "months", name="intervalunit", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("on_time_days", sa.Integer(), nullable=False),
        sa.Column("retention_months", sa.Integer(), nullable=False),
        sa.Column("target_groups", sa.JSON(), nullable=False),
        sa.Column("start_fields", sa.JSON(), nullable=False),
        sa.Column("follow_up_fields", sa.JSON(), nullable=False),
        sa.Column("exit_fields", sa.JSON(), nullable=False),
        sa.Column("exit_outcomes", sa.JSON(), nullable=False),
        sa.Column("hours_field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("hours_cap", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_registration_scheme_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_scheme")),
        sa.UniqueConstraint(
            "project_id", "name", name=op.f("uq_registration_scheme_project_id_name")
        ),
    )
    with op.batch_alter_table("registration_scheme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_scheme_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("target_group", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("start_values", sa.JSON(), nullable=False),
        sa.Column("exit_date", sa.Date(), nullable=True),
        sa.Column("exit_outcome", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("exit_values", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_participant_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["registration_scheme.id"],
            name=op.f("fk_participant_scheme_id_registration_scheme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sa.UniqueConstraint("project_id", "code", name=op.f("uq_participant_project_id_code")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_exit_date"), ["exit_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_scheme_id"), ["scheme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_start_date"), ["start_date"], unique=False)

    op.create_table(
        "participant_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("follow_up_date", sa.Date(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_participant_follow_up_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_participant_follow_up_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_follow_up")),
    )
    with op.batch_alter_table("participant_follow_up", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_follow_up_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participant_follow_up_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("participant_follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_follow_up_project_id"))
        batch_op.drop_index(batch_op.f("ix_participant_follow_up_participant_id"))

    op.drop_table("participant_follow_up")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_start_date"))
        batch_op.drop_index(batch_op.f("ix_participant_scheme_id"))
        batch_op.drop_index(batch_op.f("ix_participant_project_id"))
        batch_op.drop_index(batch_op.f("ix_participant_exit_date"))

    op.drop_table("participant")
    with op.batch_alter_table("registration_scheme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_scheme_project_id"))

    op.drop_table("registration_scheme")
    with op.batch_alter_table("participant_registrar", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_registrar_user_id"))
        batch_op.drop_index(batch_op.f("ix_participant_registrar_project_id"))

    op.drop_table("participant_registrar")
