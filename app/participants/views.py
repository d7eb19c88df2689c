"""Pages of participant registration: the registrars' lists and forms, the follow-ups due with
a quick htmx form, the monitoring for everyone in the project, and the schemes.

The forms go through the one form pipeline (app/web/forms.py). Their scheme fields are named
v_<key> and checked by the service against the participant's scheme; numbers among them are read
here the Danish way (app/numbers.py), so that nothing typed is silently scaled.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field
from starlette.datastructures import FormData

from app import clock
from app.auth.models import Role
from app.auth.service import Access
from app.charts import page_json
from app.danish import format_date
from app.deps import GroupWorker, ProjectAccess, ProjectLeader, SessionDep
from app.errors import Invalid
from app.governance.service import get_project
from app.numbers import read_number, write_number
from app.participants import charts, service, setup
from app.participants.api import AuditedSession, Registrar
from app.participants.models import INTERVAL_UNIT_LABELS, Participant, RegistrationScheme
from app.participants.monitoring import NO_GROUP, PeriodUnit
from app.participants.schemas import (
    ExitCreate,
    FollowUpCreate,
    IndicatorFromRegistrations,
    ParticipantCreate,
    ParticipantUpdate,
    RegistrarCreate,
    SchemeUpdate,
)
from app.participants.schemes import (
    FIELD_TYPE_LABELS,
    STAGE_LABELS,
    FieldDef,
    FieldType,
    OutcomeDef,
    SchemeDefinition,
    Stage,
    check_window,
    display_value,
    interval_text,
    looks_like_cpr,
    outcome_label,
    outcomes,
    parse_date,
    stage_fields,
)
from app.risks import service as risks
from app.web import forms
from app.web.forms import FormDep, Outcome
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()


class ToIndicator(IndicatorFromRegistrations):
    """The "Overfør til succesmål" form: the API's input and the success measure it goes to."""

    indicator_id: int = Field(title="Succesmål")


def _base(session: SessionDep, access: Access, **extra: Any) -> dict[str, Any]:
    return {
        "project": get_project(session=session, project_id=access.project_id),
        "access": access,
        "is_registrar": setup.is_registrar(session=session, access=access),
        "stage_labels": STAGE_LABELS,
        "type_labels": FIELD_TYPE_LABELS,
        "stage_fields": stage_fields,
        "display_value": display_value,
        "write_number": write_number,
        "interval_text": interval_text,
        "outcome_label": outcome_label,
        "outcomes": outcomes,
        "Stage": Stage,
        "today": clock.today(),
        "errors": {},
        "values": {},
        "at": "",
    } | extra


def _pick_scheme(
    session: SessionDep, access: Access, scheme: int | None
) -> tuple[list[RegistrationScheme], RegistrationScheme | None]:
    schemes = setup.list_schemes(session=session, project_id=access.project_id)
    chosen = next((s for s in schemes if s.id == scheme), schemes[0] if schemes else None)
    return schemes, chosen


def _scheme(session: SessionDep, access: Access, scheme_id: int) -> RegistrationScheme:
    return setup.get_scheme(session=session, project_id=access.project_id, scheme_id=scheme_id)


def _scheme_of(session: SessionDep, access: Access, participant_id: int) -> Any:
    """The scheme of a participant of this project, None for any other (the service says 404)."""
    participant = session.get(Participant, participant_id)
    if participant is None or participant.project_id != access.project_id:
        return None
    return _scheme(session, access, participant.scheme_id)


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


def _version(form: FormData) -> int:
    return forms.form_version(form.getlist("version"))


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
        return RedirectResponse(_url(access, anchor="/monitoring"), status_code=303)
    schemes, chosen = _pick_scheme(session, access, scheme)
    paging = Page(number=page)
    records: list[Any] = []
    total = 0
    if chosen is not None:
        records, total = service.list_participants(
            session=audited,
            by=access,
            scheme_id=chosen.id,
            status=status or None,
            code=code or None,
            offset=paging.offset,
            limit=paging.size,
        )
    context = _base(session, access, schemes=schemes, scheme=chosen, records=records)
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
    schemes, chosen = _pick_scheme(session, access, scheme)
    items = []
    if chosen is not None:
        items = service.due_follow_ups(session=audited, by=access, scheme_id=chosen.id)
    context = _base(session, access, schemes=schemes, scheme=chosen, items=items)
    return render(request, "participants/due.html", context)


@router.post("/projects/{project_id}/participants/{participant_id}/follow-ups")
def add_follow_up(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    """The quick form of the due list (htmx: the row leaves the list) and the detail page's."""
    with forms.attempt(session) as outcome:
        values = _scheme_values(form, _scheme_of(session, access, participant_id), Stage.follow_up)
        data = forms.read(FollowUpCreate, form, values=values)
        service.add_follow_up(session=session, by=access, participant_id=participant_id, data=data)
    from_due = form.get("from") == "due" and is_htmx(request)
    if from_due and outcome.failed:
        record = service.get_participant(session=session, by=access, participant_id=participant_id)
        due = record.next_follow_up_date or clock.today()
        item = service.DueItem(record, due, due < clock.today())
        context = _base(session, access, item=item, open=True) | _by_input(outcome).context(form)
        return forms.refused(request, "participants/_due_row.html", context, outcome)
    if from_due:
        # The row is swapped for nothing: the participant leaves the list at once.
        message = f"Opfølgningen for {form.get('code', '')} er gemt.".replace("  ", " ")
        return Response("", headers=forms.announce(message))
    if outcome.failed:
        return _detail_refused(request, access, session, participant_id, "follow_up", form, outcome)
    return forms.done(
        request, _url(access, participant_id, "#opfoelgninger"), "Opfølgningen er gemt."
    )


# Monitoring (everyone in the project) -------------------------------------------------------


def _monitoring(
    session: SessionDep,
    access: Access,
    *,
    scheme: int | None,
    unit: PeriodUnit = "quarter",
    as_of: str = "",
    group: str = "",
) -> dict[str, Any]:
    schemes, chosen = _pick_scheme(session, access, scheme)
    unit = unit if unit in ("quarter", "month") else "quarter"
    day = parse_date(as_of) if as_of else None
    if day is not None:
        check_window(day, what="Opgørelsesdatoen", field="as_of")
    context = _base(session, access, schemes=schemes, scheme=chosen, unit=unit, group=group)
    context |= {"as_of": day or clock.today(), "no_group": NO_GROUP}
    if chosen is not None:
        report = service.monitoring_report(
            session=session,
            project_id=access.project_id,
            scheme_id=chosen.id,
            as_of=day,
            unit=unit,
            target_group=group or None,
        )
        hours = charts.hours_figure(report)
        context |= {
            "as_of": report.as_of,
            "report": report,
            "tables": {t.key: t for t in report.tables()},
            "over_time_json": page_json(charts.over_time_figure(report)),
            "outcomes_json": page_json(charts.outcomes_figure(report)),
            "hours_json": page_json(hours) if hours else None,
        }
    return context | {"link": _link(session, access), "values": {"as_of": context["as_of"]}}


def _link(session: SessionDep, access: Access) -> dict[str, Any] | None:
    """The "Overfør til succesmål" form's choices, or None for a role that may not measure."""
    if not access.has(Role.project_leader, Role.group_member):
        return None
    indicators = risks.list_indicators(session=session, project_id=access.project_id)
    indicators = [i for i in indicators if access.can_edit_group(i.group_id)]
    metrics = service.indicator_metrics(session=session, project_id=access.project_id)
    return {"indicators": indicators, "metrics": metrics}


@router.get("/projects/{project_id}/participants/monitoring")
def monitoring_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    scheme: int | None = None,
    unit: PeriodUnit = "quarter",
    as_of: str = "",
    group: str = "",
) -> Response:
    context = _monitoring(session, access, scheme=scheme, unit=unit, as_of=as_of, group=group)
    return render(request, "participants/monitoring.html", context)


@router.post("/projects/{project_id}/participants/monitoring/indicator")
def to_indicator(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Record a monitoring figure as a success measure's measurement ("Overfør til succesmål")."""
    with forms.attempt(session) as outcome:
        data = forms.read(ToIndicator, form)
        measurement, value = service.record_indicator_from_registrations(
            session=session,
            by=access,
            indicator_id=data.indicator_id,
            metric=data.metric,
            as_of=data.as_of or clock.today(),
            scheme_id=data.scheme_id,
        )
    if outcome.failed:
        context = _monitoring(session, access, scheme=_number(form.get("scheme_id")))
        page, partial = "participants/monitoring.html", "participants/_to_indicator.html"
        return forms.refused(
            request, page, context | outcome.context(form), outcome, partial=partial
        )
    indicator = risks.get_indicator(
        session=session, project_id=access.project_id, indicator_id=measurement.indicator_id
    )
    message = (
        f"»{value.label}« pr. {format_date(measurement.measured_date)} ({value.shown}) er gemt "
        f"som måling på succesmålet »{indicator.name}«."
    )
    day = measurement.measured_date.isoformat()
    query = f"as_of={day}" + (f"&scheme={data.scheme_id}" if data.scheme_id else "")
    url = _url(access, anchor=f"/monitoring?{query}#participants-to-indicator")
    context = _monitoring(session, access, scheme=data.scheme_id, as_of=day) | {"message": message}
    partial = "participants/_to_indicator.html"
    return forms.done(request, url, message, partial=partial, context=context)


def _number(text: Any) -> int | None:
    """A whole number sent in a hidden field, None when it is none."""
    return int(text) if isinstance(text, str) and text.isascii() and text.isdigit() else None


# Schemes and registrars ---------------------------------------------------------------------


def _schemes_context(session: SessionDep, access: Access, scheme: int | None) -> dict[str, Any]:
    schemes, chosen = _pick_scheme(session, access, scheme)
    registrars = appointable = []
    if access.leads:
        registrars = setup.list_registrars(session=session, project_id=access.project_id)
        appointable = setup.appointable_users(session=session, project_id=access.project_id)
    hours_options: dict[str, Any] = {}
    if chosen is not None:
        fields = stage_fields(chosen)
        for f in [*fields[Stage.start], *fields[Stage.follow_up]]:
            if f.type == FieldType.number:
                hours_options.setdefault(f.key, f)
    context = _base(session, access, schemes=schemes, scheme=chosen, registrars=registrars)
    context |= {"appointable": appointable, "hours_options": list(hours_options.values())}
    return context | {"unit_labels": INTERVAL_UNIT_LABELS, "field_types": list(FieldType)}


@router.get("/projects/{project_id}/participants/schemes")
def schemes_page(
    request: Request, access: ProjectAccess, session: SessionDep, scheme: int | None = None
) -> Response:
    return render(request, "participants/schemes.html", _schemes_context(session, access, scheme))


def _schemes_url(access: Access, scheme_id: int | None = None, anchor: str = "") -> str:
    query = f"?scheme={scheme_id}" if scheme_id else ""
    return f"/projects/{access.project_id}/participants/schemes{query}{anchor}"


def _schemes_refused(
    request: Request,
    access: Access,
    session: SessionDep,
    scheme_id: int | None,
    at: str,
    form: FormData,
    outcome: Outcome,
) -> Response:
    """The schemes page again with the refused form's messages (`at` names the form); a message
    about a field the form has no input for is shown in its error summary."""
    errors: dict[str, str] = {}
    for name, text in outcome.errors.items():
        errors.setdefault(name if name in form else "form", text)
    outcome.errors = errors
    context = _schemes_context(session, access, scheme_id) | {"at": at} | outcome.context(form)
    return forms.refused(request, "participants/schemes.html", context, outcome)


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _key(label: Any, taken: set[str]) -> str:
    """A field or outcome key made from its Danish label: »Timer pr. uge« → timer_pr_uge."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    key = "".join(c if c.isalnum() else "_" for c in str(label or "").lower().translate(table))
    key = "_".join(part for part in key.split("_") if part)[:36] or "felt"
    key = key if key[0].isalpha() else f"f_{key}"
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}_{n}", n + 1
    return candidate


def _save_scheme(
    session: SessionDep, access: Access, scheme_id: int, form: FormData, **change: Any
) -> None:
    """Change a scheme on the copy the form names in its version."""
    data = forms.read(SchemeUpdate, form, version=_version(form), **change)
    setup.update_scheme(session=session, by=access, scheme_id=scheme_id, data=data)


@router.post("/projects/{project_id}/participants/schemes")
def create_scheme(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    taken: set[str] = set()
    outcome_defs = []
    for name in _lines(form.get("outcomes")):
        taken.add(key := _key(name, taken))
        outcome_defs.append({"key": key, "label": name})
    prefix = str(form.get("code_prefix", "")).strip().upper() or "D"
    scheme_id = None
    with forms.attempt(session) as outcome:
        data = forms.read(SchemeDefinition, form, code_prefix=prefix, exit_outcomes=outcome_defs)
        scheme_id = setup.create_scheme(session=session, by=access, data=data).id
    if outcome.failed:
        return _schemes_refused(request, access, session, scheme_id, "new", form, outcome)
    return forms.done(request, _schemes_url(access, scheme_id), "Skemaet er oprettet.")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/settings")
def scheme_settings(
    request: Request, scheme_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        text = {name: str(form.get(name, "")).strip() for name in ("description", "grantor")}
        text["code_prefix"] = str(form.get("code_prefix", "")).strip().upper()
        targets = _lines(form.get("target_groups"))
        _save_scheme(session, access, scheme_id, form, target_groups=targets, **text)
    if outcome.failed:
        return _schemes_refused(request, access, session, scheme_id, "settings", form, outcome)
    return forms.done(request, _schemes_url(access, scheme_id), "Indstillingerne er gemt.")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/fields")
def add_field(
    request: Request, scheme_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        scheme = _scheme(session, access, scheme_id)
        if form.get("stage") not in {s.value for s in Stage}:
            raise Invalid("Vælg hvornår feltet registreres.", field="stage")
        current = stage_fields(scheme)
        taken = {f.key for fields in current.values() for f in fields}
        options = _lines(form.get("options")) if form.get("type") == FieldType.choice else []
        new = forms.read(FieldDef, form, key=_key(form.get("label"), taken), options=options)
        stage = Stage(str(form.get("stage")))
        fields = [*(f.model_dump() for f in current[stage]), new.model_dump()]
        _save_scheme(session, access, scheme_id, form, **{f"{stage.value}_fields": fields})
    if outcome.failed:
        return _schemes_refused(request, access, session, scheme_id, "field", form, outcome)
    return forms.done(request, _schemes_url(access, scheme_id), "Feltet er tilføjet.")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/fields/{stage}/{key}/delete")
def remove_field(
    request: Request,
    scheme_id: int,
    stage: Stage,
    key: str,
    access: ProjectLeader,
    session: SessionDep,
    form: FormDep,
) -> Response:
    with forms.attempt(session) as outcome:
        scheme = _scheme(session, access, scheme_id)
        fields = stage_fields(scheme)
        kept = [f.model_dump() for f in fields[stage] if f.key != key]
        change: dict[str, Any] = {f"{stage.value}_fields": kept}
        elsewhere = {f.key for s in Stage if s != stage for f in fields[s]}
        if scheme.hours_field == key and key not in elsewhere:
            change["hours_field"] = None
        _save_scheme(session, access, scheme_id, form, **change)
    if outcome.failed:
        return _schemes_refused(request, access, session, scheme_id, "field", form, outcome)
    return forms.done(request, _schemes_url(access, scheme_id), "Feltet er fjernet.")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/outcomes")
def add_outcome(
    request: Request, scheme_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        scheme = _scheme(session, access, scheme_id)
        current = [o.model_dump() for o in outcomes(scheme)]
        key = _key(form.get("label"), {o["key"] for o in current})
        new = forms.read(OutcomeDef, form, key=key)
        _save_scheme(session, access, scheme_id, form, exit_outcomes=[*current, new.model_dump()])
    if outcome.failed:
        return _schemes_refused(request, access, session, scheme_id, "outcome", form, outcome)
    return forms.done(request, _schemes_url(access, scheme_id), "Statussen er tilføjet.")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/outcomes/{key}/delete")
def remove_outcome(
    request: Request,
    scheme_id: int,
    key: str,
    access: ProjectLeader,
    session: SessionDep,
    form: FormDep,
) -> Response:
    with forms.attempt(session) as outcome:
        scheme = _scheme(session, access, scheme_id)
        kept = [o.model_dump() for o in outcomes(scheme) if o.key != key]
        _save_scheme(session, access, scheme_id, form, exit_outcomes=kept)
    if outcome.failed:
        return _schemes_refused(request, access, session, scheme_id, "outcome", form, outcome)
    return forms.done(request, _schemes_url(access, scheme_id), "Statussen er fjernet.")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/delete")
def delete_scheme(
    request: Request, scheme_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        setup.delete_scheme(session=session, by=access, scheme_id=scheme_id)
    if outcome.failed:
        return _schemes_refused(request, access, session, scheme_id, "delete", form, outcome)
    return forms.done(request, _schemes_url(access), "Skemaet er slettet.")


@router.post("/projects/{project_id}/participants/registrars")
def appoint(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(RegistrarCreate, form)
        setup.appoint_registrar(session=session, by=access, user_id=data.user_id)
    if outcome.failed:
        return _schemes_refused(request, access, session, None, "registrar", form, outcome)
    return forms.done(
        request, _schemes_url(access, anchor="#registranter"), "Registranten er udpeget."
    )


@router.post("/projects/{project_id}/participants/registrars/{user_id}/remove")
def remove_registrar(user_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    setup.remove_registrar(session=session, by=access, user_id=user_id)
    return RedirectResponse(_schemes_url(access, anchor="#registranter"), status_code=303)


# New participant, detail, edit, exit ---------------------------------------------------------


def _new_context(session: SessionDep, access: Access, scheme: int | None) -> dict[str, Any]:
    schemes, chosen = _pick_scheme(session, access, scheme)
    next_code = service.next_code(session=session, scheme=chosen) if chosen else ""
    return _base(session, access, schemes=schemes, scheme=chosen, next_code=next_code)


@router.get("/projects/{project_id}/participants/new")
def new_page(
    request: Request, access: Registrar, session: SessionDep, scheme: int | None = None
) -> Response:
    return render(request, "participants/new.html", _new_context(session, access, scheme))


@router.post("/projects/{project_id}/participants/new")
def create_participant(
    request: Request, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    scheme_id = _number(form.get("scheme_id"))
    with forms.attempt(session) as outcome:
        schemes = setup.list_schemes(session=session, project_id=access.project_id)
        scheme = next((s for s in schemes if s.id == scheme_id), None)
        values = _scheme_values(form, scheme, Stage.start)
        data = forms.read(ParticipantCreate, form, start_values=values)
        participant = service.register_participant(session=session, by=access, data=data)
    if outcome.failed:
        context = _new_context(session, access, scheme_id) | _by_input(outcome).context(form)
        return forms.refused(request, "participants/new.html", context, outcome)
    return forms.done(
        request, _url(access, participant.id), f"Deltageren {participant.code} er registreret."
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
    record = service.get_participant(session=audited, by=access, participant_id=participant_id)
    return render(request, "participants/detail.html", _base(session, access, record=record))


def _url(access: Access, participant_id: int | None = None, anchor: str = "") -> str:
    one = f"/{participant_id}" if participant_id else ""
    return f"/projects/{access.project_id}/participants{one}{anchor}"


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
    record = service.get_participant(session=session, by=access, participant_id=participant_id)
    context = _base(session, access, record=record, at=at) | _by_input(outcome).context(form)
    return forms.refused(request, "participants/detail.html", context, outcome)


@router.post("/projects/{project_id}/participants/{participant_id}/exit")
def record_exit(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        values = _scheme_values(form, _scheme_of(session, access, participant_id), Stage.exit)
        data = forms.read(ExitCreate, form, values=values, version=_version(form))
        service.record_exit(session=session, by=access, participant_id=participant_id, data=data)
    if outcome.failed:
        return _detail_refused(request, access, session, participant_id, "exit", form, outcome)
    return forms.done(
        request, _url(access, participant_id, "#afslutning"), "Forløbet er afsluttet."
    )


@router.post("/projects/{project_id}/participants/{participant_id}/edit")
def edit_participant(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        values = _scheme_values(form, _scheme_of(session, access, participant_id), Stage.start)
        data = forms.read(ParticipantUpdate, form, start_values=values, version=_version(form))
        service.update_participant(
            session=session, by=access, participant_id=participant_id, data=data
        )
    if outcome.failed:
        return _detail_refused(request, access, session, participant_id, "edit", form, outcome)
    return forms.done(request, _url(access, participant_id), "Rettelserne er gemt.")


@router.post("/projects/{project_id}/participants/{participant_id}/reopen")
def reopen(participant_id: int, access: Registrar, session: SessionDep, form: FormDep) -> Response:
    service.reopen(
        session=session, by=access, participant_id=participant_id, version=_version(form)
    )
    return RedirectResponse(_url(access, participant_id, "#afslutning"), status_code=303)


@router.post(
    "/projects/{project_id}/participants/{participant_id}/follow-ups/{follow_up_id}/delete"
)
def delete_follow_up(
    participant_id: int, follow_up_id: int, access: Registrar, session: SessionDep
) -> Response:
    service.delete_follow_up(
        session=session, by=access, participant_id=participant_id, follow_up_id=follow_up_id
    )
    return RedirectResponse(_url(access, participant_id, "#opfoelgninger"), status_code=303)


@router.post("/projects/{project_id}/participants/{participant_id}/delete")
def delete_participant(participant_id: int, access: Registrar, session: SessionDep) -> Response:
    service.delete_participant(session=session, by=access, participant_id=participant_id)
    return RedirectResponse(_url(access), status_code=303)
