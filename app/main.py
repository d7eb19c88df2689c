"""The application: settings, database, middleware, pages and the API put together."""

import ctypes
import gc
import logging
from pathlib import Path
from typing import Any

import plotly
from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from app.admin import views as admin_views
from app.api import API_ROUTERS
from app.attachments import views as attachments_views
from app.audit import views as audit_views
from app.auth import oidc, oidc_views
from app.auth import views as auth_views
from app.budget import conditions_views as budget_conditions_views
from app.budget import views as budget_views
from app.config import ROOT, Settings, get_settings
from app.db import Database
from app.deps import CurrentUser
from app.governance import body_views as governance_body_views
from app.governance import change_views as governance_change_views
from app.governance import decision_views as governance_decision_views
from app.governance import meeting_views as governance_meeting_views
from app.governance import people_views as governance_people_views
from app.governance import views as governance_views
from app.mywork import views as mywork_views
from app.notifications import views as notifications_views
from app.participants import monitoring_views as participants_monitoring_views
from app.participants import setup_views as participants_setup_views
from app.participants import views as participants_views
from app.projecttemplates import views as projecttemplates_views
from app.reports import calendar_views
from app.reports import views as reports_views
from app.risks import views as risks_views
from app.search import views as search_views
from app.stakeholders import views as stakeholders_views
from app.web import errors
from app.web import exports as web_exports
from app.web import openapi as api_description
from app.web.compression import Compression
from app.web.headers import SecurityHeaders
from app.web.routing import RouteIndex
from app.workstreams import milestone_views as workstreams_milestone_views
from app.workstreams import task_views as workstreams_task_views
from app.workstreams import views as workstreams_views

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


M_ARENA_MAX = -8  # glibc's mallopt parameter number


def _limit_malloc_arenas() -> None:
    """glibc gives threads their own malloc arenas (up to 8 per core); with the thread pool's
    threads, freed memory stays spread over many arenas and the server's RSS creeps up under
    load. Two arenas keep it flat (bench/README.md: 234 → 256 MB still rising after 4 minutes,
    against 182 → 204 MB and level)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc: nothing to tune
    libc.mallopt(M_ARENA_MAX, 2)


def serve_app() -> FastAPI:
    """The app as `reformstyr serve` runs it in each worker process: built, then the start-up
    heap (modules, routes, templates: ~all of the process's objects) frozen out of the garbage
    collector's sight. Full collections otherwise walk it again and again under load — 150–235 ms
    each on the largest pages (bench/README.md, fourth round)."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for the given settings (tests pass their own database URL)."""
    settings = settings or get_settings()
    logging.basicConfig(level=logging.INFO)
    oidc.redact_access_log()
    _limit_malloc_arenas()
    app = FastAPI(
        title="Reformstyr API",
        description="Styring af implementeringen af en national reform i en kommune.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.db = Database(settings.database_url)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Compression)  # outermost: it sees the answer as it leaves
    errors.install(app)

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        """Plotly's JavaScript, served from the installed plotly package (no CDN)."""
        return FileResponse(
            PLOTLY_JS,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    # Mounted after the Plotly route, which it would otherwise shadow.
    app.mount("/static", StaticFiles(directory=ROOT / "app" / "static"), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        """Browsers ask for /favicon.ico whatever the page links: send them the SVG icon."""
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/healthz", tags=["drift"])
    def healthz() -> JSONResponse:
        """Whether the server and its database answer (200, or 503 when the database does not)."""
        try:
            with app.state.db.session() as session:
                session.exec(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "fejl", "database": "svarer ikke"}, status_code=503)
        return JSONResponse({"status": "ok"})

    page_routers = [
        module.router
        for module in (
            web_exports,  # its /projects/{id}/<list>.xlsx before pages with a {id} at that place
            auth_views,
            oidc_views,
            projecttemplates_views,  # its /projects/new/from-template before any {id}
            governance_views,
            governance_people_views,
            governance_body_views,
            governance_change_views,
            governance_meeting_views,
            governance_decision_views,
            audit_views,
            attachments_views,
            admin_views,
            notifications_views,
            risks_views,
            stakeholders_views,
            calendar_views,
            workstreams_views,
            workstreams_task_views,
            workstreams_milestone_views,
            budget_views,
            budget_conditions_views,
            participants_monitoring_views,
            participants_setup_views,
            participants_views,  # after the others: its /participants/{participant_id}
            reports_views,
            search_views,
            mywork_views,
        )
    ]
    # The routes are added as one flat list, in the order include_router would match them:
    # FastAPI 0.165's include_router keeps a tree of included routers and walks every branch
    # with its own bookkeeping on each request (~0.4 ms, bench/README.md). Our routers are
    # included without options, so the routes are the same; the one thing include_router adds
    # that this does not is `app.dependency_overrides` (tests build the app with their own
    # settings instead).
    for router in (*API_ROUTERS, *page_routers):
        app.router.routes.extend(router.routes)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_user: CurrentUser) -> dict[str, Any]:
        """The API description, for signed-in users and scripts only."""
        return api_description.describe(app)

    app.router.routes.insert(0, RouteIndex(list(app.router.routes)))
    return app
