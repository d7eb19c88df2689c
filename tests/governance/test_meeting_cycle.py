"""The secretariat's meeting cycle: the agenda reordered (dense positions), minutes per agenda
item, publishing the minutes, decisions recorded from the minutes, the meeting pack linked."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.models import ProjectMember
from app.errors import Conflict, Forbidden, Invalid
from app.governance import decisions, meetings
from app.governance.models import AgendaItem, Decision, Meeting, Membership
from app.governance.schemas import (
    AgendaItemCreate,
    AgendaItemMove,
    DecisionFromMinutes,
    ItemMinutesUpdate,
    MinutesPublish,
)
from app.notifications.models import Notification, NotificationKind
from tests.factories import ProjectWorld, bearer, csrf_of, login, make_person
from tests.governance.factories import access, make_meeting


def _agenda(session: Session, world: ProjectWorld, meeting: Meeting, *titles: str) -> list[int]:
    by = access(session, world, "secretariat")
    return [
        meetings.add_agenda_item(
            session=session, by=by, meeting_id=meeting.id, data=AgendaItemCreate(title=t)
        ).id
        for t in titles
    ]


def _order(session: Session, meeting: Meeting) -> list[tuple[int, str]]:
    session.expire_all()
    return [(a.position, a.title) for a in meetings.agenda(session=session, meeting_id=meeting.id)]


def _move(session: Session, world: ProjectWorld, meeting: Meeting, item_id: int, to: int) -> None:
    meetings.move_agenda_item(
        session=session,
        by=access(session, world, "secretariat"),
        meeting_id=meeting.id,
        item_id=item_id,
        data=AgendaItemMove(position=to, version=session.get(AgendaItem, item_id).version),
    )


# Reordering the agenda


def test_moving_an_item_keeps_the_positions_dense_and_is_audited(
    session: Session, world: ProjectWorld
):
    meeting = make_meeting(session, world)
    a, b, c = _agenda(session, world, meeting, "A", "B", "C")
    _move(session, world, meeting, c, 1)
    assert _order(session, meeting) == [(1, "C"), (2, "A"), (3, "B")]
    _move(session, world, meeting, c, 99)
    assert _order(session, meeting) == [(1, "A"), (2, "B"), (3, "C")]
    moved = session.exec(
        select(AuditEvent).where(AuditEvent.action == "moved").order_by(col(AuditEvent.id))
    ).all()
    assert moved[0].before == {"order": [a, b, c]} and moved[0].after["order"] == [c, a, b]
    meetings.delete_agenda_item(
        session=session,
        by=access(session, world, "secretariat"),
        meeting_id=meeting.id,
        item_id=a,
        version=session.get(AgendaItem, a).version,
    )
    assert _order(session, meeting) == [(1, "B"), (2, "C")]


def test_a_move_from_an_old_copy_is_refused(session: Session, world: ProjectWorld):
    meeting = make_meeting(session, world)
    _, b = _agenda(session, world, meeting, "A", "B")
    with pytest.raises(Conflict):
        meetings.move_agenda_item(
            session=session,
            by=access(session, world, "secretariat"),
            meeting_id=meeting.id,
            item_id=b,
            data=AgendaItemMove(position=1, version=7),
        )
    assert _order(session, meeting) == [(1, "A"), (2, "B")]


def test_the_position_route_and_its_refusals(
    client: TestClient, session: Session, world: ProjectWorld
):
    meeting = make_meeting(session, world)
    _, b = _agenda(session, world, meeting, "A", "B")
    url = f"/api/projects/{world.project.id}/meetings/{meeting.id}/agenda/{b}/position"
    for name in ("steering", "directorate", "member_a"):
        assert client.put(url, json={"position": 1}, headers=bearer(client, name)).status_code in (
            403,
            404,
        )
    assert _order(session, meeting) == [(1, "A"), (2, "B")]
    bad = client.put(url, json={"position": 0}, headers=bearer(client, "secretariat"))
    assert bad.status_code == 422
    answer = client.put(
        url, json={"position": 1, "version": 1}, headers=bearer(client, "secretariat")
    )
    assert answer.status_code == 200
    assert [(i["position"], i["title"]) for i in answer.json()] == [(1, "B"), (2, "A")]


def test_up_and_down_on_the_page_with_and_without_htmx(
    client: TestClient, session: Session, world: ProjectWorld
):
    meeting = make_meeting(session, world)
    a, b, c = _agenda(session, world, meeting, "A", "B", "C")
    login(client, "secretariat")
    page = f"/projects/{world.project.id}/meetings/{meeting.id}"
    shown = client.get(page).text
    assert f'id="agenda-{a}-down"' in shown and f'id="agenda-{a}-up"' not in shown
    token = csrf_of(client, page)
    answer = client.post(
        f"{page}/agenda/{b}/move",
        headers={"HX-Request": "true", "X-CSRF-Token": token},
        data={"direction": "up", "version": "1"},
    )
    assert answer.status_code == 200 and answer.text.lstrip().startswith('<section id="agenda"')
    # B is first now: its »up« is gone, so its »down« keeps the focus.
    assert f'id="agenda-{b}-down" autofocus' in answer.text
    assert _order(session, meeting) == [(1, "B"), (2, "A"), (3, "C")]
    plain = client.post(
        f"{page}/agenda/{c}/move",
        headers={"X-CSRF-Token": token},
        data={"direction": "up", "version": "1"},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"].endswith(f"#agenda-item-{c}")
    assert _order(session, meeting) == [(1, "B"), (2, "C"), (3, "A")]
    login(client, "steering")
    refused = client.post(
        f"{page}/agenda/{c}/move",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(client, page)},
        data={"direction": "up", "version": "2"},
    )
    assert refused.status_code == 403
    assert _order(session, meeting) == [(1, "B"), (2, "C"), (3, "A")]


# Minutes per item and publishing


def _seat_steering_user(session: Session, world: ProjectWorld) -> None:
    person = make_person(session, world.project, name="Sofie Styregruppe")
    session.add(Membership(body_id=world.steering.id, person_id=person.id))
    member = session.exec(
        select(ProjectMember).where(ProjectMember.user_id == world.users["steering"].id)
    ).one()
    member.person_id = person.id
    session.add(member)
    session.commit()


def test_minutes_per_item_then_published_to_the_bodys_members(
    session: Session, world: ProjectWorld
):
    _seat_steering_user(session, world)
    meeting = make_meeting(session, world)
    [item] = _agenda(session, world, meeting, "Budget")
    by = access(session, world, "secretariat")
    with pytest.raises(Invalid):
        meetings.publish_minutes(
            session=session, by=by, meeting_id=meeting.id, data=MinutesPublish()
        )
    session.rollback()
    written = meetings.update_item_minutes(
        session=session,
        by=by,
        meeting_id=meeting.id,
        item_id=item,
        data=ItemMinutesUpdate(minutes="  Budgettet blev godkendt. ", version=1),
    )
    assert written.minutes == "Budgettet blev godkendt." and written.version == 2
    published = meetings.publish_minutes(
        session=session, by=by, meeting_id=meeting.id, data=MinutesPublish(version=1)
    )
    assert published.minutes_published_at is not None
    told = session.exec(
        select(Notification).where(Notification.kind == NotificationKind.minutes_published)
    ).all()
    assert [n.user_id for n in told] == [world.users["steering"].id]
    assert told[0].link == f"/projects/{world.project.id}/meetings/{meeting.id}#minutes"
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.entity.in_(("meeting", "agenda_item")))
    ).all()
    assert "minutes_updated" in actions and "minutes_published" in actions


def test_item_minutes_and_publishing_over_http(
    client: TestClient, session: Session, world: ProjectWorld
):
    meeting = make_meeting(session, world)
    [item] = _agenda(session, world, meeting, "Budget")
    api = f"/api/projects/{world.project.id}/meetings/{meeting.id}"
    body = {"minutes": "Godkendt", "version": 1}
    refused = client.put(
        f"{api}/agenda/{item}/minutes", json=body, headers=bearer(client, "member_a")
    )
    assert refused.status_code == 403
    answer = client.put(
        f"{api}/agenda/{item}/minutes", json=body, headers=bearer(client, "steering")
    )
    assert answer.status_code == 200 and answer.json()["minutes"] == "Godkendt"
    assert (
        client.post(f"{api}/minutes/publish", headers=bearer(client, "steering")).status_code == 403
    )
    published = client.post(f"{api}/minutes/publish", headers=bearer(client, "secretariat"))
    assert published.status_code == 200 and published.json()["minutes_published_at"]
    assert published.json()["agenda"][0]["minutes"] == "Godkendt"

    login(client, "secretariat")
    page = f"/projects/{world.project.id}/meetings/{meeting.id}"
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, page)}
    opened = client.get(f"{page}/minutes?item={item}")
    assert 'name="minutes"' in opened.text and "Referat af punkt 1" in opened.text
    saved = client.post(
        f"{page}/agenda/{item}/minutes", headers=headers, data={"minutes": "Rettet", "version": "2"}
    )
    assert saved.status_code == 200 and "Rettet" in saved.text
    stale = client.post(
        f"{page}/agenda/{item}/minutes", headers=headers, data={"minutes": "Igen", "version": "2"}
    )
    assert stale.status_code == 409
    again = client.post(f"{page}/minutes/publish", headers=headers, data={})
    assert again.status_code == 200 and "Offentliggjort" in again.text
    session.expire_all()
    assert session.get(AgendaItem, item).minutes == "Rettet"


def test_after_minutes_are_saved_the_pages_delete_forms_carry_the_new_versions(
    client: TestClient, session: Session, world: ProjectWorld
):
    """Saving minutes raises the meeting's and the item's versions; the answer brings the
    details and the agenda along (out of band), so their delete buttons still work."""
    meeting = make_meeting(session, world)
    [item] = _agenda(session, world, meeting, "Budget")
    login(client, "secretariat")
    page = f"/projects/{world.project.id}/meetings/{meeting.id}"
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, page)}
    saved = client.post(
        f"{page}/agenda/{item}/minutes", headers=headers, data={"minutes": "Ok", "version": "1"}
    )
    assert saved.status_code == 200
    assert 'id="agenda"' in saved.text and 'id="meeting-info"' in saved.text
    assert saved.text.count('hx-swap-oob="true"') == 2
    session.expire_all()
    version = session.get(AgendaItem, item).version
    assert version == 2 and f'name="version" value="{version}"' in saved.text
    removed = client.post(
        f"{page}/agenda/{item}/delete", headers=headers, data={"version": str(version)}
    )
    assert removed.status_code == 200, removed.text[:300]
    session.expire_all()
    assert session.get(AgendaItem, item) is None


# Decisions recorded from the minutes


def test_the_secretariat_records_a_decision_from_an_items_minutes(
    session: Session, world: ProjectWorld
):
    meeting = make_meeting(session, world)
    [item] = _agenda(session, world, meeting, "Budget")
    data = DecisionFromMinutes(title="Budgettet godkendes", text="Enstemmigt")
    with pytest.raises(Forbidden):
        decisions.record_from_minutes(
            session=session,
            by=access(session, world, "steering"),
            meeting_id=meeting.id,
            item_id=item,
            data=data,
        )
    session.rollback()
    with pytest.raises(Invalid):
        decisions.record_from_minutes(
            session=session,
            by=access(session, world, "secretariat"),
            meeting_id=meeting.id,
            item_id=item,
            data=DecisionFromMinutes(title=" "),
        )
    session.rollback()
    assert session.exec(select(Decision)).all() == []
    decision = decisions.record_from_minutes(
        session=session,
        by=access(session, world, "secretariat"),
        meeting_id=meeting.id,
        item_id=item,
        data=data,
    )
    assert decision.agenda_item_id == item and decision.meeting_id == meeting.id
    assert decision.body_id == world.steering.id
    assert decision.decision_date == meeting.meeting_date
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "decision")).one()
    assert event.action == "recorded" and event.after["from_minutes_of"] == "Budget"


def test_recording_from_the_minutes_over_http(
    client: TestClient, session: Session, world: ProjectWorld
):
    meeting = make_meeting(session, world)
    [item] = _agenda(session, world, meeting, "Budget")
    url = f"/api/projects/{world.project.id}/meetings/{meeting.id}/agenda/{item}/decisions"
    body = {"title": "Budgettet godkendes"}
    assert client.post(url, json=body, headers=bearer(client, "steering")).status_code == 403
    answer = client.post(url, json=body, headers=bearer(client, "secretariat"))
    assert answer.status_code == 201 and answer.json()["agenda_item_id"] == item

    login(client, "secretariat")
    page = f"/projects/{world.project.id}/meetings/{meeting.id}"
    token = {"X-CSRF-Token": csrf_of(client, page)}
    empty = client.post(f"{page}/agenda/{item}/decisions", headers=token, data={"title": ""})
    assert empty.status_code == 422 and 'id="decision-' in empty.text
    done = client.post(
        f"{page}/agenda/{item}/decisions",
        headers=token,
        data={"title": "Mødekalender for 2013"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith(f"#minutes-item-{item}")
    shown = client.get(page).text
    assert "Beslutning nr. 2: Mødekalender for 2013" in shown
    assert len(session.exec(select(Decision)).all()) == 2


# The meeting pack, linked


def test_the_pack_is_linked_from_the_meeting_and_the_list(
    client: TestClient, session: Session, world: ProjectWorld
):
    steering = make_meeting(session, world)
    group = make_meeting(session, world, body_id=world.group_a.id)
    login(client, "secretariat")
    base = f"/projects/{world.project.id}/meetings"
    assert f'href="{base}/{steering.id}/pack"' in client.get(f"{base}/{steering.id}").text
    assert "/pack" not in client.get(f"{base}/{group.id}").text
    listing = client.get(base).text
    assert f'href="{base}/{steering.id}/pack"' in listing
    assert f'href="{base}/{group.id}/pack"' not in listing
    login(client, "member_a")
    assert "/pack" not in client.get(f"{base}/{steering.id}").text
