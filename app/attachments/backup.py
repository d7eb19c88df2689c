"""The attachments' files in a backup: `reformstyr backup FILE` copies the database to FILE and
the files its attachments refer to into the folder FILE.bilag beside it; `reformstyr restore
FILE` puts the database back and then every file of FILE.bilag whose bytes still match its
checksum into the attachments directory.

The files are copied after the database, and only those the copied database refers to: a file
uploaded meanwhile belongs to a row the copy does not have, and a file whose row is deleted
meanwhile is still on disk (a file stays storage.GRACE_SECONDS after its row goes, and the
copy takes seconds). A backup into the same FILE again copies only the files it lacks.
"""

import hashlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from app.attachments import storage

SUFFIX = ".bilag"


def folder_of(backup_file: Path) -> Path:
    """Where a backup's attachment files are kept: FILE.bilag beside FILE."""
    return backup_file.with_name(backup_file.name + SUFFIX)


def _referenced(database_file: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT DISTINCT sha256 FROM attachment").fetchall()
    except sqlite3.OperationalError:  # a database from before attachments
        rows = []
    finally:
        connection.close()
    return {r[0] for r in rows if storage.SHA256.match(r[0] or "")}


def _copy(source: Path, target: Path) -> None:
    """Copy a file into place atomically (a temporary file in the target's folder, renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as f:
            shutil.copyfileobj(f, out, storage.CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(storage.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def save_files(*, database_file: Path, directory: Path, backup_file: Path) -> tuple[int, list[str]]:
    """Copy the files the backed-up database refers to; how many were copied, and the
    checksums of those not found in the attachments directory."""
    folder = folder_of(backup_file)
    copied, missing = 0, []
    for sha256 in sorted(_referenced(database_file)):
        source, target = storage.path_of(directory, sha256), storage.path_of(folder, sha256)
        if target.is_file() and target.stat().st_size == (
            source.stat().st_size if source.is_file() else -1
        ):
            continue
        if not source.is_file():
            missing.append(sha256)
            continue
        _copy(source, target)
        copied += 1
    return copied, missing


def restore_files(*, backup_file: Path, directory: Path) -> tuple[int, list[str]]:
    """Put a backup's files into the attachments directory; how many were put back, and the
    names of those whose bytes no longer match their checksum (left out)."""
    restored, damaged = 0, []
    for source in storage.files(folder_of(backup_file)):
        if _checksum(source) != source.name:
            damaged.append(source.name)
            continue
        target = storage.path_of(directory, source.name)
        if not target.is_file():
            _copy(source, target)
            restored += 1
    return restored, damaged
