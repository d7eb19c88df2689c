"""The table of saved templates: a project document without people and figures, kept under a
name for new projects to start from (the built-in templates are files, not rows)."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.db import utcnow


class ProjectTemplate(SQLModel, table=True):
    __tablename__ = "project_template"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    # The template's project document as JSON text (app.projecttemplates.document.to_template).
    document: str = Field(sa_column=Column(Text, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    source_project_id: int | None = Field(
        default=None, foreign_key="project.id", ondelete="SET NULL"
    )
