"""Pages of the stakeholder analysis (grid and table), a stakeholder's page with its history
and communication actions, the communication plan, and the external activities."""

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from app import clock
from app.auth.service import Access
from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.errors import Conflict, Invalid, danish_message
from app.governance.service import get_project, implementation_groups
from app.stakeholders import charts, rules, service
from app.stakeholders.models import (
    ACTIVITY_KIND_LABELS,
    ATTITUDE_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    QUADRANT_NAMES,
    STRATEGY_LABELS,
    Strategy,
)
from app.stakeholders.schemas import (
    ActionCreate,
    ActionUpdate,
    ActivityCreate,
    ActivityUpdate,
    StakeholderCreate,
    StakeholderUpdate,
)
from app.web.charts import page_json
from app.web.forms import form_version
from app.web.templating import is_htmx, render

router = APIRouter()
Schema = TypeVar("Schema", bound=BaseModel)

LABELS = {
    "attitude": ATTITUDE_LABELS,
    "strategy": STRATEGY_LABELS,
    "quadrant": QUADRANT_NAMES,
    "kind": KIND_LABELS,
    "channel": CHANNEL_LABELS,
    "activity_kind": ACTIVITY_KIND_LABELS,
}
QUADRANT_ORDER = [
    Strategy.manage_closely,
    Strategy.keep_satisfied,
    Strategy.keep_informed,
    Strategy.monitor,
]


# ---------------------------------------------------------------- forms


async def _form_fields(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {key: [str(v) for v in form.getlist(key)] for key in form if key != "csrf_token"}


FormFields = Annotated[dict[str, list[str]], Depends(_form_fields)]


def _parse(
    schema: type[Schema],
    fields: dict[str, list[str]],
    *,
    lists: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
) -> tuple[Schema | None, dict[str, str]]:
    """The form as a validated schema, or the Danish error of each field. Empty inputs of
    optional fields mean 'none'."""
    data: dict[str, Any] = {}
    for key, values in fields.items():
        info = schema.model_fields.get(key)
        if info is None:
            continue
        if key in lists:
            data[key] = [v for v in values if v.strip()]
            continue
        value = values[-1].strip() if values else ""
        if value == "" and info.is_required():
            continue  # reported as "skal udfyldes"
        optional = not info.is_required() and info.default is None
        data[key] = None if value == "" and optional else value
    data |= extra or {}
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            errors.setdefault(field, danish_message(dict(error)))
        return None, errors


def _values(fields: dict[str, list[str]]) -> dict[str, Any]:
    """What the user typed, to fill the form again after an error."""
    return {
        key: (values if len(values) > 1 else (values[0] if values else ""))
        for key, values in fields.items()
    }


def _done(request: Request, url: str) -> Response:
    """After a successful form: htmx follows HX-Redirect, a plain form a 303."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _error_fields(exc: Invalid | Conflict) -> dict[str, str]:
    return {exc.field or "form": exc.message}


SCALE = [
    (1, "1 – meget lav"),
    (2, "2 – lav"),
    (3, "3 – middel"),
    (4, "4 – høj"),
    (5, "5 – meget høj"),
]


def _choices(session: SessionDep, access: Access) -> dict[str, Any]:
    """Lists and the options of the forms' select fields, as (value, text) pairs."""
    project_id = access.project_id
    groups = implementation_groups(session, project_id=project_id)
    areas = service.director_areas(session, project_id=project_id)
    people = service.people(session, project_id=project_id)
    editable = [g for g in groups if access.can_edit_group(g.id)]
    return {
        "groups": groups,
        "areas": areas,
        "people": people,
        "editable_groups": editable,
        "labels": LABELS,
        "today": clock.today(),
        "options": {
            "areas": [(a.id, a.name) for a in areas],
            "groups": [(g.id, g.name) for g in groups],
            "editable_groups": [(g.id, g.name) for g in editable],
            "people": [(p.id, f"{p.name}, {p.title}" if p.title else p.name) for p in people],
            "scale": SCALE,
            **{
                key: [(k.value, text) for k, text in labels.items()]
                for key, labels in LABELS.items()
                if key != "quadrant"
            },
        },
    }


# ---------------------------------------------------------------- stakeholders


def _index_context(session: SessionDep, access: Access) -> dict[str, Any]:
    project_id = access.project_id
    stakeholders = service.list_stakeholders(session, project_id=project_id)
    history = service.histories(session, project_id=project_id)
    figure = charts.stakeholder_grid(stakeholders, history)
    choices = _choices(session, access)
    groups = {g.id: g.name for g in choices["groups"]}
    areas = {a.id: a.name for a in choices["areas"]}
    rows = [
        {
            "s": s,
            "strategy": rules.strategy_of(s),
            "quadrant": rules.quadrant(influence=s.influence, interest=s.interest),
            "group": groups.get(s.group_id, ""),
            "belongs_to": areas.get(s.director_area_id, "") or s.organisation,
        }
        for s in stakeholders
    ]
    return {
        "project": get_project(session, project_id=project_id),
        "access": access,
        "rows": rows,
        "figure_json": page_json(figure),
        "moves": service.moves(session, project_id=project_id)[:15],
        "quadrants": QUADRANT_ORDER,
        "high_from": rules.HIGH_FROM,
        **choices,
    }


@router.get("/projects/{project_id}/stakeholders")
def stakeholders_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    context = _index_context(session, access)
    context |= {
        "values": {"kind": "external", "attitude": "neutral", "influence": "3", "interest": "3"},
        "errors": {},
    }
    return render(request, "stakeholders/index.html", context)


@router.post("/projects/{project_id}/stakeholders")
def create_stakeholder(
    request: Request, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    data, errors = _parse(StakeholderCreate, fields)
    if data is not None:
        try:
            stakeholder = service.create_stakeholder(session=session, by=access, data=data)
            return _done(request, f"/projects/{access.project_id}/stakeholders/{stakeholder.id}")
        except Invalid as exc:
            errors = _error_fields(exc)
    context = _index_context(session, access) | {"values": _values(fields), "errors": errors}
    name = "stakeholders/_stakeholder_form.html" if is_htmx(request) else "stakeholders/index.html"
    return render(request, name, context | {"mode": "create"}, status_code=422)


def _detail_context(session: SessionDep, access: Access, stakeholder_id: int) -> dict[str, Any]:
    project_id = access.project_id
    s = service.get_stakeholder(session, project_id=project_id, stakeholder_id=stakeholder_id)
    choices = _choices(session, access)
    history = service.position_history(session, stakeholder_id=stakeholder_id)
    actions = service.communication_actions(
        session, project_id=project_id, stakeholder_id=stakeholder_id
    )
    area = next((a.name for a in choices["areas"] if a.id == s.director_area_id), "")
    return {
        "project": get_project(session, project_id=project_id),
        "access": access,
        "s": s,
        "strategy": rules.strategy_of(s),
        "quadrant": rules.quadrant(influence=s.influence, interest=s.interest),
        "group_name": next((g.name for g in choices["groups"] if g.id == s.group_id), ""),
        "area_name": area,
        "history": list(reversed(history)),
        "actions": actions,
        "editable_actions": {
            a.action.id
            for a in actions
            if access.can_edit_group(s.group_id) or access.can_edit_group(a.action.group_id)
        },
        "can_edit": access.can_edit_group(s.group_id),
        "can_plan": access.can_edit_group(s.group_id) or bool(access.group_ids),
        "values": s.model_dump(mode="json") | {"assessed_date": ""},
        "errors": {},
        "action_values": {"group_id": s.group_id, "channel": "meeting"},
        "action_errors": {},
        **choices,
    }


@router.get("/projects/{project_id}/stakeholders/{stakeholder_id}")
def stakeholder_page(
    request: Request, stakeholder_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(
        request, "stakeholders/detail.html", _detail_context(session, access, stakeholder_id)
    )


@router.post("/projects/{project_id}/stakeholders/{stakeholder_id}")
def update_stakeholder(
    request: Request,
    stakeholder_id: int,
    access: GroupWorker,
    session: SessionDep,
    fields: FormFields,
) -> Response:
    data, errors = _parse(StakeholderUpdate, fields)
    status = 422
    if data is not None:
        try:
            service.update_stakeholder(
                session=session, by=access, stakeholder_id=stakeholder_id, data=data
            )
            return _done(request, f"/projects/{access.project_id}/stakeholders/{stakeholder_id}")
        except (Invalid, Conflict) as exc:
            status = exc.status_code
            errors = _error_fields(exc)
    context = _detail_context(session, access, stakeholder_id)
    context |= {"values": _values(fields), "errors": errors, "mode": "edit"}
    name = "stakeholders/_stakeholder_form.html" if is_htmx(request) else "stakeholders/detail.html"
    return render(request, name, context, status_code=status)


@router.post("/projects/{project_id}/stakeholders/{stakeholder_id}/delete")
def delete_stakeholder(
    request: Request,
    stakeholder_id: int,
    access: GroupWorker,
    session: SessionDep,
    fields: FormFields,
) -> Response:
    service.delete_stakeholder(
        session=session,
        by=access,
        stakeholder_id=stakeholder_id,
        version=form_version(fields.get("version")),
    )
    return _done(request, f"/projects/{access.project_id}/stakeholders")


# ---------------------------------------------------------------- communication actions


@router.post("/projects/{project_id}/stakeholders/{stakeholder_id}/actions")
def create_action(
    request: Request,
    stakeholder_id: int,
    access: GroupWorker,
    session: SessionDep,
    fields: FormFields,
) -> Response:
    data, errors = _parse(ActionCreate, fields)
    status = 422
    if data is not None:
        try:
            service.create_action(
                session=session, by=access, stakeholder_id=stakeholder_id, data=data
            )
            if not is_htmx(request):
                return _done(
                    request, f"/projects/{access.project_id}/stakeholders/{stakeholder_id}"
                )
            status = 200
            errors = {}
        except Invalid as exc:
            errors = _error_fields(exc)
    context = _detail_context(session, access, stakeholder_id)
    if errors:
        context |= {"action_values": _values(fields), "action_errors": errors}
    name = "stakeholders/_actions.html" if is_htmx(request) else "stakeholders/detail.html"
    headers = {"HX-Trigger": "communication_action.created"} if status == 200 else None
    return render(request, name, context, status_code=status, headers=headers)


def _action_row(
    request: Request,
    session: SessionDep,
    access: Access,
    action_id: int,
    plan: bool,
    *,
    status_code: int = 200,
    error: str = "",
    editing: bool = False,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    """One row of a communication plan, as shown or (editing) as an inline form."""
    view = service.action_view(session, project_id=access.project_id, action_id=action_id)
    stakeholder = service.get_stakeholder(
        session, project_id=access.project_id, stakeholder_id=view.action.stakeholder_id
    )
    can_edit = access.can_edit_group(stakeholder.group_id) or access.can_edit_group(
        view.action.group_id
    )
    context = _choices(session, access) | {
        "a": view,
        "plan": plan,
        "can_edit": can_edit,
        "project": get_project(session, project_id=access.project_id),
        "row_error": error,
        "action_values": values or view.action.model_dump(mode="json"),
        "action_errors": errors or {},
    }
    name = "stakeholders/_action_edit_row.html" if editing else "stakeholders/_action_row.html"
    return render(request, name, context, status_code=status_code)


def _plan_context(fields: dict[str, list[str]]) -> bool:
    return (fields.get("context") or [""])[-1] == "plan"


@router.get("/projects/{project_id}/communication-actions/{action_id}/row")
def action_row(
    request: Request,
    action_id: int,
    access: ProjectAccess,
    session: SessionDep,
    context: str = "",
    edit: bool = False,
) -> Response:
    """The row of an action (edit=true: as an inline form; without: to cancel editing)."""
    return _action_row(request, session, access, action_id, context == "plan", editing=edit)


@router.post("/projects/{project_id}/communication-actions/{action_id}")
def update_action(
    request: Request, action_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    """Save an inline-edited action; errors come back in the form row with 422."""
    plan = _plan_context(fields)
    data, errors = _parse(ActionUpdate, {k: v for k, v in fields.items() if k != "context"})
    status = 422
    if data is not None:
        try:
            service.update_action(session=session, by=access, action_id=action_id, data=data)
            if not is_htmx(request):
                return _done(request, _action_back(access, session, action_id, plan))
            response = _action_row(request, session, access, action_id, plan)
            response.headers["HX-Trigger"] = "communication_action.updated"
            return response
        except (Invalid, Conflict) as exc:
            status = exc.status_code
            errors = _error_fields(exc)
    return _action_row(
        request,
        session,
        access,
        action_id,
        plan,
        status_code=status,
        editing=True,
        values=_values(fields),
        errors=errors,
    )


def _action_back(access: Access, session: SessionDep, action_id: int, plan: bool) -> str:
    if plan:
        return f"/projects/{access.project_id}/communication"
    view = service.action_view(session, project_id=access.project_id, action_id=action_id)
    return f"/projects/{access.project_id}/stakeholders/{view.action.stakeholder_id}"


@router.post("/projects/{project_id}/communication-actions/{action_id}/done")
def mark_action(
    request: Request, action_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    """Mark an action done or not done (inline, the row is swapped)."""
    plan = _plan_context(fields)
    data, errors = _parse(
        ActionUpdate, {k: v for k, v in fields.items() if k in ("done", "version")}
    )
    if data is None:
        return _action_row(
            request,
            session,
            access,
            action_id,
            plan,
            status_code=422,
            error=" ".join(errors.values()),
        )
    try:
        service.update_action(session=session, by=access, action_id=action_id, data=data)
    except (Invalid, Conflict) as exc:
        return _action_row(
            request,
            session,
            access,
            action_id,
            plan,
            status_code=exc.status_code,
            error=exc.message,
        )
    if not is_htmx(request):
        return _done(request, _action_back(access, session, action_id, plan))
    response = _action_row(request, session, access, action_id, plan)
    response.headers["HX-Trigger"] = "communication_action.updated"
    return response


@router.post("/projects/{project_id}/communication-actions/{action_id}/delete")
def delete_action(
    request: Request, action_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    view = service.action_view(session, project_id=access.project_id, action_id=action_id)
    service.delete_action(
        session=session,
        by=access,
        action_id=action_id,
        version=form_version(fields.get("version")),
    )
    if is_htmx(request):
        return Response(status_code=200, content="")
    return _done(
        request, f"/projects/{access.project_id}/stakeholders/{view.action.stakeholder_id}"
    )


@router.get("/projects/{project_id}/communication")
def communication_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    group_id: str = "",
    status: str = "",
) -> Response:
    groups = implementation_groups(session, project_id=access.project_id)
    group = int(group_id) if group_id.isdigit() else None
    done = {"open": False, "done": True}.get(status)
    actions = service.communication_actions(
        session, project_id=access.project_id, group_id=group, done=done
    )
    stakeholders = {
        s.id: s for s in service.list_stakeholders(session, project_id=access.project_id)
    }
    editable = {
        v.action.id
        for v in actions
        if access.can_edit_group(v.action.group_id)
        or access.can_edit_group(stakeholders[v.action.stakeholder_id].group_id)
    }
    return render(
        request,
        "stakeholders/communication.html",
        {
            "project": get_project(session, project_id=access.project_id),
            "access": access,
            "actions": actions,
            "groups": groups,
            "group_id": group,
            "status": status,
            "editable": editable,
            "labels": LABELS,
            "today": clock.today(),
        },
    )


# ---------------------------------------------------------------- external activities


def _activities_context(session: SessionDep, access: Access) -> dict[str, Any]:
    choices = _choices(session, access)
    activities = service.list_activities(session, project_id=access.project_id)
    return {
        "project": get_project(session, project_id=access.project_id),
        "access": access,
        "activities": activities,
        "editable": {
            v.activity.id for v in activities if access.can_edit_group(v.activity.group_id)
        },
        "values": {"kind": "meeting"},
        "errors": {},
        **choices,
    }


@router.get("/projects/{project_id}/activities")
def activities_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    return render(request, "stakeholders/activities.html", _activities_context(session, access))


@router.post("/projects/{project_id}/activities")
def create_activity(
    request: Request, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    data, errors = _parse(ActivityCreate, fields, lists=("delegate_ids",))
    if data is not None:
        try:
            activity = service.create_activity(session=session, by=access, data=data)
            return _done(request, f"/projects/{access.project_id}/activities/{activity.id}")
        except Invalid as exc:
            errors = _error_fields(exc)
    context = _activities_context(session, access) | {
        "values": _values(fields),
        "errors": errors,
        "mode": "create",
    }
    name = (
        "stakeholders/_activity_form.html" if is_htmx(request) else "stakeholders/activities.html"
    )
    return render(request, name, context, status_code=422)


def _activity_context(session: SessionDep, access: Access, activity_id: int) -> dict[str, Any]:
    view = service.get_activity(session, project_id=access.project_id, activity_id=activity_id)
    choices = _choices(session, access)
    return {
        "project": get_project(session, project_id=access.project_id),
        "access": access,
        "v": view,
        "can_edit": access.can_edit_group(view.activity.group_id),
        "values": view.activity.model_dump(mode="json"),
        "errors": {},
        "delegate_error": "",
        **choices,
    }


@router.get("/projects/{project_id}/activities/{activity_id}")
def activity_page(
    request: Request, activity_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(
        request, "stakeholders/activity.html", _activity_context(session, access, activity_id)
    )


@router.post("/projects/{project_id}/activities/{activity_id}")
def update_activity(
    request: Request, activity_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    data, errors = _parse(ActivityUpdate, fields)
    status = 422
    if data is not None:
        try:
            service.update_activity(session=session, by=access, activity_id=activity_id, data=data)
            return _done(request, f"/projects/{access.project_id}/activities/{activity_id}")
        except (Invalid, Conflict) as exc:
            status = exc.status_code
            errors = _error_fields(exc)
    context = _activity_context(session, access, activity_id)
    context |= {"values": _values(fields), "errors": errors, "mode": "edit"}
    name = "stakeholders/_activity_form.html" if is_htmx(request) else "stakeholders/activity.html"
    return render(request, name, context, status_code=status)


def _delegates(
    request: Request,
    session: SessionDep,
    access: Access,
    activity_id: int,
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    context = _activity_context(session, access, activity_id) | {"delegate_error": error}
    name = "stakeholders/_delegates.html" if is_htmx(request) else "stakeholders/activity.html"
    return render(request, name, context, status_code=status_code)


@router.post("/projects/{project_id}/activities/{activity_id}/delegates")
def add_delegate(
    request: Request, activity_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    """Name a delegate; over the limit the partial comes back with the Danish message."""
    person = (fields.get("person_id") or [""])[-1]
    if not (person.isascii() and person.isdigit()):
        return _delegates(
            request,
            session,
            access,
            activity_id,
            status_code=422,
            error="Vælg den person, der skal deltage.",
        )
    try:
        service.add_delegate(
            session=session,
            by=access,
            activity_id=activity_id,
            person_id=int(person),
            version=form_version(fields.get("version")),
        )
    except (Invalid, Conflict) as exc:
        return _delegates(
            request, session, access, activity_id, error=exc.message, status_code=exc.status_code
        )
    if not is_htmx(request):
        return _done(request, f"/projects/{access.project_id}/activities/{activity_id}")
    return _delegates(request, session, access, activity_id)


@router.post("/projects/{project_id}/activities/{activity_id}/delegates/{person_id}/remove")
def remove_delegate(
    request: Request,
    activity_id: int,
    person_id: int,
    access: GroupWorker,
    session: SessionDep,
    fields: FormFields,
) -> Response:
    try:
        service.remove_delegate(
            session=session,
            by=access,
            activity_id=activity_id,
            person_id=person_id,
            version=form_version(fields.get("version")),
        )
    except (Invalid, Conflict) as exc:
        return _delegates(
            request, session, access, activity_id, error=exc.message, status_code=exc.status_code
        )
    if not is_htmx(request):
        return _done(request, f"/projects/{access.project_id}/activities/{activity_id}")
    return _delegates(request, session, access, activity_id)


@router.post("/projects/{project_id}/activities/{activity_id}/delete")
def delete_activity(
    request: Request, activity_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    service.delete_activity(
        session=session,
        by=access,
        activity_id=activity_id,
        version=form_version(fields.get("version")),
    )
    return _done(request, f"/projects/{access.project_id}/activities")
