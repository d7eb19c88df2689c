"""Every table of the application, imported in one place so Alembic and tests see them all."""

from app.audit.models import AuditEvent
from app.auth.models import KnownDevice, LoginFailure, ProjectMember, User, UserSession
from app.budget.models import (
    BudgetLine,
    DeviationExplanation,
    EconomyEntry,
    Expenditure,
    Fund,
    Grant,
    GrantCategory,
    GrantPurpose,
)
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
    OrganisationChange,
    Person,
    Project,
)
from app.participants.models import FollowUp, Participant, Registrar, RegistrationScheme
from app.projecttemplates.models import ProjectTemplate
from app.reports.calendar import CalendarToken
from app.reports.models import StatusReport, StatusReportFile
from app.risks.models import Indicator, Measurement, RaidItem
from app.stakeholders.models import (
    ActivityDelegate,
    CommunicationAction,
    ExternalActivity,
    Stakeholder,
    StakeholderPosition,
)
from app.workstreams.models import (
    GroupSetting,
    Milestone,
    Plan,
    PlanVersion,
    ProgressEntry,
    Task,
    TaskDependency,
)

__all__ = [
    "FollowUp",
    "Participant",
    "RegistrationScheme",
    "Registrar",
    "ProjectTemplate",
    "ActivityDelegate",
    "CalendarToken",
    "StatusReport",
    "StatusReportFile",
    "CommunicationAction",
    "ExternalActivity",
    "Stakeholder",
    "StakeholderPosition",
    "GroupSetting",
    "Milestone",
    "Plan",
    "PlanVersion",
    "ProgressEntry",
    "Task",
    "TaskDependency",
    "Indicator",
    "Measurement",
    "RaidItem",
    "BudgetLine",
    "DeviationExplanation",
    "EconomyEntry",
    "Expenditure",
    "Fund",
    "Grant",
    "GrantCategory",
    "GrantPurpose",
    "AgendaItem",
    "Attendance",
    "Decision",
    "FollowUpAction",
    "MandateItem",
    "Meeting",
    "AuditEvent",
    "Body",
    "DirectorArea",
    "KnownDevice",
    "LoginFailure",
    "Membership",
    "OrganisationChange",
    "Person",
    "Project",
    "ProjectMember",
    "User",
    "UserSession",
]
