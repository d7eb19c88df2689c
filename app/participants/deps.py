"""What the participants' routers share: the dependencies for a registrar of the project and
for the session through which row-level records are read (the read itself is audited), and
the answer that carries an Excel workbook."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlmodel import Session

from app.auth.service import Access
from app.deps import ProjectAccess, SessionDep, get_database
from app.participants import exports, setup


def _registrar(access: ProjectAccess, session: SessionDep) -> Access:
    setup.require_registrar(session=session, access=access)
    return access


Registrar = Annotated[Access, Depends(_registrar)]


def _audited_session(request: Request) -> Iterator[Session]:
    """A writer's session for reads of row-level records: the read itself is audited."""
    with get_database(request).request_session(write=True) as session:
        yield session


AuditedSession = Annotated[Session, Depends(_audited_session)]


def xlsx(content: bytes, filename: str) -> Response:
    """An Excel workbook to download."""
    return Response(
        content,
        media_type=exports.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
