"""What a Gantt chart shows, loaded for a project with the filters people choose: group, status,
owner and period, and which groups are expanded.

The reads are lean queries of their own (app/reports/reads.py) with the workstreams' own rules
(`describe_milestone`, the plans' baselines) applied to them: the workstreams' list functions
would read the baselines twice and the names of every body and person, and a Gantt page must
stay within a small fixed number of queries.

The default view is one a person can read: a window from three months back to six months ahead
of today (inside the project's period), every group expanded when the window holds few tasks,
otherwise each group collapsed to one summary bar that can be expanded. Only what the chart
draws is loaded, in a fixed number of queries whatever the number of tasks. Tasks with neither
a start nor a due date are loaded for every shown group, expanded or not (one more query, only
when there are any), so the page can list them beside the chart. Tasks come in the plan's tree
order with their numbers (one query of four columns); `depth` shows only the top levels.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col

from app.danish import format_date
from app.errors import Invalid, NotFound
from app.governance.bodies import implementation_groups
from app.governance.models import Body
from app.governance.projects import get_project
from app.inputs import within_window
from app.reports import reads
from app.reports.gantt import (
    UNANCHORED,
    GanttData,
    GanttGroup,
    GanttMarker,
    GanttMilestone,
    GanttSummary,
    GanttTask,
)
from app.workstreams import baselines, hierarchy
from app.workstreams import milestones as workstreams_milestones
from app.workstreams.models import Task, TaskStatus
from app.workstreams.tasks import outside_period, overdue_days

# At most this many tasks are drawn one by one on a page; more are left to the filters.
DETAIL_LIMIT = 300
# The Gantt PDF draws every task of its filters, split over pages, up to this many (a bound on
# the time and memory of one PDF; the PDF says when more were left out).
PRINT_LIMIT = 3000
# At most this many tasks without dates are listed beside the chart.
UNDATED_LIMIT = 300
# Up to this many tasks in the window, every group starts expanded.
AUTO_EXPAND = 80
MILESTONE_LIMIT = 500
WINDOW_BEFORE_DAYS = 91
WINDOW_AFTER_DAYS = 183
ALL = "all"
NONE = "none"
NO_GROUP = "0"


@dataclass(frozen=True)
class GanttFilters:
    group_id: int | None = None
    status: TaskStatus | None = None
    owner_person_id: int | None = None
    start: date | None = None
    end: date | None = None
    # "", "all", "none", a group id, or "0" for the tasks not anchored in a group
    expand: str = ""
    # Levels of the plan shown: 1 = only top-level tasks, 2 = two levels, None = all
    depth: int | None = None

    def query(self, **changes: object) -> str:
        """The filters as a query string (for links that expand or collapse a group)."""
        values = {
            "group_id": self.group_id,
            "status": self.status.value if self.status else None,
            "owner_person_id": self.owner_person_id,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "expand": self.expand or None,
            "depth": self.depth,
        } | changes
        return "&".join(f"{k}={v}" for k, v in values.items() if v not in (None, ""))


@dataclass(frozen=True)
class Zoom:
    """A zoom button: a window around the status day (or the whole project)."""

    key: str  # week, month, quarter, year, project
    label: str  # Uge, Måned, …
    title: str  # what the window is: »uge 20 2013 (13.05.2013–19.05.2013)«
    start: date
    end: date


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def zoom_windows(on: date, project_start: date | None, project_end: date | None) -> list[Zoom]:
    """The zoom buttons: the week, month, quarter and year of the status day (calendar units,
    so the window has a name), and the project's whole period when it has one. A status day
    outside the project's period is moved to the period's nearest end (as the default
    window is), so no button shows an empty chart."""
    if project_end is not None and on > project_end:
        on = project_end
    if project_start is not None and on < project_start:
        on = project_start
    monday = on - timedelta(days=on.weekday())
    quarter = _quarter_start(on)
    q_end = _month_end(quarter.year, quarter.month + 2)
    windows = [
        (
            "week",
            "Uge",
            f"uge {on.isocalendar().week} {on.isocalendar().year}",
            monday,
            monday + timedelta(days=6),
        ),
        (
            "month",
            "Måned",
            f"{MONTHS[on.month - 1]} {on.year}",
            date(on.year, on.month, 1),
            _month_end(on.year, on.month),
        ),
        ("quarter", "Kvartal", f"{(on.month - 1) // 3 + 1}. kvartal {on.year}", quarter, q_end),
        ("year", "År", f"året {on.year}", date(on.year, 1, 1), date(on.year, 12, 31)),
    ]
    if project_start is not None and project_end is not None and project_start <= project_end:
        windows.append(
            ("project", "Hele projektet", "projektets periode", project_start, project_end)
        )
    return [
        Zoom(key, text, f"{title} ({format_date(start)}–{format_date(end)})", start, end)
        for key, text, title, start, end in windows
    ]


MONTHS = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]  # fmt: skip


@dataclass
class GanttView:
    """The chart's data and what the page says about it."""

    data: GanttData
    filters: GanttFilters
    total_tasks: int
    shown_tasks: int
    left_out: int
    default_window: bool
    counts: dict[int | None, reads.GroupTasks] = field(default_factory=dict)
    zooms: list[Zoom] = field(default_factory=list)
    # Every implementation group of the project, in their set order (the filter's choices),
    # read once with the chart's groups.
    group_choices: list[Body] = field(default_factory=list)

    @property
    def zoom(self) -> Zoom | None:
        """The zoom button whose window the chart shows, if any."""
        return next(
            (
                z
                for z in self.zooms
                if (z.start, z.end) == (self.data.window_start, self.data.window_end)
                and not self.default_window
            ),
            None,
        )

    @property
    def collapsed(self) -> list[GanttGroup]:
        return [g for g in self.data.groups if not g.expanded]

    @property
    def undated_by_group(self) -> list[tuple[GanttGroup, list[GanttTask]]]:
        """The tasks without dates under their group, in the order of the groups."""
        return [
            (g, found)
            for g in self.data.groups
            if (found := [t for t in self.data.undated if t.group_id == g.id])
        ]


def default_window(*, today: date, start: date | None, end: date | None) -> tuple[date, date]:
    """Three months back to six months ahead of today, moved inside the project's period when
    today lies outside it."""
    first = today - timedelta(days=WINDOW_BEFORE_DAYS)
    last = today + timedelta(days=WINDOW_AFTER_DAYS)
    length = last - first
    if end is not None and first > end:
        first, last = end - length, end
    elif start is not None and last < start:
        first, last = start, start + length
    return first, last


def load(
    *,
    session: Session,
    project_id: int,
    filters: GanttFilters,
    on: date,
    limit: int = DETAIL_LIMIT,
    base: baselines.Baselines | None = None,
    places: dict[int, hierarchy.Place] | None = None,
) -> GanttView:
    """The Gantt of a project (or of one group) with the filters applied; at most `limit`
    tasks drawn one by one. The project's baselines and its tasks' outline (of every task,
    hierarchy.load_outline) may be given when already loaded."""
    if filters.start and filters.end and filters.end < filters.start:
        raise Invalid(
            f"Periodens slutdato ({format_date(filters.end)}) ligger før startdatoen "
            f"({format_date(filters.start)}).",
            field="end",
        )
    project = get_project(session=session, project_id=project_id)
    choices = implementation_groups(session=session, project_id=project_id)
    groups = choices
    if filters.group_id is not None:
        groups = [g for g in choices if g.id == filters.group_id]
        if not groups:
            raise NotFound("Implementeringsgruppen findes ikke i dette projekt.")
    first, last = default_window(today=on, start=project.start_date, end=project.end_date)
    start = filters.start or (filters.end - (last - first) if filters.end else first)
    end = filters.end or (filters.start + (last - first) if filters.start else last)
    where = reads.task_filters(
        project_id=project_id,
        group_id=filters.group_id,
        status=filters.status,
        owner_person_id=filters.owner_person_id,
        period_start=start,
        period_end=end,
    )
    counts = reads.tasks_by_group(session=session, where=where)
    total = sum(c.total for c in counts.values())
    keys = [g.id for g in groups]
    if filters.group_id is None and None in counts:
        keys.append(None)
    expanded = _expanded(filters, keys, total)
    names = {g.id: g.name for g in groups} | {None: UNANCHORED}
    gantt_groups = [GanttGroup(k, names[k], k in expanded) for k in keys]
    data = GanttData(
        window_start=start,
        window_end=end,
        today=on,
        groups=gantt_groups,
        project_start=project.start_date,
        project_end=project.end_date,
    )
    for key, c in counts.items():
        if key in names and c.start and c.end:
            data.summaries[key] = GanttSummary(
                key,
                within_window(c.start),
                within_window(c.end) + timedelta(days=1),
                dict(c.counts),
                round(c.progress_sum / c.total) if c.total else 0,
            )
    shown = 0
    if base is None:
        base = baselines.baselines(session=session, project_id=project_id)
    if places is None:
        # Numbers and levels of the shown groups' tasks (one query of four columns).
        places = hierarchy.load_outline(session=session, project_id=project_id, group_ids=keys)
    wanted = [k for k in keys if k in expanded and counts.get(k)]
    # Sub-tasks below the chosen depth are left out in the query, so they take no place
    # under the limit and do not count as tasks the page could not show.
    deeper = [i for i, p in places.items() if p.level > filters.depth] if filters.depth else []
    if wanted:
        detail = list(where)
        if deeper:
            detail.append(col(Task.id).not_in(deeper))
        if len(wanted) == 1:
            detail.append(
                col(Task.group_id).is_(None)
                if wanted[0] is None
                else col(Task.group_id) == wanted[0]
            )
        rows = reads.tasks_with_owners(session=session, where=detail, limit=limit)
        rows = [(t, owner) for t, owner in rows if t.group_id in expanded]
        rows.sort(key=lambda r: hierarchy.sort_key(places, r[0].id))
        depends = reads.dependencies(session=session, task_ids=[t.id or 0 for t, _ in rows])
        data.tasks = []
        for t, owner in rows:
            b_start, b_due = base.task_dates.get(t.id or 0, (None, None))
            data.tasks.append(
                GanttTask(
                    id=t.id or 0,
                    title=t.title,
                    group_id=t.group_id,
                    owner=owner or "",
                    start=t.start_date,
                    due=t.due_date,
                    status=t.status,
                    progress=t.progress,
                    baseline_start=b_start,
                    baseline_due=b_due,
                    depends_on=tuple(depends.get(t.id or 0, [])),
                    outside_period=outside_period(t, project.start_date, project.end_date),
                    overdue_days=overdue_days(t, on=on),
                    **_place(places, t.id),
                )
            )
        shown = len(data.tasks)
    if any(c.undated for k, c in counts.items() if k in names):
        data.undated = [
            GanttTask(
                id=t.id or 0,
                title=t.title,
                group_id=t.group_id,
                owner=owner or "",
                start=None,
                due=None,
                status=t.status,
                progress=t.progress,
                **_place(places, t.id),
            )
            for t, owner in sorted(
                reads.tasks_with_owners(
                    session=session, where=where, limit=UNDATED_LIMIT, undated=True
                ),
                key=lambda r: hierarchy.sort_key(places, r[0].id),
            )
            if t.group_id in names
            and (filters.depth is None or hierarchy.level_of(places, t.id) <= filters.depth)
        ]
    # Tasks without dates are listed beside the chart, not left out of it.
    in_expanded = sum(counts[k].total - counts[k].undated for k in wanted) - len(deeper)
    for m in reads.milestones_between(
        session=session,
        project_id=project_id,
        group_id=filters.group_id,
        start=start,
        end=end,
        limit=MILESTONE_LIMIT,
    ):
        v = workstreams_milestones.describe_milestone(
            m, baseline=base.milestone_dates.get(m.id or 0), group_name=names.get(m.group_id), on=on
        )
        data.milestones.append(
            GanttMilestone(
                id=m.id or 0,
                name=m.name,
                group_id=m.group_id,
                expected=v.expected_date,
                baseline=v.baseline_date,
                health=v.health,
                health_label=v.health_label,
                status_label=v.status_label,
            )
        )
    data.markers = _markers(
        session=session, project_id=project_id, group_id=filters.group_id, start=start, end=end
    )
    return GanttView(
        data=data,
        filters=filters,
        total_tasks=total,
        shown_tasks=shown,
        left_out=max(in_expanded - shown, 0),
        default_window=filters.start is None and filters.end is None,
        counts=counts,
        zooms=zoom_windows(on, project.start_date, project.end_date),
        group_choices=choices,
    )


def _place(places: dict[int, hierarchy.Place], task_id: int | None) -> dict[str, Any]:
    place = places.get(task_id or 0)
    if place is None:
        return {}
    return {"number": place.number, "level": place.level, "children": place.children}


def _expanded(filters: GanttFilters, keys: list[int | None], total: int) -> set[int | None]:
    if filters.expand == ALL:
        return set(keys)
    if filters.expand == NONE:
        return set()
    wanted: set[int | None]
    if filters.expand == NO_GROUP:
        wanted = {None}
        return wanted & set(keys)
    if filters.expand.isdigit():
        wanted = {int(filters.expand)}
        return wanted & set(keys)
    if filters.group_id is not None or total <= AUTO_EXPAND:
        return set(keys)
    return set()


def _markers(
    *, session: Session, project_id: int, group_id: int | None, start: date, end: date
) -> list[GanttMarker]:
    markers = [
        GanttMarker(
            "meeting",
            m.meeting_date,
            "Beslutningsmøde",
            None,
            " ".join(p for p in (m.start_time, m.place) if p),
        )
        for m in reads.steering_meetings(
            session=session, project_id=project_id, start=start, end=end
        )
    ]
    markers += [
        GanttMarker("activity", a.activity_date, a.title, a.group_id, a.organiser)
        for a in reads.activities_between(
            session=session, project_id=project_id, start=start, end=end, group_id=group_id
        )
        if a.activity_date is not None
    ]
    markers += [
        GanttMarker(
            "communication",
            a.planned_date,
            a.what,
            a.group_id,
            f"Til: {stakeholder}" + (" (udført)" if a.done else ""),
        )
        for a, stakeholder in reads.communication_between(
            session=session, project_id=project_id, group_id=group_id, start=start, end=end
        )
    ]
    return markers


def _int(value: str, field: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise Invalid(f"Feltet »{label}« skal være et helt tal.", field=field)
    return int(value)


def _day(value: str, field: str, label: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"Feltet »{label}« skal være en dato (ÅÅÅÅ-MM-DD).", field=field) from None


def parse_filters(
    *,
    group_id: str = "",
    status: str = "",
    owner_person_id: str = "",
    start: str = "",
    end: str = "",
    expand: str = "",
    depth: str = "",
) -> GanttFilters:
    """The filters from a query string, where an empty value means "all" (as a GET form sends
    it); Danish messages naming the field for values that do not fit."""
    chosen = None
    if status.strip():
        try:
            chosen = TaskStatus(status.strip())
        except ValueError:
            raise Invalid(
                "Feltet »Status« skal være en af: " + ", ".join(s.value for s in TaskStatus) + ".",
                field="status",
            ) from None
    expand = expand.strip()
    if expand and expand not in (ALL, NONE) and not expand.isdigit():
        raise Invalid(
            "Feltet »Udfold« skal være »all«, »none« eller en gruppes id.", field="expand"
        )
    levels = _int(depth, "depth", "Vis")
    if levels is not None and not 1 <= levels <= hierarchy.MAX_DEPTH:
        raise Invalid(
            f"Feltet »Vis« skal være et antal niveauer fra 1 til {hierarchy.MAX_DEPTH}.",
            field="depth",
        )
    return GanttFilters(
        group_id=_int(group_id, "group_id", "Gruppe"),
        status=chosen,
        owner_person_id=_int(owner_person_id, "owner_person_id", "Ansvarlig"),
        start=_day(start, "start", "Fra"),
        end=_day(end, "end", "Til"),
        expand=expand,
        depth=levels,
    )
