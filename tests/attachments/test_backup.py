"""Backup and restore cover the attachments: `reformstyr backup` copies the files the database
refers to beside the copy, `reformstyr restore` puts them back (checked by checksum)."""

import io

from sqlmodel import select
from typer.testing import CliRunner

from app.attachments import backup, service, storage
from app.attachments.models import Attachment, OwnerKind
from app.cli import cli
from app.config import get_settings
from app.db import is_sqlite
from tests.attachments import samples
from tests.workstreams.factories import access, make_task

runner = CliRunner()


def run(monkeypatch, database_url, *args):
    monkeypatch.setenv("REFORMSTYR_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = runner.invoke(cli, list(args))
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result


def test_backup_and_restore_round_trip_the_files(
    monkeypatch, database_url, session, world, tmp_path, attachments_dir
):
    if not is_sqlite(database_url):
        return  # backup/restore are SQLite's; PostgreSQL uses pg_dump (docs/reliability.md)
    monkeypatch.setattr(storage, "GRACE_SECONDS", 0)
    directory = attachments_dir
    task = make_task(session, world)
    leader = access(session, world, "leader")
    kept = []
    for data, name in ((samples.PDF, "a.pdf"), (samples.PNG, "b.png")):
        kept.append(
            service.add_attachment(
                session=session,
                by=leader,
                kind=OwnerKind.task,
                owner_id=task.id,
                file_name=name,
                stream=io.BytesIO(data),
                directory=directory,
                limit=1024 * 1024,
            )
        )
    copy = tmp_path / "kopi" / "reformstyr.db"
    copy.parent.mkdir()
    session.close()
    result = run(monkeypatch, database_url, "backup", str(copy))
    assert "2 filer kopieret" in result.output
    folder = backup.folder_of(copy)
    assert sorted(p.name for p in storage.files(folder)) == sorted(a.sha256 for a in kept)
    # Again into the same file: nothing to copy.
    assert "0 filer kopieret" in run(monkeypatch, database_url, "backup", str(copy)).output

    # Lose everything: one attachment deleted (its file goes), the other file lost from disk.
    service.delete_attachment(session=session, by=leader, attachment_id=kept[0].id)
    storage.path_of(directory, kept[1].sha256).unlink()
    assert list(storage.files(directory)) == []
    session.close()

    result = run(monkeypatch, database_url, "restore", str(copy))
    assert "2 filer lagt tilbage" in result.output
    rows = session.exec(select(Attachment).order_by(Attachment.id)).all()
    assert [a.file_name for a in rows] == ["a.pdf", "b.png"]
    for a, data in zip(rows, (samples.PDF, samples.PNG), strict=True):
        assert storage.path_of(directory, a.sha256).read_bytes() == data


def test_a_damaged_file_in_the_backup_is_left_out_and_named(
    monkeypatch, database_url, session, world, tmp_path, attachments_dir
):
    if not is_sqlite(database_url):
        return  # as above
    directory = attachments_dir
    task = make_task(session, world)
    a = service.add_attachment(
        session=session,
        by=access(session, world, "leader"),
        kind=OwnerKind.task,
        owner_id=task.id,
        file_name="a.pdf",
        stream=io.BytesIO(samples.PDF),
        directory=directory,
        limit=1024 * 1024,
    )
    copy = tmp_path / "kopi.db"
    session.close()
    run(monkeypatch, database_url, "backup", str(copy))
    storage.path_of(backup.folder_of(copy), a.sha256).write_bytes(b"%PDF-forvansket")
    storage.path_of(directory, a.sha256).unlink()
    result = run(monkeypatch, database_url, "restore", str(copy))
    assert "beskadigede" in result.output and a.sha256 in result.output
    assert not storage.path_of(directory, a.sha256).exists()
