"""Sign-in throttling over HTTP: growing waits per account and per client address, never a lock
for the owner's known browser, the same on the sign-in page and on POST /api/token."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import select

from app.auth.client import DEVICE_COOKIE
from app.auth.models import LoginFailure
from app.deps import SESSION_COOKIE
from tests.factories import PASSWORD, login

STRANGER = "203.0.113.66"


@contextmanager
def client_at(app, address: str) -> Iterator[TestClient]:
    """A client whose requests come from this address."""
    with TestClient(app, client=(address, 50000), follow_redirects=False) as client:
        yield client


def _form_sign_in(client: TestClient, username: str, password: str):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
    )


def _age_failures(session, seconds: int) -> None:
    """Move every failed sign-in back in time (instead of waiting)."""
    session.commit()
    for failure in session.exec(select(LoginFailure)).all():
        failure.at -= timedelta(seconds=seconds)
    session.commit()


def test_the_owner_signs_in_from_a_known_browser_while_an_attacker_hammers_the_account(app, world):
    with client_at(app, "198.51.100.10") as owner, client_at(app, STRANGER) as attacker:
        login(owner, "leader")
        answers = [_form_sign_in(attacker, "leader", f"gæt-{n}").status_code for n in range(12)]
        assert answers[:5] == [422] * 5 and set(answers[5:]) == {429}
        # The attacker's browser is unknown: the right password waits too.
        assert _form_sign_in(attacker, "leader", PASSWORD).status_code == 429
        signed_in = _form_sign_in(owner, "leader", PASSWORD)
        assert signed_in.status_code == 303, signed_in.text
        assert owner.get("/", follow_redirects=False).status_code == 200


def test_the_sign_in_page_tells_the_wait_in_danish(app, world):
    with client_at(app, STRANGER) as stranger:
        for _ in range(5):
            _form_sign_in(stranger, "leader", "forkert")
        page = _form_sign_in(stranger, "leader", "forkert")
    assert page.status_code == 429
    assert page.headers["retry-after"] == "2"
    assert "Vent 2 sekunder, og prøv igen" in page.text
    assert SESSION_COOKIE not in stranger.cookies


def test_a_strangers_address_gets_growing_waits_with_retry_after(app, world, session):
    with client_at(app, STRANGER) as stranger:

        def attempt():
            return stranger.post("/api/token", data={"username": "leader", "password": "nej"})

        assert [attempt().status_code for _ in range(5)] == [422] * 5
        waits = []
        for _ in range(3):
            refused = attempt()
            assert refused.status_code == 429
            waits.append(int(refused.headers["retry-after"]))
            assert f"Vent {waits[-1]} sekunder, og prøv igen" in refused.json()["detail"]
            _age_failures(session, waits[-1])
            assert attempt().status_code == 422  # the wait is over: the next guess is heard
    assert waits == [2, 4, 8]


def test_guesses_spread_over_many_accounts_from_one_address_are_slowed(app, world):
    with client_at(app, STRANGER) as stranger:
        for n in range(20):
            answer = stranger.post("/api/token", data={"username": f"bruger{n}", "password": "x"})
            assert answer.status_code == 422
        refused = stranger.post("/api/token", data={"username": "leader", "password": "x"})
        assert refused.status_code == 429
        assert "fra din adresse" in refused.json()["detail"]
        assert refused.headers["retry-after"] == "2"
    with client_at(app, "198.51.100.10") as elsewhere:
        answer = elsewhere.post("/api/token", data={"username": "leader", "password": PASSWORD})
        assert answer.status_code == 200


def test_a_script_keeping_its_device_cookie_is_known_too(app, world):
    with client_at(app, "198.51.100.10") as script, client_at(app, STRANGER) as attacker:
        first = script.post("/api/token", data={"username": "leader", "password": PASSWORD})
        assert first.status_code == 200
        for _ in range(8):
            attacker.post("/api/token", data={"username": "leader", "password": "nej"})
        again = script.post("/api/token", data={"username": "leader", "password": PASSWORD})
        assert again.status_code == 200, again.text


def test_the_device_cookie_is_httponly_and_strict(client, world):
    answer = client.post("/api/token", data={"username": "leader", "password": PASSWORD})
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith(DEVICE_COOKIE + "=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
