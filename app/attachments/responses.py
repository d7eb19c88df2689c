"""An attachment as an HTTP download (pages and API alike)."""

from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse

from app.attachments.models import Attachment


def content_disposition(file_name: str) -> str:
    """`attachment` with the name in RFC 5987 form and an ASCII fallback for old clients."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in file_name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def download(attachment: Attachment, path: Path) -> FileResponse:
    """The file, always as a download, its type the one read from its bytes (the security
    headers' `X-Content-Type-Options: nosniff`, app/web/headers.py, says browsers must not guess
    another)."""
    return FileResponse(
        path,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": content_disposition(attachment.file_name),
            "Cache-Control": "private, no-store",
        },
    )
