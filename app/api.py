"""The JSON API under /api: every domain's API router, in one place."""

from fastapi import APIRouter

from app.admin import api as admin_api
from app.audit import api as audit_api
from app.auth import api as auth_api
from app.governance import api as governance_api

api_router = APIRouter(prefix="/api")
api_router.include_router(auth_api.router)
api_router.include_router(governance_api.router)
api_router.include_router(audit_api.router)
api_router.include_router(admin_api.router)
