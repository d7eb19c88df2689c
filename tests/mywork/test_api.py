"""»Mit overblik« over HTTP: the page at /me (linked from the header) and GET /api/me/overview."""

from datetime import date

from sqlmodel import Session

from app.workstreams.models import Task
from tests.factories import bearer, login
from tests.mywork.test_service import person_of


def test_api_lists_the_callers_tasks(client, session: Session, world):
    user = world.users["member_a"]
    me = person_of(session, user, world.project)
    session.add(
        Task(
            project_id=world.project.id,
            title="Skriv notat",
            owner_person_id=me.id,
            group_id=world.group_a.id,
            due_date=date(2000, 1, 3),
        )
    )
    session.commit()
    answer = client.get("/api/me/overview", headers=bearer(client, "member_a"))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"today", "tasks", "approvals", "measurements", "follow_ups", "meetings"}
    [task] = body["tasks"]
    assert task["title"] == "Skriv notat" and task["overdue_days"] > 0
    assert task["status_label"] == "Ikke påbegyndt"
    assert task["url"].endswith(f"/groups/{world.group_a.id}#task-{task['id']}")
    other = client.get("/api/me/overview", headers=bearer(client, "member_b")).json()
    assert other["tasks"] == []


def test_api_and_page_need_a_signed_in_user(client):
    assert client.get("/api/me/overview").status_code == 401
    assert client.get("/me", follow_redirects=False).status_code in (302, 303)


def test_page_with_danish_empty_states_and_the_header_link(client, session: Session, world):
    login(client, "member_b")
    page = client.get("/me")
    assert page.status_code == 200
    assert '<a class="header-link" href="/me">Mit overblik</a>' in page.text
    for empty in (
        "Du har ingen åbne opgaver.",
        "Ingen planer eller statusrapporter venter på din godkendelse.",
        "Ingen af dine succesmål skal måles nu.",
        "Ingen møder i de organer, du sidder i, de næste 60 dage.",
    ):
        assert empty in page.text


def test_page_marks_overdue_tasks_with_a_word(client, session: Session, world):
    user = world.users["member_a"]
    me = person_of(session, user, world.project)
    session.add(
        Task(
            project_id=world.project.id,
            title="Skriv notat",
            owner_person_id=me.id,
            due_date=date(2000, 1, 3),
        )
    )
    session.commit()
    login(client, "member_a")
    page = client.get("/me").text
    assert "Skriv notat" in page and "Forfalden" in page and "heraf 1 forfalden" in page
