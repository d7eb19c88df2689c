"""Every state-changing route leaves exactly one audit record, and no route changes or deletes a
record once written.

Each write route is called once, successfully, by a role allowed to call it, with its declared
example or its own page's form; the audit log must then hold exactly one new event and every
older event unchanged.
"""

import hashlib
import json

import pytest
from sqlalchemy import text

from tests.security.calls import declared, login_token, prepare
from tests.security.inventory import Endpoint, application_endpoints
from tests.security.route_access import ANONYMOUS
from tests.security.stage import Stage
from tests.security.test_authorization_matrix import _destructive

WRITES = sorted(
    (e for e in application_endpoints() if e.writes), key=lambda e: (_destructive(e), e.key)
)
# Who makes the call: the most ordinary role the route allows.
PREFERENCE = ("leader", "secretariat", "steering", "member", "directorate", "admin", ANONYMOUS)


def _audit_digest(stage: Stage, up_to: int) -> str:
    with stage.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, at, user_id, username, project_id, entity, entity_id, action, before, "
                "after FROM audit_event WHERE id <= :n ORDER BY id"
            ),
            {"n": up_to},
        ).all()
    return hashlib.sha256(json.dumps([list(map(str, r)) for r in rows]).encode()).hexdigest()


def test_no_route_writes_to_the_audit_log_directly():
    for endpoint in application_endpoints():
        if "audit" in endpoint.path:
            assert endpoint.method == "GET", f"{endpoint.key} could change the audit log"


@pytest.fixture(scope="module")
def untouched(stage: Stage):
    """The audit log as it was before the first call, to compare with at the end."""
    last = stage.max_audit_id()
    return last, _audit_digest(stage, last)


@pytest.mark.parametrize("endpoint", WRITES, ids=[e.key for e in WRITES])
def test_a_write_leaves_exactly_one_audit_record(stage: Stage, untouched, endpoint: Endpoint):
    rule = declared(endpoint)
    role = next(r for r in PREFERENCE if r in rule.access)
    call = prepare(stage, endpoint, rule)
    client, headers = None, {}
    if rule.ends_session:
        client = stage.sign_in(role)
        headers["X-CSRF-Token"] = stage.csrf_of(client)
    if endpoint.path == "/login":
        client = stage.sign_in(ANONYMOUS)
        call.data = dict(call.data or {}) | {"csrf_token": login_token(client)}
    before_count, before_max = stage.audit_count(), stage.max_audit_id()
    if _SEEN:
        seen_max, seen_digest = _SEEN[-1]
        assert _audit_digest(stage, seen_max) == seen_digest, (
            "an earlier audit record was changed or deleted (by the route tested before this)"
        )
    answer = stage.call(
        role,
        endpoint,
        call.url,
        json=call.json,
        data=call.data,
        files=call.files,
        headers=headers,
        client=client,
    )
    assert answer.status_code < 400, (
        f"{endpoint.key} as {role} ({call.url}) was not accepted, so its audit record cannot be "
        f"checked: {answer.status_code} {answer.text[:400]!r}\nbody: {call.json or call.data}"
    )
    after_count, after_max = stage.audit_count(), stage.max_audit_id()
    assert after_count - before_count == 1, (
        f"{endpoint.key} as {role} left {after_count - before_count} audit records"
    )
    assert after_max > before_max
    _SEEN.append((after_max, _audit_digest(stage, after_max)))


_SEEN: list[tuple[int, str]] = []


def test_no_earlier_record_was_changed_or_deleted(stage: Stage, untouched):
    last, digest = untouched
    assert _audit_digest(stage, last) == digest
    if _SEEN:
        assert _audit_digest(stage, _SEEN[-1][0]) == _SEEN[-1][1]
