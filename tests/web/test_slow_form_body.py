"""A page form whose body arrives slowly holds no other writer, against a real server.

A writing request's first statement takes SQLite's write lock (BEGIN IMMEDIATE). Page routes read
their form through dependencies that FastAPI resolved after the access check had opened the
session, so a client that sent its headers and then its body late held every other writer
waiting. Now the request's session opens only once the form has arrived (`app.deps.get_session`).

The client here asks `Expect: 100-continue`: uvicorn answers "100 Continue" when the app first
waits for the body, so the test knows without timing that the request has got as far as it will
before its body comes. On PostgreSQL (REFORMSTYR_TEST_DATABASE_URL set), which has no such lock,
the test shows that nothing else broke.
"""

import socket
from urllib.parse import urlencode, urlsplit

import httpx

from app.deps import CSRF_HEADER, SESSION_COOKIE
from tests.factories import bearer, csrf_of, login
from tests.reliability.workload import running

# Generous, but below SQLite's 30 s busy timeout, so a write stuck behind the lock fails here.
TIMEOUT = 15


def _read_head(conn: socket.socket, buffer: bytes = b"") -> tuple[str, bytes]:
    """The status line of the next response head on the connection, and what came after it."""
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        assert chunk, "the server closed the connection"
        buffer += chunk
    head, rest = buffer.split(b"\r\n\r\n", 1)
    return head.split(b"\r\n", 1)[0].decode(), rest


def test_a_slow_form_body_holds_no_other_writer(database_url, world):
    project_id = world.project.id
    path = f"/projects/{project_id}/stakeholders"
    body = urlencode(
        {"name": "Ældrerådet", "kind": "external", "influence": "3", "interest": "3"}
        | {"attitude": "neutral"}
    ).encode()
    with (
        running(database_url) as server,
        httpx.Client(base_url=server.base_url, timeout=TIMEOUT) as browser,
        httpx.Client(base_url=server.base_url, timeout=TIMEOUT) as script,
    ):
        login(browser, "leader")
        csrf = csrf_of(browser, path)
        script.headers.update(bearer(script, "leader"))
        address = urlsplit(server.base_url)
        with socket.create_connection((address.hostname, address.port), timeout=TIMEOUT) as conn:
            conn.sendall(
                (
                    f"POST {path} HTTP/1.1\r\n"
                    f"Host: {address.netloc}\r\n"
                    f"Cookie: {SESSION_COOKIE}={browser.cookies[SESSION_COOKIE]}\r\n"
                    f"{CSRF_HEADER}: {csrf}\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"Content-Length: {len(body)}\r\n"
                    "Expect: 100-continue\r\n"
                    "\r\n"
                ).encode()
            )
            waiting, rest = _read_head(conn)  # the handler's dependencies wait for the body now
            conn.sendall(body[:10])
            try:
                created: int | str = script.post(
                    f"/api/projects/{project_id}/risks",
                    json={"title": "Forsinket levering", "probability": 2, "consequence": 2},
                ).status_code
            except httpx.TimeoutException as exc:
                created = type(exc).__name__
            conn.sendall(body[10:])
            answered, _ = _read_head(conn, rest)
    assert waiting == "HTTP/1.1 100 Continue"
    assert created == 201
    assert answered.startswith("HTTP/1.1 303")
