"""An administrator ends an account's sign-in wait at once, on the users page (the focus staying
in the user's row) or through the API; nobody else can, and the unlock is audited."""

import re

from fastapi.testclient import TestClient
from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.models import LoginFailure
from tests.factories import PASSWORD, bearer, csrf_of, login

ATTACKER = ("203.0.113.66", 50000)


def _hold_up(app, username: str) -> None:
    """Five wrong passwords from elsewhere: the account now makes every new client wait."""
    with TestClient(app, client=ATTACKER) as attacker:
        for _ in range(5):
            attacker.post("/api/token", data={"username": username, "password": "forkert"})
        held = attacker.post("/api/token", data={"username": username, "password": PASSWORD})
    assert held.status_code == 429


def _failures(session, username: str) -> int:
    session.commit()
    return len(session.exec(select(LoginFailure).where(LoginFailure.username == username)).all())


def test_an_administrator_unlocks_an_account_through_the_api(app, client, world, session):
    admin = bearer(client, "admin")
    _hold_up(app, "leader")
    answer = client.post(f"/api/users/{world.users['leader'].id}/unlock", headers=admin)
    assert answer.status_code == 200 and answer.json()["username"] == "leader"
    with TestClient(app, client=("198.51.100.20", 50000)) as new_browser:
        signed_in = new_browser.post(
            "/api/token", data={"username": "leader", "password": PASSWORD}
        )
    assert signed_in.status_code == 200
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "unlocked")).one()
    assert event.username == "admin" and event.entity_id == str(world.users["leader"].id)
    assert event.before == {"failed_sign_ins": 5}


def test_an_administrator_unlocks_an_account_on_the_users_page(app, client, world, session):
    _hold_up(app, "leader")
    login(client, "admin")
    page = client.get("/admin/users")
    user_id = world.users["leader"].id
    assert f'hx-post="/admin/users/{user_id}/unlock"' in page.text
    assert '<th scope="col">Mislykkede login-forsøg (seneste time)</th>' in page.text
    # The page says what »Lås op« ends (the account's wait) and what it does not (an address's).
    assert "»Lås op« fjerner kontoens ventetid med det samme" in page.text
    assert "netværksadresse (IP-adresse) giver også adressen en ventetid" in page.text
    assert "senest 5 minutter efter det seneste mislykkede forsøg" in page.text
    assert "autofocus" not in page.text
    row = client.post(
        f"/admin/users/{user_id}/unlock",
        headers={"X-CSRF-Token": csrf_of(client, "/admin/users"), "HX-Request": "true"},
    )
    assert row.status_code == 200
    assert f'id="user-{user_id}"' in row.text
    assert "Lås op" not in row.text
    # The pressed button is gone from the new row: the keyboard focus stays in the row, on
    # the status in its place (htmx focuses [autofocus] after the swap).
    assert re.search(
        r'<span tabindex="-1" autofocus>Låst op<span class="visually-hidden"> leader', row.text
    )
    assert "leader kan logge ind igen." in row.headers["hx-trigger"]
    assert _failures(session, "leader") == 0
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "unlocked")).one()


def test_only_an_administrator_unlocks(app, client, world, session):
    _hold_up(app, "leader")
    user_id = world.users["leader"].id
    refused = client.post(f"/api/users/{user_id}/unlock", headers=bearer(client, "steering"))
    assert refused.status_code == 403
    login(client, "steering")
    page = client.post(f"/admin/users/{user_id}/unlock", headers={"X-CSRF-Token": csrf_of(client)})
    assert page.status_code == 403
    assert _failures(session, "leader") == 5
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "unlocked")).all() == []
    unknown = client.post("/api/users/9999/unlock", headers=bearer(client, "admin"))
    assert unknown.status_code == 404


def test_deactivating_on_the_users_page_keeps_the_focus_on_the_renamed_button(client, world):
    login(client, "admin")
    user_id = world.users["steering"].id
    row = client.post(
        f"/admin/users/{user_id}/active",
        data={"active": "false"},
        headers={"X-CSRF-Token": csrf_of(client, "/admin/users"), "HX-Request": "true"},
    )
    assert row.status_code == 200
    assert re.search(
        r'<button type="submit" class="button button--secondary" autofocus>Aktivér', row.text
    )
