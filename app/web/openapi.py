"""The API's description (/openapi.json): the JSON API and /healthz only, never the HTML pages,
and every operation with the problem-details answers it may give (app/web/problems.py)."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.web import problems

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def is_api(route: Any) -> bool:
    return isinstance(route, APIRoute) and (
        route.path.startswith("/api/") or route.path == "/healthz"
    )


def _problem(status: int) -> dict[str, Any]:
    return {
        "description": problems.TITLES[status],
        "content": {problems.MEDIA_TYPE: {"schema": PROBLEM_REF}},
    }


def _refusals(method: str, operation: dict[str, Any]) -> list[int]:
    """What an operation may refuse with: everyone may be unauthenticated or refused; reading
    or changing a thing may not find it; anything with input may be invalid; writes may meet a
    newer version or a state that forbids them; updates and deletes may lack a version."""
    statuses = [401, 403, 404]
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append(422)
    if method in ("post", "put", "patch", "delete"):
        statuses.append(409)
    if method in ("put", "patch", "delete"):
        statuses.append(428)
    return statuses


def describe(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, built once per app."""
    cached: dict[str, Any] | None = getattr(app.state, "openapi", None)
    if cached is not None:
        return cached
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=[route for route in app.routes if is_api(route)],
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem = problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if path == "/healthz":
                continue
            for status in _refusals(method, operation):
                responses[str(status)] = _problem(status)
    app.state.openapi = document
    return document
