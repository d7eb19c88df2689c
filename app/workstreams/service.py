"""Tasks, their dependencies and progress logs, milestones, meeting rules and plan compliance.

Reads return small view objects with what pages, the API, Gantt charts and status reports need
(owner and group names, baseline dates, slippage) built in a few queries, never one per row.
Writes follow the house rules: checks first, one audit event, one commit at the end.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.clock import today
from app.danish import format_date
from app.db import get_for_update, utcnow
from app.errors import Forbidden, Invalid, NotFound, check_version
from app.governance import service as governance
from app.governance.models import Body, Person
from app.workstreams import plans
from app.workstreams.dates import slippage_days, weeks
from app.workstreams.models import (
    MILESTONE_STATUS_LABELS,
    Milestone,
    MilestoneStatus,
    ProgressEntry,
    Task,
    TaskDependency,
    TaskStatus,
)
from app.workstreams.schemas import (
    MilestoneCreate,
    MilestoneUpdate,
    ProgressEntryCreate,
    TaskCreate,
    TaskUpdate,
)

TASK_REFUSED = "Du må kun ændre opgaver i din egen implementeringsgruppe."
UNANCHORED_REFUSED = "Kun projektlederen må ændre opgaver, der ikke er forankret i en gruppe."
MILESTONE_REFUSED = "Du må kun ændre milepæle i din egen implementeringsgruppe."
PROJECT_MILESTONE_REFUSED = "Kun projektlederen må ændre milepæle for hele projektet."
BLOCKED_TOO_LONG_DAYS = 14

# Fields whose change is a change to the group's plan (the rest is progress).
TASK_PLAN_FIELDS = {"title", "group_id", "owner_person_id", "start_date", "due_date"}
MILESTONE_PLAN_FIELDS = {"name", "group_id", "planned_date"}


# Shared checks


def _check_group(*, session: Session, project_id: int, group_id: int | None) -> Body | None:
    if group_id is None:
        return None
    try:
        return governance.get_group(session=session, project_id=project_id, group_id=group_id)
    except NotFound:
        raise Invalid(
            "Implementeringsgruppen findes ikke i dette projekt.", field="group_id"
        ) from None


def _check_person(*, session: Session, project_id: int, person_id: int | None) -> None:
    if person_id is None:
        return
    person = session.get(Person, person_id)
    if person is None or person.project_id != project_id:
        raise Invalid("Den ansvarlige person findes ikke i projektet.", field="owner_person_id")


def _check_dates(start: date | None, due: date | None) -> None:
    if start and due and due < start:
        raise Invalid(
            f"Slutdatoen ({format_date(due)}) ligger før startdatoen ({format_date(start)}).",
            field="due_date",
        )


def _require_task_edit(by: Access, group_id: int | None) -> None:
    if not by.can_edit_group(group_id):
        raise Forbidden(UNANCHORED_REFUSED if group_id is None else TASK_REFUSED)


def _require_milestone_edit(by: Access, group_id: int | None) -> None:
    if not by.can_edit_group(group_id):
        raise Forbidden(PROJECT_MILESTONE_REFUSED if group_id is None else MILESTONE_REFUSED)


# Tasks: reading


@dataclass
class TaskView:
    """A task with the names, dependencies, baseline dates and log entries shown with it."""

    task: Task
    group_name: str | None = None
    owner_name: str | None = None
    depends_on: list[int] = field(default_factory=list)
    depends_on_titles: dict[int, str] = field(default_factory=dict)
    baseline_start_date: date | None = None
    baseline_due_date: date | None = None
    overdue: bool = False
    blocked_days: int | None = None
    entries: list[ProgressEntry] = field(default_factory=list)

    @property
    def blocked_too_long(self) -> bool:
        return self.blocked_days is not None and self.blocked_days > BLOCKED_TOO_LONG_DAYS

    @property
    def due_moved_days(self) -> int | None:
        if self.baseline_due_date and self.task.due_date:
            return (self.task.due_date - self.baseline_due_date).days
        return None


def is_overdue(task: Task, *, on: date) -> bool:
    """Not done, and its due date has passed."""
    return task.status != TaskStatus.done and task.due_date is not None and task.due_date < on


def get_task(*, session: Session, project_id: int, task_id: int, lock: bool = False) -> Task:
    """A task of this project, or NotFound."""
    task = (
        get_for_update(session=session, model=Task, item_id=task_id)
        if lock
        else session.get(Task, task_id)
    )
    if task is None or task.project_id != project_id:
        raise NotFound("Opgaven findes ikke i dette projekt.")
    return task


def _task_filters(
    *,
    project_id: int,
    group_id: int | None,
    unanchored: bool,
    status: TaskStatus | None,
    owner_person_id: int | None,
    overdue_on: date | None,
    period_start: date | None,
    period_end: date | None,
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [col(Task.project_id) == project_id]
    if unanchored:
        where.append(col(Task.group_id).is_(None))
    elif group_id is not None:
        where.append(col(Task.group_id) == group_id)
    if status is not None:
        where.append(col(Task.status) == status)
    if owner_person_id is not None:
        where.append(col(Task.owner_person_id) == owner_person_id)
    if overdue_on is not None:
        where += [col(Task.status) != TaskStatus.done, col(Task.due_date) < overdue_on]
    if period_start is not None:
        where.append(func.coalesce(Task.due_date, Task.start_date, period_start) >= period_start)
    if period_end is not None:
        where.append(func.coalesce(Task.start_date, Task.due_date, period_end) <= period_end)
    return where


def list_tasks(
    *,
    session: Session,
    project_id: int,
    group_id: int | None = None,
    unanchored: bool = False,
    status: TaskStatus | None = None,
    owner_person_id: int | None = None,
    overdue_on: date | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    offset: int = 0,
    limit: int = 100,
    with_log: int = 0,
    on: date | None = None,
    base: plans.Baselines | None = None,
) -> tuple[list[TaskView], int]:
    """A page of the project's tasks (filtered by group, "not anchored", status, owner, overdue
    on a date, or a period they overlap), ordered by start and due date, with the total (the
    project's baselines may be given when already loaded)."""
    where = _task_filters(
        project_id=project_id,
        group_id=group_id,
        unanchored=unanchored,
        status=status,
        owner_person_id=owner_person_id,
        overdue_on=overdue_on,
        period_start=period_start,
        period_end=period_end,
    )
    total = session.exec(select(func.count()).select_from(Task).where(*where)).one()
    rows = session.exec(
        select(Task)
        .where(*where)
        .order_by(
            col(Task.start_date).is_(None), col(Task.start_date), col(Task.due_date), col(Task.id)
        )
        .offset(offset)
        .limit(limit)
    ).all()
    return describe_tasks(
        session=session,
        tasks=list(rows),
        project_id=project_id,
        with_log=with_log,
        on=on,
        base=base,
    ), total


def describe_tasks(
    *,
    session: Session,
    tasks: list[Task],
    project_id: int,
    with_log: int = 0,
    on: date | None = None,
    base: plans.Baselines | None = None,
    group_names: dict[int, str] | None = None,
    owner_names: dict[int, str] | None = None,
) -> list[TaskView]:
    """Views of tasks with names, dependencies (with their titles), baselines and (optionally)
    the newest log entries, in a fixed number of queries. The project's baselines and names of
    groups and owners may be given when already loaded; names not given are looked up."""
    on = on or today()
    ids = [t.id for t in tasks if t.id is not None]
    groups = _names(session=session, model=Body, ids={t.group_id for t in tasks}, known=group_names)
    owners = _names(
        session=session, model=Person, ids={t.owner_person_id for t in tasks}, known=owner_names
    )
    deps: dict[int, list[int]] = defaultdict(list)
    titles: dict[int, dict[int, str]] = defaultdict(dict)
    if ids:
        for task_id, depends_on_id, title in session.exec(
            select(TaskDependency.task_id, TaskDependency.depends_on_id, Task.title)
            .outerjoin(Task, col(Task.id) == TaskDependency.depends_on_id)
            .where(col(TaskDependency.task_id).in_(ids))
            .order_by(col(TaskDependency.depends_on_id))
        ):
            deps[task_id].append(depends_on_id)
            if title is not None:
                titles[task_id][depends_on_id] = title
    entries: dict[int, list[ProgressEntry]] = defaultdict(list)
    if ids and with_log:
        # A task's log grows for as long as the project runs: a window function picks the
        # newest few of each task in the database, so only those become objects.
        newest_first = (col(ProgressEntry.at).desc(), col(ProgressEntry.id).desc())
        ranked = (
            select(
                ProgressEntry.id,
                func.row_number()
                .over(partition_by=col(ProgressEntry.task_id), order_by=newest_first)
                .label("rank"),
            )
            .where(col(ProgressEntry.task_id).in_(ids))
            .subquery()
        )
        newest = select(ranked.c.id).where(ranked.c.rank <= with_log)
        for e in session.exec(
            select(ProgressEntry).where(col(ProgressEntry.id).in_(newest)).order_by(*newest_first)
        ):
            entries[e.task_id].append(e)
    if base is None:
        base = plans.baselines(session=session, project_id=project_id)
    views = []
    for t in tasks:
        start, due = base.task_dates.get(t.id or 0, (None, None))
        blocked = (
            (on - t.blocked_since_date).days
            if (t.status == TaskStatus.blocked and t.blocked_since_date)
            else None
        )
        views.append(
            TaskView(
                task=t,
                group_name=groups.get(t.group_id),
                owner_name=owners.get(t.owner_person_id),
                depends_on=deps.get(t.id or 0, []),
                depends_on_titles=titles.get(t.id or 0, {}),
                baseline_start_date=start,
                baseline_due_date=due,
                overdue=is_overdue(t, on=on),
                blocked_days=blocked,
                entries=entries.get(t.id or 0, []),
            )
        )
    return views


def _names(
    *, session: Session, model: Any, ids: set[int | None], known: dict[int, str] | None = None
) -> dict[int | None, str]:
    """Names by id; those in `known` are taken from it, the others read in one query."""
    known = known or {}
    found: dict[int | None, str] = {i: known[i] for i in ids if i is not None and i in known}
    wanted = [i for i in ids if i is not None and i not in known]
    if wanted:
        found |= dict(
            session.exec(select(model.id, model.name).where(col(model.id).in_(wanted))).all()
        )
    return found


def task_view(
    *, session: Session, project_id: int, task_id: int, with_log: int = 0, on: date | None = None
) -> TaskView:
    """One task with its names, dependencies and baseline dates."""
    task = get_task(session=session, project_id=project_id, task_id=task_id)
    return describe_tasks(
        session=session, tasks=[task], project_id=project_id, with_log=with_log, on=on
    )[0]


def list_entries(
    *, session: Session, project_id: int, task_id: int, offset: int = 0, limit: int = 100
) -> tuple[list[ProgressEntry], int]:
    """A task's progress log, newest first, with the total."""
    get_task(session=session, project_id=project_id, task_id=task_id)
    where = col(ProgressEntry.task_id) == task_id
    total = session.exec(select(func.count()).select_from(ProgressEntry).where(where)).one()
    rows = session.exec(
        select(ProgressEntry)
        .where(where)
        .order_by(col(ProgressEntry.at).desc(), col(ProgressEntry.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


# Tasks: dependencies


def _check_dependencies(
    *, session: Session, project_id: int, task_id: int | None, depends_on: list[int]
) -> list[int]:
    """The dependencies without repeats; refuses unknown tasks, itself, and cycles."""
    wanted = list(dict.fromkeys(depends_on))
    if task_id is not None and task_id in wanted:
        raise Invalid("En opgave kan ikke afhænge af sig selv.", field="depends_on")
    if not wanted:
        return []
    titles = dict(
        session.exec(
            select(Task.id, Task.title).where(
                col(Task.id).in_(wanted), Task.project_id == project_id
            )
        ).all()
    )
    missing = [str(i) for i in wanted if i not in titles]
    if missing:
        raise Invalid(
            f"Opgaven findes ikke i projektet (id {', '.join(missing)}).", field="depends_on"
        )
    if task_id is None:
        return wanted  # a new task has no dependants, so it cannot close a cycle
    graph: dict[int, list[int]] = defaultdict(list)
    edges = session.exec(
        select(TaskDependency.task_id, TaskDependency.depends_on_id)
        .join(Task, col(Task.id) == TaskDependency.task_id)
        .where(Task.project_id == project_id, TaskDependency.task_id != task_id)
    ).all()
    for a, b in edges:
        graph[a].append(b)
    for start in wanted:
        path = _path(graph, start, task_id)
        if path:
            cycle = [task_id, *path]
            names = dict(
                session.exec(select(Task.id, Task.title).where(col(Task.id).in_(cycle))).all()
            )
            shown = " → ".join(f"»{names[i]}«" for i in cycle)
            raise Invalid(
                f"Afhængigheden giver en cirkel: {shown}. En opgave kan ikke "
                "(indirekte) afhænge af sig selv.",
                field="depends_on",
            )
    return wanted


def _path(graph: dict[int, list[int]], start: int, goal: int) -> list[int] | None:
    """A path start → … → goal following the depends-on edges, or None."""
    previous: dict[int, int | None] = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        if node == goal:
            path = [node]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])  # type: ignore[arg-type]
            return list(reversed(path))
        for nxt in graph.get(node, []):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return None


def _set_dependencies(*, session: Session, task_id: int, depends_on: list[int]) -> None:
    current = session.exec(select(TaskDependency).where(TaskDependency.task_id == task_id)).all()
    keep = set(depends_on)
    for d in current:
        if d.depends_on_id not in keep:
            session.delete(d)
    have = {d.depends_on_id for d in current}
    for dep in depends_on:
        if dep not in have:
            session.add(TaskDependency(task_id=task_id, depends_on_id=dep))


# Tasks: status and progress


def _apply_progress(
    task: Task, *, status: TaskStatus | None, progress: int | None, on: date
) -> None:
    """Set status and progress together, keeping them consistent, and date the transitions."""
    if progress is not None and not 0 <= progress <= 100:
        raise Invalid(
            f"Fremdriften skal være mellem 0 og 100 % (ikke {progress} %).", field="progress"
        )
    if status == TaskStatus.done and progress is not None and progress != 100:
        raise Invalid("En færdig opgave har fremdrift 100 %.", field="progress")
    old = task.status
    if progress is not None:
        task.progress = progress
    if status is not None:
        task.status = status
    elif progress and task.status == TaskStatus.not_started:
        task.status = TaskStatus.in_progress
    if task.status == TaskStatus.done:
        task.progress = 100
        if old != TaskStatus.done or task.completed_date is None:
            task.completed_date = on
    else:
        task.completed_date = None
    if task.status == TaskStatus.blocked:
        if old != TaskStatus.blocked or task.blocked_since_date is None:
            task.blocked_since_date = on
    else:
        task.blocked_since_date = None


# Tasks: writing


def create_task(*, session: Session, by: Access, data: TaskCreate, on: date | None = None) -> Task:
    """Create a task in a group (or not anchored, by the project leader)."""
    on = on or today()
    project_id = by.project_id
    _check_group(session=session, project_id=project_id, group_id=data.group_id)
    _require_task_edit(by, data.group_id)
    _check_person(session=session, project_id=project_id, person_id=data.owner_person_id)
    _check_dates(data.start_date, data.due_date)
    deps = _check_dependencies(
        session=session, project_id=project_id, task_id=None, depends_on=data.depends_on
    )
    task = Task(
        project_id=project_id,
        group_id=data.group_id,
        title=data.title,
        description=data.description,
        owner_person_id=data.owner_person_id,
        start_date=data.start_date,
        due_date=data.due_date,
    )
    _apply_progress(task, status=data.status, progress=data.progress, on=on)
    session.add(task)
    session.flush()
    _set_dependencies(session=session, task_id=task.id or 0, depends_on=deps)
    drafts = plans.note_change(session=session, project_id=project_id, group_ids={task.group_id})
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="task",
        entity_id=task.id,
        project_id=project_id,
        after=(audit.snapshot(task) or {}) | {"depends_on": deps, "new_plan_drafts": drafts},
    )
    session.commit()
    return task


def update_task(
    *, session: Session, by: Access, task_id: int, data: TaskUpdate, on: date | None = None
) -> Task:
    """Change a task; a change of its title, group, owner or dates is a change to the plan."""
    on = on or today()
    project_id = by.project_id
    task = get_task(session=session, project_id=project_id, task_id=task_id, lock=True)
    _require_task_edit(by, task.group_id)
    check_version(task, data.version)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if "group_id" in values and values["group_id"] != task.group_id:
        _check_group(session=session, project_id=project_id, group_id=values["group_id"])
        _require_task_edit(by, values["group_id"])
    if "owner_person_id" in values:
        _check_person(session=session, project_id=project_id, person_id=values["owner_person_id"])
    if "title" in values and not values["title"]:
        raise Invalid("Opgaven skal have en titel.", field="title")
    if "description" in values:
        values["description"] = values["description"] or ""
    _check_dates(values.get("start_date", task.start_date), values.get("due_date", task.due_date))
    deps = None
    if values.get("depends_on") is not None:
        deps = _check_dependencies(
            session=session, project_id=project_id, task_id=task_id, depends_on=values["depends_on"]
        )
    before = audit.snapshot(task)
    _apply_progress(
        task, status=values.pop("status", None), progress=values.pop("progress", None), on=on
    )
    values.pop("depends_on", None)
    plan_change = any(
        key in TASK_PLAN_FIELDS and getattr(task, key) != value for key, value in values.items()
    )
    touched = {task.group_id, values.get("group_id", task.group_id)}
    for key, value in values.items():
        setattr(task, key, value)
    if deps is not None:
        _set_dependencies(session=session, task_id=task_id, depends_on=deps)
    drafts = plans.note_change(
        session=session, project_id=project_id, group_ids=touched if plan_change else set()
    )
    task.version += 1
    task.updated_at = utcnow()
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="task",
        entity_id=task.id,
        project_id=project_id,
        before=before,
        after=(audit.snapshot(task) or {}) | {"depends_on": deps, "new_plan_drafts": drafts},
    )
    session.commit()
    return task


def delete_task(*, session: Session, by: Access, task_id: int) -> None:
    """Delete a task with its dependencies and log; its plan gets a new draft if needed."""
    task = get_task(session=session, project_id=by.project_id, task_id=task_id, lock=True)
    _require_task_edit(by, task.group_id)
    before = audit.snapshot(task)
    group_id = task.group_id
    session.delete(task)
    session.flush()
    drafts = plans.note_change(session=session, project_id=by.project_id, group_ids={group_id})
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="task",
        entity_id=task_id,
        project_id=by.project_id,
        before=before,
        after={"new_plan_drafts": drafts},
    )
    session.commit()


def log_progress(
    *, session: Session, by: Access, task_id: int, data: ProgressEntryCreate, on: date | None = None
) -> ProgressEntry:
    """Add an entry to a task's log, setting its new status and progress when given."""
    on = on or today()
    task = get_task(session=session, project_id=by.project_id, task_id=task_id, lock=True)
    _require_task_edit(by, task.group_id)
    check_version(task, data.version)
    if not data.text and data.status is None and data.progress is None:
        raise Invalid(
            "Skriv hvad der er sket, eller angiv ny status eller fremdrift.", field="text"
        )
    before = {"status": task.status.value, "progress": task.progress}
    _apply_progress(task, status=data.status, progress=data.progress, on=on)
    changed_status = task.status if task.status.value != before["status"] else None
    changed_progress = task.progress if task.progress != before["progress"] else None
    entry = ProgressEntry(
        task_id=task_id,
        user_id=by.user.id,
        username=by.user.username,
        author_name=by.user.full_name or by.user.username,
        text=data.text,
        new_status=changed_status or data.status,
        new_progress=changed_progress if changed_progress is not None else data.progress,
    )
    session.add(entry)
    task.version += 1
    task.updated_at = utcnow()
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="progress_logged",
        entity="task",
        entity_id=task_id,
        project_id=by.project_id,
        before=before,
        after={
            "status": task.status.value,
            "progress": task.progress,
            "entry_id": entry.id,
            "text": entry.text,
        },
    )
    session.commit()
    return entry


# Milestones


@dataclass
class MilestoneView:
    """A milestone with its baseline, the date now expected, and how far it has slipped."""

    milestone: Milestone
    group_name: str | None
    baseline_date: date
    expected_date: date
    slippage_days: int
    overdue: bool
    health: str

    @property
    def slippage_weeks(self) -> float:
        return weeks(self.slippage_days)

    @property
    def health_label(self) -> str:
        return HEALTH_LABELS[self.health]

    @property
    def badge(self) -> str:
        return HEALTH_BADGES[self.health]

    @property
    def status_label(self) -> str:
        return MILESTONE_STATUS_LABELS[self.milestone.status]


HEALTH_LABELS = {
    "reached": "Nået",
    "reached_late": "Nået for sent",
    "cancelled": "Udgået",
    "overdue": "Overskredet",
    "slipping": "Skrider",
    "on_track": "Følger planen",
}
HEALTH_BADGES = {
    "reached": "green",
    "reached_late": "amber",
    "cancelled": "grey",
    "overdue": "red",
    "slipping": "amber",
    "on_track": "ws-active",
}


def describe_milestone(
    m: Milestone, *, baseline: date | None, group_name: str | None, on: date
) -> MilestoneView:
    """The milestone measured against its baseline (the approved plan's date, else planned)."""
    base = baseline or m.planned_date
    expected = m.actual_date or m.forecast_date or m.planned_date
    slip = slippage_days(base, expected)
    overdue = m.status == MilestoneStatus.planned and expected < on
    if m.status == MilestoneStatus.cancelled:
        health = "cancelled"
    elif m.status == MilestoneStatus.reached:
        health = "reached_late" if slip > 0 else "reached"
    elif overdue:
        health = "overdue"
    elif slip > 0:
        health = "slipping"
    else:
        health = "on_track"
    return MilestoneView(
        milestone=m,
        group_name=group_name,
        baseline_date=base,
        expected_date=expected,
        slippage_days=slip,
        overdue=overdue,
        health=health,
    )


def get_milestone(
    *, session: Session, project_id: int, milestone_id: int, lock: bool = False
) -> Milestone:
    """A milestone of this project, or NotFound."""
    m = (
        get_for_update(session=session, model=Milestone, item_id=milestone_id)
        if lock
        else session.get(Milestone, milestone_id)
    )
    if m is None or m.project_id != project_id:
        raise NotFound("Milepælen findes ikke i dette projekt.")
    return m


def list_milestones(
    *,
    session: Session,
    project_id: int,
    group_id: int | None = None,
    project_wide: bool = False,
    status: MilestoneStatus | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    offset: int = 0,
    limit: int = 200,
    on: date | None = None,
    group_names: dict[int, str] | None = None,
) -> tuple[list[MilestoneView], int]:
    """A page of the project's milestones by planned date (filtered by group, whole-project
    only, status or a period the planned or expected date falls in), with the total (the names
    of the project's groups may be given when already loaded)."""
    on = on or today()
    where: list[ColumnElement[bool]] = [col(Milestone.project_id) == project_id]
    if project_wide:
        where.append(col(Milestone.group_id).is_(None))
    elif group_id is not None:
        where.append(col(Milestone.group_id) == group_id)
    if status is not None:
        where.append(col(Milestone.status) == status)
    expected = func.coalesce(Milestone.actual_date, Milestone.forecast_date, Milestone.planned_date)
    if period_start is not None:
        where.append((expected >= period_start) | (col(Milestone.planned_date) >= period_start))
    if period_end is not None:
        where.append((expected <= period_end) | (col(Milestone.planned_date) <= period_end))
    total = session.exec(select(func.count()).select_from(Milestone).where(*where)).one()
    rows = session.exec(
        select(Milestone)
        .where(*where)
        .order_by(col(Milestone.planned_date), col(Milestone.id))
        .offset(offset)
        .limit(limit)
    ).all()
    views = describe_milestones(
        session=session,
        milestones=list(rows),
        project_id=project_id,
        on=on,
        group_names=group_names,
    )
    return views, total


def describe_milestones(
    *,
    session: Session,
    milestones: list[Milestone],
    project_id: int,
    on: date | None = None,
    base: plans.Baselines | None = None,
    group_names: dict[int, str] | None = None,
) -> list[MilestoneView]:
    """Views of milestones with group names and baseline dates (the project's baselines and
    group names may be given when already loaded)."""
    on = on or today()
    groups = _names(
        session=session, model=Body, ids={m.group_id for m in milestones}, known=group_names
    )
    if base is None:
        base = plans.baselines(session=session, project_id=project_id)
    return [
        describe_milestone(
            m,
            baseline=base.milestone_dates.get(m.id or 0),
            group_name=groups.get(m.group_id),
            on=on,
        )
        for m in milestones
    ]


def milestone_view(
    *, session: Session, project_id: int, milestone_id: int, on: date | None = None
) -> MilestoneView:
    m = get_milestone(session=session, project_id=project_id, milestone_id=milestone_id)
    return describe_milestones(session=session, milestones=[m], project_id=project_id, on=on)[0]


def _checked_status(
    *, status: MilestoneStatus, actual_date: date | None, on: date
) -> MilestoneStatus:
    """The status to store: an actual date means reached; reached needs an actual date."""
    if actual_date is not None and actual_date > on:
        raise Invalid(
            f"Den faktiske dato ({format_date(actual_date)}) ligger i fremtiden; "
            "angiv en prognose i stedet.",
            field="actual_date",
        )
    if status == MilestoneStatus.reached and actual_date is None:
        raise Invalid("Angiv den faktiske dato, når milepælen er nået.", field="actual_date")
    if status == MilestoneStatus.planned and actual_date is not None:
        return MilestoneStatus.reached
    return status


def create_milestone(
    *, session: Session, by: Access, data: MilestoneCreate, on: date | None = None
) -> Milestone:
    """Create a milestone for a group or (project leader) for the whole project."""
    on = on or today()
    project_id = by.project_id
    _check_group(session=session, project_id=project_id, group_id=data.group_id)
    _require_milestone_edit(by, data.group_id)
    status = _checked_status(
        status=data.status or MilestoneStatus.planned, actual_date=data.actual_date, on=on
    )
    m = Milestone(project_id=project_id, **data.model_dump(exclude={"status"}), status=status)
    session.add(m)
    session.flush()
    drafts = plans.note_change(session=session, project_id=project_id, group_ids={m.group_id})
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="milestone",
        entity_id=m.id,
        project_id=project_id,
        after=(audit.snapshot(m) or {}) | {"new_plan_drafts": drafts},
    )
    session.commit()
    return m


def update_milestone(
    *,
    session: Session,
    by: Access,
    milestone_id: int,
    data: MilestoneUpdate,
    on: date | None = None,
) -> Milestone:
    """Change a milestone; its forecast and actual date are progress, its planned date is plan."""
    on = on or today()
    project_id = by.project_id
    m = get_milestone(session=session, project_id=project_id, milestone_id=milestone_id, lock=True)
    _require_milestone_edit(by, m.group_id)
    check_version(m, data.version)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if "group_id" in values and values["group_id"] != m.group_id:
        _check_group(session=session, project_id=project_id, group_id=values["group_id"])
        _require_milestone_edit(by, values["group_id"])
    if "name" in values and not values["name"]:
        raise Invalid("Milepælen skal have et navn.", field="name")
    if "planned_date" in values and not values["planned_date"]:
        raise Invalid("Den planlagte dato skal udfyldes.", field="planned_date")
    if "description" in values:
        values["description"] = values["description"] or ""
    if values.get("status") == MilestoneStatus.planned and "actual_date" not in values:
        values["actual_date"] = None  # reopening a milestone clears its actual date
    before = audit.snapshot(m)
    plan_change = any(
        key in MILESTONE_PLAN_FIELDS and getattr(m, key) != value for key, value in values.items()
    )
    touched = {m.group_id, values.get("group_id", m.group_id)}
    values["status"] = _checked_status(
        status=values.get("status") or m.status,
        actual_date=values.get("actual_date", m.actual_date),
        on=on,
    )
    for key, value in values.items():
        setattr(m, key, value)
    drafts = plans.note_change(
        session=session, project_id=project_id, group_ids=touched if plan_change else set()
    )
    m.version += 1
    m.updated_at = utcnow()
    audit.record(
        session=session,
        by=by.user,
        action="updated",
        entity="milestone",
        entity_id=m.id,
        project_id=project_id,
        before=before,
        after=(audit.snapshot(m) or {}) | {"new_plan_drafts": drafts},
    )
    session.commit()
    return m


def delete_milestone(*, session: Session, by: Access, milestone_id: int) -> None:
    """Delete a milestone; its plan gets a new draft if needed."""
    m = get_milestone(
        session=session, project_id=by.project_id, milestone_id=milestone_id, lock=True
    )
    _require_milestone_edit(by, m.group_id)
    before = audit.snapshot(m)
    group_id = m.group_id
    session.delete(m)
    session.flush()
    drafts = plans.note_change(session=session, project_id=by.project_id, group_ids={group_id})
    audit.record(
        session=session,
        by=by.user,
        action="deleted",
        entity="milestone",
        entity_id=milestone_id,
        project_id=by.project_id,
        before=before,
        after={"new_plan_drafts": drafts},
    )
    session.commit()
