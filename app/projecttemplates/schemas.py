"""Inputs and answers of the template library (pages and API alike)."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from app import inputs


class Schema(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


class TemplateSave(Schema):
    """A project saved as a template: its name and what it is for."""

    name: str = Field(min_length=1, max_length=200, title="Skabelonens navn")
    description: str = Field(default="", max_length=2000)


class ProjectFromTemplate(Schema):
    """A new project from a template: its name, municipality, start and project leader."""

    template: str = Field(min_length=1, max_length=40, title="Skabelon")
    name: str = Field(min_length=1, max_length=200, title="Projektets navn")
    municipality: str = Field(default="", max_length=120)
    start_date: date
    project_leader_user_id: int | None = None


class TemplateSummary(BaseModel):
    """A template as the list shows it: built-ins have a word for id, saved ones "saved-<n>"."""

    id: str
    name: str
    description: str
    builtin: bool
    bodies: int
    tasks: int
    indicators: int
    start_date: date | None
    created_at: datetime | None = None
    created_by: str = ""
    source_project_id: int | None = None


class TemplateDocument(BaseModel):
    """A template with its project document."""

    template: TemplateSummary
    document: dict


class CreatedProject(BaseModel):
    id: int
    name: str
