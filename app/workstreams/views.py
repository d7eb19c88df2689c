"""Pages of the workstreams: the plans overview with compliance and "not anchored" tasks, a group's
page (tasks with htmx progress logging, its plan with versions, approval and the difference
against the baseline), and the milestones page with inline editing."""

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from app.auth.models import Role
from app.auth.service import Access
from app.clock import today
from app.deps import GroupWorker, ProjectAccess, ProjectLeader, SessionDep, SteeringMember
from app.errors import Forbidden, Invalid
from app.governance import service as governance
from app.governance.models import Body, Decision, Meeting, Person, Project
from app.web import forms
from app.web.forms import FormDep, Outcome
from app.web.pagination import Page
from app.web.templating import render
from app.workstreams import compliance, plans, schemas, service
from app.workstreams.models import (
    MILESTONE_STATUS_LABELS,
    PLAN_STATUS_LABELS,
    TASK_STATUS_LABELS,
    PlanStatus,
    Task,
    TaskStatus,
)

router = APIRouter(include_in_schema=False)

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
TASK_LOG_SIZE = 5
TASK_ROW = "workstreams/_task_row.html"
MILESTONE_ROW = "workstreams/_milestone_row.html"
PLANS = "workstreams/plans.html"
GROUP = "workstreams/group.html"
MILESTONES = "workstreams/milestones.html"
UNANCHORED = "workstreams/_unanchored.html"


def _people(session: Session, project_id: int) -> list[tuple[int | None, str]]:
    """The project's people by name (with their title), for the forms that pick an owner."""
    query = select(Person.id, Person.name, Person.title).where(Person.project_id == project_id)
    rows = session.exec(query.order_by(Person.name)).all()
    return [(pid, f"{name} ({title})" if title else name) for pid, name, title in rows]


def _group_options(access: Access, groups: list[Body]) -> list[tuple[int | None, str]]:
    """The groups the person may put a task or a milestone in, for a form's choice."""
    return [(g.id, g.name) for g in groups if access.can_edit_group(g.id)]


def _base(session: Session, access: Access, project: Project | None = None) -> dict[str, Any]:
    """What every page and row shows; a refused form adds `errors`, `values` and `refused`."""
    return {
        "project": project or governance.get_project(session=session, project_id=access.project_id),
        "access": access,
        "labels": LABELS,
        "badges": BADGES,
        "today": today(),
        "errors": {},
        "values": {},
        "refused": "",
    }


def _version(form: FormData) -> int:
    """The version the form was filled in from; without one the edit is refused."""
    return forms.form_version([str(v) for v in form.getlist("version")])


def _row_refused(request: Request, context: dict[str, Any], outcome: Outcome, row: str) -> Response:
    """A row's refused form: the row for htmx, else a page with that row alone."""
    page, context = "workstreams/row_page.html", context | {"row": row}
    return forms.refused(request, page, context, outcome, partial=row)


def _refusal(outcome: Outcome, form: FormData, which: str) -> dict[str, Any]:
    """A refused form's messages and what was typed, for the one of the page's forms sent."""
    return outcome.context(form) | {"refused": which}


# The plans overview


@router.get("/projects/{project_id}/plans")
def plans_page(
    request: Request, access: ProjectAccess, session: SessionDep, page: int = 1
) -> Response:
    return render(request, PLANS, _plans_context(session, access, page=page))


def _plans_context(session: Session, access: Access, *, page: int = 1) -> dict[str, Any]:
    project_id = access.project_id
    project = governance.get_project(session=session, project_id=project_id)
    items, base = compliance.compliance_and_baselines(
        session=session, project_id=project_id, project=project
    )
    sees_unanchored = access.has(Role.steering_member, Role.project_leader)
    paging = Page(number=page)
    unanchored: list[service.TaskView] = []
    if sees_unanchored:
        unanchored, total = service.list_tasks(
            session=session,
            project_id=project_id,
            unanchored=True,
            offset=paging.offset,
            limit=paging.size,
            base=base,
        )
        paging = paging.with_total(total)
    return _base(session, access, project) | {
        "items": items,
        "sees_unanchored": sees_unanchored,
        "unanchored": unanchored,
        "paging": paging,
        "groups": [(c.group.id, c.group.name) for c in items],
        "can_anchor": access.leads,
        "awaiting": [c for c in items if any(v.status == PlanStatus.submitted for v in c.versions)],
        "can_decide": access.has(Role.steering_member),
    }


@router.post("/projects/{project_id}/tasks/{task_id}/anchor")
def anchor_task(
    request: Request, task_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    """Anchor a task in a group (from the list of tasks not anchored in a group)."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.TaskUpdate, form, version=_version(form))
        service.update_task(session=session, by=access, task_id=task_id, data=data)
    if outcome.failed:
        context = _plans_context(session, access) | _refusal(outcome, form, f"anchor-{task_id}")
        return forms.refused(request, PLANS, context, outcome, partial=UNANCHORED)
    url = f"/projects/{access.project_id}/plans#uforankrede"
    return forms.done(request, url, "Opgaven er forankret i gruppen.")


# A group's page


@router.get("/projects/{project_id}/groups/{group_id}")
def group_page(
    request: Request, group_id: int, access: ProjectAccess, session: SessionDep, page: int = 1
) -> Response:
    return render(request, GROUP, _group_context(session, access, group_id=group_id, page=page))


def _group_context(
    session: Session, access: Access, *, group_id: int, page: int = 1
) -> dict[str, Any]:
    project_id = access.project_id
    project = governance.get_project(session=session, project_id=project_id)
    # The indicator reads the group, its plan with versions, tasks and milestones; the page
    # shows those rows (in the order of service.list_tasks / list_milestones) without reading
    # them again. Not an implementation group of the project: get_group says NotFound.
    items, base = compliance.compliance_and_baselines(
        session=session, project_id=project_id, group_id=group_id, project=project
    )
    if not items:
        governance.get_group(session=session, project_id=project_id, group_id=group_id)
    item = items[0]
    group = item.group
    can_edit = access.can_edit_group(group_id)
    names = {group.id or 0: group.name}
    paging = Page(number=page, size=GROUP_TASKS_PER_PAGE)
    shown = item.tasks[paging.offset : paging.offset + paging.size]
    tasks = service.describe_tasks(
        session=session,
        tasks=[t for t, _ in shown],
        project_id=project_id,
        with_log=TASK_LOG_SIZE,
        base=base,
        group_names=names,
        owner_names={t.owner_person_id: owner for t, owner in shown if t.owner_person_id and owner},
    )
    milestones = service.describe_milestones(
        session=session,
        milestones=item.milestones[:MILESTONES_SHOWN],
        project_id=project_id,
        base=base,
        group_names=names,
    )
    submitted = next((v for v in item.versions if v.status == PlanStatus.submitted), None)
    can_decide = access.has(Role.steering_member)
    baseline = item.baseline
    changes = (
        plans.diff(baseline.snapshot, submitted.snapshot or {}) if submitted and baseline else []
    )
    # Read only for the forms that list them: the steering group's meetings for its decision on
    # a submitted version, the people for a new task's owner.
    meetings = _steering_meetings(session, project_id) if submitted and can_decide else []
    return _base(session, access, project) | {
        "group": group,
        "item": item,
        "tasks": tasks,
        "paging": paging.with_total(len(item.tasks)),
        "task_titles": _titles(tasks),
        "milestones": milestones,
        "plan": item.plan,
        "versions": item.versions,
        "baseline": item.baseline,
        "current": item.current,
        "submitted": submitted,
        "submitted_changes": changes,
        "steering_meetings": meetings,
        "people": _people(session, project_id) if can_edit else [],
        "decision_numbers": _decision_numbers(session, [v.decision_id for v in item.versions]),
        "can_edit": can_edit,
        "can_decide": can_decide,
        "can_set_rule": access.leads,
    }


def _steering_meetings(session: Session, project_id: int) -> Sequence[Meeting]:
    steering = governance.steering_group(session=session, project_id=project_id)
    query = select(Meeting).where(Meeting.project_id == project_id, Meeting.body_id == steering.id)
    return session.exec(query.order_by(col(Meeting.meeting_date).desc())).all()


def _decision_numbers(session: Session, ids: list[int | None]) -> dict[int, int]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = session.exec(select(Decision.id, Decision.number).where(col(Decision.id).in_(wanted)))
    return {decision_id: number for decision_id, number in rows if decision_id is not None}


def _titles(views: list[service.TaskView]) -> dict[int, str]:
    """Titles of the tasks that the shown tasks depend on (read with the dependencies)."""
    return {d: title for v in views for d, title in v.depends_on_titles.items()}


# Tasks: rows edited in place with htmx


def _task_context(
    session: Session, access: Access, *, task_id: int, mode: str = "view"
) -> dict[str, Any]:
    view = service.task_view(
        session=session, project_id=access.project_id, task_id=task_id, with_log=TASK_LOG_SIZE
    )
    context = _base(session, access) | {
        "t": view,
        "mode": mode,
        "task_titles": _titles([view]),
        "can_edit": access.can_edit_group(view.task.group_id),
    }
    if mode == "edit":
        groups = governance.implementation_groups(session=session, project_id=access.project_id)
        context |= {
            "people": _people(session, access.project_id),
            "groups": _group_options(access, groups),
            "can_unanchor": access.leads,
            "all_tasks": session.exec(
                select(Task.id, Task.title)
                .where(Task.project_id == access.project_id, Task.id != task_id)
                .order_by(Task.title)
            ).all(),
        }
    return context


def _task_saved(
    request: Request, session: Session, access: Access, task_id: int, message: str, event: str
) -> Response:
    """The saved task's row swapped in with the message (without htmx: the page it is on)."""
    context = _task_context(session, access, task_id=task_id)
    group_id = context["t"].task.group_id
    where = f"groups/{group_id}#task-{task_id}" if group_id else "plans#uforankrede"
    url = f"/projects/{access.project_id}/{where}"
    return forms.done(request, url, message, partial=TASK_ROW, context=context, event=event)


@router.get("/projects/{project_id}/tasks/{task_id}/row")
def task_row(
    request: Request, task_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(request, TASK_ROW, _task_context(session, access, task_id=task_id))


@router.get("/projects/{project_id}/tasks/{task_id}/log-form")
@router.get("/projects/{project_id}/tasks/{task_id}/edit")
def task_form(request: Request, task_id: int, access: GroupWorker, session: SessionDep) -> Response:
    """The task's row as a form: logging progress (…/log-form) or editing the task (…/edit)."""
    task = service.get_task(session=session, project_id=access.project_id, task_id=task_id)
    if not access.can_edit_group(task.group_id):
        raise Forbidden(service.TASK_REFUSED)
    mode = "edit" if request.url.path.endswith("/edit") else "log"
    return render(request, TASK_ROW, _task_context(session, access, task_id=task_id, mode=mode))


@router.post("/projects/{project_id}/tasks/{task_id}/log")
def log_progress(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Log progress from the group's page; the row is swapped in place (no page reload)."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.ProgressEntryCreate, form, version=_version(form))
        service.log_progress(session=session, by=access, task_id=task_id, data=data)
    if outcome.failed:
        context = _task_context(session, access, task_id=task_id, mode="log")
        return _row_refused(request, context | outcome.context(form), outcome, TASK_ROW)
    message = "Fremdriften er registreret."
    return _task_saved(request, session, access, task_id, message, "task.progress_logged")


@router.post("/projects/{project_id}/tasks/{task_id}")
def update_task(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Save a task edited in its row (no dependency chosen: it depends on none)."""
    cleared: dict[str, Any] = {} if "depends_on" in form else {"depends_on": []}
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.TaskUpdate, form, version=_version(form), **cleared)
        task = service.update_task(session=session, by=access, task_id=task_id, data=data)
    if outcome.failed:
        context = _task_context(session, access, task_id=task_id, mode="edit")
        context |= outcome.context(form)
        if "values" in context:  # every dependency chosen, not only the last
            context["values"]["depends_on"] = form.getlist("depends_on")
        return _row_refused(request, context, outcome, TASK_ROW)
    left = str(form.get("from_group") or "")
    if left and left != str(task.group_id):
        # The task left the group whose page the row is on: show that page without it (only
        # a group of the project: the address goes into a header).
        groups = governance.implementation_groups(session=session, project_id=access.project_id)
        if left in {str(g.id) for g in groups}:
            url = f"/projects/{access.project_id}/groups/{left}#opgaver"
            return forms.done(request, url, "Opgaven er flyttet til en anden gruppe.")
    return _task_saved(request, session, access, task_id, "Opgaven er gemt.", "task.updated")


@router.post("/projects/{project_id}/tasks")
def create_task(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Add a task from a group's page (or, not anchored in a group, from the plans page)."""
    with forms.attempt(session) as outcome:
        task = service.create_task(
            session=session, by=access, data=forms.read(schemas.TaskCreate, form)
        )
    group = str(form.get("group_id") or "")
    if outcome.failed and group.isdigit():
        context = _group_context(session, access, group_id=int(group))
        context |= _refusal(outcome, form, "task")
        return forms.refused(request, GROUP, context, outcome, partial="workstreams/_task_new.html")
    if outcome.failed:
        context = _plans_context(session, access) | _refusal(outcome, form, "task")
        return forms.refused(request, PLANS, context, outcome, partial=UNANCHORED)
    where = f"groups/{task.group_id}#task-{task.id}" if task.group_id else "plans#uforankrede"
    return forms.done(request, f"/projects/{access.project_id}/{where}", "Opgaven er tilføjet.")


@router.post("/projects/{project_id}/tasks/{task_id}/delete")
def delete_task(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    group_id = service.get_task(
        session=session, project_id=access.project_id, task_id=task_id
    ).group_id
    service.delete_task(session=session, by=access, task_id=task_id)
    where = f"groups/{group_id}#opgaver" if group_id else "plans#uforankrede"
    return forms.done(request, f"/projects/{access.project_id}/{where}", "Opgaven er slettet.")


# Plans and meeting rules: forms on the group's page


def _on_group_page(
    request: Request,
    session: Session,
    access: Access,
    group_id: int,
    form: FormData,
    outcome: Outcome,
    which: str,
    message: str,
) -> Response:
    """After a form of the group's page: the page with its messages, or on with the message."""
    if outcome.failed:
        context = _group_context(session, access, group_id=group_id) | _refusal(
            outcome, form, which
        )
        part = "workstreams/_rule_form.html" if which == "rule" else "workstreams/_plan.html"
        return forms.refused(request, GROUP, context, outcome, partial=part)
    part = "moeder" if which == "rule" else "plan"
    url = f"/projects/{access.project_id}/groups/{group_id}#{part}"
    return forms.done(request, url, message)


def _plan_group(session: Session, access: Access, plan_id: int) -> int:
    return plans.get_plan(session=session, project_id=access.project_id, plan_id=plan_id).group_id


@router.post("/projects/{project_id}/plans")
def create_plan(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    group = str(form.get("group_id") or "")
    if not group.isdigit():
        raise Invalid("Vælg en gruppe.", field="group_id")
    with forms.attempt(session) as outcome:
        plans.create_plan(session=session, by=access, **dict(forms.read(schemas.PlanCreate, form)))
    message = "Planen er oprettet."
    return _on_group_page(request, session, access, int(group), form, outcome, "plan-new", message)


@router.post("/projects/{project_id}/plans/{plan_id}")
def update_plan(
    request: Request, plan_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Change the draft's text, or (status »draft«) make a new draft."""
    group_id = _plan_group(session, access, plan_id)
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PlanUpdate, form, version=_version(form))
        plans.update_plan(session=session, by=access, plan_id=plan_id, data=data)
    new_draft = form.get("status") == PlanStatus.draft
    which = "plan-draft" if new_draft else "plan-text"
    message = "Der er oprettet en ny kladde." if new_draft else "Planens tekst er gemt."
    return _on_group_page(request, session, access, group_id, form, outcome, which, message)


@router.post("/projects/{project_id}/plans/{plan_id}/submit")
def submit_plan(
    request: Request, plan_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    group_id = _plan_group(session, access, plan_id)
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PlanSubmit, form, version=_version(form))
        plans.submit(session=session, by=access, plan_id=plan_id, **dict(data))
    message = "Planen er indsendt til styregruppen."
    return _on_group_page(request, session, access, group_id, form, outcome, "plan-submit", message)


@router.post("/projects/{project_id}/plans/{plan_id}/decide")
def decide_plan(
    request: Request, plan_id: int, access: SteeringMember, session: SessionDep, form: FormDep
) -> Response:
    """The steering group's form: »Godkend« or »Send tilbage« with comments."""
    group_id = _plan_group(session, access, plan_id)
    decide = plans.approve if form.get("decision") == "approve" else plans.return_plan
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.PlanDecisionIn, form, version=_version(form))
        decide(session=session, by=access, plan_id=plan_id, **dict(data))
    message = "Planen er godkendt." if decide is plans.approve else "Planen er sendt tilbage."
    return _on_group_page(request, session, access, group_id, form, outcome, "plan-decide", message)


@router.post("/projects/{project_id}/groups/{group_id}/meeting-rule")
def set_meeting_rule(
    request: Request, group_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.GroupSettingUpdate, form, version=_version(form))
        compliance.set_meeting_rule(session=session, by=access, group_id=group_id, **dict(data))
    message = "Mødekadencen er gemt."
    return _on_group_page(request, session, access, group_id, form, outcome, "rule", message)


# Milestones


@router.get("/projects/{project_id}/milestones")
def milestones_page(
    request: Request, access: ProjectAccess, session: SessionDep, group: str = "", page: int = 1
) -> Response:
    return render(request, MILESTONES, _milestones_context(session, access, group=group, page=page))


def _milestones_context(
    session: Session, access: Access, *, group: str = "", page: int = 1
) -> dict[str, Any]:
    project_id = access.project_id
    groups = governance.implementation_groups(session=session, project_id=project_id)
    paging = Page(number=page, size=MILESTONES_PER_PAGE)
    views, total = service.list_milestones(
        session=session,
        project_id=project_id,
        group_id=int(group) if group.isdigit() else None,
        project_wide=group == "projekt",
        offset=paging.offset,
        limit=paging.size,
        group_names={g.id: g.name for g in groups if g.id is not None},
    )
    creatable = _group_options(access, groups)
    return _base(session, access) | {
        "milestones": views,
        "groups": groups,
        "group_filter": group,
        "paging": paging.with_total(total),
        "editable": {v.milestone.id for v in views if access.can_edit_group(v.milestone.group_id)},
        "creatable_groups": creatable,
        "can_create_project_wide": access.leads,
        "can_create": bool(creatable) or access.leads,
    }


def _milestone_context(
    session: Session, access: Access, *, milestone_id: int, mode: str = "view"
) -> dict[str, Any]:
    view = service.milestone_view(
        session=session, project_id=access.project_id, milestone_id=milestone_id
    )
    return _base(session, access) | {
        "v": view,
        "mode": mode,
        "can_edit": access.can_edit_group(view.milestone.group_id),
    }


@router.get("/projects/{project_id}/milestones/{milestone_id}/row")
def milestone_row(
    request: Request, milestone_id: int, access: ProjectAccess, session: SessionDep
) -> Response:
    return render(
        request, MILESTONE_ROW, _milestone_context(session, access, milestone_id=milestone_id)
    )


@router.get("/projects/{project_id}/milestones/{milestone_id}/edit")
def milestone_edit(
    request: Request, milestone_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    m = service.get_milestone(
        session=session, project_id=access.project_id, milestone_id=milestone_id
    )
    if not access.can_edit_group(m.group_id):
        raise Forbidden(service.MILESTONE_REFUSED)
    context = _milestone_context(session, access, milestone_id=milestone_id, mode="edit")
    return render(request, MILESTONE_ROW, context)


@router.post("/projects/{project_id}/milestones/{milestone_id}")
def update_milestone(
    request: Request, milestone_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Save a milestone edited in its row; the row shows the new slippage at once."""
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MilestoneUpdate, form, version=_version(form))
        service.update_milestone(session=session, by=access, milestone_id=milestone_id, data=data)
    mode = "edit" if outcome.failed else "view"
    context = _milestone_context(session, access, milestone_id=milestone_id, mode=mode)
    if outcome.failed:
        return _row_refused(request, context | outcome.context(form), outcome, MILESTONE_ROW)
    url = f"/projects/{access.project_id}/milestones#milestone-{milestone_id}"
    message, event = "Milepælen er gemt.", "milestone.updated"
    return forms.done(request, url, message, partial=MILESTONE_ROW, context=context, event=event)


@router.post("/projects/{project_id}/milestones")
def create_milestone(
    request: Request, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(schemas.MilestoneCreate, form)
        m = service.create_milestone(session=session, by=access, data=data)
    if outcome.failed:
        context = _milestones_context(session, access) | _refusal(outcome, form, "milestone")
        new = "workstreams/_milestone_new.html"
        return forms.refused(request, MILESTONES, context, outcome, partial=new)
    url = f"/projects/{access.project_id}/milestones#milestone-{m.id}"
    return forms.done(request, url, "Milepælen er tilføjet.")


@router.post("/projects/{project_id}/milestones/{milestone_id}/delete")
def delete_milestone(
    request: Request, milestone_id: int, access: GroupWorker, session: SessionDep
) -> Response:
    service.delete_milestone(session=session, by=access, milestone_id=milestone_id)
    return forms.done(request, f"/projects/{access.project_id}/milestones", "Milepælen er slettet.")
