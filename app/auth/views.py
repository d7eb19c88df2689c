"""Sign-in and sign-out, and the "Min konto" page: who you are, your sessions and API tokens."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import service
from app.auth.client import SignInClient, set_device_cookie
from app.auth.security import new_token, tokens_equal
from app.deps import SESSION_COOKIE, CurrentAuth, SessionDep, SettingsDep
from app.errors import DomainError
from app.web.templating import render

router = APIRouter()
LOGIN_CSRF_COOKIE = "reformstyr_login_csrf"
KIND_LABELS = {"browser": "Browser", "api": "API-nøgle"}
# The confirmation after a revoke, by kind (the redirect names the kind: `/account?revoked=api`).
REVOKED = {
    "browser": "Browsersessionen er tilbagekaldt: browseren er logget ud.",
    "api": "API-nøglen er tilbagekaldt og virker ikke længere.",
}


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect to another site would help phishing."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _login_page(
    request: Request,
    *,
    next_url: str,
    username: str = "",
    error: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    secure: bool = False,
) -> Response:
    token = new_token()
    response = render(
        request,
        "auth/login.html",
        {"login_csrf": token, "next_url": next_url, "username": username, "error": error},
        status_code=status_code,
        headers=headers,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, max_age=3600
    )
    return response


@router.get("/login")
def login_form(request: Request, settings: SettingsDep, next: str = "/") -> Response:
    return _login_page(request, next_url=_safe_next(next), secure=settings.secure_cookies)


@router.post("/login")
def login(
    request: Request,
    client: SignInClient,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    if not tokens_equal(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return _login_page(
            request,
            next_url=_safe_next(next),
            username=username,
            error="Siden var udløbet. Prøv igen.",
            status_code=403,
            secure=settings.secure_cookies,
        )
    try:
        # A new session id at every sign-in: a session fixed before sign-in is never reused.
        signed_in = service.sign_in(
            session=session,
            username=username,
            password=password,
            kind="browser",
            client=client,
            settings=settings,
            replaces=request.cookies.get(SESSION_COOKIE, ""),
        )
    except DomainError as exc:
        return _login_page(
            request,
            next_url=_safe_next(next),
            username=username,
            error=exc.message,
            status_code=exc.status_code,
            headers=exc.headers,
            secure=settings.secure_cookies,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_absolute_hours * 3600,
    )
    set_device_cookie(response, signed_in.device_token, settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _signed_out() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/logout")
def logout(found: CurrentAuth, session: SessionDep) -> Response:
    service.end_session(session=session, user=found.user, session_id=found.user_session.id)
    return _signed_out()


@router.get("/account")
def account(
    request: Request,
    found: CurrentAuth,
    session: SessionDep,
    settings: SettingsDep,
    revoked: str = "",
) -> Response:
    """Who the user is, and their sessions and API tokens, each with a button to revoke it;
    after a revoke, its confirmation."""
    return render(
        request,
        "auth/account.html",
        {
            "sessions": service.live_sessions(session=session, user=found.user, settings=settings),
            "current_id": found.user_session.id,
            "kind_labels": KIND_LABELS,
            "confirmation": REVOKED.get(revoked, ""),
        },
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: str, found: CurrentAuth, session: SessionDep) -> Response:
    """Revoking the browser session in use signs out."""
    revoked = service.revoke_session(session=session, user=found.user, ref=token_id)
    if revoked.id == found.user_session.id:
        return _signed_out()
    return RedirectResponse(f"/account?revoked={revoked.kind}", status_code=303)
