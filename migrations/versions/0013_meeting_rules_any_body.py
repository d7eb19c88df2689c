"""Meeting-frequency rules on any body against any counterpart (issue 20).

`group_setting` (the table keeps its name; the model is app.governance.models.MeetingRule) gets
`counterpart` (project_management, external_partners or any), filled with project_management
for the existing rows, which is what they meant; the unique key moves from body_id alone to
(body_id, counterpart), and body_id gets a plain index. `meeting` gets `with_external_partners`
(false for every existing meeting). Downgrade keeps only the project-management rules (the one
kind the old schema can hold) and drops the flag.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERPART = sa.Enum(
    "project_management",
    "external_partners",
    "any",
    name="meetingcounterpart",
    native_enum=False,
    length=40,
)


def upgrade() -> None:
    with op.batch_alter_table("group_setting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "counterpart", COUNTERPART, nullable=False, server_default="project_management"
            )
        )
        batch_op.drop_constraint(batch_op.f("uq_group_setting_body_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_group_setting_body_id_counterpart"), ["body_id", "counterpart"]
        )
        batch_op.create_index(batch_op.f("ix_group_setting_body_id"), ["body_id"], unique=False)
    with op.batch_alter_table("group_setting", schema=None) as batch_op:
        batch_op.alter_column("counterpart", server_default=None)
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "with_external_partners",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.alter_column("with_external_partners", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("with_external_partners")
    op.execute("DELETE FROM group_setting WHERE counterpart <> 'project_management'")
    with op.batch_alter_table("group_setting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_setting_body_id"))
        batch_op.drop_constraint(batch_op.f("uq_group_setting_body_id_counterpart"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_group_setting_body_id"), ["body_id"])
        batch_op.drop_column("counterpart")
