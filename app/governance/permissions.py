"""Who may change what in the organisation, as route dependencies (pages and API share them).

The organisation itself (charter, people, bodies, mandates) is the project leader's
(`app.deps.ProjectLeader`); meetings are the secretariat's (`app.deps.Secretariat`). The three
below widen that where the mission says so. Administrators pass every one of them.
`PlanApprover` and `ReportApprover` let through whoever may approve on behalf of the body that
approves plans or reports (app.governance.bodies.acts_for), so a refusal is a 403 before the
form is read; the services check the same again.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from app.auth.models import Role
from app.auth.service import Access
from app.deps import ProjectAccess, SessionDep, require_roles
from app.errors import Forbidden
from app.governance.bodies import (
    PLAN_APPROVER,
    PLAN_DECIDE_REFUSED,
    REPORT_APPROVE_REFUSED,
    REPORT_APPROVER,
    GoverningRole,
    acts_for,
    find_governing_body,
)
from app.governance.models import Project

MINUTES_ROLES = (Role.secretariat, Role.project_leader, Role.steering_member)
DECISION_ROLES = (Role.steering_member, Role.project_leader)
FOLLOW_UP_ROLES = (Role.steering_member, Role.project_leader, Role.secretariat)

MinutesEditor = Annotated[
    Access,
    Depends(
        require_roles(
            *MINUTES_ROLES,
            message="Kun sekretariatet, projektlederen og "
            "styregruppemedlemmer må skrive referater.",
        )
    ),
]
DecisionMaker = Annotated[
    Access,
    Depends(
        require_roles(
            *DECISION_ROLES,
            message="Kun styregruppemedlemmer og projektlederen må registrere beslutninger.",
        )
    ),
]
FollowUpEditor = Annotated[
    Access,
    Depends(
        require_roles(
            *FOLLOW_UP_ROLES,
            message="Kun styregruppemedlemmer, "
            "projektlederen og sekretariatet må følge op på beslutninger.",
        )
    ),
]


def _approver(role: GoverningRole, message: str) -> Callable[[Access, SessionDep], Access]:
    """A dependency that lets through whoever may act for the body holding `role`; with no such
    body, a »Styregruppemedlem« passes on to the service's 422 naming the missing setting."""

    def dependency(access: ProjectAccess, session: SessionDep) -> Access:
        project = session.get(Project, access.project_id)
        body = find_governing_body(session=session, project=project, role=role) if project else None
        allowed = (
            access.has(Role.steering_member)
            if body is None
            else acts_for(session=session, access=access, body=body)
        )
        if not allowed:
            raise Forbidden(message)
        return access

    return dependency


PlanApprover = Annotated[Access, Depends(_approver(PLAN_APPROVER, PLAN_DECIDE_REFUSED))]
ReportApprover = Annotated[Access, Depends(_approver(REPORT_APPROVER, REPORT_APPROVE_REFUSED))]
