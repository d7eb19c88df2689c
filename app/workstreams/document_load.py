"""Loading the workstreams' sections of a checked project document: tasks with dependencies and
progress logs, milestones, plans with every version and its snapshot, and meeting rules. A plan
version's decision described in the document (`decision_record`) is added to the steering
group's decision log.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from app.clock import today
from app.db import utcnow
from app.governance.decisions import fold
from app.governance.models import Body, BodyKind, Decision
from app.projectdoc.refs import Refs
from app.workstreams import hierarchy
from app.workstreams.document import (
    MILESTONE_COLUMNS,
    TASK_COLUMNS,
    PlanVersionDoc,
    SnapshotDoc,
    TaskDoc,
    WorkstreamsDoc,
)
from app.workstreams.models import (
    GroupSetting,
    Milestone,
    Plan,
    PlanStatus,
    PlanVersion,
    ProgressEntry,
    Task,
    TaskDependency,
)


def _build_tree(created: list[tuple[TaskDoc, Task]], refs: Refs) -> None:
    """Parents from the keys, positions from the order of the list among siblings, and each
    parent's dates, status and progress rolled up from its sub-tasks (deepest first)."""
    count: dict[tuple[int | None, int | None], int] = defaultdict(int)
    kids: dict[int, list[Task]] = defaultdict(list)
    for t, task in created:
        task.parent_id = refs.id("task", t.parent) if t.parent else None
        count[(task.group_id, task.parent_id)] += 1
        task.position = count[(task.group_id, task.parent_id)]
        if task.parent_id is not None:
            kids[task.parent_id].append(task)
    places = hierarchy.outline(task for _, task in created)
    on = today()
    for _, task in sorted(created, key=lambda c: -hierarchy.level_of(places, c[1].id)):
        if task.id in kids:
            hierarchy.apply_roll_up(task, kids[task.id], on=on)


def load_workstreams(*, session: Session, doc: WorkstreamsDoc, project_id: int, refs: Refs) -> None:
    """Create the tasks, milestones, plans and meeting rules of checked sections (no commit)."""
    for s in doc.group_settings:
        session.add(
            GroupSetting(
                project_id=project_id,
                body_id=refs.id("body", s.group),
                counterpart=s.counterpart,
                meeting_interval_days=s.meeting_interval_days,
            )
        )
    created = []
    for t in doc.tasks:
        task = Task(
            **t.model_dump(include=TASK_COLUMNS),
            project_id=project_id,
            group_id=refs.id("body", t.group),
            owner_person_id=refs.id("person", t.owner),
        )
        session.add(task)
        created.append((t, task))
    session.flush()
    for t, task in created:
        refs.bind("task", t.key, task.id)
    _build_tree(created, refs)
    for t, task in created:
        for dep in t.depends_on:
            session.add(TaskDependency(task_id=task.id or 0, depends_on_id=refs.id("task", dep)))
        for e in t.log:
            session.add(ProgressEntry(task_id=task.id or 0, **e.model_dump()))
    for m in doc.milestones:
        milestone = Milestone(
            project_id=project_id,
            group_id=refs.id("body", m.group),
            **m.model_dump(include=MILESTONE_COLUMNS),
        )
        session.add(milestone)
        session.flush()
        refs.bind("milestone", m.key, milestone.id)
    for p in doc.plans:
        plan = Plan(
            project_id=project_id,
            group_id=refs.id("body", p.group),
            title=p.title,
            description=p.description,
            status=p.versions[-1].status,
        )
        session.add(plan)
        session.flush()
        for v in p.versions:
            session.add(
                PlanVersion(
                    plan_id=plan.id or 0,
                    number=v.number,
                    status=v.status,
                    note=v.note,
                    comment=v.comment,
                    created_at=v.created_at or v.submitted_at or utcnow(),
                    submitted_at=v.submitted_at,
                    submitted_by_name=v.submitted_by,
                    decided_at=v.decided_at,
                    decided_by_name=v.decided_by,
                    decision_id=_decision_id(
                        session=session, project_id=project_id, version=v, refs=refs
                    ),
                    snapshot=_snapshot(v.snapshot, refs) if v.snapshot else None,
                )
            )
    session.flush()


def _snapshot(snap: SnapshotDoc, refs: Refs) -> dict[str, Any]:
    return {
        "title": snap.title,
        "description": snap.description,
        "tasks": [
            {
                "id": refs.id("task", t.task),
                "title": t.title,
                "owner": t.owner,
                "start_date": _iso(t.start_date),
                "due_date": _iso(t.due_date),
            }
            for t in snap.tasks
        ],
        "milestones": [
            {
                "id": refs.id("milestone", m.milestone),
                "name": m.name,
                "planned_date": _iso(m.planned_date),
            }
            for m in snap.milestones
        ],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _decision_id(
    *, session: Session, project_id: int, version: PlanVersionDoc, refs: Refs
) -> int | None:
    if version.decision is not None:
        return refs.id("decision", version.decision)
    record = version.decision_record
    if record is None:
        return None
    steering = session.exec(
        select(Body)
        .where(Body.project_id == project_id, Body.kind == BodyKind.steering_group)
        .order_by(col(Body.id))
    ).first()
    last = session.exec(
        select(func.max(Decision.number)).where(Decision.project_id == project_id)
    ).one()
    approved = version.status == PlanStatus.approved
    decision = Decision(
        project_id=project_id,
        number=(last or 0) + 1,
        body_id=(steering.id or 0) if steering else 0,
        meeting_id=refs.id("meeting", record.meeting),
        decision_date=record.decision_date,
        title=record.title,
        text=record.text,
        kind="plan_approval" if approved else "plan_return",
        search_text=fold(f"{record.title}\n{record.text}"),
    )
    session.add(decision)
    session.flush()
    return decision.id
