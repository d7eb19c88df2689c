"""Pages of meetings: the list, and a meeting's details, agenda, attendance and minutes.

Writes go through the form pipeline (app/web/forms.py), as on the organisation's pages.
"""

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.models import Role
from app.auth.service import Access
from app.deps import ProjectAccess, Secretariat, SessionDep
from app.errors import Invalid
from app.governance import bodies, decisions, meetings, schemas
from app.governance.models import AttendanceStatus, MemberRole
from app.governance.permissions import MinutesEditor
from app.governance.shared_views import (
    answer,
    bodies_by_id,
    optional_id,
    page_context,
    refusal,
    row_url,
)
from app.web import forms
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import render

router = APIRouter()
MEETINGS = "/projects/{project_id}/meetings"


PACK_READERS = (Role.secretariat, Role.project_leader, Role.steering_member)


def _pack_links(session: Session, access: Access) -> dict[str, Any]:
    """Which bodies' meetings link to their meeting pack (none for who may not read packs)."""
    readable = access.has(*PACK_READERS)
    ids = meetings.pack_body_ids(session=session, project_id=access.project_id)
    return {"pack_body_ids": ids if readable else set()}


def _meetings_context(
    session: Session, access: Access, *, body_id: int | None, page: int, **values: Any
) -> dict[str, Any]:
    paging = Page(number=page, size=25)
    listed = meetings.meeting_list(
        session=session,
        project_id=access.project_id,
        body_id=body_id,
        offset=paging.offset,
        limit=paging.size,
    )
    return page_context(
        session,
        access,
        section="meetings",
        meetings=listed.meetings,
        paging=paging.with_total(listed.total),
        body_id=body_id,
        agenda_counts=listed.agenda_counts,
        decision_counts=listed.decision_counts,
        minuted=listed.minuted,
        **_pack_links(session, access),
        **bodies_by_id(session, access),
        **{"errors": {}, "values": {"with_project_management": True}} | values,
    )


@router.get(MEETINGS)
def meetings_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    body: str = Query("", alias="body_id"),
    page: int = 1,
) -> Response:
    """The project's meetings, newest first, optionally of one body."""
    body_id = optional_id(body)
    if body_id is not None:
        bodies.get_body(session=session, project_id=access.project_id, body_id=body_id)
    context = _meetings_context(session, access, body_id=body_id, page=page)
    return render(request, "governance/meetings.html", context)


@router.post(MEETINGS)
def create_meeting(
    request: Request, form: FormDep, access: Secretariat, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MeetingCreate, form)
        meeting = meetings.create_meeting(session=session, by=access, data=data)
    if outcome.failed:
        context = _meetings_context(session, access, body_id=None, page=1, **outcome.context(form))
        return forms.refused(request, "governance/meetings.html", context, outcome)
    return forms.done(request, row_url(access, "meetings", meeting.id or 0), "Mødet er oprettet.")


def _meeting_context(
    session: Session, access: Access, meeting_id: int, **values: Any
) -> dict[str, Any]:
    """A meeting's page; `info_editing`, `agenda_editing` and `minutes_editing` open its forms."""
    sheet = meetings.meeting_sheet(
        session=session, project_id=access.project_id, meeting_id=meeting_id
    )
    return page_context(
        session,
        access,
        section="meetings",
        attendance_statuses=list(AttendanceStatus),
        attendance_labels=meetings.ATTENDANCE_LABELS,
        ad_hoc=MemberRole.ad_hoc,
        **_pack_links(session, access),
        **(vars(sheet) | values),
    )


def _meeting_answer(
    request: Request, outcome: forms.Outcome, context: dict[str, Any], section: str, message: str
) -> Response:
    """A meeting's section (`agenda` is _agenda.html, id="agenda") after a write, or the
    meeting's page at that section. The minutes come with the details and the agenda, whose
    delete forms carry the versions a minutes write raises (_minutes_answer.html)."""
    url = row_url(context["access"], "meetings", context["meeting"].id, section)
    name = "minutes_answer" if section == "minutes" else section.replace("-", "_")
    partial = f"governance/_{name}.html"
    return answer(request, outcome, context, "governance/meeting.html", partial, url, message)


@router.get(MEETINGS + "/{meeting_id}")
def meeting_page(
    request: Request, meeting_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """A meeting: its details, agenda, attendance, minutes and the decisions taken."""
    return render(request, "governance/meeting.html", _meeting_context(session, access, meeting_id))


@router.get(MEETINGS + "/{meeting_id}/info")
def meeting_info(
    request: Request,
    meeting_id: int,
    access: ProjectAccess,
    session: SessionDep,
    edit: bool = False,
) -> Response:
    context = _meeting_context(session, access, meeting_id)
    template = "_meeting_edit.html" if edit and context["can_meet"] else "_meeting_info.html"
    return render(request, f"governance/{template}", context)


@router.post(MEETINGS + "/{meeting_id}")
def save_meeting(
    request: Request, form: FormDep, meeting_id: int, access: Secretariat, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MeetingUpdate, form)
        meetings.update_meeting(session=session, by=access, meeting_id=meeting_id, data=data)
    refused = refusal(outcome, form, "info", info_editing=True)
    context = _meeting_context(session, access, meeting_id, **refused)
    return _meeting_answer(request, outcome, context, "meeting-info", "Mødet er gemt.")


@router.post(MEETINGS + "/{meeting_id}/delete")
def delete_meeting(
    request: Request, form: FormDep, meeting_id: int, access: Secretariat, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        meetings.delete_meeting(session=session, by=access, meeting_id=meeting_id, version=version)
    if outcome.failed:
        refused = refusal(outcome, FormData(), "info")
        context = _meeting_context(session, access, meeting_id, **refused)
        return _meeting_answer(request, outcome, context, "meeting-info", "")
    return forms.done(request, f"/projects/{access.project_id}/meetings", "Mødet er slettet.")


@router.get(MEETINGS + "/{meeting_id}/agenda")
def agenda_section(
    request: Request,
    meeting_id: int,
    access: ProjectAccess,
    session: SessionDep,
    edit: int | None = None,
) -> Response:
    context = _meeting_context(session, access, meeting_id)
    if edit is not None and context["can_meet"]:
        item = meetings.get_agenda_item(
            session=session, project_id=access.project_id, meeting_id=meeting_id, item_id=edit
        )
        context["agenda_editing"] = item.id
    return render(request, "governance/_agenda.html", context)


@router.post(MEETINGS + "/{meeting_id}/agenda")
def add_agenda_item(
    request: Request, form: FormDep, meeting_id: int, access: Secretariat, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.AgendaItemCreate, form)
        meetings.add_agenda_item(session=session, by=access, meeting_id=meeting_id, data=data)
    context = _meeting_context(session, access, meeting_id, **refusal(outcome, form, "agenda"))
    return _meeting_answer(request, outcome, context, "agenda", "Punktet er sat på dagsordenen.")


@router.post(MEETINGS + "/{meeting_id}/agenda/{item_id}")
def save_agenda_item(
    request: Request,
    form: FormDep,
    meeting_id: int,
    item_id: int,
    access: Secretariat,
    session: SessionDep,
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.AgendaItemUpdate, form)
        meetings.update_agenda_item(
            session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
        )
    refused = refusal(outcome, form, "agenda_item", agenda_editing=item_id)
    context = _meeting_context(session, access, meeting_id, **refused)
    return _meeting_answer(request, outcome, context, "agenda", "Dagsordenspunktet er gemt.")


@router.post(MEETINGS + "/{meeting_id}/agenda/{item_id}/delete")
def delete_agenda_item(
    request: Request,
    form: FormDep,
    meeting_id: int,
    item_id: int,
    access: Secretariat,
    session: SessionDep,
) -> Response:
    with forms.attempt(session) as outcome:
        meetings.delete_agenda_item(
            session=session,
            by=access,
            meeting_id=meeting_id,
            item_id=item_id,
            version=forms.form_version(form.getlist("version")),
        )
    refused = refusal(outcome, FormData(), "agenda_item", agenda_editing=item_id)
    context = _meeting_context(session, access, meeting_id, **refused)
    message = "Punktet er taget af dagsordenen."
    return _meeting_answer(request, outcome, context, "agenda", message)


@router.post(MEETINGS + "/{meeting_id}/agenda/{item_id}/move")
def move_agenda_item(
    request: Request,
    form: FormDep,
    meeting_id: int,
    item_id: int,
    access: Secretariat,
    session: SessionDep,
) -> Response:
    """Move an item one place up or down (`direction`); the moved button keeps the focus."""
    direction = str(form.get("direction", ""))
    with forms.attempt(session) as outcome:
        item = meetings.get_agenda_item(
            session=session, project_id=access.project_id, meeting_id=meeting_id, item_id=item_id
        )
        if direction not in ("up", "down"):
            raise Invalid("Vælg op eller ned.", field="direction")
        step = -1 if direction == "up" else 1
        data = forms.read(schemas.AgendaItemMove, form, position=max(1, item.position + step))
        meetings.move_agenda_item(
            session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
        )
    refused = refusal(outcome, form, "move")
    context = _meeting_context(session, access, meeting_id, **refused)
    context["moved"] = (item_id, direction)
    url = row_url(access, "meetings", meeting_id, f"agenda-item-{item_id}")
    partial = "governance/_agenda.html"
    message = "Punktet er flyttet."
    return answer(request, outcome, context, "governance/meeting.html", partial, url, message)


@router.post(MEETINGS + "/{meeting_id}/attendance")
def set_attendance(
    request: Request, form: FormDep, meeting_id: int, access: Secretariat, session: SessionDep
) -> Response:
    """Register one person's attendance (the form names the person)."""
    person_id = str(form.get("person_id") or "")
    with forms.attempt(session) as outcome:
        if not person_id.isdigit():
            raise Invalid("Vælg en person.", field="person_id")
        data = forms.read(schemas.AttendanceSet, form)
        meetings.set_attendance(
            session=session, by=access, meeting_id=meeting_id, person_id=int(person_id), data=data
        )
    person = int(person_id) if person_id.isdigit() else 0
    refused = refusal(outcome, form, "attendance", attendance_person=person)
    context = _meeting_context(session, access, meeting_id, **refused)
    return _meeting_answer(request, outcome, context, "attendance", "Fremmødet er registreret.")


@router.post(MEETINGS + "/{meeting_id}/attendance/{person_id}/delete")
def clear_attendance(
    request: Request, meeting_id: int, person_id: int, access: Secretariat, session: SessionDep
) -> Response:
    meetings.clear_attendance(
        session=session, by=access, meeting_id=meeting_id, person_id=person_id
    )
    context = _meeting_context(session, access, meeting_id)
    message = "Registreringen er fjernet."
    return _meeting_answer(request, forms.Outcome(), context, "attendance", message)


@router.get(MEETINGS + "/{meeting_id}/minutes")
def minutes_section(
    request: Request,
    meeting_id: int,
    access: ProjectAccess,
    session: SessionDep,
    edit: bool = False,
    item: int | None = None,
) -> Response:
    """The minutes section; `edit` opens the general minutes, `item` one item's minutes."""
    context = _meeting_context(session, access, meeting_id)
    context["minutes_editing"] = edit and context["can_minute"]
    if item is not None and context["can_minute"]:
        found = meetings.get_agenda_item(
            session=session, project_id=access.project_id, meeting_id=meeting_id, item_id=item
        )
        context["item_minutes_editing"] = found.id
    return render(request, "governance/_minutes.html", context)


@router.post(MEETINGS + "/{meeting_id}/minutes")
def save_minutes(
    request: Request, form: FormDep, meeting_id: int, access: MinutesEditor, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MinutesUpdate, form)
        meetings.update_minutes(session=session, by=access, meeting_id=meeting_id, data=data)
    refused = refusal(outcome, form, "minutes", minutes_editing=True)
    context = _meeting_context(session, access, meeting_id, **refused)
    return _meeting_answer(request, outcome, context, "minutes", "Referatet er gemt.")


@router.post(MEETINGS + "/{meeting_id}/agenda/{item_id}/minutes")
def save_item_minutes(
    request: Request,
    form: FormDep,
    meeting_id: int,
    item_id: int,
    access: MinutesEditor,
    session: SessionDep,
) -> Response:
    """Save the minutes of one agenda item."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ItemMinutesUpdate, form)
        meetings.update_item_minutes(
            session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
        )
    refused = refusal(outcome, form, "item_minutes", item_minutes_editing=item_id)
    context = _meeting_context(session, access, meeting_id, **refused)
    return _meeting_answer(request, outcome, context, "minutes", "Referatet af punktet er gemt.")


@router.post(MEETINGS + "/{meeting_id}/minutes/publish")
def publish_minutes(
    request: Request, form: FormDep, meeting_id: int, access: Secretariat, session: SessionDep
) -> Response:
    """Publish the minutes; the body's members are told."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MinutesPublish, form)
        meetings.publish_minutes(session=session, by=access, meeting_id=meeting_id, data=data)
    refused = refusal(outcome, form, "publish")
    context = _meeting_context(session, access, meeting_id, **refused)
    message = "Referatet er offentliggjort, og organets medlemmer har fået besked."
    return _meeting_answer(request, outcome, context, "minutes", message)


@router.post(MEETINGS + "/{meeting_id}/agenda/{item_id}/decisions")
def record_decision_from_minutes(
    request: Request,
    form: FormDep,
    meeting_id: int,
    item_id: int,
    access: Secretariat,
    session: SessionDep,
) -> Response:
    """Record a decision the item's minutes state, in the log at once (plain form: the page's
    decision list changes too, so the whole page comes back)."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.DecisionFromMinutes, form)
        decision = decisions.record_from_minutes(
            session=session, by=access, meeting_id=meeting_id, item_id=item_id, data=data
        )
    if outcome.failed:
        refused = refusal(outcome, form, "decision", decision_item=item_id)
        context = _meeting_context(session, access, meeting_id, **refused)
        return forms.refused(request, "governance/meeting.html", context, outcome)
    url = row_url(access, "meetings", meeting_id, f"minutes-item-{item_id}")
    return forms.done(request, url, f"Beslutning nr. {decision.number} er ført til protokol.")
