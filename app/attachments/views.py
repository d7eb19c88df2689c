"""Pages of attachments: the attachments section of a meeting's, a decision's and a group's page
(loaded into the page by htmx, or a page of its own without it), upload, download and delete.

Each of those pages includes one line, templates/attachments/_on_<page>.html, which loads the
section from here: one route pair, /projects/{id}/<page>/{owner_id}/attachments, for the three
pages. The section shows the attachments of the page's owners (a meeting and its agenda items;
a decision; a group's plan and its tasks) and an upload form for the owners the person may
change.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from sqlmodel import Session
from starlette.convertors import Convertor, register_url_convertor

from app.attachments import service, storage
from app.attachments.responses import download
from app.attachments.upload import LimitedUpload, incoming
from app.auth.service import Access
from app.config import Settings
from app.deps import ProjectAccess, SessionDep, SettingsDep
from app.governance.projects import get_project
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import is_htmx, render

router = APIRouter()
PROJECT = "/projects/{project_id}"
SECTION = "attachments/_section.html"
PAGE = "attachments/page.html"
SECTIONS: dict[str, Callable[..., service.Section]] = {
    "meetings": lambda session, access, owner: service.meeting_section(
        session=session, access=access, meeting_id=owner
    ),
    "decisions": lambda session, access, owner: service.decision_section(
        session=session, access=access, decision_id=owner
    ),
    "groups": lambda session, access, owner: service.group_section(
        session=session, access=access, group_id=owner
    ),
}
PAGE_NAMES = {"meetings": "mødet", "decisions": "beslutningen", "groups": "gruppen"}


class _PageConvertor(Convertor[str]):
    """The `{page:attachment_page}` path segment: only the pages with an attachments section
    match, so the one route pair never shadows another page's URL (any other segment is 404)."""

    regex = "|".join(SECTIONS)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("attachment_page", _PageConvertor())


def _context(
    session: Session, access: Access, settings: Settings, page: str, owner: int, **values: Any
) -> dict[str, Any]:
    section = SECTIONS[page](session, access, owner)
    back = f"/projects/{access.project_id}/{page}/{owner}"
    return {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "section": section,
        "owner_options": [(o.ref, o.title) for o in section.editable],
        "url": f"{back}/attachments",
        "back": back,
        "back_name": PAGE_NAMES[page],
        "max_mb": settings.attachments_max_mb,
        "accepted": storage.ACCEPTED,
        "type_labels": storage.TYPE_LABELS,
        "size_label": service.size_label,
        "errors": {},
        "values": {},
    } | values


def _show(
    request: Request, access: Access, session: Session, settings: Settings, page: str, owner: int
) -> Response:
    context = _context(session, access, settings, page, owner)
    return render(request, SECTION if is_htmx(request) else PAGE, context)


def _upload(
    request: Request,
    form: Any,
    access: Access,
    session: Session,
    settings: Settings,
    page: str,
    owner: int,
) -> Response:
    with forms.attempt(session) as outcome:
        kind, owner_id = service.parse_owner(str(form.get("owner") or ""))
        upload = incoming(request, form)
        service.add_attachment(
            session=session,
            by=access,
            kind=kind,
            owner_id=owner_id,
            file_name=upload.file_name,
            stream=upload.stream,
            truncated=upload.truncated,
            directory=storage.attachments_dir(settings),
            limit=storage.max_bytes(settings),
        )
    typed = {"values": {"owner": str(form.get("owner") or "")}} if outcome.failed else {}
    context = _context(session, access, settings, page, owner, **typed)
    if outcome.failed:
        return forms.refused(request, PAGE, context, outcome, partial=SECTION)
    url = f"{context['back']}#attachments"
    return forms.done(
        request,
        url,
        "Bilaget er tilføjet.",
        partial=SECTION,
        context=context,
        event="attachment.added",
    )


@router.get(PROJECT + "/{page:attachment_page}/{owner_id}/attachments")
def page_attachments(
    request: Request,
    page: str,
    owner_id: int,
    access: ProjectAccess,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The attachments section of a meeting's, a decision's or a group's page."""
    return _show(request, access, session, settings, page, owner_id)


@router.post(PROJECT + "/{page:attachment_page}/{owner_id}/attachments")
def attach_on_page(
    _limit: LimitedUpload,
    request: Request,
    form: FormDep,
    page: str,
    owner_id: int,
    access: ProjectAccess,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Upload a file to one of the page's owners (the form's `owner`)."""
    return _upload(request, form, access, session, settings, page, owner_id)


@router.get(PROJECT + "/attachments/{attachment_id}")
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


@router.post(PROJECT + "/attachments/{attachment_id}/delete")
def delete_attachment(
    request: Request,
    attachment_id: int,
    access: ProjectAccess,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    attachment = service.get_attachment(
        session=session, project_id=access.project_id, attachment_id=attachment_id
    )
    shown_on = service.page_of(session=session, attachment=attachment)
    with forms.attempt(session) as outcome:
        service.delete_attachment(session=session, by=access, attachment_id=attachment_id)
    if shown_on is None:
        if outcome.failed:
            return forms.error_page(request, outcome.status_code, list(outcome.errors.values()))
        return forms.done(request, f"/projects/{access.project_id}/plans", "Bilaget er slettet.")
    context = _context(session, access, settings, *shown_on)
    if outcome.failed:
        return forms.refused(request, PAGE, context, outcome, partial=SECTION)
    url = f"{context['back']}#attachments"
    return forms.done(
        request,
        url,
        "Bilaget er slettet.",
        partial=SECTION,
        context=context,
        event="attachment.deleted",
    )
