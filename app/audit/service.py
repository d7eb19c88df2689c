"""Recording, reading and exporting audit events. Services call `record` before their single
commit; nothing here changes or deletes an event once written."""

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol, overload

from sqlalchemy import false, or_
from sqlmodel import Session, SQLModel, col, func, select

from app.audit.models import AuditEvent
from app.auth.models import ProjectMember


@overload
def snapshot(obj: SQLModel) -> dict[str, Any]: ...
@overload
def snapshot(obj: None) -> None: ...
@overload
def snapshot(obj: SQLModel | None) -> dict[str, Any] | None: ...
def snapshot(obj: SQLModel | None) -> dict[str, Any] | None:
    """A JSON-safe copy of a row's columns, for the before/after of an audit event."""
    if obj is None:
        return None
    return {key: _json_safe(value) for key, value in obj.model_dump().items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def record(
    *,
    session: Session,
    by: Any,
    action: str,
    entity: str,
    entity_id: Any = "",
    project_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the session's transaction (committed with the change it documents)."""
    event = AuditEvent(
        user_id=getattr(by, "id", None),
        username=getattr(by, "username", "system"),
        project_id=project_id,
        entity=entity,
        entity_id=str(entity_id or ""),
        action=action,
        before=_json_safe(before),
        after=_json_safe(after),
    )
    session.add(event)
    return event


class _Actor(Protocol):
    @property
    def user(self) -> Any: ...
    @property
    def project_id(self) -> int: ...


def log(
    *,
    session: Session,
    by: _Actor,
    action: str,
    row: SQLModel,
    before: dict[str, Any] | None = None,
    entity: str | None = None,
) -> AuditEvent:
    """Record `action` on a project's `row` by a member of the project (`by`, an Access): the
    entity is the row's table unless named, `after` the row as it now is (none once deleted).
    A created or updated row must have been flushed, so that it has its id."""
    return record(
        session=session,
        by=by.user,
        action=action,
        entity=entity or str(row.__tablename__),
        entity_id=getattr(row, "id", ""),
        project_id=by.project_id,
        before=before,
        after=None if action == "deleted" else snapshot(row),
    )


def list_events(
    *,
    session: Session,
    project_id: int | None = None,
    user_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[AuditEvent], int]:
    """A page of audit events (of a project, of and about a person), newest first, with the
    total count."""
    query = _scoped(
        session=session, query=select(AuditEvent), project_id=project_id, user_id=user_id
    )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(AuditEvent.id).desc()).offset(offset).limit(limit)).all()
    return list(rows), total


def _scoped(*, session: Session, query: Any, project_id: int | None, user_id: int | None) -> Any:
    """Narrow a query to a project and to a person: the events they made, and those about
    their account or about the organisation-chart person their account is linked to."""
    if project_id is not None:
        query = query.where(AuditEvent.project_id == project_id)
    if user_id is not None:
        person_ids = [
            str(p)
            for p in session.exec(
                select(ProjectMember.person_id).where(
                    ProjectMember.user_id == user_id, col(ProjectMember.person_id).is_not(None)
                )
            ).all()
        ]
        about_person = (
            ((col(AuditEvent.entity) == "person") & col(AuditEvent.entity_id).in_(person_ids))
            if person_ids
            else false()
        )
        query = query.where(
            or_(
                col(AuditEvent.user_id) == user_id,
                (col(AuditEvent.entity) == "user") & (col(AuditEvent.entity_id) == str(user_id)),
                about_person,
            )
        )
    return query


# Export: one project's log, or everything about one person (a GDPR access request)

EXPORT_COLUMNS = (
    "id",
    "at",
    "username",
    "user_id",
    "project_id",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
)
# A spreadsheet reads a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_events(
    *, session: Session, project_id: int | None = None, user_id: int | None = None
) -> list[AuditEvent]:
    """Every event of a project, or of and about a person (in one project or in all), oldest
    first: the whole log for the project, or what a GDPR access request must show."""
    query = _scoped(
        session=session, query=select(AuditEvent), project_id=project_id, user_id=user_id
    )
    return list(session.exec(query.order_by(col(AuditEvent.id))).all())


def event_row(event: AuditEvent) -> dict[str, Any]:
    """One event as plain JSON values, in the export's column order."""
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "username": event.username,
        "user_id": event.user_id,
        "project_id": event.project_id,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
    }


def _csv_cell(value: Any) -> str:
    """A cell as text; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = (
        json.dumps(value, ensure_ascii=False, sort_keys=True)
        if isinstance(value, dict | list)
        else str(value)
    )
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def events_csv(events: list[AuditEvent]) -> str:
    """The events as CSV (semicolon-separated, as Danish Excel opens it), header first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for event in events:
        row = event_row(event)
        writer.writerow([_csv_cell(row[name]) for name in EXPORT_COLUMNS])
    return out.getvalue()
