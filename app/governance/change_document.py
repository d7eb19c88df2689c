"""The organisation's dated changes in the project document (`organisation_changes`): each
with its day, kind, the body and the person by document key (none once they are gone) and
their names as recorded, its text, and whether it was written by hand."""

from datetime import date

from pydantic import Field
from sqlmodel import Session, col, select

from app import inputs
from app.governance.models import Body, ChangeKind, OrganisationChange, Person
from app.projectdoc.refs import Refs


class OrganisationChangeDoc(inputs.Input):
    effective_date: date
    kind: ChangeKind = ChangeKind.other
    body: str | None = None
    body_name: str = Field(default="", max_length=200, title="Organets navn")
    person: str | None = None
    person_name: str = Field(default="", max_length=200, title="Personens navn")
    description: str = Field(min_length=1, max_length=1000)
    manual: bool = Field(default=False, title="Registreret i hånden")


def export_changes(*, session: Session, project_id: int, refs: Refs) -> list[OrganisationChangeDoc]:
    """The project's changes, oldest first (bodies and people already named in `refs`)."""
    rows = session.exec(
        select(OrganisationChange)
        .where(OrganisationChange.project_id == project_id)
        .order_by(col(OrganisationChange.effective_date), col(OrganisationChange.id))
    ).all()
    return [
        OrganisationChangeDoc(
            effective_date=c.effective_date,
            kind=c.kind,
            body=refs.key("body", c.body_id),
            body_name=c.body_name,
            person=refs.key("person", c.person_id),
            person_name=c.person_name,
            description=c.description,
            manual=c.manual,
        )
        for c in rows
    ]


def check_changes(changes: list[OrganisationChangeDoc], refs: Refs) -> None:
    """Every change's body and person must be keys of the document (errors go to refs)."""
    for i, c in enumerate(changes):
        refs.check("body", c.body, f"$.organisation_changes[{i}].body")
        refs.check("person", c.person, f"$.organisation_changes[{i}].person")


def load_changes(
    *, session: Session, project_id: int, changes: list[OrganisationChangeDoc], refs: Refs
) -> None:
    """Create the changes of a checked document (bodies and people already bound; no commit).
    A change without a name takes its body's or person's name."""
    for c in changes:
        body_id, person_id = refs.id("body", c.body), refs.id("person", c.person)
        body = session.get(Body, body_id) if body_id and not c.body_name else None
        person = session.get(Person, person_id) if person_id and not c.person_name else None
        session.add(
            OrganisationChange(
                project_id=project_id,
                effective_date=c.effective_date,
                kind=c.kind,
                body_id=body_id,
                body_name=c.body_name or (body.name if body else ""),
                person_id=person_id,
                person_name=c.person_name or (person.name if person else ""),
                description=c.description,
                manual=c.manual,
            )
        )
    session.flush()
