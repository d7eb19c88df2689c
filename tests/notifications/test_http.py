"""Notifications over HTTP: the list and the header's unread count, marking read, the mail
choices (page and API), the administrator's outbox; refusals change nothing; a mail server
that cannot be reached never holds up a page."""

import socket

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.auth.models import ProjectMember
from app.config import Settings
from app.governance.models import Membership
from app.main import create_app
from app.notifications.models import (
    Delivery,
    MailStatus,
    Notification,
    NotificationKind,
    NotificationSetting,
    OutboxMail,
)
from app.notifications.service import settings_of
from tests.factories import ProjectWorld, bearer, csrf_of, login, make_person
from tests.notifications.factories import tell


def _unread(session: Session, user_id: int) -> int:
    session.expire_all()
    return len(
        session.exec(
            select(Notification).where(
                Notification.user_id == user_id, col(Notification.read_at).is_(None)
            )
        ).all()
    )


def test_the_header_shows_the_unread_count_and_the_list_marks_read(
    client: TestClient, session: Session, world: ProjectWorld
) -> None:
    leader = world.users["leader"]
    first, second = tell(session, [leader.id]), tell(session, [leader.id], subject="Anden")
    login(client, "leader")
    html = client.get("/notifications").text
    assert 'href="/notifications">Notifikationer <span class="count-badge">2' in html
    assert "Kortlæg borgerforløb" in html and "Ulæst" in html
    token = csrf_of(client, "/notifications")
    answer = client.post(
        f"/notifications/{first[0].id}/read", data={"csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303 and _unread(session, leader.id) == 1
    client.post("/notifications/read-all", data={"csrf_token": token})
    assert _unread(session, leader.id) == 0
    assert 'class="count-badge"' not in client.get("/notifications").text
    assert second[0].id


def test_another_persons_notification_is_not_found_and_stays_unread(
    client: TestClient, session: Session, world: ProjectWorld
) -> None:
    [note] = tell(session, [world.users["member_a"].id])
    headers = bearer(client, "leader")
    answer = client.post(f"/api/me/notifications/{note.id}/read", headers=headers)
    assert answer.status_code == 404
    assert _unread(session, world.users["member_a"].id) == 1
    login(client, "leader")
    token = csrf_of(client, "/notifications")
    assert client.post("/notifications/read-all", data={}).status_code == 403  # no CSRF token
    assert (
        client.post(f"/notifications/{note.id}/read", data={"csrf_token": token}).status_code == 404
    )


def test_the_api_lists_and_marks_the_callers_notifications(
    client: TestClient, session: Session, world: ProjectWorld
) -> None:
    user = world.users["member_a"]
    [note] = tell(session, [user.id])
    headers = bearer(client, "member_a")
    found = client.get("/api/me/notifications", headers=headers)
    assert found.headers["x-unread-count"] == "1" and found.headers["x-total-count"] == "1"
    [item] = found.json()
    assert item["kind"] == "task_assigned" and item["kind_label"] == "En opgave er tildelt dig"
    read = client.post(f"/api/me/notifications/{note.id}/read", headers=headers).json()
    assert read["read_at"] is not None
    assert client.get("/api/me/notifications?unread=true", headers=headers).json() == []
    assert client.post("/api/me/notifications/read-all", headers=headers).json() == {"marked": 0}
    assert client.get("/api/me/notifications").status_code == 401


def test_mail_choices_by_api_with_a_danish_422_naming_the_kind(
    client: TestClient, session: Session, world: ProjectWorld
) -> None:
    headers = bearer(client, "leader")
    rows = client.get("/api/me/notification-settings", headers=headers).json()
    assert {r["kind"]: r["delivery"] for r in rows}["milestone_slipping"] == "daily"
    changed = client.put(
        "/api/me/notification-settings", headers=headers, json={"meeting_called": "weekly"}
    )
    assert changed.status_code == 200
    assert {r["kind"]: r["delivery"] for r in changed.json()}["meeting_called"] == "weekly"
    refused = client.put(
        "/api/me/notification-settings",
        headers=headers,
        json={"plan_submitted": "none", "meeting_called": "hourly"},
    )
    assert refused.status_code == 422
    assert "Et møde er indkaldt" in refused.text
    session.expire_all()
    chosen = settings_of(session=session, user=world.users["leader"])
    assert chosen[NotificationKind.plan_submitted] == Delivery.immediate  # nothing half-written
    assert chosen[NotificationKind.meeting_called] == Delivery.weekly


def test_mail_choices_page_saves_and_refuses_with_the_field_named(
    client: TestClient, session: Session, world: ProjectWorld
) -> None:
    login(client, "member_a")
    html = client.get("/account/notifications").text
    assert "Mails om notifikationer" in html and "Daglig samlet mail" in html
    token = csrf_of(client, "/account/notifications")
    saved = client.post(
        "/account/notifications",
        data={"csrf_token": token, "task_assigned": "weekly"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    refused = client.post(
        "/account/notifications", data={"csrf_token": token, "task_assigned": "sometimes"}
    )
    assert refused.status_code == 422 and "En opgave er tildelt dig" in refused.text
    session.expire_all()
    [row] = session.exec(select(NotificationSetting)).all()
    assert row.kind == NotificationKind.task_assigned and row.delivery == Delivery.weekly


def test_the_outbox_is_the_administrators_and_shows_mail_held_without_a_server(
    client: TestClient, session: Session, world: ProjectWorld
) -> None:
    leader = world.users["leader"]
    leader.email = "leder@test.example"
    session.add(leader)
    session.commit()
    tell(session, [leader.id])
    failed = OutboxMail(
        to_address="x@refused.example",
        subject="Afvist",
        text_body="t",
        html_body="h",
        status=MailStatus.failed,
        attempts=1,
        last_error="550 Ukendt modtager",
    )
    session.add(failed)
    session.commit()
    login(client, "leader")
    assert client.get("/admin/outbox").status_code == 403
    assert client.get("/api/admin/outbox", headers=bearer(client, "leader")).status_code == 403
    client.cookies.clear()
    login(client, "admin")
    html = client.get("/admin/outbox").text
    assert "Der er ikke sat en mailserver op" in html
    assert "leder@test.example" in html and "550 Ukendt modtager" in html
    token = csrf_of(client, "/admin/outbox")
    client.post(f"/admin/outbox/{failed.id}/retry", data={"csrf_token": token})
    session.expire_all()
    assert session.get(OutboxMail, failed.id).status == MailStatus.pending
    again = client.post(f"/admin/outbox/{failed.id}/retry", data={"csrf_token": token})
    assert again.status_code == 409


def test_the_outbox_is_paged_over_all_its_mail_with_the_true_total(
    client: TestClient, session: Session, world: ProjectWorld
) -> None:
    for i in range(205):
        session.add(
            OutboxMail(
                to_address=f"m{i}@test.example", subject=f"Mail {i}", text_body="t", html_body="h"
            )
        )
    session.add(
        OutboxMail(
            to_address="x@refused.example",
            subject="Afvist",
            text_body="t",
            html_body="h",
            status=MailStatus.failed,
            last_error="550",
        )
    )
    session.commit()
    headers = bearer(client, "admin")
    first = client.get("/api/admin/outbox?limit=100", headers=headers)
    assert first.headers["X-Total-Count"] == "206" and 'rel="next"' in first.headers["Link"]
    assert first.json()[0]["subject"] == "Afvist"
    last = client.get("/api/admin/outbox?offset=200&limit=100", headers=headers)
    assert [m["subject"] for m in last.json()] == [f"Mail {i}" for i in range(5, -1, -1)]
    failed = client.get("/api/admin/outbox?status=failed", headers=headers)
    assert failed.headers["X-Total-Count"] == "1" and len(failed.json()) == 1
    login(client, "admin")
    page3 = client.get("/admin/outbox?page=3").text
    assert "Side 3 af 3 (206 i alt)" in page3
    assert "m0@test.example" in page3 and "m6@test.example" not in page3
    assert 'href="/admin/outbox?page=2"' in page3
    past = client.get("/admin/outbox?page=9").text  # e.g. after mail moved on: the last page
    assert "Side 3 af 3 (206 i alt)" in past and "m0@test.example" in past


def test_an_unreachable_mail_server_never_holds_up_a_page(
    settings: Settings, session: Session, world: ProjectWorld
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    world.users["leader"].email = "leder@test.example"
    session.add(world.users["leader"])
    person = make_person(session, world.project, name="Leder")
    session.add(Membership(body_id=world.steering.id, person_id=person.id))
    member = session.exec(
        select(ProjectMember).where(ProjectMember.user_id == world.users["leader"].id)
    ).one()
    member.person_id = person.id
    session.commit()
    try:
        with TestClient(app) as client:
            headers = bearer(client, "secretariat")
            answer = client.post(
                f"/api/projects/{world.project.id}/meetings",
                headers=headers,
                json={"body_id": world.steering.id, "meeting_date": "2099-01-05"},
            )
            assert answer.status_code == 201, answer.text
    finally:
        app.state.db.dispose()
    session.expire_all()
    [mail] = session.exec(select(OutboxMail)).all()
    assert mail.status == MailStatus.pending and mail.to_address == "leder@test.example"
