"""Pages of meetings (agenda, attendance, minutes) and of the decision log with its follow-ups.

Writes go through the form pipeline (app/web/forms.py), as on the organisation's pages.
"""

from contextlib import suppress
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app import clock
from app.auth.service import Access
from app.deps import ProjectAccess, Secretariat, SessionDep
from app.errors import Conflict, DomainError, Invalid
from app.governance import decisions, meetings, schemas, service
from app.governance.models import AttendanceStatus, BodyKind, MemberRole
from app.governance.permissions import DecisionMaker, FollowUpEditor, MinutesEditor
from app.governance.views import answer, bodies_by_id, page_context, refusal
from app.web import forms
from app.web.forms import FormDep
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()
MEETINGS = "/projects/{project_id}/meetings"
DECISIONS = "/projects/{project_id}/decisions"
DECISION, DECISION_NEW = "governance/decision.html", "governance/decision_new.html"


def _optional_id(value: str) -> int | None:
    """A filter's id from a query string, where an empty choice ("all") comes as ''."""
    return int(value) if value.strip().isdigit() else None


def _url(access: Access, kind: str, row_id: int | None, anchor: str = "") -> str:
    """A meeting's or a decision's page (`kind` is "meetings" or "decisions"), at `anchor`."""
    return f"/projects/{access.project_id}/{kind}/{row_id}" + (f"#{anchor}" if anchor else "")


# Meetings ---------------------------------------------------------------------------------------


def _meetings_context(
    session: Session, access: Access, *, body_id: int | None, page: int, **values: Any
) -> dict[str, Any]:
    paging = Page(number=page, size=25)
    rows, total = meetings.list_meetings(
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
        meetings=rows,
        paging=paging.with_total(total),
        body_id=body_id,
        agenda_counts={
            m.id: len(meetings.agenda(session=session, meeting_id=m.id or 0)) for m in rows
        },
        decision_counts={
            m.id: len(meetings.decisions_at(session=session, meeting_id=m.id or 0)) for m in rows
        },
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
    body_id = _optional_id(body)
    if body_id is not None:
        service.get_body(session=session, project_id=access.project_id, body_id=body_id)
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
    return forms.done(request, _url(access, "meetings", meeting.id or 0), "Mødet er oprettet.")


def _meeting_context(
    session: Session, access: Access, meeting_id: int, **values: Any
) -> dict[str, Any]:
    """A meeting's page; `info_editing`, `agenda_editing` and `minutes_editing` open its forms."""
    meeting = meetings.get_meeting(
        session=session, project_id=access.project_id, meeting_id=meeting_id
    )
    body = service.get_body(session=session, project_id=access.project_id, body_id=meeting.body_id)
    sheet = meetings.attendance_sheet(session=session, meeting=meeting)
    listed = {row.person.id for row in sheet}
    people = service.people(session=session, project_id=access.project_id)
    return page_context(
        session,
        access,
        section="meetings",
        meeting=meeting,
        body=body,
        is_group=body.kind == BodyKind.implementation_group,
        agenda=meetings.agenda(session=session, meeting_id=meeting_id),
        sheet=sheet,
        others=[p for p in people if p.id not in listed],
        decisions=meetings.decisions_at(session=session, meeting_id=meeting_id),
        attendance_statuses=list(AttendanceStatus),
        attendance_labels=meetings.ATTENDANCE_LABELS,
        ad_hoc=MemberRole.ad_hoc,
        **values,
    )


def _meeting_answer(
    request: Request, outcome: forms.Outcome, context: dict[str, Any], section: str, message: str
) -> Response:
    """A meeting's section (`agenda` is _agenda.html, id="agenda") after a write, or the
    meeting's page at that section."""
    url = _url(context["access"], "meetings", context["meeting"].id, section)
    partial = f"governance/_{section.replace('-', '_')}.html"
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
    request: Request, meeting_id: int, access: Secretariat, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        meetings.delete_meeting(session=session, by=access, meeting_id=meeting_id)
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
    request: Request, meeting_id: int, item_id: int, access: Secretariat, session: SessionDep
) -> Response:
    meetings.delete_agenda_item(session=session, by=access, meeting_id=meeting_id, item_id=item_id)
    context = _meeting_context(session, access, meeting_id)
    message = "Punktet er taget af dagsordenen."
    return _meeting_answer(request, forms.Outcome(), context, "agenda", message)


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
) -> Response:
    context = _meeting_context(session, access, meeting_id)
    context["minutes_editing"] = edit and context["can_minute"]
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


# Decisions --------------------------------------------------------------------------------------


def _log_context(
    session: Session, access: Access, *, q: str, body_id: int | None, page: int
) -> dict[str, Any]:
    paging = Page(number=page, size=25)
    rows, total = decisions.search_decisions(
        session=session,
        project_id=access.project_id,
        q=q,
        body_id=body_id,
        offset=paging.offset,
        limit=paging.size,
    )
    numbers = {d.id: d.number for d in rows}
    for d in rows:
        if d.superseded_by_id and d.superseded_by_id not in numbers:
            newer = decisions.get_decision(
                session=session, project_id=access.project_id, decision_id=d.superseded_by_id
            )
            numbers[newer.id] = newer.number
    follow_ups = {d.id: decisions.follow_ups(session=session, decision_id=d.id or 0) for d in rows}
    return page_context(
        session,
        access,
        section="decisions",
        decisions=rows,
        paging=paging.with_total(total),
        q=q,
        body_id=body_id,
        numbers=numbers,
        open_actions={d: sum(a.done_date is None for a, _ in f) for d, f in follow_ups.items()},
        **bodies_by_id(session, access),
    )


@router.get(DECISIONS)
def decisions_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    q: str = "",
    body: str = Query("", alias="body_id"),
    page: int = 1,
) -> Response:
    """The decision log, searchable; htmx gets just the results."""
    context = _log_context(
        session, access, q=q.strip()[:200], body_id=_optional_id(body), page=page
    )
    if is_htmx(request) and request.headers.get("HX-Target") == "decision-results":
        return render(request, "governance/_decision_results.html", context)
    return render(request, "governance/decisions.html", context)


def _record_context(session: Session, access: Access, **values: Any) -> dict[str, Any]:
    recent, _ = meetings.list_meetings(session=session, project_id=access.project_id, limit=100)
    return page_context(
        session,
        access,
        section="decisions",
        meetings=recent,
        people=service.people(session=session, project_id=access.project_id),
        **bodies_by_id(session, access),
        **{"errors": {}, "values": {}, "superseding": None} | values,
    )


def _decision_form(form: FormData) -> schemas.DecisionCreate:
    """The decision form, with at most one follow-up action (its fields named action_*)."""
    data = forms.read(schemas.DecisionCreate, form)
    if not str(form.get("action_text") or "").strip():
        return data
    fields = [
        (k.removeprefix("action_"), v) for k, v in form.multi_items() if k.startswith("action_")
    ]
    try:
        action = forms.read(schemas.FollowUpCreate, FormData(fields))
    except forms.FormInvalid as exc:
        raise forms.FormInvalid({f"action_{k}": m for k, m in exc.errors.items()}) from None
    return data.model_copy(update={"actions": [action]})


def _decision_refused(
    request: Request,
    session: Session,
    access: Access,
    form: FormData,
    outcome: forms.Outcome,
    superseding: Any = None,
) -> Response:
    """The decision form again; the service names the action's fields `actions.0.*`."""
    outcome.errors = {k.replace("actions.0.", "action_"): m for k, m in outcome.errors.items()}
    context = _record_context(session, access, superseding=superseding, **outcome.context(form))
    return forms.refused(request, DECISION_NEW, context, outcome)


@router.get(DECISIONS + "/new")
def new_decision(
    request: Request, access: DecisionMaker, session: SessionDep, meeting_id: int | None = None
) -> Response:
    """The form to record a decision, from a meeting when one is named."""
    values: dict[str, Any] = {"decision_date": clock.today().isoformat()}
    if meeting_id is not None:
        meeting = meetings.get_meeting(
            session=session, project_id=access.project_id, meeting_id=meeting_id
        )
        date = meeting.meeting_date.isoformat()
        values = {"meeting_id": meeting.id, "body_id": meeting.body_id, "decision_date": date}
    else:
        with suppress(DomainError):  # a project without a steering group: the user picks
            values["body_id"] = service.steering_group(
                session=session, project_id=access.project_id
            ).id
    return render(request, DECISION_NEW, _record_context(session, access, values=values))


@router.post(DECISIONS + "/new")
def record_decision(
    request: Request, form: FormDep, access: DecisionMaker, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        decision = decisions.record_decision(session=session, by=access, data=_decision_form(form))
    if outcome.failed:
        return _decision_refused(request, session, access, form, outcome)
    message = f"Beslutning nr. {decision.number} er registreret."
    return forms.done(request, _url(access, "decisions", decision.id), message)


def _decision_context(
    session: Session, access: Access, decision_id: int, **values: Any
) -> dict[str, Any]:
    entry = decisions.decision_entry(
        session=session, project_id=access.project_id, decision_id=decision_id
    )
    return page_context(
        session,
        access,
        section="decisions",
        entry=entry,
        today=clock.today(),
        people=service.people(session=session, project_id=access.project_id),
        kind_label=decisions.KIND_LABELS.get(entry.decision.kind, entry.decision.kind),
        **values,
    )


@router.get(DECISIONS + "/{decision_id}")
def decision_page(
    request: Request, decision_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    """One decision: its text, meeting, both ends of a supersession and its follow-ups."""
    return render(request, DECISION, _decision_context(session, access, decision_id))


@router.get(DECISIONS + "/{decision_id}/supersede")
def supersede_form(
    request: Request, decision_id: int, access: DecisionMaker, session: SessionDep
) -> Response:
    old = decisions.get_decision(
        session=session, project_id=access.project_id, decision_id=decision_id
    )
    if old.superseded_by_id is not None:
        raise Conflict(f"Beslutning nr. {old.number} er allerede afløst.")
    values = {"body_id": old.body_id, "title": old.title, "text": old.text}
    values["decision_date"] = clock.today().isoformat()
    context = _record_context(session, access, superseding=old, values=values)
    return render(request, DECISION_NEW, context)


@router.post(DECISIONS + "/{decision_id}/supersede")
def supersede(
    request: Request, form: FormDep, decision_id: int, access: DecisionMaker, session: SessionDep
) -> Response:
    old = decisions.get_decision(
        session=session, project_id=access.project_id, decision_id=decision_id
    )
    with forms.attempt(session) as outcome:
        data = _decision_form(form)
        new = decisions.supersede_decision(
            session=session, by=access, decision_id=decision_id, data=data
        )
    if outcome.failed:
        return _decision_refused(request, session, access, form, outcome, superseding=old)
    message = f"Beslutning nr. {new.number} er registreret og afløser nr. {old.number}."
    return forms.done(request, _url(access, "decisions", new.id), message)


def _actions_answer(
    request: Request, outcome: forms.Outcome, context: dict[str, Any], message: str
) -> Response:
    """The decision's follow-ups after a write, or the decision's page at them."""
    url = _url(context["access"], "decisions", context["entry"].decision.id, "actions")
    return answer(request, outcome, context, DECISION, "governance/_actions.html", url, message)


@router.post(DECISIONS + "/{decision_id}/actions")
def add_follow_up(
    request: Request, form: FormDep, decision_id: int, access: FollowUpEditor, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.FollowUpCreate, form)
        decisions.add_follow_up(session=session, by=access, decision_id=decision_id, data=data)
    context = _decision_context(session, access, decision_id, **refusal(outcome, form, "action"))
    return _actions_answer(request, outcome, context, "Opfølgningspunktet er tilføjet.")


@router.post(DECISIONS + "/{decision_id}/actions/{action_id}")
def save_follow_up(
    request: Request,
    form: FormDep,
    decision_id: int,
    action_id: int,
    access: FollowUpEditor,
    session: SessionDep,
) -> Response:
    """Mark a follow-up action done (today, or the date given) or not done again."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.FollowUpUpdate, form)
        decisions.update_follow_up(
            session=session, by=access, decision_id=decision_id, action_id=action_id, data=data
        )
    refused = refusal(outcome, form, "follow_up", follow_up_action=action_id)
    context = _decision_context(session, access, decision_id, **refused)
    return _actions_answer(request, outcome, context, "Opfølgningspunktet er opdateret.")
