"""Who may change what in the organisation, as route dependencies (pages and API share them).

The organisation itself (charter, people, bodies, mandates) is the project leader's
(`app.deps.ProjectLeader`); meetings are the secretariat's (`app.deps.Secretariat`). The three
below widen that where the mission says so. Administrators pass every one of them.
"""

from typing import Annotated

from fastapi import Depends

from app.auth.models import Role
from app.auth.service import Access
from app.deps import require_roles

MINUTES_ROLES = (Role.secretariat, Role.project_leader, Role.steering_member)
DECISION_ROLES = (Role.steering_member, Role.project_leader)
FOLLOW_UP_ROLES = (Role.steering_member, Role.project_leader, Role.secretariat)

MinutesEditor = Annotated[
    Access,
    Depends(
        require_roles(
            *MINUTES_ROLES,
            message="Kun sekretariatet, projektlederen og "
            "styregruppens medlemmer må skrive referater.",
        )
    ),
]
DecisionMaker = Annotated[
    Access,
    Depends(
        require_roles(
            *DECISION_ROLES,
            message="Kun styregruppens medlemmer og projektlederen må registrere beslutninger.",
        )
    ),
]
FollowUpEditor = Annotated[
    Access,
    Depends(
        require_roles(
            *FOLLOW_UP_ROLES,
            message="Kun styregruppens medlemmer, "
            "projektlederen og sekretariatet må følge op på beslutninger.",
        )
    ),
]
