"""Rows of tasks edited in place with htmx: a task's row, its progress-logging and edit forms,
and adding and deleting tasks (from a group's page, or not anchored, from the plans overview)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.auth.service import Access
from app.deps import GroupWorker, ProjectAccess, SessionDep
from app.errors import Forbidden, Invalid
from app.governance.bodies import implementation_groups
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import render
from app.workstreams import progress, reads, schemas, tasks
from app.workstreams.views import (
    GROUP,
    PLANS,
    TASK_LOG_SIZE,
    TASK_ROW,
    UNANCHORED,
    base_context,
    group_context,
    group_options,
    plans_context,
    refusal,
    row_refused,
)

router = APIRouter(include_in_schema=False)


def _task_context(
    session: Session, access: Access, *, task_id: int, mode: str = "view"
) -> dict[str, Any]:
    view = tasks.task_view(
        session=session, project_id=access.project_id, task_id=task_id, with_log=TASK_LOG_SIZE
    )
    context = base_context(session, access) | {
        "t": view,
        "mode": mode,
        "task_titles": reads.dependency_titles([view]),
        "can_edit": access.can_edit_group(view.task.group_id),
    }
    if mode == "edit":
        choices = reads.task_form_choices(
            session=session, project_id=access.project_id, task_id=task_id
        )
        context |= {
            "people": choices.people,
            "groups": group_options(access, choices.groups),
            "can_unanchor": access.leads,
            "all_tasks": choices.other_tasks,
            "parents": choices.parents,
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
    task = tasks.get_task(session=session, project_id=access.project_id, task_id=task_id)
    if not access.can_edit_group(task.group_id):
        raise Forbidden(tasks.TASK_REFUSED)
    mode = "edit" if request.url.path.endswith("/edit") else "log"
    return render(request, TASK_ROW, _task_context(session, access, task_id=task_id, mode=mode))


@router.post("/projects/{project_id}/tasks/{task_id}/log")
def log_progress(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Log progress from the group's page; the row is swapped in place (no page reload)."""
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.ProgressEntryCreate, form, version=version)
        progress.log_progress(session=session, by=access, task_id=task_id, data=data)
    if outcome.failed:
        context = _task_context(session, access, task_id=task_id, mode="log")
        return row_refused(request, context | outcome.context(form), outcome, TASK_ROW)
    message = "Fremdriften er registreret."
    return _task_saved(request, session, access, task_id, message, "task.progress_logged")


@router.post("/projects/{project_id}/tasks/{task_id}")
def update_task(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Save a task edited in its row (no dependency chosen: it depends on none)."""
    cleared: dict[str, Any] = {} if "depends_on" in form else {"depends_on": []}
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.TaskUpdate, form, version=version, **cleared)
        task = tasks.update_task(session=session, by=access, task_id=task_id, data=data)
    if outcome.failed:
        context = _task_context(session, access, task_id=task_id, mode="edit")
        context |= outcome.context(form)
        if "values" in context:  # every dependency chosen, not only the last
            context["values"]["depends_on"] = form.getlist("depends_on")
        return row_refused(request, context, outcome, TASK_ROW)
    left = str(form.get("from_group") or "")
    if left and left != str(task.group_id):
        # The task left the group whose page the row is on: show that page without it (only
        # a group of the project: the address goes into a header).
        groups = implementation_groups(session=session, project_id=access.project_id)
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
        task = tasks.create_task(
            session=session, by=access, data=forms.read(schemas.TaskCreate, form)
        )
    group = str(form.get("group_id") or "")
    if outcome.failed and group.isdigit():
        context = group_context(session, access, group_id=int(group))
        context |= refusal(outcome, form, "task")
        return forms.refused(request, GROUP, context, outcome, partial="workstreams/_task_new.html")
    if outcome.failed:
        context = plans_context(session, access) | refusal(outcome, form, "task")
        return forms.refused(request, PLANS, context, outcome, partial=UNANCHORED)
    where = f"groups/{task.group_id}#task-{task.id}" if task.group_id else "plans#uforankrede"
    return forms.done(request, f"/projects/{access.project_id}/{where}", "Opgaven er tilføjet.")


@router.post("/projects/{project_id}/tasks/{task_id}/delete")
def delete_task(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    group_id = tasks.get_task(
        session=session, project_id=access.project_id, task_id=task_id
    ).group_id
    tasks.delete_task(
        session=session,
        by=access,
        task_id=task_id,
        version=forms.form_version(form.getlist("version")),
    )
    where = f"groups/{group_id}#opgaver" if group_id else "plans#uforankrede"
    return forms.done(request, f"/projects/{access.project_id}/{where}", "Opgaven er slettet.")


@router.post("/projects/{project_id}/tasks/{task_id}/move")
def move_task(
    request: Request, task_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Move a task one place up or down among its siblings (the group page's ↑ and ↓)."""
    task = tasks.get_task(session=session, project_id=access.project_id, task_id=task_id)
    step = {"up": -1, "down": 1}.get(str(form.get("direction") or ""))
    if step is None:
        raise Invalid("Vælg »Op« eller »Ned«.", field="direction")
    version = forms.form_version(form.getlist("version"))
    data = schemas.TaskUpdate(position=max(task.position + step, 1), version=version)
    tasks.update_task(session=session, by=access, task_id=task_id, data=data)
    where = f"groups/{task.group_id}#task-{task_id}" if task.group_id else "plans#uforankrede"
    return forms.done(request, f"/projects/{access.project_id}/{where}", "Opgaven er flyttet.")
