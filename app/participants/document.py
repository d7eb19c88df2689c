"""The registration schemes' part of the project document.

Only the schemes' definitions travel in the document. Participant records never do: they are
personal data kept in this installation, for registrars only, and deleted when their retention
period has passed.
"""

from pydantic import ConfigDict, Field
from sqlmodel import Session

from app.db import stored_id
from app.governance.models import Project
from app.inputs import Input
from app.participants import setup
from app.participants.models import RegistrationScheme
from app.participants.schemes import SchemeDefinition, apply_definition, definition_of
from app.projectdoc.refs import Refs


class SchemeDoc(SchemeDefinition):
    key: str = Field(min_length=1, max_length=80)


class ParticipantsDoc(Input):
    """The sections of the document that this domain owns."""

    model_config = ConfigDict(extra="forbid")

    participant_schemes: list[SchemeDoc] = []


def export_participants(*, session: Session, project: Project, refs: Refs) -> dict:
    """The project's registration schemes as a document section (no participant records)."""
    schemes = setup.list_schemes(session=session, project_id=stored_id(project))
    docs = []
    for i, scheme in enumerate(schemes, 1):
        refs.name("participant_scheme", scheme.id, f"scheme-{i}")
        docs.append(SchemeDoc(key=f"scheme-{i}", **definition_of(scheme).model_dump()))
    return ParticipantsDoc(participant_schemes=docs).model_dump(mode="json")


def check_participants(doc: ParticipantsDoc, refs: Refs) -> None:
    """Declare the schemes' keys; names must differ within the project."""
    refs.declare_all(
        "participant_scheme", "$.participant_schemes", [s.key for s in doc.participant_schemes]
    )
    seen: set[str] = set()
    for i, s in enumerate(doc.participant_schemes):
        if s.name in seen:
            refs.error(
                f"$.participant_schemes[{i}].name",
                f"Registreringsskemaet »{s.name}« står to gange.",
            )
        seen.add(s.name)


def load_participants(
    *, session: Session, doc: ParticipantsDoc, refs: Refs, project: Project
) -> None:
    """Create the schemes from checked document sections (no commit)."""
    for s in doc.participant_schemes:
        definition = SchemeDefinition.model_validate(s.model_dump(exclude={"key"}))
        scheme = RegistrationScheme(project_id=stored_id(project), name=definition.name)
        apply_definition(scheme, definition)
        session.add(scheme)
        session.flush()
        refs.bind("participant_scheme", s.key, scheme.id)
