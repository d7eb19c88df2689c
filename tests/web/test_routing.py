"""The route index finds, for every path the app answers, the same route as trying the routes
one by one in order (what FastAPI does without it)."""

import re

import pytest
from starlette.routing import Match

from app.api import API_ROUTERS
from app.web.routing import SELECTED, RouteIndex


def _linear(routes, scope):
    """FastAPI's own order: the first full match, else the first partial one."""
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return Match.FULL, route
        if match == Match.PARTIAL and partial is None:
            partial = route
    return (Match.PARTIAL, partial) if partial else (Match.NONE, None)


def _scope(method: str, path: str) -> dict:
    return {"type": "http", "method": method, "path": path, "root_path": ""}


def _example_paths(path: str) -> list[str]:
    """A concrete path for a route's pattern, with numbers and with words for its parameters
    (so that literal routes such as /projects/new meet /projects/{project_id})."""
    return [re.sub(r"{[^}]+}", value, path) for value in ("7", "new", "x.pdf")]


@pytest.fixture
def index(app) -> RouteIndex:
    first, *routes = app.router.routes
    assert isinstance(first, RouteIndex) and first.routes == routes
    return first


def test_every_route_is_found_as_trying_them_in_order_finds_it(index: RouteIndex):
    checked = 0
    for route in index.routes:
        path = getattr(route, "path", None)
        if path is None:
            continue
        for url in _example_paths(path) + [_example_paths(path)[0] + "/"]:
            for method in ("GET", "HEAD", "POST", "DELETE"):
                scope = _scope(method, url)
                expected, expected_route = _linear(index.routes, scope)
                match, child = index.matches(scope)
                assert match == expected, (method, url)
                assert child.get(SELECTED) is expected_route, (method, url)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    "method,url",
    [
        ("GET", "/findes-ikke"),
        ("GET", "/projects/7/findes-ikke/8/9"),
        ("GET", "/projects/{/budget"),
        ("GET", "/static/app.css"),
        ("GET", "/"),
        ("PATCH", "/projects/7"),
    ],
)
def test_unknown_paths_static_files_and_wrong_methods_answer_as_before(
    index: RouteIndex, method: str, url: str
):
    scope = _scope(method, url)
    expected, expected_route = _linear(index.routes, scope)
    match, child = index.matches(scope)
    assert (match, child.get(SELECTED)) == (expected, expected_route)


def test_pages_and_the_api_answer_through_the_index(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/projects/7").url.path == "/login"  # signed out: to the login page
    assert client.get("/findes-ikke").status_code == 404
    assert client.get("/api/projects/1/tasks").status_code == 401


def test_every_api_route_is_under_api():
    """The API routers carry the /api prefix themselves (app/api.py): one without it would be
    served at the root, and its errors answered as HTML pages."""
    paths = [route.path for router in API_ROUTERS for route in router.routes]
    assert paths and all(path.startswith("/api/") for path in paths)
