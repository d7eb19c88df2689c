"""Migration 0012 (the task hierarchy) keeps the existing data: every flat task stays a
top-level task, numbered in today's display order within its group."""

from alembic import command
from sqlalchemy import text

from app.cli import alembic_config
from app.db import Database
from app.demo.loader import load_demo


def test_flat_tasks_stay_top_level_in_their_display_order(database_url):
    config = alembic_config(database_url)
    db = Database(database_url)
    try:
        with db.session(write=True) as session:
            load_demo(session=session)
        command.downgrade(config, "0011")
        db.engine.dispose()
        command.upgrade(config, "0012")
        db.engine.dispose()
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, group_id, parent_id, position, start_date, due_date FROM task "
                    "ORDER BY group_id, position"
                )
            ).all()
        command.upgrade(config, "heads")
    finally:
        db.dispose()
    assert rows and all(r.parent_id is None for r in rows)
    by_group: dict[object, list] = {}
    for r in rows:
        by_group.setdefault(r.group_id, []).append(r)
    for tasks in by_group.values():
        assert [r.position for r in tasks] == list(range(1, len(tasks) + 1))
        order = sorted(
            tasks, key=lambda r: (r.start_date is None, r.start_date or "", r.due_date or "", r.id)
        )
        assert [r.id for r in tasks] == [r.id for r in order]
