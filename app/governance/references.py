"""Refusing to delete a row while other rows, in any domain, still refer to it: a walk over the
foreign keys of every table, and the Danish names of the tables it may find."""

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.errors import Conflict

# Danish names of the tables that may refer to an entity being deleted (other domains' too).
USAGE_LABELS = {
    "membership": "medlemskaber af organer",
    "attendance": "mødedeltagelse",
    "follow_up_action": "opfølgningspunkter",
    "project_member": "brugeradgange",
    "person": "personer",
    "body": "organer, der refererer til det",
    "meeting": "møder",
    "decision": "beslutninger",
    "mandate_item": "mandatpunkter",
    "project": "kommissoriet, der vælger det som godkender eller modtager",
    # Other domains' tables as they stand; a table not named here shows by its own name.
    "plan": "tids- og handleplaner",
    "plan_version": "planversioner",
    "task": "opgaver",
    "milestone": "milepæle",
    "group_setting": "gruppens indstillinger",
    "stakeholder": "interessenter",
    "communication_action": "kommunikationsaktiviteter",
    "external_activity": "eksterne aktiviteter",
    "activity_delegate": "deltagere i eksterne aktiviteter",
    "budget_line": "budgetlinjer",
    "expenditure": "udgifter",
    "economy_entry": "økonomiposter",
    "indicator": "indikatorer",
    "raid_item": "risici, antagelser, problemer og afhængigheder",
    "attachment": "bilag",
}


# Logs that keep the names of what they refer to as text (their references are ON DELETE SET
# NULL): they never hold a row back from being deleted.
NAME_KEEPING_LOGS = {"organisation_change"}


def _usages(*, session: Session, table: str, item_id: int, ignore: set[str]) -> list[str]:
    """Where other rows refer to this one, as Danish labels with counts. It walks the metadata
    instead of naming tables, because later domains (plans, tasks, grants) refer to people and
    bodies too, and a cascade there would silently delete their work."""
    found = []
    for t in SQLModel.metadata.sorted_tables:
        if t.name in ignore or t.name in NAME_KEEPING_LOGS:
            continue
        for fk in t.foreign_keys:
            if fk.column.table.name != table:
                continue
            count = session.scalar(
                sa.select(sa.func.count()).select_from(t).where(fk.parent == item_id)
            )
            if count:
                found.append(f"{USAGE_LABELS.get(t.name, t.name.replace('_', ' '))} ({count})")
    return found


def refuse_if_used(
    *, session: Session, table: str, item_id: int, what: str, ignore: set[str] | None = None
) -> None:
    """Conflict, naming what refers to the row `item_id` of `table` (`what`, as the person
    knows it), when anything outside `ignore` does."""
    used = _usages(session=session, table=table, item_id=item_id, ignore=ignore or set())
    if used:
        raise Conflict(
            f"{what} kan ikke slettes, fordi der henvises til den fra: "
            f"{', '.join(used)}. Fjern eller flyt dem først."
        )
