"""Dated organisation changes: a log of changes to the organisation, each with the date it
takes effect (issue 20).

One new table, `organisation_change`: the project, the day the change takes effect, its kind,
the body and the person it concerns (ON DELETE SET NULL, with their names kept as text so a
change still reads once they are gone), a description, whether it was written by hand, and who
recorded it when. Existing data is untouched: the log starts empty (memberships carried no dates
before), and downgrading drops the table with its rows.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("member_joined", "member_left", "role_changed", "body_created", "body_removed", "other")


def upgrade() -> None:
    op.create_table(
        "organisation_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="changekind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("body_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("person_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
            name=op.f("fk_organisation_change_body_id_body"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_organisation_change_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_organisation_change_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_organisation_change_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_change")),
    )
    with op.batch_alter_table("organisation_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_change_body_id"), ["body_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organisation_change_effective_date"), ["effective_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organisation_change_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_change_project_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_change_effective_date"))
        batch_op.drop_index(batch_op.f("ix_organisation_change_body_id"))
    op.drop_table("organisation_change")
