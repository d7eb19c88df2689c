import re

from sqlmodel import select

from app.auth.models import UserSession
from app.deps import SESSION_COOKIE
from tests.factories import PASSWORD, csrf_of, login


def test_pages_redirect_to_sign_in_when_signed_out(client, world):
    answer = client.get(f"/projects/{world.project.id}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/login?next=/projects/{world.project.id}"


def test_sign_in_page_is_danish(client):
    page = client.get("/login")
    assert '<html lang="da">' in page.text and "Log ind" in page.text


def test_sign_in_sets_a_safe_cookie_and_renews_the_session_id(client, world, session):
    client.cookies.set(SESSION_COOKIE, "fixeret-af-en-angriber", domain="testserver.local")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/login",
        data={"username": "leader", "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.cookies.get(SESSION_COOKIE) != "fixeret-af-en-angriber"
    assert client.get("/").status_code == 200


def test_wrong_password_in_the_form_shows_a_danish_message(client, world):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/login", data={"username": "leader", "password": "nej", "csrf_token": token}
    )
    assert answer.status_code == 422
    assert "Forkert brugernavn eller adgangskode." in answer.text


def test_sign_in_form_without_its_csrf_token_is_refused(client, world):
    answer = client.post("/login", data={"username": "leader", "password": PASSWORD})
    assert answer.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_sign_out_needs_csrf_and_then_ends_the_session_at_once(client, world, session):
    login(client, "leader")
    cookie = client.cookies.get(SESSION_COOKIE)
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200
    token = csrf_of(client)
    answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert session.exec(select(UserSession)).all() == []
    client.cookies.set(SESSION_COOKIE, cookie)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_overview_lists_the_users_projects(client, world):
    login(client, "member_a")
    page = client.get("/")
    assert "Testprojekt" in page.text and "Andet projekt" not in page.text


def test_project_page_of_another_project_is_403_in_danish(client, world):
    login(client, "outsider")
    answer = client.get(f"/projects/{world.project.id}")
    assert answer.status_code == 403
    assert "Du har ikke adgang til dette projekt." in answer.text


def test_audit_page_is_for_the_project_leader(client, world):
    login(client, "steering")
    assert client.get(f"/projects/{world.project.id}/audit").status_code == 403
    client.cookies.clear()
    login(client, "leader")
    assert client.get(f"/projects/{world.project.id}/audit").status_code == 200


def test_security_headers_and_no_store(client, world):
    login(client, "leader")
    answer = client.get("/")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"


def test_unknown_page_is_a_danish_404(client, world):
    login(client, "leader")
    answer = client.get("/findes/ikke")
    assert answer.status_code == 404 and "Siden findes ikke." in answer.text


def test_directorate_starts_on_the_dashboard_and_sees_only_reports_in_the_nav(client, world):
    login(client, "directorate")
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard"
    page = client.get(f"/projects/{world.project.id}").text
    assert f'href="/projects/{world.project.id}/reports"' in page
    assert f'href="/projects/{world.project.id}/budget"' not in page
