"""The report's submission step and minutes per agenda item (issue 21).

Status reports: the status column is a plain string (app.db.enum_type, no CHECK constraint), so
the new value »submitted« needs no type change; existing drafts stay drafts, approved and issued
reports keep their state. Three columns record the submission and the last reason for a return.

Meetings: each agenda item gets its own minutes; the meeting's one text stays as its general
minutes (nothing is moved, so nothing is lost). Publishing the minutes is a step (when, by whom);
minutes written before it existed count as published on their meeting's day.
A decision may name the agenda item whose minutes record it. Agenda positions are made dense
(1, 2, 3 … per meeting, in their present order) so that moving an item up or down is a swap.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, time

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("status_report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "submitted_by_name",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "returned_reason",
                sqlmodel.sql.sqltypes.AutoString(length=2000),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("minutes_published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "minutes_published_by_name",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "minutes",
                sqlmodel.sql.sqltypes.AutoString(length=20000),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agenda_item_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_decision_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_decision_agenda_item_id_agenda_item"),
            "agenda_item",
            ["agenda_item_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _dense_positions()
    _published_until_now()


def _dense_positions() -> None:
    """Number each meeting's agenda 1, 2, 3 … in its present order (position, then id)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, meeting_id FROM agenda_item ORDER BY meeting_id, position, id")
    ).all()
    numbers: dict[int, int] = {}
    for item_id, meeting_id in rows:
        numbers[meeting_id] = numbers.get(meeting_id, 0) + 1
        connection.execute(
            sa.text("UPDATE agenda_item SET position = :p WHERE id = :i"),
            {"p": numbers[meeting_id], "i": item_id},
        )


def _published_until_now() -> None:
    """Minutes written before publishing was a step were open to everyone at once: they count
    as published, on their meeting's day, so nobody is prompted to publish old minutes again."""
    meeting = sa.table(
        "meeting",
        sa.column("id", sa.Integer()),
        sa.column("meeting_date", sa.Date()),
        sa.column("minutes", sa.String()),
        sa.column("minutes_published_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(meeting.c.id, meeting.c.meeting_date).where(meeting.c.minutes != "")
    ).all()
    for meeting_id, day in rows:
        connection.execute(
            meeting.update()
            .where(meeting.c.id == meeting_id)
            .values(minutes_published_at=datetime.combine(day, time(12), tzinfo=UTC))
        )


# meeting.minutes is VARCHAR(20000) before this revision: PostgreSQL enforces the length,
# SQLite does not.
GENERAL_MINUTES_LIMIT = 20000


def downgrade() -> None:
    # Per-item minutes are folded into the meeting's text, whole, so a downgrade loses no
    # minutes. Where the folded text does not fit a column whose length the database enforces,
    # the downgrade stops before changing anything (naming the meetings) rather than cut
    # minutes off.
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT meeting_id, title, minutes FROM agenda_item WHERE minutes <> '' "
            "ORDER BY meeting_id, position, id"
        )
    ).all()
    folded: dict[int, list[str]] = {}
    for meeting_id, title, minutes in rows:
        folded.setdefault(meeting_id, []).append(f"{title}\n{minutes}")
    texts: dict[int, str] = {}
    for meeting_id, parts in folded.items():
        general = connection.execute(
            sa.text("SELECT minutes FROM meeting WHERE id = :i"), {"i": meeting_id}
        ).scalar_one()
        texts[meeting_id] = "\n\n".join([general, *parts] if general else parts)
    too_long = sorted(i for i, text in texts.items() if len(text) > GENERAL_MINUTES_LIMIT)
    if too_long and connection.dialect.name != "sqlite":
        raise RuntimeError(
            f"Downgrade below 0019 stopped: the minutes of meeting(s) {too_long} would not fit "
            f"in meeting.minutes ({GENERAL_MINUTES_LIMIT} characters) once the agenda items' "
            "minutes are folded in. Shorten them first; nothing has been changed."
        )
    for meeting_id, text in texts.items():
        connection.execute(
            sa.text("UPDATE meeting SET minutes = :m WHERE id = :i"),
            {"m": text, "i": meeting_id},
        )
    # A submitted report goes back to draft: the old schema knows no submission step.
    connection.execute(
        sa.text("UPDATE status_report SET status = 'draft' WHERE status = 'submitted'")
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_decision_agenda_item_id_agenda_item"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_decision_agenda_item_id"))
        batch_op.drop_column("agenda_item_id")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_column("minutes")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("minutes_published_by_name")
        batch_op.drop_column("minutes_published_at")
    with op.batch_alter_table("status_report", schema=None) as batch_op:
        batch_op.drop_column("returned_reason")
        batch_op.drop_column("submitted_by_name")
        batch_op.drop_column("submitted_at")
