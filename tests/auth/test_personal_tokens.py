"""Personal access tokens: a user makes a named token for a script on "Min konto" or through the
API, sees it once, uses it as `Authorization: Bearer`, and it never carries more than the user's
own rights (less, when it is read-only); it stops at its expiry, at its revocation and when the
account is disabled."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.models import User, UserSession
from app.clock import COPENHAGEN
from app.deps import SESSION_COOKIE
from tests.factories import bearer, csrf_of, login


def _today():
    """The real day in Denmark: tokens expire by the real clock, whatever the app's day."""
    return datetime.now(COPENHAGEN).date()


def _create(client, headers, **body):
    return client.post(
        "/api/me/tokens", json={"name": "Udtræk til regionen"} | body, headers=headers
    )


def test_a_token_is_shown_once_stored_hashed_and_works_as_bearer(client, world, session):
    made = _create(client, bearer(client, "leader"))
    assert made.status_code == 201, made.text
    secret = made.json()["token"]
    assert made.json()["kind"] == "personal" and made.json()["expires_at"] is None
    script = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/me", headers=script).json()["username"] == "leader"
    listed = client.get("/api/me/tokens", headers=script)
    assert secret not in listed.text
    mine = next(t for t in listed.json() if t["current"])
    assert mine["name"] == "Udtræk til regionen" and mine["kind"] == "personal"
    stored = session.exec(select(UserSession).where(UserSession.kind == "personal")).one()
    assert stored.id == hashlib.sha256(secret.encode()).hexdigest()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "token_created")).one()
    assert event.username == "leader" and event.after["name"] == "Udtræk til regionen"


def test_a_token_works_to_the_end_of_its_last_danish_day_and_not_after(client, world, session):
    last_day = _today() + timedelta(days=1)
    made = _create(client, bearer(client, "leader"), expires_on=last_day.isoformat())
    assert made.status_code == 201, made.text
    expires = datetime.fromisoformat(made.json()["expires_at"])
    # Midnight after the last day, Copenhagen time (23:00 or 22:00 UTC).
    assert expires.astimezone(UTC).date() == last_day
    assert expires.astimezone(UTC).hour in (22, 23)
    script = {"Authorization": f"Bearer {made.json()['token']}"}
    assert client.get("/api/me", headers=script).status_code == 200
    stored = session.exec(select(UserSession).where(UserSession.kind == "personal")).one()
    stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.add(stored)
    session.commit()
    assert client.get("/api/me", headers=script).status_code == 401


def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, world, session):
    script = bearer(client, "leader")
    past = _create(client, script, expires_on=_today().isoformat())
    assert past.status_code == 422
    assert "»Udløber efter«" in past.text
    nameless = _create(client, script, name="  ")
    assert nameless.status_code == 422
    assert "Navn på nøglen" in nameless.text
    assert session.exec(select(UserSession).where(UserSession.kind == "personal")).all() == []


def test_a_read_only_token_reads_and_changes_nothing(client, world, session):
    made = _create(client, bearer(client, "leader"), read_only=True)
    script = {"Authorization": f"Bearer {made.json()['token']}"}
    project_id = world.project.id
    assert client.get(f"/api/projects/{project_id}/tasks", headers=script).status_code == 200
    # It cannot make itself a stronger token, nor revoke one, nor write to the project.
    assert _create(client, script).status_code == 403
    mine = next(t for t in client.get("/api/me/tokens", headers=script).json() if t["current"])
    assert client.delete(f"/api/me/tokens/{mine['id']}", headers=script).status_code == 403
    task = client.post(
        f"/api/projects/{project_id}/tasks", json={"title": "Må ikke oprettes"}, headers=script
    )
    assert task.status_code == 403
    assert "kun læse" in task.json()["detail"]
    assert len(session.exec(select(UserSession).where(UserSession.kind == "personal")).all()) == 1


def test_a_token_cannot_make_another_token(client, world, session):
    """A token found in a script cannot give itself a longer life."""
    made = _create(client, bearer(client, "leader"))
    script = {"Authorization": f"Bearer {made.json()['token']}"}
    again = _create(client, script, name="Evig nøgle")
    assert again.status_code == 403 and "kan ikke lave nye adgangsnøgler" in again.text
    assert len(session.exec(select(UserSession).where(UserSession.kind == "personal")).all()) == 1


def test_a_token_carries_no_more_than_its_users_rights(client, world, session):
    made = _create(client, bearer(client, "member_a"))
    script = {"Authorization": f"Bearer {made.json()['token']}"}
    assert client.get("/api/users", headers=script).status_code == 403
    assert client.get(
        f"/api/projects/{world.other_project.id}/tasks", headers=script
    ).status_code in (
        403,
        404,
    )
    user = session.exec(select(User).where(User.username == "member_a")).one()
    user.is_active = False
    session.add(user)
    session.commit()
    assert client.get("/api/me", headers=script).status_code == 401


def test_a_token_is_not_a_browser_session(client, world):
    made = _create(client, bearer(client, "leader"))
    client.cookies.set(SESSION_COOKIE, made.json()["token"])
    assert client.get("/account", follow_redirects=False).status_code in (302, 303, 401)


def test_the_account_page_makes_shows_once_and_revokes_a_token(client, world, session):
    login(client, "leader")
    csrf = csrf_of(client, "/account")
    refused = client.post("/account/tokens", data={"name": "Uden CSRF"})
    assert refused.status_code == 403
    bad = client.post("/account/tokens", data={"name": "", "expires_on": "", "csrf_token": csrf})
    assert bad.status_code == 422 and "Navn på nøglen" in bad.text
    made = client.post(
        "/account/tokens",
        data={"name": "Månedligt udtræk", "read_only": "on", "csrf_token": csrf},
    )
    assert made.status_code == 200 and "no-store" in made.headers["Cache-Control"]
    secret = re.search(r'<code class="token-secret" id="new-token">([^<]+)</code>', made.text)
    assert secret and "vises ikke igen" in made.text
    script = {"Authorization": f"Bearer {secret.group(1)}"}
    assert client.get("/api/me", headers=script).status_code == 200
    page = client.get("/account")
    assert secret.group(1) not in page.text
    assert "Månedligt udtræk" in page.text and "Kun læse" in page.text
    assert "Udløber ikke" in page.text
    ref = next(t["id"] for t in client.get("/api/me/tokens", headers=script).json() if t["current"])
    revoked = client.post(f"/account/tokens/{ref}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 200
    assert "Adgangsnøglen er tilbagekaldt" in revoked.text
    assert client.get("/api/me", headers=script).status_code == 401
