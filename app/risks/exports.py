"""The RAID register as a table for export (app/exports.py), read as the register page reads
it: the filters are the page's query parameters (kind, status, group, level)."""

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from sqlmodel import Session

from app.clock import today
from app.exports import Table
from app.governance.bodies import implementation_groups
from app.risks import rules, service
from app.risks.rules import RaidKind, RaidStatus, RiskLevel

E = TypeVar("E", bound=StrEnum)
COLUMNS = [
    "Type",
    "Titel",
    "Beskrivelse",
    "Håndtering",
    "Sandsynlighed",
    "Konsekvens",
    "Score",
    "Niveau",
    "Ansvarlig",
    "Gruppe",
    "Status",
    "Næste revision",
    "Revision overskredet",
]


def _enum_or_none(enum: type[E], value: str) -> E | None:
    return enum(value) if value in set(enum) else None


def risks_table(*, session: Session, project_id: int, filters: Mapping[str, str]) -> Table:
    """The register, filtered as the page filters it (`status=open`: open and in progress)."""
    state = filters.get("status", "")
    group = filters.get("group", "")
    items = service.list_items(
        session=session,
        project_id=project_id,
        kind=_enum_or_none(RaidKind, filters.get("kind", "")),
        group_id=int(group) if group.isdigit() else None,
        level=_enum_or_none(RiskLevel, filters.get("level", "")),
        status=_enum_or_none(RaidStatus, state),
        open_only=state == "open",
    )
    owners = service.owner_names(session=session, project_id=project_id)
    groups = {g.id: g.name for g in implementation_groups(session=session, project_id=project_id)}
    day = today()
    rows = [
        [
            rules.RAID_KIND_LABELS[i.kind],
            i.title,
            i.description,
            i.response,
            i.probability,
            i.consequence,
            i.score,
            rules.RISK_LEVEL_LABELS[i.level] if i.level else None,
            owners.get(i.owner_id) if i.owner_id else None,
            groups.get(i.group_id, "") if i.group_id else "Projektledelsen",
            rules.RAID_STATUS_LABELS[i.status],
            i.review_date,
            rules.review_overdue(review_date=i.review_date, is_open=i.is_open, today=day),
        ]
        for i in items
    ]
    return Table(title="Risici og problemer", columns=COLUMNS, rows=rows)
