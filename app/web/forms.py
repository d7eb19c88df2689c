"""The submitted form of a page request, read before the handler runs, and its version field.

Page handlers are plain `def` functions, which FastAPI runs in its thread pool, so their database
and PDF work never stops the event loop (docs/architecture.md, "Handlers"). Reading the request
body is the one step that needs `await`; this dependency takes it, on the loop, before the
handler starts. (The request's database session waits for the form too: `app.deps.get_session`.)

An edit on a page names the copy it was made from in a hidden `version` field, like every
edit's body in the API; `form_version` reads it and refuses a form without one.
"""

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from app.errors import Invalid
from app.inputs import MAX_INT

VERSION_MISSING = (
    "Formularen mangler den version, ændringen er lavet ud fra (feltet »version« skal være et "
    "helt tal). Genindlæs siden, og gentag din ændring."
)


async def read_form_data(request: Request) -> FormData:
    """The submitted form. Starlette keeps it on the request, so the CSRF check reads the same."""
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form_data)]


def form_version(sent: str | Sequence[str] | None) -> int:
    """The version a form's hidden `version` field carried (given every value sent under the
    name, the last counts). Missing or not a whole number, the edit is refused (Invalid, 422)
    rather than let through to overwrite what its author never saw."""
    text = (sent if isinstance(sent, str) else (sent[-1] if sent else "")).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_INT:
        raise Invalid(VERSION_MISSING, field="version")
    return int(text)
