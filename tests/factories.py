"""Small factories for tests: `make_x(session, **overrides)`, and a project world with every
role."""

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth import service as auth
from app.auth.models import ProjectMember, Role, User
from app.governance.models import Body, BodyKind, Membership, Person, Project

PASSWORD = "hemmelig-kode-1"


def make_user(session: Session, **overrides: Any) -> User:
    values: dict[str, Any] = {
        "username": f"user{_next()}",
        "password": PASSWORD,
        "full_name": "Test Bruger",
    }
    values |= overrides
    return auth.create_user(session=session, by=None, **values)


def make_project(session: Session, **overrides: Any) -> Project:
    values: dict[str, Any] = {"name": f"Projekt {_next()}", "municipality": "Testkommune"}
    values |= overrides
    project = Project(**values)
    session.add(project)
    session.commit()
    return project


def make_body(session: Session, project: Project, **overrides: Any) -> Body:
    values: dict[str, Any] = {"kind": BodyKind.implementation_group, "name": f"Gruppe {_next()}"}
    values |= overrides
    body = Body(project_id=project.id, **values)
    session.add(body)
    session.commit()
    return body


def make_person(session: Session, project: Project, **overrides: Any) -> Person:
    values: dict[str, Any] = {"name": f"Person {_next()}", "title": "Konsulent"}
    values |= overrides
    person = Person(project_id=project.id, **values)
    session.add(person)
    session.commit()
    return person


def grant(
    session: Session, user: User, project: Project, role: Role, group: Body | None = None
) -> ProjectMember:
    member = ProjectMember(
        project_id=project.id, user_id=user.id, role=role, group_id=group.id if group else None
    )
    session.add(member)
    session.commit()
    return member


@dataclass
class ProjectWorld:
    """A project with a steering group, project management and two groups, and a user per role."""

    project: Project
    steering: Body
    management: Body
    group_a: Body
    group_b: Body
    users: dict[str, User] = field(default_factory=dict)
    other_project: Project | None = None


def make_world(session: Session) -> ProjectWorld:
    project = make_project(session, name="Testprojekt")
    directorate = make_body(session, project, kind=BodyKind.directorate, name="Direktionen")
    steering = make_body(
        session,
        project,
        kind=BodyKind.steering_group,
        name="Styregruppen",
        reports_to_id=directorate.id,
    )
    management = make_body(
        session,
        project,
        kind=BodyKind.project_management,
        name="Projektledelsen",
        reports_to_id=steering.id,
    )
    group_a = make_body(session, project, name="Gruppe A", reports_to_id=management.id)
    group_b = make_body(session, project, name="Gruppe B", reports_to_id=management.id)
    world = ProjectWorld(project, steering, management, group_a, group_b)
    world.users["admin"] = make_user(session, username="admin", is_admin=True)
    for name, role, group in [
        ("leader", Role.project_leader, None),
        ("steering", Role.steering_member, None),
        ("member_a", Role.group_member, group_a),
        ("member_b", Role.group_member, group_b),
        ("directorate", Role.directorate, None),
        ("secretariat", Role.secretariat, None),
    ]:
        user = make_user(session, username=name)
        grant(session, user, project, role, group)
        world.users[name] = user
    person = make_person(session, project, name="Sanne Styr")
    session.add(Membership(body_id=steering.id, person_id=person.id))
    other = make_project(session, name="Andet projekt")
    outsider = make_user(session, username="outsider")
    grant(session, outsider, other, Role.project_leader)
    world.users["outsider"] = outsider
    world.other_project = other
    session.commit()
    return world


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """Sign in through the real sign-in form; the client keeps the session cookie."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The CSRF token a signed-in page carries in its meta tag."""
    page = client.get(path)
    return re.search(r'<meta name="csrf-token" content="([^"]*)"', page.text).group(1)


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Authorization headers for an API script signed in with the password flow."""
    answer = client.post("/api/token", data={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


_counter = 0


def _next() -> int:
    global _counter
    _counter += 1
    return _counter
