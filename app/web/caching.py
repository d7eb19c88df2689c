"""HTTP caching where it is safe (bench/README.md, issue 24): answers that can never change — an
issued report's PDF — carry a strong ETag and answer 304 to a matching `If-None-Match`. Nothing
else is cached: every other answer stays `no-store` (app/web/headers.py)."""

from collections.abc import Callable

from fastapi import Request, Response


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
    if matches(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body(), media_type=media_type, headers=headers | {"ETag": etag})
