"""The JSON API under /api: every domain's API router, in one place (each has prefix /api)."""

from app.admin import api as admin_api
from app.attachments import api as attachments_api
from app.audit import api as audit_api
from app.auth import api as auth_api
from app.budget import api as budget_api
from app.budget import conditions_api as budget_conditions_api
from app.governance import api as governance_api
from app.governance import change_api as governance_change_api
from app.governance import meeting_api as governance_meeting_api
from app.mywork import api as mywork_api
from app.notifications import api as notifications_api
from app.participants import api as participants_api
from app.participants import monitoring_api as participants_monitoring_api
from app.participants import setup_api as participants_setup_api
from app.projecttemplates import api as projecttemplates_api
from app.reports import api as reports_api
from app.reports import calendar_api
from app.risks import api as risks_api
from app.search import api as search_api
from app.stakeholders import api as stakeholders_api
from app.web import exports as web_exports
from app.workstreams import api as workstreams_api
from app.workstreams import schedule_api as workstreams_schedule_api

API_ROUTERS = (
    web_exports.api,  # its …/<list>/export before the lists' …/{row_id}
    auth_api.router,
    governance_api.router,
    governance_meeting_api.router,
    governance_change_api.router,
    audit_api.router,
    attachments_api.router,
    admin_api.router,
    risks_api.router,
    workstreams_api.router,
    workstreams_schedule_api.router,
    stakeholders_api.router,
    calendar_api.router,
    reports_api.router,
    budget_api.router,
    budget_conditions_api.router,
    participants_setup_api.router,
    participants_monitoring_api.router,  # before participants/{participant_id}
    participants_api.router,
    projecttemplates_api.router,
    notifications_api.router,
    search_api.router,
    mywork_api.router,
)
