"""The submitted form of a page request, read before the handler runs.

Page handlers are plain `def` functions, which FastAPI runs in its thread pool, so their database
and PDF work never stops the event loop (docs/architecture.md, "Handlers"). Reading the request
body is the one step that needs `await`; this dependency takes it, on the loop, before the
handler starts.
"""

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData


async def read_form_data(request: Request) -> FormData:
    """The submitted form. Starlette keeps it on the request, so the CSRF check reads the same."""
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form_data)]
