"""Receiving an upload over HTTP: the body is read only up to the size limit.

`LimitedUpload`, the first dependency of an upload route, wraps the request's body before
anything reads it (the CSRF check and the form both do). Past the limit (the largest file plus
room for the form's other fields) the rest of the body is read and thrown away, nothing of it
kept, and the form ends there, so the route still gets its fields (the CSRF token, the owner)
and answers with the Danish 422 next to its form — instead of a dropped connection, which a
browser shows as a network error. The service then refuses the cut-off file (`truncated`).
"""

from dataclasses import dataclass
from typing import Annotated, Any, BinaryIO

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile

from app.attachments import storage

FIELDS_ROOM = 64 * 1024
TRUNCATED = "attachments_upload_truncated"


async def _limit_body(request: Request) -> None:
    settings = request.app.state.settings
    limit = storage.max_bytes(settings) + FIELDS_ROOM
    content_type = request.headers.get("content-type", "")
    boundary = content_type.partition("boundary=")[2].split(";")[0].strip().strip('"')
    receive = request._receive
    seen = 0
    ended = False

    async def limited() -> Any:
        nonlocal seen, ended
        if ended:
            return {"type": "http.request", "body": b"", "more_body": False}
        message = await receive()
        if message["type"] != "http.request":
            return message
        body = message.get("body", b"")
        if seen + len(body) <= limit:
            seen += len(body)
            return message
        # Over the limit: drain the rest unread and end the form where it was cut.
        keep = body[: max(0, limit - seen)]
        seen = limit
        more = message.get("more_body", False)
        while more:
            rest = await receive()
            if rest["type"] != "http.request":
                break
            more = rest.get("more_body", False)
        ended = True
        setattr(request.state, TRUNCATED, True)
        closing = f"\r\n--{boundary}--\r\n".encode() if boundary else b""
        return {"type": "http.request", "body": keep + closing, "more_body": False}

    request._receive = limited


LimitedUpload = Annotated[None, Depends(_limit_body)]


@dataclass
class Incoming:
    """The file part of an upload form."""

    file_name: str
    stream: BinaryIO | None
    truncated: bool


def incoming(request: Request, form: FormData) -> Incoming:
    """The form's `file` (None when none was chosen) and whether the body was cut off."""
    part = form.get("file")
    truncated = bool(getattr(request.state, TRUNCATED, False))
    if isinstance(part, UploadFile) and (part.filename or part.size):
        return Incoming(part.filename or "", part.file, truncated)
    return Incoming("", None, truncated)
