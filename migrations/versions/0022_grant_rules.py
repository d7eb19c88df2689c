"""Grant rules: activity kinds, funded posts, economy over periods (issue 26).

New tables: `project_activity_kind` (a project's kinds of activity), `activity_kind_tag` (the
kind of a meeting, task or external activity — kept in the budget's own table, so the other
domains' tables keep their columns), `grant_category_kind` (the kinds a restricted category
requires), `funded_post` (a grant's posts) and `economy_year` (a multi-year economy entry's
amount per year, when given per year).
New columns, all nullable or with a server default, so every existing row stays valid:
`grant_award.posts_only` (false: no grant restricts pay to posts until someone says so),
`expenditure.post_id`, `meeting_id`, `task_id`, `external_activity_id` (null: not linked) and
`economy_entry.last_year` (null: one year, as before).
No category names activity kinds yet, so no existing expense is refused; an expense accepted
under a condition before its category named kinds keeps its note and is shown as "ikke knyttet
til en aktivitet" (computed, app/budget/activities.py), never refused retroactively.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORY = sa.Enum(
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
)
# expenditure's new references: column, referred table.
EXPENSE_LINKS = (
    ("post_id", "funded_post"),
    ("meeting_id", "meeting"),
    ("task_id", "task"),
    ("external_activity_id", "external_activity"),
)


def _fk(
    table: str, column: str, referred: str, ondelete: str = "CASCADE"
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{referred}.id"],
        name=op.f(f"fk_{table}_{column}_{referred}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "project_activity_kind",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("project_activity_kind", "project_id", "project"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_activity_kind")),
        sa.UniqueConstraint(
            "project_id", "name", name=op.f("uq_project_activity_kind_project_id_name")
        ),
    )
    op.create_index(
        op.f("ix_project_activity_kind_project_id"), "project_activity_kind", ["project_id"]
    )
    op.create_table(
        "activity_kind_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("external_activity_id", sa.Integer(), nullable=True),
        _fk("activity_kind_tag", "project_id", "project"),
        _fk("activity_kind_tag", "kind_id", "project_activity_kind"),
        _fk("activity_kind_tag", "meeting_id", "meeting"),
        _fk("activity_kind_tag", "task_id", "task"),
        _fk("activity_kind_tag", "external_activity_id", "external_activity"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_kind_tag")),
        *(
            sa.UniqueConstraint(column, name=op.f(f"uq_activity_kind_tag_{column}"))
            for column in ("meeting_id", "task_id", "external_activity_id")
        ),
    )
    op.create_index(op.f("ix_activity_kind_tag_project_id"), "activity_kind_tag", ["project_id"])
    op.create_index(op.f("ix_activity_kind_tag_kind_id"), "activity_kind_tag", ["kind_id"])
    op.create_table(
        "grant_category_kind",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("category", CATEGORY, nullable=False),
        sa.Column("kind_id", sa.Integer(), nullable=False),
        _fk("grant_category_kind", "grant_id", "grant_award"),
        _fk("grant_category_kind", "kind_id", "project_activity_kind"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_category_kind")),
        sa.UniqueConstraint(
            "grant_id",
            "category",
            "kind_id",
            name=op.f("uq_grant_category_kind_grant_id_category_kind_id"),
        ),
    )
    op.create_index(op.f("ix_grant_category_kind_grant_id"), "grant_category_kind", ["grant_id"])
    op.create_index(op.f("ix_grant_category_kind_kind_id"), "grant_category_kind", ["kind_id"])
    op.create_table(
        "funded_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.Column("hours_hundredths", sa.Integer(), nullable=True),
        sa.Column("share_hundredths", sa.Integer(), nullable=True),
        sa.Column("budget_ore", sa.BigInteger(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("funded_post", "project_id", "project"),
        _fk("funded_post", "grant_id", "grant_award"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funded_post")),
    )
    op.create_index(op.f("ix_funded_post_project_id"), "funded_post", ["project_id"])
    op.create_index(op.f("ix_funded_post_grant_id"), "funded_post", ["grant_id"])
    op.create_table(
        "economy_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("expected_ore", sa.BigInteger(), nullable=False),
        _fk("economy_year", "entry_id", "economy_entry"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_economy_year")),
        sa.UniqueConstraint("entry_id", "year", name=op.f("uq_economy_year_entry_id_year")),
    )
    op.create_index(op.f("ix_economy_year_entry_id"), "economy_year", ["entry_id"])
    with op.batch_alter_table("grant_award", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("posts_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("expenditure", schema=None) as batch_op:
        for column, referred in EXPENSE_LINKS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_expenditure_{column}_{referred}"),
                referred,
                [column],
                ["id"],
                ondelete="SET NULL",
            )
        batch_op.create_index(batch_op.f("ix_expenditure_post_id"), ["post_id"], unique=False)
    with op.batch_alter_table("economy_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("economy_entry", schema=None) as batch_op:
        batch_op.drop_column("last_year")
    with op.batch_alter_table("expenditure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expenditure_post_id"))
        for column, referred in reversed(EXPENSE_LINKS):
            batch_op.drop_constraint(
                batch_op.f(f"fk_expenditure_{column}_{referred}"), type_="foreignkey"
            )
            batch_op.drop_column(column)
    with op.batch_alter_table("grant_award", schema=None) as batch_op:
        batch_op.drop_column("posts_only")
    for table in (
        "economy_year",
        "funded_post",
        "grant_category_kind",
        "activity_kind_tag",
        "project_activity_kind",
    ):
        op.drop_table(table)
