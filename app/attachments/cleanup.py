"""No file left behind: after a commit that deleted an attachment or anything that can own one
(a meeting, an agenda item, a task, a decision, a plan, a body or a project, whose attachment
rows the database deletes by ON DELETE CASCADE), the files no attachment refers to any more are
removed from disk.

It listens on every session, so an owner deleted by any domain's service takes its files with
it, without that service knowing of attachments. A file written or reused within
storage.GRACE_SECONDS is kept (its upload may not have committed yet); the next clean-up takes
it. The directory is the configured one (REFORMSTYR_ATTACHMENTS_DIR), else the default beside
the session's database (storage.default_dir).
"""

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlmodel import Session, col

from app.attachments import storage
from app.attachments.models import Attachment
from app.config import get_settings
from app.governance.models import AgendaItem, Body, Decision, Meeting, Project
from app.workstreams.models import Plan, Task

log = logging.getLogger(__name__)
OWNERS = (Attachment, AgendaItem, Body, Decision, Meeting, Project, Plan, Task)
PENDING = "attachments_cleanup"


@event.listens_for(Session, "after_flush")
def _note_deletions(session: Session, _context: Any) -> None:
    if any(isinstance(obj, OWNERS) for obj in session.deleted):
        session.info[PENDING] = True


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


@event.listens_for(Session, "after_commit")
def _clean_up(session: Session) -> None:
    if not session.info.pop(PENDING, False):
        return
    bind = session.get_bind()
    try:
        directory = storage_dir(str(bind.engine.url.render_as_string(hide_password=False)))
        if not directory.is_dir():
            return
        with bind.engine.connect() as connection:
            referenced = set(
                connection.execute(select(col(Attachment.sha256)).distinct()).scalars()
            )
        storage.remove_unreferenced(directory, referenced, grace=storage.GRACE_SECONDS)
    except Exception:  # a clean-up that fails must not fail the change that was committed
        log.exception("Attachment files could not be cleaned up")


def storage_dir(database_url: str) -> Path:
    configured = get_settings().attachments_dir
    return storage.storage_path(configured) if configured else storage.default_dir(database_url)
