"""Attachments at the service level: what is taken, what is refused (nothing kept), who may,
and that deleting an attachment or its owner leaves no row and no file behind."""

import io
import os
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from app.attachments import service, storage
from app.attachments.models import Attachment, OwnerKind
from app.audit.models import AuditEvent
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.governance import meetings
from app.governance.schemas import AgendaItemCreate
from app.workstreams import tasks
from tests.attachments import samples
from tests.governance.factories import make_decision, make_meeting
from tests.workstreams.factories import access, make_plan, make_task

LIMIT = 1024 * 1024


def count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def stored_files(directory: Path) -> list[Path]:
    return list(storage.files(directory))


def add(
    session,
    world,
    directory,
    *,
    by="leader",
    kind=OwnerKind.task,
    owner_id=0,
    data=samples.PDF,
    name="referat.pdf",
    limit=LIMIT,
):
    return service.add_attachment(
        session=session,
        by=access(session, world, by),
        kind=kind,
        owner_id=owner_id,
        file_name=name,
        stream=io.BytesIO(data),
        directory=directory,
        limit=limit,
    )


@pytest.fixture
def directory(attachments_dir: Path) -> Path:
    return attachments_dir


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (samples.PDF, storage.PDF),
        (samples.ooxml(), storage.DOCX),
        (samples.ooxml("spreadsheetml.sheet"), storage.XLSX),
        (samples.ooxml("presentationml.presentation"), storage.PPTX),
        (samples.ole("WordDocument"), storage.DOC),
        (samples.ole("Workbook"), storage.XLS),
        (samples.ole("PowerPoint Document"), storage.PPT),
        (samples.PNG, "image/png"),
        (samples.JPEG, "image/jpeg"),
        (samples.GIF, "image/gif"),
        (samples.WEBP, "image/webp"),
        (samples.TEXT, storage.TEXT),
    ],
)
def test_each_accepted_type_is_read_from_the_content(session, world, directory, data, content_type):
    task = make_task(session, world)
    # The name says nothing: the type is the content's.
    a = add(session, world, directory, owner_id=task.id, data=data, name="fil.exe")
    assert a.content_type == content_type
    assert a.size == len(data)
    path = storage.path_of(directory, a.sha256)
    assert path.read_bytes() == data
    assert path.parent.name == a.sha256[:2]


@pytest.mark.parametrize(
    "data",
    [
        samples.EXE,
        samples.HTML,
        samples.plain_zip(),
        samples.ooxml("wordprocessingml.document").replace(
            b"openxmlformats-officedocument.wordprocessingml.document.main",
            b"ms-word.document.macroEnabled.main+xml.xx",
        ),
        samples.ole("Installer"),
        "tekst i latin-1: æøå".encode("latin-1"),
    ],
)
def test_a_refused_type_is_a_danish_422_and_nothing_is_kept(session, world, directory, data):
    task = make_task(session, world)
    with pytest.raises(Invalid) as refused:
        add(session, world, directory, owner_id=task.id, data=data, name="rapport.pdf")
    assert refused.value.field == "file"
    assert "Filtypen kan ikke modtages" in refused.value.message
    assert count(session, Attachment) == 0
    assert stored_files(directory) == []
    assert list((directory / storage.INCOMING).iterdir()) == []


def test_a_file_over_the_limit_is_refused_naming_the_limit(session, world, directory):
    task = make_task(session, world)
    with pytest.raises(Invalid) as refused:
        add(session, world, directory, owner_id=task.id, data=b"a" * (LIMIT + 1))
    assert refused.value.message == "Filen er for stor. Et bilag må højst fylde 1 MB."
    assert count(session, Attachment) == 0
    assert stored_files(directory) == []
    assert list((directory / storage.INCOMING).iterdir()) == []
    exactly = add(session, world, directory, owner_id=task.id, data=b"a" * LIMIT, name="a.txt")
    assert exactly.size == LIMIT


def test_an_empty_file_is_refused(session, world, directory):
    task = make_task(session, world)
    with pytest.raises(Invalid, match="tom"):
        add(session, world, directory, owner_id=task.id, data=b"")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Budget 2013.xlsx", "Budget 2013.xlsx"),
        ("re\x00fer\x1bat\n.pdf", "referat.pdf"),
        ("Årsrapport – Ærø og Østerbro.pdf", "Årsrapport – Ærø og Østerbro.pdf"),
        ("..", "bilag"),
        ("", "bilag"),
        ("a\u202egnp.exe", "agnp.exe"),
    ],
)
def test_a_file_name_is_stored_safely(session, world, directory, given, kept):
    task = make_task(session, world)
    a = add(session, world, directory, owner_id=task.id, name=given)
    assert a.file_name == kept
    # The bytes are found by checksum alone: nothing but the checksum's folder is created.
    assert {p.name for p in directory.iterdir()} == {a.sha256[:2], storage.INCOMING}


def test_the_same_bytes_are_stored_once_and_an_upload_is_audited(session, world, directory):
    task = make_task(session, world)
    first = add(session, world, directory, owner_id=task.id)
    second = add(session, world, directory, owner_id=task.id, name="kopi.pdf")
    assert first.sha256 == second.sha256
    assert len(stored_files(directory)) == 1
    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "attachment", AuditEvent.action == "uploaded")
    ).all()
    assert [e.entity_id for e in events] == [str(first.id), str(second.id)]


def test_who_may_attach_follows_who_may_change_the_owner(session, world, directory):
    meeting = make_meeting(session, world)
    decision = make_decision(session, world)
    task_a = make_task(session, world)
    task_b = make_task(session, world, group_id=world.group_b.id)
    plan = make_plan(session, world)
    cases = [
        (OwnerKind.meeting, meeting.id, {"secretariat", "leader", "admin"}),
        (OwnerKind.decision, decision.id, {"steering", "leader", "secretariat", "admin"}),
        (OwnerKind.task, task_a.id, {"leader", "member_a", "admin"}),
        (OwnerKind.task, task_b.id, {"leader", "member_b", "admin"}),
        (OwnerKind.plan, plan.id, {"leader", "member_a", "admin"}),
    ]
    everyone = ["admin", "leader", "steering", "member_a", "member_b", "directorate", "secretariat"]
    for kind, owner_id, allowed in cases:
        for name in everyone:
            if name in allowed:
                add(session, world, directory, by=name, kind=kind, owner_id=owner_id)
            else:
                with pytest.raises(Forbidden):
                    add(session, world, directory, by=name, kind=kind, owner_id=owner_id)
    assert count(session, Attachment) == sum(len(a) for _, _, a in cases)


def test_an_owner_of_another_project_is_not_found(session, world, directory):
    other_meeting = make_meeting(session, world, project_id=world.other_project.id)
    with pytest.raises(NotFound):
        add(session, world, directory, kind=OwnerKind.meeting, owner_id=other_meeting.id)
    assert stored_files(directory) == []


def test_deleting_an_attachment_removes_its_file_when_no_other_refers_to_it(
    session, world, directory, monkeypatch
):
    monkeypatch.setattr(storage, "GRACE_SECONDS", 0)
    task = make_task(session, world)
    first = add(session, world, directory, owner_id=task.id)
    second = add(session, world, directory, owner_id=task.id, name="kopi.pdf")
    path = storage.path_of(directory, first.sha256)
    leader = access(session, world, "leader")
    service.delete_attachment(session=session, by=leader, attachment_id=first.id)
    assert path.exists()  # the copy still refers to the bytes
    service.delete_attachment(session=session, by=leader, attachment_id=second.id)
    assert not path.exists()
    assert count(session, Attachment) == 0
    assert (
        count(
            session, AuditEvent, AuditEvent.entity == "attachment", AuditEvent.action == "deleted"
        )
        == 2
    )
    with pytest.raises(Forbidden):
        other = add(session, world, directory, owner_id=task.id)
        service.delete_attachment(
            session=session, by=access(session, world, "member_b"), attachment_id=other.id
        )


def test_a_recent_file_is_kept_for_an_upload_that_has_not_committed(session, world, directory):
    task = make_task(session, world)
    a = add(session, world, directory, owner_id=task.id)
    service.delete_attachment(
        session=session, by=access(session, world, "leader"), attachment_id=a.id
    )
    path = storage.path_of(directory, a.sha256)
    assert path.exists()  # within the grace period
    old = path.stat().st_mtime - storage.GRACE_SECONDS - 1
    os.utime(path, (old, old))
    storage.remove_unreferenced(directory, set(), grace=storage.GRACE_SECONDS)
    assert not path.exists()


def test_deleting_the_owner_leaves_no_rows_and_no_files(session, world, directory, monkeypatch):
    monkeypatch.setattr(storage, "GRACE_SECONDS", 0)
    meeting = make_meeting(session, world)
    secretariat = access(session, world, "secretariat")
    item = meetings.add_agenda_item(
        session=session,
        by=secretariat,
        meeting_id=meeting.id,
        data=AgendaItemCreate(title="Budget"),
    )
    add(session, world, directory, kind=OwnerKind.agenda_item, owner_id=item.id, data=samples.PNG)
    task = make_task(session, world)
    add(session, world, directory, owner_id=task.id, data=samples.TEXT)
    kept = add(session, world, directory, kind=OwnerKind.meeting, owner_id=meeting.id)
    assert len(stored_files(directory)) == 3
    meetings.delete_agenda_item(
        session=session, by=secretariat, meeting_id=meeting.id, item_id=item.id, version=1
    )
    tasks.delete_task(
        session=session, by=access(session, world, "leader"), task_id=task.id, version=1
    )
    assert count(session, Attachment) == 1
    assert [p.name for p in stored_files(directory)] == [kept.sha256]


def test_a_meeting_with_attachments_is_not_deleted_and_the_refusal_names_them(
    session, world, directory
):
    meeting = make_meeting(session, world)
    add(session, world, directory, kind=OwnerKind.meeting, owner_id=meeting.id)
    with pytest.raises(Conflict, match="bilag \\(1\\)"):
        meetings.delete_meeting(
            session=session,
            by=access(session, world, "secretariat"),
            meeting_id=meeting.id,
            version=meeting.version,
        )
    session.rollback()
    assert count(session, Attachment) == 1


def test_a_section_lists_a_meetings_and_its_agenda_items_attachments_in_one_query(
    session, world, directory
):
    meeting = make_meeting(session, world)
    secretariat = access(session, world, "secretariat")
    item = meetings.add_agenda_item(
        session=session,
        by=secretariat,
        meeting_id=meeting.id,
        data=AgendaItemCreate(title="Budget"),
    )
    add(session, world, directory, kind=OwnerKind.agenda_item, owner_id=item.id)
    section = service.meeting_section(session=session, access=secretariat, meeting_id=meeting.id)
    assert [o.kind for o in section.owners] == [OwnerKind.meeting, OwnerKind.agenda_item]
    assert section.count == 1
    assert [o.ref for o in section.editable] == [f"meeting:{meeting.id}", f"agenda_item:{item.id}"]
    reader = service.meeting_section(
        session=session, access=access(session, world, "directorate"), meeting_id=meeting.id
    )
    assert reader.editable == [] and reader.count == 1


def test_sizes_read_the_danish_way():
    assert service.size_label(812) == "812 B"
    assert service.size_label(14_200) == "14 kB"
    assert service.size_label(2_450_000) == "2,5 MB"
