"""Pages of the participants' setup: the registration schemes (shown to everyone in the project,
changed by the project leader, one form per part) and the registrars the leader appoints.

A field or outcome added here gets its key made from its Danish label by the scheme's rule
(`schemes.key_from_label`), the same key an API caller who sends none gets.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.auth.service import Access
from app.deps import ProjectAccess, ProjectLeader, SessionDep
from app.errors import Invalid
from app.participants import setup, shared_views
from app.participants.models import INTERVAL_UNIT_LABELS, RegistrationScheme
from app.participants.schemas import RegistrarCreate, SchemeUpdate
from app.participants.schemes import (
    FieldDef,
    FieldType,
    OutcomeDef,
    SchemeDefinition,
    Stage,
    field_keys,
    key_from_label,
    outcome_keys,
    outcomes,
    stage_fields,
)
from app.web import forms
from app.web.forms import FormDep, Outcome
from app.web.templating import render

router = APIRouter()


def _scheme(session: SessionDep, access: Access, scheme_id: int) -> RegistrationScheme:
    return setup.get_scheme(session=session, project_id=access.project_id, scheme_id=scheme_id)


def _context(session: SessionDep, access: Access, scheme: int | None) -> dict[str, Any]:
    page = setup.setup_page(session=session, access=access, scheme_id=scheme)
    context = shared_views.base(
        session, access, schemes=page.schemes, scheme=page.scheme, registrars=page.registrars
    )
    context |= {"appointable": page.appointable, "hours_options": page.hours_options}
    return context | {"unit_labels": INTERVAL_UNIT_LABELS, "field_types": list(FieldType)}


@router.get("/projects/{project_id}/participants/schemes")
def schemes_page(
    request: Request, access: ProjectAccess, session: SessionDep, scheme: int | None = None
) -> Response:
    return render(request, "participants/schemes.html", _context(session, access, scheme))


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
    context = _context(session, access, scheme_id) | {"at": at} | outcome.context(form)
    return forms.refused(request, "participants/schemes.html", context, outcome)


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _save_scheme(
    session: SessionDep, access: Access, scheme_id: int, form: FormData, **change: Any
) -> None:
    """Change a scheme on the copy the form names in its version."""
    data = forms.read(SchemeUpdate, form, version=shared_views.version(form), **change)
    setup.update_scheme(session=session, by=access, scheme_id=scheme_id, data=data)


@router.post("/projects/{project_id}/participants/schemes")
def create_scheme(
    request: Request, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    # The outcomes' keys are made from their labels by the scheme (schemes.with_keys).
    outcome_defs = [{"label": name} for name in _lines(form.get("outcomes"))]
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
        key = key_from_label(form.get("label"), field_keys(scheme))
        options = _lines(form.get("options")) if form.get("type") == FieldType.choice else []
        new = forms.read(FieldDef, form, key=key, options=options)
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
        key = key_from_label(form.get("label"), outcome_keys(scheme))
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
        setup.delete_scheme(
            session=session, by=access, scheme_id=scheme_id, version=shared_views.version(form)
        )
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
