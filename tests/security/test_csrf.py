"""CSRF: every state-changing route, called from a signed-in browser session without the
session's CSRF token (or with a wrong one), is refused with 403 and changes nothing.

The routes come from the app; each call carries a body that would otherwise be accepted (the
route's declared example or its page's own form), from the administrator, who may call every
route, so the token is the only thing missing.
"""

import pytest

from tests.security.calls import login_token, prepare
from tests.security.inventory import Endpoint, application_endpoints
from tests.security.stage import Stage

ALL = application_endpoints()

# Routes that a browser session cannot reach, and why.
EXEMPT = {
    "POST /api/token": "no session yet: the credentials are the request",
    "POST /login": "no session yet: the sign-in form has its own double-submit token (tested "
    "below)",
}
WRITES = sorted((e for e in ALL if e.writes and e.key not in EXEMPT), key=lambda e: e.key)


def test_every_state_changing_route_is_covered():
    assert WRITES, "no state-changing routes found"
    assert all(key in {e.key for e in ALL} for key in EXEMPT)


@pytest.mark.parametrize("endpoint", WRITES, ids=[e.key for e in WRITES])
def test_a_write_without_the_csrf_token_is_refused(stage: Stage, endpoint: Endpoint):
    call = prepare(stage, endpoint)
    client = stage.browsers["admin"]
    before = stage.fingerprint()
    attempts = {
        "no token": {},
        "wrong token": {"X-CSRF-Token": "forkert-" + stage.csrf["admin"][8:]},
        "token of another session": {"X-CSRF-Token": stage.csrf["leader"]},
    }
    problems = []
    for label, headers in attempts.items():
        # The browser session's cookie only, as a forged cross-site request would carry it.
        answer = client.request(
            endpoint.method,
            call.url,
            json=call.json,
            data=call.data,
            files=call.files,
            headers=headers,
        )
        if answer.status_code != 403:
            problems.append(f"{label}: {answer.status_code} {answer.text[:200]!r}")
    if call.data is not None and call.json is None:
        data = dict(call.data) | {"csrf_token": "forkert"}
        answer = client.request(endpoint.method, call.url, data=data, files=call.files)
        if answer.status_code != 403:
            problems.append(f"wrong form field: {answer.status_code}")
    assert not problems, f"{endpoint.key} ({call.url}):\n" + "\n".join(problems)
    assert stage.fingerprint() == before, f"{endpoint.key}: a refused request changed data"


def test_the_sign_in_form_needs_its_own_token(stage: Stage):
    client = stage.sign_in("anonymous")
    before = stage.fingerprint()
    form = {"username": "projektleder", "password": "demo"}
    assert client.post("/login", data=form).status_code == 403
    assert client.post("/login", data=form | {"csrf_token": "forkert"}).status_code == 403
    assert "reformstyr_session" not in client.cookies
    assert stage.fingerprint() == before
    answer = client.post("/login", data=form | {"csrf_token": login_token(client)})
    assert answer.status_code == 303 and "reformstyr_session" in client.cookies


def test_a_bearer_token_needs_no_csrf_token_but_a_cookie_does(stage: Stage):
    url = f"/api/projects/{stage.fillers['project']}/people"
    body = {"name": "Via script"}
    assert stage.browsers["leader"].post(url, json=body).status_code == 403
    assert stage.api.post(url, json=body, headers=stage.bearer["leader"]).status_code == 201
    answer = stage.browsers["leader"].post(
        url, json={"name": "Via browser"}, headers={"X-CSRF-Token": stage.csrf["leader"]}
    )
    assert answer.status_code == 201
