"""Sign-in and sign-out, and the "Min konto" page: who you are, your sessions and API tokens."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import oidc, service
from app.auth.client import SignInClient, set_device_cookie
from app.auth.schemas import PersonalTokenCreate
from app.auth.security import new_token, tokens_equal
from app.config import Settings
from app.deps import SESSION_COOKIE, CurrentAuth, SessionDep, SettingsDep
from app.errors import DomainError
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import render

router = APIRouter()
LOGIN_CSRF_COOKIE = "reformstyr_login_csrf"
# Set when the browser's session was opened through the identity provider: sign-out then ends
# the provider's session too.
SSO_COOKIE = "reformstyr_sso"
KIND_LABELS = {"browser": "Browser", "api": "API-nøgle", "personal": "Personlig adgangsnøgle"}
# The confirmation after a revoke, by kind (the redirect names the kind: `/account?revoked=api`).
REVOKED = {
    "browser": "Browsersessionen er tilbagekaldt: browseren er logget ud.",
    "api": "API-nøglen er tilbagekaldt og virker ikke længere.",
    "personal": "Adgangsnøglen er tilbagekaldt og virker ikke længere.",
}


def safe_next(target: str | None) -> str:
    """Only local paths: an open redirect to another site would help phishing."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def login_page(
    request: Request,
    settings: Settings,
    *,
    next_url: str,
    username: str = "",
    error: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    local: bool = False,
) -> Response:
    """The sign-in page: "Log ind med <provider>" when single sign-on is on, and the password
    form unless local passwords are off (then only at /login?local=1, for the break-glass
    administrator)."""
    token = new_token()
    response = render(
        request,
        "auth/login.html",
        {
            "login_csrf": token,
            "next_url": next_url,
            "username": username,
            "error": error,
            "sso_name": settings.oidc_name if settings.oidc_enabled else "",
            "password_form": settings.local_passwords or local or not settings.oidc_enabled,
        },
        status_code=status_code,
        headers=headers,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        max_age=3600,
    )
    return response


@router.get("/login")
def login_form(
    request: Request, settings: SettingsDep, next: str = "/", local: bool = False
) -> Response:
    return login_page(request, settings, next_url=safe_next(next), local=local)


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
        return login_page(
            request,
            settings,
            next_url=safe_next(next),
            username=username,
            error="Siden var udløbet. Prøv igen.",
            status_code=403,
            local=True,
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
        return login_page(
            request,
            settings,
            next_url=safe_next(next),
            username=username,
            error=exc.message,
            status_code=exc.status_code,
            headers=exc.headers,
            local=True,
        )
    return signed_in_response(signed_in, next_url=safe_next(next), settings=settings)


def signed_in_response(
    signed_in: service.SignedIn, *, next_url: str, settings: Settings
) -> RedirectResponse:
    """To the page the person came for, with the new session's cookie and the device cookie."""
    response = RedirectResponse(next_url, status_code=303)
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
    response.delete_cookie(SSO_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request, found: CurrentAuth, session: SessionDep, settings: SettingsDep
) -> Response:
    """Ends our session. A session opened through the identity provider then goes on to the
    provider's sign-out, when it offers one, and from there back to our sign-in page: through
    a page of ours, since the pages' policy (form-action 'self') lets a form's answer redirect
    only within the site."""
    service.end_session(session=session, user=found.user, session_id=found.user_session.id)
    provider_sign_out = None
    if settings.oidc_enabled and request.cookies.get(SSO_COOKIE):
        back = str(request.url_for("login_form"))
        provider_sign_out = oidc.end_session_url(settings, post_logout_redirect_uri=back)
    if provider_sign_out is None:
        return _signed_out()
    response = render(
        request,
        "auth/signed_out.html",
        {"user": None, "csrf_token": "", "url": provider_sign_out, "provider": settings.oidc_name},
    )
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(SSO_COOKIE)
    return response


def _account_page(
    request: Request,
    found: CurrentAuth,
    session: SessionDep,
    settings: SettingsDep,
    status_code: int = 200,
    **context: object,
) -> Response:
    return render(
        request,
        "auth/account.html",
        {
            "sessions": service.live_sessions(session=session, user=found.user, settings=settings),
            "current_id": found.user_session.id,
            "kind_labels": KIND_LABELS,
            "values": {},
            "errors": {},
        }
        | context,
        status_code=status_code,
    )


@router.get("/account")
def account(
    request: Request,
    found: CurrentAuth,
    session: SessionDep,
    settings: SettingsDep,
    revoked: str = "",
) -> Response:
    """Who the user is, and their sessions and tokens, each with a button to revoke it; a form
    for a new personal access token; after a revoke, its confirmation."""
    confirmation = REVOKED.get(revoked, "")
    return _account_page(request, found, session, settings, confirmation=confirmation)


@router.post("/account/tokens")
def create_personal_token(
    request: Request, form: FormDep, found: CurrentAuth, session: SessionDep, settings: SettingsDep
) -> Response:
    """A new personal access token: the page shows its secret this once (pages are never
    cached, app.web.headers), or the form again with what is wrong."""
    with forms.attempt(session) as outcome:
        data = forms.read(PersonalTokenCreate, form)
        token, row = service.create_personal_token(
            session=session, user=found.user, data=data, made_with=found.user_session
        )
    if outcome.failed:
        context = outcome.context(form)
        return _account_page(
            request, found, session, settings, status_code=outcome.status_code, **context
        )
    return _account_page(request, found, session, settings, new_token=token, new_row=row)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: str, found: CurrentAuth, session: SessionDep) -> Response:
    """Revoking the browser session in use signs out."""
    revoked = service.revoke_session(session=session, user=found.user, ref=token_id)
    if revoked.id == found.user_session.id:
        return _signed_out()
    return RedirectResponse(f"/account?revoked={revoked.kind}", status_code=303)
