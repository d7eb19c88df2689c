"""API of the template library: the templates, a project saved as one, a project from one."""

from typing import Any

from fastapi import APIRouter, Response

from app.deps import AdminUser, CurrentUser, ProjectLeader, SessionDep
from app.projecttemplates import service
from app.projecttemplates.schemas import (
    CreatedProject,
    ProjectFromTemplate,
    TemplateDocument,
    TemplateSave,
    TemplateSummary,
)
from app.web.pagination import PageOf

router = APIRouter(prefix="/api", tags=["skabeloner"])


@router.get("/templates", response_model=list[TemplateSummary])
def list_templates(_user: CurrentUser, session: SessionDep, page: PageOf) -> Any:
    """The built-in templates, then the saved ones."""
    return page.slice(service.list_templates(session=session))


@router.get("/templates/{template_id}", response_model=TemplateDocument)
def get_template(template_id: str, _user: CurrentUser, session: SessionDep) -> Any:
    """A template with its project document (no people, no figures)."""
    summary, document = service.get_template(session=session, template_id=template_id)
    return TemplateDocument(template=summary, document=document)


@router.delete("/templates/{template_id}", status_code=204)
def delete_template(template_id: str, admin: AdminUser, session: SessionDep) -> Response:
    """Delete a saved template (administrator; the built-in ones cannot be deleted)."""
    service.delete_template(session=session, by=admin, template_id=template_id)
    return Response(status_code=204)


@router.post(
    "/projects/{project_id}/save-as-template", response_model=TemplateSummary, status_code=201
)
def save_as_template(data: TemplateSave, access: ProjectLeader, session: SessionDep) -> Any:
    """Save the project as a template (project leader, administrator)."""
    row = service.save_as_template(session=session, access=access, data=data)
    summary, _ = service.get_template(session=session, template_id=f"saved-{row.id}")
    return summary


@router.post("/projects/from-template", response_model=CreatedProject, status_code=201)
def create_from_template(data: ProjectFromTemplate, admin: AdminUser, session: SessionDep) -> Any:
    """A new project from a template, its dates moved to the start date (administrator)."""
    project = service.create_from_template(session=session, by=admin, data=data)
    return CreatedProject(id=project.id or 0, name=project.name)
