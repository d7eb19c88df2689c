"""Every update and delete of the participants API says which version it was made from (issue
25): without one 428 `version_required`, with an old one 409, both with the current version and
nothing changed; with the right one the change is made (a delete's version as `?version=N` or
as `If-Match`)."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, SQLModel, func, select

from app.audit.models import AuditEvent
from app.participants.models import FollowUp, Participant, RegistrationScheme
from tests.factories import bearer
from tests.participants.factories import (
    exit_participant,
    follow_up,
    make_participant,
    make_scheme,
)


def _scheme(session, world) -> tuple[str, SQLModel]:
    scheme = make_scheme(session, world)
    return f"/participant-schemes/{scheme.id}", scheme


def _participant(session, world) -> tuple[str, SQLModel]:
    p = make_participant(session, world, make_scheme(session, world))
    return f"/participants/{p.id}", p


def _follow_up(session, world) -> tuple[str, SQLModel]:
    p = make_participant(session, world, make_scheme(session, world))
    f = follow_up(session, world, p, date(2013, 8, 1))
    return f"/participants/{p.id}/follow-ups/{f.id}", f


def _exited(session, world) -> tuple[str, SQLModel]:
    p = make_participant(session, world, make_scheme(session, world))
    p = exit_participant(session, world, p, date(2013, 10, 1))
    return f"/participants/{p.id}/exit", p


CASES = [
    ("PATCH", {"description": "Opdateret"}, RegistrationScheme, _scheme),
    ("DELETE", None, RegistrationScheme, _scheme),
    ("PATCH", {"target_group": "I risiko for ressourceforløb"}, Participant, _participant),
    ("DELETE", None, Participant, _participant),
    ("PATCH", {"values": {"development": "Flere timer"}}, FollowUp, _follow_up),
    ("DELETE", None, FollowUp, _follow_up),
    ("DELETE", None, Participant, _exited),
]
IDS = [
    "PATCH scheme",
    "DELETE scheme",
    "PATCH participant",
    "DELETE participant",
    "PATCH follow-up",
    "DELETE follow-up",
    "DELETE exit",
]


def _state(session: Session, model: type[SQLModel]) -> tuple[list[dict[str, Any]], int]:
    """Every row of the table the write changes, and the number of audit events."""
    session.expire_all()
    rows = [r.model_dump() for r in session.exec(select(model)).all()]
    audited = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return sorted(rows, key=repr), audited


@pytest.mark.parametrize(("method", "body", "model", "make"), CASES, ids=IDS)
def test_a_write_needs_the_current_version(client, world, session, method, body, model, make):
    headers = bearer(client, "leader")
    path, row = make(session, world)
    url = f"/api/projects/{world.project.id}{path}"
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
