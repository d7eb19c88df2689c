"""The directorate's dashboard: the projects a user follows, each with the traffic light of its
newest issued report, its next milestones, the grant money left and its last report, and the
issued reports themselves; and a project's front page, with the same figures for one project.
Read-only; a fixed number of queries however many projects."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.auth.models import User
from app.budget.overview import ProjectMoney, project_money
from app.governance.bodies import implementation_groups
from app.governance.meeting_rules import RuleStatus, breaches
from app.governance.models import Body, Project
from app.governance.projects import get_project
from app.reports import reads
from app.workstreams.milestones import MilestoneView, next_milestones

PROJECTS_PER_PAGE = 25
REPORTS_PER_PAGE = 20


@dataclass(frozen=True)
class ProjectLine:
    project: reads.ProjectHead
    latest: reads.IssuedHead | None
    next_milestones: list[MilestoneView]
    money: ProjectMoney | None


@dataclass(frozen=True)
class ReportLine:
    report: reads.IssuedHead
    project: reads.ProjectHead


@dataclass(frozen=True)
class Dashboard:
    today: date
    projects: list[ProjectLine]
    projects_total: int
    page: int
    pages: int
    reports: list[ReportLine]
    reports_total: int
    reports_page: int
    reports_pages: int


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def dashboard(
    *,
    session: Session,
    user: User,
    on: date,
    offset: int = 0,
    limit: int = PROJECTS_PER_PAGE,
    reports_offset: int = 0,
    reports_limit: int = REPORTS_PER_PAGE,
    last_if_past: bool = False,
) -> Dashboard:
    """The dashboard of the projects the user follows, on a day: a window of the projects
    (`offset`, `limit`; past the end: the last window when `last_if_past`, else none) and one
    of the issued reports (`reports_offset`, `reports_limit`)."""
    total = reads.count_followed(session=session, user=user)
    if last_if_past and offset >= total:
        offset = max(total - 1, 0) // limit * limit
    shown = reads.followed_projects(session=session, user=user, offset=offset, limit=limit)
    ids = [p.id for p in shown]
    latest = reads.latest_issued(session=session, project_ids=ids)
    milestones = next_milestones(session=session, project_ids=ids, on=on)
    money = project_money(session=session, project_ids=ids, as_of=on)
    issued, issued_total = reads.issued_reports(
        session=session, user=user, offset=reports_offset, limit=reports_limit
    )
    return Dashboard(
        today=on,
        projects=[
            ProjectLine(p, latest.get(p.id), milestones.get(p.id, []), money.get(p.id))
            for p in shown
        ],
        projects_total=total,
        page=offset // limit + 1,
        pages=_pages(total, limit),
        reports=[ReportLine(report, project) for report, project in issued],
        reports_total=issued_total,
        reports_page=reports_offset // reports_limit + 1,
        reports_pages=_pages(issued_total, reports_limit),
    )


def dashboard_page(
    *, session: Session, user: User, on: date, page: int = 1, reports_page: int = 1
) -> Dashboard:
    """The dashboard page's numbered pages (a page past the last shows the last)."""
    return dashboard(
        session=session,
        user=user,
        on=on,
        offset=(max(page, 1) - 1) * PROJECTS_PER_PAGE,
        reports_offset=(max(reports_page, 1) - 1) * REPORTS_PER_PAGE,
        last_if_past=True,
    )


@dataclass(frozen=True)
class ProjectHome:
    """A project's front page: its charter, its groups, the traffic light of its latest issued
    report, its next milestones and the grant money left."""

    project: Project
    groups: list[Body]
    latest: reads.IssuedHead | None
    milestones: list[MilestoneView]
    money: ProjectMoney | None
    # The bodies' meeting rules not kept today (GET /api/projects/{id}/meeting-rules).
    meeting_rule_breaches: list[RuleStatus]


def project_home(*, session: Session, project_id: int, on: date) -> ProjectHome:
    """The front page of a project, on a day."""
    ids = [project_id]
    return ProjectHome(
        project=get_project(session=session, project_id=project_id),
        groups=implementation_groups(session=session, project_id=project_id),
        latest=reads.latest_issued(session=session, project_ids=ids).get(project_id),
        milestones=next_milestones(session=session, project_ids=ids, on=on).get(project_id, []),
        money=project_money(session=session, project_ids=ids, as_of=on).get(project_id),
        meeting_rule_breaches=breaches(session=session, project_id=project_id, on=on),
    )
