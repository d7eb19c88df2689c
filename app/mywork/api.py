"""API of »Mit overblik«: GET /api/me/overview."""

from dataclasses import asdict

from fastapi import APIRouter

from app.deps import CurrentUser, SessionDep
from app.mywork import service
from app.mywork.schemas import (
    MyApproval,
    MyFollowUps,
    MyMeasurement,
    MyMeeting,
    MyOverviewPublic,
    MyTask,
)

router = APIRouter(prefix="/api", tags=["mit overblik"])


@router.get("/me/overview")
def my_overview(user: CurrentUser, session: SessionDep) -> MyOverviewPublic:
    """The caller's open tasks (overdue first), approvals waiting for them, measurements due,
    where their participants' follow-ups are, and their bodies' coming meetings."""
    found = service.my_overview(session=session, user=user)
    return MyOverviewPublic(
        today=found.today,
        tasks=[MyTask(**asdict(t), status_label=t.status_label) for t in found.tasks],
        approvals=[MyApproval.model_validate(asdict(a)) for a in found.approvals],
        measurements=[MyMeasurement(**asdict(m)) for m in found.measurements],
        follow_ups=[MyFollowUps(**asdict(f)) for f in found.follow_ups],
        meetings=[MyMeeting(**asdict(m)) for m in found.meetings],
    )
