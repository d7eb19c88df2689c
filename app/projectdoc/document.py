"""Export and import of a whole project as one JSON document (format documented in docs/).

Each domain owns its sections (their shapes, export and load); this module puts them together in
dependency order, checks references across them, and imports in one transaction.
"""

from typing import Any, Final, Literal

from pydantic import ValidationError
from sqlmodel import Session

from app.attachments import document as attachments
from app.audit import service as audit
from app.auth.models import User
from app.budget import document as budget
from app.db import stored_id
from app.errors import InvalidDocument, danish_message
from app.governance import document as organisation
from app.governance.models import Project
from app.participants import document as participants
from app.projectdoc.refs import Refs
from app.risks import document as risks
from app.stakeholders import document as stakeholders
from app.workstreams import document as workstreams
from app.workstreams import document_load as workstreams_load

FORMAT: Final = "reformstyr.project"
FORMAT_VERSION: Final = 1


class ProjectDocument(
    organisation.OrganisationDoc,
    participants.ParticipantsDoc,
    risks.RisksDoc,
    stakeholders.StakeholdersDoc,
    workstreams.WorkstreamsDoc,
    budget.BudgetDoc,
    attachments.AttachmentsDoc,
):
    format: Literal["reformstyr.project"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the project document."""
    schema = ProjectDocument.model_json_schema()
    schema["$id"] = "https://reformstyr.dk/schema/project-document-v1.json"
    schema["title"] = "Reformstyr projektdokument"
    return schema


def export_project(*, session: Session, project: Project) -> dict[str, Any]:
    """The whole project as a document (keys instead of ids)."""
    refs = Refs()
    project_id = stored_id(project)
    doc: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    doc |= organisation.export_organisation(session=session, project=project, refs=refs)
    doc |= risks.export_risks(session=session, project_id=project_id, refs=refs)
    doc |= participants.export_participants(session=session, project=project, refs=refs)
    doc |= stakeholders.export_stakeholders(session=session, project_id=project_id, refs=refs)
    doc |= workstreams.export_workstreams(session=session, project_id=project_id, refs=refs)
    doc |= budget.export_budget(session=session, project_id=project_id, refs=refs)
    doc |= attachments.export_attachments(session=session, project_id=project_id, refs=refs)
    return doc


def parse(data: Any) -> ProjectDocument:
    """Validate a document's shape and references; InvalidDocument lists every error's path."""
    try:
        doc = ProjectDocument.model_validate(data)
    except ValidationError as exc:
        raise InvalidDocument(
            [
                {"path": _json_path(e["loc"]), "message": danish_message(dict(e))}
                for e in exc.errors()
            ]
        ) from None
    refs = Refs()
    organisation.check_organisation(doc, refs)
    risks.check_risks(doc, refs)
    participants.check_participants(doc, refs)
    stakeholders.check_stakeholders(doc, refs)
    workstreams.check_workstreams(doc, refs)
    budget.check_budget(doc, refs)
    attachments.check_attachments(doc, refs)
    if refs.errors:
        raise InvalidDocument(refs.errors)
    return doc


def import_project(
    *, session: Session, data: Any, by: User | None, refs: Refs | None = None
) -> Project:
    """Create a new project from a document; nothing is stored if any part is invalid. `refs`,
    when given, holds the new id of every key in the document afterwards (`Refs.created`)."""
    project = load_project(session=session, data=data, refs=refs)
    audit.record(
        session=session,
        by=by,
        action="imported",
        entity="project",
        entity_id=project.id,
        project_id=project.id,
        after={"name": project.name},
    )
    session.commit()
    return project


def load_project(*, session: Session, data: Any, refs: Refs | None = None) -> Project:
    """A new project from a document, without audit event or commit: for a use case that
    records its own and adds to the same transaction (a project from a template)."""
    doc = parse(data)
    refs = refs if refs is not None else Refs()
    project = organisation.load_organisation(session=session, doc=doc, refs=refs)
    project_id = stored_id(project)
    risks.load_risks(session=session, doc=doc, project_id=project_id, refs=refs)
    participants.load_participants(session=session, doc=doc, refs=refs, project=project)
    stakeholders.load_stakeholders(session=session, doc=doc, refs=refs, project_id=project_id)
    workstreams_load.load_workstreams(session=session, doc=doc, project_id=project_id, refs=refs)
    budget.load_budget(session=session, doc=doc, refs=refs, project_id=project_id)
    attachments.load_attachments(session=session, doc=doc, project_id=project_id, refs=refs)
    return project


def _json_path(loc: tuple[Any, ...]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
