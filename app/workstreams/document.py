"""The workstreams' part of the project document: tasks with dependencies and progress logs,
milestones, the groups' plans with every version and its frozen snapshot, and meeting rules.

Groups, owners, decisions and meetings are referred to by the organisation's document keys.
A plan version's decision normally names an entry of the decision log (`decision`); a document
written by hand may instead describe it (`decision_record`), and importing then adds it to the
steering group's log. Here: the sections' shapes, exporting them and checking a document's
references; loading a checked document is app/workstreams/document_load.py.
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from pydantic import Field
from sqlmodel import Session, col, select

from app import inputs
from app.governance.models import Body, BodyKind, MeetingCounterpart
from app.projectdoc.refs import Refs
from app.workstreams import hierarchy, plans
from app.workstreams.models import (
    GroupSetting,
    Milestone,
    MilestoneStatus,
    Plan,
    PlanStatus,
    PlanVersion,
    ProgressEntry,
    Task,
    TaskDependency,
    TaskStatus,
)


class Strict(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


class ProgressEntryDoc(Strict):
    at: datetime
    username: str = Field(default="", max_length=80)
    author_name: str = Field(default="", max_length=200)
    text: str = Field(default="", max_length=2000)
    new_status: TaskStatus | None = None
    new_progress: int | None = Field(default=None, ge=0, le=100)


class TaskDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    group: str | None = None
    # The parent task's key (same group); the order of the list is the order among siblings.
    # A parent's dates, status and progress are computed from its sub-tasks when loaded.
    parent: str | None = Field(default=None, max_length=80)
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)
    owner: str | None = None
    start_date: date | None = None
    due_date: date | None = None
    status: TaskStatus = TaskStatus.not_started
    progress: int = Field(default=0, ge=0, le=100)
    blocked_since_date: date | None = None
    completed_date: date | None = None
    depends_on: list[str] = []
    log: list[ProgressEntryDoc] = []


class MilestoneDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    group: str | None = None
    name: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=2000)
    planned_date: date
    forecast_date: date | None = None
    actual_date: date | None = None
    status: MilestoneStatus = MilestoneStatus.planned


class SnapshotTaskDoc(Strict):
    task: str | None = None
    title: str
    owner: str = ""
    start_date: date | None = None
    due_date: date | None = None


class SnapshotMilestoneDoc(Strict):
    milestone: str | None = None
    name: str
    planned_date: date | None = None


class SnapshotDoc(Strict):
    title: str = ""
    description: str = ""
    tasks: list[SnapshotTaskDoc] = []
    milestones: list[SnapshotMilestoneDoc] = []


class DecisionRecordDoc(Strict):
    """A steering-group decision not (yet) in the document's decision log."""

    decision_date: date
    title: str = Field(min_length=1, max_length=300)
    text: str = Field(default="", max_length=10000)
    meeting: str | None = None


class PlanVersionDoc(Strict):
    number: int = Field(ge=1)
    status: PlanStatus = PlanStatus.draft
    note: str = Field(default="", max_length=2000)
    comment: str = Field(default="", max_length=5000)
    created_at: datetime | None = None
    submitted_at: datetime | None = None
    submitted_by: str = Field(default="", max_length=200)
    decided_at: datetime | None = None
    decided_by: str = Field(default="", max_length=200)
    decision: str | None = None
    decision_record: DecisionRecordDoc | None = None
    snapshot: SnapshotDoc | None = None


class PlanDoc(Strict):
    group: str
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)
    versions: list[PlanVersionDoc] = Field(min_length=1)


class GroupSettingDoc(Strict):
    """A body's meeting rule. `group` names the body (any kind; the name is from when only
    groups had a rule); without `counterpart` the rule is against the project management."""

    group: str
    counterpart: MeetingCounterpart = MeetingCounterpart.project_management
    meeting_interval_days: int | None = Field(default=None, ge=1, le=366)


# The columns a task's and a milestone's document entry holds as they are (the rest refer to
# other entries by key): declared once, by the document's shapes.
TASK_COLUMNS = set(TaskDoc.model_fields) & set(Task.model_fields)
MILESTONE_COLUMNS = set(MilestoneDoc.model_fields) & set(Milestone.model_fields)


class WorkstreamsDoc(Strict):
    """The sections of the document that the workstreams own."""

    group_settings: list[GroupSettingDoc] = []
    tasks: list[TaskDoc] = []
    milestones: list[MilestoneDoc] = []
    plans: list[PlanDoc] = []


# Export


def _key(refs: Refs, kind: str, item_id: int | None) -> str | None:
    try:
        return refs.key(kind, item_id)
    except KeyError:
        return None


def export_workstreams(*, session: Session, project_id: int, refs: Refs) -> dict[str, Any]:
    """The project's tasks, milestones, plans and meeting rules as document sections (after the
    organisation, whose keys they use)."""
    rows = session.exec(
        select(Task).where(Task.project_id == project_id).order_by(col(Task.id))
    ).all()
    # Group by group, each group's plan in tree order: parents before their sub-tasks.
    places = hierarchy.outline(rows)
    tasks = sorted(
        rows,
        key=lambda t: (t.group_id is None, t.group_id or 0, hierarchy.sort_key(places, t.id)),
    )
    milestones = session.exec(
        select(Milestone).where(Milestone.project_id == project_id).order_by(col(Milestone.id))
    ).all()
    task_keys = {t.id: f"task-{i}" for i, t in enumerate(tasks, 1)}
    milestone_keys = {m.id: f"milestone-{i}" for i, m in enumerate(milestones, 1)}
    for item_id, key in task_keys.items():
        refs.name("task", item_id, key)
    for item_id, key in milestone_keys.items():
        refs.name("milestone", item_id, key)
    ids = list(task_keys)
    deps: dict[int, list[str]] = defaultdict(list)
    for d in session.exec(
        select(TaskDependency)
        .where(col(TaskDependency.task_id).in_(ids))
        .order_by(col(TaskDependency.task_id), col(TaskDependency.depends_on_id))
    ):
        deps[d.task_id].append(task_keys[d.depends_on_id])
    logs: dict[int, list[ProgressEntryDoc]] = defaultdict(list)
    for e in session.exec(
        select(ProgressEntry)
        .where(col(ProgressEntry.task_id).in_(ids))
        .order_by(col(ProgressEntry.at), col(ProgressEntry.id))
    ):
        logs[e.task_id].append(ProgressEntryDoc.model_validate(e, from_attributes=True))
    plan_rows = session.exec(
        select(Plan)
        .join(Body, col(Body.id) == Plan.group_id)
        .where(Plan.project_id == project_id)
        .order_by(col(Body.position), col(Body.id))
    ).all()
    versions = plans.versions_of(session=session, plan_ids=[p.id for p in plan_rows if p.id])
    settings = session.exec(
        select(GroupSetting)
        .join(Body, col(Body.id) == GroupSetting.body_id)
        .where(GroupSetting.project_id == project_id)
        .order_by(col(Body.position), col(Body.id), col(GroupSetting.id))
    ).all()
    doc = WorkstreamsDoc(
        group_settings=[
            GroupSettingDoc(
                group=refs.key("body", s.body_id) or "",
                counterpart=s.counterpart,
                meeting_interval_days=s.meeting_interval_days,
            )
            for s in settings
        ],
        tasks=[
            TaskDoc(
                **t.model_dump(include=TASK_COLUMNS),
                key=task_keys[t.id],
                group=refs.key("body", t.group_id),
                parent=task_keys.get(t.parent_id) if t.parent_id else None,
                owner=refs.key("person", t.owner_person_id),
                depends_on=deps.get(t.id or 0, []),
                log=logs.get(t.id or 0, []),
            )
            for t in tasks
        ],
        milestones=[
            MilestoneDoc(
                **m.model_dump(include=MILESTONE_COLUMNS),
                key=milestone_keys[m.id],
                group=refs.key("body", m.group_id),
            )
            for m in milestones
        ],
        plans=[
            PlanDoc(
                group=refs.key("body", p.group_id) or "",
                title=p.title,
                description=p.description,
                versions=[
                    _export_version(v, task_keys, milestone_keys, refs)
                    for v in versions.get(p.id or 0, [])
                ],
            )
            for p in plan_rows
        ],
    )
    return doc.model_dump(mode="json")


def _export_version(
    v: PlanVersion, task_keys: dict[Any, str], milestone_keys: dict[Any, str], refs: Refs
) -> PlanVersionDoc:
    snap = None
    if v.snapshot is not None:
        snap = SnapshotDoc(
            title=v.snapshot.get("title", ""),
            description=v.snapshot.get("description", ""),
            tasks=[
                SnapshotTaskDoc(
                    task=task_keys.get(t.get("id")),
                    title=t["title"],
                    owner=t.get("owner", ""),
                    start_date=t.get("start_date"),
                    due_date=t.get("due_date"),
                )
                for t in v.snapshot.get("tasks", [])
            ],
            milestones=[
                SnapshotMilestoneDoc(
                    milestone=milestone_keys.get(m.get("id")),
                    name=m["name"],
                    planned_date=m.get("planned_date"),
                )
                for m in v.snapshot.get("milestones", [])
            ],
        )
    return PlanVersionDoc(
        number=v.number,
        status=v.status,
        note=v.note,
        comment=v.comment,
        created_at=v.created_at,
        submitted_at=v.submitted_at,
        submitted_by=v.submitted_by_name,
        decided_at=v.decided_at,
        decided_by=v.decided_by_name,
        decision=_key(refs, "decision", v.decision_id),
        snapshot=snap,
    )


# Check


def _kinds(doc: Any) -> dict[str, BodyKind]:
    return {b.key: b.kind for b in getattr(doc, "bodies", [])}


def _check_group(refs: Refs, kinds: dict[str, BodyKind], key: str | None, path: str) -> None:
    refs.check("body", key, path)
    if key in kinds and kinds[key] != BodyKind.implementation_group:
        refs.error(path, f"»{key}« er ikke en implementeringsgruppe.")


def check_workstreams(doc: WorkstreamsDoc, refs: Refs) -> None:
    """Declare the tasks' and milestones' keys and check every reference (errors go to refs)."""
    kinds = _kinds(doc)
    refs.declare_all("task", "$.tasks", [t.key for t in doc.tasks])
    refs.declare_all("milestone", "$.milestones", [m.key for m in doc.milestones])
    graph: dict[str, list[str]] = {}
    for i, t in enumerate(doc.tasks):
        path = f"$.tasks[{i}]"
        _check_group(refs, kinds, t.group, f"{path}.group")
        refs.check("person", t.owner, f"{path}.owner")
        if t.start_date and t.due_date and t.due_date < t.start_date:
            refs.error(f"{path}.due_date", "Slutdatoen ligger før startdatoen.")
        for j, dep in enumerate(t.depends_on):
            refs.check("task", dep, f"{path}.depends_on[{j}]")
        graph[t.key] = list(t.depends_on)
    for i, t in enumerate(doc.tasks):
        if _reaches(graph, t.depends_on, t.key):
            refs.error(f"$.tasks[{i}].depends_on", "Afhængighederne giver en cirkel.")
    _check_parents(doc, refs)
    for i, m in enumerate(doc.milestones):
        _check_group(refs, kinds, m.group, f"$.milestones[{i}].group")
    rules: set[tuple[str, MeetingCounterpart]] = set()
    for i, s in enumerate(doc.group_settings):
        path = f"$.group_settings[{i}]"
        refs.check("body", s.group, f"{path}.group")
        if (s.group, s.counterpart) in rules:
            refs.error(f"{path}.group", "Organet har to mødekadencer med samme modpart.")
        if (
            kinds.get(s.group) == BodyKind.project_management
            and s.counterpart == MeetingCounterpart.project_management
        ):
            refs.error(
                f"{path}.counterpart",
                "Projektledelsen kan ikke have en regel for møder med sig selv.",
            )
        rules.add((s.group, s.counterpart))
    seen: set[str] = set()
    has_steering = BodyKind.steering_group in kinds.values()
    for i, p in enumerate(doc.plans):
        path = f"$.plans[{i}]"
        _check_group(refs, kinds, p.group, f"{path}.group")
        if p.group in seen:
            refs.error(f"{path}.group", "Gruppen har allerede en plan i dokumentet.")
        seen.add(p.group)
        _check_versions(p, path, refs, has_steering)


def _check_versions(p: PlanDoc, path: str, refs: Refs, has_steering: bool) -> None:
    if [v.number for v in p.versions] != list(range(1, len(p.versions) + 1)):
        refs.error(f"{path}.versions", "Versionerne skal være nummereret 1, 2, 3 … i rækkefølge.")
    if sum(1 for v in p.versions if v.status == PlanStatus.submitted) > 1:
        refs.error(f"{path}.versions", "Højst én version kan afvente en beslutning.")
    for j, v in enumerate(p.versions):
        vpath = f"{path}.versions[{j}]"
        if v.status != PlanStatus.draft and v.snapshot is None:
            refs.error(
                f"{vpath}.snapshot",
                "En indsendt eller besluttet version skal have sit "
                "øjebliksbillede af opgaver og milepæle.",
            )
        refs.check("decision", v.decision, f"{vpath}.decision")
        if v.decision and v.decision_record:
            refs.error(
                f"{vpath}.decision_record",
                "Angiv enten en beslutning fra protokollen eller en ny, ikke begge.",
            )
        if v.decision_record is not None:
            refs.check("meeting", v.decision_record.meeting, f"{vpath}.decision_record.meeting")
            if not has_steering:
                refs.error(
                    f"{vpath}.decision_record",
                    "Dokumentet har intet organ, der godkender planer, til at træffe beslutningen.",
                )
        if v.snapshot is not None:
            for k, t in enumerate(v.snapshot.tasks):
                refs.check("task", t.task, f"{vpath}.snapshot.tasks[{k}].task")
            for k, m in enumerate(v.snapshot.milestones):
                refs.check("milestone", m.milestone, f"{vpath}.snapshot.milestones[{k}].milestone")


def _reaches(graph: dict[str, list[str]], starts: list[str], goal: str) -> bool:
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, []))
    return False


def _check_parents(doc: WorkstreamsDoc, refs: Refs) -> None:
    """A task's parent is a task of the document, in the same group, with no cycle and at most
    hierarchy.MAX_DEPTH levels."""
    by_key = {t.key: t for t in doc.tasks}
    for i, t in enumerate(doc.tasks):
        if t.parent is None:
            continue
        path = f"$.tasks[{i}].parent"
        refs.check("task", t.parent, path)
        parent = by_key.get(t.parent)
        if parent is None:
            continue
        if parent.group != t.group:
            refs.error(path, "Den overordnede opgave ligger i en anden gruppe.")
        seen, level = {t.key}, 1
        up: TaskDoc | None = parent
        while up is not None:
            if up.key in seen:
                refs.error(path, "De overordnede opgaver giver en cirkel.")
                break
            seen.add(up.key)
            level += 1
            up = by_key.get(up.parent) if up.parent else None
        else:
            if level > hierarchy.MAX_DEPTH:
                refs.error(
                    path, f"En plan har højst {hierarchy.MAX_DEPTH} niveauer (som 1.2.3.4.5)."
                )
