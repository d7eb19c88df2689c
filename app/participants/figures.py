"""The published monitoring figures of a project's registrations: the monitoring report of a
scheme (pages, API, charts, Excel) and the headline figures of each scheme in a status report.
"""

from datetime import date
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.participants import monitoring
from app.participants.models import Participant
from app.participants.records import records_of
from app.participants.setup import get_scheme, list_schemes


def project_records(
    *, session: Session, project_id: int, scheme_id: int | None
) -> list[monitoring.Record]:
    """The project's participants (of one scheme, or all) with their schemes and follow-ups."""
    query = select(Participant).where(Participant.project_id == project_id)
    if scheme_id is not None:
        query = query.where(Participant.scheme_id == scheme_id)
    return records_of(session=session, participants=list(session.exec(query).all()))


def monitoring_report(
    *,
    session: Session,
    project_id: int,
    scheme_id: int | None = None,
    as_of: date | None = None,
    unit: monitoring.PeriodUnit = "quarter",
    target_group: str | None = None,
) -> monitoring.Report:
    """The published figures of a scheme (all schemes when None), over its period, as of the
    month end on or before `as_of` (the same for every role: it is what the grantor gets).

    Without `as_of` the figures are as of the last month end before today — or, when the
    scheme's period is over, as of the end of the month of its last registration (once that
    month is over), so a closed pilot is not reported as ever more overdue.
    """
    first = last = None
    if scheme_id is not None:
        scheme = get_scheme(session=session, project_id=project_id, scheme_id=scheme_id)
        first, last = scheme.period_start_date, scheme.period_end_date
    records = project_records(session=session, project_id=project_id, scheme_id=scheme_id)
    today = clock.today()
    day = as_of or today
    events = [
        d
        for r in records
        for d in (r.participant.start_date, r.participant.exit_date, r.last_follow_up_date)
        if d and d <= day
    ]
    if as_of is None and last is not None and last < today:
        day = min(monitoring.month_end(max([last, *events])), today)
    day = monitoring.reporting_date(day)
    if last is not None:
        # Participants who started in the period are followed until they leave.
        last = max([last, *(d for d in events if d <= day)])
    return monitoring.build_report(
        records, as_of=day, unit=unit, target_group=target_group, first=first, last=last
    )


def report_figures(*, session: Session, project_id: int, as_of: date) -> list[dict[str, Any]]:
    """The headline figures of each registration scheme as published for the month end on or
    before `as_of` (the directorate reads status reports), JSON-safe for the status report's
    snapshot; a fixed number of queries."""
    schemes = list_schemes(session=session, project_id=project_id)
    if not schemes:
        return []
    as_of = monitoring.reporting_date(as_of)
    by_scheme: dict[int, list[monitoring.Record]] = {s.id or 0: [] for s in schemes}
    for record in project_records(session=session, project_id=project_id, scheme_id=None):
        by_scheme[record.scheme.id or 0].append(record)
    result = []
    for scheme in schemes:
        report = monitoring.build_report(
            by_scheme[scheme.id or 0], as_of=as_of, first=as_of, last=as_of
        )
        outcome_table = next(t for t in report.tables() if t.key == "outcomes")
        result.append(
            {
                "scheme": scheme.name,
                "grantor": scheme.grantor,
                "as_of_date": as_of,
                "key_figures": [
                    {"label": label, "value": shown} for label, shown in report.key_figures()
                ],
                "outcomes": [
                    {"label": label, "placement_label": placement, "count": count}
                    for label, placement, count in outcome_table.rows[:-1]
                ],
                "exited": outcome_table.rows[-1][2],
            }
        )
    return result
