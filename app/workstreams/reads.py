"""Read models of the workstreams' pages: what the plans overview, a group's page and a task's
edit form show, each read in one call (in a fixed number of queries), so that a page handler
reads like the API handler beside it."""

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.clock import today
from app.governance.bodies import get_group, implementation_groups
from app.governance.models import Body, Decision, Meeting, Project
from app.governance.projects import get_project
from app.workstreams import compliance, hierarchy, milestones, references, tasks
from app.workstreams.baselines import PlanChange, diff
from app.workstreams.compliance import GroupCompliance, PlanGovernance
from app.workstreams.milestones import MilestoneView
from app.workstreams.models import PlanStatus, PlanVersion, Task
from app.workstreams.tasks import TaskView


def dependency_titles(views: list[TaskView]) -> dict[int, str]:
    """Titles of the tasks that the shown tasks depend on (read with the dependencies)."""
    return {d: title for v in views for d, title in v.depends_on_titles.items()}


@dataclass
class PlansOverview:
    """Every group's plan compliance, the organisation it was judged by (approver, meeting
    rules), and (for those who see them) the tasks not anchored in a group."""

    project: Project
    governance: PlanGovernance
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
    governance = compliance.plan_governance(session=session, project=project, on=today())
    items, base = compliance.compliance_and_baselines(
        session=session, project_id=project_id, project=project, governance=governance
    )
    overview = PlansOverview(project=project, governance=governance, items=items)
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
    # The group's tasks that may get a sub-task, as (id, "1.2 Title"), in tree order.
    parents: list[tuple[int | None, str]] = field(default_factory=list)

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
    project: Project | None = None,
    governance: PlanGovernance | None = None,
) -> GroupPage:
    """A group's page; the steering group's meetings (for a decision on a submitted version)
    and the project's people (for a new task's owner) only when the page's forms need them.
    The project and its compliance.plan_governance() may be given when already loaded. Not an
    implementation group of the project: NotFound."""
    project = project or get_project(session=session, project_id=project_id)
    # The indicator reads the group, its plan with versions, tasks and milestones; the page
    # shows those rows (in the order of tasks.list_tasks / milestones.list_milestones) without
    # reading them again.
    items, base = compliance.compliance_and_baselines(
        session=session,
        project_id=project_id,
        group_id=group_id,
        project=project,
        governance=governance,
    )
    if not items:
        get_group(session=session, project_id=project_id, group_id=group_id)
    item = items[0]
    names = {item.group.id or 0: item.group.name}
    # The plan in tree order (1, 1.1, 1.2, 2, …); the indicator's counts do not depend on it.
    places = hierarchy.outline(t for t, _ in item.tasks)
    ordered = sorted(item.tasks, key=lambda row: hierarchy.sort_key(places, row[0].id))
    shown = ordered[offset : offset + limit]
    task_views = tasks.describe_tasks(
        session=session,
        tasks=[t for t, _ in shown],
        project_id=project_id,
        with_log=with_log,
        base=base,
        group_names=names,
        owner_names={t.owner_person_id: owner for t, owner in shown if t.owner_person_id and owner},
        period=(project.start_date, project.end_date),
        places=places,
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
        parents=parent_choices([t for t, _ in ordered], places) if with_people else [],
    )


def parent_choices(
    tasks: list[Task], places: dict[int, hierarchy.Place], *, except_ids: set[int] | None = None
) -> list[tuple[int | None, str]]:
    """The tasks a task may be put under (not at the deepest level, not the excepted), as
    (id, "1.2 Title") in tree order."""
    return [
        (t.id, f"{places[t.id].number} {t.title}")
        for t in sorted(tasks, key=lambda t: hierarchy.sort_key(places, t.id))
        if t.id in places
        and places[t.id].level < hierarchy.MAX_DEPTH
        and t.id not in (except_ids or set())
    ]


@dataclass
class TaskFormChoices:
    """What a task's edit form offers: owners, groups, the tasks it may depend on, and the
    tasks of its group it may be put under (not itself nor one of its sub-tasks)."""

    people: list[tuple[int | None, str]]
    groups: list[Body]
    other_tasks: list[tuple[int, str]]
    parents: list[tuple[int | None, str]] = field(default_factory=list)


def task_form_choices(*, session: Session, project_id: int, task_id: int) -> TaskFormChoices:
    """The choices of a task's edit form."""
    task = tasks.get_task(session=session, project_id=project_id, task_id=task_id)
    same_group = (
        col(Task.group_id).is_(None)
        if task.group_id is None
        else col(Task.group_id) == task.group_id
    )
    group = list(session.exec(select(Task).where(Task.project_id == project_id, same_group)))
    places = hierarchy.outline(group)
    below = set(hierarchy.descendants(session=session, project_id=project_id, task_id=task_id))
    return TaskFormChoices(
        people=references.people_choices(session=session, project_id=project_id),
        groups=implementation_groups(session=session, project_id=project_id),
        other_tasks=tasks.task_choices(session=session, project_id=project_id, except_id=task_id),
        parents=parent_choices(group, places, except_ids=below | {task_id}),
    )
