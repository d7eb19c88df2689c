"""Loads the Svendborg demo: its project document, then the demo accounts and their roles."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app.auth import service as auth
from app.auth.models import ProjectMember, Role, User
from app.db import stored_id
from app.governance.models import Body, Person, Project
from app.participants.demo import load_demo_participants
from app.projectdoc.document import import_project
from app.reports.demo import load_demo_reports

DEMO_DIR = Path(__file__).parent / "svendborg"
DEMO_PASSWORD = "demo"
# Sections in the order they are merged into one project document.
SECTIONS = [
    "organisation",
    "meetings",
    "participants",
    "risks",
    "stakeholders",
    "budget",
    "workstreams",
]

# username, full name, admin?, role, the person they are, the group they belong to (by name)
DEMO_ACCOUNTS: list[tuple[str, str, bool, Role | None, str | None, str | None]] = [
    ("admin", "Administrator", True, None, None, None),
    (
        "projektleder",
        "Christina Stavnsbjerg",
        False,
        Role.project_leader,
        "Christina Stavnsbjerg",
        None,
    ),
    ("styregruppe", "Finn Boye", False, Role.steering_member, "Finn Boye", None),
    (
        "information",
        "Lene Kragh",
        False,
        Role.group_member,
        "Lene Kragh",
        "Information til eksterne interessenter",
    ),
    ("direktion", "Claus Sørensen", False, Role.directorate, "Claus Sørensen", None),
    ("sekretariat", "Anja Jørgensen", False, Role.secretariat, "Anja Jørgensen", None),
]


def demo_document() -> dict[str, Any]:
    """The demo project document, merged from its section files."""
    document: dict[str, Any] = {}
    for name in SECTIONS:
        document |= json.loads((DEMO_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return document


def load_demo(*, session: Session, progress: Callable[[str], None] = lambda _: None) -> Project:
    """Create the demo project and accounts unless they exist (safe to run again)."""
    document = demo_document()
    name = document["project"]["name"]
    project = session.exec(select(Project).where(Project.name == name)).first()
    if project is None:
        progress("Indlæser Svendborg-projektet fra projektdokumentet")
        project = import_project(session=session, data=document, by=None)
    else:
        progress("Svendborg-projektet findes allerede")
    load_demo_participants(session=session, project=project, progress=progress)
    people = {
        p.name: p.id for p in session.exec(select(Person).where(Person.project_id == project.id))
    }
    groups = {b.name: b.id for b in session.exec(select(Body).where(Body.project_id == project.id))}
    for username, full_name, is_admin, role, person, group in DEMO_ACCOUNTS:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            progress(f"Opretter demokontoen {username}")
            user = auth.create_user(
                session=session,
                by=None,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                is_admin=is_admin,
                is_demo=True,
            )
        if role is None:
            continue
        group_id = groups[group] if group else None
        exists = session.exec(
            select(ProjectMember).where(
                ProjectMember.project_id == project.id,
                ProjectMember.user_id == user.id,
                ProjectMember.role == role,
            )
        ).first()
        if exists is None:
            session.add(
                ProjectMember(
                    project_id=stored_id(project),
                    user_id=stored_id(user),
                    role=role,
                    group_id=group_id,
                    person_id=people.get(person or ""),
                )
            )
    session.commit()
    load_demo_reports(session=session, project=project, progress=progress)
    return project
