"""The conditional-update check shared by the domains' test_conditional_api.py (issue 25): an
update or delete without a version answers 428, with an outdated one 409, both with the current
version and nothing changed; with the right one it goes through."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel

STALE_FROM = 3  # the row is set to this version first, so version 2 is outdated


@dataclass(frozen=True)
class Case:
    """One route: how to make its row, the request and what the success answers."""

    method: str  # "patch", "put" or "delete"
    path: str  # after /api/projects/{project_id}; {id}, {indicator_id}…: the row's columns
    make: Callable[[Session, Any], SQLModel]  # (session, world) → the row, committed
    json: dict[str, Any] = field(default_factory=dict)  # the change (without version)
    ok: int = 200
    user: str = "leader"

    def __str__(self) -> str:  # the parametrized test's id
        return f"{self.method.upper()} {self.path}"


def _state(session: Session, model: type[SQLModel], pk: int) -> dict[str, Any] | None:
    session.expire_all()
    stored = session.get(model, pk)
    return None if stored is None else stored.model_dump()


def check(client: TestClient, session: Session, world: Any, headers: dict[str, str], case: Case):
    """No version → 428, outdated → 409 (both with current_version, nothing changed); the
    current version → success."""
    row = case.make(session, world)
    row.version = STALE_FROM  # type: ignore[attr-defined]
    session.add(row)
    session.commit()
    url = f"/api/projects/{world.project.id}" + case.path.format(**row.model_dump())
    model, pk = type(row), row.id  # type: ignore[attr-defined]
    before = _state(session, model, pk)

    def send(version: int | None) -> Any:
        if case.method == "delete":
            params = {} if version is None else {"version": version}
            return client.delete(url, params=params, headers=headers)
        body = case.json | ({} if version is None else {"version": version})
        return client.request(case.method.upper(), url, json=body, headers=headers)

    missing = send(None)
    assert missing.status_code == 428, missing.text
    assert missing.json()["code"] == "version_required"
    assert missing.json()["current_version"] == STALE_FROM
    assert _state(session, model, pk) == before
    stale = send(STALE_FROM - 1)
    assert stale.status_code == 409, stale.text
    assert stale.json()["current_version"] == STALE_FROM
    assert _state(session, model, pk) == before
    done = send(STALE_FROM)
    assert done.status_code == case.ok, done.text
    after = _state(session, model, pk)
    if case.method == "delete":
        assert after is None
    else:
        assert after is not None and after["version"] == STALE_FROM + 1
