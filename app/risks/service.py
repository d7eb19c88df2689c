"""Reading and changing the RAID register (risks, issues, assumptions, dependencies), and the
checks of the group and owner that its items and the success measures (measures.py) name.
One commit per use case.

`top_risks` is the hand-over to the status report: the highest-scoring open risks of a project.
"""

from datetime import date

from sqlmodel import Session, select

from app import clock
from app.audit import service as audit
from app.auth.service import Access
from app.db import project_row, utcnow
from app.errors import Forbidden, Invalid, missing, require_version
from app.governance.models import Body, BodyKind, Person
from app.risks import rules
from app.risks.models import RaidItem
from app.risks.rules import RaidKind, RaidStatus, RiskLevel
from app.risks.schemas import RaidItemCreate, RaidItemUpdate

NOT_YOUR_GROUP = "Du kan kun ændre poster, der hører til din egen implementeringsgruppe."
NOT_FOUND = "Posten findes ikke i projektets risikolog."
CHOOSE_YOUR_GROUP = (
    "Som medlem af en implementeringsgruppe skal du knytte posten til din egen "
    "gruppe (feltet »Gruppe«)."
)


def check_group(*, session: Session, project_id: int, group_id: int | None) -> None:
    """Invalid unless the group (if any) is one of the project's implementation groups."""
    if group_id is None:
        return
    body = session.get(Body, group_id)
    if body is None or body.project_id != project_id or body.kind != BodyKind.implementation_group:
        raise Invalid(
            "Gruppen findes ikke blandt projektets implementeringsgrupper.", field="group_id"
        )


def check_owner(*, session: Session, project_id: int, owner_id: int | None) -> None:
    """Invalid unless the owner (if any) is a person of the project."""
    if owner_id is None:
        return
    project_row(
        Person,
        owner_id,
        session=session,
        project_id=project_id,
        missing="Den ansvarlige findes ikke blandt projektets personer.",
        field="owner_id",
    )


def require_group_editor(*, by: Access, group_id: int | None) -> None:
    """Forbidden unless `by` may change the rows of that group (None: the whole project's)."""
    if not by.can_edit_group(group_id):
        raise Forbidden(CHOOSE_YOUR_GROUP if group_id is None and not by.leads else NOT_YOUR_GROUP)


# --- The RAID register ---


def list_items(
    *,
    session: Session,
    project_id: int,
    kind: RaidKind | None = None,
    status: RaidStatus | None = None,
    open_only: bool = False,
    group_id: int | None = None,
    level: RiskLevel | None = None,
) -> list[RaidItem]:
    """The register, filtered: open items first, then by kind, highest score first."""
    query = select(RaidItem).where(RaidItem.project_id == project_id)
    if kind is not None:
        query = query.where(RaidItem.kind == kind)
    if status is not None:
        query = query.where(RaidItem.status == status)
    if open_only:
        query = query.where(RaidItem.status != RaidStatus.closed)
    if group_id is not None:
        query = query.where(RaidItem.group_id == group_id)
    items = [i for i in session.exec(query).all() if level is None or i.level == level]
    kinds = list(RaidKind)
    return sorted(
        items, key=lambda i: (not i.is_open, kinds.index(i.kind), *rules.risk_order_key(i))
    )


def get_item(*, session: Session, project_id: int, item_id: int) -> RaidItem:
    """One item of the project's register, or NotFound."""
    return project_row(RaidItem, item_id, session=session, project_id=project_id, missing=NOT_FOUND)


def create_item(*, session: Session, by: Access, data: RaidItemCreate) -> RaidItem:
    """Add a risk, issue, assumption or dependency to the register."""
    require_group_editor(by=by, group_id=data.group_id)
    check_group(session=session, project_id=by.project_id, group_id=data.group_id)
    check_owner(session=session, project_id=by.project_id, owner_id=data.owner_id)
    rules.check_raid_values(
        kind=data.kind, probability=data.probability, consequence=data.consequence
    )
    item = RaidItem(project_id=by.project_id, **data.model_dump())
    session.add(item)
    session.flush()
    audit.log(session=session, by=by, action="created", row=item)
    session.commit()
    return item


def update_item(*, session: Session, by: Access, item_id: int, data: RaidItemUpdate) -> RaidItem:
    """Change an item (optimistic: refuses an outdated version); moving it to another group needs
    the right to edit both groups."""
    item = project_row(
        RaidItem, item_id, session=session, project_id=by.project_id, missing=NOT_FOUND, lock=True
    )
    require_group_editor(by=by, group_id=item.group_id)
    require_version(item, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "group_id" in changes and changes["group_id"] != item.group_id:
        require_group_editor(by=by, group_id=changes["group_id"])
        check_group(session=session, project_id=by.project_id, group_id=changes["group_id"])
    if "owner_id" in changes:
        check_owner(session=session, project_id=by.project_id, owner_id=changes["owner_id"])
    for required in ("kind", "title", "status"):
        if required in changes and changes[required] is None:
            raise missing(required)
    kind = changes.get("kind", item.kind)
    if kind == RaidKind.risk:
        changes.setdefault("probability", item.probability)
        changes.setdefault("consequence", item.consequence)
    else:
        changes.setdefault("probability", None)
        changes.setdefault("consequence", None)
    rules.check_raid_values(
        kind=kind, probability=changes["probability"], consequence=changes["consequence"]
    )
    before = audit.snapshot(item)
    for key, value in changes.items():
        setattr(item, key, value)
    item.version += 1
    item.updated_at = utcnow()
    audit.log(session=session, by=by, action="updated", row=item, before=before)
    session.commit()
    return item


def delete_item(*, session: Session, by: Access, item_id: int, version: int | None) -> None:
    """Remove an item from the register (the audit log keeps its last content)."""
    item = project_row(
        RaidItem, item_id, session=session, project_id=by.project_id, missing=NOT_FOUND, lock=True
    )
    require_group_editor(by=by, group_id=item.group_id)
    require_version(item, version)
    before = audit.snapshot(item)
    session.delete(item)
    audit.log(session=session, by=by, action="deleted", row=item, before=before)
    session.commit()


def open_risks(*, session: Session, project_id: int) -> list[RaidItem]:
    """The project's risks that are not closed, highest score first."""
    return list_items(session=session, project_id=project_id, kind=RaidKind.risk, open_only=True)


def top_risks(*, session: Session, project_id: int, limit: int = 5) -> list[RaidItem]:
    """The highest-scoring open risks (for the status report): score, then consequence, then
    probability, highest first; the oldest first on a full tie."""
    return open_risks(session=session, project_id=project_id)[: max(0, limit)]


def overdue_reviews(
    *, session: Session, project_id: int, today: date | None = None
) -> list[RaidItem]:
    """Open items whose review date has passed."""
    today = today or clock.today()
    return [
        i
        for i in list_items(session=session, project_id=project_id, open_only=True)
        if rules.review_overdue(review_date=i.review_date, is_open=True, today=today)
    ]


def owner_names(*, session: Session, project_id: int) -> dict[int, str]:
    """Person id → name, for showing owners."""
    return {
        p.id: p.name
        for p in session.exec(select(Person).where(Person.project_id == project_id))
        if p.id is not None
    }
