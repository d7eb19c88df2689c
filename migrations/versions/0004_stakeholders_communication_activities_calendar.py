"""Stakeholders with position history, communication actions, external activities, calendar tokens.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 08:10:39.190649
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_calendar_token_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_calendar_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_token")),
        sa.UniqueConstraint(
            "project_id", "user_id", name=op.f("uq_calendar_token_project_id_user_id")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_token_token_hash")),
    )
    with op.batch_alter_table("calendar_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_token_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_calendar_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "external_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "network",
                "seminar",
                "meeting",
                "theme_day",
                name="activitykind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("organiser", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=True),
        sa.Column("start_time", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("delegate_limit", sa.Integer(), nullable=True),
        sa.Column("limit_note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "delegate_limit IS NULL OR delegate_limit >= 1",
            name=op.f("ck_external_activity_delegate_limit"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["body.id"],
            name=op.f("fk_external_activity_group_id_body"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_external_activity_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_activity")),
    )
    with op.batch_alter_table("external_activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_external_activity_activity_date"), ["activity_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_external_activity_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_external_activity_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "stakeholder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("internal", "external", name="stakeholderkind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("director_area_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column(
            "attitude",
            sa.Enum(
                "opposing",
                "sceptical",
                "neutral",
                "positive",
                "supportive",
                name="attitude",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("needs", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column(
            "strategy_override",
            sa.Enum(
                "manage_closely",
                "keep_satisfied",
                "keep_informed",
                "monitor",
                name="strategy",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("override_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "influence BETWEEN 1 AND 5", name=op.f("ck_stakeholder_influence_range")
        ),
        sa.CheckConstraint("interest BETWEEN 1 AND 5", name=op.f("ck_stakeholder_interest_range")),
        sa.ForeignKeyConstraint(
            ["director_area_id"],
            ["director_area.id"],
            name=op.f("fk_stakeholder_director_area_id_director_area"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["body.id"],
            name=op.f("fk_stakeholder_group_id_body"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_stakeholder_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder")),
    )
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholder_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stakeholder_project_id"), ["project_id"], unique=False)

    op.create_table(
        "activity_delegate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["external_activity.id"],
            name=op.f("fk_activity_delegate_activity_id_external_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_activity_delegate_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_delegate")),
        sa.UniqueConstraint(
            "activity_id", "person_id", name=op.f("uq_activity_delegate_activity_id_person_id")
        ),
    )
    with op.batch_alter_table("activity_delegate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_delegate_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_activity_delegate_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "communication_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("what", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "meeting",
                "email",
                "newsletter",
                "intranet",
                "website",
                "press",
                "seminar",
                "phone",
                "other",
                name="channel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("responsible_person_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["body.id"],
            name=op.f("fk_communication_action_group_id_body"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_communication_action_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["responsible_person_id"],
            ["person.id"],
            name=op.f("fk_communication_action_responsible_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_communication_action_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communication_action")),
    )
    with op.batch_alter_table("communication_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_communication_action_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_communication_action_planned_date"), ["planned_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_communication_action_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_communication_action_stakeholder_id"), ["stakeholder_id"], unique=False
        )

    op.create_table(
        "stakeholder_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("assessed_date", sa.Date(), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column(
            "attitude",
            sa.Enum(
                "opposing",
                "sceptical",
                "neutral",
                "positive",
                "supportive",
                name="attitude",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_stakeholder_position_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_stakeholder_position_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_position")),
    )
    with op.batch_alter_table("stakeholder_position", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stakeholder_position_stakeholder_id"), ["stakeholder_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("stakeholder_position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_position_stakeholder_id"))

    op.drop_table("stakeholder_position")
    with op.batch_alter_table("communication_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communication_action_stakeholder_id"))
        batch_op.drop_index(batch_op.f("ix_communication_action_project_id"))
        batch_op.drop_index(batch_op.f("ix_communication_action_planned_date"))
        batch_op.drop_index(batch_op.f("ix_communication_action_group_id"))

    op.drop_table("communication_action")
    with op.batch_alter_table("activity_delegate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_delegate_person_id"))
        batch_op.drop_index(batch_op.f("ix_activity_delegate_activity_id"))

    op.drop_table("activity_delegate")
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_project_id"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_group_id"))

    op.drop_table("stakeholder")
    with op.batch_alter_table("external_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_external_activity_project_id"))
        batch_op.drop_index(batch_op.f("ix_external_activity_group_id"))
        batch_op.drop_index(batch_op.f("ix_external_activity_activity_date"))

    op.drop_table("external_activity")
    with op.batch_alter_table("calendar_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_calendar_token_project_id"))

    op.drop_table("calendar_token")
