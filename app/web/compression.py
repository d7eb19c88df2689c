"""Compressed answers: HTML, JSON, SVG, CSV and other text over ~1 KB, as brotli or gzip when the
client accepts it (pure ASGI middleware: no task or thread of its own per request).

Only an answer sent in one piece is compressed. A streamed answer (a download sent in chunks,
`more_body`) passes through untouched, so streaming stays streaming; so does anything already
encoded or of a type that is compressed in itself (PDF, xlsx, PNG).
"""

import gzip
import re
from collections.abc import Callable

import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_BYTES = 1000
TEXT_TYPES = (
    "text/html",
    "text/csv",
    "text/plain",
    "text/css",
    "text/javascript",
    "text/calendar",
    "application/json",
    "application/javascript",
    "image/svg+xml",
)
# Quick settings: brotli 4 and gzip 6 compress a 100 KB page in ~1 ms and ~1.5 ms (bench/README.md).
BROTLI_QUALITY = 4
GZIP_LEVEL = 6
# A strong ETag names one representation: a compressed answer's gets the encoding appended
# (as Apache does), and a client sending it back is understood.
ETAG_SUFFIX = re.compile(r'-(br|gzip)"')


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _brotli(body: bytes) -> bytes:
    return bytes(brotli.compress(body, quality=BROTLI_QUALITY))


def chosen_encoding(accept_encoding: str) -> str | None:
    """The encoding to answer in: brotli if the client accepts it, else gzip, else none. A
    coding the client weighs `q=0` counts as refused."""
    accepted = set()
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        if params.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(name.strip())
    if "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {"br": _brotli, "gzip": _gzip}


class Compression:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        if sent_tags := request_headers.get("if-none-match", ""):
            _strip_etag_suffixes(scope)
            send = _with_tag_as_sent(send, sent_tags)
        encoding = chosen_encoding(request_headers.get("accept-encoding", ""))
        if encoding is None or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        start: Message | None = None

        async def send_compressed(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                if _compressible(message["status"], headers):
                    start = message  # held until the body shows whether it comes in one piece
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            held, start = start, None
            body = message.get("body", b"")
            if message.get("more_body", False) or len(body) < MINIMUM_BYTES:
                if not message.get("more_body", False):
                    MutableHeaders(scope=held).add_vary_header("Accept-Encoding")
                await send(held)
                await send(message)
                return
            compressed = COMPRESSORS[encoding](body)
            headers = MutableHeaders(scope=held)
            headers["content-encoding"] = encoding
            headers["content-length"] = str(len(compressed))
            headers.add_vary_header("Accept-Encoding")
            if (etag := headers.get("etag")) and etag.endswith('"') and not etag.startswith("W/"):
                headers["etag"] = f'{etag[:-1]}-{encoding}"'
            await send(held)
            await send({"type": "http.response.body", "body": compressed, "more_body": False})

        await self.app(scope, receive, send_compressed)


def _compressible(status: int, headers: Headers) -> bool:
    if status < 200 or status in (204, 206, 304) or "content-encoding" in headers:
        return False
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type in TEXT_TYPES


def _strip_etag_suffixes(scope: Scope) -> None:
    """`If-None-Match` as the app's handlers know their ETags (without the encoding)."""
    scope["headers"] = [
        (name, ETAG_SUFFIX.sub('"', value.decode("latin-1")).encode("latin-1"))
        if name == b"if-none-match"
        else (name, value)
        for name, value in scope["headers"]
    ]


def _with_tag_as_sent(send: Send, sent_tags: str) -> Send:
    """A 304's ETag as the client holds it: with the encoding's suffix when the matching tag it
    sent had one (the handler knows its ETag without it)."""

    async def send_tag(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 304:
            headers = MutableHeaders(scope=message)
            etag = headers.get("etag")
            if etag and etag.endswith('"') and not etag.startswith("W/"):
                for encoding in COMPRESSORS:
                    if f'{etag[:-1]}-{encoding}"' in sent_tags:
                        headers["etag"] = f'{etag[:-1]}-{encoding}"'
                        break
        await send(message)

    return send_tag
