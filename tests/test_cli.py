import json
import sqlite3

from sqlmodel import func, select
from typer.testing import CliRunner

from app.auth.models import ProjectMember, User
from app.cli import cli, demo_account_warning
from app.db import is_sqlite
from app.governance.models import Body, BodyKind, MemberRole, Membership, Person, Project

runner = CliRunner()


def _run(monkeypatch, database_url, *args):
    monkeypatch.setenv("REFORMSTYR_DATABASE_URL", database_url)
    from app.config import get_settings

    get_settings.cache_clear()
    result = runner.invoke(cli, list(args))
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result


def test_demo_loads_svendborg_once(monkeypatch, database_url, session):
    _run(monkeypatch, database_url, "demo")
    _run(monkeypatch, database_url, "demo")
    projects = session.exec(select(Project)).all()
    assert [p.municipality for p in projects] == ["Svendborg Kommune"]
    usernames = set(session.exec(select(User.username)).all())
    assert {
        "admin",
        "projektleder",
        "styregruppe",
        "information",
        "direktion",
        "sekretariat",
    } <= usernames
    steering = session.exec(select(Body).where(Body.kind == BodyKind.steering_group)).one()
    members = session.exec(
        select(Person.name, Membership.role, Membership.condition)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.body_id == steering.id)
    ).all()
    ad_hoc = {name: cond for name, role, cond in members if role == MemberRole.ad_hoc}
    assert set(ad_hoc) == {"Marianne Wederkopp", "Bo Madsen"}
    assert "ydelser" in ad_hoc["Marianne Wederkopp"]
    groups = session.exec(
        select(func.count()).select_from(Body).where(Body.kind == BodyKind.implementation_group)
    ).one()
    assert groups == 4
    assert session.exec(select(func.count()).select_from(ProjectMember)).one() == 5


def test_backup_is_a_consistent_sqlite_copy(monkeypatch, database_url, tmp_path):
    if not is_sqlite(database_url):
        return
    _run(monkeypatch, database_url, "demo")
    target = tmp_path / "kopi.db"
    _run(monkeypatch, database_url, "backup", str(target))
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM project").fetchone()[0] == 1
    copy.close()


def test_export_then_import_gives_the_same_document(monkeypatch, database_url, tmp_path):
    _run(monkeypatch, database_url, "demo")
    first = tmp_path / "first.json"
    _run(monkeypatch, database_url, "export", "1", str(first))
    _run(monkeypatch, database_url, "import", str(first))
    second = tmp_path / "second.json"
    _run(monkeypatch, database_url, "export", "2", str(second))
    assert json.loads(first.read_text()) == json.loads(second.read_text())


def test_serve_warns_loudly_about_demo_accounts_beyond_loopback(monkeypatch, database_url, session):
    _run(monkeypatch, database_url, "demo")
    assert demo_account_warning(session, host="127.0.0.1") is None
    warning = demo_account_warning(session, host="0.0.0.0")
    assert "ADVARSEL" in warning and "projektleder" in warning


def test_restore_brings_a_backup_back(monkeypatch, database_url, tmp_path, session):
    if not is_sqlite(database_url):
        return
    _run(monkeypatch, database_url, "demo")
    backup_file = tmp_path / "kopi.db"
    _run(monkeypatch, database_url, "backup", str(backup_file))
    session.exec(Project.__table__.delete())
    session.commit()
    _run(monkeypatch, database_url, "restore", str(backup_file))
    session.expire_all()
    assert [p.municipality for p in session.exec(select(Project)).all()] == ["Svendborg Kommune"]


def test_create_user_from_the_command_line(monkeypatch, database_url, session):
    _run(
        monkeypatch,
        database_url,
        "create-user",
        "karen",
        "--full-name",
        "Karen Ø",
        "--admin",
        "--password",
        "langt-nok-1",
    )
    user = session.exec(select(User).where(User.username == "karen")).one()
    assert user.is_admin and user.full_name == "Karen Ø"
