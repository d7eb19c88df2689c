"""Which tasks a task depends on: read with the titles shown beside them, checked for unknown
tasks and cycles, and stored."""

from collections import defaultdict

from sqlmodel import Session, col, select

from app.errors import Invalid
from app.workstreams.models import Task, TaskDependency


def dependencies_of(
    *, session: Session, task_ids: list[int]
) -> tuple[dict[int, list[int]], dict[int, dict[int, str]]]:
    """The ids each task depends on, and their titles, by task (one query)."""
    deps: dict[int, list[int]] = defaultdict(list)
    titles: dict[int, dict[int, str]] = defaultdict(dict)
    if task_ids:
        for task_id, depends_on_id, title in session.exec(
            select(TaskDependency.task_id, TaskDependency.depends_on_id, Task.title)
            .outerjoin(Task, col(Task.id) == TaskDependency.depends_on_id)
            .where(col(TaskDependency.task_id).in_(task_ids))
            .order_by(col(TaskDependency.depends_on_id))
        ):
            deps[task_id].append(depends_on_id)
            if title is not None:
                titles[task_id][depends_on_id] = title
    return deps, titles


def check_dependencies(
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


def set_dependencies(*, session: Session, task_id: int, depends_on: list[int]) -> None:
    """Store the task's dependencies as given (checked), adding and removing rows as needed."""
    current = session.exec(select(TaskDependency).where(TaskDependency.task_id == task_id)).all()
    keep = set(depends_on)
    for d in current:
        if d.depends_on_id not in keep:
            session.delete(d)
    have = {d.depends_on_id for d in current}
    for dep in depends_on:
        if dep not in have:
            session.add(TaskDependency(task_id=task_id, depends_on_id=dep))
