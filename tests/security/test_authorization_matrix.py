"""The authorisation matrix: every route of the application x every role x its method.

The routes come from the app itself; each one's expected answer is declared once in
route_access.py. A refused role gets 401 (API) or a redirect to sign-in (pages) when anonymous,
403 otherwise, and the database is unchanged; an allowed role is not refused. Refusals run first,
on the untouched demo; then the allowed calls, reads before writes and deletions last.
"""

import pytest
from sqlalchemy import text

from tests.security.calls import declared, login_token, prepare
from tests.security.inventory import Endpoint, application_endpoints
from tests.security.route_access import ANONYMOUS, ROUTES
from tests.security.stage import ROLES, Stage

ALL = application_endpoints()


def _destructive(endpoint: Endpoint) -> bool:
    last = endpoint.path.rstrip("/").rsplit("/", 1)[-1]
    return endpoint.method == "DELETE" or last in ("delete", "remove", "revoke", "deactivate")


def _order(endpoint: Endpoint) -> tuple[int, str]:
    rank = 0 if not endpoint.writes else (2 if _destructive(endpoint) else 1)
    return rank, endpoint.key


ORDERED = sorted(ALL, key=_order)
IDS = [e.key for e in ORDERED]


GROUP_SCOPED = {
    "risk": "raid_item",
    "indicator": "indicator",
    "task": "task",
    "milestone": "milestone",
    "plan": "plan",
    "stakeholder": "stakeholder",
    "communication_action": "communication_action",
    "activity": "external_activity",
    "budget_line": "budget_line",
    "expenditure": "expenditure",
}


def test_the_member_acts_on_another_groups_rows(stage: Stage):
    """The group-scoped rows in the paths belong to a group the member is not in (checked first,
    before the allowed calls change the demo)."""
    with stage.db.engine.connect() as conn:
        for filler, table in GROUP_SCOPED.items():
            group = conn.execute(
                text(f'SELECT group_id FROM "{table}" WHERE id=:i'), {"i": stage.fillers[filler]}
            ).scalar()
            assert group is not None and group != stage.fillers["group_a"], filler


def test_every_route_has_a_declaration():
    missing = [f"{e.key}  ({e.name})" for e in ALL if e.key not in ROUTES]
    assert not missing, (
        "Routes without a declaration in tests/security/route_access.py:\n" + "\n".join(missing)
    )


def test_every_declaration_names_a_route():
    keys = {e.key for e in ALL}
    stale = [key for key in ROUTES if key not in keys]
    assert not stale, "Declarations of routes that do not exist (remove them):\n" + "\n".join(stale)


def _refused_as_expected(stage: Stage, endpoint: Endpoint, role: str, answer) -> str | None:
    if role == ANONYMOUS:
        if endpoint.is_api:
            ok = answer.status_code == 401
        else:
            ok = answer.status_code == 303 and answer.headers.get("location", "").startswith(
                "/login"
            )
        expected = "401" if endpoint.is_api else "303 to /login"
    else:
        ok = answer.status_code == 403
        expected = "403"
    if ok:
        return None
    return f"{role}: expected {expected}, got {answer.status_code} {answer.text[:200]!r}"


@pytest.mark.parametrize("endpoint", ORDERED, ids=IDS)
def test_refused_roles_are_refused_and_nothing_changes(stage: Stage, endpoint: Endpoint):
    rule = declared(endpoint)
    refused = [r for r in ROLES if r not in rule.access]
    if not refused:
        assert rule.access >= set(ROLES)
        return
    call = prepare(stage, endpoint, rule)
    before = stage.fingerprint()
    problems = []
    for role in refused:
        answer = stage.call(
            role, endpoint, call.url, json=call.json, data=call.data, files=call.files
        )
        problem = _refused_as_expected(stage, endpoint, role, answer)
        if problem:
            problems.append(problem)
    after = stage.fingerprint()
    changed = [f"{a} -> {b}" for a, b in zip(before, after, strict=True) if a != b]
    assert not problems, f"{endpoint.key} ({call.url}):\n" + "\n".join(problems)
    assert not changed, f"{endpoint.key}: a refused call changed the database: {changed}"


@pytest.mark.parametrize("endpoint", ORDERED, ids=IDS)
def test_allowed_roles_are_let_through(stage: Stage, endpoint: Endpoint):
    rule = declared(endpoint)
    problems = []
    for role in sorted(rule.access):
        call = prepare(stage, endpoint, rule)
        client = None
        headers: dict[str, str] = {}
        if rule.ends_session and role != ANONYMOUS:
            client = stage.sign_in(role)
            headers["X-CSRF-Token"] = stage.csrf_of(client)
        if endpoint.path == "/login":
            client = stage.sign_in(ANONYMOUS)
            call.data = dict(call.data or {}) | {"csrf_token": login_token(client)}
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
        refused = answer.status_code in (401, 403) or (
            answer.status_code == 303
            and answer.headers.get("location", "").startswith("/login")
            and endpoint.path != "/logout"
        )
        if refused:
            problems.append(f"{role}: refused with {answer.status_code} {answer.text[:200]!r}")
        elif answer.status_code >= 500:
            problems.append(f"{role}: server error {answer.status_code}")
        elif (
            not endpoint.writes and answer.status_code >= 400 and answer.status_code != rule.answers
        ):
            problems.append(f"{role}: reading answered {answer.status_code} {answer.text[:200]!r}")
    assert not problems, f"{endpoint.key} ({prepare(stage, endpoint, rule).url}):\n" + "\n".join(
        problems
    )
