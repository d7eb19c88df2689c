"""Read models of the workstreams' pages: what the plans overview, a group's page and a task's
edit form show, each read in one call (in a fixed number of queries), so that a page handler
reads like the API handler beside it."""

from dataclasses import dataclass, field

from sqlmodel import Session

from app.governance.bodies import get_group, implementation_groups
from app.governance.models import Body, Decision, Meeting, Project
from app.governance.projects import get_project
from app.workstreams import compliance, milestones, references, tasks
from app.workstreams.baselines import PlanChange, diff
from app.workstreams.compliance import GroupCompliance
from app.workstreams.milestones import MilestoneView
from app.workstreams.models import PlanStatus, PlanVersion
from app.workstreams.tasks import TaskView


def dependency_titles(views: list[TaskView]) -> dict[int, str]:
    """Titles of the tasks that the shown tasks depend on (read with the dependencies)."""
    return {d: title for v in views for d, title in v.depends_on_titles.items()}


@dataclass
class PlansOverview:
    """Every group's plan compliance, and (for those who see them) the tasks not anchored in a
    group."""

    project: Project
    items: list[GroupCompliance]
    unanchored: list[TaskView] = field(default_factory=list)
    unanchored_total: int = 0

    @property
    def awaiting(self) -> list[GroupCompliance]:
        """The groups whose plan awaits the steering group's decision."""
        return [c for c in self.items if any(v.status == PlanStatus.submitted for v in c.versions)]


def plans_overview(
    *, session: Session, project_id: int, with_unanchored: bool, offset: int, limit: int
) -> PlansOverview:
    """The plans overview, with a page of the tasks not anchored in a group when asked for."""
    project = get_project(session=session, project_id=project_id)
    items, base = compliance.compliance_and_baselines(
        session=session, project_id=project_id, project=project
    )
    overview = PlansOverview(project=project, items=items)
    if with_unanchored:
        overview.unanchored, overview.unanchored_total = tasks.list_tasks(
            session=session,
            project_id=project_id,
            unanchored=True,
            offset=offset,
            limit=limit,
            base=base,
        )
    return overview


@dataclass
class GroupPage:
    """A group's page: its compliance, a page of its tasks (with their newest log entries), its
    milestones, its plan with versions and the changes a submitted version makes, and what the
    page's forms offer."""

    project: Project
    item: GroupCompliance
    tasks: list[TaskView]
    milestones: list[MilestoneView]
    submitted: PlanVersion | None
    submitted_changes: list[PlanChange]
    decisions: dict[int, Decision]
    steering_meetings: list[Meeting] = field(default_factory=list)
    people: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def group(self) -> Body:
        return self.item.group

    @property
    def task_total(self) -> int:
        return len(self.item.tasks)

    @property
    def task_titles(self) -> dict[int, str]:
        return dependency_titles(self.tasks)


def group_page(
    *,
    session: Session,
    project_id: int,
    group_id: int,
    offset: int,
    limit: int,
    with_log: int,
    milestones_shown: int,
    with_meetings: bool,
    with_people: bool,
) -> GroupPage:
    """A group's page; the steering group's meetings (for a decision on a submitted version)
    and the project's people (for a new task's owner) only when the page's forms need them.
    Not an implementation group of the project: NotFound."""
    project = get_project(session=session, project_id=project_id)
    # The indicator reads the group, its plan with versions, tasks and milestones; the page
    # shows those rows (in the order of tasks.list_tasks / milestones.list_milestones) without
    # reading them again.
    items, base = compliance.compliance_and_baselines(
        session=session, project_id=project_id, group_id=group_id, project=project
    )
    if not items:
        get_group(session=session, project_id=project_id, group_id=group_id)
    item = items[0]
    names = {item.group.id or 0: item.group.name}
    shown = item.tasks[offset : offset + limit]
    task_views = tasks.describe_tasks(
        session=session,
        tasks=[t for t, _ in shown],
        project_id=project_id,
        with_log=with_log,
        base=base,
        group_names=names,
        owner_names={t.owner_person_id: owner for t, owner in shown if t.owner_person_id and owner},
        period=(project.start_date, project.end_date),
    )
    milestone_views = milestones.describe_milestones(
        session=session,
        milestones=item.milestones[:milestones_shown],
        project_id=project_id,
        base=base,
        group_names=names,
    )
    submitted = next((v for v in item.versions if v.status == PlanStatus.submitted), None)
    baseline = item.baseline
    changes = diff(baseline.snapshot, submitted.snapshot or {}) if submitted and baseline else []
    return GroupPage(
        project=project,
        item=item,
        tasks=task_views,
        milestones=milestone_views,
        submitted=submitted,
        submitted_changes=changes,
        decisions=references.decisions(session=session, ids=[v.decision_id for v in item.versions]),
        steering_meetings=(
            references.steering_meetings(session=session, project_id=project_id)
            if submitted and with_meetings
            else []
        ),
        people=(
            references.people_choices(session=session, project_id=project_id) if with_people else []
        ),
    )


@dataclass
class TaskFormChoices:
    """What a task's edit form offers: owners, groups and the tasks it may depend on."""

    people: list[tuple[int | None, str]]
    groups: list[Body]
    other_tasks: list[tuple[int, str]]


def task_form_choices(*, session: Session, project_id: int, task_id: int) -> TaskFormChoices:
    """The choices of a task's edit form."""
    return TaskFormChoices(
        people=references.people_choices(session=session, project_id=project_id),
        groups=implementation_groups(session=session, project_id=project_id),
        other_tasks=tasks.task_choices(session=session, project_id=project_id, except_id=task_id),
    )
