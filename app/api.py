"""The JSON API under /api: every domain's API router, in one place."""

from fastapi import APIRouter

from app.admin import api as admin_api
from app.audit import api as audit_api
from app.auth import api as auth_api
from app.budget import api as budget_api
from app.governance import api as governance_api
from app.participants import api as participants_api
from app.reports import api as reports_api
from app.reports import calendar_api
from app.risks import api as risks_api
from app.stakeholders import api as stakeholders_api
from app.workstreams import api as workstreams_api

api_router = APIRouter(prefix="/api")
api_router.include_router(auth_api.router)
api_router.include_router(governance_api.router)
api_router.include_router(audit_api.router)
api_router.include_router(admin_api.router)
api_router.include_router(risks_api.router)
api_router.include_router(workstreams_api.router)
api_router.include_router(stakeholders_api.router)
api_router.include_router(calendar_api.router)
api_router.include_router(reports_api.router)
api_router.include_router(budget_api.router)
api_router.include_router(participants_api.router)
