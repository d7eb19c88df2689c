"""Form fields that become response headers (issue 16, finding 12).

The htmx task form names the group whose page the row is on (`from_group`); when the task has
left that group the answer sends the browser to the group's page in an HX-Redirect header. A
CR/LF in the field went into the header, and the server dropped the connection after the update
was saved. Only the id of one of the project's implementation groups is taken from the field.
"""

import pytest

from app.workstreams.models import Task
from tests.factories import csrf_of, login
from tests.workstreams.factories import make_task


@pytest.mark.parametrize(
    "from_group",
    ["{group}\r\nX-Evil: 1", "{group}\nX-Evil: 1", "{steering}"],
    ids=["crlf", "lf", "not-a-group"],
)
def test_from_group_is_a_group_of_the_project_or_ignored(client, world, session, from_group):
    task = make_task(session, world, title="Kortlæg arbejdsgange")
    login(client, "leader")
    tasks = f"/projects/{world.project.id}/tasks"
    answer = client.post(
        f"{tasks}/{task.id}",
        headers={
            "HX-Request": "true",
            "X-CSRF-Token": csrf_of(client, f"/projects/{world.project.id}/plans"),
        },
        data={
            "title": "Ny titel",
            "version": "1",
            "group_id": str(world.group_b.id),
            "start_date": "2013-01-07",
            "due_date": "2013-02-28",
            "from_group": from_group.format(group=world.group_a.id, steering=world.steering.id),
        },
    )
    assert answer.status_code == 200, answer.text
    assert "hx-redirect" not in answer.headers and "x-evil" not in answer.headers
    assert "Ny titel" in answer.text
    saved = session.get(Task, task.id)
    assert (saved.title, saved.group_id) == ("Ny titel", world.group_b.id)


def test_a_task_moved_from_the_group_page_sends_the_browser_to_that_page(client, world, session):
    task = make_task(session, world)
    login(client, "leader")
    tasks = f"/projects/{world.project.id}/tasks"
    answer = client.post(
        f"{tasks}/{task.id}",
        headers={
            "HX-Request": "true",
            "X-CSRF-Token": csrf_of(client, f"/projects/{world.project.id}/plans"),
        },
        data={
            "title": task.title,
            "version": "1",
            "group_id": str(world.group_b.id),
            "start_date": "2013-01-07",
            "due_date": "2013-02-28",
            "from_group": str(world.group_a.id),
        },
    )
    assert answer.status_code == 204
    assert answer.headers["hx-redirect"] == (
        f"/projects/{world.project.id}/groups/{world.group_a.id}#opgaver"
    )
