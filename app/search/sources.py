"""What the project search reads: each kind of row, its number in SQLite's index (a row's FTS
rowid is `id * KINDS + number`, migration 0021) and its document on PostgreSQL — the text
to_tsvector('danish', …) reads, written exactly as the GIN index of migration 0021 writes it
(an index on an expression is used only for that expression). An agenda item's document has its
own minutes since migration 0023."""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    task = "task"
    milestone = "milestone"
    decision = "decision"
    meeting = "meeting"
    agenda_item = "agenda_item"
    stakeholder = "stakeholder"
    raid_item = "raid_item"
    status_report = "status_report"
    plan = "plan"


KIND_LABELS = {
    Kind.task: "Opgave",
    Kind.milestone: "Milepæl",
    Kind.decision: "Beslutning",
    Kind.meeting: "Møde",
    Kind.agenda_item: "Dagsordenspunkt",
    Kind.stakeholder: "Interessent",
    Kind.raid_item: "Risikolog",
    Kind.status_report: "Statusrapport",
    Kind.plan: "Tids- og handleplan",
}

KINDS = 16  # room for this many kinds in an FTS rowid


@dataclass(frozen=True)
class Source:
    kind: Kind
    number: int
    table: str
    document: str  # PostgreSQL: the indexed text, over the table's alias `t`
    join: str = ""  # PostgreSQL: how the row reaches its project, when not by t.project_id
    project: str = "t.project_id"


SOURCES = (
    Source(Kind.task, 1, "task", "coalesce(t.title, '') || ' ' || coalesce(t.description, '')"),
    Source(
        Kind.milestone, 2, "milestone", "coalesce(t.name, '') || ' ' || coalesce(t.description, '')"
    ),
    Source(Kind.decision, 3, "decision", "coalesce(t.title, '') || ' ' || coalesce(t.text, '')"),
    Source(Kind.meeting, 4, "meeting", "coalesce(t.place, '') || ' ' || coalesce(t.minutes, '')"),
    Source(
        Kind.agenda_item,
        5,
        "agenda_item",
        "coalesce(t.title, '') || ' ' || coalesce(t.description, '') || ' ' "
        "|| coalesce(t.minutes, '')",
        join="JOIN meeting AS m ON m.id = t.meeting_id",
        project="m.project_id",
    ),
    Source(
        Kind.stakeholder,
        6,
        "stakeholder",
        "coalesce(t.name, '') || ' ' || coalesce(t.organisation, '') || ' ' "
        "|| coalesce(t.needs, '')",
    ),
    Source(
        Kind.raid_item,
        7,
        "raid_item",
        "coalesce(t.title, '') || ' ' || coalesce(t.description, '') || ' ' "
        "|| coalesce(t.response, '')",
    ),
    Source(Kind.status_report, 8, "status_report", "'Statusrapport nr. ' || t.number::text"),
    Source(Kind.plan, 9, "plan", "coalesce(t.title, '') || ' ' || coalesce(t.description, '')"),
)
BY_KIND = {s.kind: s for s in SOURCES}
BY_NUMBER = {s.number: s for s in SOURCES}
