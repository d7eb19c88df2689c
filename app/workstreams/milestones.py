"""Milestones: measured against their baseline (the approved plan's date) with the date now
expected, slippage and health; read for pages, the API, Gantt charts and status reports in a few
queries; created, changed and deleted. A change to a milestone's plan fields gives its group's
plan a new draft.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Access
from app.clock import today
from app.danish import format_date
from app.db import project_row, utcnow
from app.errors import Forbidden, Invalid, require_version
from app.workstreams import plans, references
from app.workstreams.baselines import Baselines, baselines, baselines_by_project
from app.workstreams.dates import slippage_days, weeks
from app.workstreams.models import MILESTONE_STATUS_LABELS, Milestone, MilestoneStatus
from app.workstreams.schemas import MilestoneCreate, MilestoneUpdate

MILESTONE_REFUSED = "Du må kun ændre milepæle i din egen implementeringsgruppe."
PROJECT_MILESTONE_REFUSED = "Kun projektlederen må ændre milepæle for hele projektet."

# Fields whose change is a change to the group's plan (the rest is progress).
MILESTONE_PLAN_FIELDS = {"name", "group_id", "planned_date"}


def _require_milestone_edit(by: Access, group_id: int | None) -> None:
    if not by.can_edit_group(group_id):
        raise Forbidden(PROJECT_MILESTONE_REFUSED if group_id is None else MILESTONE_REFUSED)


# Reading


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
    """The milestone measured on `on` against its baseline (the approved plan's date, else
    planned): the one computation of its slippage and health that every page, the Gantt, the
    meeting pack, the status report and the API show (docs/workstreams.md »Slippage«).
    A milestone still open after the date expected of it (its forecast, else its planned date)
    is overdue, and cannot be reached before `on`: it has slipped at least to `on`."""
    base = baseline or m.planned_date
    expected = m.actual_date or m.forecast_date or m.planned_date
    overdue = m.status == MilestoneStatus.planned and expected < on
    slip = slippage_days(base, on if overdue else expected)
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
    return project_row(
        Milestone,
        milestone_id,
        session=session,
        project_id=project_id,
        missing="Milepælen findes ikke i dette projekt.",
        lock=lock,
    )


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
    base: Baselines | None = None,
    group_names: dict[int, str] | None = None,
) -> list[MilestoneView]:
    """Views of milestones with group names and baseline dates (the project's baselines and
    group names may be given when already loaded)."""
    on = on or today()
    groups = references.group_names(
        session=session, ids={m.group_id for m in milestones}, known=group_names
    )
    if base is None:
        base = baselines(session=session, project_id=project_id)
    return [
        describe_milestone(
            m,
            baseline=base.milestone_dates.get(m.id or 0),
            group_name=groups.get(m.group_id),
            on=on,
        )
        for m in milestones
    ]


def next_milestones(
    *, session: Session, project_ids: list[int], on: date, per_project: int = 3
) -> dict[int, list[MilestoneView]]:
    """The open milestones each project expects soonest, those overdue first, as
    describe_milestone measures them on a day (for the dashboard and a project's front page;
    a window function keeps the first few per project)."""
    if not project_ids:
        return {}
    expected = func.coalesce(Milestone.forecast_date, Milestone.planned_date)
    ranked = (
        select(
            col(Milestone.id).label("id"),
            func.row_number()
            .over(partition_by=col(Milestone.project_id), order_by=(expected, col(Milestone.id)))
            .label("rank"),
        )
        .where(
            col(Milestone.project_id).in_(project_ids),
            Milestone.status == MilestoneStatus.planned,
        )
        .subquery()
    )
    rows = session.exec(
        select(Milestone)
        .join(ranked, ranked.c.id == Milestone.id)
        .where(ranked.c.rank <= per_project)
        .order_by(col(Milestone.project_id), ranked.c.rank)
    ).all()
    base = baselines_by_project(session=session, project_ids=project_ids)
    groups = references.group_names(session=session, ids={m.group_id for m in rows})
    found: dict[int, list[MilestoneView]] = {}
    for m in rows:
        baseline = base.get(m.project_id, Baselines()).milestone_dates.get(m.id or 0)
        view = describe_milestone(m, baseline=baseline, group_name=groups.get(m.group_id), on=on)
        found.setdefault(m.project_id, []).append(view)
    return found


def milestone_view(
    *, session: Session, project_id: int, milestone_id: int, on: date | None = None
) -> MilestoneView:
    """One milestone with its baseline and slippage."""
    m = get_milestone(session=session, project_id=project_id, milestone_id=milestone_id)
    return describe_milestones(session=session, milestones=[m], project_id=project_id, on=on)[0]


# Writing


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
    references.check_group(session=session, project_id=project_id, group_id=data.group_id)
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
    require_version(m, data.version)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if "group_id" in values and values["group_id"] != m.group_id:
        references.check_group(session=session, project_id=project_id, group_id=values["group_id"])
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


def delete_milestone(
    *, session: Session, by: Access, milestone_id: int, version: int | None
) -> None:
    """Delete a milestone; its plan gets a new draft if needed."""
    m = get_milestone(
        session=session, project_id=by.project_id, milestone_id=milestone_id, lock=True
    )
    _require_milestone_edit(by, m.group_id)
    require_version(m, version)
    plans.delete_planned(session=session, by=by, row=m)
