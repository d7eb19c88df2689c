"""Every update and delete of the budget API says which version it was made from (issue 25):
without one 428 `version_required`, with an old one 409, both with the current version and
nothing changed; with the right one the change is made (a delete's version as `?version=N` or
as `If-Match`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, SQLModel, func, select

from app.audit.models import AuditEvent
from app.budget.models import (
    BudgetLine,
    DeviationExplanation,
    EconomyEntry,
    EconomyYear,
    Expenditure,
    Fund,
    FundedPost,
    Grant,
    ProjectActivityKind,
)
from tests.budget.factories import access, first_purpose_id, make_grant
from tests.factories import bearer
from tests.governance.factories import make_area


@dataclass
class Write:
    method: str
    path: str  # after /api/projects/{id}
    body: dict[str, Any] | None
    model: type[SQLModel]
    version: int


def _created(client, base, headers, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(f"{base}{path}", headers=headers, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _fund(client, base, headers, **_: Any) -> dict[str, Any]:
    return _created(client, base, headers, "/funds", {"name": "Pulje", "pool": "100000.00"})


def _line(client, base, headers, grant, **_: Any) -> dict[str, Any]:
    body = {"grant_id": grant.id, "category": "consultancy", "month": "2013-03-01"}
    return _created(client, base, headers, "/budget-lines", body | {"amount": "0.00"})


def _expense(client, base, headers, grant, session, **_: Any) -> dict[str, Any]:
    body = {
        "grant_id": grant.id,
        "date": "2013-02-15",
        "amount": "1000.00",
        "category": "consultancy",
        "description": "Facilitering",
        "purpose_id": first_purpose_id(session, grant),
    }
    return _created(client, base, headers, "/expenditures", body)


def _entry(client, base, headers, session, world, **_: Any) -> dict[str, Any]:
    body = {
        "director_area_id": make_area(session, world.project).id,
        "year": 2014,
        "last_year": 2015,
        "kind": "cost",
        "description": "Flere rehabiliteringsmøder",
        "expected": "20000.00",
    }
    return _created(client, base, headers, "/economy", body)


def _kind(client, base, headers, **_: Any) -> dict[str, Any]:
    return _created(client, base, headers, "/activity-kinds", {"name": "Kursusdag"})


def _post(client, base, headers, grant, **_: Any) -> dict[str, Any]:
    body = {
        "grant_id": grant.id,
        "title": "Jobformidler",
        "first_date": "2013-01-01",
        "last_date": "2013-06-30",
        "hours": "37",
        "budget": "0.00",
    }
    return _created(client, base, headers, "/posts", body)


def _new_grant(client, base, headers, **_: Any) -> dict[str, Any]:
    body = {
        "name": "Nyt tilskud",
        "amount": "50000.00",
        "first_date": "2013-01-01",
        "last_date": "2013-12-31",
        "eligible_categories": [{"category": "consultancy"}],
    }
    return _created(client, base, headers, "/grants", body)


def _the_grant(grant, **_: Any) -> dict[str, Any]:
    return {"id": grant.id, "version": grant.version}


def _no_explanation(grant, **_: Any) -> dict[str, Any]:
    # A category not yet explained is at version 0.
    return {"id": grant.id, "version": 0}


Make = Callable[..., dict[str, Any]]
CASES: list[tuple[str, str, str, dict[str, Any] | None, type[SQLModel], Make]] = [
    ("PATCH", "/funds/{id}", "fund", {"grantor": "Styrelsen"}, Fund, _fund),
    ("DELETE", "/funds/{id}", "fund", None, Fund, _fund),
    ("PATCH", "/grants/{id}", "grant", {"reference": "J.nr. 1"}, Grant, _the_grant),
    ("DELETE", "/grants/{id}", "grant", None, Grant, _new_grant),
    (
        "PUT",
        "/grants/{id}/explanations/consultancy",
        "explanation",
        {"text": "Færre konsulenttimer"},
        DeviationExplanation,
        _no_explanation,
    ),
    ("PATCH", "/budget-lines/{id}", "line", {"note": "Rettet"}, BudgetLine, _line),
    ("DELETE", "/budget-lines/{id}", "line", None, BudgetLine, _line),
    ("PATCH", "/expenditures/{id}", "expense", {"note": "Bilag"}, Expenditure, _expense),
    ("DELETE", "/expenditures/{id}", "expense", None, Expenditure, _expense),
    ("PATCH", "/economy/{id}", "economy", {"per_year": ["5000", "15000"]}, EconomyYear, _entry),
    ("DELETE", "/economy/{id}", "economy", None, EconomyEntry, _entry),
    ("PATCH", "/activity-kinds/{id}", "kind", {"name": "Workshop"}, ProjectActivityKind, _kind),
    ("DELETE", "/activity-kinds/{id}", "kind", None, ProjectActivityKind, _kind),
    ("PATCH", "/posts/{id}", "post", {"note": "Rettet"}, FundedPost, _post),
    ("DELETE", "/posts/{id}", "post", None, FundedPost, _post),
]


def _state(session: Session, model: type[SQLModel]) -> tuple[list[dict[str, Any]], int]:
    """Every row of the table the write changes, and the number of audit events."""
    session.expire_all()
    rows = [r.model_dump() for r in session.exec(select(model)).all()]
    audited = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return sorted(rows, key=repr), audited


@pytest.mark.parametrize(
    ("method", "path", "thing", "body", "model", "make"),
    CASES,
    ids=[f"{c[0]} {c[1]}" for c in CASES],
)
def test_a_write_needs_the_current_version(
    client, world, session, method, path, thing, body, model, make
):
    headers = bearer(client, "leader")
    base = f"/api/projects/{world.project.id}"
    grant = make_grant(session, access(session, world.users["leader"], world.project))
    made = make(
        client=client, base=base, headers=headers, grant=grant, session=session, world=world
    )
    url, version = base + path.format(id=made["id"]), made["version"]

    def call(sent: int | None, extra: dict[str, str] | None = None):
        if body is None:
            params = {} if sent is None else {"version": sent}
            return client.delete(url, headers=headers | (extra or {}), params=params)
        sent_body = body if sent is None else body | {"version": sent}
        return client.request(method, url, headers=headers, json=sent_body)

    before = _state(session, model)
    missing = call(None)
    assert missing.status_code == 428, f"{thing}: {missing.text}"
    assert missing.json()["code"] == "version_required"
    assert missing.json()["current_version"] == version
    assert _state(session, model) == before

    stale = call(version + 1)
    assert stale.status_code == 409, f"{thing}: {stale.text}"
    assert stale.json()["current_version"] == version
    assert _state(session, model) == before

    if body is None:  # a delete may name its version as the entity tag instead
        done = client.delete(url, headers=headers | {"If-Match": f'"{version}"'})
        assert done.status_code == 204, done.text
    else:
        done = call(version)
        assert done.status_code == 200, done.text
    assert _state(session, model) != before
