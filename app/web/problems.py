"""The API's one error shape: problem details (RFC 9457) with a Danish message and a stable code.

Every 4xx and 5xx under /api answers `application/problem+json`:

    {"type": "about:blank", "title": "Ugyldige oplysninger", "status": 422,
     "code": "validation_failed", "detail": "Feltet »Fremdrift« må højst være 100.",
     "errors": [{"in": "body", "field": "progress", "code": "less_than_equal",
                 "message": "Feltet »Fremdrift« må højst være 100."}]}

`errors` is there only for field errors. A field is named by one path syntax wherever it came
from: object keys joined by dots, list positions in brackets (`tasks[0].depends_on`), relative to
the part of the request named by `in` (body, query, path). A refused edit of an outdated copy
adds `current_version`. docs/api.md describes the shape for script writers.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: "Forespørgslen kan ikke læses",
    401: "Ikke logget ind",
    403: "Ingen adgang",
    404: "Findes ikke",
    405: "Metoden er ikke tilladt",
    409: "Konflikt",
    422: "Ugyldige oplysninger",
    428: "Version mangler",
    429: "For mange forsøg",
    500: "Serverfejl",
    503: "Tjenesten er ikke tilgængelig",
}
CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_failed",
    428: "version_required",
    429: "too_many_attempts",
    500: "server_error",
    503: "unavailable",
}
PLACES = ("body", "query", "path", "header", "cookie")


class FieldError(BaseModel):
    in_: str = Field(alias="in", description="Hvor feltet står: body, query eller path.")
    field: str = Field(description="Feltets sti, f.eks. `tasks[0].depends_on`.")
    code: str = Field(description="Fast kode for reglen, f.eks. `missing` eller `invalid`.")
    message: str = Field(description="Meddelelsen på dansk, med feltets danske navn.")


class Problem(BaseModel):
    """The answer of every refused API request (RFC 9457 problem details)."""

    type: str = "about:blank"
    title: str
    status: int
    code: str = Field(description="Fast kode, som et script kan reagere på.")
    detail: str = Field(description="Meddelelsen på dansk.")
    errors: list[FieldError] | None = None
    current_version: int | None = None


# For the OpenAPI document: every API route may answer these.
RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": TITLES[status]}
    for status in (401, 403, 404, 409, 422)
}


def path_of(loc: Sequence[Any]) -> tuple[str, str]:
    """Where a field is (body, query, path) and its path: ("body", "depends_on", 0) is
    ("body", "depends_on[0]"); an import's "$.tasks[0].depends_on" is "tasks[0].depends_on"."""
    parts = list(loc)
    place = str(parts.pop(0)) if parts and parts[0] in PLACES else "body"
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            name = str(part).removeprefix("$").removeprefix(".")
            if name:
                path += f".{name}" if path else name
    return place, path


def field_error(loc: Sequence[Any], message: str, code: str) -> dict[str, str]:
    place, path = path_of(loc)
    return {"in": place, "field": path, "code": code, "message": message}


def answer(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    errors: Iterable[dict[str, str]] = (),
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The problem-details answer for a status; `extra` adds members (e.g. current_version)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Fejl"),
        "status": status,
        "code": code or CODES.get(status, "error"),
        "detail": detail,
    }
    errors = list(errors)
    if errors:
        body["errors"] = errors
    body |= {key: value for key, value in extra.items() if value is not None}
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)
