"""Single sign-on with the municipality's OpenID Connect provider (docs/sso.md): its discovery
document and signing keys (cached), the authorization request (code flow with PKCE, `state`
and `nonce`), the sign-ins under way (rows of `oidc_sign_in`, each used once), the code
exchange, the ID token's checks, and the provider's sign-out address.

Nothing the provider sends (its error texts, tokens, codes) goes into a page or a log line: a
refusal logs our own reason (`SsoError.reason`) and shows a fixed Danish message."""

import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from ipaddress import ip_address
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from sqlmodel import Session, col, delete

from app.auth.models import OidcSignIn
from app.auth.security import new_token, token_hash, tokens_equal
from app.auth.service import ProviderIdentity
from app.config import Settings
from app.db import utcnow

log = logging.getLogger(__name__)

CALLBACK_PATH = "/login/sso/callback"
# Every call to the provider gives up after this; the person gets a Danish page instead.
TIMEOUT = httpx.Timeout(5.0)
# The discovery document and the keys are fetched again after this (keys at once, once, when a
# token names a key we do not have: the provider has rotated its keys).
CACHE_SECONDS = 3600
SIGN_IN_MINUTES = 10
# How far our clock and the provider's may disagree (exp, iat).
CLOCK_SKEW_SECONDS = 120
# Asymmetric signatures only: never "none", never an HMAC keyed with the client secret.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]

PROVIDER_DOWN = (
    "{provider} svarer ikke lige nu eller svarede ikke som ventet, så du kan ikke logge ind "
    "den vej. Prøv igen om lidt."
)
REFUSED = "Log ind med {provider} blev afvist: svaret fra {provider} kunne ikke godkendes."
STALE = "Log ind-forsøget er udløbet eller allerede brugt. Prøv at logge ind igen."
CANCELLED = "Log ind med {provider} blev afbrudt. Prøv igen."
NOT_ON = "Log ind med fælles login er ikke slået til."


class SsoError(Exception):
    """A sign-in through the provider that cannot go on. `reason` (ours) is logged; `message`
    is the Danish text for the page."""

    def __init__(self, reason: str, message: str, *, status_code: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.status_code = status_code

    def text(self, settings: Settings) -> str:
        return self.message.format(provider=settings.oidc_name)


def _down(reason: str) -> SsoError:
    return SsoError(reason, PROVIDER_DOWN, status_code=502)


def _refused(reason: str) -> SsoError:
    return SsoError(reason, REFUSED, status_code=403)


@dataclass(frozen=True)
class ProviderMetadata:
    """What the discovery document says and we use."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None
    token_auth_methods: tuple[str, ...]


class _Cache:
    """Values fetched from the provider, per URL, for CACHE_SECONDS (per process: a cache, never
    the state of a sign-in)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any:
        with self._lock:
            found = self._items.get(key)
        return found[1] if found and found[0] > time.monotonic() else None

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + CACHE_SECONDS, value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_cache = _Cache()


def forget_cached() -> None:
    """Drop the cached discovery documents and keys (tests; a changed configuration)."""
    _cache.clear()


def _checked_url(value: object, what: str) -> str:
    """An https address, or http on loopback only (a provider started by the tests)."""
    if not isinstance(value, str) or not value:
        raise _down(f"discovery document lacks {what}")
    parts = urlsplit(value)
    host = parts.hostname or ""
    loopback = host == "localhost" or _is_loopback_address(host)
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise _down(f"discovery document: {what} is not an https address")
    return value


def _is_loopback_address(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _get_json(url: str, what: str) -> dict[str, Any]:
    try:
        answer = httpx.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise _down(f"{what}: no answer ({type(exc).__name__})") from None
    if answer.status_code != 200:
        raise _down(f"{what}: answered {answer.status_code}")
    try:
        body = answer.json()
    except ValueError:
        raise _down(f"{what}: not JSON") from None
    if not isinstance(body, dict):
        raise _down(f"{what}: not a JSON object")
    return body


def metadata(settings: Settings) -> ProviderMetadata:
    """The provider's discovery document (ISSUER/.well-known/openid-configuration), cached."""
    issuer = settings.oidc_issuer.rstrip("/")
    url = f"{issuer}/.well-known/openid-configuration"
    cached = _cache.get(url)
    if isinstance(cached, ProviderMetadata):
        return cached
    body = _get_json(url, "discovery document")
    # The document must be the configured issuer's own (OpenID Connect Discovery, 4.3).
    if not isinstance(body.get("issuer"), str) or body["issuer"].rstrip("/") != issuer:
        raise _down("discovery document names another issuer")
    end_session = body.get("end_session_endpoint")
    methods = body.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    found = ProviderMetadata(
        issuer=body["issuer"],
        authorization_endpoint=_checked_url(
            body.get("authorization_endpoint"), "authorization_endpoint"
        ),
        token_endpoint=_checked_url(body.get("token_endpoint"), "token_endpoint"),
        jwks_uri=_checked_url(body.get("jwks_uri"), "jwks_uri"),
        end_session_endpoint=(
            _checked_url(end_session, "end_session_endpoint") if end_session else None
        ),
        token_auth_methods=tuple(str(m) for m in methods if isinstance(m, str)),
    )
    _cache.put(url, found)
    return found


def _keys(jwks_uri: str, *, refresh: bool = False) -> KeySet:
    cached = None if refresh else _cache.get(jwks_uri)
    if isinstance(cached, KeySet):
        return cached
    body = _get_json(jwks_uri, "JWKS")
    try:
        keys = KeySet.import_key_set(body)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        raise _down("JWKS: not a key set") from None
    _cache.put(jwks_uri, keys)
    return keys


# The sign-ins under way


def begin(
    *, session: Session, settings: Settings, next_url: str, redirect_uri: str
) -> tuple[str, str]:
    """Start a sign-in: keep its state, nonce and PKCE verifier for SIGN_IN_MINUTES and return
    the provider's authorization address and the secret for the browser's cookie."""
    meta = metadata(settings)  # before anything is written: a provider that is down stops here
    now = utcnow()
    session.exec(delete(OidcSignIn).where(col(OidcSignIn.expires_at) <= now))
    state, nonce, verifier, browser = new_token(), new_token(), new_token(), new_token()
    session.add(
        OidcSignIn(
            id=token_hash(state),
            browser_hash=token_hash(browser),
            nonce=nonce,
            code_verifier=verifier,
            next_url=next_url,
            expires_at=now + timedelta(minutes=SIGN_IN_MINUTES),
        )
    )
    session.commit()
    url = add_params_to_uri(
        meta.authorization_endpoint,
        [
            ("response_type", "code"),
            ("client_id", settings.oidc_client_id),
            ("redirect_uri", redirect_uri),
            ("scope", settings.oidc_scopes),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", create_s256_code_challenge(verifier)),
            ("code_challenge_method", "S256"),
        ],
    )
    return url, browser


def take(*, session: Session, state: str, browser_secret: str) -> OidcSignIn:
    """The sign-in the provider's answer belongs to, removed so that it is used once; refused
    when unknown, used, expired or begun in another browser."""
    row = session.get(OidcSignIn, token_hash(state)) if state else None
    if row is None:
        raise SsoError("unknown or used state", STALE)
    session.delete(row)
    session.commit()
    if row.expires_at <= utcnow():
        raise SsoError("expired state", STALE)
    if not browser_secret or not tokens_equal(token_hash(browser_secret), row.browser_hash):
        raise SsoError("state from another browser", STALE)
    return row


def finish(
    *, settings: Settings, pending: OidcSignIn, code: str, redirect_uri: str
) -> ProviderIdentity:
    """Exchange the code for the ID token, check it, and say who signed in."""
    meta = metadata(settings)
    id_token = _exchange(
        settings=settings, meta=meta, code=code, redirect_uri=redirect_uri, pending=pending
    )
    claims = verify_id_token(settings=settings, meta=meta, id_token=id_token, nonce=pending.nonce)
    return identity_of(settings=settings, meta=meta, claims=claims)


def _exchange(
    *,
    settings: Settings,
    meta: ProviderMetadata,
    code: str,
    redirect_uri: str,
    pending: OidcSignIn,
) -> str:
    if not code:
        raise SsoError("no code in the answer", STALE)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": pending.code_verifier,
        "client_id": settings.oidc_client_id,
    }
    secret = settings.oidc_client_secret.get_secret_value()
    auth: tuple[str, str] | None = None
    if secret and "client_secret_basic" in meta.token_auth_methods:
        # RFC 6749, 2.3.1: both are form-encoded before they go into the Basic header.
        auth = (quote(settings.oidc_client_id, safe=""), quote(secret, safe=""))
    elif secret:
        data["client_secret"] = secret
    try:
        answer = httpx.post(
            meta.token_endpoint,
            data=data,
            auth=auth,
            timeout=TIMEOUT,
            headers={"Accept": "application/json"},
        )
    except httpx.HTTPError as exc:
        raise _down(f"token endpoint: no answer ({type(exc).__name__})") from None
    if answer.status_code != 200:
        raise _down(f"token endpoint: answered {answer.status_code}")
    try:
        body = answer.json()
    except ValueError:
        raise _down("token endpoint: not JSON") from None
    token = body.get("id_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise _down("token endpoint: no ID token")
    return token


def verify_id_token(
    *, settings: Settings, meta: ProviderMetadata, id_token: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims, once its signature (against the provider's keys, fetched again
    once for a key we do not know), issuer, audience, expiry, issue time and nonce hold."""
    try:
        try:
            decoded = jwt.decode(id_token, _keys(meta.jwks_uri), algorithms=ALGORITHMS)
        except InvalidKeyIdError:
            decoded = jwt.decode(
                id_token, _keys(meta.jwks_uri, refresh=True), algorithms=ALGORITHMS
            )
    except JoseError as exc:
        raise _refused(f"ID token: {exc.error}") from None
    except (ValueError, TypeError):
        raise _refused("ID token: not a signed JWT") from None
    claims = decoded.claims
    now = time.time()
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if claims.get("iss") != meta.issuer:
        raise _refused("ID token: wrong issuer")
    if not isinstance(audiences, list) or settings.oidc_client_id not in audiences:
        raise _refused("ID token: wrong audience")
    if len(audiences) > 1 and claims.get("azp") != settings.oidc_client_id:
        raise _refused("ID token: several audiences and another authorized party")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or now > exp + CLOCK_SKEW_SECONDS:
        raise _refused("ID token: expired")
    if not isinstance(iat, int | float) or iat > now + CLOCK_SKEW_SECONDS:
        raise _refused("ID token: issued in the future")
    sent = claims.get("nonce")
    if not isinstance(sent, str) or not secrets.compare_digest(sent, nonce):
        raise _refused("ID token: wrong nonce")
    return claims


def identity_of(
    *, settings: Settings, meta: ProviderMetadata, claims: dict[str, Any]
) -> ProviderIdentity:
    """Who signed in: the configured user claim's value, and names for a new account."""
    claim = settings.oidc_user_claim
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        raise _refused(f"ID token lacks the user claim {claim!r}")
    email = claims.get("email") if claims.get("email_verified") is not False else ""
    if claim == "email" and not email:
        raise _refused("ID token: the e-mail address is not verified")
    name = claims.get("name") or " ".join(
        str(claims[part]) for part in ("given_name", "family_name") if claims.get(part)
    )
    username = claims.get("preferred_username") or email or value
    return ProviderIdentity(
        issuer=meta.issuer,
        subject=value.strip(),
        username=str(username),
        full_name=str(name),
        email=str(email or ""),
        match_existing=claim != "sub",
    )


def end_session_url(settings: Settings, *, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser to end the provider's session too (RP-initiated logout), when
    the provider offers it; None when it does not, or does not answer."""
    try:
        meta = metadata(settings)
    except SsoError as exc:
        log.warning("Single sign-on: provider sign-out skipped: %s", exc.reason)
        return None
    if not meta.end_session_endpoint:
        return None
    return add_params_to_uri(
        meta.end_session_endpoint,
        [
            ("client_id", settings.oidc_client_id),
            ("post_logout_redirect_uri", post_logout_redirect_uri),
        ],
    )


class _RedactCallback(logging.Filter):
    """The access log names the callback's path without its query: it carries the code."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        path = args[2] if isinstance(args, tuple) and len(args) >= 3 else None
        if isinstance(args, tuple) and isinstance(path, str) and path.startswith(CALLBACK_PATH):
            record.args = (*args[:2], CALLBACK_PATH, *args[3:])
        return True


def redact_access_log() -> None:
    """Keep the provider's code (the callback's query) out of uvicorn's access log."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactCallback) for f in access.filters):
        access.addFilter(_RedactCallback())
