"""Tasks: reading them with what pages, the API, Gantt charts and status reports show (owner and
group names, dependencies, baseline dates, overdue and blocked days, the newest log entries) in a
few queries, never one per row; status and progress kept consistent; creating, changing and
deleting them. A change to a task's plan fields gives its group's plan a new draft.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.clock import today
from app.danish import format_date
from app.db import project_row, utcnow
from app.errors import Conflict, Forbidden, Invalid, require_version
from app.governance.models import Project
from app.notifications import events
from app.workstreams import hierarchy, plans, references
from app.workstreams.baselines import Baselines, baselines
from app.workstreams.dependencies import check_dependencies, dependencies_of, set_dependencies
from app.workstreams.models import ProgressEntry, Task, TaskStatus
from app.workstreams.references import check_group, check_person
from app.workstreams.schemas import TaskCreate, TaskUpdate

TASK_REFUSED = "Du må kun ændre opgaver i din egen implementeringsgruppe."
UNANCHORED_REFUSED = "Kun projektlederen må ændre opgaver, der ikke er forankret i en gruppe."
BLOCKED_TOO_LONG_DAYS = 14

# Fields whose change is a change to the group's plan (the rest is progress).
TASK_PLAN_FIELDS = {
    "title",
    "group_id",
    "parent_id",
    "position",
    "owner_person_id",
    "start_date",
    "due_date",
}
HAS_CHILDREN = "Opgaven har {n} underopgaver — flyt eller slet dem først."


def _check_dates(start: date | None, due: date | None) -> None:
    if start and due and due < start:
        raise Invalid(
            f"Slutdatoen ({format_date(due)}) ligger før startdatoen ({format_date(start)}).",
            field="due_date",
        )


def require_task_edit(by: Access, group_id: int | None) -> None:
    """Refuse (Forbidden) a change to a task of a group the person may not edit."""
    if not by.can_edit_group(group_id):
        raise Forbidden(UNANCHORED_REFUSED if group_id is None else TASK_REFUSED)


# Reading


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
    outside_period: bool = False
    blocked_days: int | None = None
    entries: list[ProgressEntry] = field(default_factory=list)
    # Its place in the group's plan (app/workstreams/hierarchy.py).
    number: str = ""
    level: int = 1
    children: int = 0
    siblings: int = 1

    @property
    def rolled_up(self) -> bool:
        """Its dates, status and progress are computed from its sub-tasks."""
        return self.children > 0

    @property
    def indent(self) -> int:
        return self.level - 1

    @property
    def first(self) -> bool:
        """First among its siblings (cannot move up)."""
        return not self.number or self.number.rsplit(".", 1)[-1] == "1"

    @property
    def last(self) -> bool:
        """Last among its siblings (cannot move down)."""
        return not self.number or self.number.rsplit(".", 1)[-1] == str(self.siblings)

    @property
    def blocked_too_long(self) -> bool:
        return self.blocked_days is not None and self.blocked_days > BLOCKED_TOO_LONG_DAYS

    @property
    def due_moved_days(self) -> int | None:
        if self.baseline_due_date and self.task.due_date:
            return (self.task.due_date - self.baseline_due_date).days
        return None


def overdue_days(task: Task, *, on: date) -> int | None:
    """How many days a task not done is past its due date on `on` (None when it is not): the one
    measure of a task's lateness, on its pages, the Gantt, the plan compliance and the reports."""
    if task.status == TaskStatus.done or task.due_date is None or task.due_date >= on:
        return None
    return (on - task.due_date).days


def is_overdue(task: Task, *, on: date) -> bool:
    """Not done, and its due date has passed."""
    return overdue_days(task, on=on) is not None


def outside_period(task: Task, start: date | None, end: date | None) -> bool:
    """A date of the task (start or due) lies before the project's start or after its end; a
    task without dates, or a project without a period, is never outside."""
    days = [d for d in (task.start_date, task.due_date) if d is not None]
    return any((start is not None and d < start) or (end is not None and d > end) for d in days)


def blocked_days(task: Task, *, on: date) -> int | None:
    """How long a blocked task has been blocked on `on` (0 when the day it stopped is not
    known); None when it is not blocked."""
    if task.status != TaskStatus.blocked:
        return None
    return (on - task.blocked_since_date).days if task.blocked_since_date else 0


def get_task(*, session: Session, project_id: int, task_id: int, lock: bool = False) -> Task:
    """A task of this project, or NotFound."""
    return project_row(
        Task,
        task_id,
        session=session,
        project_id=project_id,
        missing="Opgaven findes ikke i dette projekt.",
        lock=lock,
    )


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
    base: Baselines | None = None,
    places: dict[int, hierarchy.Place] | None = None,
) -> tuple[list[TaskView], int]:
    """A page of the project's tasks (filtered by group, "not anchored", status, owner, overdue
    on a date, or a period they overlap), ordered by start and due date, with the total (the
    project's baselines and its tasks' outline may be given when already loaded)."""
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
        places=places,
    ), total


def describe_tasks(
    *,
    session: Session,
    tasks: list[Task],
    project_id: int,
    with_log: int = 0,
    on: date | None = None,
    base: Baselines | None = None,
    group_names: dict[int, str] | None = None,
    owner_names: dict[int, str] | None = None,
    period: tuple[date | None, date | None] | None = None,
    places: dict[int, hierarchy.Place] | None = None,
) -> list[TaskView]:
    """Views of tasks with names, dependencies (with their titles), baselines and (optionally)
    the newest log entries, in a fixed number of queries. The project's baselines, names of
    groups and owners, period (start, end) and the tasks' groups' outline (hierarchy.outline)
    may be given when already loaded; what is not given is looked up."""
    on = on or today()
    if period is None:
        project = session.get(Project, project_id)
        period = (project.start_date, project.end_date) if project else (None, None)
    ids = [t.id for t in tasks if t.id is not None]
    groups = references.group_names(
        session=session, ids={t.group_id for t in tasks}, known=group_names
    )
    owners = references.person_names(
        session=session, ids={t.owner_person_id for t in tasks}, known=owner_names
    )
    deps, titles = dependencies_of(session=session, task_ids=ids)
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
        base = baselines(session=session, project_id=project_id)
    if places is None:
        places = (
            hierarchy.load_outline(
                session=session, project_id=project_id, group_ids={t.group_id for t in tasks}
            )
            if tasks
            else {}
        )
    views = []
    for t in tasks:
        start, due = base.task_dates.get(t.id or 0, (None, None))
        place = places.get(t.id or 0)
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
                outside_period=outside_period(t, *period),
                blocked_days=blocked_days(t, on=on),
                entries=entries.get(t.id or 0, []),
                number=place.number if place else "",
                level=place.level if place else 1,
                children=place.children if place else 0,
                siblings=place.siblings if place else 1,
            )
        )
    return views


def task_view(
    *, session: Session, project_id: int, task_id: int, with_log: int = 0, on: date | None = None
) -> TaskView:
    """One task with its names, dependencies and baseline dates."""
    task = get_task(session=session, project_id=project_id, task_id=task_id)
    return describe_tasks(
        session=session, tasks=[task], project_id=project_id, with_log=with_log, on=on
    )[0]


def task_choices(*, session: Session, project_id: int, except_id: int) -> list[tuple[int, str]]:
    """The project's other tasks by title (id, title), for choosing what a task depends on."""
    rows = session.exec(
        select(Task.id, Task.title)
        .where(Task.project_id == project_id, Task.id != except_id)
        .order_by(Task.title)
    ).all()
    return [(task_id or 0, title) for task_id, title in rows]


# Status and progress


def apply_progress(
    task: Task, *, status: TaskStatus | None, progress: int | None, on: date
) -> None:
    """Set status and progress together and date the transitions. One rule keeps them
    consistent (docs/workstreams.md »Status and progress«): a task is done exactly when its
    progress is 100 %. Logging 100 % marks it done; a done task reopened needs its progress."""
    if progress is not None and not 0 <= progress <= 100:
        raise Invalid(
            f"Fremdriften skal være mellem 0 og 100 % (ikke {progress} %).", field="progress"
        )
    if status == TaskStatus.done and progress is not None and progress != 100:
        raise Invalid("En færdig opgave har fremdrift 100 %.", field="progress")
    if progress == 100 and status is None:
        status = TaskStatus.done
    if status not in (None, TaskStatus.done):
        if progress == 100:
            raise Invalid(
                "En opgave med fremdrift 100 % er færdig. Vælg status »Færdig«, "
                "eller angiv en lavere fremdrift.",
                field="progress",
            )
        if progress is None and task.progress == 100:
            raise Invalid(
                "Opgaven står til 100 %. Angiv hvor langt den er, når den ikke længere er færdig.",
                field="progress",
            )
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


# Writing


def create_task(*, session: Session, by: Access, data: TaskCreate, on: date | None = None) -> Task:
    """Create a task in a group (or not anchored, by the project leader)."""
    on = on or today()
    project_id = by.project_id
    if data.parent_id is not None and "group_id" not in data.model_fields_set:
        # A sub-task sent without a group is in its parent's.
        parent = get_task(session=session, project_id=project_id, task_id=data.parent_id)
        data = data.model_copy(update={"group_id": parent.group_id})
    check_group(session=session, project_id=project_id, group_id=data.group_id)
    require_task_edit(by, data.group_id)
    check_person(session=session, project_id=project_id, person_id=data.owner_person_id)
    hierarchy.check_parent(
        session=session,
        project_id=project_id,
        task_id=None,
        parent_id=data.parent_id,
        group_id=data.group_id,
    )
    _check_dates(data.start_date, data.due_date)
    deps = check_dependencies(
        session=session, project_id=project_id, task_id=None, depends_on=data.depends_on
    )
    task = Task(
        project_id=project_id,
        **data.model_dump(exclude={"status", "progress", "depends_on", "parent_id"}),
    )
    apply_progress(task, status=data.status, progress=data.progress, on=on)
    hierarchy.place(session=session, task=task, parent_id=data.parent_id, position=None)
    session.add(task)
    session.flush()
    set_dependencies(session=session, task_id=task.id or 0, depends_on=deps)
    rolled = hierarchy.roll_up(session=session, task_id=task.parent_id, on=on)
    drafts = plans.note_change(session=session, project_id=project_id, group_ids={task.group_id})
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="task",
        entity_id=task.id,
        project_id=project_id,
        after=(audit.snapshot(task) or {})
        | {"depends_on": deps, "new_plan_drafts": drafts, "rolled_up": rolled},
    )
    events.task_assigned(session, by=by, task=task, previous=None)
    session.commit()
    return task


def update_task(
    *, session: Session, by: Access, task_id: int, data: TaskUpdate, on: date | None = None
) -> Task:
    """Change a task; a change of its title, group, place in the plan, owner or dates is a
    change to the plan. A task moved to another group takes its sub-tasks along and becomes a
    top-level task there (unless a parent in that group is given); a parent's dates, status and
    progress are computed from its sub-tasks and cannot be set."""
    on = on or today()
    project_id = by.project_id
    task = get_task(session=session, project_id=project_id, task_id=task_id, lock=True)
    require_task_edit(by, task.group_id)
    require_version(task, data.version)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if "group_id" in values and values["group_id"] != task.group_id:
        check_group(session=session, project_id=project_id, group_id=values["group_id"])
        require_task_edit(by, values["group_id"])
        # Into another group it goes as a top-level task, unless a new parent there is given.
        if values.get("parent_id", task.parent_id) == task.parent_id:
            values["parent_id"] = None
    if "owner_person_id" in values:
        check_person(session=session, project_id=project_id, person_id=values["owner_person_id"])
    if "title" in values and not values["title"]:
        raise Invalid("Opgaven skal have en titel.", field="title")
    if "description" in values:
        values["description"] = values["description"] or ""
    group_id = values.get("group_id", task.group_id)
    parent_id = values.pop("parent_id", task.parent_id)
    position = values.pop("position", None)
    moved = parent_id != task.parent_id or group_id != task.group_id
    if moved:
        hierarchy.check_parent(
            session=session,
            project_id=project_id,
            task_id=task_id,
            parent_id=parent_id,
            group_id=group_id,
        )
    hierarchy.refuse_hand_set(
        task, values, has_children=hierarchy.children_count(session=session, task_id=task_id) > 0
    )
    _check_dates(values.get("start_date", task.start_date), values.get("due_date", task.due_date))
    deps = None
    if values.get("depends_on") is not None:
        deps = check_dependencies(
            session=session, project_id=project_id, task_id=task_id, depends_on=values["depends_on"]
        )
    before = audit.snapshot(task)
    apply_progress(
        task, status=values.pop("status", None), progress=values.pop("progress", None), on=on
    )
    values.pop("depends_on", None)
    old = (task.group_id, task.parent_id)
    old_position = task.position
    plan_change = any(
        key in TASK_PLAN_FIELDS and getattr(task, key) != value for key, value in values.items()
    )
    touched = {task.group_id, group_id}
    for key, value in values.items():
        setattr(task, key, value)
    if moved or position is not None:
        hierarchy.place(session=session, task=task, parent_id=parent_id, position=position, old=old)
        plan_change = plan_change or moved or task.position != old_position
    if group_id != old[0]:
        for below in hierarchy.descendants(session=session, project_id=project_id, task_id=task_id):
            child = session.get(Task, below)
            if child is not None:
                child.group_id = group_id
    if deps is not None:
        set_dependencies(session=session, task_id=task_id, depends_on=deps)
    session.flush()
    rolled = hierarchy.roll_up(session=session, task_id=task.parent_id, on=on)
    if moved:
        rolled += hierarchy.roll_up(session=session, task_id=old[1], on=on)
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
        after=(audit.snapshot(task) or {})
        | {"depends_on": deps, "new_plan_drafts": drafts, "rolled_up": rolled},
    )
    previous = (before or {}).get("owner_person_id")
    events.task_assigned(session, by=by, task=task, previous=previous)
    session.commit()
    return task


def delete_task(
    *, session: Session, by: Access, task_id: int, version: int | None, on: date | None = None
) -> None:
    """Delete a task with its dependencies and log; its plan gets a new draft if needed. A
    task with sub-tasks is refused (Conflict): move or delete them first."""
    task = get_task(session=session, project_id=by.project_id, task_id=task_id, lock=True)
    require_task_edit(by, task.group_id)
    require_version(task, version)
    count = hierarchy.children_count(session=session, task_id=task_id)
    if count:
        raise Conflict(HAS_CHILDREN.format(n=count))
    parent_id, group_id = task.parent_id, task.group_id

    def close_ranks() -> None:
        siblings = hierarchy.siblings(
            session=session, project_id=by.project_id, group_id=group_id, parent_id=parent_id
        )
        for i, t in enumerate(siblings, 1):
            t.position = i
        hierarchy.roll_up(session=session, task_id=parent_id, on=on or today())

    plans.delete_planned(session=session, by=by, row=task, then=close_ranks)
