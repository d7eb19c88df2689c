"""Security headers on every response (pure ASGI, so it costs next to nothing per request)."""

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web import caching
from app.web.static import IMMUTABLE, is_fingerprinted

# style-src needs 'unsafe-inline': Plotly sets inline styles on the chart's SVG and injects a
# <style> element for its modebar; htmx adds one for its request indicators. Scripts stay 'self'.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


NO_STORE = (b"cache-control", b"no-store")
REVALIDATE = caching.REVALIDATE.encode()


def add_to(response: Response) -> Response:
    """The headers on a response made outside the middleware: Starlette answers an unhandled
    error from its outermost layer, around every middleware added to the app."""
    for name, value in (*HEADERS, NO_STORE):
        response.headers[name.decode()] = value.decode()
    return response


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope["path"].startswith("/static/")
        lasting = is_static and is_fingerprinted(scope["path"], scope.get("query_string", b""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if lasting and message["status"] == 200:
                    # The URL names the file's content (app/web/static.py): keep it a year.
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", IMMUTABLE))
                headers.extend(HEADERS)
                if not is_static and (b"cache-control", REVALIDATE) not in headers:
                    # Signed-in pages carry personal data: never keep them in a cache. (The
                    # unchanging answers of app/web/caching.py go `private, no-cache` instead.)
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
