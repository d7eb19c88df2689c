"""The stage the security tests play on: the Svendborg demo, a second project with its own user,
one signed-in client per role, the ids of real rows to put into paths, and a fingerprint of the
database that shows whether a request changed anything.

The demo is loaded once per test run into a template database; each test module gets a copy
(a file copy of SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), so modules that write do not
disturb each other and nothing is loaded twice.
"""

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from app.cli import migrate_database
from app.config import Settings
from app.db import Database
from app.demo.loader import load_demo
from app.main import create_app
from tests.notifications.factories import seed_for_matrix
from tests.security.inventory import Endpoint

# The roles of the matrix and the account that plays each one (anonymous: nobody signed in).
ROLE_USERS = {
    "admin": "admin",
    "leader": "projektleder",
    "steering": "styregruppe",
    "member": "information",  # member of the information group only: acts on another group
    "directorate": "direktion",
    "secretariat": "sekretariat",
    "outsider": "andet",  # project leader of another project
}
ROLES = ("anonymous", *ROLE_USERS)
DEMO_PASSWORD = "demo"
OTHER_PASSWORD = "andet-projekt-1"
SPARE_PASSWORD = "engangs-konto-1"
MEMBER_GROUP = "Information til eksterne interessenter"
OTHER_GROUP = "Uddannelse af medarbejdere"


def password_of(username: str) -> str:
    if username == "andet":
        return OTHER_PASSWORD
    if username.startswith("engangs"):
        return SPARE_PASSWORD
    return DEMO_PASSWORD


# Building the template


def _api(client: TestClient, headers: dict[str, str], method: str, url: str, **kwargs: Any) -> Any:
    answer = client.request(method, url, headers=headers, **kwargs)
    if answer.status_code >= 300:
        raise AssertionError(
            f"Setting up the stage: {method} {url} answered "
            f"{answer.status_code}: {answer.text[:500]}"
        )
    return answer.json() if answer.content else None


def _token(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post(
        "/api/token", data={"username": username, "password": password_of(username)}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _scalar(db: Database, sql: str, **params: Any) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def build_demo(url: str) -> None:
    """Load the demo and what the matrix needs besides it into a migrated, empty database."""
    db = Database(url)
    with db.session(write=True) as session:
        project = load_demo(session=session)
    pid = project.id
    app = create_app(Settings(database_url=url))
    try:
        with TestClient(app) as client:
            admin = _token(client, "admin")
            leader = _token(client, "projektleder")
            users = {}
            for name in ("andet", "engangs", "engangs2", "engangs3"):
                users[name] = _api(
                    client,
                    admin,
                    "POST",
                    "/api/users",
                    json={
                        "username": name,
                        "password": password_of(name),
                        "full_name": f"Testbruger {name}",
                    },
                )["id"]
            _api(
                client,
                admin,
                "POST",
                "/api/projects",
                json={
                    "name": "Andet projekt",
                    "municipality": "Faaborg-Midtfyn Kommune",
                    "project_leader_user_id": users["andet"],
                    "with_standard_bodies": True,
                },
            )
            group_a = _scalar(
                db, "SELECT id FROM body WHERE project_id=:p AND name=:n", p=pid, n=MEMBER_GROUP
            )
            for name in ("engangs", "engangs2"):
                _api(
                    client,
                    leader,
                    "POST",
                    f"/api/projects/{pid}/members",
                    json={"user_id": users[name], "role": "group_member", "group_id": group_a},
                )
            # The secretariat keeps the participant records too (a registrar besides the leader).
            secretariat = _scalar(db, "SELECT id FROM user_account WHERE username='sekretariat'")
            for user_id in (secretariat, users["engangs"]):
                _api(
                    client,
                    leader,
                    "POST",
                    f"/api/projects/{pid}/participant-registrars",
                    json={"user_id": user_id},
                )
            group = _scalar(
                db, "SELECT id FROM body WHERE project_id=:p AND name=:n", p=pid, n=OTHER_GROUP
            )
            _ensure_workstreams(client, leader, db, pid, group)
            if not _scalar(db, "SELECT count(*) FROM status_report WHERE project_id=:p", p=pid):
                _api(client, leader, "POST", f"/api/projects/{pid}/status-reports", json={})
            _spares(client, leader, db, pid)
            person = _scalar(db, "SELECT id FROM person WHERE project_id=:p ORDER BY id", p=pid)
            _api(
                client,
                leader,
                "POST",
                f"/api/projects/{pid}/activities",
                json={
                    "title": "Temadag om uddannelse",
                    "kind": "theme_day",
                    "organiser": "KL",
                    "group_id": group,
                    "delegate_ids": [person],
                },
            )
        seed_for_matrix(db)
    finally:
        app.state.db.dispose()
        db.dispose()


SPARE = "Slettes"  # rows nothing refers to, for the deletions


def _spares(client: TestClient, leader: dict[str, str], db: Database, pid: int) -> None:
    """One unreferenced row per kind that the demo's rows are all referenced from, so that a
    deletion can succeed (the demo's own rows are rightly refused with 409)."""
    p = f"/api/projects/{pid}"
    _api(client, leader, "POST", f"{p}/people", json={"name": f"{SPARE} Person"})
    _api(client, leader, "POST", f"{p}/director-areas", json={"name": f"{SPARE} område"})
    _api(
        client,
        leader,
        "POST",
        f"{p}/bodies",
        json={"kind": "implementation_group", "name": f"{SPARE} gruppe"},
    )
    _api(client, leader, "POST", f"{p}/funds", json={"name": f"{SPARE} pulje"})
    _api(
        client,
        leader,
        "POST",
        f"{p}/organisation-changes",
        json={"effective_date": "2013-03-01", "description": f"{SPARE} ændring"},
    )
    _api(
        client,
        leader,
        "POST",
        f"{p}/grants",
        json={
            "name": f"{SPARE} tilskud",
            "amount": "1000.00",
            "first_date": "2013-01-01",
            "last_date": "2013-12-31",
            "eligible_categories": [{"category": "consultancy"}],
        },
    )
    steering = _scalar(
        db, "SELECT id FROM body WHERE project_id=:p AND kind='steering_group'", p=pid
    )
    _api(
        client,
        leader,
        "POST",
        f"{p}/meetings",
        json={"body_id": steering, "meeting_date": "2015-06-01", "place": f"{SPARE} mødested"},
    )
    _api(
        client,
        leader,
        "POST",
        f"{p}/participant-schemes",
        json={
            "name": f"{SPARE} ordning",
            "code_prefix": "S",
            "start_fields": [
                {"key": "alder", "label": "Alder", "type": "number"},
                {"key": "note", "label": "Note", "type": "text"},
            ],
            "exit_outcomes": [
                {"key": "job", "label": "Job", "placement": True},
                {"key": "andet", "label": "Andet"},
            ],
        },
    )
    # A group without a plan yet, for making a new plan.
    _api(
        client,
        leader,
        "POST",
        f"{p}/bodies",
        json={"kind": "implementation_group", "name": "Gruppe uden plan"},
    )
    _api(client, leader, "POST", f"{p}/save-as-template", json={"name": f"{SPARE} skabelon"})
    _api(client, leader, "POST", f"{p}/activity-kinds", json={"name": f"{SPARE} type"})
    grant = _scalar(db, "SELECT id FROM grant_award WHERE project_id=:p ORDER BY id", p=pid)
    _api(
        client,
        leader,
        "POST",
        f"{p}/posts",
        json={
            "grant_id": grant,
            "title": f"{SPARE} stilling",
            "first_date": "2013-01-01",
            "last_date": "2013-06-30",
            "hours": "1",
            "budget": "0.00",
        },
    )


def _ensure_workstreams(
    client: TestClient, leader: dict[str, str], db: Database, pid: int, group: int
) -> None:
    """A task (with a log entry), a milestone and a plan in another group than the member's."""
    if not _scalar(
        db, "SELECT count(*) FROM task WHERE project_id=:p AND group_id=:g", p=pid, g=group
    ):
        task = _api(
            client,
            leader,
            "POST",
            f"/api/projects/{pid}/tasks",
            json={
                "title": "Kortlægge uddannelsesbehov",
                "group_id": group,
                "start_date": "2013-01-07",
                "due_date": "2013-03-29",
            },
        )
        _api(
            client,
            leader,
            "POST",
            f"/api/projects/{pid}/tasks/{task['id']}/log",
            json={"text": "Spørgeskema sendt ud", "progress": 20},
        )
    if not _scalar(
        db, "SELECT count(*) FROM milestone WHERE project_id=:p AND group_id=:g", p=pid, g=group
    ):
        _api(
            client,
            leader,
            "POST",
            f"/api/projects/{pid}/milestones",
            json={"name": "Uddannelsesplan klar", "group_id": group, "planned_date": "2013-04-01"},
        )
    if not _scalar(
        db, "SELECT count(*) FROM plan WHERE project_id=:p AND group_id=:g", p=pid, g=group
    ):
        _api(
            client,
            leader,
            "POST",
            f"/api/projects/{pid}/plans",
            json={"group_id": group, "title": "Tids- og handleplan"},
        )


# One database per module


def _admin_engine(pg_url: str):
    """A connection to the server's maintenance database (a database cannot drop itself)."""
    url = make_url(pg_url).set(database="postgres").render_as_string(hide_password=False)
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _pg_database_url(pg_url: str, name: str) -> str:
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False)


def _worker_suffix() -> str:
    """Names of PostgreSQL databases carry the xdist worker, so parallel workers never meet."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"_{worker}" if worker else ""


def make_template(migrated: str, workdir: Any, name: str = "demo_template") -> str:
    """The demo template: a SQLite file path or a PostgreSQL database URL."""
    if "://" in migrated:  # PostgreSQL: the conftest's migrated database is a URL
        db_name = f"rel_{name}{_worker_suffix()}"
        engine = _admin_engine(migrated)
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
        engine.dispose()
        url = _pg_database_url(migrated, db_name)
        migrate_database(url)
        build_demo(url)
        return url
    path = workdir / f"{name}.db"
    shutil.copyfile(migrated, path)
    build_demo(f"sqlite:///{path}")
    _checkpoint(str(path))
    return str(path)


def _checkpoint(path: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@contextmanager
def module_database(template: str, workdir: Any, name: str) -> Iterator[str]:
    """A fresh copy of the demo template for one module; yields its URL."""
    if "://" in template:
        engine = _admin_engine(template)
        db_name = "rel_" + re.sub(r"\W", "_", name).lower()[-36:] + _worker_suffix()
        template_name = make_url(template).database
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{db_name}" TEMPLATE "{template_name}"'))
        try:
            yield _pg_database_url(template, db_name)
        finally:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}_pristine" WITH (FORCE)'))
            engine.dispose()
        return
    path = workdir / f"{name}.db"
    shutil.copyfile(template, path)
    yield f"sqlite:///{path}"


# The stage itself

# Where a path parameter takes its value from: (the literal segment before it, its name).
FILLER_OF: dict[tuple[str, str], str] = {
    ("projects", "project_id"): "project",
    ("users", "user_id"): "spare_user",
    ("participant-registrars", "user_id"): "registrar_user",
    ("registrars", "user_id"): "registrar_user",
    ("director-areas", "area_id"): "area",
    ("people", "person_id"): "person",
    ("attendance", "person_id"): "attendee",
    ("delegates", "person_id"): "delegate",
    ("bodies", "body_id"): "body",
    ("members", "membership_id"): "membership",
    ("members", "member_id"): "spare_member",
    ("access", "member_id"): "spare_member",
    ("mandate", "item_id"): "mandate_item",
    ("organisation-changes", "change_id"): "org_change",
    ("changes", "change_id"): "org_change",
    ("meetings", "meeting_id"): "meeting",
    ("agenda", "item_id"): "agenda_item",
    ("decisions", "decision_id"): "decision",
    ("actions", "action_id"): "follow_up_action",
    ("communication-actions", "action_id"): "communication_action",
    ("risks", "item_id"): "risk",
    ("indicators", "indicator_id"): "indicator",
    ("measurements", "measurement_id"): "measurement",
    ("tasks", "task_id"): "task",
    ("milestones", "milestone_id"): "milestone",
    ("plans", "plan_id"): "plan",
    ("group-settings", "group_id"): "group_b",
    ("groups", "group_id"): "group_b",
    ("stakeholders", "stakeholder_id"): "stakeholder",
    ("activities", "activity_id"): "activity",
    ("funds", "fund_id"): "fund",
    ("grants", "grant_id"): "grant",
    ("explanations", "category"): "grant_category",
    ("budget-lines", "line_id"): "budget_line",
    ("budget", "line_id"): "budget_line",
    ("expenditures", "expenditure_id"): "expenditure",
    ("economy", "entry_id"): "economy_entry",
    ("participant-schemes", "scheme_id"): "scheme",
    ("schemes", "scheme_id"): "scheme",
    ("participants", "participant_id"): "participant",
    ("follow-ups", "follow_up_id"): "participant_follow_up",
    ("fields", "stage"): "scheme_field_stage",
    ("fields", "key"): "scheme_field_key",
    ("outcomes", "key"): "scheme_outcome",
    ("charts", "chart"): "participant_chart",
    ("metrics", "metric"): "participant_metric",
    ("calendar", "token"): "calendar_token",
    ("status-reports", "report_id"): "report",
    ("reports", "report_id"): "report",
    ("texts", "key"): "report_text",
    ("overrides", "key"): "report_light",
    ("templates", "template_id"): "builtin_template",
    ("attachments", "attachment_id"): "attachment",
    # /projects/{id}/{page:attachment_page}/{owner_id}/attachments: the group page's section
    ("projects", "page"): "attachment_page",
    ("projects", "owner_id"): "group_b",
    ("notifications", "notification_id"): "notification",
    ("outbox", "mail_id"): "failed_mail",
    ("activity-kinds", "kind_id"): "activity_kind",
    ("posts", "post_id"): "post",
}

# How each filler is found in the demo. Group-scoped rows belong to another group than the
# member's (:a), so a member acting on them acts on group B's items.
_FILLER_SQL = {
    "notification": "SELECT n.id FROM notification n JOIN user_account u ON u.id=n.user_id "
    "WHERE u.username='projektleder' ORDER BY n.id",
    "failed_mail": "SELECT id FROM outbox_mail WHERE status='failed' ORDER BY id",
    "project": "SELECT id FROM project WHERE municipality='Svendborg Kommune' ORDER BY id",
    "other_project": "SELECT id FROM project WHERE name='Andet projekt'",
    "group_a": "SELECT id FROM body WHERE project_id=:p AND name=:ga",
    "group_b": "SELECT id FROM body WHERE project_id=:p AND name=:gb",
    "spare_user": "SELECT id FROM user_account WHERE username='engangs3'",
    "registrar_user": "SELECT id FROM user_account WHERE username='engangs'",
    "appointable_user": "SELECT id FROM user_account WHERE username='engangs2'",
    "spare_member": "SELECT m.id FROM project_member m JOIN user_account u ON u.id=m.user_id "
    "WHERE u.username='engangs2' AND m.project_id=:p",
    "area": "SELECT id FROM director_area WHERE project_id=:p ORDER BY id",
    "person": "SELECT id FROM person WHERE project_id=:p ORDER BY id DESC",
    "body": "SELECT id FROM body WHERE project_id=:p AND name=:gb",
    "body_steering": "SELECT id FROM body WHERE project_id=:p AND kind='steering_group'",
    "membership": "SELECT id FROM membership WHERE body_id=:body ORDER BY id",
    "mandate_item": "SELECT id FROM mandate_item WHERE body_id=:body ORDER BY id",
    # A change registered by hand (the spare below): only those may be deleted.
    "org_change": "SELECT id FROM organisation_change WHERE project_id=:p AND manual ORDER BY id",
    "meeting": "SELECT m.id FROM meeting m WHERE m.project_id=:p AND EXISTS (SELECT 1 FROM "
    "agenda_item a WHERE a.meeting_id=m.id) AND EXISTS (SELECT 1 FROM attendance t "
    "WHERE t.meeting_id=m.id) ORDER BY m.id",
    "agenda_item": "SELECT id FROM agenda_item WHERE meeting_id=:meeting ORDER BY id",
    "attendee": "SELECT person_id FROM attendance WHERE meeting_id=:meeting ORDER BY id",
    "decision": "SELECT d.id FROM decision d WHERE d.project_id=:p AND d.superseded_by_id IS "
    "NULL AND EXISTS (SELECT 1 FROM follow_up_action f WHERE f.decision_id=d.id) "
    "ORDER BY d.id",
    "follow_up_action": "SELECT id FROM follow_up_action WHERE decision_id=:decision ORDER BY id",
    "risk": "SELECT id FROM raid_item WHERE project_id=:p AND group_id<>:a ORDER BY id",
    "indicator": "SELECT i.id FROM indicator i WHERE i.project_id=:p AND i.group_id<>:a AND "
    "EXISTS (SELECT 1 FROM measurement m WHERE m.indicator_id=i.id) ORDER BY i.id",
    "measurement": "SELECT id FROM measurement WHERE indicator_id=:indicator ORDER BY id",
    "task": "SELECT id FROM task WHERE project_id=:p AND group_id<>:a ORDER BY id",
    "milestone": "SELECT id FROM milestone WHERE project_id=:p AND group_id<>:a ORDER BY id",
    "plan": "SELECT id FROM plan WHERE project_id=:p AND group_id<>:a AND status='draft' "
    "ORDER BY id",
    "submitted_plan": "SELECT id FROM plan WHERE project_id=:p AND group_id<>:a AND "
    "status='submitted' ORDER BY id",
    "planless_group": "SELECT id FROM body WHERE project_id=:p AND name='Gruppe uden plan'",
    "stakeholder": "SELECT id FROM stakeholder WHERE project_id=:p AND group_id<>:a ORDER BY id",
    "communication_action": "SELECT c.id FROM communication_action c JOIN stakeholder s ON "
    "s.id=c.stakeholder_id WHERE c.project_id=:p AND c.group_id<>:a AND "
    "s.group_id<>:a ORDER BY c.id",
    "activity": "SELECT e.id FROM external_activity e WHERE e.project_id=:p AND e.group_id<>:a "
    "AND EXISTS (SELECT 1 FROM activity_delegate d WHERE d.activity_id=e.id) "
    "ORDER BY e.id",
    "delegate": "SELECT person_id FROM activity_delegate WHERE activity_id=:activity ORDER BY id",
    "fund": "SELECT id FROM fund WHERE project_id=:p ORDER BY id",
    "grant": "SELECT id FROM grant_award WHERE project_id=:p ORDER BY id",
    "grant_category": "SELECT category FROM grant_category WHERE grant_id=:grant ORDER BY position",
    "budget_line": "SELECT id FROM budget_line WHERE grant_id=:grant AND group_id<>:a ORDER BY id",
    "expenditure": "SELECT id FROM expenditure WHERE project_id=:p AND group_id<>:a AND "
    "correction_of_id IS NULL ORDER BY id",
    "economy_entry": "SELECT id FROM economy_entry WHERE project_id=:p ORDER BY id",
    # Rows that may not exist yet: an edit of a missing one names version 0.
    "group_setting": "SELECT id FROM group_setting WHERE project_id=:p AND body_id=:group_b",
    "explanation": "SELECT id FROM deviation_explanation WHERE grant_id=:grant "
    "AND category=:grant_category",
    "scheme": "SELECT id FROM registration_scheme WHERE project_id=:p ORDER BY id",
    "participant": "SELECT p.id FROM participant p WHERE p.scheme_id=:scheme AND p.exit_date IS "
    "NOT NULL AND EXISTS (SELECT 1 FROM participant_follow_up f WHERE "
    "f.participant_id=p.id) ORDER BY p.id",
    "participant_follow_up": "SELECT id FROM participant_follow_up WHERE "
    "participant_id=:participant ORDER BY id",
    "report": "SELECT id FROM status_report WHERE project_id=:p ORDER BY status='draft' DESC, id",
    "issued_report": "SELECT id FROM status_report WHERE project_id=:p AND status='issued' "
    "ORDER BY id",
    "spare_person": "SELECT id FROM person WHERE project_id=:p AND name='Slettes Person'",
    "spare_area": "SELECT id FROM director_area WHERE project_id=:p AND name='Slettes område'",
    "spare_body": "SELECT id FROM body WHERE project_id=:p AND name='Slettes gruppe'",
    "builtin_template": "SELECT 'pilot'",  # a template shipped with the app, not a row
    "spare_template": "SELECT 'saved-' || id FROM project_template WHERE name='Slettes skabelon'",
    "spare_fund": "SELECT id FROM fund WHERE project_id=:p AND name='Slettes pulje'",
    "spare_grant": "SELECT id FROM grant_award WHERE project_id=:p AND name='Slettes tilskud'",
    "spare_meeting": "SELECT id FROM meeting WHERE project_id=:p AND place='Slettes mødested'",
    "spare_scheme": "SELECT id FROM registration_scheme WHERE project_id=:p AND "
    "name='Slettes ordning'",
    "grant_purpose": "SELECT id FROM grant_purpose WHERE grant_id=:grant ORDER BY position",
    "active_participant": "SELECT id FROM participant WHERE scheme_id=:scheme AND exit_date "
    "IS NULL ORDER BY start_date",
    "activity_kind": "SELECT id FROM project_activity_kind WHERE project_id=:p AND name<>"
    "'Slettes type' ORDER BY id",
    "post": "SELECT id FROM funded_post WHERE grant_id=:grant AND title<>'Slettes stilling' "
    "ORDER BY id",
    "spare_kind": "SELECT id FROM project_activity_kind WHERE project_id=:p AND "
    "name='Slettes type'",
    "spare_post": "SELECT id FROM funded_post WHERE project_id=:p AND title='Slettes stilling'",
    "calendar_token": None,  # the raw token is only known when it is made: see open_stage
}
_CONSTANTS = {
    "participant_chart": "over_time",
    "participant_metric": "started",
    "report_text": "summary",
    "spare_field": "note",
    "spare_outcome": "andet",
    "report_light": "overall",
    "attachment_page": "groups",
}


def _valid_values(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """Values that pass a participant scheme's field definitions."""
    values: dict[str, Any] = {}
    for spec in fields:
        kind = spec["type"]
        if kind == "number":
            low, high = spec.get("min"), spec.get("max")
            values[spec["key"]] = low if low is not None else (high if high is not None else 1)
        elif kind == "choice":
            values[spec["key"]] = spec["options"][0]
        elif kind == "bool":
            values[spec["key"]] = True
        elif kind == "date":
            values[spec["key"]] = "2013-03-01"
        else:
            values[spec["key"]] = "Prøve"
    return values


# The table of each filler whose current version an example body may ask for.
FILLER_TABLE = {
    "project": "project",
    "area": "director_area",
    "person": "person",
    "body": "body",
    "membership": "membership",
    "mandate_item": "mandate_item",
    "meeting": "meeting",
    "agenda_item": "agenda_item",
    "follow_up_action": "follow_up_action",
    "risk": "raid_item",
    "indicator": "indicator",
    "measurement": "measurement",
    "task": "task",
    "milestone": "milestone",
    "plan": "plan",
    "stakeholder": "stakeholder",
    "communication_action": "communication_action",
    "activity": "external_activity",
    "fund": "fund",
    "grant": "grant_award",
    "budget_line": "budget_line",
    "expenditure": "expenditure",
    "economy_entry": "economy_entry",
    "scheme": "registration_scheme",
    "participant": "participant",
    "participant_follow_up": "participant_follow_up",
    "report": "status_report",
    "group_setting": "group_setting",
    "explanation": "deviation_explanation",
    "activity_kind": "project_activity_kind",
    "post": "funded_post",
    "spare_fund": "fund",
    "spare_area": "director_area",
    "spare_person": "person",
    "spare_body": "body",
    "spare_meeting": "meeting",
    "spare_grant": "grant_award",
    "spare_scheme": "registration_scheme",
    "spare_kind": "project_activity_kind",
    "spare_post": "funded_post",
}


def find_fillers(db: Database) -> dict[str, Any]:
    """The ids of the demo's rows that the matrix puts into paths and bodies."""
    values: dict[str, Any] = {"ga": MEMBER_GROUP, "gb": OTHER_GROUP}
    with db.engine.connect() as conn:
        for key, sql in _FILLER_SQL.items():
            if sql is None:
                continue
            params = {"p": values.get("project"), "a": values.get("group_a"), **values}
            try:
                values[key] = conn.execute(
                    text(sql), {k: v for k, v in params.items() if f":{k}" in sql}
                ).scalar()
            except Exception as exc:  # a table renamed or gone: named in the failure
                conn.rollback()
                values[key] = None
                values.setdefault("_errors", []).append(f"{key}: {exc}")
    with db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT start_fields, follow_up_fields, exit_fields, "
                "exit_outcomes FROM registration_scheme WHERE id=:s"
            ),
            {"s": values["scheme"]},
        ).one()
    start, follow_up, exit_, outcomes = (json.loads(v) if isinstance(v, str) else v for v in row)
    values["scheme_field_stage"] = "start"
    values["scheme_field_key"] = start[-1]["key"]
    values["scheme_outcome"] = outcomes[-1]["key"]
    values["start_values"] = _valid_values(start)
    values["follow_up_values"] = _valid_values(follow_up)
    values["exit_values"] = _valid_values(exit_)
    values |= _CONSTANTS
    return values


def fill(path: str, fillers: dict[str, Any], overrides: dict[str, Any] | None = None) -> str:
    """The path with every parameter replaced by the demo's row for it."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if overrides and name in overrides:
            return str(overrides[name])
        before = path[: match.start()].rstrip("/").split("/")
        literal = next((s for s in reversed(before) if s and "{" not in s), "")
        key = FILLER_OF.get((literal, name))
        if key is None:
            raise AssertionError(
                f"{path}: no filler for the path parameter {{{name}}} after "
                f"»{literal}« (add it to FILLER_OF in tests/security/stage.py)"
            )
        if fillers.get(key) is None:
            raise AssertionError(
                f"{path}: the demo has no row for the filler »{key}« ({fillers.get('_errors')})"
            )
        return str(fillers[key])

    return re.sub(r"{([^}:]+)(?::[^}]+)?}", value, path)


def substitute(value: Any, fillers: dict[str, Any]) -> Any:
    """Replace "{filler}" strings inside an example body by the demo's ids."""
    if isinstance(value, str):
        whole = re.fullmatch(r"{(\w+)}", value)
        if whole and whole.group(1) in fillers:
            return fillers[whole.group(1)]
        return re.sub(r"{(\w+)}", lambda m: str(fillers.get(m.group(1), m.group(0))), value)
    if isinstance(value, dict):
        return {k: substitute(v, fillers) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, fillers) for v in value]
    return value


@dataclass
class Stage:
    app: FastAPI
    url: str
    db: Database
    fillers: dict[str, Any]
    api: TestClient
    browsers: dict[str, TestClient] = field(default_factory=dict)
    bearer: dict[str, dict[str, str]] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        for client in [self.api, *self.browsers.values()]:
            client.__exit__(None, None, None)
        self.app.state.db.dispose()
        self.db.dispose()

    def sign_in(self, role: str) -> TestClient:
        """A new browser client signed in through the sign-in form as the role's account."""
        client = TestClient(self.app, follow_redirects=False)
        client.__enter__()
        if role == "anonymous":
            return client
        username = ROLE_USERS.get(role, role)
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = client.post(
            "/login",
            data={
                "username": username,
                "password": password_of(username),
                "csrf_token": token,
                "next": "/",
            },
        )
        assert answer.status_code == 303, (role, answer.status_code, answer.text[:300])
        return client

    def csrf_of(self, client: TestClient) -> str:
        page = client.get("/", follow_redirects=True)  # the directorate lands on its dashboard
        return re.search(r'<meta name="csrf-token" content="([^"]*)"', page.text).group(1)

    def call(
        self,
        role: str,
        endpoint: Endpoint,
        url: str,
        *,
        json: Any = None,
        data: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        csrf: bool = True,
        client: TestClient | None = None,
    ):
        """One request as the role: API routes with the role's bearer token, pages through its
        browser session (with the CSRF token on writes, as htmx sends it)."""
        extra = dict(headers or {})
        if endpoint.is_api and client is None:
            client = self.api
            extra |= self.bearer.get(role, {})
        else:
            if client is None:
                client = self.browsers[role]
            if endpoint.writes and csrf and role in self.csrf:
                extra.setdefault("X-CSRF-Token", self.csrf[role])
        return client.request(
            endpoint.method, url, json=json, data=data, files=files, headers=extra
        )

    # Snapshots: the audit test restores the demo before each write, so every write meets the
    # same untouched state (SQLite's backup API; a template database on PostgreSQL).

    def _dispose(self) -> None:
        self.app.state.db.engine.dispose()
        self.db.engine.dispose()

    def snapshot(self) -> None:
        self._dispose()
        if self.url.startswith("sqlite"):
            live = sqlite3.connect(make_url(self.url).database)
            copy = sqlite3.connect(make_url(self.url).database + ".pristine")
            live.backup(copy)
            copy.close()
            live.close()
            return
        name = make_url(self.url).database
        engine = _admin_engine(self.url)
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_pristine"'))
            conn.execute(text(f'CREATE DATABASE "{name}_pristine" TEMPLATE "{name}"'))
        engine.dispose()

    def restore(self) -> None:
        self._dispose()
        if self.url.startswith("sqlite"):
            copy = sqlite3.connect(make_url(self.url).database + ".pristine")
            live = sqlite3.connect(make_url(self.url).database, timeout=30)
            copy.backup(live)
            live.close()
            copy.close()
            return
        name = make_url(self.url).database
        engine = _admin_engine(self.url)
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{name}_pristine"'))
        engine.dispose()

    def fingerprint(self) -> tuple[Any, ...]:
        """Row counts of every table, the sum of every version column and the last audit id."""
        parts = []
        for table in SQLModel.metadata.sorted_tables:
            if table.name in ("user_session",):
                continue
            version = "SUM(version)" if "version" in table.c else "0"
            parts.append(f"SELECT '{table.name}', COUNT(*), {version} FROM \"{table.name}\"")
        with self.db.engine.connect() as conn:
            rows = conn.execute(text(" UNION ALL ".join(parts))).all()
            last_audit = conn.execute(text("SELECT MAX(id) FROM audit_event")).scalar()
        return tuple(sorted((r[0], r[1], r[2]) for r in rows)) + (("audit", last_audit),)

    def audit_count(self) -> int:
        with self.db.engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM audit_event")).scalar() or 0

    def max_audit_id(self) -> int:
        with self.db.engine.connect() as conn:
            return conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM audit_event")).scalar()


def open_stage(url: str, *, roles: tuple[str, ...] = ROLES) -> Stage:
    """The app on a copy of the demo, with every role signed in (browser and bearer token)."""
    app = create_app(Settings(database_url=url))
    db = Database(url)
    api = TestClient(app, follow_redirects=False)
    api.__enter__()
    stage = Stage(app=app, url=url, db=db, fillers=find_fillers(db), api=api)
    for role in roles:
        stage.browsers[role] = stage.sign_in(role)
        if role != "anonymous":
            stage.csrf[role] = stage.csrf_of(stage.browsers[role])
            stage.bearer[role] = _token(api, ROLE_USERS[role])
    # A spare API token of the leader's, for the routes that revoke one's own token.
    spare = _token(api, ROLE_USERS["leader"])
    stage.fillers["spare_token"] = next(
        t["id"] for t in api.get("/api/me/tokens", headers=spare).json() if t["current"]
    )
    # The leader's personal calendar URL (the raw token is shown once, when it is made).
    made = api.post(
        f"/api/projects/{stage.fillers['project']}/calendar/token",
        headers=stage.bearer.get("leader") or _token(api, "projektleder"),
    )
    if made.status_code == 201:
        stage.fillers["calendar_token"] = made.json()["url"].rsplit("/", 1)[-1].removesuffix(".ics")
    # An attachment on group B's task (its file on this database's own disk).
    attached = api.post(
        f"/api/projects/{stage.fillers['project']}/attachments",
        data={"owner_kind": "task", "owner_id": str(stage.fillers["task"])},
        files={"file": ("bilag.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
        headers=stage.bearer.get("leader") or _token(api, "projektleder"),
    )
    if attached.status_code == 201:
        stage.fillers["attachment"] = attached.json()["id"]
    return stage
