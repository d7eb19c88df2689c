"""One path through every page form: read it into the API's schema, attempt the write, answer.

A page handler names the schema, the service call, what to show on refusal and on success:

    with forms.attempt(session) as outcome:
        risk = service.create_item(session, by=access, data=forms.read(RaidItemCreate, form))
    if outcome.failed:
        page = context | outcome.context(form)
        return forms.refused(request, "risks/register.html", page, outcome)
    return forms.done(request, f"/projects/{pid}/risks#item-{risk.id}", "Risikoen er oprettet.")

`read` takes the form through the same Pydantic schema as the API, numbers typed the Danish way
(app/numbers.py), every refusal as a Danish message naming the field by its label
(app/labels.py). `attempt` rolls back a refused write and keeps its messages. `refused` renders
the form again (the partial for htmx, the whole page otherwise, with the error summary the form
macros show), and `done` redirects (no htmx) or swaps a partial and announces the result.

Page handlers are plain `def` functions, which FastAPI runs in its thread pool, so their database
and PDF work never stops the event loop (docs/architecture.md, "Handlers"). Reading the request
body is the one step that needs `await`; `FormDep` takes it, on the loop, before the handler
starts. (The request's database session waits for the form too: `app.deps.get_session`.)
"""

import json
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin
from urllib.parse import quote, urlsplit, urlunsplit

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from app.errors import DomainError, Invalid, danish_message
from app.inputs import MAX_INT
from app.labels import label
from app.numbers import read_number
from app.web.templating import FLASH_COOKIE, is_htmx, render

M = TypeVar("M", bound=BaseModel)
Errors = dict[str, str]

VERSION_MISSING = (
    "Formularen mangler den version, ændringen er lavet ud fra (feltet »version« skal være et "
    "helt tal). Genindlæs siden, og gentag din ændring."
)


async def read_form_data(request: Request) -> FormData:
    """The submitted form. Starlette keeps it on the request, so the CSRF check reads the same."""
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form_data)]


def form_version(sent: str | Sequence[object] | None) -> int:
    """The version a form's hidden `version` field carried (given every value sent under the
    name, the last counts). Missing or not a whole number, the edit is refused (Invalid, 422)
    rather than let through to overwrite what its author never saw."""
    last = sent if isinstance(sent, str) else (sent[-1] if sent else "")
    text = last.strip() if isinstance(last, str) else ""
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_INT:
        raise Invalid(VERSION_MISSING, field="version")
    return int(text)


class FormInvalid(Exception):
    """A form that did not pass its schema: the Danish message per field."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _kind(annotation: Any) -> tuple[Any, bool, bool]:
    """The field's value type, whether it may be None, and whether it is a list."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0] if len(args) == 1 else str
        elif origin in (list, tuple, set, frozenset):
            kind, _, _ = _kind(get_args(annotation)[0] if get_args(annotation) else str)
            return kind, optional, True
        else:
            return annotation, optional, False


def _value(name: str, text: str, kind: Any, optional: bool, errors: Errors, schema: Any) -> Any:
    """One typed value of the form as the schema takes it, or `...` for "leave it out"."""
    text = text.strip()
    if text == "":
        # Emptied text is kept as "" (an edit may clear a note); anything else empty is None
        # where the schema allows it, else left out (so a required field is "missing").
        return "" if kind is str else (None if optional else ...)
    if kind in (Decimal, int, float):
        try:
            number = read_number(text)
        except ValueError as exc:
            errors.setdefault(name, f"Feltet »{label(name, schema)}« kan ikke læses: {exc}")
            return ...
        return int(number) if kind is int and number == int(number) else number
    if kind is bool:
        return text.lower() in ("on", "true", "1", "ja")
    return text


def read(schema: type[M], form: FormData, **fixed: Any) -> M:
    """The submitted form as the API's schema (fields outside the schema, such as the CSRF
    token, are ignored; `fixed` values come from the path, not the form); FormInvalid with
    every field's Danish message when it does not pass."""
    errors: Errors = {}
    data: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if name in fixed or name not in form:
            continue
        kind, optional, many = _kind(info.annotation)
        texts = [v for v in form.getlist(name) if isinstance(v, str)]
        if many:
            values = [_value(name, t, kind, False, errors, schema) for t in texts if t.strip()]
            data[name] = [v for v in values if v is not ...]
        else:
            value = _value(name, texts[-1] if texts else "", kind, optional, errors, schema)
            if value is not ...:
                data[name] = value
    try:
        model = schema.model_validate(data | fixed)
    except ValidationError as exc:
        for error in exc.errors():
            loc = [p for p in error.get("loc", ()) if isinstance(p, str)]
            errors.setdefault(loc[0] if loc else "form", danish_message(dict(error), schema))
    if errors:
        raise FormInvalid(errors)
    return model


@dataclass
class Outcome:
    """What came of an attempted write: nothing (it passed) or the messages of its refusal."""

    errors: Errors = field(default_factory=dict)
    status_code: int = 200

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def context(self, form: FormData | None = None) -> dict[str, Any]:
        """The refused form's template context: its messages and what was typed (after an edit
        conflict, the stored copy is shown instead, so the form carries the current version)."""
        typed = {} if form is None or self.status_code == 409 else dict(form)
        return {"errors": self.errors, "values": typed} if typed else {"errors": self.errors}


@contextmanager
def attempt(session: Session) -> Iterator[Outcome]:
    """Run a write; a refused form or a domain error rolls back what it began and is kept on
    the outcome with its HTTP status (422, 409, 403, 404) instead of propagating."""
    outcome = Outcome()
    try:
        yield outcome
    except FormInvalid as exc:
        session.rollback()
        outcome.errors, outcome.status_code = exc.errors, 422
    except DomainError as exc:
        session.rollback()
        outcome.errors = {exc.field or "form": exc.message}
        outcome.status_code = exc.status_code


def refused(
    request: Request,
    template: str | None,
    context: dict[str, Any],
    outcome: Outcome,
    *,
    partial: str | None = None,
) -> Response:
    """The form again with its messages: `partial` for an htmx request when given, else the
    whole page (`template`), whose form shows the error summary and takes focus. A form that
    lives only in a row edited with htmx has no page of its own (`template` None): sent
    without htmx, its refusal is the error page with the way back."""
    name = partial if partial and is_htmx(request) else template
    if name is None:
        return error_page(request, outcome.status_code, list(outcome.errors.values()))
    context = context | {"errors": outcome.errors}
    return render(request, name, context, status_code=outcome.status_code)


def error_page(request: Request, status: int, messages: list[str]) -> Response:
    """The page of a refusal that has no form to show it in: the messages in an error summary
    and a link back to the page the person came from."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc in ("", request.url.netloc) and referer.path.startswith("/")
    back = urlunsplit(("", "", referer.path, referer.query, "")) if same_site else ""
    context = {"status": status, "messages": messages, "back": back}
    return render(request, "errors/error.html", context, status_code=status)


def announce(message: str, event: str | None = None) -> dict[str, str]:
    """htmx headers after a write: the message to show and the server event (`domain.verb`)."""
    events: dict[str, Any] = {"flash": message}
    if event:
        events[event] = True
    return {"HX-Trigger": json.dumps(events, ensure_ascii=True)}


def done(
    request: Request,
    url: str,
    message: str,
    *,
    partial: str | None = None,
    context: dict[str, Any] | None = None,
    event: str | None = None,
) -> Response:
    """The answer to a write that passed: for htmx the `partial` swapped in with the message
    announced; otherwise the page at `url` (with an #anchor to where the person was) loaded
    anew — by a redirect, or for htmx by HX-Redirect — and the message shown there."""
    if is_htmx(request) and partial is not None:
        return render(request, partial, context, headers=announce(message, event))
    if is_htmx(request):
        response: Response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLASH_COOKIE, quote(message), max_age=60, httponly=True, samesite="lax", path="/"
    )
    return response
