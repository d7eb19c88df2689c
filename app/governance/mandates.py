"""Mandates: each body's responsibilities (opgavebeskrivelse), followed up one by one (not started,
in progress, done, with a note and a date), so a body can see which of its duties are met."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, func, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.db import get_for_update
from app.errors import Invalid, NotFound, require_version
from app.governance.bodies import bodies, get_body
from app.governance.models import Body, MandateItem, MandateStatus
from app.governance.schemas import MandateItemCreate, MandateItemUpdate


def mandate_items(*, session: Session, body_id: int) -> list[MandateItem]:
    """A body's responsibilities, in their set order."""
    return list(
        session.exec(
            select(MandateItem)
            .where(MandateItem.body_id == body_id)
            .order_by(col(MandateItem.position), col(MandateItem.id))
        ).all()
    )


@dataclass
class Mandate:
    """A body's mandate and how far it is met."""

    body: Body
    items: list[MandateItem] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.status == MandateStatus.done)

    @property
    def in_progress(self) -> int:
        return sum(1 for i in self.items if i.status == MandateStatus.in_progress)

    @property
    def total(self) -> int:
        return len(self.items)


def mandates(*, session: Session, project_id: int) -> list[Mandate]:
    """Every body's mandate, steering group first after the directorate (see `bodies`)."""
    found = bodies(session=session, project_id=project_id)
    items = session.exec(
        select(MandateItem)
        .where(col(MandateItem.body_id).in_([b.id for b in found]))
        .order_by(col(MandateItem.position), col(MandateItem.id))
    ).all()
    by_body: dict[int, list[MandateItem]] = {}
    for item in items:
        by_body.setdefault(item.body_id, []).append(item)
    return [Mandate(body=b, items=by_body.get(b.id or 0, [])) for b in found]


def get_mandate_item(
    *, session: Session, project_id: int, body_id: int, item_id: int, lock: bool = False
) -> MandateItem:
    """A responsibility of a body of this project, or NotFound."""
    get_body(session=session, project_id=project_id, body_id=body_id)
    item = (
        get_for_update(session=session, model=MandateItem, item_id=item_id)
        if lock
        else session.get(MandateItem, item_id)
    )
    if item is None or item.body_id != body_id:
        raise NotFound("Mandatpunktet findes ikke.")
    return item


def _check_mandate_item(item: MandateItem, *, today: date) -> None:
    item.text = item.text.strip()
    if not item.text:
        raise Invalid("Beskriv opgaven i mandatet.", field="text")
    if item.status != MandateStatus.not_started and item.status_date is None:
        item.status_date = today


def add_mandate_item(
    *,
    session: Session,
    by: Access,
    body_id: int,
    data: MandateItemCreate,
    today: date | None = None,
) -> MandateItem:
    """Add a responsibility to a body's mandate (opgavebeskrivelse)."""
    get_body(session=session, project_id=by.project_id, body_id=body_id, lock=True)
    last = session.exec(
        select(func.max(MandateItem.position)).where(MandateItem.body_id == body_id)
    ).one()
    item = MandateItem(body_id=body_id, position=(last or 0) + 1, **data.model_dump())
    _check_mandate_item(item, today=today or clock.today())
    session.add(item)
    session.flush()
    audit.log(session=session, by=by, action="created", row=item)
    session.commit()
    return item


def update_mandate_item(
    *,
    session: Session,
    by: Access,
    body_id: int,
    item_id: int,
    data: MandateItemUpdate,
    today: date | None = None,
) -> MandateItem:
    """Follow up on a responsibility: its status, note and date (a new status without a date
    is dated today)."""
    item = get_mandate_item(
        session=session, project_id=by.project_id, body_id=body_id, item_id=item_id, lock=True
    )
    require_version(item, data.version)
    before = audit.snapshot(item)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("text", "note"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if changes.get("status", "") is None:
        del changes["status"]
    if "status" in changes and changes["status"] != item.status and "status_date" not in changes:
        changes["status_date"] = None
    item.sqlmodel_update(changes)
    _check_mandate_item(item, today=today or clock.today())
    item.version += 1
    audit.log(session=session, by=by, action="updated", row=item, before=before)
    session.commit()
    return item


def delete_mandate_item(
    *, session: Session, by: Access, body_id: int, item_id: int, version: int | None
) -> None:
    """Remove a responsibility from a body's mandate."""
    item = get_mandate_item(
        session=session, project_id=by.project_id, body_id=body_id, item_id=item_id, lock=True
    )
    require_version(item, version)
    before = audit.snapshot(item)
    session.delete(item)
    audit.log(session=session, by=by, action="deleted", row=item, before=before)
    session.commit()
