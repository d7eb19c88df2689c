"""Every update and delete of a task, a milestone, a plan and a group's meeting rule is
conditional (issue 25)."""

import pytest
from sqlmodel import Session

from app.governance.models import MeetingRule
from tests.conditional import Case, check
from tests.factories import ProjectWorld, bearer
from tests.workstreams.factories import make_milestone, make_plan, make_task


def _rule(session: Session, world: ProjectWorld) -> MeetingRule:
    rule = MeetingRule(
        project_id=world.project.id or 0, body_id=world.group_a.id or 0, meeting_interval_days=30
    )
    session.add(rule)
    session.commit()
    return rule


CASES = [
    Case("patch", "/tasks/{id}", make_task, {"title": "Beskriv arbejdsgange"}),
    Case("delete", "/tasks/{id}", make_task, ok=204),
    Case("patch", "/milestones/{id}", make_milestone, {"name": "Arbejdsgange vedtaget"}),
    Case("delete", "/milestones/{id}", make_milestone, ok=204),
    Case("patch", "/plans/{id}", make_plan, {"title": "Gruppe A's plan"}),
    Case("delete", "/plans/{id}", make_plan, ok=204),
    Case("patch", "/group-settings/{body_id}", _rule, {"meeting_interval_days": 14}),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_updates_and_deletes_name_the_version(client, session, world, case):
    check(client, session, world, bearer(client, case.user), case)


@pytest.mark.parametrize("tag", ['"1"', 'W/"1"', '"²"', "eins"])
def test_a_delete_takes_its_version_from_if_match(client, session, world, tag):
    """`If-Match: "N"` names the version; anything else is a 422 naming the rule, never a 500
    (a superscript two is a digit to Python but no version)."""
    task = make_task(session, world)
    answer = client.delete(
        f"/api/projects/{world.project.id}/tasks/{task.id}",
        headers=bearer(client, "leader") | {"If-Match": tag.encode("latin-1")},
    )
    if tag.endswith('"1"'):
        assert answer.status_code == 204
    else:
        assert answer.status_code == 422, answer.text
        assert "If-Match" in answer.json()["detail"]
