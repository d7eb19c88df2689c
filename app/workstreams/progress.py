"""A task's progress log: reading it, and logging progress (what happened, with the task's new
status and progress)."""

from datetime import date

from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.clock import today
from app.db import utcnow
from app.errors import Invalid, check_version
from app.workstreams import hierarchy
from app.workstreams.models import ProgressEntry
from app.workstreams.schemas import ProgressEntryCreate
from app.workstreams.tasks import apply_progress, get_task, require_task_edit


def list_entries(
    *, session: Session, project_id: int, task_id: int, offset: int = 0, limit: int = 100
) -> tuple[list[ProgressEntry], int]:
    """A task's progress log, newest first, with the total."""
    get_task(session=session, project_id=project_id, task_id=task_id)
    where = col(ProgressEntry.task_id) == task_id
    total = session.exec(select(func.count()).select_from(ProgressEntry).where(where)).one()
    rows = session.exec(
        select(ProgressEntry)
        .where(where)
        .order_by(col(ProgressEntry.at).desc(), col(ProgressEntry.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def log_progress(
    *, session: Session, by: Access, task_id: int, data: ProgressEntryCreate, on: date | None = None
) -> ProgressEntry:
    """Add an entry to a task's log, setting its new status and progress when given (a
    parent's are computed from its sub-tasks: only text is logged on it); its parents are
    rolled up."""
    on = on or today()
    task = get_task(session=session, project_id=by.project_id, task_id=task_id, lock=True)
    require_task_edit(by, task.group_id)
    check_version(task, data.version)
    if not data.text and data.status is None and data.progress is None:
        raise Invalid(
            "Skriv hvad der er sket, eller angiv ny status eller fremdrift.", field="text"
        )
    hierarchy.refuse_hand_set(
        task,
        {"status": data.status, "progress": data.progress},
        has_children=hierarchy.children_count(session=session, task_id=task_id) > 0,
    )
    before = {"status": task.status.value, "progress": task.progress}
    apply_progress(task, status=data.status, progress=data.progress, on=on)
    changed_status = task.status if task.status.value != before["status"] else None
    changed_progress = task.progress if task.progress != before["progress"] else None
    entry = ProgressEntry(
        task_id=task_id,
        user_id=by.user.id,
        username=by.user.username,
        author_name=by.user.full_name or by.user.username,
        text=data.text,
        new_status=changed_status or data.status,
        new_progress=changed_progress if changed_progress is not None else data.progress,
    )
    session.add(entry)
    task.version += 1
    task.updated_at = utcnow()
    session.flush()
    rolled = hierarchy.roll_up(session=session, task_id=task.parent_id, on=on)
    audit.record(
        session=session,
        by=by.user,
        action="progress_logged",
        entity="task",
        entity_id=task_id,
        project_id=by.project_id,
        before=before,
        after={
            "status": task.status.value,
            "progress": task.progress,
            "entry_id": entry.id,
            "text": entry.text,
            "rolled_up": rolled,
        },
    )
    session.commit()
    return entry
