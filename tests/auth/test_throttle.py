"""Sign-in throttling over HTTP: growing waits per account and per client address (an IPv6
client's /64), never a lock for the owner's known browser, a burst of parallel guesses no faster
than one after another, a bounded list of known devices, the same on the sign-in page and on
POST /api/token."""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import select

from app.auth.client import DEVICE_COOKIE
from app.auth.models import KnownDevice, LoginFailure
from app.auth.throttle import KNOWN_DEVICES_PER_USER
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

        assert [attempt().status_code for _ in range(5)] == [400] * 5
        waits = []
        for _ in range(3):
            refused = attempt()
            assert refused.status_code == 429
            waits.append(int(refused.headers["retry-after"]))
            assert f"Vent {waits[-1]} sekunder, og prøv igen" in refused.json()["detail"]
            _age_failures(session, waits[-1])
            assert attempt().status_code == 400  # the wait is over: the next guess is heard
    assert waits == [2, 4, 8]


def test_guesses_spread_over_many_accounts_from_one_address_are_slowed(app, world):
    with client_at(app, STRANGER) as stranger:
        for n in range(20):
            answer = stranger.post("/api/token", data={"username": f"bruger{n}", "password": "x"})
            assert answer.status_code == 400
        refused = stranger.post("/api/token", data={"username": "leader", "password": "x"})
        assert refused.status_code == 429
        assert "fra din netværksadresse (IP-adresse)" in refused.json()["detail"]
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


def test_a_burst_of_parallel_guesses_is_heard_no_more_than_the_allowance(
    app, world, session, settings
):
    """Wrong passwords for one account at the same moment: each is weighed against the failures
    before it, so the burst gets the free failures and then waits, as one guess after another
    would (PostgreSQL: a lock per username; SQLite: one writer at a time)."""
    free = settings.login_free_failures
    burst = free * 2
    start = threading.Barrier(burst)
    answers: list[int] = []

    def guess(n: int) -> None:
        # Each from its own address, so only the account's count can hold them up.
        with client_at(app, f"203.0.113.{n + 1}") as attacker:
            start.wait()
            answer = attacker.post("/api/token", data={"username": "leader", "password": "gæt"})
            answers.append(answer.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    session.commit()
    heard = session.exec(select(LoginFailure).where(LoginFailure.username == "leader")).all()
    assert len(heard) == free
    assert sorted(answers) == [400] * free + [429] * (burst - free)


OFFICE = "198.51.100.80"  # one address for every member of staff (NAT or a proxy)


def test_staff_behind_a_shared_office_address_sign_in_on_their_known_browsers(app, world):
    with client_at(app, OFFICE) as leader, client_at(app, OFFICE) as someone:
        login(leader, "leader")
        for n in range(20):  # typos and guesses at the office, none from the leader's browser
            answer = someone.post("/api/token", data={"username": f"bruger{n}", "password": "x"})
            assert answer.status_code == 400
        new_browser = someone.post("/api/token", data={"username": "leader", "password": PASSWORD})
        assert new_browser.status_code == 429
        assert "fra din netværksadresse (IP-adresse)" in new_browser.json()["detail"]
        signed_in = _form_sign_in(leader, "leader", PASSWORD)
        assert signed_in.status_code == 303, signed_in.text


def test_an_ipv6_client_is_counted_by_its_64_network(app, world):
    for n in range(20):  # a new address in the same /64 for every guess
        with client_at(app, f"2001:db8:5:6::{n + 1:x}") as guesser:
            answer = guesser.post("/api/token", data={"username": f"bruger{n}", "password": "x"})
            assert answer.status_code == 400
    with client_at(app, "2001:db8:5:6:ffff::1") as same_network:
        refused = same_network.post("/api/token", data={"username": "leader", "password": "x"})
    assert refused.status_code == 429
    assert "fra din netværksadresse (IP-adresse)" in refused.json()["detail"]
    with client_at(app, "2001:db8:5:7::1") as next_network:
        answer = next_network.post("/api/token", data={"username": "leader", "password": PASSWORD})
    assert answer.status_code == 200


def test_a_script_that_drops_its_cookies_does_not_pile_up_known_devices(app, world, session):
    """Every sign-in without the cookie adds a device; beyond the cap the least recently used
    goes, so the newest cookies still pass the account's wait and the oldest no longer do."""
    cookies = []
    with client_at(app, "198.51.100.10") as script:
        for _ in range(KNOWN_DEVICES_PER_USER + 5):
            script.cookies.clear()
            answer = script.post("/api/token", data={"username": "leader", "password": PASSWORD})
            assert answer.status_code == 200
            cookies.append(answer.cookies[DEVICE_COOKIE])
    session.commit()
    leader = world.users["leader"]
    devices = session.exec(select(KnownDevice).where(KnownDevice.user_id == leader.id)).all()
    assert len(devices) == KNOWN_DEVICES_PER_USER
    with client_at(app, STRANGER) as attacker:
        for _ in range(5):
            attacker.post("/api/token", data={"username": "leader", "password": "nej"})
    with client_at(app, "198.51.100.10") as script:
        script.cookies.set(DEVICE_COOKIE, cookies[0])
        oldest = script.post("/api/token", data={"username": "leader", "password": PASSWORD})
        assert oldest.status_code == 429
        script.cookies.set(DEVICE_COOKIE, cookies[-1])
        newest = script.post("/api/token", data={"username": "leader", "password": PASSWORD})
        assert newest.status_code == 200
