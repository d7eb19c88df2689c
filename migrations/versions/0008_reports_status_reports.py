"""Status reports: drafts, approvals, issued snapshots and the PDFs as sent.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 08:53:17.672256
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('status_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'approved', 'issued', name='reportstatus', native_enum=False, length=40), nullable=False),
    sa.Column('period_start_date', sa.Date(), nullable=False),
    sa.Column('period_end_date', sa.Date(), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=False),
    sa.Column('next_period_end_date', sa.Date(), nullable=False),
    sa.Column('tolerances', sa.JSON(), nullable=True),
    sa.Column('overrides', sa.JSON(), nullable=True),
    sa.Column('texts', sa.JSON(), nullable=True),
    sa.Column('decisions_requested', sa.JSON(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('overall_level', sa.Enum('green', 'amber', 'red', name='level', native_enum=False, length=40), nullable=True),
    sa.Column('levels', sa.JSON(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('approved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('approved_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('approval_comment', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('issued_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_status_report_decision_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_status_report_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_report')),
    sa.UniqueConstraint('project_id', 'number', name=op.f('uq_status_report_project_id_number'))
    )
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_report_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_report_project_id'), ['project_id'], unique=False)

    op.create_table('status_report_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['status_report.id'], name=op.f('fk_status_report_file_report_id_status_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_report_file')),
    sa.UniqueConstraint('report_id', name=op.f('uq_status_report_file_report_id'))
    )


def downgrade() -> None:
    op.drop_table('status_report_file')
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_report_project_id'))
        batch_op.drop_index(batch_op.f('ix_status_report_issued_at'))

    op.drop_table('status_report')
