"""Sign-in through the municipality's identity provider: the way there and the way back.

Both handlers are sync: FastAPI runs them in its thread pool, so the calls to the provider (at
most 5 s each, app.auth.oidc.TIMEOUT) never hold up the event loop. They write in short
sessions of their own, none of them open while the provider is being asked."""

import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import oidc, service
from app.auth.client import SignInClient
from app.auth.views import SSO_COOKIE, login_page, safe_next, signed_in_response
from app.config import Settings
from app.deps import SESSION_COOKIE, SettingsDep, get_database
from app.errors import DomainError

log = logging.getLogger(__name__)
router = APIRouter()
# The browser that began a sign-in holds this secret until the provider sends it back.
ATTEMPT_COOKIE = "reformstyr_sso_attempt"


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


def _failed(request: Request, settings: Settings, error: oidc.SsoError) -> Response:
    """The sign-in page with a Danish explanation (and the password form, when it is on)."""
    log.warning("Single sign-on refused: %s", error.reason)
    response = login_page(
        request,
        settings,
        next_url="/",
        error=error.text(settings),
        status_code=error.status_code,
    )
    response.delete_cookie(ATTEMPT_COOKIE, path="/login/sso")
    return response


@router.get("/login/sso")
def oidc_start(
    request: Request, settings: SettingsDep, next: Annotated[str, Query(max_length=500)] = "/"
) -> Response:
    """Off to the identity provider, with a new sign-in's state, nonce and PKCE challenge."""
    if not settings.oidc_enabled:
        return _failed(
            request, settings, oidc.SsoError("not configured", oidc.NOT_ON, status_code=404)
        )
    try:
        with get_database(request).session(write=True) as session:
            url, browser = oidc.begin(
                session=session,
                settings=settings,
                next_url=safe_next(next),
                redirect_uri=_callback_url(request),
            )
    except oidc.SsoError as exc:
        return _failed(request, settings, exc)
    response = RedirectResponse(url, status_code=303)
    # SameSite=Lax: the provider's answer is a top-level navigation from its site.
    response.set_cookie(
        ATTEMPT_COOKIE,
        browser,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=oidc.SIGN_IN_MINUTES * 60,
        path="/login/sso",
    )
    return response


@router.get(oidc.CALLBACK_PATH)
def oidc_callback(
    request: Request,
    client: SignInClient,
    settings: SettingsDep,
    state: Annotated[str, Query(max_length=200)] = "",
    code: Annotated[str, Query(max_length=4000)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The provider's answer: the sign-in it belongs to (used once), the code exchanged for
    the ID token, the token checked, and a session for the account it names."""
    if not settings.oidc_enabled:
        return _failed(
            request, settings, oidc.SsoError("not configured", oidc.NOT_ON, status_code=404)
        )
    database = get_database(request)
    try:
        with database.session(write=True) as session:
            pending = oidc.take(
                session=session,
                state=state,
                browser_secret=request.cookies.get(ATTEMPT_COOKIE, ""),
            )
        if error:
            raise oidc.SsoError("the provider answered with an error", oidc.CANCELLED)
        identity = oidc.finish(
            settings=settings, pending=pending, code=code, redirect_uri=_callback_url(request)
        )
        with database.session(write=True) as session:
            signed_in = service.sign_in_with_provider(
                session=session,
                identity=identity,
                client=client,
                settings=settings,
                replaces=request.cookies.get(SESSION_COOKIE, ""),
            )
    except oidc.SsoError as exc:
        return _failed(request, settings, exc)
    except DomainError as exc:
        return _failed(
            request,
            settings,
            oidc.SsoError("no usable account", exc.message, status_code=exc.status_code),
        )
    response = signed_in_response(signed_in, next_url=pending.next_url, settings=settings)
    response.delete_cookie(ATTEMPT_COOKIE, path="/login/sso")
    response.set_cookie(
        SSO_COOKIE,
        "1",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_absolute_hours * 3600,
    )
    return response
