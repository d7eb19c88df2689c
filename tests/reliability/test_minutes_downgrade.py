"""Migration 0019 taken back folds each agenda item's minutes into its meeting's text whole: no
minutes are cut off. Where the database enforces meeting.minutes' 20,000 characters
(PostgreSQL) and the folded text would not fit, the downgrade stops and changes nothing."""

import pytest
from alembic import command
from sqlalchemy import text

from app.cli import alembic_config
from app.db import Database
from app.demo.loader import load_demo


def test_the_downgrade_folds_item_minutes_into_the_meeting_without_cutting(database_url):
    config = alembic_config(database_url)
    db = Database(database_url)
    general, first, second = "G" * 9000, "A" * 8000 + "slut på A", "B" * 6000 + "slut på B"
    try:
        with db.session(write=True) as session:
            load_demo(session=session)
        with db.engine.begin() as conn:
            meeting_id, item_a, item_b = conn.execute(
                text(
                    "SELECT a.meeting_id, a.id, b.id FROM agenda_item a JOIN agenda_item b "
                    "ON b.meeting_id = a.meeting_id AND b.position > a.position "
                    "ORDER BY a.meeting_id, a.position, b.position LIMIT 1"
                )
            ).one()
            conn.execute(text("UPDATE agenda_item SET minutes = ''"))
            conn.execute(
                text("UPDATE meeting SET minutes = :m WHERE id = :i"),
                {"m": general, "i": meeting_id},
            )
            for item, minutes in ((item_a, first), (item_b, second)):
                conn.execute(
                    text("UPDATE agenda_item SET minutes = :m WHERE id = :i"),
                    {"m": minutes, "i": item},
                )
            titles = dict(
                conn.execute(
                    text("SELECT id, title FROM agenda_item WHERE id IN (:a, :b)"),
                    {"a": item_a, "b": item_b},
                ).all()
            )
        db.engine.dispose()
        if db.engine.dialect.name == "sqlite":
            command.downgrade(config, "0018")
            db.engine.dispose()
            with db.engine.connect() as conn:
                folded = conn.execute(
                    text("SELECT minutes FROM meeting WHERE id = :i"), {"i": meeting_id}
                ).scalar_one()
            assert folded == (
                f"{general}\n\n{titles[item_a]}\n{first}\n\n{titles[item_b]}\n{second}"
            )
            assert len(folded) > 20000 and folded.endswith("slut på B")
        else:
            with pytest.raises(RuntimeError, match=rf"meeting\(s\) \[{meeting_id}\]"):
                command.downgrade(config, "0018")
            db.engine.dispose()
            with db.engine.connect() as conn:
                assert (
                    conn.execute(
                        text("SELECT minutes FROM agenda_item WHERE id = :i"), {"i": item_b}
                    ).scalar_one()
                    == second
                )
        command.upgrade(config, "heads")
    finally:
        db.dispose()
