"""The API contract a script writer relies on: /openapi.json describes exactly the API, and every
refusal answers in one shape (problem details, app/web/problems.py)."""

import httpx
from fastapi.routing import APIRoute

from app.web.problems import Problem
from tests.factories import bearer


def _spec(client) -> dict:
    answer = client.get("/openapi.json", headers=bearer(client, "leader"))
    assert answer.status_code == 200
    return answer.json()


def test_the_description_lists_every_api_operation_and_no_page(client, world):
    paths = _spec(client)["paths"]
    expected = {
        (route.path, method.lower())
        for route in client.app.routes
        if isinstance(route, APIRoute)
        and (route.path.startswith("/api/") or route.path == "/healthz")
        for method in route.methods
        if method != "HEAD"
    }
    described = {(path, method) for path, operations in paths.items() for method in operations}
    assert described == expected
    assert all(path.startswith("/api/") or path == "/healthz" for path in paths)


def test_every_operation_describes_its_refusals_as_problem_details(client, world):
    spec = _spec(client)
    assert "Problem" in spec["components"]["schemas"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        if path == "/healthz":
            continue
        for method, operation in operations.items():
            for status in ("401", "403", "404"):
                content = operation["responses"][status]["content"]
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }, (path, method, status)


def test_refusals_share_one_shape_with_field_paths_in_one_syntax(client, world):
    leader = bearer(client, "leader")
    base = f"/api/projects/{world.project.id}"
    missing = client.get(f"{base}/tasks/999999", headers=leader)
    invalid = client.post(
        f"{base}/tasks",
        json={"title": "", "group_id": world.group_a.id, "depends_on": ["x"]},
        headers=leader,
    )
    query = client.get(f"{base}/tasks", params={"limit": "mange"}, headers=leader)
    anonymous = client.get(f"{base}/tasks")
    for answer, status, code in (
        (missing, 404, "not_found"),
        (invalid, 422, "validation_failed"),
        (query, 422, "validation_failed"),
        (anonymous, 401, "not_authenticated"),
    ):
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        problem = Problem.model_validate(answer.json())
        assert (problem.status, problem.code) == (status, code)
        assert problem.detail and problem.title
    fields = {(e["in"], e["field"]) for e in invalid.json()["errors"]}
    assert ("body", "title") in fields and ("body", "depends_on[0]") in fields
    assert {(e["in"], e["field"]) for e in query.json()["errors"]} == {("query", "limit")}


def test_an_outdated_version_is_refused_with_the_current_one(client, world):
    leader = bearer(client, "leader")
    base = f"/api/projects/{world.project.id}/tasks"
    task = client.post(
        base, json={"title": "Skriv plan", "group_id": world.group_a.id}, headers=leader
    ).json()
    client.patch(
        f"{base}/{task['id']}", json={"progress": 10, "version": task["version"]}, headers=leader
    )
    stale = client.patch(
        f"{base}/{task['id']}", json={"progress": 20, "version": task["version"]}, headers=leader
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    assert stale.json()["current_version"] == task["version"] + 1


def test_an_import_answers_with_the_new_id_of_every_key(client, world, session):
    leader = bearer(client, "leader")
    base = f"/api/projects/{world.project.id}"
    client.post(
        f"{base}/tasks", json={"title": "Skriv plan", "group_id": world.group_a.id}, headers=leader
    )
    document = client.get(f"{base}/export", headers=bearer(client, "admin")).json()
    document["project"]["name"] = "Kopi"
    answer = client.post("/api/projects/import", json=document, headers=bearer(client, "admin"))
    assert answer.status_code == 201, answer.text
    imported = answer.json()
    [task_key] = [t["key"] for t in document["tasks"]]
    task_id = imported["keys"]["task"][task_key]
    task = client.get(
        f"/api/projects/{imported['id']}/tasks/{task_id}", headers=bearer(client, "admin")
    )
    assert task.status_code == 200 and task.json()["title"] == "Skriv plan"
    assert set(imported["keys"]["body"]) == {b["key"] for b in document["bodies"]}


# Lists that are not lists of rows: a ranking (how many is its `limit`), one choice per
# notification kind, one rule per counterpart of a body.
NOT_PAGED = {
    "/api/projects/{project_id}/risks/top",
    "/api/me/notification-settings",
    "/api/projects/{project_id}/bodies/{body_id}/meeting-rules",
}


def test_every_list_is_paged_the_same_way(client, world):
    lists = [
        route
        for route in client.app.routes
        if isinstance(route, APIRoute)
        and "GET" in route.methods
        and getattr(route.response_model, "__origin__", None) is list
    ]
    assert len(lists) > 30
    for route in lists:
        names = {d.name for d in route.dependant.dependencies}
        assert ("page" in names) != (route.path in NOT_PAGED), route.path


def test_a_list_says_its_total_and_where_its_neighbours_are(client, world):
    leader = bearer(client, "leader")
    url = f"/api/projects/{world.project.id}/bodies"
    first = client.get(url, params={"limit": 2}, headers=leader)
    total = int(first.headers["x-total-count"])
    assert total == 5 and len(first.json()) == 2
    assert set(first.links) == {"next"}
    following = httpx.URL(first.links["next"]["url"])
    assert following.path == url and dict(following.params) == {"offset": "2", "limit": "2"}
    last = client.get(url, params={"limit": 2, "offset": 4}, headers=leader)
    assert len(last.json()) == 1 and set(last.links) == {"prev"}
    assert dict(httpx.URL(last.links["prev"]["url"]).params) == {"offset": "2", "limit": "2"}
    too_many = client.get(url, params={"limit": 501}, headers=leader)
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "limit"
