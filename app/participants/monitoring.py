"""The grantor's figures computed from registrations.

Pure functions on `Record`s (a participant with its scheme and follow-ups): no database here, so
the figures can be checked against hand-counted fixtures. Every figure that leaves this module
for a page, the API, a chart, Excel or a status report goes through `Report.tables()` /
`key_figures()`, which publish it by the rule in `disclosure`, as of a month end
(`reporting_date`).
"""

import calendar
import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from app.participants.disclosure import cell, figure, share, suppress_series
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.schemes import next_due, outcomes

NO_GROUP = "Uden målgruppe"
PeriodUnit = Literal["month", "quarter"]
SHORT_MONTHS = [
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "maj",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
]


@dataclass
class Record:
    """A participant, the scheme it is registered under, and its follow-ups by date."""

    participant: Participant
    scheme: RegistrationScheme
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def last_follow_up_date(self) -> date | None:
        return self.follow_ups[-1].follow_up_date if self.follow_ups else None

    @property
    def next_follow_up_date(self) -> date | None:
        """When the next follow-up falls due (None once the participant has left)."""
        if self.participant.exit_date is not None:
            return None
        return next_due(self.scheme, self.last_follow_up_date or self.participant.start_date)

    @property
    def status(self) -> str:
        return "exited" if self.participant.exit_date else "active"


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class Due:
    """One follow-up that fell due: when, when it was done (if it was), and whether on time."""

    due_date: date
    done_date: date | None
    on_time: bool


# Time -------------------------------------------------------------------------------------


def month_end(day: date) -> date:
    """The last day of the day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def reporting_date(day: date) -> date:
    """The last month end on or before `day`: published figures are as of whole months, so two
    answers can differ only from one month to the next, never from one day to the next."""
    return day if day == month_end(day) else day.replace(day=1) - timedelta(days=1)


def periods(first: date, last: date, unit: PeriodUnit) -> list[Period]:
    """Calendar months or quarters from the one holding `first` to the one holding `last`."""
    step = 3 if unit == "quarter" else 1
    month = ((first.month - 1) // step) * step + 1
    year = first.year
    result: list[Period] = []
    while date(year, month, 1) <= last:
        start = date(year, month, 1)
        next_month, next_year = month + step, year
        if next_month > 12:
            next_month, next_year = next_month - 12, year + 1
        end = date(next_year, next_month, 1) - timedelta(days=1)
        if unit == "quarter":
            label = f"{(month - 1) // 3 + 1}. kvt. {year}"
        else:
            label = f"{SHORT_MONTHS[month - 1]} {year}"
        result.append(Period(label, start, end))
        month, year = next_month, next_year
    return result


def exit_by(record: Record, as_of: date) -> date | None:
    """The exit date if the participant had left by `as_of`."""
    exit_date = record.participant.exit_date
    return exit_date if exit_date is not None and exit_date <= as_of else None


def active_on(record: Record, day: date, as_of: date) -> bool:
    """Started on or before `day` and not left by then (exits after `as_of` are not known)."""
    if record.participant.start_date > day:
        return False
    left = exit_by(record, as_of)
    return left is None or left > day


def schedule(record: Record, as_of: date) -> list[Due]:
    """The follow-ups that fell due up to `as_of`, each matched with the next follow-up done.

    A follow-up is on time when done no later than `on_time_days` after its due date. A due
    follow-up not done is counted as missed only once its grace period has passed.
    """
    p, scheme = record.participant, record.scheme
    grace = timedelta(days=scheme.on_time_days)
    done = [f.follow_up_date for f in record.follow_ups if f.follow_up_date <= as_of]
    left = exit_by(record, as_of)
    result: list[Due] = []
    last, i = p.start_date, 0
    while True:
        due = next_due(scheme, last)
        if due > as_of or (left is not None and due > left):
            break
        if i < len(done):
            result.append(Due(due, done[i], done[i] <= due + grace))
            last, i = done[i], i + 1
        elif as_of > due + grace:
            result.append(Due(due, None, False))
            last = due
        else:
            break
    return result


def hours_timeline(record: Record) -> list[tuple[date, float]]:
    """The hours recorded at start and at each follow-up (the scheme's hours field)."""
    key = record.scheme.hours_field
    if not key:
        return []
    points = []
    if record.participant.start_values.get(key) is not None:
        points.append((record.participant.start_date, float(record.participant.start_values[key])))
    for f in record.follow_ups:
        if f.values.get(key) is not None:
            points.append((f.follow_up_date, float(f.values[key])))
    return sorted(points)


def hours_on(record: Record, day: date) -> tuple[float, float] | None:
    """(first recorded hours, hours as of `day`), or None when none were recorded by then."""
    points = [v for d, v in hours_timeline(record) if d <= day]
    return (points[0], points[-1]) if points else None


# The report -------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    period: Period
    started: int = 0
    active: int = 0
    exited: int = 0
    due: int = 0
    due_people: int = 0
    on_time: int = 0


@dataclass
class GroupRow:
    name: str
    started: int = 0
    active: int = 0
    exited: int = 0
    placed: int = 0


@dataclass
class HoursRow:
    period: Period
    people: int = 0
    average: float | None = None
    progressed: int = 0
    above_cap: int = 0


@dataclass
class Table:
    """A table as shown: a title, column headings and rows of text cells (suppression applied)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            "note": self.note,
        }


@dataclass
class Report:
    """Every figure of the monitoring for one scheme (or all), as of a date."""

    as_of: date
    unit: PeriodUnit
    target_group: str | None
    hours_label: str
    hours_cap: int | None
    started: int = 0
    active: int = 0
    exited: int = 0
    due: int = 0
    due_people: int = 0
    on_time: int = 0
    over_time: list[PeriodRow] = field(default_factory=list)
    outcomes: list[tuple[str, str, bool, int]] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    placement_days: list[int] = field(default_factory=list)
    hours: list[HoursRow] = field(default_factory=list)

    @property
    def on_time_share(self) -> float | None:
        return 100 * self.on_time / self.due if self.due else None

    @property
    def placement_median(self) -> float | None:
        return statistics.median(self.placement_days) if self.placement_days else None

    @property
    def placement_mean(self) -> float | None:
        return statistics.fmean(self.placement_days) if self.placement_days else None

    def key_figures(self) -> list[tuple[str, str]]:
        """The headline numbers, as shown."""
        return [
            ("Startet i alt", cell(self.started)),
            ("Aktive", cell(self.active)),
            ("Afsluttet", cell(self.exited)),
            ("Opfølgninger til tiden", share(self.on_time, self.due, self.due_people)),
        ]

    def tables(self) -> list[Table]:
        """Every table of the report, with small cells suppressed."""
        started = suppress_series([r.started for r in self.over_time])
        exited = suppress_series([r.exited for r in self.over_time])
        over_time = Table(
            "over_time",
            "Deltagere over tid",
            [
                "Periode",
                "Startet",
                "Aktive ved periodens slut",
                "Afsluttet",
                "Opfølgninger forfaldne",
                "Heraf til tiden",
                "Andel til tiden",
            ],
            [
                [
                    r.period.label,
                    started[i],
                    cell(r.active),
                    exited[i],
                    cell(r.due),
                    cell(r.on_time),
                    share(r.on_time, r.due, r.due_people),
                ]
                for i, r in enumerate(self.over_time)
            ],
            note="Aktive tælles på periodens sidste dag. En opfølgning er til tiden, når den er "
            "registreret senest det antal dage efter forfaldsdatoen, som ordningen angiver.",
        )
        outcome_cells = suppress_series([n for *_, n in self.outcomes])
        outcome_table = Table(
            "outcomes",
            "Afslutninger fordelt på status",
            ["Status", "Tæller som placering", "Antal"],
            [
                [label, "Ja" if placement else "Nej", outcome_cells[i]]
                for i, (_key, label, placement, _n) in enumerate(self.outcomes)
            ]
            + [["I alt", "", cell(self.exited)]],
        )
        columns = [
            suppress_series([getattr(g, name) for g in self.groups])
            for name in ("started", "active", "exited", "placed")
        ]
        group_table = Table(
            "groups",
            "Fordelt på målgruppe",
            ["Målgruppe", "Startet", "Aktive", "Afsluttet", "Afsluttet til placering"],
            [[g.name, *(column[i] for column in columns)] for i, g in enumerate(self.groups)],
        )
        people = len(self.placement_days)
        placement_table = Table(
            "placement",
            "Tid til første placering",
            ["Mål", "Værdi"],
            [
                ["Afsluttet til placering", cell(people)],
                ["Median, dage fra start", figure(self.placement_median, people, 0)],
                ["Gennemsnit, dage fra start", figure(self.placement_mean, people, 0)],
            ],
            note="Dage fra start til afslutning med en status, der tæller som placering "
            "(job, uddannelse, fleksjob, løntilskud m.m.).",
        )
        tables = [over_time, outcome_table, group_table, placement_table]
        if self.hours_label:
            cap = f"Over {self.hours_cap} timer" if self.hours_cap else "Over loftet"
            headings = [
                "Periode",
                "Deltagere med timetal",
                "Gns. timer pr. uge",
                "Flere timer end ved start",
            ]
            if self.hours_cap:
                headings.append(cap)
            rows = []
            for r in self.hours:
                row = [
                    r.period.label,
                    cell(r.people),
                    figure(r.average, r.people),
                    cell(r.progressed),
                ]
                if self.hours_cap:
                    row.append(cell(r.above_cap))
                rows.append(row)
            tables.append(
                Table(
                    "hours",
                    f"{self.hours_label} over tid",
                    headings,
                    rows,
                    note="Aktive deltagere på periodens sidste dag med det senest registrerede "
                    "timetal. Et gennemsnit for færre end 5 personer vises ikke.",
                )
            )
        return tables


def build_report(
    records: list[Record],
    *,
    as_of: date,
    unit: PeriodUnit = "quarter",
    target_group: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> Report:
    """The monitoring figures of the records as of a date, per period from `first` to `last`."""
    records = [
        Record(r.participant, r.scheme, [f for f in r.follow_ups if f.follow_up_date <= as_of])
        for r in records
        if r.participant.start_date <= as_of
        and (target_group is None or (r.participant.target_group or NO_GROUP) == target_group)
    ]
    schemes = {r.scheme.id: r.scheme for r in records}
    hours_scheme = next((s for s in schemes.values() if s.hours_field), None)
    hours_label = ""
    if hours_scheme is not None:
        hours_label = next(
            (
                f["label"]
                for f in [*hours_scheme.start_fields, *hours_scheme.follow_up_fields]
                if f["key"] == hours_scheme.hours_field
            ),
            "Timer",
        )
    report = Report(
        as_of=as_of,
        unit=unit,
        target_group=target_group,
        hours_label=hours_label,
        hours_cap=hours_scheme.hours_cap if hours_scheme else None,
    )
    schedules = {id(r): schedule(r, as_of) for r in records}
    report.started = len(records)
    report.active = sum(active_on(r, as_of, as_of) for r in records)
    report.exited = sum(exit_by(r, as_of) is not None for r in records)
    report.due = sum(len(s) for s in schedules.values())
    report.due_people = sum(1 for s in schedules.values() if s)
    report.on_time = sum(d.on_time for s in schedules.values() for d in s)

    if first is None and records:
        first = min(r.participant.start_date for r in records)
    last = min(last or as_of, as_of)
    for period in periods(first, last, unit) if first and first <= last else []:
        row = PeriodRow(period)
        hours_row = HoursRow(period)
        values = []
        for r in records:
            p = r.participant
            row.started += period.start <= p.start_date <= period.end
            row.active += active_on(r, period.end, as_of)
            left = exit_by(r, as_of)
            row.exited += left is not None and period.start <= left <= period.end
            in_period = [d for d in schedules[id(r)] if period.start <= d.due_date <= period.end]
            row.due += len(in_period)
            row.due_people += bool(in_period)
            row.on_time += sum(d.on_time for d in in_period)
            hours = hours_on(r, period.end) if active_on(r, period.end, as_of) else None
            if hours is not None and r.scheme.hours_field:
                first_hours, now = hours
                values.append(now)
                hours_row.progressed += now > first_hours
                cap = r.scheme.hours_cap
                hours_row.above_cap += cap is not None and now > cap
        hours_row.people = len(values)
        hours_row.average = statistics.fmean(values) if values else None
        report.over_time.append(row)
        report.hours.append(hours_row)

    outcome_defs: dict[str, tuple[str, bool]] = {}
    for s in schemes.values():
        for o in outcomes(s):
            outcome_defs.setdefault(o.key, (o.label, o.placement))
    placed_keys = {k for k, (_label, placement) in outcome_defs.items() if placement}
    counts = {key: 0 for key in outcome_defs}
    for r in records:
        left = exit_by(r, as_of)
        if left is not None and r.participant.exit_outcome in counts:
            counts[r.participant.exit_outcome] += 1
            if r.participant.exit_outcome in placed_keys:
                report.placement_days.append((left - r.participant.start_date).days)
    report.outcomes = [
        (k, label, placement, counts[k]) for k, (label, placement) in outcome_defs.items()
    ]

    group_names: list[str] = []
    for s in schemes.values():
        group_names += [g for g in s.target_groups if g not in group_names]
    if any(r.participant.target_group is None for r in records):
        group_names.append(NO_GROUP)
    for name in group_names:
        members = [r for r in records if (r.participant.target_group or NO_GROUP) == name]
        report.groups.append(
            GroupRow(
                name,
                started=len(members),
                active=sum(active_on(r, as_of, as_of) for r in members),
                exited=sum(exit_by(r, as_of) is not None for r in members),
                placed=sum(
                    exit_by(r, as_of) is not None and r.participant.exit_outcome in placed_keys
                    for r in members
                ),
            )
        )
    return report
