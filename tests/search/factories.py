"""Rows to search for: one of every kind the search reads, written straight to the tables (the
index follows them by itself)."""

from datetime import date

from sqlmodel import Session

from app.auth import service as auth
from app.auth.service import Access
from app.governance.models import AgendaItem, Decision, Meeting
from app.reports.models import ReportStatus, StatusReport
from app.risks.models import RaidItem
from app.stakeholders.models import Attitude, Stakeholder, StakeholderKind
from app.workstreams.models import Milestone, Plan, Task
from tests.factories import ProjectWorld


def access(
    session: Session, world: ProjectWorld, name: str, project_id: int | None = None
) -> Access:
    return auth.access_for(
        session=session, user=world.users[name], project_id=project_id or world.project.id or 0
    )


def fill(session: Session, world: ProjectWorld, project_id: int | None = None) -> dict[str, int]:
    """One row of each kind in the project, each holding the word »rehabilitering«."""
    pid = project_id or world.project.id or 0
    body = world.steering.id or 0
    meeting = Meeting(
        project_id=pid,
        body_id=body,
        meeting_date=date(2013, 1, 15),
        place="Rådhuset",
        minutes="Rehabiliteringsteamet blev drøftet.",
    )
    session.add(meeting)
    session.flush()
    rows = {
        "task": Task(
            project_id=pid, group_id=world.group_a.id, title="Etablér rehabiliteringsteam"
        ),
        "milestone": Milestone(
            project_id=pid, name="Rehabiliteringsteam i drift", planned_date=date(2013, 4, 1)
        ),
        "decision": Decision(
            project_id=pid,
            number=1,
            body_id=body,
            decision_date=date(2013, 1, 15),
            title="Rehabiliteringsteamets sammensætning",
            text="Godkendt.",
        ),
        "agenda_item": AgendaItem(meeting_id=meeting.id or 0, title="Rehabilitering: status"),
        "stakeholder": Stakeholder(
            project_id=pid,
            name="Regionen",
            kind=StakeholderKind.external,
            influence=3,
            interest=3,
            attitude=Attitude.neutral,
            needs="Viden om rehabiliteringsforløb",
        ),
        "raid_item": RaidItem(
            project_id=pid, title="Rehabiliteringsteamet mangler sundhedskoordinator"
        ),
        "plan": Plan(
            project_id=pid, group_id=world.group_a.id or 0, title="Plan for rehabiliteringsteamet"
        ),
    }
    session.add_all(rows.values())
    session.commit()
    return {kind: row.id or 0 for kind, row in rows.items()} | {"meeting": meeting.id or 0}


def report(
    session: Session, world: ProjectWorld, number: int, status: ReportStatus
) -> StatusReport:
    row = StatusReport(
        project_id=world.project.id or 0,
        number=number,
        status=status,
        period_start_date=date(2012, 11, 1),
        period_end_date=date(2013, 2, 28),
        report_date=date(2013, 2, 28),
        next_period_end_date=date(2013, 5, 31),
    )
    session.add(row)
    session.commit()
    return row
