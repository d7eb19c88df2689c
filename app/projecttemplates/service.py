"""The template library: the built-in templates and the saved ones, saving a project as a
template, and a new project from a template (docs/templates.md).

Built-ins are project documents in ./builtin (the Svendborg one is derived from the demo's
document at runtime); saved templates are rows of `project_template`. Both are reached by one
string id: the built-in's word ("pilot") or "saved-<n>".
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.models import ProjectMember, Role, User
from app.auth.service import Access
from app.db import stored_id
from app.demo.loader import demo_document
from app.errors import Conflict, Invalid, NotFound
from app.governance.models import Project
from app.projectdoc import document as projectdoc
from app.projecttemplates.document import shift_dates, to_template
from app.projecttemplates.models import ProjectTemplate
from app.projecttemplates.schemas import ProjectFromTemplate, TemplateSave, TemplateSummary

BUILTIN_DIR = Path(__file__).parent / "builtin"
SAVED_PREFIX: Final = "saved-"


def _file(name: str) -> Callable[[], dict[str, Any]]:
    return lambda: json.loads((BUILTIN_DIR / f"{name}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Builtin:
    id: str
    name: str
    description: str
    document: Callable[[], dict[str, Any]]


BUILTINS: Final = (
    Builtin(
        "svendborg",
        "Implementering af en reform (Svendborg)",
        "Svendborg Kommunes implementering af førtidspensions- og fleksjobreformen: direktion, "
        "styregruppe, projektledelse og fire implementeringsgrupper med mandater, opgaver, "
        "milepæle, succesmål, risici, interessenter og registreringsskemaer.",
        lambda: to_template(demo_document()),
    ),
    Builtin(
        "pilot",
        "Pilotprojekt i faser",
        "Et jobcenters pilotprojekt med tilskud: faser med aktiviteter, registreringspligt for "
        "deltagerne, og en indsatsgruppe, der mødes med de eksterne samarbejdspartnere mindst "
        "hvert kvartal. Jobcentrets ledelse godkender planer og statusnotater.",
        _file("pilot"),
    ),
    Builtin(
        "handleplan",
        "Handleplan med fokusområder og succesmål",
        "En kommunal handleplan: fokusområder med tiltag, succesmål med mål og målefrekvens, "
        "og afrapportering til et politisk udvalg, der godkender og modtager statusrapporterne.",
        _file("handleplan"),
    ),
)


@cache
def _builtin_document(template_id: str) -> str:
    """A built-in's document as JSON text, read once (a fresh copy is parsed on each use)."""
    found = next(b for b in BUILTINS if b.id == template_id)
    return json.dumps(found.document(), ensure_ascii=False)


def _summary(template_id: str, document: dict[str, Any], **values: Any) -> TemplateSummary:
    return TemplateSummary(
        id=template_id,
        bodies=len(document.get("bodies", [])),
        tasks=len(document.get("tasks", [])),
        indicators=len(document.get("indicators", [])),
        start_date=document.get("project", {}).get("start_date"),
        **values,
    )


def _saved_summary(row: ProjectTemplate, users: dict[int, str]) -> TemplateSummary:
    return _summary(
        f"{SAVED_PREFIX}{row.id}",
        json.loads(row.document),
        name=row.name,
        description=row.description,
        builtin=False,
        created_at=row.created_at,
        created_by=users.get(row.created_by or 0, ""),
        source_project_id=row.source_project_id,
    )


def list_templates(*, session: Session) -> list[TemplateSummary]:
    """The built-in templates, then the saved ones by name."""
    rows = session.exec(
        select(ProjectTemplate).order_by(col(ProjectTemplate.name), col(ProjectTemplate.id))
    ).all()
    users = _user_names(session, [r.created_by for r in rows])
    builtins = [
        _summary(
            b.id,
            json.loads(_builtin_document(b.id)),
            name=b.name,
            description=b.description,
            builtin=True,
        )
        for b in BUILTINS
    ]
    return builtins + [_saved_summary(r, users) for r in rows]


def _user_names(session: Session, ids: list[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    found = session.exec(select(User).where(col(User.id).in_(wanted))).all()
    return {stored_id(u): u.full_name or u.username for u in found}


def _saved_row(session: Session, template_id: str) -> ProjectTemplate | None:
    number = template_id.removeprefix(SAVED_PREFIX)
    if not template_id.startswith(SAVED_PREFIX) or not number.isdigit():
        return None
    return session.get(ProjectTemplate, int(number))


def get_template(*, session: Session, template_id: str) -> tuple[TemplateSummary, dict[str, Any]]:
    """A template and its project document; NotFound for an unknown id."""
    for b in BUILTINS:
        if b.id == template_id:
            document = json.loads(_builtin_document(b.id))
            summary = _summary(b.id, document, name=b.name, description=b.description, builtin=True)
            return summary, document
    row = _saved_row(session, template_id)
    if row is None:
        raise NotFound("Skabelonen findes ikke.", field="template")
    users = _user_names(session, [row.created_by])
    return _saved_summary(row, users), json.loads(row.document)


def save_as_template(*, session: Session, access: Access, data: TemplateSave) -> ProjectTemplate:
    """The project as a new saved template: its document without people and figures."""
    project = session.get(Project, access.project_id)
    if project is None:
        raise NotFound("Projektet findes ikke.")
    document = to_template(projectdoc.export_project(session=session, project=project))
    row = ProjectTemplate(
        name=data.name.strip(),
        description=data.description.strip(),
        document=json.dumps(document, ensure_ascii=False),
        created_by=access.user.id,
        source_project_id=access.project_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        by=access.user,
        action="saved_as_template",
        entity="project_template",
        entity_id=row.id,
        project_id=access.project_id,
        after={"name": row.name, "description": row.description},
    )
    session.commit()
    return row


def create_from_template(*, session: Session, by: User, data: ProjectFromTemplate) -> Project:
    """A new project from a template: the template's document under the new name and
    municipality, every date moved so that the project starts on the start date, and the
    chosen user as its project leader."""
    try:
        summary, document = get_template(session=session, template_id=data.template)
    except NotFound:
        raise Invalid("Vælg en af skabelonerne på listen.", field="template") from None
    leader = None
    if data.project_leader_user_id is not None:
        leader = session.get(User, data.project_leader_user_id)
        if leader is None or not leader.is_active:
            raise Invalid("Brugeren findes ikke.", field="project_leader_user_id")
    document = shift_dates(document, data.start_date)
    document["project"] |= {"name": data.name.strip(), "municipality": data.municipality.strip()}
    project = projectdoc.load_project(session=session, data=document)
    project_id = stored_id(project)
    if leader is not None:
        session.add(
            ProjectMember(
                project_id=project_id, user_id=stored_id(leader), role=Role.project_leader
            )
        )
    audit.record(
        session=session,
        by=by,
        action="created_from_template",
        entity="project",
        entity_id=project_id,
        project_id=project_id,
        after={
            "template": summary.id,
            "template_name": summary.name,
            "start_date": data.start_date,
            "project_leader": leader and leader.username,
        },
    )
    session.commit()
    return project


def delete_template(*, session: Session, by: User, template_id: str) -> None:
    """Delete a saved template (the built-in ones stay)."""
    if any(b.id == template_id for b in BUILTINS):
        raise Conflict("De indbyggede skabeloner kan ikke slettes.")
    row = _saved_row(session, template_id)
    if row is None:
        raise NotFound("Skabelonen findes ikke.")
    audit.record(
        session=session,
        by=by,
        action="deleted",
        entity="project_template",
        entity_id=row.id,
        project_id=None,
        before={"name": row.name, "description": row.description},
    )
    session.delete(row)
    session.commit()
