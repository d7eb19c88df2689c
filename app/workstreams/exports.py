"""The tasks and milestones as tables for export (app/exports.py), read as their pages read
them: the filters are the pages' query parameters."""

from collections.abc import Mapping

from sqlmodel import Session

from app.clock import today
from app.exports import EVERY_ROW, Table, id_filter
from app.governance.bodies import implementation_groups
from app.workstreams import hierarchy, milestones, tasks
from app.workstreams.models import TASK_STATUS_LABELS, TaskStatus

# `group=ingen`: the tasks not anchored in a group (the plans page's list of them).
UNANCHORED = "ingen"
TASK_COLUMNS = [
    "Gruppe",
    "Opgave",
    "Nr.",
    "Beskrivelse",
    "Ansvarlig",
    "Start",
    "Frist",
    "Baseline start",
    "Baseline frist",
    "Status",
    "Fremdrift (%)",
    "Forfalden",
    "Afhænger af",
]
MILESTONE_COLUMNS = [
    "Milepæl",
    "Beskrivelse",
    "Gruppe",
    "Planlagt (baseline)",
    "Planlagt",
    "Prognose",
    "Faktisk",
    "Forventet",
    "Afvigelse (dage)",
    "Status",
    "Vurdering",
]


def tasks_table(*, session: Session, project_id: int, filters: Mapping[str, str]) -> Table:
    """Every task of the project, or of one group (`group=<id>`, `group=ingen` for those not
    anchored in one), of a status (`status`) or an owner (`owner`), grouped by group: the
    hierarchy group → task (numbered 1, 1.2, 1.2.3 in the plan's order), each with the tasks it
    depends on."""
    group = filters.get("group", "")
    status = filters.get("status", "")
    views, _ = tasks.list_tasks(
        session=session,
        project_id=project_id,
        group_id=id_filter(group),
        unanchored=group == UNANCHORED,
        status=TaskStatus(status) if status in set(TaskStatus) else None,
        owner_person_id=id_filter(filters.get("owner", "")),
        limit=EVERY_ROW,
        on=today(),
    )
    order = {
        g.id: i for i, g in enumerate(implementation_groups(session=session, project_id=project_id))
    }
    # By group, and within a group in the plan's order (1, 1.1, 1.2, 2, …).
    views.sort(
        key=lambda v: (order.get(v.task.group_id, len(order)), hierarchy.number_key(v.number))
    )
    titles = {d: title for v in views for d, title in v.depends_on_titles.items()}
    rows = [
        [
            v.group_name or "Ikke forankret i en gruppe",
            v.task.title,
            v.number,
            v.task.description,
            v.owner_name,
            v.task.start_date,
            v.task.due_date,
            v.baseline_start_date,
            v.baseline_due_date,
            TASK_STATUS_LABELS[v.task.status],
            v.task.progress,
            v.overdue,
            ", ".join(titles.get(d, f"#{d}") for d in v.depends_on),
        ]
        for v in views
    ]
    return Table(title="Opgaver", columns=TASK_COLUMNS, rows=rows)


def milestones_table(*, session: Session, project_id: int, filters: Mapping[str, str]) -> Table:
    """Every milestone, or those of one group (`group=<id>`, `group=projekt` for the
    project-wide ones), as the milestones page filters them."""
    group = filters.get("group", "")
    groups = implementation_groups(session=session, project_id=project_id)
    views, _ = milestones.list_milestones(
        session=session,
        project_id=project_id,
        group_id=id_filter(group),
        project_wide=group == "projekt",
        limit=EVERY_ROW,
        group_names={g.id: g.name for g in groups if g.id is not None},
    )
    rows = [
        [
            v.milestone.name,
            v.milestone.description,
            v.group_name or "Hele projektet",
            v.baseline_date,
            v.milestone.planned_date,
            v.milestone.forecast_date,
            v.milestone.actual_date,
            v.expected_date,
            v.slippage_days,
            v.status_label,
            v.health_label,
        ]
        for v in views
    ]
    return Table(title="Milepæle", columns=MILESTONE_COLUMNS, rows=rows)
