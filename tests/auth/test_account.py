""" "Min konto": a user sees and revokes their own browser sessions and API tokens, on the page
and through the API, and nobody else's."""

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.models import UserSession
from app.deps import SESSION_COOKIE
from tests.factories import bearer, csrf_of, login


def test_a_user_lists_their_tokens_without_secrets(client, world):
    script = bearer(client, "leader")
    other = bearer(client, "leader")
    tokens = client.get("/api/me/tokens", headers=script)
    assert tokens.status_code == 200
    listed = tokens.json()
    assert [t["kind"] for t in listed] == ["api", "api"]
    assert [t["current"] for t in listed] == [False, True]
    for secret in (script, other):
        assert secret["Authorization"].removeprefix("Bearer ") not in tokens.text
    assert set(listed[0]) == {
        "id",
        "kind",
        "name",
        "read_only",
        "created_at",
        "last_used_at",
        "expires_at",
        "current",
    }


def test_a_user_revokes_their_own_token_and_not_someone_elses(client, world, session):
    script = bearer(client, "leader")
    spare = bearer(client, "leader")
    stranger = bearer(client, "member_a")
    theirs = client.get("/api/me/tokens", headers=stranger).json()[0]["id"]
    refused = client.delete(f"/api/me/tokens/{theirs}", headers=script)
    assert refused.status_code == 404
    assert client.get("/api/me", headers=stranger).status_code == 200
    spare_id = next(
        t["id"] for t in client.get("/api/me/tokens", headers=spare).json() if t["current"]
    )
    assert client.delete(f"/api/me/tokens/{spare_id}", headers=script).status_code == 204
    assert client.get("/api/me", headers=spare).status_code == 401
    assert client.get("/api/me", headers=script).status_code == 200
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "session_revoked")).one()
    assert event.username == "leader" and event.before["session"] == spare_id


def test_the_account_page_lists_the_sessions_and_revokes_a_token(client, world):
    script = bearer(client, "leader")
    bearer(client, "leader")  # another script's token, still listed after the revoke
    login(client, "leader")
    page = client.get("/account")
    assert page.status_code == 200
    assert "Min konto" in page.text and 'href="/account"' in page.text
    assert "API-nøgle" in page.text and "(denne browser)" in page.text
    assert script["Authorization"].removeprefix("Bearer ") not in page.text
    token_id = next(
        t["id"] for t in client.get("/api/me/tokens", headers=script).json() if t["current"]
    )
    assert f"/account/tokens/{token_id}/revoke" in page.text
    answer = client.post(
        f"/account/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_of(client, "/account")},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/account?revoked=api"
    assert client.get("/api/me", headers=script).status_code == 401
    confirmed = client.get(answer.headers["location"]).text
    assert token_id not in confirmed
    assert re.search(
        r'<div role="status"><p class="notice notice--ok" tabindex="-1" autofocus>'
        r"API-nøglen er tilbagekaldt og virker ikke længere.</p></div>",
        confirmed,
    )
    # The button names the kind as it is written (not »api-nøgle«) to a screen reader.
    assert '<span class="visually-hidden"> API-nøgle oprettet' in confirmed
    assert 'role="status"></div>' in client.get("/account?revoked=noget-andet").text


def test_revoking_this_browser_on_the_account_page_signs_out(client, world):
    login(client, "leader")
    page = client.get("/account").text
    current = re.search(r'action="/account/tokens/([0-9a-f]+)/revoke"', page).group(1)
    answer = client.post(
        f"/account/tokens/{current}/revoke",
        data={"csrf_token": csrf_of(client, "/account")},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert SESSION_COOKIE not in client.cookies
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_the_account_page_refuses_another_users_token_with_404(client, world):
    stranger = bearer(client, "member_a")
    theirs = client.get("/api/me/tokens", headers=stranger).json()[0]["id"]
    login(client, "leader")
    answer = client.post(
        f"/account/tokens/{theirs}/revoke", data={"csrf_token": csrf_of(client, "/account")}
    )
    assert answer.status_code == 404
    assert "findes ikke" in answer.text
    assert client.get("/api/me", headers=stranger).status_code == 200


def test_the_account_page_is_for_signed_in_users(client, world):
    answer = client.get("/account", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/account"
    assert client.get("/api/me/tokens").status_code == 401


def test_an_api_tokens_last_use_is_shown(client, world, session):
    script = bearer(client, "leader")
    row = session.exec(select(UserSession)).one()
    row.last_seen_at -= timedelta(hours=2)
    session.commit()
    assert client.get("/api/me", headers=script).status_code == 200
    listed = client.get("/api/me/tokens", headers=script).json()[0]
    last_used = datetime.fromisoformat(listed["last_used_at"])
    assert last_used > datetime.now(UTC) - timedelta(minutes=5)
