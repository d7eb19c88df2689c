"""Pages of the workstreams: the plans overview with compliance and "not anchored" tasks, a group's
page (tasks with htmx progress logging, its plan with versions, approval and the difference
against the baseline), and the milestones page with inline editing."""

import json
from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from app.auth.models import Role
from app.auth.service import Access
from app.clock import today
from app.deps import GroupWorker, ProjectAccess, ProjectLeader, SessionDep, SteeringMember
from app.errors import Conflict, Forbidden, Invalid, danish_message
from app.governance import service as governance
from app.governance.models import Body, Decision, Meeting, Person, Project
from app.web.forms import form_version
from app.web.pagination import Page
from app.web.templating import is_htmx, render
from app.workstreams import compliance as compliance_service
from app.workstreams import plans, service
from app.workstreams.models import (
    MILESTONE_STATUS_LABELS,
    PLAN_STATUS_LABELS,
    TASK_STATUS_LABELS,
    MilestoneStatus,
    PlanStatus,
    Task,
    TaskStatus,
)
from app.workstreams.schemas import (
    MilestoneCreate,
    MilestoneUpdate,
    PlanDecisionIn,
    PlanSubmit,
    PlanUpdate,
    ProgressEntryCreate,
    TaskCreate,
    TaskUpdate,
)

router = APIRouter(include_in_schema=False)
Schema = TypeVar("Schema", bound=BaseModel)

LABELS = {
    "task_status": TASK_STATUS_LABELS,
    "milestone_status": MILESTONE_STATUS_LABELS,
    "plan_status": PLAN_STATUS_LABELS,
    "change": plans.CHANGE_LABELS,
    "kind": {"task": "Opgave", "milestone": "Milepæl"},
}
# The group page shows a group's first milestones by date (as service.list_milestones' default).
MILESTONES_SHOWN = 200
# Rows per page: what a person reads at once (and what keeps a page's cost flat, bench/README.md).
GROUP_TASKS_PER_PAGE = 25
MILESTONES_PER_PAGE = 50
BADGES = {
    "task_status": {
        TaskStatus.not_started: "grey",
        TaskStatus.in_progress: "ws-active",
        TaskStatus.done: "green",
        TaskStatus.blocked: "red",
    },
    "plan_status": {
        PlanStatus.draft: "grey",
        PlanStatus.submitted: "ws-active",
        PlanStatus.approved: "green",
        PlanStatus.returned: "amber",
    },
    "change": {"added": "green", "removed": "red", "moved": "amber", "changed": "grey"},
}
# Danish names of the form fields, used in the messages shown next to them.
FIELD_LABELS = {
    "title": "Titel",
    "description": "Beskrivelse",
    "owner_person_id": "Ansvarlig",
    "start_date": "Start",
    "due_date": "Slut",
    "status": "Status",
    "progress": "Fremdrift",
    "depends_on": "Afhænger af",
    "text": "Hvad er der sket",
    "group_id": "Gruppe",
    "name": "Navn",
    "planned_date": "Planlagt dato",
    "forecast_date": "Prognose",
    "actual_date": "Faktisk dato",
    "comment": "Bemærkninger",
    "note": "Bemærkning",
    "meeting_id": "Møde",
    "decision_date": "Beslutningsdato",
    "meeting_interval_days": "Mødekadence",
}
TASK_LOG_SIZE = 5


# Forms


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
) -> Schema:
    """The form as the API's schema; empty optional fields mean "none". Raises FormErrors."""
    data: dict[str, Any] = {}
    for key, info in schema.model_fields.items():
        if key in lists:
            data[key] = [v for v in fields.get(key, []) if v.strip()]
        elif key in fields:
            value = fields[key][-1].strip() if fields[key] else ""
            data[key] = None if value == "" and info.default is None else value
    data |= extra or {}
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "form"
            message = danish_message(dict(error))
            label = FIELD_LABELS.get(name)
            if label:
                message = message.replace(f"»{name}«", f"»{label}«")
            errors.setdefault(name, message)
        raise FormErrors(errors, 422) from None


class FormErrors(Exception):
    """A form that did not pass: the Danish message per field, and the status to answer."""

    def __init__(self, errors: dict[str, str], status_code: int) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.status_code = status_code


def _errors_of(exc: FormErrors | Invalid | Conflict) -> tuple[dict[str, str], int]:
    if isinstance(exc, FormErrors):
        return exc.errors, exc.status_code
    return {exc.field or "form": exc.message}, exc.status_code


def _values(fields: dict[str, list[str]]) -> dict[str, Any]:
    """What the user typed, to fill the form again after an error."""
    return {
        key: (values if len(values) > 1 else (values[0] if values else ""))
        for key, values in fields.items()
    }


def _done(request: Request, url: str) -> Response:
    """After a successful form: htmx follows HX-Redirect, a plain form gets a 303."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _flash(message: str, event: str) -> dict[str, str]:
    """The HX-Trigger header: a Danish confirmation and the domain event (e.g. task.updated)."""
    return {"HX-Trigger": json.dumps({"flash": message, event: True}, ensure_ascii=True)}


# Shared page context


def _people(session: Session, project_id: int) -> Sequence[tuple[int | None, str, str]]:
    """Id, name and title of the project's people by name, for the forms that pick an owner."""
    return session.exec(
        select(Person.id, Person.name, Person.title)
        .where(Person.project_id == project_id)
        .order_by(Person.name)
    ).all()


def _editable_groups(access: Access, groups: list[Body]) -> list[Body]:
    return [g for g in groups if access.can_edit_group(g.id)]


def _base(session: Session, access: Access, project: Project | None = None) -> dict[str, Any]:
    return {
        "project": project or governance.get_project(session, project_id=access.project_id),
        "access": access,
        "labels": LABELS,
        "badges": BADGES,
        "today": today(),
    }


# The plans overview


@router.get("/projects/{project_id}/plans")
def plans_page(
    request: Request, access: ProjectAccess, session: SessionDep, page: int = 1
) -> Response:
    return _plans_page(request, access, session, page=page)


def _plans_page(
    request: Request,
    access: Access,
    session: Session,
    *,
    page: int = 1,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    project_id = access.project_id
    project = governance.get_project(session, project_id=project_id)
    items, base = compliance_service.compliance_and_baselines(
        session, project_id=project_id, project=project
    )
    sees_unanchored = access.has(Role.steering_member, Role.project_leader)
    paging = Page(number=page)
    unanchored: list[service.TaskView] = []
    if sees_unanchored:
        unanchored, total = service.list_tasks(
            session,
            project_id=project_id,
            unanchored=True,
            offset=paging.offset,
            limit=paging.size,
            base=base,
        )
        paging = paging.with_total(total)
    groups = [c.group for c in items]
    return render(
        request,
        "workstreams/plans.html",
        _base(session, access, project)
        | {
            "items": items,
            "sees_unanchored": sees_unanchored,
            "unanchored": unanchored,
            "paging": paging,
            "groups": groups,
            "can_anchor": access.leads,
            "awaiting": [
                c for c in items if any(v.status == PlanStatus.submitted for v in c.versions)
            ],
            "can_decide": access.has(Role.steering_member),
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.post("/projects/{project_id}/tasks/{task_id}/anchor")
def anchor_task(
    request: Request, task_id: int, access: ProjectLeader, session: SessionDep, fields: FormFields
) -> Response:
    """Anchor a task in a group (from the list of tasks not anchored in a group)."""
    try:
        data = _parse(TaskUpdate, fields)
        service.update_task(session=session, by=access, task_id=task_id, data=data)
    except (FormErrors, Invalid, Conflict) as exc:
        errors, status = _errors_of(exc)
        return _plans_page(
            request,
            access,
            session,
            errors={f"anchor-{task_id}": next(iter(errors.values()))},
            status_code=status,
        )
    return _done(request, f"/projects/{access.project_id}/plans#uforankrede")


# A group's page


@router.get("/projects/{project_id}/groups/{group_id}")
def group_page(
    request: Request, group_id: int, access: ProjectAccess, session: SessionDep, page: int = 1
) -> Response:
    return _group_page(request, access, session, group_id=group_id, page=page)


def _group_context(
    session: Session, access: Access, *, group_id: int, page: int = 1
) -> dict[str, Any]:
    project_id = access.project_id
    project = governance.get_project(session, project_id=project_id)
    # The indicator reads the group, its plan with versions, tasks and milestones; the page
    # shows those rows (in the order of service.list_tasks / list_milestones) without reading
    # them again. Not an implementation group of the project: get_group says NotFound.
    items, base = compliance_service.compliance_and_baselines(
        session, project_id=project_id, group_id=group_id, project=project
    )
    group = (
        items[0].group
        if items
        else governance.get_group(session, project_id=project_id, group_id=group_id)
    )
    item = items[0]
    can_edit = access.can_edit_group(group_id)
    names = {group.id or 0: group.name}
    paging = Page(number=page, size=GROUP_TASKS_PER_PAGE)
    total = len(item.tasks)
    shown = item.tasks[paging.offset : paging.offset + paging.size]
    tasks = service.describe_tasks(
        session,
        tasks=[t for t, _ in shown],
        project_id=project_id,
        with_log=TASK_LOG_SIZE,
        base=base,
        group_names=names,
        owner_names={t.owner_person_id: owner for t, owner in shown if t.owner_person_id and owner},
    )
    milestones = service.describe_milestones(
        session,
        milestones=item.milestones[:MILESTONES_SHOWN],
        project_id=project_id,
        base=base,
        group_names=names,
    )
    plan = item.plan
    versions = item.versions
    baseline = item.baseline
    submitted = next((v for v in versions if v.status == PlanStatus.submitted), None)
    submitted_changes = (
        plans.diff(baseline.snapshot, submitted.snapshot or {}) if (submitted and baseline) else []
    )
    can_decide = access.has(Role.steering_member)
    # Read only for the forms that list them: the steering group's meetings for its decision on
    # a submitted version, the people for a new task's owner.
    steering_meetings = _steering_meetings(session, project_id) if submitted and can_decide else []
    people = _people(session, project_id) if can_edit else []
    decision_numbers = _decision_numbers(session, [v.decision_id for v in versions])
    return _base(session, access, project) | {
        "group": group,
        "item": item,
        "tasks": tasks,
        "paging": paging.with_total(total),
        "task_titles": _titles(tasks),
        "milestones": milestones,
        "plan": plan,
        "versions": versions,
        "baseline": baseline,
        "current": item.current,
        "submitted": submitted,
        "submitted_changes": submitted_changes,
        "steering_meetings": steering_meetings,
        "decision_numbers": decision_numbers,
        "can_edit": can_edit,
        "can_decide": can_decide,
        "can_set_rule": access.leads,
        "people": people,
        "errors": {},
        "values": {},
    }


def _group_page(
    request: Request,
    access: Access,
    session: Session,
    *,
    group_id: int,
    page: int = 1,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context = _group_context(session, access, group_id=group_id, page=page)
    context |= {"errors": errors or {}, "values": values or {}}
    return render(request, "workstreams/group.html", context, status_code=status_code)


def _steering_meetings(session: Session, project_id: int) -> list[Meeting]:
    steering = governance.steering_group(session, project_id=project_id)
    return list(
        session.exec(
            select(Meeting)
            .where(Meeting.project_id == project_id, Meeting.body_id == steering.id)
            .order_by(col(Meeting.meeting_date).desc())
        ).all()
    )


def _decision_numbers(session: Session, ids: list[int | None]) -> dict[int, int]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(
        session.exec(select(Decision.id, Decision.number).where(col(Decision.id).in_(wanted))).all()
    )


def _titles(views: list[service.TaskView]) -> dict[int, str]:
    """Titles of the tasks that the shown tasks depend on (read with the dependencies)."""
    return {d: title for v in views for d, title in v.depends_on_titles.items()}


# Tasks: rows edited in place with htmx


def _task_row(
    request: Request,
    session: Session,
    access: Access,
    *,
    task_id: int,
    mode: str = "view",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    view = service.task_view(
        session, project_id=access.project_id, task_id=task_id, with_log=TASK_LOG_SIZE
    )
    context = _base(session, access) | {
        "t": view,
        "mode": mode,
        "errors": errors or {},
        "values": values or {},
        "task_titles": _titles([view]),
        "can_edit": access.can_edit_group(view.task.group_id),
    }
    if mode == "edit":
        groups = governance.implementation_groups(session, project_id=access.project_id)
        context |= {
            "people": _people(session, access.project_id),
            "groups": _editable_groups(access, groups),
            "can_unanchor": access.leads,
            "all_tasks": session.exec(
                select(Task.id, Task.title)
                .where(Task.project_id == access.project_id, Task.id != task_id)
                .order_by(Task.title)
            ).all(),
        }
    return render(
        request, "workstreams/_task_row.html", context, status_code=status_code, headers=headers
    )


@router.get("/projects/{project_id}/tasks/{task_id}/row")
def task_row(
    request: Request, task_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return _task_row(request, session, access, task_id=task_id)


@router.get("/projects/{project_id}/tasks/{task_id}/log-form")
def task_log_form(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    task = service.get_task(session, project_id=access.project_id, task_id=task_id)
    if not access.can_edit_group(task.group_id):
        raise Forbidden(service.TASK_REFUSED)
    return _task_row(request, session, access, task_id=task_id, mode="log")


@router.get("/projects/{project_id}/tasks/{task_id}/edit")
def task_edit_form(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    task = service.get_task(session, project_id=access.project_id, task_id=task_id)
    if not access.can_edit_group(task.group_id):
        raise Forbidden(service.TASK_REFUSED)
    return _task_row(request, session, access, task_id=task_id, mode="edit")


@router.post("/projects/{project_id}/tasks/{task_id}/log")
def log_progress(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    """Log progress from the group's page; the row is swapped in place (no page reload)."""
    try:
        data = _parse(
            ProgressEntryCreate, fields, extra={"version": form_version(fields.get("version"))}
        )
        service.log_progress(session=session, by=access, task_id=task_id, data=data)
    except (FormErrors, Invalid, Conflict) as exc:
        session.rollback()
        errors, status = _errors_of(exc)
        return _task_row(
            request,
            session,
            access,
            task_id=task_id,
            mode="log",
            errors=errors,
            values=_values(fields),
            status_code=status,
        )
    return _task_row(
        request,
        session,
        access,
        task_id=task_id,
        headers=_flash("Fremdriften er registreret.", "task.progress_logged"),
    )


@router.post("/projects/{project_id}/tasks/{task_id}")
def update_task(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    """Save a task edited in its row."""
    extra: dict[str, Any] = {} if "depends_on" in fields else {"depends_on": []}
    if "group_id" in fields and fields["group_id"][-1] == "":
        extra["group_id"] = None
    try:
        data = _parse(TaskUpdate, fields, lists=("depends_on",), extra=extra)
        task = service.update_task(session=session, by=access, task_id=task_id, data=data)
    except (FormErrors, Invalid, Conflict) as exc:
        session.rollback()
        errors, status = _errors_of(exc)
        return _task_row(
            request,
            session,
            access,
            task_id=task_id,
            mode="edit",
            errors=errors,
            values=_values(fields),
            status_code=status,
        )
    from_group = (fields.get("from_group") or [""])[-1]
    if from_group and from_group != str(task.group_id):
        groups = governance.implementation_groups(session, project_id=access.project_id)
        if from_group in {str(g.id) for g in groups}:
            # The task left the group whose page the row is on: show that page without it
            # (only a group of the project: the address goes into a header, HX-Redirect).
            return _done(request, f"/projects/{access.project_id}/groups/{from_group}#opgaver")
    return _task_row(
        request,
        session,
        access,
        task_id=task_id,
        headers=_flash("Opgaven er gemt.", "task.updated"),
    )


@router.post("/projects/{project_id}/tasks")
def create_task(
    request: Request, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    """Add a task from a group's page."""
    group_value = (fields.get("group_id") or [""])[-1]
    try:
        data = _parse(TaskCreate, fields, lists=("depends_on",))
        task = service.create_task(session=session, by=access, data=data)
    except (FormErrors, Invalid, Conflict) as exc:
        session.rollback()
        errors, status = _errors_of(exc)
        if not group_value.isdigit():
            return _plans_page(request, access, session, errors=errors, status_code=status)
        return _group_page(
            request,
            access,
            session,
            group_id=int(group_value),
            errors={f"new_{k}": v for k, v in errors.items()},
            values=_values(fields),
            status_code=status,
        )
    if task.group_id is None:
        return _done(request, f"/projects/{access.project_id}/plans#uforankrede")
    return _done(request, f"/projects/{access.project_id}/groups/{task.group_id}#task-{task.id}")


@router.post("/projects/{project_id}/tasks/{task_id}/delete")
def delete_task(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    task = service.get_task(session, project_id=access.project_id, task_id=task_id)
    group_id = task.group_id
    service.delete_task(session=session, by=access, task_id=task_id)
    if group_id is None:
        return _done(request, f"/projects/{access.project_id}/plans")
    return _done(request, f"/projects/{access.project_id}/groups/{group_id}#opgaver")


# Plans: workflow forms on the group's page


def _plan_action(
    request: Request, access: Access, session: Session, *, group_id: int, action: Any
) -> Response:
    """Run a plan use case; errors re-render the group's page with the message in the plan."""
    try:
        action()
    except (FormErrors, Invalid, Conflict) as exc:
        session.rollback()
        errors, status = _errors_of(exc)
        return _group_page(
            request,
            access,
            session,
            group_id=group_id,
            errors={f"plan_{k}": v for k, v in errors.items()},
            status_code=status,
        )
    return _done(request, f"/projects/{access.project_id}/groups/{group_id}#plan")


@router.post("/projects/{project_id}/plans")
def create_plan(
    request: Request, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    group_value = (fields.get("group_id") or [""])[-1]
    if not group_value.isdigit():
        raise Invalid("Vælg en gruppe.", field="group_id")
    group_id = int(group_value)
    return _plan_action(
        request,
        access,
        session,
        group_id=group_id,
        action=lambda: plans.create_plan(
            session=session,
            by=access,
            group_id=group_id,
            title=(fields.get("title") or [""])[-1],
            description=(fields.get("description") or [""])[-1],
        ),
    )


def _plan_group(session: Session, access: Access, plan_id: int) -> int:
    return plans.get_plan(session, project_id=access.project_id, plan_id=plan_id).group_id


@router.post("/projects/{project_id}/plans/{plan_id}")
def update_plan(
    request: Request, plan_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    """Change the draft's text, or (status »draft«) make a new draft."""
    group_id = _plan_group(session, access, plan_id)
    return _plan_action(
        request,
        access,
        session,
        group_id=group_id,
        action=lambda: plans.update_plan(
            session=session, by=access, plan_id=plan_id, data=_parse(PlanUpdate, fields)
        ),
    )


@router.post("/projects/{project_id}/plans/{plan_id}/submit")
def submit_plan(
    request: Request, plan_id: int, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    group_id = _plan_group(session, access, plan_id)

    def action() -> None:
        data = _parse(PlanSubmit, fields, extra={"version": form_version(fields.get("version"))})
        plans.submit(
            session=session, by=access, plan_id=plan_id, note=data.note, version=data.version
        )

    return _plan_action(request, access, session, group_id=group_id, action=action)


@router.post("/projects/{project_id}/plans/{plan_id}/decide")
def decide_plan(
    request: Request, plan_id: int, access: SteeringMember, session: SessionDep, fields: FormFields
) -> Response:
    """The steering group's form: »Godkend« or »Send tilbage« with comments."""
    group_id = _plan_group(session, access, plan_id)
    approve = (fields.get("decision") or [""])[-1] == "approve"

    def action() -> None:
        data = _parse(
            PlanDecisionIn, fields, extra={"version": form_version(fields.get("version"))}
        )
        decide = plans.approve if approve else plans.return_plan
        decide(
            session=session,
            by=access,
            plan_id=plan_id,
            comment=data.comment,
            meeting_id=data.meeting_id,
            decision_date=data.decision_date,
            version=data.version,
        )

    return _plan_action(request, access, session, group_id=group_id, action=action)


@router.post("/projects/{project_id}/groups/{group_id}/meeting-rule")
def set_meeting_rule(
    request: Request, group_id: int, access: ProjectLeader, session: SessionDep, fields: FormFields
) -> Response:
    value = (fields.get("meeting_interval_days") or [""])[-1].strip()

    def action() -> None:
        if value and not (value.isascii() and value.isdigit()):
            raise Invalid(
                "Mødekadencen skal være et helt antal dage.", field="meeting_interval_days"
            )
        # A group without a rule is at version 0: two first rules from one copy are one too many.
        compliance_service.set_meeting_rule(
            session=session,
            by=access,
            group_id=group_id,
            meeting_interval_days=int(value) if value else None,
            version=form_version(fields.get("version")),
        )

    try:
        action()
    except (Invalid, Conflict) as exc:
        session.rollback()
        errors, status = _errors_of(exc)
        return _group_page(
            request,
            access,
            session,
            group_id=group_id,
            errors={f"rule_{k}": v for k, v in errors.items()},
            status_code=status,
        )
    return _done(request, f"/projects/{access.project_id}/groups/{group_id}#moeder")


# Milestones


@router.get("/projects/{project_id}/milestones")
def milestones_page(
    request: Request, access: ProjectAccess, session: SessionDep, group: str = "", page: int = 1
) -> Response:
    return _milestones_page(request, access, session, group=group, page=page)


def _milestones_page(
    request: Request,
    access: Access,
    session: Session,
    *,
    group: str = "",
    page: int = 1,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    project_id = access.project_id
    groups = governance.implementation_groups(session, project_id=project_id)
    paging = Page(number=page, size=MILESTONES_PER_PAGE)
    group_id = int(group) if group.isdigit() else None
    views, total = service.list_milestones(
        session,
        project_id=project_id,
        group_id=group_id,
        project_wide=group == "projekt",
        offset=paging.offset,
        limit=paging.size,
        group_names={g.id: g.name for g in groups if g.id is not None},
    )
    creatable = _editable_groups(access, groups)
    return render(
        request,
        "workstreams/milestones.html",
        _base(session, access)
        | {
            "milestones": views,
            "groups": groups,
            "group_filter": group,
            "paging": paging.with_total(total),
            "editable": {
                v.milestone.id for v in views if access.can_edit_group(v.milestone.group_id)
            },
            "creatable_groups": creatable,
            "can_create_project_wide": access.leads,
            "can_create": bool(creatable) or access.leads,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


def _milestone_row(
    request: Request,
    session: Session,
    access: Access,
    *,
    milestone_id: int,
    mode: str = "view",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    view = service.milestone_view(session, project_id=access.project_id, milestone_id=milestone_id)
    return render(
        request,
        "workstreams/_milestone_row.html",
        _base(session, access)
        | {
            "v": view,
            "mode": mode,
            "errors": errors or {},
            "values": values or {},
            "can_edit": access.can_edit_group(view.milestone.group_id),
            "statuses": list(MilestoneStatus),
        },
        status_code=status_code,
        headers=headers,
    )


@router.get("/projects/{project_id}/milestones/{milestone_id}/row")
def milestone_row(
    request: Request, milestone_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return _milestone_row(request, session, access, milestone_id=milestone_id)


@router.get("/projects/{project_id}/milestones/{milestone_id}/edit")
def milestone_edit(
    request: Request, milestone_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    m = service.get_milestone(session, project_id=access.project_id, milestone_id=milestone_id)
    if not access.can_edit_group(m.group_id):
        raise Forbidden(service.MILESTONE_REFUSED)
    return _milestone_row(request, session, access, milestone_id=milestone_id, mode="edit")


@router.post("/projects/{project_id}/milestones/{milestone_id}")
def update_milestone(
    request: Request,
    milestone_id: int,
    access: GroupWorker,
    session: SessionDep,
    fields: FormFields,
) -> Response:
    """Save a milestone edited in its row; the row shows the new slippage at once."""
    extra: dict[str, Any] = {
        key: None
        for key in ("forecast_date", "actual_date")
        if key in fields and not fields[key][-1].strip()
    }
    try:
        data = _parse(MilestoneUpdate, fields, extra=extra)
        service.update_milestone(session=session, by=access, milestone_id=milestone_id, data=data)
    except (FormErrors, Invalid, Conflict) as exc:
        session.rollback()
        errors, status = _errors_of(exc)
        return _milestone_row(
            request,
            session,
            access,
            milestone_id=milestone_id,
            mode="edit",
            errors=errors,
            values=_values(fields),
            status_code=status,
        )
    return _milestone_row(
        request,
        session,
        access,
        milestone_id=milestone_id,
        headers=_flash("Milepælen er gemt.", "milestone.updated"),
    )


@router.post("/projects/{project_id}/milestones")
def create_milestone(
    request: Request, access: GroupWorker, session: SessionDep, fields: FormFields
) -> Response:
    extra = {"group_id": None} if (fields.get("group_id") or [""])[-1] == "" else {}
    try:
        data = _parse(MilestoneCreate, fields, extra=extra)
        m = service.create_milestone(session=session, by=access, data=data)
    except (FormErrors, Invalid, Conflict) as exc:
        session.rollback()
        errors, status = _errors_of(exc)
        return _milestones_page(
            request, access, session, errors=errors, values=_values(fields), status_code=status
        )
    return _done(request, f"/projects/{access.project_id}/milestones#milestone-{m.id}")


@router.post("/projects/{project_id}/milestones/{milestone_id}/delete")
def delete_milestone(
    request: Request, milestone_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    service.delete_milestone(session=session, by=access, milestone_id=milestone_id)
    return _done(request, f"/projects/{access.project_id}/milestones")
