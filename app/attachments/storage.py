"""The attachments' files on disk: written once under their sha256, checked by content.

A file arrives in chunks into a temporary file in the directory's `.incoming/`, hashed as it
goes and refused the moment it passes the size limit; its type is read from its bytes (never its
name or the type the client declared); only then is it renamed into place, `ab/abcdef…` by its
checksum (an atomic rename on the same file system). Two uploads of the same bytes share one
file. A stored name is never a path: the bytes are found by checksum alone.
"""

import codecs
import hashlib
import os
import re
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import make_url

from app.config import ROOT, Settings
from app.db import is_sqlite
from app.errors import Invalid

CHUNK = 1024 * 1024
INCOMING = ".incoming"
# A file no row refers to is kept this long after it was last written or reused, so that an
# upload whose row is not yet committed never loses its file to a clean-up running meanwhile.
GRACE_SECONDS = 600
SHA256 = re.compile(r"^[0-9a-f]{64}$")

ACCEPTED = "PDF, Word, Excel, PowerPoint, billeder (PNG, JPEG, GIF, WebP) og tekstfiler"
REFUSED_TYPE = (
    "Filtypen kan ikke modtages. Bilag kan være {accepted}; typen læses af filens indhold, "
    "ikke af dens navn."
)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
TEXT = "text/plain; charset=utf-8"

TYPE_LABELS = {
    PDF: "PDF",
    DOCX: "Word",
    XLSX: "Excel",
    PPTX: "PowerPoint",
    DOC: "Word (ældre format)",
    XLS: "Excel (ældre format)",
    PPT: "PowerPoint (ældre format)",
    "image/png": "PNG-billede",
    "image/jpeg": "JPEG-billede",
    "image/gif": "GIF-billede",
    "image/webp": "WebP-billede",
    TEXT: "Tekst",
}

# The main part of an Office Open XML package, as its [Content_Types].xml names it (the
# macro-enabled variants, .docm/.xlsm/.pptm, have other names and are refused).
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream that makes an OLE compound file a Word, Excel or PowerPoint document, as its
# directory entry names it (UTF-16LE); other OLE files (installers, e-mails) are refused.
OLE_STREAMS = (
    ("WordDocument".encode("utf-16-le"), DOC),
    ("Workbook".encode("utf-16-le"), XLS),
    ("Book\x00".encode("utf-16-le"), XLS),
    ("PowerPoint Document".encode("utf-16-le"), PPT),
)
TEXT_CONTROLS = set(range(32)) - {9, 10, 12, 13}


def attachments_dir(settings: Settings) -> Path:
    """Where the files are kept: the setting, else `attachments` beside the SQLite file (so each
    database has its own), else data/attachments."""
    if settings.attachments_dir:
        return storage_path(settings.attachments_dir)
    return default_dir(settings.database_url)


def storage_path(configured: str) -> Path:
    return Path(configured).expanduser().resolve()


def default_dir(database_url: str) -> Path:
    if is_sqlite(database_url):
        database = make_url(database_url).database
        if database and database != ":memory:":
            return Path(database).resolve().parent / "attachments"
    return ROOT / "data" / "attachments"


def max_bytes(settings: Settings) -> int:
    return settings.attachments_max_mb * 1024 * 1024


def too_large(limit: int) -> Invalid:
    return Invalid(
        f"Filen er for stor. Et bilag må højst fylde {limit // (1024 * 1024)} MB.", field="file"
    )


def safe_name(name: str) -> str:
    """The file's name without path parts or control characters (Danish letters kept), at most
    255 characters with its extension; »bilag« when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) < 20 else name[:255]
    return name or "bilag"


def path_of(directory: Path, sha256: str) -> Path:
    """The file of a checksum (a checksum is 64 hex digits, so never a path of its own)."""
    if not SHA256.match(sha256):
        raise ValueError("not a sha256")
    return directory / sha256[:2] / sha256


@dataclass
class Stored:
    """A file received into a temporary file, hashed and typed, not yet in place."""

    temp: Path
    sha256: str
    size: int
    content_type: str


def receive(*, stream: BinaryIO, directory: Path, limit: int) -> Stored:
    """Copy an upload into a temporary file, hashing it; refused (nothing kept) when it is empty,
    over `limit` bytes or of a type not taken."""
    incoming = directory / INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=incoming)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise Invalid("Filen er tom.", field="file")
        content_type = sniff(temp)
        if content_type is None:
            raise Invalid(REFUSED_TYPE.format(accepted=ACCEPTED), field="file")
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Stored(temp=temp, sha256=digest.hexdigest(), size=size, content_type=content_type)


def place(stored: Stored, directory: Path) -> Path:
    """Move a received file into place by its checksum (atomic rename); the same bytes already
    there are kept and marked as just used (see GRACE_SECONDS)."""
    target = path_of(directory, stored.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        stored.temp.unlink(missing_ok=True)
        os.utime(target)
    else:
        os.replace(stored.temp, target)
    return target


def discard(stored: Stored) -> None:
    stored.temp.unlink(missing_ok=True)


def sniff(path: Path) -> str | None:
    """The content type of a file by its bytes, or None for a type not taken."""
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(path)
    if head.startswith(OLE_MAGIC):
        return _ole(path)
    return TEXT if _is_text(path) else None


def _ooxml(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as package:
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    for main, content_type in OOXML_MAIN.items():
        if f'ContentType="{main}"' in types:
            return content_type
    return None


def _scan(path: Path, needles: Iterable[tuple[bytes, str]]) -> str | None:
    keep = max(len(n) for n, _ in needles)
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            window = tail + chunk
            for needle, found in needles:
                if needle in window:
                    return found
            tail = window[-keep:]
    return None


def _ole(path: Path) -> str | None:
    return _scan(path, OLE_STREAMS)


def _is_text(path: Path) -> bool:
    """UTF-8 text with no control characters but tab, line breaks and form feed."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with path.open("rb") as f:
        try:
            while chunk := f.read(CHUNK):
                text = decoder.decode(chunk)
                if any(ord(c) in TEXT_CONTROLS or ord(c) == 0x7F for c in text):
                    return False
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def files(directory: Path) -> Iterable[Path]:
    """Every stored file (not the incoming ones)."""
    if not directory.is_dir():
        return
    for sub in directory.iterdir():
        if sub.is_dir() and len(sub.name) == 2 and sub.name != INCOMING:
            for file in sub.iterdir():
                if SHA256.match(file.name):
                    yield file


def remove_unreferenced(
    directory: Path, referenced: set[str], *, only: Iterable[str] | None = None, grace: float = 0
) -> list[str]:
    """Delete the files (all, or `only` those checksums) no row refers to and not written or
    reused within `grace` seconds, with stale incoming files; the checksums deleted."""
    now = time.time()
    candidates = (
        [path_of(directory, s) for s in only if SHA256.match(s)]
        if only is not None
        else list(files(directory))
    )
    removed = []
    for file in candidates:
        try:
            if file.name in referenced or now - file.stat().st_mtime < grace:
                continue
            file.unlink()
        except FileNotFoundError:
            continue
        removed.append(file.name)
    incoming = directory / INCOMING
    if only is None and incoming.is_dir():
        for temp in incoming.iterdir():
            try:
                if now - temp.stat().st_mtime >= max(grace, GRACE_SECONDS):
                    temp.unlink()
            except FileNotFoundError:
                continue
    return removed
