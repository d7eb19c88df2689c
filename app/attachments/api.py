"""API of attachments: upload (multipart), list per owner, download, delete."""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from app.attachments import service, storage
from app.attachments.models import OwnerKind
from app.attachments.responses import download
from app.attachments.schemas import AttachmentPublic
from app.attachments.upload import LimitedUpload, incoming
from app.deps import ProjectAccess, SessionDep, SettingsDep
from app.errors import Invalid
from app.web.forms import FormDep
from app.web.pagination import PageOf

router = APIRouter(prefix="/api", tags=["bilag"])
ATTACHMENTS = "/projects/{project_id}/attachments"


def _owner_id(value: object) -> int:
    text = str(value or "").strip()
    if not text.isdigit():
        raise Invalid("Feltet »owner_id« skal være et helt tal.", field="owner_id")
    return int(text)


@router.post(ATTACHMENTS, response_model=AttachmentPublic, status_code=201)
def upload_attachment(
    _limit: LimitedUpload,
    request: Request,
    form: FormDep,
    access: ProjectAccess,
    session: SessionDep,
    settings: SettingsDep,
) -> Any:
    """Attach a file (multipart: `owner_kind`, `owner_id`, then `file`) to a meeting, an agenda
    item, a task, a decision or a plan."""
    kind = str(form.get("owner_kind") or "")
    if kind not in OwnerKind.__members__:
        raise Invalid(
            "Feltet »owner_kind« skal være en af: " + ", ".join(OwnerKind) + ".",
            field="owner_kind",
        )
    upload = incoming(request, form)
    return service.add_attachment(
        session=session,
        by=access,
        kind=OwnerKind(kind),
        owner_id=_owner_id(form.get("owner_id")),
        file_name=upload.file_name,
        stream=upload.stream,
        truncated=upload.truncated,
        directory=storage.attachments_dir(settings),
        limit=storage.max_bytes(settings),
    )


@router.get(ATTACHMENTS, response_model=list[AttachmentPublic])
def list_attachments(
    owner_kind: OwnerKind, owner_id: int, access: ProjectAccess, session: SessionDep, page: PageOf
) -> Any:
    """The attachments of one owner, in upload order."""
    service.find_owner(
        session=session, project_id=access.project_id, kind=owner_kind, owner_id=owner_id
    )
    found = service.attachments_of(
        session=session, project_id=access.project_id, owners=[(owner_kind, owner_id)]
    )
    return page.slice(found.get((owner_kind, owner_id), []))


@router.get(ATTACHMENTS + "/{attachment_id}")
def download_attachment(
    attachment_id: int, access: ProjectAccess, session: SessionDep, settings: SettingsDep
) -> FileResponse:
    """The file, as a download."""
    attachment, path = service.file_of(
        session=session,
        project_id=access.project_id,
        attachment_id=attachment_id,
        directory=storage.attachments_dir(settings),
    )
    return download(attachment, path)


@router.delete(ATTACHMENTS + "/{attachment_id}", status_code=204)
def delete_attachment(attachment_id: int, access: ProjectAccess, session: SessionDep) -> Response:
    """Delete an attachment (who may change its owner may)."""
    service.delete_attachment(session=session, by=access, attachment_id=attachment_id)
    return Response(status_code=204)
