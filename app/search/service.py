"""Search across one project (docs/search.md): the words typed, each as a prefix, all of them
in a row's title or text. SQLite reads the FTS5 index that triggers keep (migration 0021);
PostgreSQL reads the rows with to_tsvector('danish', …) on their GIN indexes. A hit is shown
with its kind, its title as the row has it now, a snippet around the words and a link.

Access follows the project's read rules: everyone with a role in the project reads its tasks,
milestones, decisions, meetings, stakeholders, risks, plans and reports (group members read
every group's work; they change only their own); the directorate reads issued status reports
only, and finds only those. Participant data is not searched at all."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.auth.service import Access
from app.danish import format_date
from app.errors import Invalid
from app.governance.models import AgendaItem, Body, Decision, Meeting
from app.reports.models import ReportStatus, StatusReport
from app.risks.models import RaidItem
from app.risks.rules import RAID_KIND_LABELS
from app.search.sources import BY_KIND, BY_NUMBER, KIND_LABELS, KINDS, SOURCES, Kind, Source
from app.stakeholders.models import Stakeholder
from app.workstreams.models import Milestone, Plan, Task

MAX_QUERY = 200
MAX_WORDS = 12
TOO_LONG = f"Feltet »Søgetekst« må højst være {MAX_QUERY} tegn."
HIT_START, HIT_END = "\x02", "\x03"
# Letters and digits only: quotes, *, (, ), :, & and the like never reach the query parser.
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Hit:
    """One row found: its kind, title now, a snippet (hits marked) and where it is shown."""

    kind: Kind
    id: int
    title: str
    url: str
    marked: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def snippet(self) -> str:
        return self.marked.replace(HIT_START, "").replace(HIT_END, "")

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is a hit) pieces, for the page to mark without raw HTML."""
        pieces = re.split(f"({HIT_START}[^{HIT_END}]*{HIT_END})", self.marked)
        return [(p.strip(HIT_START + HIT_END), p.startswith(HIT_START)) for p in pieces if p != ""]


@dataclass(frozen=True)
class Found:
    q: str
    words: list[str]
    total: int
    hits: list[Hit]


def words_of(q: str) -> list[str]:
    """The words searched for (every other character is a separator); refuses a too-long text."""
    if len(q) > MAX_QUERY:
        raise Invalid(TOO_LONG, field="q")
    return [w.lower() for w in WORD.findall(q)][:MAX_WORDS]


def search(*, session: Session, access: Access, q: str, offset: int = 0, limit: int = 20) -> Found:
    """A page of the project's rows that hold every word (as a prefix), best first, with the
    total; what the caller may not read is neither counted nor shown."""
    q = q.strip()
    words = words_of(q)
    if not words:
        return Found(q, [], 0, [])
    kinds = [Kind.status_report] if access.directorate_only else list(Kind)
    issued_only = access.directorate_only
    if session.get_bind().dialect.name == "sqlite":
        total, found = _sqlite(session, access.project_id, words, kinds, issued_only, offset, limit)
    else:
        total, found = _postgres(
            session, access.project_id, words, kinds, issued_only, offset, limit
        )
    return Found(q, words, total, _hits(session, access.project_id, found))


# SQLite: the FTS5 index ------------------------------------------------------------------------


def _sqlite(
    session: Session,
    project_id: int,
    words: list[str],
    kinds: list[Kind],
    issued_only: bool,
    offset: int,
    limit: int,
) -> tuple[int, list[tuple[Kind, int, str]]]:
    where = "search_index MATCH :match AND project_id = :project_id"
    if len(kinds) < len(SOURCES):
        numbers = ", ".join(str(BY_KIND[k].number) for k in kinds)
        where += f" AND rowid % {KINDS} IN ({numbers})"
    if issued_only:
        where += (
            f" AND (rowid % {KINDS} != {BY_KIND[Kind.status_report].number} OR rowid / {KINDS} IN"
            " (SELECT id FROM status_report WHERE project_id = :project_id AND status = :issued))"
        )
    params = {
        "match": " ".join(f'"{w}"*' for w in words),
        "project_id": project_id,
        "issued": ReportStatus.issued.value,
    }
    total = session.execute(
        sa.text(f"SELECT count(*) FROM search_index WHERE {where}"), params
    ).scalar_one()
    rows = session.execute(
        sa.text(
            "SELECT rowid, snippet(search_index, -1, char(2), char(3), '…', 16) "
            f"FROM search_index WHERE {where} ORDER BY rank, rowid LIMIT :limit OFFSET :offset"
        ),
        params | {"limit": limit, "offset": offset},
    ).all()
    return total, [(BY_NUMBER[r % KINDS].kind, r // KINDS, snip) for r, snip in rows]


# PostgreSQL: full-text search on the rows ------------------------------------------------------


def _branch(source: Source, issued_only: bool) -> str:
    document = f"to_tsvector('danish', {source.document})"
    where = f"{source.project} = :project_id AND {document} @@ query.q"
    if issued_only and source.kind == Kind.status_report:
        where += " AND t.status = :issued"
    return (
        f"SELECT {source.number} AS kind, t.id AS row_id, ts_rank({document}, query.q) AS rank, "
        f"{source.document} AS doc FROM {source.table} AS t {source.join} "
        f"CROSS JOIN query WHERE {where}"
    )


def _postgres(
    session: Session,
    project_id: int,
    words: list[str],
    kinds: list[Kind],
    issued_only: bool,
    offset: int,
    limit: int,
) -> tuple[int, list[tuple[Kind, int, str]]]:
    union = " UNION ALL ".join(_branch(BY_KIND[k], issued_only) for k in kinds)
    query = "WITH query AS (SELECT to_tsquery('danish', :tsquery) AS q) "
    params = {
        "tsquery": " & ".join(f"{w}:*" for w in words),
        "project_id": project_id,
        "issued": ReportStatus.issued.value,
    }
    total = session.execute(
        sa.text(f"{query}SELECT count(*) FROM ({union}) AS hits"), params
    ).scalar_one()
    options = (
        f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=24, MinWords=10, MaxFragments=1, "
        "FragmentDelimiter=…"
    )
    rows = session.execute(
        sa.text(
            f"{query}SELECT page.kind, page.row_id, ts_headline('danish', page.doc, query.q, "
            f":options) FROM (SELECT * FROM ({union}) AS hits ORDER BY rank DESC, kind, row_id "
            "LIMIT :limit OFFSET :offset) AS page CROSS JOIN query "
            "ORDER BY page.rank DESC, page.kind, page.row_id"
        ),
        params | {"options": options, "limit": limit, "offset": offset},
    ).all()
    return total, [(BY_NUMBER[k].kind, row_id, snip) for k, row_id, snip in rows]


# Titles and links, one query per kind on the page ----------------------------------------------


def _hits(session: Session, project_id: int, found: list[tuple[Kind, int, str]]) -> list[Hit]:
    ids: dict[Kind, set[int]] = defaultdict(set)
    for kind, row_id, _ in found:
        ids[kind].add(row_id)
    shown: dict[tuple[Kind, int], tuple[str, str]] = {}
    base = f"/projects/{project_id}"
    for kind, row_ids in ids.items():
        for row_id, title, where in _describe(session, kind, row_ids):
            shown[(kind, row_id)] = (title, f"{base}/{where}")
    return [
        Hit(kind, row_id, *shown[(kind, row_id)], snip)
        for kind, row_id, snip in found
        if (kind, row_id) in shown
    ]


Described = list[tuple[int, str, str]]


def _describe(session: Session, kind: Kind, ids: Iterable[int]) -> Described:
    """(id, title, link below the project) for the rows of one kind."""
    return DESCRIBE[kind](session, list(ids))


def _tasks(session: Session, ids: list[int]) -> Described:
    rows = session.exec(select(Task).where(col(Task.id).in_(ids))).all()
    return [
        (
            t.id or 0,
            t.title,
            f"groups/{t.group_id}#task-{t.id}" if t.group_id else "plans#uforankrede",
        )
        for t in rows
    ]


def _milestones(session: Session, ids: list[int]) -> Described:
    rows = session.exec(select(Milestone).where(col(Milestone.id).in_(ids))).all()
    return [(m.id or 0, m.name, f"milestones#milestone-{m.id}") for m in rows]


def _decisions(session: Session, ids: list[int]) -> Described:
    rows = session.exec(select(Decision).where(col(Decision.id).in_(ids))).all()
    return [(d.id or 0, f"Nr. {d.number}: {d.title}", f"decisions/{d.id}") for d in rows]


def _meetings(session: Session, ids: list[int]) -> Described:
    rows = session.exec(
        select(Meeting, Body.name)
        .join(Body, col(Body.id) == Meeting.body_id)
        .where(col(Meeting.id).in_(ids))
    ).all()
    return [
        (m.id or 0, f"{name}, møde {format_date(m.meeting_date)}", f"meetings/{m.id}")
        for m, name in rows
    ]


def _agenda_items(session: Session, ids: list[int]) -> Described:
    rows = session.exec(
        select(AgendaItem, Meeting)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .where(col(AgendaItem.id).in_(ids))
    ).all()
    return [
        (
            a.id or 0,
            f"{a.title} (møde {format_date(m.meeting_date)})",
            f"meetings/{a.meeting_id}#agenda-item-{a.id}",
        )
        for a, m in rows
    ]


def _stakeholders(session: Session, ids: list[int]) -> Described:
    rows = session.exec(select(Stakeholder).where(col(Stakeholder.id).in_(ids))).all()
    return [(s.id or 0, s.name, f"stakeholders/{s.id}") for s in rows]


def _raid_items(session: Session, ids: list[int]) -> Described:
    rows = session.exec(select(RaidItem).where(col(RaidItem.id).in_(ids))).all()
    return [(r.id or 0, f"{RAID_KIND_LABELS[r.kind]}: {r.title}", f"risks/{r.id}") for r in rows]


def _reports(session: Session, ids: list[int]) -> Described:
    rows = session.exec(select(StatusReport).where(col(StatusReport.id).in_(ids))).all()
    return [
        (
            r.id or 0,
            f"Statusrapport nr. {r.number} ({format_date(r.period_start_date)}–"
            f"{format_date(r.period_end_date)})",
            f"reports/{r.id}",
        )
        for r in rows
    ]


def _plans(session: Session, ids: list[int]) -> Described:
    rows = session.exec(select(Plan).where(col(Plan.id).in_(ids))).all()
    return [(p.id or 0, p.title, f"groups/{p.group_id}") for p in rows]


DESCRIBE: dict[Kind, Callable[[Session, list[int]], Described]] = {
    Kind.task: _tasks,
    Kind.milestone: _milestones,
    Kind.decision: _decisions,
    Kind.meeting: _meetings,
    Kind.agenda_item: _agenda_items,
    Kind.stakeholder: _stakeholders,
    Kind.raid_item: _raid_items,
    Kind.status_report: _reports,
    Kind.plan: _plans,
}
