"""The pages' additions to the Jinja2 environment (app/jinja.py), and the one `render` helper."""

from contextvars import ContextVar
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app import clock, danish
from app.jinja import env
from app.web.static import static_url

templates = Jinja2Templates(env=env)


# A write without htmx redirects; the page it lands on shows its message (app/web/forms.done).
FLASH_COOKIE = "reformstyr_flash"


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


_csrf_token: ContextVar[str] = ContextVar("csrf_token", default="")


def _current_csrf_token() -> str:
    """The CSRF token of the page being rendered (macros imported without context can call it)."""
    return _csrf_token.get()


env.globals["current_csrf_token"] = _current_csrf_token
env.globals["static_url"] = static_url


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page or partial with the signed-in user and CSRF token available to it."""
    flash = request.cookies.get(FLASH_COOKIE) if not is_htmx(request) else None
    values = {
        "user": getattr(request.state, "user", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "flash": unquote(flash or ""),
    }
    values.update(context or {})
    reset = _csrf_token.set(str(values["csrf_token"] or ""))
    try:
        response = templates.TemplateResponse(
            request, name, values, status_code=status_code, headers=headers
        )
    finally:
        _csrf_token.reset(reset)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def _now_label() -> str:
    """The day a page is printed, as the application sees it (the demo's day in the demo)."""
    day = clock.today()
    return f"{danish.format_date(day)} ({danish.format_week(day)})"


env.globals["now_label"] = _now_label
