from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.models import User
from tests.factories import PASSWORD, bearer


def test_token_flow_and_me(client, world):
    headers = bearer(client, "member_a")
    me = client.get("/api/me", headers=headers).json()
    assert me["username"] == "member_a"
    assert me["roles"] == [
        {"project_id": world.project.id, "role": "group_member", "group_id": world.group_a.id}
    ]


def test_api_without_credentials_is_401(client, world):
    answer = client.get("/api/me")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert (
        client.get("/api/projects", headers={"Authorization": "Bearer forkert"}).status_code == 401
    )


def test_wrong_password_is_oauth2s_invalid_grant_and_same_for_unknown_users(client, world):
    wrong = client.post("/api/token", data={"username": "leader", "password": "nej"})
    unknown = client.post("/api/token", data={"username": "nobody", "password": "nej"})
    assert wrong.status_code == unknown.status_code == 400  # RFC 6749 §5.2
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == "invalid_grant"
    assert "Forkert brugernavn eller adgangskode" in wrong.json()["error_description"]


def test_a_token_request_without_a_password_is_oauth2s_invalid_request(client, world):
    answer = client.post("/api/token", data={"username": "leader"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    assert "»Adgangskode«" in answer.json()["error_description"]


def test_repeated_failures_answer_429_with_retry_after(client, world):
    for _ in range(5):
        client.post("/api/token", data={"username": "leader", "password": "nej"})
    answer = client.post("/api/token", data={"username": "leader", "password": PASSWORD})
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "2"
    assert "For mange mislykkede forsøg" in answer.json()["detail"]


def test_projects_list_only_what_the_caller_may_see(client, world):
    mine = client.get("/api/projects", headers=bearer(client, "outsider")).json()
    assert [p["name"] for p in mine] == ["Andet projekt"]
    everything = client.get("/api/projects", headers=bearer(client, "admin")).json()
    assert {p["name"] for p in everything} == {"Testprojekt", "Andet projekt"}


def test_only_admin_manages_users_and_refusal_changes_nothing(client, world, session):
    body = {"username": "ny.bruger", "password": "langt-nok-1", "full_name": "Ny"}
    refused = client.post("/api/users", json=body, headers=bearer(client, "leader"))
    assert refused.status_code == 403
    assert session.exec(select(User).where(User.username == "ny.bruger")).first() is None
    created = client.post("/api/users", json=body, headers=bearer(client, "admin"))
    assert created.status_code == 201


def test_malformed_json_is_422_naming_the_field(client, world):
    answer = client.post(
        "/api/users", json={"username": "x", "password": "kort"}, headers=bearer(client, "admin")
    )
    assert answer.status_code == 422
    messages = " ".join(d["message"] for d in answer.json()["errors"])
    assert "»Brugernavn«" in messages and "»Adgangskode«" in messages


def test_deactivating_a_user_ends_their_api_token_at_once(client, world, session):
    headers = bearer(client, "leader")
    assert client.get("/api/me", headers=headers).status_code == 200
    answer = client.post(
        f"/api/users/{world.users['leader'].id}/deactivate", headers=bearer(client, "admin")
    )
    assert answer.status_code == 200
    assert client.get("/api/me", headers=headers).status_code == 401
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "deactivated")).one()


def test_unknown_project_is_404_and_foreign_project_403(client, world):
    headers = bearer(client, "outsider")
    assert client.get("/api/projects/9999/audit", headers=headers).status_code == 404
    assert client.get(f"/api/projects/{world.project.id}/audit", headers=headers).status_code == 403


def test_openapi_is_for_signed_in_callers(client, world):
    assert client.get("/openapi.json").status_code == 401
    spec = client.get("/openapi.json", headers=bearer(client, "leader")).json()
    assert "/api/token" in spec["paths"] and "/api/me" in spec["paths"]
