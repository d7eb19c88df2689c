"""Security headers on every response of every GET route (pages, fragments, API, files, errors),
pages without inline script (the CSP forbids it), and an API description only for the signed-in.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.web import headers as security_headers
from app.web.headers import CSP
from tests.security.calls import prepare
from tests.security.inventory import Endpoint, application_endpoints
from tests.security.stage import Stage

READS = sorted((e for e in application_endpoints() if e.method == "GET"), key=lambda e: e.key)


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_the_policy_allows_no_inline_or_foreign_script():
    policy = _directives(CSP)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    # The one exception, documented in app/web/headers.py: Plotly's inline styles.
    assert "'unsafe-inline'" in policy["style-src"]
    assert "Plotly" in Path(security_headers.__file__).read_text(encoding="utf-8")


def _assert_safe_headers(answer, *, where: str, signed_in: bool) -> None:
    headers = answer.headers
    assert headers.get("content-security-policy") == CSP, where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") in (
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    ), where
    assert headers.get("x-frame-options") == "DENY", where
    if signed_in:
        # The one exception (app/web/caching.py): an answer that can never change, with a
        # strong ETag, is kept by the user's own browser only and asked for again each time.
        cache_control = headers.get("cache-control", "")
        revalidated = headers.get("etag", "").startswith('"')
        kept_privately = revalidated and cache_control == "private, no-cache"
        assert "no-store" in cache_control or kept_privately, f"{where}: may be cached"


@pytest.mark.parametrize("endpoint", READS, ids=[e.key for e in READS])
def test_every_read_carries_the_security_headers(stage: Stage, endpoint: Endpoint):
    call = prepare(stage, endpoint)
    signed_in = stage.call("admin", endpoint, call.url)
    assert signed_in.status_code < 500, f"{call.url}: {signed_in.status_code}"
    static = endpoint.path.startswith("/static/")
    _assert_safe_headers(signed_in, where=f"{call.url} (signed in)", signed_in=not static)
    anonymous = stage.call("anonymous", endpoint, call.url)
    _assert_safe_headers(anonymous, where=f"{call.url} (anonymous)", signed_in=False)


def test_static_files_and_error_answers_carry_the_headers_too(stage: Stage):
    for url in ("/static/css/app.css", "/static/js/app.js", "/findes/ikke", "/api/findes/ikke"):
        answer = stage.browsers["leader"].get(url)
        _assert_safe_headers(answer, where=url, signed_in=not url.startswith("/static/"))
    broken = stage.browsers["leader"].post(
        "/projects/999999/risks", headers={"X-CSRF-Token": stage.csrf["leader"]}
    )
    _assert_safe_headers(broken, where="404 of a write", signed_in=True)


def test_an_unexpected_error_carries_the_headers_too(app):
    """Starlette answers an unhandled error outside every middleware: the handler adds them."""

    def crash() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/api/crash", crash)
    app.add_api_route("/crash", crash)
    with TestClient(app, raise_server_exceptions=False) as client:
        for url in ("/api/crash", "/crash"):
            answer = client.get(url)
            assert answer.status_code == 500, url
            assert "uventet fejl" in answer.text
            _assert_safe_headers(answer, where=f"500 on {url}", signed_in=True)


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.handlers += [f"<{tag} {k}>" for k in a if k.lower().startswith("on")]
        self.handlers += [
            f"<{tag} {k}=javascript:>"
            for k, v in a.items()
            if v and v.strip().lower().startswith("javascript:")
        ]
        if tag == "script":
            self._open = a

    def handle_data(self, data):
        if (
            self._open is not None
            and data.strip()
            and "src" not in self._open
            and self._open.get("type") != "application/json"
        ):
            self.inline.append(data.strip()[:80])

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def test_no_page_relies_on_inline_script(stage: Stage):
    """The CSP would block inline script and event handler attributes: pages must have none."""
    problems = []
    for endpoint in READS:
        if endpoint.is_api or endpoint.path.startswith("/static") or "{token}" in endpoint.path:
            continue
        url = prepare(stage, endpoint).url
        answer = stage.browsers["admin"].get(url)
        if "html" not in answer.headers.get("content-type", ""):
            continue
        parser = _Scripts()
        parser.feed(answer.text)
        problems += [f"{url}: inline script {s!r}" for s in parser.inline]
        problems += [f"{url}: {h}" for h in parser.handlers]
    assert not problems, "\n".join(problems)


def test_the_api_description_is_for_signed_in_callers_only(stage: Stage):
    anonymous = stage.sign_in("anonymous")
    assert (
        anonymous.get("/openapi.json").status_code == 303
        or anonymous.get("/openapi.json").status_code == 401
    )
    assert stage.api.get("/openapi.json").status_code == 401
    for docs in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert anonymous.get(docs).status_code == 404
        assert stage.browsers["leader"].get(docs).status_code == 404
    spec = stage.api.get("/openapi.json", headers=stage.bearer["directorate"])
    assert spec.status_code == 200 and "/api/me" in spec.json()["paths"]
    assert re.search(r"no-store", spec.headers["cache-control"])
