"""No route runs database work on the event loop.

FastAPI runs a plain `def` handler or dependency in its thread pool and an `async def` one on the
event loop. A database call on the loop stops every other request until it returns, and when it
waits for SQLite's write lock, the request holding the lock cannot finish without the loop: both
wait out the 30 s busy timeout (issue 16, finding 1). So no `async def` endpoint may have the
database session among its dependencies, and no `async def` dependency may take it.
"""

import inspect
from collections.abc import Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.deps import get_session
from app.web.routing import RouteIndex


def _api_routes(app) -> list[APIRoute]:
    """Every APIRoute of the app, once (the RouteIndex in front holds the same routes)."""
    found: dict[int, APIRoute] = {}
    for route in app.router.routes:
        inner = route.routes if isinstance(route, RouteIndex) else [route]
        found |= {id(r): r for r in inner if isinstance(r, APIRoute)}
    return list(found.values())


def _tree(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _tree(sub)


def _is_async(dependant: Dependant) -> bool:
    return inspect.iscoroutinefunction(dependant.call)


def _takes_session(dependant: Dependant) -> bool:
    return any(sub.call is get_session for sub in dependant.dependencies)


def _name(route: APIRoute) -> str:
    return f"{sorted(route.methods)} {route.path} ({route.endpoint.__module__}.{route.name})"


def test_the_walk_sees_every_kind_of_route(app):
    routes = _api_routes(app)
    paths = {r.path for r in routes}
    assert {"/api/projects/{project_id}/risks", "/projects/{project_id}/reports"} <= paths
    assert any(_is_async(d) for r in routes for d in _tree(r.dependant))  # auth's async deps


def test_no_async_endpoint_depends_on_the_database_session(app):
    blocking = [
        _name(route)
        for route in _api_routes(app)
        if _is_async(route.dependant) and any(d.call is get_session for d in _tree(route.dependant))
    ]
    assert blocking == [], "async def endpoints with a database session:\n" + "\n".join(blocking)


def test_no_async_dependency_takes_the_database_session(app):
    blocking = sorted(
        {
            f"{d.call.__module__}.{getattr(d.call, '__qualname__', d.call)}"
            for route in _api_routes(app)
            for d in _tree(route.dependant)
            if d is not route.dependant and _is_async(d) and _takes_session(d)
        }
    )
    assert blocking == [], "async def dependencies taking the database session: " + str(blocking)
