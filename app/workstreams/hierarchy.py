"""The structure of a plan: sub-tasks under a parent task, their order among siblings, the
number every face shows (1, 1.2, 1.2.3), and the roll-up of a parent's dates, progress and
status from its children (docs/workstreams.md »Underopgaver«).

The number is never stored: `outline` computes it from the positions, per group (the tasks not
anchored in a group numbered among themselves). A parent's dates, progress and status are
stored on its row, recomputed by `roll_up` whenever a child changes, so every read of tasks
(overdue, the Gantt, plan compliance, reports) sees them without knowing about the hierarchy.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from app.db import utcnow
from app.errors import Invalid
from app.labels import label
from app.workstreams.models import Task, TaskStatus

# Levels of a plan at most: 1 (a phase), 1.2 (an activity), … 1.2.3.4.5.
MAX_DEPTH = 5
COMPUTED = "beregnet ud fra underopgaverne"
# What a parent's children decide, never set by hand.
ROLLED_UP_FIELDS = ("start_date", "due_date", "status", "progress")


class Node(Protocol):
    """What the structure needs of a task (a Task, or a row of its columns)."""

    @property
    def id(self) -> int | None: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def position(self) -> int: ...
    @property
    def group_id(self) -> int | None: ...


@dataclass(frozen=True)
class Place:
    """A task's place in its group's plan."""

    number: str  # "1.2.3"
    level: int  # 1 for a top-level task
    children: int  # how many sub-tasks it has
    rank: tuple[int, ...]  # (1, 2, 3): sorts tasks in tree order
    siblings: int = 1  # how many tasks share its parent (itself included)

    @property
    def indent(self) -> int:
        """Levels below the top (0 for a top-level task)."""
        return self.level - 1


@dataclass(frozen=True)
class _Row:
    id: int | None
    parent_id: int | None
    position: int
    group_id: int | None


def outline(tasks: Iterable[Node]) -> dict[int, Place]:
    """Every task's number, level and number of children, from the positions among siblings,
    per group. Give a group's tasks all together: a task whose parent is not among them is
    numbered as a top-level task."""
    rows = [t for t in tasks if t.id is not None]
    ids = {t.id for t in rows}
    children: dict[tuple[int | None, int | None], list[Node]] = defaultdict(list)
    for t in rows:
        parent = t.parent_id if t.parent_id in ids else None
        children[(t.group_id if parent is None else None, parent)].append(t)
    places: dict[int, Place] = {}

    def walk(key: tuple[int | None, int | None], prefix: tuple[int, ...]) -> None:
        siblings = sorted(children.get(key, []), key=lambda t: (t.position, t.id or 0))
        for i, t in enumerate(siblings, 1):
            rank = (*prefix, i)
            task_id = t.id or 0
            places[task_id] = Place(
                number=".".join(str(n) for n in rank),
                level=len(rank),
                children=len(children.get((None, task_id), [])),
                rank=rank,
                siblings=len(siblings),
            )
            walk((None, task_id), rank)

    for group_id, parent in [k for k in children if k[1] is None]:
        walk((group_id, parent), ())
    return places


def numbering(tasks: Iterable[Node]) -> dict[int, str]:
    """Each task's number (1, 1.2, 1.2.3) by id, per group (see `outline`)."""
    return {task_id: p.number for task_id, p in outline(tasks).items()}


def load_outline(
    *, session: Session, project_id: int, group_ids: Iterable[int | None] | None = None
) -> dict[int, Place]:
    """The places of the project's tasks (of the given groups only, `None` for the tasks not
    anchored in a group), in one query of four columns."""
    query = select(Task.id, Task.parent_id, Task.position, Task.group_id).where(
        Task.project_id == project_id
    )
    if group_ids is not None:
        wanted = set(group_ids)
        numbered = [g for g in wanted if g is not None]
        if None in wanted:
            query = query.where(col(Task.group_id).in_(numbered) | col(Task.group_id).is_(None))
        else:
            query = query.where(col(Task.group_id).in_(numbered))
    return outline(_Row(*row) for row in session.exec(query).all())


def sort_key(places: dict[int, Place], task_id: int | None) -> tuple[int, ...]:
    """A task's key for tree order within its group (unknown tasks last)."""
    place = places.get(task_id or 0)
    return place.rank if place else (1_000_000,)


def level_of(places: dict[int, Place], task_id: int | None) -> int:
    """A task's level (1 at the top; 1 for an unknown task)."""
    place = places.get(task_id or 0)
    return place.level if place else 1


def number_key(number: str) -> tuple[int, ...]:
    """ "1.10.2" → (1, 10, 2), for sorting numbers as a plan reads them."""
    return tuple(int(n) for n in number.split(".") if n.isdigit())


# Checks


def _nodes(session: Session, project_id: int) -> dict[int, _Row]:
    rows = session.exec(
        select(Task.id, Task.parent_id, Task.position, Task.group_id).where(
            Task.project_id == project_id
        )
    ).all()
    return {row[0] or 0: _Row(*row) for row in rows}


def _level(nodes: dict[int, _Row], task_id: int) -> int:
    level, seen = 1, {task_id}
    parent = nodes[task_id].parent_id
    while parent is not None and parent in nodes and parent not in seen:
        seen.add(parent)
        level += 1
        parent = nodes[parent].parent_id
    return level


def _height(nodes: dict[int, _Row], task_id: int | None) -> int:
    """Levels of the subtree under and including the task (1 for a task without children)."""
    if task_id is None:
        return 1
    kids: dict[int | None, list[int]] = defaultdict(list)
    for n in nodes.values():
        kids[n.parent_id].append(n.id or 0)

    def height(node: int) -> int:
        return 1 + max((height(k) for k in kids.get(node, [])), default=0)

    return height(task_id)


def descendants(*, session: Session, project_id: int, task_id: int) -> list[int]:
    """The ids of every task below this one."""
    nodes = _nodes(session, project_id)
    kids: dict[int | None, list[int]] = defaultdict(list)
    for n in nodes.values():
        kids[n.parent_id].append(n.id or 0)
    found: list[int] = []
    todo = list(kids.get(task_id, []))
    while todo:
        node = todo.pop()
        found.append(node)
        todo.extend(kids.get(node, []))
    return found


def check_parent(
    *,
    session: Session,
    project_id: int,
    task_id: int | None,
    parent_id: int | None,
    group_id: int | None,
) -> None:
    """Refuse (Invalid, naming »Overordnet opgave«) a parent that is not a task of the project,
    is in another group, is the task itself or one of its sub-tasks, or would make the plan
    deeper than MAX_DEPTH levels."""
    if parent_id is None:
        return
    field = "parent_id"
    name = label(field)
    nodes = _nodes(session, project_id)
    parent = nodes.get(parent_id)
    if parent is None:
        raise Invalid(f"»{name}« findes ikke i dette projekt.", field=field)
    if parent.group_id != group_id:
        raise Invalid(
            f"»{name}« skal ligge i samme gruppe som underopgaven "
            "(flyt opgaven til gruppen først, eller vælg en anden overordnet opgave).",
            field=field,
        )
    if task_id is not None:
        ancestor: int | None = parent_id
        while ancestor is not None:
            if ancestor == task_id:
                raise Invalid(
                    f"»{name}« kan ikke være opgaven selv eller en af dens underopgaver.",
                    field=field,
                )
            ancestor = nodes[ancestor].parent_id if ancestor in nodes else None
    if _level(nodes, parent_id) + _height(nodes, task_id) > MAX_DEPTH:
        raise Invalid(
            f"»{name}«: en plan har højst {MAX_DEPTH} niveauer (som 1.2.3.4.5).", field=field
        )


def children_count(*, session: Session, task_id: int) -> int:
    """How many sub-tasks a task has."""
    return session.exec(
        select(func.count()).select_from(Task).where(Task.parent_id == task_id)
    ).one()


def refuse_hand_set(task: Task, values: dict[str, object], *, has_children: bool) -> None:
    """A parent's dates, status and progress come from its children: a different value sent
    for one of them is refused, naming the field (the same value is accepted and changes
    nothing)."""
    if not has_children:
        return
    for field in ROLLED_UP_FIELDS:
        if field in values and values[field] is not None and values[field] != getattr(task, field):
            raise Invalid(
                f"»{label(field)}« for en opgave med underopgaver er {COMPUTED} "
                "og kan ikke ændres her.",
                field=field,
            )


# Writing


def place(
    *,
    session: Session,
    task: Task,
    parent_id: int | None,
    position: int | None,
    old: tuple[int | None, int | None] | None = None,
) -> None:
    """Put the task under `parent_id` at `position` (1 = first; None or past the end = last)
    and keep the positions of its new and old siblings dense, 1..n. `old` is its former
    (group, parent) when it moved."""
    task.parent_id = parent_id

    def others(group_id: int | None, parent: int | None) -> list[Task]:
        return siblings(
            session=session,
            project_id=task.project_id,
            group_id=group_id,
            parent_id=parent,
            except_id=task.id,
        )

    new = others(task.group_id, parent_id)
    at = len(new) if position is None else min(max(position, 1) - 1, len(new))
    new.insert(at, task)
    for i, t in enumerate(new, 1):
        t.position = i
    if old is not None and old != (task.group_id, parent_id):
        for i, t in enumerate(others(*old), 1):
            t.position = i


def siblings(
    *,
    session: Session,
    project_id: int,
    group_id: int | None,
    parent_id: int | None,
    except_id: int | None = None,
) -> list[Task]:
    """The tasks under `parent_id` (top-level tasks of the group when None) by position."""
    where: list[ColumnElement[bool]] = [
        col(Task.project_id) == project_id,
        col(Task.id) != (except_id or 0),
    ]
    if parent_id is None:
        where += [
            col(Task.parent_id).is_(None),
            col(Task.group_id).is_(None) if group_id is None else col(Task.group_id) == group_id,
        ]
    else:
        where.append(col(Task.parent_id) == parent_id)
    return list(
        session.exec(select(Task).where(*where).order_by(col(Task.position), col(Task.id))).all()
    )


def roll_up(*, session: Session, task_id: int | None, on: date) -> list[int]:
    """Recompute the task's dates, progress and status from its children, then its parent's,
    and so on up to the top (the one place a parent's figures are computed); answers the ids
    of the tasks changed. A task without children keeps what it has."""
    changed: list[int] = []
    seen: set[int] = set()
    while task_id is not None and task_id not in seen:
        seen.add(task_id)
        parent = session.get(Task, task_id)
        if parent is None:
            break
        kids = list(session.exec(select(Task).where(Task.parent_id == task_id)).all())
        if kids and apply_roll_up(parent, kids, on=on):
            parent.version += 1
            parent.updated_at = utcnow()
            changed.append(task_id)
        task_id = parent.parent_id
    return changed


def rolled_up(kids: list[Task]) -> tuple[date | None, date | None, int, TaskStatus]:
    """A parent's start (earliest child start), due (latest child due), progress and status
    from its children. Progress is weighted by each child's duration in days when every child
    has both dates, else the plain mean; it is 100 % only when every child is done. The status
    is done when all are done, blocked when one is, in progress when work has begun, else not
    started."""
    starts = [d for k in kids if (d := k.start_date or k.due_date) is not None]
    dues = [d for k in kids if (d := k.due_date or k.start_date) is not None]
    dated = all(k.start_date and k.due_date for k in kids)
    weights = [
        ((k.due_date - k.start_date).days + 1) if dated and k.start_date and k.due_date else 1
        for k in kids
    ]
    total = sum(weights)
    progress = round(sum(w * k.progress for w, k in zip(weights, kids, strict=True)) / total)
    all_done = all(k.status == TaskStatus.done for k in kids)
    if all_done:
        status, progress = TaskStatus.done, 100
    else:
        progress = min(progress, 99)
        if any(k.status == TaskStatus.blocked for k in kids):
            status = TaskStatus.blocked
        elif progress or any(k.status != TaskStatus.not_started for k in kids):
            status = TaskStatus.in_progress
        else:
            status = TaskStatus.not_started
    return (min(starts) if starts else None), (max(dues) if dues else None), progress, status


def apply_roll_up(parent: Task, kids: list[Task], *, on: date) -> bool:
    """Set a parent's dates, progress and status from its children (`rolled_up`), dating the
    transitions as tasks.apply_progress does; answers whether anything changed."""
    start, due, progress, status = rolled_up(kids)
    before = (parent.start_date, parent.due_date, parent.progress, parent.status)
    if before == (start, due, progress, status):
        return False
    parent.start_date, parent.due_date, parent.progress = start, due, progress
    old = parent.status
    parent.status = status
    if status == TaskStatus.done:
        if old != TaskStatus.done or parent.completed_date is None:
            parent.completed_date = on
    else:
        parent.completed_date = None
    if status == TaskStatus.blocked:
        if old != TaskStatus.blocked or parent.blocked_since_date is None:
            parent.blocked_since_date = on
    else:
        parent.blocked_since_date = None
    return True
