"""What a plan holds and how it moved: the snapshot of a group's tasks and milestones with their
dates, the difference between two snapshots, and the approved baselines that Gantt charts,
slippage and plan compliance measure against."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from app.governance.models import Person
from app.workstreams.models import Milestone, Plan, PlanStatus, PlanVersion, Task


def snapshot_of(*, session: Session, plan: Plan) -> dict[str, Any]:
    """The plan's content now: its text, and its group's tasks and milestones with dates."""
    tasks = session.exec(
        select(Task, Person.name)
        .outerjoin(Person, col(Person.id) == Task.owner_person_id)
        .where(Task.project_id == plan.project_id, Task.group_id == plan.group_id)
        .order_by(col(Task.id))
    ).all()
    milestones = session.exec(
        select(Milestone)
        .where(Milestone.project_id == plan.project_id, Milestone.group_id == plan.group_id)
        .order_by(col(Milestone.id))
    ).all()
    return snapshot_from(plan=plan, tasks=list(tasks), milestones=list(milestones))


def snapshot_from(
    *, plan: Plan, tasks: list[tuple[Task, str | None]], milestones: list[Milestone]
) -> dict[str, Any]:
    """A snapshot from already loaded tasks (with their owners' names) and milestones."""
    return {
        "title": plan.title,
        "description": plan.description,
        "tasks": [
            {
                "id": t.id,
                "title": t.title,
                "owner": owner or "",
                "start_date": _iso(t.start_date),
                "due_date": _iso(t.due_date),
            }
            for t, owner in sorted(tasks, key=lambda row: row[0].id or 0)
        ],
        "milestones": [
            {"id": m.id, "name": m.name, "planned_date": _iso(m.planned_date)}
            for m in sorted(milestones, key=lambda m: m.id or 0)
        ],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class PlanChange:
    """One difference between a plan and its baseline."""

    kind: str  # "task" or "milestone"
    item_id: int | None
    title: str
    change: str  # "added", "removed", "moved" (dates) or "changed" (title, owner)
    fields: list[dict[str, Any]] = field(default_factory=list)


CHANGE_LABELS = {
    "added": "Tilføjet",
    "removed": "Fjernet",
    "moved": "Datoer flyttet",
    "changed": "Ændret",
}
FIELD_LABELS = {
    "start_date": "Start",
    "due_date": "Slut",
    "planned_date": "Planlagt dato",
    "title": "Titel",
    "name": "Navn",
    "owner": "Ansvarlig",
}


def diff(baseline: dict[str, Any] | None, current: dict[str, Any]) -> list[PlanChange]:
    """What changed from the baseline snapshot to another snapshot: added, removed, moved dates."""
    changes: list[PlanChange] = []
    base = baseline or {"tasks": [], "milestones": []}
    for kind, name_key, date_keys in (
        ("task", "title", ("start_date", "due_date")),
        ("milestone", "name", ("planned_date",)),
    ):
        plural = f"{kind}s"
        before = {item["id"]: item for item in base.get(plural, []) if item.get("id") is not None}
        after = {item["id"]: item for item in current.get(plural, []) if item.get("id") is not None}
        for item in current.get(plural, []):
            if item.get("id") not in before:
                changes.append(PlanChange(kind, item.get("id"), item[name_key], "added"))
        for item in base.get(plural, []):
            if item.get("id") is None or item["id"] not in after:
                changes.append(PlanChange(kind, item.get("id"), item[name_key], "removed"))
        for item_id, new in after.items():
            old = before.get(item_id)
            if old is None:
                continue
            moved = []
            for key in date_keys:
                if old.get(key) != new.get(key):
                    old_date, new_date = _date(old.get(key)), _date(new.get(key))
                    days = (new_date - old_date).days if old_date and new_date else None
                    moved.append(
                        {
                            "field": key,
                            "label": FIELD_LABELS[key],
                            "before": old_date,
                            "after": new_date,
                            "days": days,
                        }
                    )
            if moved:
                changes.append(PlanChange(kind, item_id, new[name_key], "moved", moved))
            changed = [
                {
                    "field": key,
                    "label": FIELD_LABELS[key],
                    "before": old.get(key),
                    "after": new.get(key),
                    "days": None,
                }
                for key in (name_key, "owner")
                if key in new and old.get(key) != new.get(key)
            ]
            if changed:
                changes.append(PlanChange(kind, item_id, new[name_key], "changed", changed))
    return changes


@dataclass
class Baselines:
    """The approved baseline of every plan in a project, for Gantt charts and slippage."""

    versions: dict[int, PlanVersion] = field(default_factory=dict)  # by group id
    task_dates: dict[int, tuple[date | None, date | None]] = field(default_factory=dict)
    milestone_dates: dict[int, date] = field(default_factory=dict)


def baselines(*, session: Session, project_id: int) -> Baselines:
    """Baseline versions by group, and the baseline dates of each task and milestone in them."""
    return baselines_by_project(session=session, project_ids=[project_id]).get(
        project_id, Baselines()
    )


def baselines_by_project(*, session: Session, project_ids: list[int]) -> dict[int, Baselines]:
    """The baselines of several projects, by project id (one query: each plan's newest approved
    version)."""
    newest = (
        select(PlanVersion.plan_id, func.max(PlanVersion.number).label("number"))
        .where(PlanVersion.status == PlanStatus.approved)
        .group_by(col(PlanVersion.plan_id))
        .subquery()
    )
    rows = session.exec(
        select(PlanVersion, Plan.group_id, Plan.project_id)
        .join(Plan, col(Plan.id) == PlanVersion.plan_id)
        .join(
            newest,
            (newest.c.plan_id == PlanVersion.plan_id) & (newest.c.number == PlanVersion.number),
        )
        .where(col(Plan.project_id).in_(project_ids))
        .order_by(col(Plan.project_id), col(PlanVersion.plan_id))
    ).all()
    by_project: dict[int, list[tuple[PlanVersion, int]]] = {}
    for version, group_id, project_id in rows:
        by_project.setdefault(project_id, []).append((version, group_id))
    return {pid: _baselines_from(found) for pid, found in by_project.items()}


def baselines_of(plans: list[Plan], versions: dict[int, list[PlanVersion]]) -> Baselines:
    """The same as baselines(), from the project's already loaded plans and their versions."""
    return _baselines_from(
        (v, p.group_id)
        for p in sorted(plans, key=lambda p: p.id or 0)
        for v in versions.get(p.id or 0, [])
        if v.status == PlanStatus.approved
    )


def _baselines_from(rows: Iterable[tuple[PlanVersion, int]]) -> Baselines:
    """Baselines from approved versions with their group ids, by plan and version number."""
    result = Baselines()
    for version, group_id in rows:
        result.versions[group_id] = version  # the newest approved wins
    for version in result.versions.values():
        snap = version.snapshot or {}
        for t in snap.get("tasks", []):
            if t.get("id") is not None:
                result.task_dates[t["id"]] = (_date(t.get("start_date")), _date(t.get("due_date")))
        for m in snap.get("milestones", []):
            if m.get("id") is not None and m.get("planned_date"):
                result.milestone_dates[m["id"]] = date.fromisoformat(m["planned_date"])
    return result
