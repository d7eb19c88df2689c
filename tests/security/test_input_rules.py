"""Input every route accepts alike (app/inputs.py): dates between 01.01.1990 and 31.12.2100, text
without control characters, numbers a database holds, Danish messages naming the field; edits
that name the version they were made from; labels that cannot add markup to a chart. Each test
is a finding of the outside probe (docs/reliability.md)."""

import json
import re
from datetime import date, timedelta
from typing import get_args

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlmodel import func, select

from app import clock
from app.budget.models import Grant
from app.config import Settings
from app.governance.models import Meeting
from app.inputs import Input
from app.main import create_app
from app.workstreams.models import Milestone, Task
from tests.factories import bearer, csrf_of, login


def url(world, path: str) -> str:
    return f"/api/projects/{world.project.id}/{path}"


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def messages(answer) -> list[str]:
    return [e["message"] for e in answer.json()["errors"]]


# Dates


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1989-12-31", "2101-01-01"])
def test_an_unrealistic_date_is_refused_at_input_naming_the_field(client, world, session, day):
    headers = bearer(client, "member_a")
    task = {"title": "Kortlæg", "group_id": world.group_a.id, "due_date": day}
    answer = client.post(url(world, "tasks"), json=task, headers=headers)
    assert answer.status_code == 422, answer.text
    assert messages(answer) == ["Feltet »Frist« skal ligge mellem 01.01.1990 og 31.12.2100."]
    assert count(session, Task) == 0

    leader = bearer(client, "leader")
    milestone = {"name": "Start", "planned_date": day}
    assert client.post(url(world, "milestones"), json=milestone, headers=leader).status_code == 422
    meeting = {"body_id": world.steering.id, "meeting_date": day}
    assert client.post(url(world, "meetings"), json=meeting, headers=leader).status_code == 422
    assert count(session, Milestone) == count(session, Meeting) == 0


def test_the_edges_of_the_window_are_accepted(client, world):
    headers = bearer(client, "member_a")
    for day in ("1990-01-01", "2100-12-31"):
        task = {"title": f"Kant {day}", "group_id": world.group_a.id, "due_date": day}
        assert client.post(url(world, "tasks"), json=task, headers=headers).status_code == 201


def test_a_date_in_a_query_string_is_refused_too(client, world):
    headers = bearer(client, "leader")
    answer = client.get(url(world, "tasks?period_end=9999-12-31"), headers=headers)
    assert answer.status_code == 422
    assert messages(answer) == [
        "Feltet »Periodens slutdato« skal ligge mellem 01.01.1990 og 31.12.2100."
    ]


def test_the_page_form_says_it_next_to_the_field(client, world, session):
    login(client, "member_a")
    token = csrf_of(client, f"/projects/{world.project.id}/groups/{world.group_a.id}")
    answer = client.post(
        f"/projects/{world.project.id}/tasks",
        data={
            "csrf_token": token,
            "group_id": str(world.group_a.id),
            "title": "Kortlæg",
            "due_date": "9999-12-31",
        },
    )
    assert answer.status_code == 422
    assert "skal ligge mellem 01.01.1990 og 31.12.2100" in answer.text
    assert count(session, Task) == 0


# Text


def test_control_characters_are_removed_from_every_text_at_input(client, world, session):
    headers = bearer(client, "member_a")
    task = {
        "title": "Kort\x00læg\x1b",
        "description": "Linje et\x0bLinje to\r\nLinje tre\ttab",
        "group_id": world.group_a.id,
    }
    answer = client.post(url(world, "tasks"), json=task, headers=headers)
    assert answer.status_code == 201, answer.text
    stored = session.get(Task, answer.json()["id"])
    assert stored.title == "Kortlæg"
    # Word's manual line break (U+000B) is a line break to the person who typed it.
    assert stored.description == "Linje et\nLinje to\nLinje tre\ttab"


def test_the_calendar_feed_carries_no_control_characters(client, world, session):
    # A milestone stored before input was cleaned (written to the table directly).
    session.add(
        Milestone(
            project_id=world.project.id,
            name="Seminar\x0bmed KL\x07",
            description="Første\x0bdel",
            planned_date=date(2013, 3, 14),
        )
    )
    session.commit()
    answer = client.get(url(world, "calendar.ics"), headers=bearer(client, "leader"))
    assert answer.status_code == 200
    assert "Seminar" in answer.text
    assert not any(ord(c) < 32 and c not in "\r\n\t" for c in answer.text)


# Numbers and messages


def test_an_id_beyond_64_bits_is_refused_naming_the_field(client, world):
    headers = bearer(client, "leader")
    answer = client.get(url(world, f"tasks/{2**63}"), headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "task_id"
    assert answer.json()["errors"][0]["in"] == "path"
    assert messages(answer) == [f"Feltet »task_id« er et for stort tal (højst {2**63 - 1})."]
    task = {"title": "Stor", "group_id": 2**64}
    answer = client.post(url(world, "tasks"), json=task, headers=headers)
    assert answer.status_code == 422
    assert messages(answer) == ["Feltet »Gruppe« er et for stort tal."]


def test_a_body_that_cannot_be_read_gets_a_danish_answer(client, world):
    headers = bearer(client, "leader") | {"Content-Type": "application/json"}
    for body in (b'{"title": "\xff\xfe"}', b"[" * 5000 + b"]" * 5000):
        answer = client.post(url(world, "tasks"), content=body, headers=headers)
        assert answer.status_code in (400, 422), answer.text
        text = str(answer.json()["detail"])
        assert "error" not in text.lower() and "should" not in text.lower(), text


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("tasks", {"title": "x", "progress": 1.5}, "Feltet »Fremdrift« skal være et helt tal."),
        ("tasks", {"title": "x", "depends_on": "x"}, "Feltet »Afhænger af« skal være en liste."),
        ("risks", {"title": "x", "kind": "risk", "probability": "NaN"}, "Feltet »Sandsynlighed«"),
    ],
)
def test_pydantic_never_speaks_english(client, world, path, body, expected):
    answer = client.post(url(world, path), json=body, headers=bearer(client, "leader"))
    assert answer.status_code == 422
    assert any(m.startswith(expected) for m in messages(answer)), messages(answer)
    for message in messages(answer):
        assert "should" not in message and "Input" not in message, message


# Versions


def _bodies():
    """Every route's body schemas (the pages' Form fields are plain values, not schemas)."""
    app = create_app(Settings(database_url="sqlite://"))
    for route in app.router.routes:
        if isinstance(route, APIRoute):
            for param in route.dependant.body_params:
                for schema in (param.field_info.annotation, *get_args(param.field_info.annotation)):
                    if isinstance(schema, type) and issubclass(schema, BaseModel):
                        yield route, schema


def _edits():
    """Every API route that changes a row in place (PATCH or PUT) with its body's schema."""
    for route, schema in _bodies():
        if route.methods & {"PATCH", "PUT"}:
            yield route, schema


def test_every_body_is_read_by_the_input_rules():
    """A schema outside app.inputs.Input would let control characters and year 9999 through."""
    outside = {f"{s.__module__}.{s.__name__}" for _, s in _bodies() if not issubclass(s, Input)}
    assert outside == set()


def test_every_edit_takes_the_version_it_was_made_from():
    """A PATCH or PUT of a versioned row without a `version` field could not be checked for a
    lost update; the services answer 428 when it is left out (test_conditional_writes.py)."""
    missing = [
        f"{sorted(route.methods)} {route.path}"
        for route, schema in _edits()
        if "version" in getattr(route.response_model, "model_fields", {})
        and "version" not in schema.model_fields
    ]
    assert missing == []


def test_an_edit_without_its_version_is_refused_and_changes_nothing(client, world, session):
    headers = bearer(client, "leader")
    answer = client.patch(url(world, "").rstrip("/"), json={"name": "Nyt navn"}, headers=headers)
    assert answer.status_code == 428
    problem = answer.json()
    assert problem["code"] == "version_required"
    assert problem["current_version"] == world.project.version
    assert "version" in problem["detail"]
    session.refresh(world.project)
    assert world.project.name == "Testprojekt"


def test_a_group_meeting_rule_set_twice_from_the_same_copy_is_409(client, world, session):
    headers = bearer(client, "leader")
    path = url(world, f"group-settings/{world.group_a.id}")
    first = client.patch(path, json={"meeting_interval_days": 30, "version": 0}, headers=headers)
    assert first.status_code == 200, first.text
    again = client.patch(path, json={"meeting_interval_days": 14, "version": 0}, headers=headers)
    assert again.status_code == 409
    assert client.get(path, headers=headers).json()["meeting_interval_days"] == 30


def test_a_foreign_group_in_the_path_is_404(client, world):
    other = bearer(client, "outsider")
    path = f"/api/projects/{world.other_project.id}/group-settings/{world.group_a.id}"
    answer = client.patch(path, json={"meeting_interval_days": 30, "version": 0}, headers=other)
    assert answer.status_code == 404


# Charts


def test_a_name_cannot_add_markup_to_any_chart(client, world, session):
    hostile = '<a href="https://example.org/">klik</a><img src=x>'
    headers = bearer(client, "leader")
    stakeholder = {"name": hostile, "influence": 4, "interest": 4, "attitude": "neutral"}
    assert client.post(url(world, "stakeholders"), json=stakeholder, headers=headers).is_success
    today = clock.today()
    task = {
        "title": hostile,
        "group_id": world.group_a.id,
        "start_date": today.isoformat(),
        "due_date": (today + timedelta(days=30)).isoformat(),
    }
    assert client.post(url(world, "tasks"), json=task, headers=headers).is_success
    risk = {"title": hostile, "kind": "risk", "probability": 3, "consequence": 3}
    assert client.post(url(world, "risks"), json=risk, headers=headers).is_success
    login(client, "leader")
    pages = [
        f"/projects/{world.project.id}/stakeholders",
        f"/projects/{world.project.id}/gantt",
        f"/projects/{world.project.id}/risks",
    ]
    figures = [client.get(url(world, "gantt"), headers=headers).json()]
    for page in pages:
        embedded = re.findall(
            r'<script type="application/json"[^>]*>(.*?)</script>', client.get(page).text
        )
        assert embedded, page
        figures += [json.loads(e) for e in embedded]
    labels = [text for figure in figures for text in _strings(figure)]
    assert any("klik" in text for text in labels)
    assert not [text for text in labels if "<a " in text or "<img" in text]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_one_row_with_an_unrealistic_date_breaks_no_page(client, world, session):
    """Rows stored before the window existed (written to the tables directly here) count as
    the window's nearest edge: the shared pages, feeds and documents still answer."""
    p = world.project.id
    far, ancient = date(9999, 12, 31), date(1, 1, 1)
    session.add(
        Task(
            project_id=p,
            group_id=world.group_a.id,
            title="Langt ude",
            start_date=ancient,
            due_date=far,
        )
    )
    session.add(Milestone(project_id=p, name="Langt ude", planned_date=far))
    session.add(Grant(project_id=p, name="Evig", amount_ore=100, first_date=ancient, last_date=far))
    meeting = Meeting(project_id=p, body_id=world.steering.id, meeting_date=far)
    session.add(meeting)
    session.commit()
    headers = bearer(client, "leader")
    report = client.post(f"/api/projects/{p}/status-reports", json={}, headers=headers)
    assert report.status_code == 201, report.text
    login(client, "leader")
    for path in (
        f"/projects/{p}/gantt",
        f"/api/projects/{p}/gantt",
        f"/projects/{p}/groups/{world.group_a.id}/gantt",
        f"/api/projects/{p}/calendar.ics",
        f"/projects/{p}/budget",
        f"/projects/{p}/meetings/{meeting.id}/pack",
        f"/projects/{p}/reports/{report.json()['id']}",
        f"/projects/{p}/reports/{report.json()['id']}.pdf",
    ):
        answer = client.get(path, headers=headers if path.startswith("/api") else {})
        assert answer.status_code == 200, f"{path}: {answer.status_code}"
