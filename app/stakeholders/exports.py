"""The stakeholder analysis and the communication plan as tables for export (app/exports.py),
read as their pages read them: the filters are the pages' query parameters."""

from collections.abc import Mapping

from sqlmodel import Session

from app.clock import today
from app.exports import Table
from app.stakeholders import communication, reads
from app.stakeholders.models import (
    ATTITUDE_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    QUADRANT_NAMES,
    STRATEGY_LABELS,
)

STAKEHOLDER_COLUMNS = [
    "Interessent",
    "Intern / ekstern",
    "Direktørområde eller organisation",
    "Indflydelse",
    "Interesse",
    "Holdning",
    "Strategi",
    "Kvadrant",
    "Ansvarlig gruppe",
]
ACTION_COLUMNS = [
    "Dato",
    "Interessent",
    "Hvad",
    "Kanal",
    "Ansvarlig",
    "Gruppe",
    "Status",
    "Udført dato",
]


def _status(done: bool, late: bool) -> str:
    return "Udført" if done else "Overskredet" if late else "Planlagt"


def stakeholders_table(*, session: Session, project_id: int, filters: Mapping[str, str]) -> Table:
    """The stakeholder analysis (the page has no filters; `filters` is taken for symmetry)."""
    found = reads.analysis(session=session, project_id=project_id)
    rows = [
        [
            line.stakeholder.name,
            KIND_LABELS[line.stakeholder.kind],
            line.belongs_to,
            line.stakeholder.influence,
            line.stakeholder.interest,
            ATTITUDE_LABELS[line.stakeholder.attitude],
            STRATEGY_LABELS[line.strategy],
            QUADRANT_NAMES[line.quadrant],
            line.group or "Projektlederen",
        ]
        for line in found.lines
    ]
    return Table(title="Interessenter", columns=STAKEHOLDER_COLUMNS, rows=rows)


def communication_table(*, session: Session, project_id: int, filters: Mapping[str, str]) -> Table:
    """The communication plan in date order, of one group (`group_id`) and open or done
    actions (`status=open|done`) as the page filters it."""
    group = filters.get("group_id", "")
    actions = communication.communication_actions(
        session=session,
        project_id=project_id,
        group_id=int(group) if group.isdigit() else None,
        done={"open": False, "done": True}.get(filters.get("status", "")),
    )
    day = today()
    rows = [
        [
            a.action.planned_date,
            a.stakeholder_name,
            a.action.what,
            CHANNEL_LABELS[a.action.channel],
            a.person_name or None,
            a.group_name or "Projektlederen",
            _status(a.action.done, a.action.planned_date < day),
            a.action.done_date,
        ]
        for a in actions
    ]
    return Table(title="Kommunikationsplan", columns=ACTION_COLUMNS, rows=rows)
