"""Mapping of domain and validation errors to answers: JSON under /api, Danish pages elsewhere."""

import json
import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.deps import CsrfRejected, NotAuthenticated
from app.errors import DomainError, InvalidDocument, danish_message
from app.inputs import MAX_INT
from app.web import forms, headers, problems
from app.web.templating import is_htmx

log = logging.getLogger(__name__)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def _error_page(request: Request, status: int, messages: list[str]) -> Response:
    """The error page, or for an htmx request no swap at all: the page stays as it was and the
    message is shown beside the control that asked (app.js, "failed")."""
    if is_htmx(request):
        trigger = json.dumps({"failed": " ".join(messages)}, ensure_ascii=True)
        return Response(status_code=status, headers={"HX-Reswap": "none", "HX-Trigger": trigger})
    return forms.error_page(request, status, messages)


def _body_schema(request: Request) -> type[BaseModel] | None:
    """The schema of the body the request's route reads, for the Danish labels of its fields."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return None
    schema = route.body_field.field_info.annotation
    return schema if isinstance(schema, type) and issubclass(schema, BaseModel) else None


# Starlette's own answers in Danish; a 400 is FastAPI's answer to a body it cannot read (not
# UTF-8, JSON nested too deep, a broken form upload).
PAGE_MESSAGES = {
    400: "Formularens indhold kunne ikke læses. Genindlæs siden, og prøv igen.",
    404: "Siden findes ikke.",
    405: "Metoden er ikke tilladt her.",
}
API_MESSAGES = PAGE_MESSAGES | {
    400: "Forespørgslens indhold kan ikke læses: det skal være gyldig JSON i UTF-8."
}
OUT_OF_RANGE = "Et tal eller en tekst i forespørgslen er uden for det tilladte område."


def _out_of_range(request: Request) -> tuple[list[str], str]:
    """Where a value too large for the database came from: a number in the path or the query
    string (bodies are bounded by app.inputs.Input), or, failing that, the request as a whole."""
    for where, params in (("path", request.path_params), ("query", request.query_params)):
        for name, value in params.items():
            digits = str(value).removeprefix("-")
            if digits.isascii() and digits.isdigit() and int(digits) > MAX_INT:
                return [where, name], f"Feltet »{name}« er et for stort tal (højst {MAX_INT})."
    return [], OUT_OF_RANGE


def install(app: FastAPI) -> None:
    """Register the exception handlers on the app."""

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, _exc: NotAuthenticated) -> Response:
        if _wants_json(request):
            return problems.answer(
                401, "Du skal logge ind.", headers={"WWW-Authenticate": "Bearer"}
            )
        target = f"/login?next={quote(request.url.path)}"
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, _exc: CsrfRejected) -> Response:
        message = (
            "Formularen mangler et gyldigt sikkerhedstegn (CSRF). Genindlæs siden og prøv igen."
        )
        if _wants_json(request):
            return problems.answer(403, message, code="csrf_rejected")
        return _error_page(request, 403, [message])

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if request.url.path == TOKEN_PATH and exc.status_code != 429:
            # Passwords turned off (sign-in through the provider only): the grant is not offered.
            error = "unsupported_grant_type" if exc.status_code == 403 else "invalid_grant"
            return _oauth_error(exc.message, error=error)
        if _wants_json(request):
            return _domain_problem(exc)
        if isinstance(exc, InvalidDocument):
            return _error_page(
                request, exc.status_code, [f"{e['path']}: {e['message']}" for e in exc.errors]
            )
        return _error_page(request, exc.status_code, [exc.message])

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [dict(e) for e in exc.errors()]
        schema = _body_schema(request)
        messages = [danish_message(e, schema) for e in errors]
        if request.url.path == TOKEN_PATH:
            return _oauth_error(" ".join(messages), error="invalid_request")
        if _wants_json(request):
            return problems.answer(
                422,
                " ".join(messages),
                errors=[
                    problems.field_error(e.get("loc", ()), message, e.get("type", ""))
                    for e, message in zip(errors, messages, strict=True)
                ],
            )
        return _error_page(request, 422, messages)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            message = API_MESSAGES.get(exc.status_code, str(exc.detail))
            return problems.answer(exc.status_code, message, headers=getattr(exc, "headers", None))
        message = PAGE_MESSAGES.get(exc.status_code, str(exc.detail))
        return _error_page(request, exc.status_code, [message])

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        # A number or text the database cannot hold (an id beyond 64 bits, say): the request is
        # wrong, not the server. Pydantic does not bound ints, so this reaches the database.
        log.info("Value out of range on %s %s: %s", request.method, request.url.path, exc)
        if _wants_json(request):
            loc, message = _out_of_range(request)
            errors = [problems.field_error(loc, message, "out_of_range")] if loc else []
            return problems.answer(422, message, errors=errors)
        # A person reached this through an address they changed by hand: no field names.
        return _error_page(request, 422, [OUT_OF_RANGE])

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("Unhandled error on %s %s", request.method, request.url.path)
        message = "Der opstod en uventet fejl. Din ændring er ikke gemt."
        if _wants_json(request):
            return headers.add_to(problems.answer(500, message))
        return headers.add_to(_error_page(request, 500, [message]))


TOKEN_PATH = "/api/token"


def _oauth_error(message: str, *, error: str = "invalid_grant") -> Response:
    """The token endpoint answers as OAuth2 clients expect (RFC 6749 §5.2): wrong credentials
    are 400 invalid_grant, a malformed request 400 invalid_request (throttling stays 429)."""
    body = {"error": error, "error_description": message}
    return JSONResponse(body, status_code=400, headers={"Cache-Control": "no-store"})


def _domain_problem(exc: DomainError) -> Response:
    if isinstance(exc, InvalidDocument):
        # Every error of an imported project document, each with its path in the document.
        errors = [problems.field_error([e["path"]], e["message"], "invalid") for e in exc.errors]
        return problems.answer(422, exc.message, code="invalid_document", errors=errors)
    errors = []
    if exc.status_code == 422 and exc.field:
        errors = [problems.field_error([exc.field], exc.message, exc.code or "invalid")]
    current = getattr(exc, "current_version", None)  # VersionConflict, VersionRequired
    return problems.answer(
        exc.status_code,
        exc.message,
        code=exc.code,
        errors=errors,
        headers=exc.headers,
        current_version=current,
    )
