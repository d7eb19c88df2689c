"""Pages of participant registration: the registrars' lists and forms, the follow-ups due with
a quick htmx form, the monitoring for everyone in the project, and the schemes."""

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from app import clock
from app.auth.models import Role
from app.auth.service import Access
from app.deps import GroupWorker, ProjectAccess, ProjectLeader, SessionDep
from app.errors import DomainError, Invalid, danish_message
from app.errors import field_name as error_field
from app.governance.service import get_project
from app.participants import charts, service, setup
from app.participants.api import AuditedSession, Registrar
from app.participants.models import INTERVAL_UNIT_LABELS, IntervalUnit, RegistrationScheme
from app.participants.monitoring import NO_GROUP
from app.participants.schemas import (
    ExitCreate,
    FollowUpCreate,
    ParticipantCreate,
    ParticipantUpdate,
    SchemeUpdate,
)
from app.participants.schemes import (
    FIELD_TYPE_LABELS,
    STAGE_LABELS,
    FieldType,
    SchemeDefinition,
    Stage,
    check_window,
    display_value,
    interval_text,
    outcome_label,
    outcomes,
    parse_date,
    stage_fields,
    validated,
)
from app.risks import service as risks
from app.web.charts import page_json
from app.web.danish import format_date
from app.web.pagination import Page
from app.web.templating import is_htmx, render

router = APIRouter()


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


FormData = Annotated[dict[str, str], Depends(_form)]


def _base(session: SessionDep, access: Access, **extra: Any) -> dict[str, Any]:
    return {
        "project": get_project(session, project_id=access.project_id),
        "access": access,
        "is_registrar": setup.is_registrar(session=session, access=access),
        "stage_labels": STAGE_LABELS,
        "type_labels": FIELD_TYPE_LABELS,
        "stage_fields": stage_fields,
        "display_value": display_value,
        "interval_text": interval_text,
        "outcome_label": outcome_label,
        "outcomes": outcomes,
        "Stage": Stage,
        "today": clock.today(),
    } | extra


def _values(form: dict[str, str]) -> dict[str, str]:
    """The scheme fields' raw values of a form (inputs named v_<key>); empty ones left out."""
    return {k[2:]: v for k, v in form.items() if k.startswith("v_") and v.strip()}


def _date(form: dict[str, str], name: str, label: str) -> date:
    raw = form.get(name, "")
    parsed = parse_date(raw)
    if parsed is None:
        raise Invalid(f"{label} skal udfyldes som en dato (DD.MM.ÅÅÅÅ).", field=name)
    return check_window(parsed, what=label, field=name)


def _version(form: dict[str, str]) -> int | None:
    """The version the form was filled in from, None when the form has none."""
    text = form.get("version", "")
    return int(text) if text.isdigit() else None


def _versioned(form: dict[str, str], data: dict[str, Any]) -> dict[str, Any]:
    """An edit's data with the form's version; without one the schema answers that the version
    must be given (»Feltet »version« skal udfyldes.«)."""
    version = _version(form)
    return data if version is None else data | {"version": version}


def _errors(exc: DomainError) -> dict[str, str]:
    return {exc.field or "form": exc.message}


def _pick_scheme(
    session: SessionDep, access: Access, scheme: int | None
) -> tuple[list[RegistrationScheme], RegistrationScheme | None]:
    schemes = setup.list_schemes(session=session, project_id=access.project_id)
    chosen = next((s for s in schemes if s.id == scheme), schemes[0] if schemes else None)
    return schemes, chosen


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
        return RedirectResponse(
            f"/projects/{access.project_id}/participants/monitoring", status_code=303
        )
    schemes, chosen = _pick_scheme(session, access, scheme)
    paging = Page(number=page)
    records, total = ([], 0)
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
    return render(
        request,
        "participants/list.html",
        _base(
            session,
            access,
            schemes=schemes,
            scheme=chosen,
            records=records,
            status=status,
            code=code,
            paging=paging.with_total(total),
        ),
    )


# Follow-ups due ----------------------------------------------------------------------------


def _due_page(
    request: Request,
    access: Access,
    session: SessionDep,
    audited: AuditedSession,
    scheme: int | None,
) -> Response:
    schemes, chosen = _pick_scheme(session, access, scheme)
    items = []
    if chosen is not None:
        items = service.due_follow_ups(session=audited, by=access, scheme_id=chosen.id)
    return render(
        request,
        "participants/due.html",
        _base(session, access, schemes=schemes, scheme=chosen, items=items, errors={}, values={}),
    )


@router.get("/projects/{project_id}/participants/due")
def due_page(
    request: Request,
    access: Registrar,
    session: SessionDep,
    audited: AuditedSession,
    scheme: int | None = None,
) -> Response:
    return _due_page(request, access, session, audited, scheme)


@router.post("/projects/{project_id}/participants/{participant_id}/follow-ups")
def add_follow_up(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormData
) -> Response:
    """The quick form of the due list (htmx: the row leaves the list) and the detail page's."""
    from_due = form.get("from") == "due"
    try:
        data = validated(
            FollowUpCreate,
            {
                "follow_up_date": _date(form, "follow_up_date", "Opfølgningsdatoen"),
                "values": _values(form),
            },
        )
        service.add_follow_up(session=session, by=access, participant_id=participant_id, data=data)
    except DomainError as exc:
        if from_due and is_htmx(request):
            record = service.get_participant(
                session=session, by=access, participant_id=participant_id
            )
            due = record.next_follow_up_date or clock.today()
            item = service.DueItem(record, due, due < clock.today())
            return render(
                request,
                "participants/_due_row.html",
                _base(session, access, item=item, errors=_errors(exc), values=form, open=True),
                status_code=422,
            )
        return _detail(
            request,
            access,
            session,
            participant_id,
            status_code=422,
            follow_up_errors=_errors(exc),
            follow_up_values=form,
        )
    if from_due and is_htmx(request):
        # The row is swapped for nothing: the participant leaves the list at once.
        message = f"Opfølgningen for {form.get('code', '')} er gemt.".replace("  ", " ")
        return Response("", headers={"HX-Trigger": json.dumps({"flash": message})})
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/{participant_id}", status_code=303
    )


# Monitoring (everyone in the project) -------------------------------------------------------


def _link(
    session: SessionDep,
    access: Access,
    *,
    as_of: date,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
) -> dict[str, Any] | None:
    """The "Overfør til succesmål" form's data, or None for a role that may not measure."""
    if not access.has(Role.project_leader, Role.group_member):
        return None
    indicators = [
        i
        for i in risks.list_indicators(session, project_id=access.project_id)
        if access.can_edit_group(i.group_id)
    ]
    return {
        "indicators": indicators,
        "metrics": service.indicator_metrics(session=session, project_id=access.project_id),
        "filled": {"as_of": as_of.isoformat()} | (values or {}),
        "errors": errors or {},
        "message": message,
    }


def _monitoring(
    request: Request,
    access: Access,
    session: SessionDep,
    *,
    scheme: int | None,
    unit: str = "quarter",
    as_of: str = "",
    group: str = "",
    link: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    schemes, chosen = _pick_scheme(session, access, scheme)
    unit = unit if unit in ("quarter", "month") else "quarter"
    day = parse_date(as_of) if as_of else None
    if day is not None:
        check_window(day, what="Opgørelsesdatoen", field="as_of")
    context = _base(
        session,
        access,
        schemes=schemes,
        scheme=chosen,
        unit=unit,
        as_of=day or clock.today(),
        group=group,
        no_group=NO_GROUP,
    )
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
    context["link"] = link or _link(session, access, as_of=context["as_of"])
    return render(request, "participants/monitoring.html", context, status_code=status_code)


@router.get("/projects/{project_id}/participants/monitoring")
def monitoring_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    scheme: int | None = None,
    unit: str = "quarter",
    as_of: str = "",
    group: str = "",
) -> Response:
    return _monitoring(request, access, session, scheme=scheme, unit=unit, as_of=as_of, group=group)


@router.post("/projects/{project_id}/participants/monitoring/indicator")
def to_indicator(
    request: Request, access: GroupWorker, session: SessionDep, form: FormData
) -> Response:
    """Record a monitoring figure as a success measure's measurement ("Overfør til succesmål")."""
    scheme_id = int(form["scheme_id"]) if form.get("scheme_id", "").isdigit() else None
    try:
        raw_indicator = form.get("indicator_id", "")
        if not raw_indicator.isdigit():
            raise Invalid("Vælg et succesmål.", field="indicator_id")
        measurement, value = service.record_indicator_from_registrations(
            session=session,
            by=access,
            indicator_id=int(raw_indicator),
            metric=form.get("metric", ""),
            as_of=_date(form, "as_of", "Opgørelsesdatoen"),
            scheme_id=scheme_id,
        )
    except DomainError as exc:
        if exc.status_code != 422:
            raise  # a refusal (403/404) is answered as such, not as a form error
        day = parse_date(form.get("as_of", "")) or clock.today()
        link = _link(session, access, as_of=day, values=form, errors=_errors(exc))
        if is_htmx(request):
            context = _base(
                session, access, scheme=_pick_scheme(session, access, scheme_id)[1], link=link
            )
            return render(request, "participants/_to_indicator.html", context, status_code=422)
        return _monitoring(request, access, session, scheme=scheme_id, link=link, status_code=422)
    indicator = risks.get_indicator(
        session, project_id=access.project_id, indicator_id=measurement.indicator_id
    )
    message = (
        f"»{value.label}« pr. {format_date(measurement.measured_date)} ({value.shown}) er gemt "
        f"som måling på succesmålet »{indicator.name}«."
    )
    if is_htmx(request):
        link = _link(session, access, as_of=measurement.measured_date, values=form, message=message)
        context = _base(
            session, access, scheme=_pick_scheme(session, access, scheme_id)[1], link=link
        )
        return render(request, "participants/_to_indicator.html", context)
    query = f"as_of={measurement.measured_date.isoformat()}"
    if scheme_id is not None:
        query += f"&scheme={scheme_id}"
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/monitoring?{query}", status_code=303
    )


# Schemes and registrars ---------------------------------------------------------------------


def _schemes_page(
    request: Request,
    access: Access,
    session: SessionDep,
    *,
    scheme: int | None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
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
    errors = errors or {}
    return render(
        request,
        "participants/schemes.html",
        _base(
            session,
            access,
            schemes=schemes,
            scheme=chosen,
            registrars=registrars,
            hours_options=list(hours_options.values()),
            open_sections={key.split(".")[0] for key in errors},
            appointable=appointable,
            errors=errors or {},
            values=values or {},
            unit_labels=INTERVAL_UNIT_LABELS,
            field_types=list(FieldType),
        ),
        status_code=status_code,
    )


@router.get("/projects/{project_id}/participants/schemes")
def schemes_page(
    request: Request, access: ProjectAccess, session: SessionDep, scheme: int | None = None
) -> Response:
    return _schemes_page(request, access, session, scheme=scheme)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _key(label: str, taken: set[str]) -> str:
    """A field or outcome key made from its Danish label: »Timer pr. uge« → timer_pr_uge."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    key = "".join(c if c.isalnum() else "_" for c in label.lower().translate(table))
    key = "_".join(part for part in key.split("_") if part)[:36] or "felt"
    key = key if key[0].isalpha() else f"f_{key}"
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}_{n}", n + 1
    return candidate


@router.post("/projects/{project_id}/participants/schemes")
def create_scheme(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormData
) -> Response:
    names = _lines(form.get("outcomes", ""))
    taken: set[str] = set()
    outcome_defs = []
    for name in names:
        taken.add(key := _key(name, taken))
        outcome_defs.append({"key": key, "label": name})
    try:
        definition = SchemeDefinition.model_validate(
            {
                "name": form.get("name", "").strip(),
                "code_prefix": form.get("code_prefix", "").strip().upper() or "D",
                "grantor": form.get("grantor", "").strip(),
                "exit_outcomes": outcome_defs,
            }
        )
        scheme = setup.create_scheme(session=session, by=access, data=definition)
    except ValidationError as exc:
        error = dict(exc.errors()[0])
        field = error_field(error.get("loc", ())).split(".")[0]
        return _schemes_page(
            request,
            access,
            session,
            scheme=None,
            errors={f"new.{field}": danish_message(error)},
            values=form,
            status_code=422,
        )
    except DomainError as exc:
        return _schemes_page(
            request,
            access,
            session,
            scheme=None,
            errors={f"new.{exc.field or 'name'}": exc.message},
            values=form,
            status_code=exc.status_code,
        )
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/schemes?scheme={scheme.id}", status_code=303
    )


def _change_scheme(
    request: Request,
    access: Access,
    session: SessionDep,
    scheme_id: int,
    form: dict[str, str],
    change: dict[str, Any],
    error_prefix: str,
) -> Response:
    try:
        data = SchemeUpdate.model_validate(_versioned(form, change))
        setup.update_scheme(session=session, by=access, scheme_id=scheme_id, data=data)
    except ValidationError as exc:
        error = dict(exc.errors()[0])
        field = error_field(error.get("loc", ())).split(".")[0]
        return _schemes_page(
            request,
            access,
            session,
            scheme=scheme_id,
            errors={f"{error_prefix}.{field}": danish_message(error)},
            values=form,
            status_code=422,
        )
    except DomainError as exc:
        return _schemes_page(
            request,
            access,
            session,
            scheme=scheme_id,
            errors={f"{error_prefix}.{exc.field or 'form'}": exc.message},
            values=form,
            status_code=exc.status_code,
        )
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/schemes?scheme={scheme_id}", status_code=303
    )


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/settings")
def scheme_settings(
    request: Request, scheme_id: int, access: ProjectLeader, session: SessionDep, form: FormData
) -> Response:
    def number(name: str) -> Any:
        text = form.get(name, "").strip()
        return int(text) if text.isdigit() else (text or None)

    change = {
        "name": form.get("name", "").strip(),
        "description": form.get("description", "").strip(),
        "grantor": form.get("grantor", "").strip(),
        "code_prefix": form.get("code_prefix", "").strip().upper(),
        "period_start_date": form.get("period_start_date") or None,
        "period_end_date": form.get("period_end_date") or None,
        "follow_up_every": number("follow_up_every"),
        "follow_up_unit": form.get("follow_up_unit") or IntervalUnit.months,
        "on_time_days": number("on_time_days"),
        "retention_months": number("retention_months"),
        "target_groups": _lines(form.get("target_groups", "")),
        "hours_field": form.get("hours_field") or None,
        "hours_cap": number("hours_cap"),
    }
    return _change_scheme(request, access, session, scheme_id, form, change, "settings")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/fields")
def add_field(
    request: Request, scheme_id: int, access: ProjectLeader, session: SessionDep, form: FormData
) -> Response:
    scheme = setup.get_scheme(session=session, project_id=access.project_id, scheme_id=scheme_id)
    stage = form.get("stage", "")
    if stage not in {s.value for s in Stage}:
        return _schemes_page(
            request,
            access,
            session,
            scheme=scheme_id,
            errors={"field.stage": "Vælg hvornår feltet registreres."},
            values=form,
            status_code=422,
        )
    current = stage_fields(scheme)
    taken = {f.key for fields in current.values() for f in fields}
    label = form.get("label", "").strip()
    new: dict[str, Any] = {
        "key": _key(label, taken) if label else "",
        "label": label,
        "type": form.get("type", ""),
        "required": form.get("required") == "on",
        "help": form.get("help", "").strip(),
    }
    if form.get("type") == FieldType.choice:
        new["options"] = _lines(form.get("options", ""))
    attr = f"{stage}_fields"
    change = {attr: [*(f.model_dump() for f in current[Stage(stage)]), new]}
    return _change_scheme(request, access, session, scheme_id, form, change, "field")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/fields/{stage}/{key}/delete")
def remove_field(
    request: Request,
    scheme_id: int,
    stage: Stage,
    key: str,
    access: ProjectLeader,
    session: SessionDep,
    form: FormData,
) -> Response:
    scheme = setup.get_scheme(session=session, project_id=access.project_id, scheme_id=scheme_id)
    fields = [f.model_dump() for f in stage_fields(scheme)[stage] if f.key != key]
    change: dict[str, Any] = {f"{stage.value}_fields": fields}
    if scheme.hours_field == key and not any(
        f.key == key for s, fs in stage_fields(scheme).items() if s != stage for f in fs
    ):
        change["hours_field"] = None
    return _change_scheme(request, access, session, scheme_id, form, change, "field")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/outcomes")
def add_outcome(
    request: Request, scheme_id: int, access: ProjectLeader, session: SessionDep, form: FormData
) -> Response:
    scheme = setup.get_scheme(session=session, project_id=access.project_id, scheme_id=scheme_id)
    current = [o.model_dump() for o in outcomes(scheme)]
    label = form.get("label", "").strip()
    new = {
        "key": _key(label, {o["key"] for o in current}) if label else "",
        "label": label,
        "placement": form.get("placement") == "on",
    }
    change = {"exit_outcomes": [*current, new]}
    return _change_scheme(request, access, session, scheme_id, form, change, "outcome")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/outcomes/{key}/delete")
def remove_outcome(
    request: Request,
    scheme_id: int,
    key: str,
    access: ProjectLeader,
    session: SessionDep,
    form: FormData,
) -> Response:
    scheme = setup.get_scheme(session=session, project_id=access.project_id, scheme_id=scheme_id)
    change = {"exit_outcomes": [o.model_dump() for o in outcomes(scheme) if o.key != key]}
    return _change_scheme(request, access, session, scheme_id, form, change, "outcome")


@router.post("/projects/{project_id}/participants/schemes/{scheme_id}/delete")
def delete_scheme(
    request: Request, scheme_id: int, access: ProjectLeader, session: SessionDep
) -> Response:
    try:
        setup.delete_scheme(session=session, by=access, scheme_id=scheme_id)
    except DomainError as exc:
        return _schemes_page(
            request,
            access,
            session,
            scheme=scheme_id,
            errors={"delete.form": exc.message},
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/projects/{access.project_id}/participants/schemes", status_code=303)


@router.post("/projects/{project_id}/participants/registrars")
def appoint(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormData
) -> Response:
    try:
        setup.appoint_registrar(session=session, by=access, user_id=int(form.get("user_id") or 0))
    except DomainError as exc:
        return _schemes_page(
            request,
            access,
            session,
            scheme=None,
            errors={"registrar.user_id": exc.message},
            status_code=exc.status_code,
        )
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/schemes#registranter", status_code=303
    )


@router.post("/projects/{project_id}/participants/registrars/{user_id}/remove")
def remove_registrar(user_id: int, access: ProjectLeader, session: SessionDep) -> Response:
    setup.remove_registrar(session=session, by=access, user_id=user_id)
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/schemes#registranter", status_code=303
    )


# New participant, detail, edit, exit ---------------------------------------------------------


def _new_page(
    request: Request,
    access: Access,
    session: SessionDep,
    scheme: int | None,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    schemes, chosen = _pick_scheme(session, access, scheme)
    next_code = service.next_code(session=session, scheme=chosen) if chosen else ""
    return render(
        request,
        "participants/new.html",
        _base(
            session,
            access,
            schemes=schemes,
            scheme=chosen,
            next_code=next_code,
            errors=errors or {},
            values=values or {},
        ),
        status_code=status_code,
    )


@router.get("/projects/{project_id}/participants/new")
def new_page(
    request: Request, access: Registrar, session: SessionDep, scheme: int | None = None
) -> Response:
    return _new_page(request, access, session, scheme)


@router.post("/projects/{project_id}/participants/new")
def create_participant(
    request: Request, access: Registrar, session: SessionDep, form: FormData
) -> Response:
    chosen = form.get("scheme_id", "")
    scheme_id = int(chosen) if chosen.isascii() and chosen.isdigit() else 0
    try:
        data = validated(
            ParticipantCreate,
            {
                "scheme_id": scheme_id,
                "code": form.get("code") or None,
                "target_group": form.get("target_group") or None,
                "start_date": _date(form, "start_date", "Startdatoen"),
                "start_values": _values(form),
            },
        )
        participant = service.register_participant(session=session, by=access, data=data)
    except DomainError as exc:
        return _new_page(
            request,
            access,
            session,
            scheme_id,
            errors=_errors(exc),
            values=form,
            status_code=exc.status_code,
        )
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/{participant.id}", status_code=303
    )


def _detail(
    request: Request,
    access: Access,
    session: SessionDep,
    participant_id: int,
    *,
    status_code: int = 200,
    audited: Any = None,
    **extra: Any,
) -> Response:
    # GET pages read through a writer's session (the read is audited); POST sessions write.
    record = service.get_participant(
        session=audited or session, by=access, participant_id=participant_id
    )
    context = {
        "record": record,
        "follow_up_errors": {},
        "follow_up_values": {},
        "exit_errors": {},
        "exit_values": {},
    } | extra
    return render(
        request,
        "participants/detail.html",
        _base(session, access, **context),
        status_code=status_code,
    )


@router.get("/projects/{project_id}/participants/{participant_id}")
def detail_page(
    request: Request,
    participant_id: int,
    access: Registrar,
    session: SessionDep,
    audited: AuditedSession,
) -> Response:
    return _detail(request, access, session, participant_id, audited=audited)


@router.post("/projects/{project_id}/participants/{participant_id}/exit")
def record_exit(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormData
) -> Response:
    try:
        data = validated(
            ExitCreate,
            _versioned(
                form,
                {
                    "exit_date": _date(form, "exit_date", "Afslutningsdatoen"),
                    "outcome": form.get("outcome") or "-",
                    "values": _values(form),
                },
            ),
        )
        service.record_exit(session=session, by=access, participant_id=participant_id, data=data)
    except DomainError as exc:
        return _detail(
            request,
            access,
            session,
            participant_id,
            status_code=exc.status_code,
            exit_errors=_errors(exc),
            exit_values=form,
        )
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/{participant_id}", status_code=303
    )


@router.post("/projects/{project_id}/participants/{participant_id}/reopen")
def reopen(participant_id: int, access: Registrar, session: SessionDep, form: FormData) -> Response:
    service.reopen(
        session=session, by=access, participant_id=participant_id, version=_version(form)
    )
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/{participant_id}", status_code=303
    )


@router.post(
    "/projects/{project_id}/participants/{participant_id}/follow-ups/{follow_up_id}/delete"
)
def delete_follow_up(
    participant_id: int, follow_up_id: int, access: Registrar, session: SessionDep
) -> Response:
    service.delete_follow_up(
        session=session, by=access, participant_id=participant_id, follow_up_id=follow_up_id
    )
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/{participant_id}", status_code=303
    )


@router.post("/projects/{project_id}/participants/{participant_id}/delete")
def delete_participant(participant_id: int, access: Registrar, session: SessionDep) -> Response:
    service.delete_participant(session=session, by=access, participant_id=participant_id)
    return RedirectResponse(f"/projects/{access.project_id}/participants", status_code=303)


@router.post("/projects/{project_id}/participants/{participant_id}/edit")
def edit_participant(
    request: Request, participant_id: int, access: Registrar, session: SessionDep, form: FormData
) -> Response:
    try:
        data = validated(
            ParticipantUpdate,
            _versioned(
                form,
                {
                    "code": form.get("code", ""),
                    "target_group": form.get("target_group") or None,
                    "start_date": _date(form, "start_date", "Startdatoen"),
                    "start_values": _values(form),
                },
            ),
        )
        service.update_participant(
            session=session, by=access, participant_id=participant_id, data=data
        )
    except DomainError as exc:
        return _detail(
            request,
            access,
            session,
            participant_id,
            status_code=exc.status_code,
            edit_errors=_errors(exc),
            edit_values=form,
            editing=True,
        )
    return RedirectResponse(
        f"/projects/{access.project_id}/participants/{participant_id}", status_code=303
    )
