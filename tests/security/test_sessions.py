"""Sessions live in the database: signing out or being disabled ends them at once, a new id is
issued at every sign-in, idle and absolute limits hold, the cookies (session and device) are
HttpOnly, SameSite and Secure behind HTTPS, and sign-in throttling holds across server
processes."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import col, select

from app.auth.client import DEVICE_COOKIE
from app.auth.models import User, UserSession
from app.config import ROOT, Settings
from app.db import utcnow
from app.deps import SESSION_COOKIE
from app.main import create_app
from tests.security.calls import login_token
from tests.security.stage import Stage


def _session_rows(stage: Stage, username: str) -> int:
    with stage.db.engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT COUNT(*) FROM user_session s JOIN user_account u ON u.id = s.user_id "
                "WHERE u.username = :u"
            ),
            {"u": username},
        ).scalar()


def _age_sessions(stage: Stage, username: str, **changes: timedelta) -> None:
    """Move a user's sessions back in time (last seen, or expiry)."""
    with stage.db.session(write=True) as session:
        rows = session.exec(
            select(UserSession)
            .join(User, col(User.id) == UserSession.user_id)
            .where(User.username == username)
        ).all()
        for found in rows:
            if "last_seen" in changes:
                found.last_seen_at = utcnow() - changes["last_seen"]
            if "expires" in changes:
                found.expires_at = utcnow() - changes["expires"]
        session.commit()


def test_signing_out_ends_the_session_at_once(stage: Stage):
    client = stage.sign_in("steering")
    cookie = client.cookies[SESSION_COOKIE]
    assert client.get("/").status_code == 200
    answer = client.post("/logout", headers={"X-CSRF-Token": stage.csrf_of(client)})
    assert answer.status_code == 303
    replay = stage.sign_in("anonymous")
    replay.cookies.set(SESSION_COOKIE, cookie)
    assert replay.get("/").status_code == 303
    assert replay.get("/api/me").status_code == 401


def test_an_administrator_disabling_a_user_ends_every_session_at_once(stage: Stage):
    browser = stage.sign_in("directorate")
    token = stage.api.post("/api/token", data={"username": "direktion", "password": "demo"}).json()[
        "access_token"
    ]
    home = f"/projects/{stage.fillers['project']}"
    assert browser.get(home).status_code == 200
    user_id = _user_id(stage, "direktion")
    admin = stage.browsers["admin"]
    answer = admin.post(
        f"/admin/users/{user_id}/active",
        data={"active": "false"},
        headers={"X-CSRF-Token": stage.csrf["admin"]},
    )
    assert answer.status_code == 200
    assert _session_rows(stage, "direktion") == 0
    assert browser.get(home).headers.get("location", "").startswith("/login")
    assert stage.api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    login = stage.sign_in("anonymous")
    refused = login.post(
        "/login",
        data={"username": "direktion", "password": "demo", "csrf_token": login_token(login)},
    )
    assert refused.status_code == 422
    admin.post(
        f"/admin/users/{user_id}/active",
        data={"active": "true"},
        headers={"X-CSRF-Token": stage.csrf["admin"]},
    )
    stage.browsers["directorate"] = stage.sign_in("directorate")
    stage.csrf["directorate"] = stage.csrf_of(stage.browsers["directorate"])
    stage.bearer["directorate"] = {
        "Authorization": "Bearer "
        + stage.api.post("/api/token", data={"username": "direktion", "password": "demo"}).json()[
            "access_token"
        ]
    }


def _user_id(stage: Stage, username: str) -> int:
    with stage.db.engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM user_account WHERE username=:u"), {"u": username}
        ).scalar()


def test_the_session_id_changes_at_sign_in_and_a_planted_one_is_useless(stage: Stage):
    client = stage.sign_in("anonymous")
    client.cookies.set(SESSION_COOKIE, "plantet-af-en-angriber", domain="testserver.local")
    token = login_token(client)
    client.post("/login", data={"username": "sekretariat", "password": "demo", "csrf_token": token})
    first = client.cookies[SESSION_COOKIE]
    assert first != "plantet-af-en-angriber"
    token = login_token(client)
    client.post("/login", data={"username": "sekretariat", "password": "demo", "csrf_token": token})
    second = client.cookies[SESSION_COOKIE]
    assert second != first
    replay = stage.sign_in("anonymous")
    replay.cookies.set(SESSION_COOKIE, first)
    assert replay.get("/").status_code == 303, "the session replaced at sign-in still works"


def test_an_idle_session_ends_and_an_active_one_is_kept_alive(stage: Stage):
    client = stage.sign_in("steering")
    _age_sessions(stage, "styregruppe", last_seen=timedelta(minutes=30))
    assert client.get("/").status_code == 200  # within the idle limit: moved on
    with stage.db.session() as session:
        seen = session.exec(
            select(UserSession.last_seen_at)
            .join(User, col(User.id) == UserSession.user_id)
            .where(User.username == "styregruppe")
        ).all()
    assert max(seen) > utcnow() - timedelta(minutes=5)
    _age_sessions(stage, "styregruppe", last_seen=timedelta(minutes=61))
    assert client.get("/").status_code == 303
    stage.browsers["steering"] = stage.sign_in("steering")
    stage.csrf["steering"] = stage.csrf_of(stage.browsers["steering"])


def test_a_session_ends_at_its_absolute_limit_even_when_active(stage: Stage):
    client = stage.sign_in("secretariat")
    token = stage.api.post(
        "/api/token", data={"username": "sekretariat", "password": "demo"}
    ).json()["access_token"]
    _age_sessions(stage, "sekretariat", expires=timedelta(seconds=1))
    assert client.get("/").status_code == 303
    assert stage.api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    stage.browsers["secretariat"] = stage.sign_in("secretariat")
    stage.csrf["secretariat"] = stage.csrf_of(stage.browsers["secretariat"])
    stage.bearer["secretariat"] = {
        "Authorization": "Bearer "
        + stage.api.post("/api/token", data={"username": "sekretariat", "password": "demo"}).json()[
            "access_token"
        ]
    }


def test_a_write_after_a_pause_is_not_blocked_by_the_idle_deadline_update(stage: Stage):
    """The idle deadline is moved in a write of its own; it must not wait for the request's own
    write lock (which once made such a request hang for the busy timeout and fail)."""
    client = stage.sign_in("leader")
    csrf = stage.csrf_of(client)
    _age_sessions(stage, "projektleder", last_seen=timedelta(minutes=5))
    answer = client.post(
        f"/api/projects/{stage.fillers['project']}/people",
        json={"name": "Efter pausen"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("secure", [False, True])
def test_cookies_are_httponly_samesite_and_secure_behind_https(stage: Stage, secure: bool):
    app = create_app(Settings(database_url=stage.url, secure_cookies=secure))
    try:
        with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
            page = client.get("/login")
            login_cookie = page.headers["set-cookie"]
            answer = client.post(
                "/login",
                data={
                    "username": "direktion",
                    "password": "demo",
                    "csrf_token": login_token(client),
                },
            )
            cookies = answer.headers.get_list("set-cookie")
            session_cookie = next(c for c in cookies if c.startswith(SESSION_COOKIE + "="))
            device_cookie = next(c for c in cookies if c.startswith(DEVICE_COOKIE + "="))
    finally:
        app.state.db.dispose()
    for cookie in (login_cookie, session_cookie, device_cookie):
        assert "HttpOnly" in cookie
        assert "samesite=" in cookie.lower()
        assert ("Secure" in cookie) is secure, cookie
    assert "SameSite=lax" in session_cookie and "Path=/" in session_cookie
    assert "SameSite=strict" in device_cookie


# Throttling across processes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_servers(stage: Stage) -> Iterator[list[str]]:
    """Two uvicorn processes on the stage's database (as two workers would be)."""
    # A long wait, so that it still runs when the second server is asked.
    env = os.environ | {
        "REFORMSTYR_DATABASE_URL": stage.url,
        "REFORMSTYR_LOGIN_DELAY_SECONDS": "600",
        "REFORMSTYR_LOGIN_MAX_DELAY_SECONDS": "600",
    }
    servers, urls = [], []
    for _ in range(2):
        port = _free_port()
        servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "app.main:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)


def test_sign_in_throttling_holds_across_server_processes(stage: Stage, two_servers):
    first, second = two_servers
    for attempt in range(5):
        url = (first, second)[attempt % 2]
        wrong = httpx.post(
            url + "/api/token", data={"username": "styregruppe", "password": "forkert"}
        )
        assert wrong.status_code == 400
    for url in (first, second):
        right = httpx.post(url + "/api/token", data={"username": "styregruppe", "password": "demo"})
        assert right.status_code == 429, (url, right.status_code, right.text)
        assert 590 <= int(right.headers["retry-after"]) <= 600
    with stage.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM login_failure WHERE username='styregruppe'"))
