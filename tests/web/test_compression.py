"""Compressed answers (app/web/compression.py): text over ~1 KB in one piece, nothing else."""

import gzip

import brotli
import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from app.web.compression import Compression, chosen_encoding

BIG = "Implementeringsgruppe 1 — opgave " * 100  # ~3.4 KB of text


async def page(_request: Request) -> Response:
    return Response(BIG, media_type="text/html; charset=utf-8", headers={"ETag": '"abc"'})


async def small(_request: Request) -> Response:
    return Response("<p>kort</p>", media_type="text/html")


async def pdf(_request: Request) -> Response:
    return Response(BIG.encode(), media_type="application/pdf")


async def streamed(_request: Request) -> StreamingResponse:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(3):
            yield BIG

    return StreamingResponse(chunks(), media_type="text/csv")


async def echo_etag(request: Request) -> Response:
    return PlainTextResponse(request.headers.get("if-none-match", ""))


@pytest.fixture
def tiny() -> TestClient:
    app = Starlette(
        routes=[
            Route("/page", page),
            Route("/small", small),
            Route("/pdf", pdf),
            Route("/streamed", streamed),
            Route("/etag", echo_etag),
        ]
    )
    app.add_middleware(Compression)
    return TestClient(app)


def raw(client: TestClient, path: str, encoding: str) -> tuple[dict[str, str], bytes]:
    with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as answer:
        return dict(answer.headers), b"".join(answer.iter_raw())


def test_a_page_is_brotli_for_a_browser_that_takes_it_and_gzip_otherwise(
    tiny: TestClient,
) -> None:
    client = tiny
    headers, body = raw(client, "/page", "gzip, deflate, br")
    assert headers["content-encoding"] == "br"
    assert brotli.decompress(body).decode() == BIG
    assert int(headers["content-length"]) == len(body) < len(BIG.encode()) / 5
    assert headers["vary"] == "Accept-Encoding"
    assert headers["etag"] == '"abc-br"'  # a strong ETag names one representation

    headers, body = raw(client, "/page", "gzip")
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).decode() == BIG
    assert headers["etag"] == '"abc-gzip"'


def test_nothing_is_compressed_for_a_client_that_does_not_ask(tiny: TestClient) -> None:
    client = tiny
    for accepted in ("identity", "br;q=0, gzip;q=0", ""):
        headers, body = raw(client, "/page", accepted)
        assert "content-encoding" not in headers
        assert body.decode() == BIG


def test_small_answers_compressed_types_and_streams_pass_through(tiny: TestClient) -> None:
    client = tiny
    headers, body = raw(client, "/small", "br, gzip")
    assert "content-encoding" not in headers and body == b"<p>kort</p>"
    assert headers["vary"] == "Accept-Encoding"

    headers, body = raw(client, "/pdf", "br, gzip")
    assert "content-encoding" not in headers and body == BIG.encode()

    headers, body = raw(client, "/streamed", "br, gzip")
    assert "content-encoding" not in headers and body == (BIG * 3).encode()


def test_an_etag_sent_back_reaches_the_app_as_it_made_it(tiny: TestClient) -> None:
    answer = tiny.get("/etag", headers={"If-None-Match": '"abc-br", "def-gzip", "ghi"'})
    assert answer.text == '"abc", "def", "ghi"'


def test_the_encoding_follows_accept_encoding() -> None:
    assert chosen_encoding("gzip, deflate, br, zstd") == "br"
    assert chosen_encoding("gzip;q=1.0, br;q=0") == "gzip"
    assert chosen_encoding("deflate") is None


def test_the_app_compresses_its_pages(client: TestClient) -> None:
    answer = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.headers["cache-control"] == "no-store"
    assert "<form" in answer.text


def test_fingerprinted_static_files_are_kept_a_year_and_others_not(client: TestClient) -> None:
    from app.web.static import static_url

    url = static_url("css/app.css")
    assert url.startswith("/static/css/app.css?v=") and url in client.get("/login").text
    kept = client.get(url)
    assert kept.status_code == 200
    assert kept.headers["cache-control"] == "public, max-age=31536000, immutable"
    for other in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        assert "immutable" not in client.get(other).headers.get("cache-control", "")
    plotly = client.get(static_url("vendor/plotly.min.js"))
    assert plotly.headers["cache-control"] == "public, max-age=31536000, immutable"
