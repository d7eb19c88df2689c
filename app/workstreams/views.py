"""Pages of the workstreams' plans: the plans overview with compliance and "not anchored"
tasks, and a group's page (its tasks, its plan with versions, approval and the difference
against the baseline, its meeting rule) with the forms for the plan and the rule. The rows of
tasks and milestones edited in place are app/workstreams/task_views.py and milestone_views.py;
this module holds what every workstreams page shows (`base_context`)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.models import Role
from app.auth.service import Access
from app.clock import today
from app.deps import GroupWorker, ProjectAccess, ProjectLeader, SessionDep
from app.errors import Invalid
from app.governance.bodies import acts_for
from app.governance.models import Body, Project
from app.governance.permissions import PlanApprover
from app.governance.projects import get_project
from app.web import forms
from app.web.forms import FormDep, Outcome
from app.web.pagination import Page
from app.web.templating import render
from app.workstreams import baselines, compliance, plans, reads, schemas, tasks
from app.workstreams.models import (
    MILESTONE_STATUS_LABELS,
    PLAN_STATUS_LABELS,
    TASK_STATUS_LABELS,
    PlanStatus,
    TaskStatus,
)

router = APIRouter(include_in_schema=False)

LABELS = {
    "task_status": TASK_STATUS_LABELS,
    "milestone_status": MILESTONE_STATUS_LABELS,
    "plan_status": PLAN_STATUS_LABELS,
    "change": baselines.CHANGE_LABELS,
    "kind": {"task": "Opgave", "milestone": "Milepæl"},
}
# A group's page shows its first milestones by date (milestones.list_milestones' default).
MILESTONES_SHOWN = 200
# Rows per page: what a person reads at once (and what keeps a page's cost flat, bench/README.md).
GROUP_TASKS_PER_PAGE = 25
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
PLANS = "workstreams/plans.html"
GROUP = "workstreams/group.html"
UNANCHORED = "workstreams/_unanchored.html"


def group_options(access: Access, groups: list[Body]) -> list[tuple[int | None, str]]:
    """The groups the person may put a task or a milestone in, for a form's choice."""
    return [(g.id, g.name) for g in groups if access.can_edit_group(g.id)]


def base_context(
    session: Session, access: Access, project: Project | None = None
) -> dict[str, Any]:
    """What every page and row shows; a refused form adds `errors`, `values` and `refused`."""
    return {
        "project": project or get_project(session=session, project_id=access.project_id),
        "access": access,
        "labels": LABELS,
        "badges": BADGES,
        "today": today(),
        "errors": {},
        "values": {},
        "refused": "",
    }


def row_refused(request: Request, context: dict[str, Any], outcome: Outcome, row: str) -> Response:
    """A row's refused form: the row for htmx, else a page with that row alone."""
    page, context = "workstreams/row_page.html", context | {"row": row}
    return forms.refused(request, page, context, outcome, partial=row)


def refusal(outcome: Outcome, form: FormData, which: str) -> dict[str, Any]:
    """A refused form's messages and what was typed, for the one of the page's forms sent
    (`refused` names it: a page holds several forms, and only that one shows them)."""
    return outcome.context(form) | {"refused": which}


def approval_context(session: Session, access: Access, approver: Body | None) -> dict[str, Any]:
    """The body that approves plans (None when the project names none and has no steering group;
    compliance.plan_governance finds it) and whether the user may decide on its behalf
    (app.governance.bodies.acts_for)."""
    can_decide = approver is not None and acts_for(session=session, access=access, body=approver)
    return {"approver": approver, "can_decide": can_decide}


# The plans overview


@router.get("/projects/{project_id}/plans")
def plans_page(
    request: Request, access: ProjectAccess, session: SessionDep, page: int = 1
) -> Response:
    return render(request, PLANS, plans_context(session, access, page=page))


def plans_context(session: Session, access: Access, *, page: int = 1) -> dict[str, Any]:
    """The plans overview's context (also for a form of it that was refused)."""
    sees_unanchored = access.has(Role.steering_member, Role.project_leader)
    paging = Page(number=page)
    overview = reads.plans_overview(
        session=session,
        project_id=access.project_id,
        with_unanchored=sees_unanchored,
        offset=paging.offset,
        limit=paging.size,
    )
    if sees_unanchored:
        paging = paging.with_total(overview.unanchored_total)
    return (
        base_context(session, access, overview.project)
        | approval_context(session, access, overview.governance.approver)
        | {
            "items": overview.items,
            "sees_unanchored": sees_unanchored,
            "unanchored": overview.unanchored,
            "paging": paging,
            "groups": [(c.group.id, c.group.name) for c in overview.items],
            "can_anchor": access.leads,
            "awaiting": overview.awaiting,
            "rules": overview.governance.set_rules,
        }
    )


@router.post("/projects/{project_id}/tasks/{task_id}/anchor")
def anchor_task(
    request: Request, task_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    """Anchor a task in a group (from the list of tasks not anchored in a group)."""
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.TaskUpdate, form, version=version)
        tasks.update_task(session=session, by=access, task_id=task_id, data=data)
    if outcome.failed:
        context = plans_context(session, access) | refusal(outcome, form, f"anchor-{task_id}")
        return forms.refused(request, PLANS, context, outcome, partial=UNANCHORED)
    url = f"/projects/{access.project_id}/plans#uforankrede"
    return forms.done(request, url, "Opgaven er forankret i gruppen.")


# A group's page


@router.get("/projects/{project_id}/groups/{group_id}")
def group_page(
    request: Request,
    group_id: int,
    access: ProjectAccess,
    session: SessionDep,
    page: int = 1,
    parent_id: int | None = None,
) -> Response:
    """A group's page; `parent_id` opens the form that adds a task, as a sub-task of that one
    (»Tilføj underopgave« on a task's row)."""
    context = group_context(session, access, group_id=group_id, page=page)
    if parent_id is not None and any(pid == parent_id for pid, _ in context["parents"]):
        context["new_parent"] = parent_id
    return render(request, GROUP, context)


def group_context(
    session: Session, access: Access, *, group_id: int, page: int = 1
) -> dict[str, Any]:
    """A group's page's context (also for a form of it that was refused)."""
    can_edit = access.can_edit_group(group_id)
    project = get_project(session=session, project_id=access.project_id)
    governance = compliance.plan_governance(session=session, project=project, on=today())
    approval = approval_context(session, access, governance.approver)
    can_decide = approval["can_decide"]
    paging = Page(number=page, size=GROUP_TASKS_PER_PAGE)
    read = reads.group_page(
        session=session,
        project_id=access.project_id,
        group_id=group_id,
        offset=paging.offset,
        limit=paging.size,
        with_log=TASK_LOG_SIZE,
        milestones_shown=MILESTONES_SHOWN,
        with_meetings=can_decide,
        with_people=can_edit,
        project=project,
        governance=governance,
    )
    item = read.item
    return (
        base_context(session, access, read.project)
        | approval
        | {
            "group": read.group,
            "item": item,
            "tasks": read.tasks,
            "paging": paging.with_total(read.task_total),
            "task_titles": read.task_titles,
            "milestones": read.milestones,
            "plan": item.plan,
            "versions": item.versions,
            "baseline": item.baseline,
            "current": item.current,
            "submitted": read.submitted,
            "submitted_changes": read.submitted_changes,
            "steering_meetings": read.steering_meetings,
            "people": read.people,
            "parents": read.parents,
            "new_parent": None,
            "decisions": read.decisions,
            "can_edit": can_edit,
            "can_set_rule": access.leads,
        }
    )


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
        context = group_context(session, access, group_id=group_id) | refusal(outcome, form, which)
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
        plans.create_plan(session=session, by=access, data=forms.read(schemas.PlanCreate, form))
    message = "Planen er oprettet."
    return _on_group_page(request, session, access, int(group), form, outcome, "plan-new", message)


@router.post("/projects/{project_id}/plans/{plan_id}")
def update_plan(
    request: Request, plan_id: int, access: GroupWorker, session: SessionDep, form: FormDep
) -> Response:
    """Change the draft's text, or (status »draft«) make a new draft."""
    group_id = _plan_group(session, access, plan_id)
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.PlanUpdate, form, version=version)
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
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.PlanSubmit, form, version=version)
        plans.submit(session=session, by=access, plan_id=plan_id, data=data)
    message = "Planen er indsendt til godkendelse."
    return _on_group_page(request, session, access, group_id, form, outcome, "plan-submit", message)


@router.post("/projects/{project_id}/plans/{plan_id}/decide")
def decide_plan(
    request: Request, plan_id: int, access: PlanApprover, session: SessionDep, form: FormDep
) -> Response:
    """The approving body's form: »Godkend« or »Send tilbage« with comments (who may decide:
    plans.approve)."""
    group_id = _plan_group(session, access, plan_id)
    decide = plans.approve if form.get("decision") == "approve" else plans.return_plan
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.PlanDecisionIn, form, version=version)
        decide(session=session, by=access, plan_id=plan_id, data=data)
    message = "Planen er godkendt." if decide is plans.approve else "Planen er sendt tilbage."
    return _on_group_page(request, session, access, group_id, form, outcome, "plan-decide", message)


@router.post("/projects/{project_id}/groups/{group_id}/meeting-rule")
def set_meeting_rule(
    request: Request, group_id: int, access: ProjectLeader, session: SessionDep, form: FormDep
) -> Response:
    with forms.attempt(session) as outcome:
        version = forms.form_version(form.getlist("version"))
        data = forms.read(schemas.GroupSettingUpdate, form, version=version)
        compliance.set_meeting_rule(session=session, by=access, group_id=group_id, data=data)
    message = "Mødekadencen er gemt."
    return _on_group_page(request, session, access, group_id, form, outcome, "rule", message)
