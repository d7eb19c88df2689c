"""HTTP caching where it is safe (bench/README.md, issue 24): answers that can never change — an
issued report's PDF and its JSON — carry a strong ETag and answer 304 to a matching
`If-None-Match`, always after the route's permission check (a 304 is an answer too). They are
sent `private, no-cache`: the browser may keep them and must ask again each time, a shared cache
may not keep them. Nothing else is cached: every other answer stays `no-store`
(app/web/headers.py)."""

import hashlib
from collections.abc import Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse

# The one Cache-Control an app answer may carry besides no-store (app/web/headers.py keeps it).
REVALIDATE = "private, no-cache"


def matches(request: Request, etag: str) -> bool:
    """Whether the client already holds the representation `etag` names."""
    sent = request.headers.get("if-none-match", "")
    return sent.strip() == "*" or etag in (tag.strip() for tag in sent.split(","))


def immutable(
    request: Request,
    etag: str | None,
    body: Callable[[], bytes],
    *,
    media_type: str,
    headers: dict[str, str],
) -> Response:
    """The answer `body()` makes, tagged with `etag`; 304 without making it when the client
    holds it already. `etag` None: the answer is made every time, untagged."""
    if etag is None:
        return Response(body(), media_type=media_type, headers=headers)
    tagged = {"ETag": etag, "Cache-Control": REVALIDATE}
    if matches(request, etag):
        return Response(status_code=304, headers=tagged)
    return Response(body(), media_type=media_type, headers=headers | tagged)


def unchanging_json(request: Request, content: object) -> Response:
    """`content` (already JSON-safe, fastapi's jsonable_encoder) as JSON, tagged with the
    SHA-256 of its bytes: for an answer that is the same for every reader allowed to see it
    and can never change; 304 when the client holds it."""
    body = JSONResponse(content).body
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    return immutable(request, etag, lambda: bytes(body), media_type="application/json", headers={})
