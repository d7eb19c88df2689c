"""An example script against Reformstyr's API (docs/api.md): sign in, read the portfolio, create
a task, handle a refused edit (409) and page through a list.

    python docs/examples/api_script.py https://reformstyr.kommune.dk brugernavn adgangskode

Only httpx is needed (pip install httpx). tests/test_api_example.py runs this script.
"""

import sys
from collections.abc import Iterator
from typing import Any

import httpx


def pages(client: httpx.Client, path: str, limit: int = 100) -> Iterator[dict[str, Any]]:
    """Every row of a list, one page at a time, following the Link header's rel="next"."""
    url: str | None = f"{path}?limit={limit}"
    while url:
        answer = client.get(url)
        answer.raise_for_status()
        yield from answer.json()
        url = answer.links.get("next", {}).get("url")


def refused(answer: httpx.Response) -> str:
    """The Danish message of a refusal (problem details), with the fields it names."""
    problem = answer.json()
    fields = ", ".join(e["field"] for e in problem.get("errors", []))
    return f"{problem['status']} {problem['code']}: {problem['detail']}" + (
        f" ({fields})" if fields else ""
    )


def run(client: httpx.Client, username: str, password: str) -> dict[str, Any]:
    # 1. Sign in (OAuth2 password flow): a bearer token for the requests that follow.
    answer = client.post("/api/token", data={"username": username, "password": password})
    if answer.status_code == 400:  # RFC 6749: {"error": "invalid_grant", ...}
        raise SystemExit(answer.json()["error_description"])
    answer.raise_for_status()
    client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"

    # 2. The portfolio: the projects I may see, and their latest issued status.
    projects = list(pages(client, "/api/projects"))
    portfolio = client.get("/api/dashboard").json()
    for line in portfolio["projects"]:
        print(f"{line['name']}: {line['overall_level'] or 'ingen udsendt status'}")

    # 3. A task in the first implementation group of the first project.
    base = f"/api/projects/{projects[0]['id']}"
    group = next(
        b for b in pages(client, f"{base}/bodies") if b["kind"] == "implementation_group"
    )
    answer = client.post(
        f"{base}/tasks",
        json={"title": "Kortlæg borgerforløb", "group_id": group["id"], "due_date": "2013-06-28"},
    )
    if answer.status_code == 422:
        raise SystemExit(refused(answer))
    task = answer.json()

    # 4. Two edits from the same copy: the second is refused with 409 and the current version;
    #    read the task again and repeat the change on top of the other one.
    url = f"{base}/tasks/{task['id']}"
    client.patch(url, json={"progress": 20, "version": task["version"]}).raise_for_status()
    answer = client.patch(url, json={"progress": 40, "version": task["version"]})
    if answer.status_code == 409:
        print(refused(answer))
        current = client.get(url).json()
        answer = client.patch(url, json={"progress": 40, "version": current["version"]})
    answer.raise_for_status()

    # 5. Page through the project's tasks, 50 at a time.
    tasks = list(pages(client, f"{base}/tasks", limit=50))
    print(f"{len(tasks)} opgaver i {projects[0]['name']}")
    return {"projects": projects, "task": answer.json(), "tasks": tasks}


if __name__ == "__main__":
    base_url, username, password = sys.argv[1:4]
    with httpx.Client(base_url=base_url, timeout=30) as http:
        run(http, username, password)
