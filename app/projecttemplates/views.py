"""Pages of the template library: the templates and what each holds, a project saved as a
template, and a new project from a template (the third way on /projects/new)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.auth.service import list_users
from app.deps import AdminUser, CurrentUser, ProjectLeader, SessionDep
from app.governance.models import BODY_KIND_LABELS, MEETING_COUNTERPART_LABELS
from app.governance.shared_views import page_context
from app.projectdoc import document as projectdoc
from app.projecttemplates import service
from app.projecttemplates.schemas import ProjectFromTemplate, TemplateSave
from app.risks.rules import DIRECTION_LABELS, FREQUENCY_LABELS, RAID_KIND_LABELS
from app.web import forms
from app.web.forms import FormDep
from app.web.templating import render
from app.workstreams.document import TaskDoc

router = APIRouter()
NEW_FROM_TEMPLATE = "/projects/new/from-template"


def from_template_context(session: Session, **values: Any) -> dict[str, Any]:
    """What the form for a project from a template needs (also on /projects/new)."""
    return {
        "templates": service.list_templates(session=session),
        "template_users": [u for u in list_users(session=session) if u.is_active],
        "template_values": {},
        "template_errors": {},
    } | values


@router.get("/templates")
def template_library(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """The built-in and the saved templates."""
    context = {"templates": service.list_templates(session=session), "can_delete": user.is_admin}
    return render(request, "projecttemplates/library.html", context)


@router.get(NEW_FROM_TEMPLATE)
def new_from_template(
    request: Request, _admin: AdminUser, session: SessionDep, template: str = ""
) -> Response:
    """The form for a new project from a template (the template chosen beforehand, if given)."""
    context = from_template_context(session, template_values={"template": template})
    return render(request, "projecttemplates/new_project.html", context)


@router.post("/projects/from-template")
def create_from_template(
    request: Request, form: FormDep, admin: AdminUser, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(ProjectFromTemplate, form)
        project = service.create_from_template(session=session, by=admin, data=data)
    if outcome.failed:
        context = from_template_context(
            session, template_values=dict(form), template_errors=outcome.errors
        )
        return render(
            request,
            "projecttemplates/new_project.html",
            context,
            status_code=outcome.status_code,
        )
    return forms.done(
        request,
        f"/projects/{project.id}/organisation",
        f"Projektet »{project.name}« er oprettet fra skabelonen.",
    )


@router.get("/templates/{template_id}")
def template_page(
    request: Request, template_id: str, user: CurrentUser, session: SessionDep
) -> Response:
    """What a template holds: charter texts, bodies and mandates, the plan, measures, risks."""
    summary, document = service.get_template(session=session, template_id=template_id)
    doc = projectdoc.parse(document)
    context = {
        "template": summary,
        "doc": doc,
        "can_delete": user.is_admin and not summary.builtin,
        "can_create": user.is_admin,
        "kind_labels": BODY_KIND_LABELS,
        "counterpart_labels": MEETING_COUNTERPART_LABELS,
        "frequency_labels": FREQUENCY_LABELS,
        "direction_labels": DIRECTION_LABELS,
        "raid_labels": RAID_KIND_LABELS,
        "tasks": _task_tree(doc.tasks),
    }
    return render(request, "projecttemplates/template.html", context)


def _task_tree(tasks: list[TaskDoc]) -> list[tuple[int, TaskDoc, bool]]:
    """The tasks in tree order with their depth (0 at the top) and whether they have children
    (a parent before its children, siblings in the document's order)."""
    keys = {t.key for t in tasks}
    children: dict[str | None, list[TaskDoc]] = {}
    for t in tasks:
        parent = getattr(t, "parent", None)
        children.setdefault(parent if parent in keys else None, []).append(t)
    ordered: list[tuple[int, TaskDoc, bool]] = []

    def walk(parent: str | None, depth: int) -> None:
        for t in children.get(parent, []):
            ordered.append((depth, t, t.key in children))
            walk(t.key, depth + 1)

    walk(None, 0)
    return ordered


@router.post("/templates/{template_id}/delete")
def delete_template(
    request: Request, template_id: str, admin: AdminUser, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        service.delete_template(session=session, by=admin, template_id=template_id)
    if outcome.failed:
        return forms.error_page(request, outcome.status_code, list(outcome.errors.values()))
    return forms.done(request, "/templates", "Skabelonen er slettet.")


def _save_context(session: Session, access: Any, **values: Any) -> dict[str, Any]:
    return page_context(session, access, values={}, errors={}) | values


@router.get("/projects/{project_id}/save-as-template")
def save_form(request: Request, access: ProjectLeader, session: SessionDep) -> Response:
    """The form to save the project as a template."""
    context = _save_context(session, access)
    context["values"] = {"name": context["project"].name}
    return render(request, "projecttemplates/save.html", context)


@router.post("/projects/{project_id}/save-as-template")
def save_as_template(
    request: Request, form: FormDep, access: ProjectLeader, session: SessionDep
) -> Response:
    with forms.attempt(session) as outcome:
        data = forms.read(TemplateSave, form)
        row = service.save_as_template(session=session, access=access, data=data)
    if outcome.failed:
        context = _save_context(session, access, **outcome.context(form))
        return forms.refused(request, "projecttemplates/save.html", context, outcome)
    return forms.done(
        request, f"/templates/saved-{row.id}", f"Projektet er gemt som skabelonen »{row.name}«."
    )
