"""Notifications and the mail outbox (issue 21): `notification` (one event told to one user,
shown in the app, carried by a digest mail when the user chose one), `notification_setting`
(a user's choice of mail delivery per kind; no row means the default) and `outbox_mail` (mail
written in the transaction of the change that caused it, claimed and sent by
`reformstyr send-mail`). New tables only: existing data is untouched.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "plan_submitted",
    "plan_decided",
    "report_submitted",
    "report_approved",
    "report_issued",
    "task_assigned",
    "milestone_slipping",
    "measurement_due",
    "follow_up_due",
    "meeting_called",
    "minutes_published",
)
DELIVERIES = ("immediate", "daily", "weekly", "none")


def _kind() -> sa.Enum:
    return sa.Enum(*KINDS, name="notificationkind", native_enum=False, length=40)


def _delivery() -> sa.Enum:
    return sa.Enum(*DELIVERIES, name="delivery", native_enum=False, length=40)


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("kind", _kind(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("read_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("digest", _delivery(), nullable=True),
        sa.Column("digested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("event_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_notification_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notification_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("user_id", "event_key", name=op.f("uq_notification_user_id_event_key")),
    )
    op.create_index(op.f("ix_notification_created_at"), "notification", ["created_at"])
    op.create_index(op.f("ix_notification_project_id"), "notification", ["project_id"])
    op.create_index(op.f("ix_notification_user_id"), "notification", ["user_id"])
    op.create_index("ix_notification_user_unread", "notification", ["user_id", "read_at"])

    op.create_table(
        "notification_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _kind(), nullable=False),
        sa.Column("delivery", _delivery(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notification_setting_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_setting")),
        sa.UniqueConstraint("user_id", "kind", name=op.f("uq_notification_setting_user_id_kind")),
    )
    op.create_index(op.f("ix_notification_setting_user_id"), "notification_setting", ["user_id"])

    op.create_table(
        "outbox_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("text_body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("html_body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("calendar", sa.LargeBinary(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sending",
                "sent",
                "failed",
                name="mailstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claim_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_outbox_mail_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_mail")),
    )
    op.create_index("ix_outbox_mail_due", "outbox_mail", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_outbox_mail_user_id"), "outbox_mail", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_mail_user_id"), table_name="outbox_mail")
    op.drop_index("ix_outbox_mail_due", table_name="outbox_mail")
    op.drop_table("outbox_mail")
    op.drop_index(op.f("ix_notification_setting_user_id"), table_name="notification_setting")
    op.drop_table("notification_setting")
    op.drop_index("ix_notification_user_unread", table_name="notification")
    op.drop_index(op.f("ix_notification_user_id"), table_name="notification")
    op.drop_index(op.f("ix_notification_project_id"), table_name="notification")
    op.drop_index(op.f("ix_notification_created_at"), table_name="notification")
    op.drop_table("notification")
