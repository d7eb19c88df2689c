"""Migrations on a database that holds data: the demo loaded at head, each newest migration taken
back one step and applied again. Every row outside the migration's own tables survives both
directions, the schema matches the models again, and the app serves the demo afterwards.
(Empty database to head and back to base: tests/test_db.py.)"""

from alembic import command
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from app.cli import alembic_config
from app.config import Settings
from app.db import Database
from app.demo.loader import load_demo
from app.main import create_app


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        # FTS5's shadow tables (search_index_*) hold index segments, not rows: re-indexing
        # (migration 0023) changes their count; the documents are counted in search_index.
        tables = [
            t
            for t in inspect(conn).get_table_names()
            if t != "alembic_version" and not t.startswith("search_index_")
        ]
        return {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar() for t in tables}


def test_each_newest_migration_goes_down_and_up_again_under_the_demo_data(database_url):
    config = alembic_config(database_url)
    db = Database(database_url)
    try:
        with db.session(write=True) as session:
            project = load_demo(session=session)
        loaded = _counts(db)
        assert loaded["project"] == 1 and loaded["audit_event"] > 0
        heads = ScriptDirectory.from_config(config).get_heads()
        for head in heads:
            command.downgrade(config, f"{head}@-1")
            db.engine.dispose()
            down = _counts(db)
            gone = set(loaded) - set(down)
            for table, count in down.items():
                assert count == loaded[table], f"{head} down: rows of {table} were lost"
            command.upgrade(config, "heads")
            db.engine.dispose()
            up = _counts(db)
            assert set(up) == set(loaded)
            for table in set(loaded) - gone:
                assert up[table] == loaded[table], f"{head} up: rows of {table} changed"
            loaded = up
        command.check(config)
    finally:
        db.dispose()
    app = create_app(Settings(database_url=database_url))
    try:
        with TestClient(app) as client:
            answer = client.post(
                "/api/token", data={"username": "projektleder", "password": "demo"}
            )
            headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
            assert client.get(f"/api/projects/{project.id}", headers=headers).status_code == 200
            assert client.get(f"/api/projects/{project.id}/people", headers=headers).json(), (
                "the demo's people are gone"
            )
    finally:
        app.state.db.dispose()
