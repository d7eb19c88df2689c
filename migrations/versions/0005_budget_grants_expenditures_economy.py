"""Budget: funds, grants with eligible categories and purposes, budget lines, expenditures,
deviation explanations and the reform economy register.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 08:08:10.821094
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("grantor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("pool_ore", sa.BigInteger(), nullable=False),
        sa.Column("allocation_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_fund_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund")),
    )
    with op.batch_alter_table("fund", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_project_id"), ["project_id"], unique=False)

    op.create_table(
        "economy_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("director_area_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("cost", "saving", name="economykind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("expected_ore", sa.BigInteger(), nullable=False),
        sa.Column("realised_ore", sa.BigInteger(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["director_area_id"],
            ["director_area.id"],
            name=op.f("fk_economy_entry_director_area_id_director_area"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_economy_entry_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_economy_entry")),
    )
    with op.batch_alter_table("economy_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_economy_entry_director_area_id"), ["director_area_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_economy_entry_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "grant_award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.Column("report_due_date", sa.Date(), nullable=True),
        sa.Column("other_rules", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fund_id"], ["fund.id"], name=op.f("fk_grant_award_fund_id_fund"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_grant_award_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_award")),
    )
    with op.batch_alter_table("grant_award", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_award_fund_id"), ["fund_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grant_award_project_id"), ["project_id"], unique=False)

    op.create_table(
        "deviation_explanation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "staff_buyout",
                "consultancy",
                "transport",
                "project_staff",
                "training",
                "meetings",
                "materials",
                "other",
                name="costcategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["grant_award.id"],
            name=op.f("fk_deviation_explanation_grant_id_grant_award"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation_explanation")),
        sa.UniqueConstraint(
            "grant_id", "category", name=op.f("uq_deviation_explanation_grant_id_category")
        ),
    )
    with op.batch_alter_table("deviation_explanation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deviation_explanation_grant_id"), ["grant_id"], unique=False
        )

    op.create_table(
        "grant_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "staff_buyout",
                "consultancy",
                "transport",
                "project_staff",
                "training",
                "meetings",
                "materials",
                "other",
                name="costcategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("condition", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["grant_award.id"],
            name=op.f("fk_grant_category_grant_id_grant_award"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_category")),
        sa.UniqueConstraint(
            "grant_id", "category", name=op.f("uq_grant_category_grant_id_category")
        ),
    )
    with op.batch_alter_table("grant_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_category_grant_id"), ["grant_id"], unique=False)

    op.create_table(
        "grant_purpose",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["grant_award.id"],
            name=op.f("fk_grant_purpose_grant_id_grant_award"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_purpose")),
    )
    with op.batch_alter_table("grant_purpose", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_purpose_grant_id"), ["grant_id"], unique=False)

    op.create_table(
        "budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "staff_buyout",
                "consultancy",
                "transport",
                "project_staff",
                "training",
                "meetings",
                "materials",
                "other",
                name="costcategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("purpose_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("month_date", sa.Date(), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["grant_award.id"],
            name=op.f("fk_budget_line_grant_id_grant_award"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["body.id"],
            name=op.f("fk_budget_line_group_id_body"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_budget_line_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["purpose_id"],
            ["grant_purpose.id"],
            name=op.f("fk_budget_line_purpose_id_grant_purpose"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_line")),
    )
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_line_grant_id"), ["grant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_budget_line_project_id"), ["project_id"], unique=False)

    op.create_table(
        "expenditure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=True),
        sa.Column("expense_date", sa.Date(), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "staff_buyout",
                "consultancy",
                "transport",
                "project_staff",
                "training",
                "meetings",
                "materials",
                "other",
                name="costcategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("purpose_id", sa.Integer(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("supplier", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("hours_hundredths", sa.Integer(), nullable=True),
        sa.Column("hourly_rate_ore", sa.BigInteger(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("condition_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("attachment_ref", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum("committed", "paid", name="expenditurestatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("correction_of_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["correction_of_id"],
            ["expenditure.id"],
            name=op.f("fk_expenditure_correction_of_id_expenditure"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["grant_award.id"],
            name=op.f("fk_expenditure_grant_id_grant_award"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["body.id"],
            name=op.f("fk_expenditure_group_id_body"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_expenditure_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["purpose_id"],
            ["grant_purpose.id"],
            name=op.f("fk_expenditure_purpose_id_grant_purpose"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_expenditure_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenditure")),
    )
    with op.batch_alter_table("expenditure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expenditure_correction_of_id"), ["correction_of_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_expenditure_expense_date"), ["expense_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_expenditure_grant_id"), ["grant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expenditure_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("expenditure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expenditure_project_id"))
        batch_op.drop_index(batch_op.f("ix_expenditure_grant_id"))
        batch_op.drop_index(batch_op.f("ix_expenditure_expense_date"))
        batch_op.drop_index(batch_op.f("ix_expenditure_correction_of_id"))

    op.drop_table("expenditure")
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_line_project_id"))
        batch_op.drop_index(batch_op.f("ix_budget_line_grant_id"))

    op.drop_table("budget_line")
    with op.batch_alter_table("grant_purpose", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_purpose_grant_id"))

    op.drop_table("grant_purpose")
    with op.batch_alter_table("grant_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_category_grant_id"))

    op.drop_table("grant_category")
    with op.batch_alter_table("deviation_explanation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deviation_explanation_grant_id"))

    op.drop_table("deviation_explanation")
    with op.batch_alter_table("grant_award", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_award_project_id"))
        batch_op.drop_index(batch_op.f("ix_grant_award_fund_id"))

    op.drop_table("grant_award")
    with op.batch_alter_table("economy_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_economy_entry_project_id"))
        batch_op.drop_index(batch_op.f("ix_economy_entry_director_area_id"))

    op.drop_table("economy_entry")
    with op.batch_alter_table("fund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fund_project_id"))

    op.drop_table("fund")
