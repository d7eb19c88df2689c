"""The decision log and the meetings as tables for export (app/exports.py), read as their
pages read them: the filters are the pages' query parameters."""

from collections.abc import Mapping

from sqlmodel import Session

from app.danish import format_week
from app.exports import EVERY_ROW, Table, id_filter
from app.governance import bodies, decisions, meetings

DECISION_COLUMNS = [
    "Nr.",
    "Dato",
    "Organ",
    "Beslutning",
    "Tekst",
    "Status",
    "Åbne opfølgningspunkter",
]
MEETING_COLUMNS = [
    "Dato",
    "Uge",
    "Tid",
    "Organ",
    "Med projektledelsen",
    "Med eksterne samarbejdspartnere",
    "Sted",
    "Dagsordenspunkter",
    "Beslutninger",
    "Referat",
]


def _body_names(session: Session, project_id: int) -> dict[int | None, str]:
    return {b.id: b.name for b in bodies.bodies(session=session, project_id=project_id)}


def decisions_table(*, session: Session, project_id: int, filters: Mapping[str, str]) -> Table:
    """The decision log, newest first, searched (`q`) and of one body (`body_id`) as the
    decisions page."""
    log = decisions.decision_log(
        session=session,
        project_id=project_id,
        q=filters.get("q", "").strip()[:200],
        body_id=id_filter(filters.get("body_id", "")),
        offset=0,
        limit=EVERY_ROW,
    )
    names = _body_names(session, project_id)
    rows = [
        [
            d.number,
            d.decision_date,
            names.get(d.body_id, ""),
            d.title,
            d.text,
            (
                f"Afløst af nr. {log.numbers.get(d.superseded_by_id, '?')}"
                if d.superseded_by_id
                else "Gældende"
            ),
            log.open_actions[d.id],
        ]
        for d in log.decisions
    ]
    return Table(title="Beslutninger", columns=DECISION_COLUMNS, rows=rows)


def meetings_table(*, session: Session, project_id: int, filters: Mapping[str, str]) -> Table:
    """The project's meetings, newest first, of one body (`body_id`) as the meetings page."""
    listed = meetings.meeting_list(
        session=session,
        project_id=project_id,
        body_id=id_filter(filters.get("body_id", "")),
        offset=0,
        limit=EVERY_ROW,
    )
    names = _body_names(session, project_id)
    rows = [
        [
            m.meeting_date,
            format_week(m.meeting_date),
            m.start_time,
            names.get(m.body_id, ""),
            m.with_project_management,
            m.with_external_partners,
            m.place,
            listed.agenda_counts[m.id],
            listed.decision_counts[m.id],
            "Skrevet" if m.minutes else "Mangler",
        ]
        for m in listed.meetings
    ]
    return Table(title="Møder", columns=MEETING_COLUMNS, rows=rows)
