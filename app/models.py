"""Every table of the application, imported in one place so Alembic and tests see the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import LoginFailure, ProjectMember, User, UserSession
from app.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    Decision,
    DirectorArea,
    FollowUpAction,
    MandateItem,
    Meeting,
    Membership,
    Person,
    Project,
)

__all__ = [
    "AgendaItem",
    "Attendance",
    "Decision",
    "FollowUpAction",
    "MandateItem",
    "Meeting",
    "AuditEvent",
    "Body",
    "DirectorArea",
    "LoginFailure",
    "Membership",
    "Person",
    "Project",
    "ProjectMember",
    "User",
    "UserSession",
]
