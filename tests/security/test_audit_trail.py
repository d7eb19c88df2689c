"""Every state-changing route leaves exactly one audit record, and no route changes or deletes a
record once written.

Each write route is called once, successfully, by a role allowed to call it, with its declared
example or its own page's form, on the untouched demo (restored before each call); the audit log
must then hold exactly one new event, and every event that was there before must be unchanged.
"""

import hashlib
import json

import pytest
from sqlalchemy import text

from tests.security.calls import current_versions, declared, login_token, page_forms, prepare
from tests.security.inventory import Endpoint, application_endpoints
from tests.security.route_access import ANONYMOUS
from tests.security.stage import Stage, substitute

WRITES = sorted((e for e in application_endpoints() if e.writes), key=lambda e: e.key)
# Who makes the call: the most ordinary role the route allows.
PREFERENCE = ("leader", "secretariat", "steering", "member", "directorate", "admin", ANONYMOUS)


def _audit_digest(stage: Stage, up_to: int) -> str:
    with stage.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, at, user_id, username, project_id, entity, entity_id, action, "
                "before, after FROM audit_event WHERE id <= :n ORDER BY id"
            ),
            {"n": up_to},
        ).all()
    return hashlib.sha256(json.dumps([list(map(str, r)) for r in rows]).encode()).hexdigest()


def test_no_route_writes_to_the_audit_log_directly():
    for endpoint in application_endpoints():
        if "audit" in endpoint.path:
            assert endpoint.method == "GET", f"{endpoint.key} could change the audit log"


@pytest.fixture(scope="module")
def pristine(stage: Stage) -> tuple[int, str]:
    """The demo as every call meets it, and its audit log's last id and digest."""
    page_forms(stage)  # the pages' forms, read before anything changes
    stage.snapshot()
    last = stage.max_audit_id()
    return last, _audit_digest(stage, last)


@pytest.mark.parametrize("endpoint", WRITES, ids=[e.key for e in WRITES])
def test_a_write_leaves_exactly_one_audit_record(stage: Stage, pristine, endpoint: Endpoint):
    stage.restore()
    last, digest = pristine
    rule = declared(endpoint)
    role = next(r for r in PREFERENCE if r in rule.access)
    for method, path, body in rule.before:
        ready = stage.api.request(
            method,
            substitute(current_versions(stage, path), stage.fillers),
            json=body,
            headers=stage.bearer["admin"],
        )
        assert ready.status_code < 400, f"preparing {endpoint.key}: {ready.text[:300]}"
    call = prepare(stage, endpoint, rule)  # after the preparing calls: the versions they left
    client, headers = None, {}
    if rule.ends_session:
        client = stage.sign_in(role)
        headers["X-CSRF-Token"] = stage.csrf_of(client)
    if endpoint.path == "/login":
        client = stage.sign_in(ANONYMOUS)
        call.data = dict(call.data or {}) | {"csrf_token": login_token(client)}
    before = stage.audit_count()
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
    added = stage.audit_count() - before
    assert added == 1, f"{endpoint.key} as {role} left {added} audit records"
    assert _audit_digest(stage, last) == digest, f"{endpoint.key} changed earlier audit records"
