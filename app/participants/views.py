"""Pages of participants' row-level records, for registrars: the list, the follow-ups due with
a quick htmx form, registering a participant, and a participant's page with its corrections,
follow-ups and exit.

The forms go through the one form pipeline (app/web/forms.py). Their scheme fields are named
v_<key> and checked by the service against the participant's scheme; numbers among them are read
here the Danish way (app/numbers.py), so that nothing typed is silently scaled.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.auth.service import Access
from app.deps import ProjectAccess, SessionDep
from app.numbers import read_number
from app.participants import follow_ups, records, registrations, setup, shared_views
from app.participants.cpr import looks_like_cpr
from app.participants.deps import AuditedSession, Registrar
from app.participants.schemas import (
    ExitCreate,
    FollowUpCreate,
    ParticipantCreate,
    ParticipantUpdate,
)
from app.participants.schemes import FieldType, Stage, stage_fields
from app.web import forms
from app.web.forms import FormDep, Outcome
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()


def _scheme_values(form: FormData, scheme: Any, stage: Stage) -> dict[str, Any]:
    """The scheme fields' values of a form (inputs named v_<key>; empty ones left out), numbers
    read the Danish way. Keys the scheme does not have are left for the service to refuse."""
    fields = stage_fields(scheme)[stage] if scheme is not None else []
    numbers = {f.key: f for f in fields if f.type == FieldType.number}
    values: dict[str, Any] = {}
    for name, raw in form.items():
        key, text = name.removeprefix("v_"), str(raw).strip()
        if key == name or not text:
            continue
        if key not in numbers or looks_like_cpr(text):
            values[key] = text  # a CPR number is refused as such by the service
            continue
        try:
            number = read_number(text)
        except ValueError as exc:
            label = numbers[key].label
            raise forms.FormInvalid({key: f"Feltet »{label}« kan ikke læses: {exc}"}) from None
        values[key] = int(number) if number == int(number) else float(number)
    return values


def _participant_values(
    form: FormData, session: SessionDep, access: Access, participant_id: int, stage: Stage
) -> dict[str, Any]:
    """The form's values of the fields of the participant's scheme at `stage` (none are read
    for a participant of another project: the write answers 404)."""
    scheme = records.scheme_of(
        session=session, project_id=access.project_id, participant_id=participant_id
    )
    return _scheme_values(form, scheme, stage)


def _by_input(outcome: Outcome) -> Outcome:
    """The service names a scheme field `start_values.<key>` or `values.<key>`; its input's id
    ends in <key>, so its message is shown there and linked from the error summary."""
    outcome.errors = {
        k.removeprefix("start_values.").removeprefix("values."): v
        for k, v in outcome.errors.items()
    }
    return outcome


# Participant list --------------------------------------------------------------------------


@router.get("/projects/{project_id}/participants")
def participants_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    audited: AuditedSession,
    scheme: int | None = None,
    status: str = "",
    code: str = "",
    page: int = 1,
) -> Response:
    if not setup.is_registrar(session=session, access=access):
        return RedirectResponse(shared_views.url(access, anchor="/monitoring"), status_code=303)
    schemes, chosen = setup.pick_scheme(
        session=session, project_id=access.project_id, scheme_id=scheme
    )
    paging = Page(number=page)
    shown: list[Any] = []
    total = 0
    if chosen is not None:
        shown, total = records.list_participants(
            session=audited,
            by=access,
            scheme_id=chosen.id,
            status=status or None,
            code=code or None,
            offset=paging.offset,
            limit=paging.size,
        )
    context = shared_views.base(session, access, schemes=schemes, scheme=chosen, records=shown)
    context |= {"status": status, "code": code, "paging": paging.with_total(total)}
    return render(request, "participants/list.html", context)


# Follow-ups due ----------------------------------------------------------------------------


@router.get("/projects/{project_id}/participants/due")
def due_page(
    request: Request,
    access: Registrar,
    session: SessionDep,
    audited: AuditedSession,
    scheme: int | None = None,
) -> Response:
    schemes, chosen = setup.pick_scheme(
        session=session, project_id=access.project_id, scheme_id=scheme
    )
    items = []
    if chosen is not None:
        items = records.due_follow_ups(session=audited, by=access, scheme_id=chosen.id)
    context = shared_views.base(session, access, schemes=schemes, scheme=chosen, items=items)
    return render(request, "participants/due.html", context)


@router.post("/projects/{project_id}/participants/{participant_id}/follow-ups")
def add_follow_up(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    """The quick form of the due list (htmx: the row leaves the list) and the detail page's."""
    with forms.attempt(session) as outcome:
        values = _participant_values(form, session, access, participant_id, Stage.follow_up)
        data = forms.read(FollowUpCreate, form, values=values)
        follow_ups.add_follow_up(
            session=session, by=access, participant_id=participant_id, data=data
        )
    from_due = form.get("from") == "due" and is_htmx(request)
    if from_due and outcome.failed:
        item = records.due_item(session=session, by=access, participant_id=participant_id)
        context = shared_views.base(session, access, item=item, open=True)
        context |= _by_input(outcome).context(form)
        return forms.refused(request, "participants/_due_row.html", context, outcome)
    if from_due:
        # The row is swapped for nothing: the participant leaves the list at once.
        message = f"Opfølgningen for {form.get('code', '')} er gemt.".replace("  ", " ")
        return Response("", headers=forms.announce(message))
    if outcome.failed:
        return _detail_refused(request, access, session, participant_id, "follow_up", form, outcome)
    return forms.done(
        request, shared_views.url(access, participant_id, "#opfoelgninger"), "Opfølgningen er gemt."
    )


# New participant, detail, edit, exit ---------------------------------------------------------


def _new_context(session: SessionDep, access: Access, scheme: int | None) -> dict[str, Any]:
    schemes, chosen = setup.pick_scheme(
        session=session, project_id=access.project_id, scheme_id=scheme
    )
    next_code = registrations.next_code(session=session, scheme=chosen) if chosen else ""
    return shared_views.base(session, access, schemes=schemes, scheme=chosen, next_code=next_code)


@router.get("/projects/{project_id}/participants/new")
def new_page(
    request: Request, access: Registrar, session: SessionDep, scheme: int | None = None
) -> Response:
    return render(request, "participants/new.html", _new_context(session, access, scheme))


@router.post("/projects/{project_id}/participants/new")
def create_participant(
    request: Request, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    scheme_id = shared_views.number(form.get("scheme_id"))
    with forms.attempt(session) as outcome:
        schemes = setup.list_schemes(session=session, project_id=access.project_id)
        scheme = next((s for s in schemes if s.id == scheme_id), None)
        values = _scheme_values(form, scheme, Stage.start)
        data = forms.read(ParticipantCreate, form, start_values=values)
        participant = registrations.register_participant(session=session, by=access, data=data)
    if outcome.failed:
        context = _new_context(session, access, scheme_id) | _by_input(outcome).context(form)
        return forms.refused(request, "participants/new.html", context, outcome)
    return forms.done(
        request,
        shared_views.url(access, participant.id),
        f"Deltageren {participant.code} er registreret.",
    )


@router.get("/projects/{project_id}/participants/{participant_id}")
def detail_page(
    request: Request,
    participant_id: int,
    access: Registrar,
    session: SessionDep,
    audited: AuditedSession,
) -> Response:
    # A GET reads through the audited session (the read is audited); a POST's session writes.
    record = records.get_participant(session=audited, by=access, participant_id=participant_id)
    return render(
        request, "participants/detail.html", shared_views.base(session, access, record=record)
    )


def _detail_refused(
    request: Request,
    access: Access,
    session: SessionDep,
    participant_id: int,
    at: str,
    form: FormData,
    outcome: Outcome,
) -> Response:
    """The participant's page again with the refused form's messages (`at` names the form:
    edit, follow_up, exit)."""
    record = records.get_participant(session=session, by=access, participant_id=participant_id)
    context = shared_views.base(session, access, record=record, at=at) | _by_input(outcome).context(
        form
    )
    return forms.refused(request, "participants/detail.html", context, outcome)


@router.post("/projects/{project_id}/participants/{participant_id}/exit")
def record_exit(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        values = _participant_values(form, session, access, participant_id, Stage.exit)
        data = forms.read(ExitCreate, form, values=values, version=shared_views.version(form))
        registrations.record_exit(
            session=session, by=access, participant_id=participant_id, data=data
        )
    if outcome.failed:
        return _detail_refused(request, access, session, participant_id, "exit", form, outcome)
    return forms.done(
        request, shared_views.url(access, participant_id, "#afslutning"), "Forløbet er afsluttet."
    )


@router.post("/projects/{project_id}/participants/{participant_id}/edit")
def edit_participant(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        values = _participant_values(form, session, access, participant_id, Stage.start)
        data = forms.read(
            ParticipantUpdate, form, start_values=values, version=shared_views.version(form)
        )
        registrations.update_participant(
            session=session, by=access, participant_id=participant_id, data=data
        )
    if outcome.failed:
        return _detail_refused(request, access, session, participant_id, "edit", form, outcome)
    return forms.done(request, shared_views.url(access, participant_id), "Rettelserne er gemt.")


@router.post("/projects/{project_id}/participants/{participant_id}/reopen")
def reopen(participant_id: int, access: Registrar, session: SessionDep, form: FormDep) -> Response:
    registrations.reopen(
        session=session,
        by=access,
        participant_id=participant_id,
        version=shared_views.version(form),
    )
    return RedirectResponse(
        shared_views.url(access, participant_id, "#afslutning"), status_code=303
    )


@router.post(
    "/projects/{project_id}/participants/{participant_id}/follow-ups/{follow_up_id}/delete"
)
def delete_follow_up(
    participant_id: int, follow_up_id: int, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    follow_ups.delete_follow_up(
        session=session,
        by=access,
        participant_id=participant_id,
        follow_up_id=follow_up_id,
        version=shared_views.version(form),
    )
    return RedirectResponse(
        shared_views.url(access, participant_id, "#opfoelgninger"), status_code=303
    )


@router.post("/projects/{project_id}/participants/{participant_id}/delete")
def delete_participant(
    participant_id: int, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    registrations.delete_participant(
        session=session,
        by=access,
        participant_id=participant_id,
        version=shared_views.version(form),
    )
    return RedirectResponse(shared_views.url(access), status_code=303)
