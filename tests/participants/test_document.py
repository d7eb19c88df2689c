"""Schemes in the project document (never participant records), the demo and `reformstyr purge`."""

from datetime import date

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from app.audit.models import AuditEvent
from app.cli import cli
from app.demo.loader import demo_document, load_demo
from app.errors import InvalidDocument
from app.governance.models import Project
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.projectdoc.document import export_project, import_project, parse
from tests.participants.factories import (
    exit_participant,
    make_participant,
    make_scheme,
    scheme_definition,
)


def test_export_import_export_gives_the_same_schemes_and_no_participants(session, world):
    make_scheme(session, world)
    make_participant(session, world, session.exec(select(RegistrationScheme)).one())
    first = export_project(session=session, project=world.project)
    assert [s["name"] for s in first["participant_schemes"]] == ["Virksomhedscentre"]
    assert "VC-001" not in str(first) and "participants" not in first
    first["project"]["name"] = "Kopi"
    copy = import_project(session=session, data=first, by=None)
    second = export_project(session=session, project=copy)
    assert second["participant_schemes"] == first["participant_schemes"]
    assert (
        session.exec(
            select(func.count()).select_from(Participant).where(Participant.project_id == copy.id)
        ).one()
        == 0
    )


def test_an_invalid_scheme_in_a_document_names_its_path(session, world):
    document = export_project(session=session, project=world.project)
    document["participant_schemes"] = [
        scheme_definition() | {"key": "a"},
        scheme_definition(exit_outcomes=[]) | {"key": "b", "name": "Andet"},
    ]
    with pytest.raises(InvalidDocument) as exc:
        parse(document)
    assert exc.value.errors[0]["path"].startswith("$.participant_schemes[1]")
    assert "mindst én status" in exc.value.errors[0]["message"]


def test_the_demo_ships_seed_002_scheme_and_pseudonymous_participants(session, db):
    with db.session(write=True) as s:
        load_demo(session=s)
        load_demo(session=s)
    schemes = session.exec(select(RegistrationScheme).order_by(RegistrationScheme.id)).all()
    assert [s.name for s in schemes] == [
        "Virksomhedscentre og ressourceforløb",
        "Fleksjob på 10 timer eller derunder",
    ]
    vc = schemes[0]
    assert (vc.follow_up_every, vc.follow_up_unit) == (3, "months")
    assert [f["key"] for f in vc.start_fields][:8] == [
        "age",
        "sex",
        "match_group",
        "benefit",
        "benefit_history",
        "education",
        "work_experience",
        "origin",
    ]
    assert "Fængsel" in [o["label"] for o in vc.exit_outcomes]
    people = session.exec(select(Participant)).all()
    assert len(people) == 40
    assert all(p.code[:3] in ("VC-", "FJ-") for p in people)
    assert min(p.start_date for p in people) >= date(2013, 1, 1)
    assert max(p.start_date for p in people) <= date(2014, 12, 31)
    assert sum(p.exit_date is not None for p in people) >= 15
    assert sum(p.exit_date is None for p in people) >= 5
    assert session.exec(select(func.count()).select_from(FollowUp)).one() > 60
    assert "VC" in demo_document()["participant_schemes"][0]["code_prefix"]


def test_purge_command_prints_the_count_and_audits(monkeypatch, database_url, session, world):
    scheme = make_scheme(session, world, retention_months=12)
    for i in range(3):
        p = make_participant(session, world, scheme, start_date=date(2013, 5, 1 + i))
        if i < 2:
            exit_participant(session, world, p, date(2013, 9, 1))
    session.commit()
    monkeypatch.setenv("REFORMSTYR_DATABASE_URL", database_url)
    from app.config import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["purge"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "2 deltagerregistreringer slettet" in result.output
    session.expire_all()
    assert [p.code for p in session.exec(select(Participant)).all()] == ["VC-003"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "purged")).one()
    assert (event.project_id, event.after["count"], event.username) == (
        world.project.id,
        2,
        "system",
    )
    again = CliRunner().invoke(cli, ["purge"])
    assert "0 deltagerregistreringer slettet" in again.output
    assert session.exec(select(func.count()).select_from(Project)).one() == 2
