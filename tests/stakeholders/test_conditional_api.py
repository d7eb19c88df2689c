"""Every update and delete of the stakeholder API says which version it was made from (issue
25): without one 428 `version_required`, with an old one 409, both with the current version and
nothing changed; with the right one the change is made (a delete's version as `?version=N` or
as `If-Match`)."""

from typing import Any

import pytest
from sqlmodel import Session, SQLModel, func, select

from app.audit.models import AuditEvent
from app.stakeholders.models import CommunicationAction, ExternalActivity, Stakeholder
from tests.factories import bearer
from tests.stakeholders.factories import make_action, make_activity, make_stakeholder


def _stakeholder(session, world) -> SQLModel:
    return make_stakeholder(session, world.project)


def _action(session, world) -> SQLModel:
    return make_action(session, make_stakeholder(session, world.project))


def _activity(session, world) -> SQLModel:
    return make_activity(session, world.project)


CASES = [
    ("PATCH", "/stakeholders/{id}", {"needs": "Skal orienteres"}, Stakeholder, _stakeholder),
    ("DELETE", "/stakeholders/{id}", None, Stakeholder, _stakeholder),
    ("PATCH", "/communication-actions/{id}", {"what": "Nyhedsbrev"}, CommunicationAction, _action),
    ("DELETE", "/communication-actions/{id}", None, CommunicationAction, _action),
    ("PATCH", "/activities/{id}", {"place": "Odense"}, ExternalActivity, _activity),
    ("DELETE", "/activities/{id}", None, ExternalActivity, _activity),
]


def _state(session: Session, model: type[SQLModel]) -> tuple[list[dict[str, Any]], int]:
    """Every row of the table the write changes, and the number of audit events."""
    session.expire_all()
    rows = [r.model_dump() for r in session.exec(select(model)).all()]
    audited = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return sorted(rows, key=repr), audited


@pytest.mark.parametrize(
    ("method", "path", "body", "model", "make"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES]
)
def test_a_write_needs_the_current_version(client, world, session, method, path, body, model, make):
    headers = bearer(client, "leader")
    row = make(session, world)
    url = f"/api/projects/{world.project.id}" + path.format(id=row.id)
    version = row.version

    def call(sent: int | None):
        if body is None:
            params = {} if sent is None else {"version": sent}
            return client.delete(url, headers=headers, params=params)
        sent_body = body if sent is None else body | {"version": sent}
        return client.request(method, url, headers=headers, json=sent_body)

    before = _state(session, model)
    missing = call(None)
    assert missing.status_code == 428, missing.text
    assert missing.json()["code"] == "version_required"
    assert missing.json()["current_version"] == version
    assert _state(session, model) == before

    stale = call(version + 1)
    assert stale.status_code == 409, stale.text
    assert stale.json()["current_version"] == version
    assert _state(session, model) == before

    if body is None:  # a delete may name its version as the entity tag instead
        done = client.delete(url, headers=headers | {"If-Match": f'"{version}"'})
        assert done.status_code == 204, done.text
    else:
        done = call(version)
        assert done.status_code == 200, done.text
    assert _state(session, model) != before
