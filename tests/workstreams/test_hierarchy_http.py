"""The structure of a plan over HTTP (issue 20): the API's fields and refusals, and the group
page's tree, its »Tilføj underopgave« and ↑/↓."""

from sqlmodel import select

from app.workstreams.models import Task
from tests.factories import bearer, csrf_of, login
from tests.workstreams.factories import make_task


def url(world, path: str) -> str:
    return f"/api/projects/{world.project.id}/{path}"


def page(world, path: str) -> str:
    return f"/projects/{world.project.id}/{path}"


def test_the_api_creates_a_sub_task_and_reads_number_level_and_children(client, world, session):
    headers = bearer(client, "member_a")
    phase = client.post(
        url(world, "tasks"), headers=headers, json={"title": "Fase 1", "group_id": world.group_a.id}
    ).json()
    child = client.post(
        url(world, "tasks"),
        headers=headers,
        json={
            "title": "Aktivitet",
            "parent_id": phase["id"],
            "start_date": "2013-01-07",
            "due_date": "2013-01-31",
            "progress": 50,
        },
    )
    assert child.status_code == 201
    body = child.json()
    assert (body["number"], body["level"], body["parent_id"], body["group_id"]) == (
        "1.1",
        2,
        phase["id"],
        world.group_a.id,
    )
    parent = client.get(url(world, f"tasks/{phase['id']}"), headers=headers).json()
    assert parent["children"] == 1 and parent["rolled_up"] is True
    assert (parent["start_date"], parent["due_date"], parent["progress"]) == (
        "2013-01-07",
        "2013-01-31",
        50,
    )
    listed = client.get(url(world, "tasks"), headers=headers).json()
    assert {t["title"]: t["number"] for t in listed} == {"Fase 1": "1", "Aktivitet": "1.1"}


def test_the_api_refuses_hand_set_parent_dates_another_group_a_cycle_and_deleting_a_parent(
    client, world, session
):
    headers = bearer(client, "leader")
    phase = make_task(session, world, title="Fase 1")
    child = make_task(session, world, title="Aktivitet", parent_id=phase.id)
    session.refresh(phase)
    hand_set = client.patch(
        url(world, f"tasks/{phase.id}"),
        headers=headers,
        json={"due_date": "2014-01-01", "version": phase.version},
    )
    assert hand_set.status_code == 422 and "Frist" in hand_set.text
    other_group = client.post(
        url(world, "tasks"),
        headers=headers,
        json={"title": "X", "group_id": world.group_b.id, "parent_id": phase.id},
    )
    assert other_group.status_code == 422 and "Overordnet opgave" in other_group.text
    cycle = client.patch(
        url(world, f"tasks/{phase.id}"),
        headers=headers,
        json={"parent_id": child.id, "version": phase.version},
    )
    assert cycle.status_code == 422
    deleted = client.delete(
        url(world, f"tasks/{phase.id}"), params={"version": phase.version}, headers=headers
    )
    assert deleted.status_code == 409 and "1 underopgaver" in deleted.text
    session.expire_all()
    assert session.get(Task, phase.id) is not None
    stale = client.patch(
        url(world, f"tasks/{child.id}"), headers=headers, json={"position": 1, "version": 99}
    )
    assert stale.status_code == 409


def test_the_api_moves_a_task_to_the_top_and_keeps_positions_dense(client, world, session):
    headers = bearer(client, "leader")
    phase = make_task(session, world, title="Fase 1")
    a = make_task(session, world, title="A", parent_id=phase.id)
    b = make_task(session, world, title="B", parent_id=phase.id)
    moved = client.patch(
        url(world, f"tasks/{a.id}"),
        headers=headers,
        json={"parent_id": None, "position": 1, "version": a.version},
    )
    assert moved.status_code == 200 and moved.json()["number"] == "1"
    session.expire_all()
    rows = session.exec(select(Task).order_by(Task.id)).all()
    assert [(t.title, t.parent_id, t.position) for t in rows] == [
        ("Fase 1", None, 2),
        ("A", None, 1),
        ("B", phase.id, 1),
    ]
    assert b.id


def test_the_group_page_shows_the_tree_adds_a_sub_task_and_moves_a_task(client, world, session):
    phase = make_task(session, world, title="Fase 1")
    make_task(session, world, title="Aktivitet", parent_id=phase.id)
    second = make_task(session, world, title="Fase 2")
    login(client, "member_a")
    html = client.get(page(world, f"groups/{world.group_a.id}")).text
    assert 'class="ws-depth-1 ws-parent' in html and 'class="ws-depth-2' in html
    assert '<span class="ws-number">1.1</span> Aktivitet' in html
    assert "beregnet ud fra underopgaverne" in html
    opened = client.get(page(world, f"groups/{world.group_a.id}?parent_id={phase.id}")).text
    assert f'<option value="{phase.id}" selected>1 Fase 1</option>' in opened
    token = csrf_of(client, page(world, f"groups/{world.group_a.id}"))
    added = client.post(
        page(world, "tasks"),
        data={
            "csrf_token": token,
            "title": "Trin",
            "group_id": str(world.group_a.id),
            "parent_id": str(phase.id),
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    html = client.get(page(world, f"groups/{world.group_a.id}")).text
    assert '<span class="ws-number">1.2</span> Trin' in html
    moved = client.post(
        page(world, f"tasks/{second.id}/move"),
        data={"csrf_token": token, "direction": "up", "version": str(second.version)},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    html = client.get(page(world, f"groups/{world.group_a.id}")).text
    assert '<span class="ws-number">1</span> Fase 2' in html
    assert '<span class="ws-number">2.2</span> Trin' in html
    refused = client.post(
        page(world, f"tasks/{second.id}/move"),
        data={"direction": "up", "version": "1"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
