"""Recording and reading audit events. Services call `record` before their single commit."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel, col, func, select

from app.audit.models import AuditEvent


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
    session: Session,
    *,
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


def list_events(
    session: Session,
    *,
    project_id: int | None = None,
    user_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[AuditEvent], int]:
    """A page of audit events, newest first, with the total count."""
    query = select(AuditEvent)
    if project_id is not None:
        query = query.where(AuditEvent.project_id == project_id)
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(AuditEvent.id).desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), total
