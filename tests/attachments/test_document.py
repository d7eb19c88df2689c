"""Attachments in the project document: references (owner key, name, size, sha256), an exact
round trip export → import → export, refused references, and no bytes restored."""

import io
from pathlib import Path

import pytest
from sqlmodel import select

from app.attachments import service, storage
from app.attachments.models import Attachment, OwnerKind
from app.errors import InvalidDocument
from app.governance import meetings
from app.governance.models import Project
from app.governance.schemas import AgendaItemCreate
from app.projectdoc.document import export_project, import_project, parse
from tests.attachments import samples
from tests.governance.factories import make_decision, make_meeting
from tests.workstreams.factories import access, make_plan, make_task


def attach(session, world, directory: Path, kind: OwnerKind, owner_id: int, data: bytes, name: str):
    return service.add_attachment(
        session=session,
        by=access(session, world, "admin"),
        kind=kind,
        owner_id=owner_id,
        file_name=name,
        stream=io.BytesIO(data),
        directory=directory,
        limit=1024 * 1024,
    )


@pytest.fixture
def attached(session, world, tmp_path):
    directory = tmp_path / "attachments"
    meeting = make_meeting(session, world)
    by = access(session, world, "secretariat")
    for title in ("Velkomst", "Budget"):
        item = meetings.add_agenda_item(
            session=session, by=by, meeting_id=meeting.id, data=AgendaItemCreate(title=title)
        )
    decision = make_decision(session, world, meeting_id=meeting.id)
    task = make_task(session, world)
    plan = make_plan(session, world)
    attach(session, world, directory, OwnerKind.meeting, meeting.id, samples.PDF, "indkaldelse.pdf")
    attach(session, world, directory, OwnerKind.agenda_item, item.id, samples.PNG, "budget.png")
    attach(session, world, directory, OwnerKind.decision, decision.id, samples.TEXT, "notat.txt")
    attach(session, world, directory, OwnerKind.task, task.id, samples.ooxml(), "opgave.docx")
    attach(session, world, directory, OwnerKind.plan, plan.id, samples.ole(), "plan.doc")
    return directory


def test_the_export_names_each_attachment_by_its_owners_key(session, world, attached):
    doc = export_project(session=session, project=world.project)
    listed = doc["attachments"]
    assert [(a["owner_kind"], a["file_name"]) for a in listed] == [
        ("meeting", "indkaldelse.pdf"),
        ("agenda_item", "budget.png"),
        ("decision", "notat.txt"),
        ("task", "opgave.docx"),
        ("plan", "plan.doc"),
    ]
    item = listed[1]
    assert item["owner"] == doc["meetings"][0]["key"] and item["agenda_item"] == 2
    plan = listed[4]
    group_a = next(b["key"] for b in doc["bodies"] if b["name"] == "Gruppe A")
    assert plan["owner"] == group_a and plan["agenda_item"] is None
    assert listed[0]["size"] == len(samples.PDF) and len(listed[0]["sha256"]) == 64


def test_the_round_trip_is_exact_and_brings_references_not_bytes(session, world, attached):
    exported = export_project(session=session, project=world.project)
    project = import_project(session=session, data=exported, by=None)
    again = export_project(session=session, project=project)
    assert again["attachments"] == exported["attachments"]
    rows = session.exec(select(Attachment).where(Attachment.project_id == project.id)).all()
    assert len(rows) == 5
    # Here the bytes are on the same server, found by checksum; elsewhere the download says so.
    other_dir = attached.parent / "elsewhere"
    with pytest.raises(Exception, match="findes ikke på serveren"):
        service.file_of(
            session=session, project_id=project.id, attachment_id=rows[0].id, directory=other_dir
        )
    found, path = service.file_of(
        session=session, project_id=project.id, attachment_id=rows[0].id, directory=attached
    )
    assert path == storage.path_of(attached, found.sha256)


def test_a_reference_to_nothing_is_refused_with_its_path(session, world, attached):
    exported = export_project(session=session, project=world.project)
    exported["attachments"][0]["owner"] = "meeting-99"
    exported["attachments"][1]["agenda_item"] = 7
    exported["attachments"][2]["agenda_item"] = 1
    exported["attachments"][4]["owner"] = next(
        b["key"] for b in exported["bodies"] if b["name"] == "Gruppe B"
    )
    count = len(session.exec(select(Project)).all())
    with pytest.raises(InvalidDocument) as refused:
        parse(exported)
    paths = [e["path"] for e in refused.value.errors]
    assert paths == [
        "$.attachments[0].owner",
        "$.attachments[1].agenda_item",
        "$.attachments[2].agenda_item",
        "$.attachments[4].owner",
    ]
    assert len(session.exec(select(Project)).all()) == count
