"""No case in the code (issue 20): a project created from scratch through the API — Aabenraa,
a political committee that approves plans and reports and receives the reports, the jobcentre's
management, one working group, a task, a milestone, a meeting and a report draft — shows nothing
of the Svendborg demo on any page or in any document the route table offers for it: not the
municipality, not the demo's people, not »styregruppen« or »Direktionen«.

Every GET route under /projects/{project_id} and /api/projects/{project_id} whose path
parameters this project can fill is read (HTML, JSON, CSV, spreadsheets, PDFs, calendars); the
report's PDF and the meeting pack are among them."""

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from app.auth.models import Role
from app.governance.models import Project
from tests.factories import bearer, grant, login, make_user

DEMO = Path(__file__).resolve().parents[1] / "app" / "demo" / "svendborg" / "organisation.json"
COMMITTEE = "Beskæftigelsesudvalget"
PERIOD = {
    "period_start_date": "2013-01-01",
    "period_end_date": "2013-03-31",
    "report_date": "2013-04-05",
    "next_period_end_date": "2013-06-30",
}


def forbidden_words() -> list[str]:
    people = [p["name"] for p in json.loads(DEMO.read_text(encoding="utf-8"))["people"]]
    return ["Svendborg", "styregruppen", "Direktionen", *people]


def _made(answer: Any) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def scratch_project(client: TestClient, session: Session) -> dict[str, Any]:
    """The project, made through the API as a new user would, and the ids of its rows."""
    make_user(session, username="root", is_admin=True)
    leader_user = make_user(session, username="lise", full_name="Lise Leder")
    admin = bearer(client, "root")
    project = _made(
        client.post(
            "/api/projects",
            json={
                "name": "Ungeindsats i Jobcenter Aabenraa",
                "municipality": "Aabenraa Kommune",
                "start_date": "2013-01-01",
                "end_date": "2014-12-31",
                "with_standard_bodies": False,
                "project_leader_user_id": leader_user.id,
            },
            headers=admin,
        )
    )
    pid = project["id"]
    base = f"/api/projects/{pid}"
    leader = bearer(client, "lise")
    ids: dict[str, Any] = {"project_id": pid}
    bodies = {}
    for kind, name in [
        ("directorate", COMMITTEE),
        ("project_management", "Jobcentrets ledelse"),
        ("implementation_group", "Arbejdsgruppen"),
    ]:
        bodies[name] = _made(
            client.post(f"{base}/bodies", json={"kind": kind, "name": name}, headers=leader)
        )["id"]
    committee = bodies[COMMITTEE]
    version = _made(client.get(base, headers=leader))["version"]
    _made(
        client.patch(
            base,
            json={
                "plan_approver_id": committee,
                "report_approver_id": committee,
                "report_recipient_id": committee,
                "version": version,
            },
            headers=leader,
        )
    )
    person = _made(
        client.post(
            f"{base}/people", json={"name": "Karen Kjær", "title": "Formand"}, headers=leader
        )
    )
    membership = _made(
        client.post(
            f"{base}/bodies/{committee}/members",
            json={"person_id": person["id"], "role": "chair"},
            headers=leader,
        )
    )
    group = bodies["Arbejdsgruppen"]
    task = _made(
        client.post(
            f"{base}/tasks",
            json={
                "title": "Kortlæg de unges forløb",
                "group_id": group,
                "start_date": "2013-01-14",
                "due_date": "2013-03-29",
            },
            headers=leader,
        )
    )
    milestone = _made(
        client.post(
            f"{base}/milestones",
            json={"name": "Forløbene kortlagt", "group_id": group, "planned_date": "2013-04-01"},
            headers=leader,
        )
    )
    plan = _made(client.post(f"{base}/plans", json={"group_id": group}, headers=leader))
    meeting = _made(
        client.post(
            f"{base}/meetings",
            json={"body_id": committee, "meeting_date": "2013-03-12", "place": "Rådhuset"},
            headers=leader,
        )
    )
    report = _made(client.post(f"{base}/status-reports", json=PERIOD, headers=leader))
    ids |= {
        "body_id": committee,
        "group_id": group,
        "person_id": person["id"],
        "membership_id": membership["id"],
        "task_id": task["id"],
        "milestone_id": milestone["id"],
        "plan_id": plan["id"],
        "meeting_id": meeting["id"],
        "report_id": report["id"],
    }
    return ids


def readable(answer: Any) -> str:
    """What a reader of the answer sees, whatever its format."""
    kind = answer.headers.get("content-type", "")
    if "pdf" in kind:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    if "spreadsheet" in kind or answer.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(answer.content)) as book:
            return "\n".join(
                book.read(n).decode("utf-8", "replace")
                for n in book.namelist()
                if n.endswith(".xml")
            )
    return answer.content.decode("utf-8", "replace")


def project_routes(client: TestClient) -> list[str]:
    """The GET paths of the project's pages and API reads, as the route table declares them."""
    paths = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        methods = getattr(route, "methods", set()) or set()
        if "GET" not in methods or "{project_id}" not in path:
            continue
        if isinstance(route, APIRoute) or hasattr(route, "endpoint"):
            paths.append(path)
    return sorted(set(paths))


def test_a_project_from_scratch_shows_nothing_of_the_demo(
    client: TestClient, session: Session
) -> None:
    ids = scratch_project(client, session)
    project = session.get(Project, ids["project_id"])
    assert project is not None
    # The leader reads the pages; the committee's member reads them too (through a role).
    member = make_user(session, username="karen", full_name="Karen Kjær")
    grant(session, member, project, Role.steering_member)
    login(client, "lise")
    api = bearer(client, "lise")
    words = forbidden_words()
    found: list[str] = []
    read = skipped = 0
    for path in project_routes(client):
        names = re.findall(r"{(\w+)(?::\w+)?}", path)
        if any(n not in ids for n in names):
            skipped += 1
            continue
        url = re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(ids[m.group(1)]), path)
        headers = api if url.startswith("/api/") else {}
        answer = client.get(url, headers=headers)
        if answer.status_code != 200:
            continue
        read += 1
        text = readable(answer)
        for word in words:
            for hit in re.finditer(re.escape(word), text, flags=re.IGNORECASE):
                around = text[max(0, hit.start() - 60) : hit.end() + 60].replace("\n", " ")
                found.append(f"{url}: »{word}« in …{around}…")
    assert read > 60, (read, skipped)
    assert not found, "\n".join(found)
