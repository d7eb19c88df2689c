"""A small OpenID Connect provider of the tests' own on loopback, for the answers a real one
does not give on request: ID tokens the test signs itself (tampered, expired, for another
client, with another nonce, with a rotated key), and a provider that answers garbage.

It serves a discovery document, the JWKS and a token endpoint over real HTTP, so the code under
test (app.auth.oidc) fetches and verifies exactly as it would against Entra ID. For a browser,
its authorization endpoint asks nothing: it sends the browser straight back to the
redirect_uri with a new code and the state it received, and remembers the request's nonce for
that code; its end-session endpoint sends the browser on to the post_logout_redirect_uri."""

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "reformstyr"
CLIENT_SECRET = "klient-hemmelighed"
# What the garbage provider says: it must reach neither the page nor the log.
PROVIDER_ERROR_TEXT = "internal failure: stack trace with secret-provider-detail-4711"


def new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})


@dataclass
class FakeProvider:
    """The provider's state: its keys (the JWKS), the next ID token the token endpoint gives,
    the requests it received, and how it misbehaves (`mode`)."""

    url: str = ""
    keys: list[RSAKey] = field(default_factory=lambda: [new_key("k1")])
    next_token: str | None = None  # a token given as is (tampered ones)
    # The ID token for a code the authorization endpoint gave, from its request's nonce (when
    # next_token is None); an honest token for the default claims unless the test says.
    token_for: Callable[[str], str] | None = None
    # The state the authorization endpoint sends back instead of the one it received (an
    # answer forged on its way): a browser's route cannot alter a redirect's target.
    state_back: str | None = None
    mode: str = "ok"  # "ok", "garbage" (every answer HTML and 500), "token-error"
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)  # the ID tokens given, in order
    fetches: dict[str, int] = field(default_factory=dict)
    _nonces: dict[str, str] = field(default_factory=dict)  # code → its request's nonce
    _codes: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def issuer(self) -> str:
        return self.url

    def claims(self, expected_nonce: str, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "sub-4711",
            "exp": now + 300,
            "iat": now,
            "nonce": expected_nonce,
            "name": "Jens Hansen",
            "email": "jens.hansen@svendborg.dk",
            "preferred_username": "jens.hansen@svendborg.dk",
        } | overrides

    def sign(self, claims: dict[str, Any], key: RSAKey | None = None) -> str:
        key = key or self.keys[0]
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def _authorize(self, query: dict[str, str]) -> str:
        """The address the browser is sent back to: redirect_uri with a code and the state."""
        self.authorize_requests.append(query)
        code = f"kode-{next(self._codes)}"
        self._nonces[code] = query.get("nonce", "")
        state = self.state_back if self.state_back is not None else query.get("state")
        back = {"code": code} | ({"state": state} if state is not None else {})
        return f"{query['redirect_uri']}?{urlencode(back)}"

    def _id_token(self, code: str) -> str | None:
        if self.next_token is not None or code not in self._nonces:
            return self.next_token
        nonce = self._nonces.pop(code)
        token = self.token_for(nonce) if self.token_for else self.sign(self.claims(nonce))
        self.issued.append(token)
        return token

    def _discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "end_session_endpoint": f"{self.url}/logout",
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }


def _handler(provider: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _garbage(self) -> None:
            self._send(500, f"<html><body>{PROVIDER_ERROR_TEXT}</body></html>", "text/html")

        def do_GET(self) -> None:  # noqa: N802
            path, _, raw_query = self.path.partition("?")
            query = {k: v[0] for k, v in parse_qs(raw_query).items()}
            provider.fetches[path] = provider.fetches.get(path, 0) + 1
            if provider.mode == "garbage":
                return self._garbage()
            if path == "/.well-known/openid-configuration":
                return self._send(200, provider._discovery())
            if path == "/jwks":
                public = KeySet(list(provider.keys)).as_dict(private=False)
                return self._send(200, public)
            if path == "/authorize" and "redirect_uri" in query:
                return self._redirect(provider._authorize(query))
            if path == "/logout" and "post_logout_redirect_uri" in query:
                return self._redirect(query["post_logout_redirect_uri"])
            return self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            provider.token_requests.append(
                {"form": form, "authorization": self.headers.get("Authorization", "")}
            )
            if provider.mode in ("garbage", "token-error"):
                return self._garbage()
            token = provider._id_token(form.get("code", ""))
            return self._send(
                200, {"access_token": "at", "token_type": "Bearer", "id_token": token}
            )

    return Handler


@contextmanager
def running_fake_provider() -> Iterator[FakeProvider]:
    provider = FakeProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
