import re

from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.models import ProjectMember, Role
from tests.factories import bearer, csrf_of, login, make_user


def test_project_leader_grants_and_revokes_a_group_role(client, world, session):
    newcomer = make_user(session, username="ny")
    headers = bearer(client, "leader")
    url = f"/api/projects/{world.project.id}/members"
    created = client.post(
        url,
        json={"user_id": newcomer.id, "role": "group_member", "group_id": world.group_b.id},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["username"] == "ny"
    me = client.get("/api/me", headers=bearer(client, "ny")).json()
    assert me["roles"] == [
        {"project_id": world.project.id, "role": "group_member", "group_id": world.group_b.id}
    ]
    assert client.delete(f"{url}/{created.json()['id']}", headers=headers).status_code == 204
    assert (
        session.exec(select(ProjectMember).where(ProjectMember.user_id == newcomer.id)).all() == []
    )
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.entity == "project_member")
    ).all()
    assert actions == ["granted", "revoked"]


def test_group_role_needs_a_group_of_this_project(client, world, session):
    newcomer = make_user(session, username="ny")
    url = f"/api/projects/{world.project.id}/members"
    headers = bearer(client, "leader")
    missing = client.post(
        url, json={"user_id": newcomer.id, "role": "group_member"}, headers=headers
    )
    assert missing.status_code == 422
    assert "skal knyttes til en gruppe" in missing.json()["errors"][0]["message"]
    other_group = client.post(
        url,
        json={"user_id": newcomer.id, "role": "group_member", "group_id": world.steering.id},
        headers=headers,
    )
    assert other_group.status_code == 404
    assert (
        session.exec(select(ProjectMember).where(ProjectMember.user_id == newcomer.id)).all() == []
    )


def test_only_the_project_leader_manages_access(client, world, session):
    newcomer = make_user(session, username="ny")
    url = f"/api/projects/{world.project.id}/members"
    for name in ("steering", "member_a", "directorate", "secretariat", "outsider"):
        answer = client.post(
            url, json={"user_id": newcomer.id, "role": "directorate"}, headers=bearer(client, name)
        )
        assert answer.status_code == 403, name
    assert (
        session.exec(select(ProjectMember).where(ProjectMember.user_id == newcomer.id)).all() == []
    )


def test_access_page_grants_through_the_form(client, world, session):
    newcomer = make_user(session, username="ny")
    login(client, "leader")
    token = csrf_of(client, f"/projects/{world.project.id}/access")
    answer = client.post(
        f"/projects/{world.project.id}/access",
        data={
            "csrf_token": token,
            "user_id": newcomer.id,
            "role": Role.directorate.value,
            "group_id": "",
        },
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert "ny" in answer.text and "Direktion" in answer.text


def test_admin_deactivates_a_user_from_the_users_page(client, world, session):
    login(client, "admin")
    token = csrf_of(client, "/admin/users")
    user_id = world.users["leader"].id
    row = client.post(
        f"/admin/users/{user_id}/active",
        data={"active": "false"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert row.status_code == 200 and "Deaktiveret" in row.text
    client.cookies.clear()
    assert client.get("/admin/users", follow_redirects=False).status_code == 303


def test_users_page_is_for_administrators(client, world):
    login(client, "leader")
    assert client.get("/admin/users").status_code == 403


def test_forms_carry_the_sessions_csrf_token(client, world):
    login(client, "leader")
    page = client.get(f"/projects/{world.project.id}/access").text
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    fields = re.findall(r'name="csrf_token" value="([^"]*)"', page)
    assert fields and set(fields) == {meta}
