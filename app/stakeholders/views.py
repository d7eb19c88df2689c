"""Pages of the stakeholder analysis (grid and table), a stakeholder's page with its history
and communication actions, the communication plan, and the external activities."""

from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.datastructures import FormData

from app import clock
from app.auth.service import Access
from app.charts import page_json
from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.errors import Invalid
from app.governance.bodies import implementation_groups
from app.governance.projects import get_project
from app.stakeholders import activities, charts, communication, reads, rules, service
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
    DelegateAdd,
    StakeholderCreate,
    StakeholderUpdate,
)
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import is_htmx, render

router = APIRouter()
M = TypeVar("M", bound=BaseModel)

LABELS: dict[str, dict[Any, str]] = {
    "attitude": ATTITUDE_LABELS,
    "strategy": STRATEGY_LABELS,
    "quadrant": QUADRANT_NAMES,
    "kind": KIND_LABELS,
    "channel": CHANNEL_LABELS,
    "activity_kind": ACTIVITY_KIND_LABELS,
}
SCALE = list(enumerate(("1 – meget lav", "2 – lav", "3 – middel", "4 – høj", "5 – meget høj"), 1))
# The pages, and the partials their forms swap under htmx.
INDEX = "stakeholders/index.html"
DETAIL = "stakeholders/detail.html"
STAKEHOLDER_FORM = "stakeholders/_stakeholder_form.html"
ACTIONS = "stakeholders/_actions.html"
ACTION_ROW = "stakeholders/_action_row.html"
ACTION_EDIT_ROW = "stakeholders/_action_edit_row.html"
ACTIVITIES = "stakeholders/activities.html"
ACTIVITY = "stakeholders/activity.html"
ACTIVITY_FORM = "stakeholders/_activity_form.html"
DELEGATES = "stakeholders/_delegates.html"


def _choices(session: SessionDep, access: Access) -> dict[str, Any]:
    """Lists and the options of the forms' select fields, as (value, text) pairs."""
    project_id = access.project_id
    groups = implementation_groups(session=session, project_id=project_id)
    areas = service.director_areas(session=session, project_id=project_id)
    people = service.people(session=session, project_id=project_id)
    editable = [g for g in groups if access.can_edit_group(g.id)]
    return {
        "project": get_project(session=session, project_id=project_id),
        "access": access,
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
    found = reads.analysis(session=session, project_id=access.project_id)
    return _choices(session, access) | {
        "rows": found.lines,
        "figure_json": page_json(charts.stakeholder_grid(found.stakeholders, found.histories)),
        "moves": found.moves[:15],
        "quadrants": list(Strategy),  # manage closely, keep satisfied, keep informed, monitor
        "high_from": rules.HIGH_FROM,
        "values": {"kind": "external", "attitude": "neutral", "influence": "3", "interest": "3"},
        "errors": {},
        "mode": "create",
    }


@router.get("/projects/{project_id}/stakeholders")
def stakeholders_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    return render(request, INDEX, _index_context(session, access))


@router.post("/projects/{project_id}/stakeholders")
def create_stakeholder(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(StakeholderCreate, form)
        stakeholder = service.create_stakeholder(session=session, by=access, data=data)
    if outcome.failed:
        context = _index_context(session, access) | outcome.context(form)
        return forms.refused(request, INDEX, context, outcome, partial=STAKEHOLDER_FORM)
    url = f"/projects/{access.project_id}/stakeholders/{stakeholder.id}"
    return forms.done(request, url, "Interessenten er oprettet.")


def _detail_context(session: SessionDep, access: Access, stakeholder_id: int) -> dict[str, Any]:
    page = reads.stakeholder_page(session=session, by=access, stakeholder_id=stakeholder_id)
    s = page.line.stakeholder
    return _choices(session, access) | {
        "s": s,
        "strategy": page.line.strategy,
        "quadrant": page.line.quadrant,
        "group_name": page.line.group,
        "belongs_to": page.line.belongs_to,
        "history": list(reversed(page.history)),
        "actions": page.actions,
        "editable_actions": page.editable_actions,
        "can_edit": access.can_edit_group(s.group_id),
        "can_plan": access.can_edit_group(s.group_id) or bool(access.group_ids),
        "values": s.model_dump(mode="json") | {"assessed_date": ""},
        "errors": {},
        "mode": "edit",
        "action_values": {"group_id": s.group_id, "channel": "meeting"},
        "action_errors": {},
    }


@router.get("/projects/{project_id}/stakeholders/{stakeholder_id}")
def stakeholder_page(
    request: Request, stakeholder_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, DETAIL, _detail_context(session, access, stakeholder_id))


@router.post("/projects/{project_id}/stakeholders/{stakeholder_id}")
def update_stakeholder(
    request: Request, stakeholder_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(StakeholderUpdate, form)
        service.update_stakeholder(
            session=session, by=access, stakeholder_id=stakeholder_id, data=data
        )
    if outcome.failed:
        context = _detail_context(session, access, stakeholder_id) | outcome.context(form)
        return forms.refused(request, DETAIL, context, outcome, partial=STAKEHOLDER_FORM)
    url = f"/projects/{access.project_id}/stakeholders/{stakeholder_id}"
    return forms.done(request, url, "Interessenten er gemt.")


@router.post("/projects/{project_id}/stakeholders/{stakeholder_id}/delete")
def delete_stakeholder(
    request: Request, stakeholder_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    version = forms.form_version(form.getlist("version"))
    service.delete_stakeholder(
        session=session, by=access, stakeholder_id=stakeholder_id, version=version
    )
    url = f"/projects/{access.project_id}/stakeholders"
    return forms.done(request, url, "Interessenten er slettet.")


# ---------------------------------------------------------------- communication actions


@router.post("/projects/{project_id}/stakeholders/{stakeholder_id}/actions")
def create_action(
    request: Request, stakeholder_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(ActionCreate, form)
        communication.create_action(
            session=session, by=access, stakeholder_id=stakeholder_id, data=data
        )
    context = _detail_context(session, access, stakeholder_id)
    if outcome.failed:
        # The page's second form: its messages under action_*, so the edit form stays closed.
        context |= {"action_values": dict(form), "action_errors": outcome.errors}
        name = ACTIONS if is_htmx(request) else DETAIL
        return render(request, name, context, status_code=outcome.status_code)
    url = f"/projects/{access.project_id}/stakeholders/{stakeholder_id}#stakeholder-actions"
    message, event = "Aktiviteten er planlagt.", "communication_action.created"
    return forms.done(request, url, message, partial=ACTIONS, context=context, event=event)


def _action_context(
    session: SessionDep, access: Access, action_id: int, plan: bool
) -> dict[str, Any]:
    """One row of a communication action, in the plan (with the stakeholder's name) or on the
    stakeholder's page, as shown or as an inline form; `back` is where it is without htmx."""
    view = communication.action_view(
        session=session, project_id=access.project_id, action_id=action_id
    )
    stakeholder = service.get_stakeholder(
        session=session, project_id=access.project_id, stakeholder_id=view.action.stakeholder_id
    )
    can_edit = communication.may_edit_action(
        by=access, stakeholder=stakeholder, group_id=view.action.group_id
    )
    page = "communication" if plan else f"stakeholders/{stakeholder.id}"
    return _choices(session, access) | {
        "a": view,
        "plan": plan,
        "can_edit": can_edit,
        "values": view.action.model_dump(mode="json"),
        "errors": {},
        "back": f"/projects/{access.project_id}/{page}#action-{action_id}",
    }


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
    name = ACTION_EDIT_ROW if edit else ACTION_ROW
    return render(request, name, _action_context(session, access, action_id, context == "plan"))


@router.post("/projects/{project_id}/communication-actions/{action_id}")
def update_action(
    request: Request, action_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Save an inline-edited action; errors come back in the form row with 422."""
    return _save_action(request, session, access, action_id, form, refused_row=ACTION_EDIT_ROW)


@router.post("/projects/{project_id}/communication-actions/{action_id}/done")
def mark_action(
    request: Request, action_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Mark an action done or not done (inline, the row is swapped; a refusal shown in it)."""
    return _save_action(request, session, access, action_id, form, refused_row=ACTION_ROW)


def _save_action(
    request: Request,
    session: SessionDep,
    access: Access,
    action_id: int,
    form: FormData,
    *,
    refused_row: str,
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(ActionUpdate, form)
        communication.update_action(session=session, by=access, action_id=action_id, data=data)
    context = _action_context(session, access, action_id, form.get("context") == "plan")
    if outcome.failed:
        context |= outcome.context(form)
        return forms.refused(request, None, context, outcome, partial=refused_row)
    message, event = "Aktiviteten er gemt.", "communication_action.updated"
    return forms.done(
        request, context["back"], message, partial=ACTION_ROW, context=context, event=event
    )


@router.post("/projects/{project_id}/communication-actions/{action_id}/delete")
def delete_action(
    request: Request, action_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Delete an action; under htmx the row is swapped for nothing. A refusal (an outdated copy,
    409) leaves the row as it is, with the message beside the button (app.web.errors)."""
    view = communication.action_view(
        session=session, project_id=access.project_id, action_id=action_id
    )
    version = forms.form_version(form.getlist("version"))
    communication.delete_action(session=session, by=access, action_id=action_id, version=version)
    message = "Aktiviteten er slettet."
    if is_htmx(request):
        return Response(headers=forms.announce(message, "communication_action.deleted"))
    url = f"/projects/{access.project_id}/stakeholders/{view.action.stakeholder_id}"
    return forms.done(request, f"{url}#stakeholder-actions", message)


@router.get("/projects/{project_id}/communication")
def communication_page(
    request: Request,
    access: ProjectAccess,
    session: SessionDep,
    group_id: str = "",
    status: str = "",
) -> Response:
    group = int(group_id) if group_id.isdigit() else None
    done = {"open": False, "done": True}.get(status)
    actions = communication.communication_actions(
        session=session, project_id=access.project_id, group_id=group, done=done
    )
    editable = communication.editable_actions(session=session, by=access, actions=actions)
    context = {"actions": actions, "group_id": group, "status": status, "editable": editable}
    return render(request, "stakeholders/communication.html", _choices(session, access) | context)


# ---------------------------------------------------------------- external activities


def _activities_context(session: SessionDep, access: Access) -> dict[str, Any]:
    found = activities.list_activities(session=session, project_id=access.project_id)
    return _choices(session, access) | {
        "activities": found,
        "editable": {v.activity.id for v in found if access.can_edit_group(v.activity.group_id)},
        "values": {"kind": "meeting"},
        "errors": {},
        "mode": "create",
    }


@router.get("/projects/{project_id}/activities")
def activities_page(request: Request, access: ProjectAccess, session: SessionDep) -> Response:
    return render(request, ACTIVITIES, _activities_context(session, access))


@router.post("/projects/{project_id}/activities")
def create_activity(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(ActivityCreate, form)
        activity = activities.create_activity(session=session, by=access, data=data)
    if outcome.failed:
        context = _activities_context(session, access) | outcome.context(form)
        context["values"]["delegate_ids"] = form.getlist("delegate_ids")
        return forms.refused(request, ACTIVITIES, context, outcome, partial=ACTIVITY_FORM)
    url = f"/projects/{access.project_id}/activities/{activity.id}"
    return forms.done(request, url, "Aktiviteten er oprettet.")


def _activity_context(session: SessionDep, access: Access, activity_id: int) -> dict[str, Any]:
    view = activities.get_activity(
        session=session, project_id=access.project_id, activity_id=activity_id
    )
    return _choices(session, access) | {
        "v": view,
        "can_edit": access.can_edit_group(view.activity.group_id),
        "values": view.activity.model_dump(mode="json"),
        "errors": {},
        "mode": "edit",
        "delegate_error": "",
    }


@router.get("/projects/{project_id}/activities/{activity_id}")
def activity_page(
    request: Request, activity_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, ACTIVITY, _activity_context(session, access, activity_id))


@router.post("/projects/{project_id}/activities/{activity_id}")
def update_activity(
    request: Request, activity_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(ActivityUpdate, form)
        activities.update_activity(session=session, by=access, activity_id=activity_id, data=data)
    if outcome.failed:
        context = _activity_context(session, access, activity_id) | outcome.context(form)
        return forms.refused(request, ACTIVITY, context, outcome, partial=ACTIVITY_FORM)
    url = f"/projects/{access.project_id}/activities/{activity_id}"
    return forms.done(request, url, "Aktiviteten er gemt.")


def _delegates_answer(
    request: Request, session: SessionDep, access: Access, activity_id: int, outcome: forms.Outcome
) -> Response:
    """The delegates (htmx: the partial, else the page) after adding or removing one."""
    context = _activity_context(session, access, activity_id)
    if outcome.failed:
        # The page's second form: its message apart, so the edit form stays closed.
        context["delegate_error"] = " ".join(outcome.errors.values())
        name = DELEGATES if is_htmx(request) else ACTIVITY
        return render(request, name, context, status_code=outcome.status_code)
    url = f"/projects/{access.project_id}/activities/{activity_id}#activity-delegates"
    return forms.done(request, url, "De delegerede er gemt.", partial=DELEGATES, context=context)


@router.post("/projects/{project_id}/activities/{activity_id}/delegates")
def add_delegate(
    request: Request, activity_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Name a delegate; over the limit the partial comes back with the Danish message."""
    with forms.attempt(session) as outcome:
        person = str(form.get("person_id", ""))
        if not (person.isascii() and person.isdigit()):
            raise Invalid("Vælg den person, der skal deltage.", field="person_id")
        activities.add_delegate(
            session=session,
            by=access,
            activity_id=activity_id,
            data=DelegateAdd(
                person_id=int(person), version=forms.form_version(form.getlist("version"))
            ),
        )
    return _delegates_answer(request, session, access, activity_id, outcome)


@router.post("/projects/{project_id}/activities/{activity_id}/delegates/{person_id}/remove")
def remove_delegate(
    request: Request,
    activity_id: int,
    person_id: int,
    access: GroupWorker,
    session: SessionDep,
    form: FormDep,
) -> Response:
    with forms.attempt(session) as outcome:
        activities.remove_delegate(
            session=session,
            by=access,
            activity_id=activity_id,
            person_id=person_id,
            version=forms.form_version(form.getlist("version")),
        )
    return _delegates_answer(request, session, access, activity_id, outcome)


@router.post("/projects/{project_id}/activities/{activity_id}/delete")
def delete_activity(
    request: Request, activity_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    version = forms.form_version(form.getlist("version"))
    activities.delete_activity(session=session, by=access, activity_id=activity_id, version=version)
    return forms.done(
        request, f"/projects/{access.project_id}/activities", "Aktiviteten er slettet."
    )
