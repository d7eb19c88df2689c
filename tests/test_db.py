import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import event, text

from app.cli import alembic_config
from app.db import is_sqlite
from app.governance.models import Person, Project


def _recorded(db) -> list[str]:
    """The SQL statements the engine sends from now on."""
    statements: list[str] = []
    event.listen(
        db.engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: statements.append(statement),
    )
    return statements


def test_sqlite_is_configured_for_safe_concurrent_writes(db):
    if not is_sqlite(db.url):
        return
    with db.session() as s:
        assert s.exec(text("PRAGMA foreign_keys")).one()[0] == 1
        assert s.exec(text("PRAGMA journal_mode")).one()[0] == "wal"
        assert s.exec(text("PRAGMA synchronous")).one()[0] == 2  # FULL
        assert s.exec(text("PRAGMA busy_timeout")).one()[0] == 30000


def test_writers_begin_immediately(db):
    if not is_sqlite(db.url):
        return
    statements = _recorded(db)
    with db.session(write=True) as s:
        s.exec(text("SELECT 1"))
    with db.session() as s:
        s.exec(text("SELECT 1"))
    assert statements[:2] == ["BEGIN IMMEDIATE", "SELECT 1"]
    assert statements[2:4] == ["BEGIN", "SELECT 1"]


def test_a_request_reads_after_its_commit_without_the_write_lock(db):
    statements = _recorded(db)
    with db.request_session(write=True) as s:
        project = Project(name="Låsetest")
        s.add(project)
        s.commit()
        s.exec(text("SELECT 1"))  # building the answer
        assert s.get_bind() is db.engine  # the reader's engine, not the writer's
        s.add(Person(project_id=project.id, name="Anden skrivning"))
        with pytest.raises(RuntimeError, match="writes once"):
            s.flush()
    if is_sqlite(db.url):
        begins = [st for st in statements if st.startswith("BEGIN")]
        assert begins == ["BEGIN IMMEDIATE", "BEGIN"]


def test_migrations_have_one_head_and_match_the_models(database_url):
    config = alembic_config(database_url)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
    command.check(config)  # raises when the models and the migrations have drifted apart


def test_healthz_answers_when_the_database_answers(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_migrations_downgrade_to_base_and_up_again(database_url):
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    command.upgrade(config, "heads")
    command.check(config)
