"""The search index itself: SQLite's triggers are all there at head (a later migration that
rebuilds a searched table drops them), cascades empty it, and on PostgreSQL the GIN indexes
exist for exactly the expressions the search uses."""

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from app.cli import alembic_config
from app.governance.models import Meeting
from app.search import service
from app.search.sources import SOURCES
from tests.search.factories import access, fill


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def test_every_searched_table_has_its_triggers_or_index(session: Session):
    if _sqlite(session):
        names = set(
            session.execute(
                sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).scalars()
        )
        wanted = {f"search_{s.table}_{x}" for s in SOURCES for x in ("ai", "au", "ad")}
        assert wanted <= names, f"missing: {sorted(wanted - names)}"
    else:
        names = set(
            session.execute(
                sa.text("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_%_search'")
            ).scalars()
        )
        assert {f"ix_{s.table}_search" for s in SOURCES} <= names


def test_deleting_a_meeting_takes_its_agenda_out_of_the_search(session: Session, world):
    ids = fill(session, world)
    leader = access(session, world, "leader")

    def kinds() -> list[str]:
        found = service.search(session=session, access=leader, q="rehabilitering", limit=50)
        return sorted(h.kind for h in found.hits)

    before = kinds()
    session.delete(session.get(Meeting, ids["meeting"]))
    session.commit()
    # The meeting and its agenda item (ON DELETE CASCADE) are gone from the answers.
    assert len(before) - len(kinds()) == 2
    assert "agenda_item" in before and "agenda_item" not in kinds()


def test_minutes_written_before_migration_0023_are_indexed_by_it(
    session: Session, world, database_url: str
):
    """0023 writes the agenda items' rows of the index again (SQLite) or indexes the new
    expression (PostgreSQL): items minuted before it are found after it."""
    config = alembic_config(database_url)
    ids = fill(session, world)
    session.commit()
    session.close()
    command.downgrade(config, "0022")
    with session.get_bind().begin() as conn:
        conn.execute(
            sa.text("UPDATE agenda_item SET minutes = 'Hjemmetræning aftalt.' WHERE id = :i"),
            {"i": ids["agenda_item"]},
        )
    leader = access(session, world, "leader")
    if _sqlite(session):  # 0022's triggers index no minutes (PostgreSQL reads the rows)
        assert service.search(session=session, access=leader, q="hjemmetræning").total == 0
    session.close()
    command.upgrade(config, "heads")
    found = service.search(session=session, access=leader, q="hjemmetræning")
    assert [(h.kind, h.id) for h in found.hits] == [("agenda_item", ids["agenda_item"])]
    if not _sqlite(session):
        definition = session.execute(
            sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_agenda_item_search'")
        ).scalar_one()
        assert "minutes" in definition
