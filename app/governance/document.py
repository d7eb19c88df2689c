"""The organisation's part of the project document: charter, director areas, people, bodies with
their members and mandates, meetings (agenda, attendance, minutes), the decision log and the
dated organisation changes (their section: change_document.py).

Entities refer to each other by document keys ("person-3"), never by database ids, so a document
exported from one installation imports into another.
"""

from datetime import date

from pydantic import Field
from sqlmodel import Session, col, select

from app import inputs
from app.db import stored_id
from app.governance.change_document import (
    OrganisationChangeDoc,
    check_changes,
    export_changes,
    load_changes,
)
from app.governance.decisions import fold
from app.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Decision,
    DirectorArea,
    FollowUpAction,
    MandateItem,
    MandateStatus,
    Meeting,
    MemberRole,
    Membership,
    Person,
    Project,
    ProjectBase,
)
from app.projectdoc.refs import Refs


class Strict(inputs.Input):
    """Input of this domain (app.inputs.Input)."""


# The charter's fields are ProjectBase's (app.governance.models); a document must name its project.
# (mypy finds SQLModel's config type and Input's at odds; pydantic merges them.)
class CharterDoc(Strict, ProjectBase):  # type: ignore[misc]
    name: str = Field(min_length=1, max_length=200)
    # The bodies (by key) that approve plans, approve status reports and receive them; none:
    # the default (the steering group, the directorate), as in the project's charter.
    plan_approver: str | None = None
    report_approver: str | None = None
    report_recipient: str | None = None


# The charter's body settings: the document's field and the project's column.
GOVERNANCE_FIELDS = {
    "plan_approver": "plan_approver_id",
    "report_approver": "report_approver_id",
    "report_recipient": "report_recipient_id",
}


class DirectorAreaDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)


class PersonDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    director_area: str | None = None


class MemberDoc(Strict):
    person: str
    role: MemberRole = MemberRole.member
    condition: str = Field(default="", max_length=500)


class MandateItemDoc(Strict):
    text: str = Field(min_length=1, max_length=1000)
    status: MandateStatus = MandateStatus.not_started
    note: str = Field(default="", max_length=2000)
    status_date: date | None = None


class BodyDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    kind: BodyKind
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    reports_to: str | None = None
    members: list[MemberDoc] = []
    mandate: list[MandateItemDoc] = []


class AgendaItemDoc(Strict):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)


class AttendanceDoc(Strict):
    person: str
    status: AttendanceStatus = AttendanceStatus.present
    reason: str = Field(default="", max_length=500)


class MeetingDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    body: str
    meeting_date: date
    start_time: str = Field(default="", pattern=r"^(([01]\d|2[0-3]):[0-5]\d)?$")
    place: str = Field(default="", max_length=200)
    with_project_management: bool = False
    with_external_partners: bool = False
    agenda: list[AgendaItemDoc] = []
    attendance: list[AttendanceDoc] = []
    minutes: str = Field(default="", max_length=20000)


class FollowUpDoc(Strict):
    text: str = Field(min_length=1, max_length=1000)
    owner: str | None = None
    due_date: date | None = None
    done_date: date | None = None


class DecisionDoc(Strict):
    key: str = Field(min_length=1, max_length=80)
    number: int = Field(ge=1)
    body: str
    meeting: str | None = None
    decision_date: date
    title: str = Field(min_length=1, max_length=300)
    text: str = Field(default="", max_length=10000)
    kind: str = Field(default="decision", min_length=1, max_length=40)
    superseded_by: str | None = None
    actions: list[FollowUpDoc] = []


class OrganisationDoc(Strict):
    """The sections of the document that this domain owns."""

    project: CharterDoc
    director_areas: list[DirectorAreaDoc] = []
    people: list[PersonDoc] = []
    bodies: list[BodyDoc] = []
    meetings: list[MeetingDoc] = []
    decisions: list[DecisionDoc] = []
    organisation_changes: list[OrganisationChangeDoc] = []


def export_organisation(*, session: Session, project: Project, refs: Refs) -> dict:
    """The charter, director areas, people and bodies of a project, as document sections."""
    areas = session.exec(
        select(DirectorArea)
        .where(DirectorArea.project_id == project.id)
        .order_by(col(DirectorArea.position), col(DirectorArea.id))
    ).all()
    people = session.exec(
        select(Person).where(Person.project_id == project.id).order_by(col(Person.id))
    ).all()
    bodies = session.exec(
        select(Body).where(Body.project_id == project.id).order_by(col(Body.position), col(Body.id))
    ).all()
    memberships = session.exec(
        select(Membership)
        .where(col(Membership.body_id).in_([b.id for b in bodies]))
        .order_by(col(Membership.id))
    ).all()
    for i, area in enumerate(areas, 1):
        refs.name("area", area.id, f"area-{i}")
    for i, person in enumerate(people, 1):
        refs.name("person", person.id, f"person-{i}")
    for i, body in enumerate(bodies, 1):
        refs.name("body", body.id, f"body-{i}")
    members_by_body: dict[int, list[MemberDoc]] = {}
    for m in memberships:
        members_by_body.setdefault(m.body_id, []).append(
            MemberDoc(person=refs.key("person", m.person_id), role=m.role, condition=m.condition)
        )
    mandate_by_body: dict[int, list[MandateItemDoc]] = {}
    for item in session.exec(
        select(MandateItem)
        .where(col(MandateItem.body_id).in_([b.id for b in bodies]))
        .order_by(col(MandateItem.position), col(MandateItem.id))
    ).all():
        mandate_by_body.setdefault(item.body_id, []).append(
            MandateItemDoc(
                text=item.text, status=item.status, note=item.note, status_date=item.status_date
            )
        )
    doc = OrganisationDoc(
        project=CharterDoc.model_validate(
            project.model_dump(include=set(CharterDoc.model_fields))
            | {
                name: refs.key("body", getattr(project, column))
                for name, column in GOVERNANCE_FIELDS.items()
            }
        ),
        director_areas=[DirectorAreaDoc(key=refs.key("area", a.id), name=a.name) for a in areas],
        people=[
            PersonDoc(
                key=refs.key("person", p.id),
                name=p.name,
                title=p.title,
                email=p.email,
                director_area=refs.key("area", p.director_area_id),
            )
            for p in people
        ],
        bodies=[
            BodyDoc(
                key=refs.key("body", b.id),
                kind=b.kind,
                name=b.name,
                description=b.description,
                reports_to=refs.key("body", b.reports_to_id),
                members=members_by_body.get(b.id or 0, []),
                mandate=mandate_by_body.get(b.id or 0, []),
            )
            for b in bodies
        ],
        meetings=_export_meetings(session=session, project=project, refs=refs),
        decisions=_export_decisions(session=session, project=project, refs=refs),
        organisation_changes=export_changes(
            session=session, project_id=stored_id(project), refs=refs
        ),
    )
    out = doc.model_dump(mode="json")
    for name in GOVERNANCE_FIELDS:  # a body setting left to its default is not written
        if out["project"][name] is None:
            del out["project"][name]
    return out


def _export_meetings(*, session: Session, project: Project, refs: Refs) -> list[MeetingDoc]:
    meetings = session.exec(
        select(Meeting)
        .where(Meeting.project_id == project.id)
        .order_by(col(Meeting.meeting_date), col(Meeting.start_time), col(Meeting.id))
    ).all()
    ids = [m.id for m in meetings]
    agenda: dict[int, list[AgendaItemDoc]] = {}
    for a in session.exec(
        select(AgendaItem)
        .where(col(AgendaItem.meeting_id).in_(ids))
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    ).all():
        agenda.setdefault(a.meeting_id, []).append(
            AgendaItemDoc(title=a.title, description=a.description)
        )
    attendance: dict[int, list[AttendanceDoc]] = {}
    for r in session.exec(
        select(Attendance).where(col(Attendance.meeting_id).in_(ids)).order_by(col(Attendance.id))
    ).all():
        attendance.setdefault(r.meeting_id, []).append(
            AttendanceDoc(
                person=refs.key("person", r.person_id) or "", status=r.status, reason=r.reason
            )
        )
    docs = []
    for i, m in enumerate(meetings, 1):
        refs.name("meeting", m.id, f"meeting-{i}")
        docs.append(
            MeetingDoc(
                key=f"meeting-{i}",
                body=refs.key("body", m.body_id) or "",
                meeting_date=m.meeting_date,
                start_time=m.start_time,
                place=m.place,
                with_project_management=m.with_project_management,
                with_external_partners=m.with_external_partners,
                agenda=agenda.get(m.id or 0, []),
                attendance=attendance.get(m.id or 0, []),
                minutes=m.minutes,
            )
        )
    return docs


def _export_decisions(*, session: Session, project: Project, refs: Refs) -> list[DecisionDoc]:
    decisions = session.exec(
        select(Decision).where(Decision.project_id == project.id).order_by(col(Decision.number))
    ).all()
    for i, d in enumerate(decisions, 1):
        refs.name("decision", d.id, f"decision-{i}")
    actions: dict[int, list[FollowUpDoc]] = {}
    for a in session.exec(
        select(FollowUpAction)
        .where(col(FollowUpAction.decision_id).in_([d.id for d in decisions]))
        .order_by(col(FollowUpAction.id))
    ).all():
        actions.setdefault(a.decision_id, []).append(
            FollowUpDoc(
                text=a.text,
                owner=refs.key("person", a.owner_person_id),
                due_date=a.due_date,
                done_date=a.done_date,
            )
        )
    return [
        DecisionDoc(
            key=refs.key("decision", d.id) or "",
            number=d.number,
            body=refs.key("body", d.body_id) or "",
            meeting=refs.key("meeting", d.meeting_id),
            decision_date=d.decision_date,
            title=d.title,
            text=d.text,
            kind=d.kind,
            superseded_by=refs.key("decision", d.superseded_by_id),
            actions=actions.get(d.id or 0, []),
        )
        for d in decisions
    ]


def check_organisation(doc: OrganisationDoc, refs: Refs) -> None:
    """Declare the document's keys and check every reference to them (errors go to refs)."""
    refs.declare_all("area", "$.director_areas", [a.key for a in doc.director_areas])
    refs.declare_all("person", "$.people", [p.key for p in doc.people])
    refs.declare_all("body", "$.bodies", [b.key for b in doc.bodies])
    for i, p in enumerate(doc.people):
        refs.check("area", p.director_area, f"$.people[{i}].director_area")
    for name in GOVERNANCE_FIELDS:
        refs.check("body", getattr(doc.project, name), f"$.project.{name}")
    for i, b in enumerate(doc.bodies):
        refs.check("body", b.reports_to, f"$.bodies[{i}].reports_to")
        seen: set[str] = set()
        for j, m in enumerate(b.members):
            path = f"$.bodies[{i}].members[{j}]"
            refs.check("person", m.person, f"{path}.person")
            if m.person in seen:
                refs.error(f"{path}.person", f"Personen »{m.person}« er med i organet to gange.")
            seen.add(m.person)
            if m.role == MemberRole.ad_hoc and not m.condition.strip():
                refs.error(
                    f"{path}.condition",
                    "Et ad hoc-medlem skal have en betingelse for, hvornår det tilkobles.",
                )
    kinds = {b.key: b.kind for b in doc.bodies}
    for kind in (BodyKind.directorate, BodyKind.steering_group, BodyKind.project_management):
        found = [i for i, b in enumerate(doc.bodies) if b.kind == kind]
        for i in found[1:]:
            refs.error(f"$.bodies[{i}].kind", f"Der kan kun være ét organ af typen »{kind}«.")
    _check_meetings(doc, refs, kinds)
    _check_decisions(doc, refs)
    check_changes(doc.organisation_changes, refs)


def _check_meetings(doc: OrganisationDoc, refs: Refs, kinds: dict[str, BodyKind]) -> None:
    refs.declare_all("meeting", "$.meetings", [m.key for m in doc.meetings])
    for i, m in enumerate(doc.meetings):
        path = f"$.meetings[{i}]"
        refs.check("body", m.body, f"{path}.body")
        if m.with_project_management and kinds.get(m.body) == BodyKind.project_management:
            refs.error(
                f"{path}.with_project_management",
                "Projektledelsens eget møde kan ikke være et møde med projektledelsen.",
            )
        seen: set[str] = set()
        for j, a in enumerate(m.attendance):
            refs.check("person", a.person, f"{path}.attendance[{j}].person")
            if a.person in seen:
                refs.error(
                    f"{path}.attendance[{j}].person",
                    f"Personen »{a.person}« er registreret to gange ved mødet.",
                )
            seen.add(a.person)
            if a.status == AttendanceStatus.called_in and not a.reason.strip():
                refs.error(
                    f"{path}.attendance[{j}].reason",
                    "Et ad hoc-medlem, der er indkaldt, skal have en begrundelse.",
                )


def _check_decisions(doc: OrganisationDoc, refs: Refs) -> None:
    refs.declare_all("decision", "$.decisions", [d.key for d in doc.decisions])
    meeting_bodies = {m.key: m.body for m in doc.meetings}
    bodies = {b.key for b in doc.bodies}
    numbers: set[int] = set()
    for i, d in enumerate(doc.decisions):
        path = f"$.decisions[{i}]"
        refs.check("body", d.body, f"{path}.body")
        refs.check("meeting", d.meeting, f"{path}.meeting")
        refs.check("decision", d.superseded_by, f"{path}.superseded_by")
        if (
            d.meeting in meeting_bodies
            and meeting_bodies[d.meeting] in bodies
            and (meeting_bodies[d.meeting] != d.body)
        ):
            refs.error(f"{path}.meeting", "Mødet er et møde i et andet organ end beslutningens.")
        if d.superseded_by == d.key:
            refs.error(f"{path}.superseded_by", "En beslutning kan ikke afløse sig selv.")
        if d.number in numbers:
            refs.error(f"{path}.number", f"Beslutningsnummeret {d.number} er brugt før.")
        numbers.add(d.number)
        for j, a in enumerate(d.actions):
            refs.check("person", a.owner, f"{path}.actions[{j}].owner")


def load_organisation(*, session: Session, doc: OrganisationDoc, refs: Refs) -> Project:
    """Create the project and its organisation from checked document sections (no commit)."""
    charter = doc.project.model_dump(exclude=set(GOVERNANCE_FIELDS))
    project = Project.model_validate(ProjectBase.model_validate(charter))
    session.add(project)
    session.flush()
    project_id = stored_id(project)
    for i, a in enumerate(doc.director_areas):
        area = DirectorArea(project_id=project_id, name=a.name, position=i)
        session.add(area)
        session.flush()
        refs.bind("area", a.key, area.id)
    people = []
    for p in doc.people:
        person = Person(
            project_id=project_id,
            name=p.name,
            title=p.title,
            email=p.email,
            director_area_id=refs.id("area", p.director_area),
        )
        session.add(person)
        people.append((p.key, person))
    session.flush()
    for key, person in people:
        refs.bind("person", key, person.id)
    bodies = []
    for i, b in enumerate(doc.bodies):
        body = Body(
            project_id=project_id, kind=b.kind, name=b.name, description=b.description, position=i
        )
        session.add(body)
        bodies.append((b, body))
    session.flush()
    for b, body in bodies:
        refs.bind("body", b.key, body.id)
    for name, column in GOVERNANCE_FIELDS.items():
        setattr(project, column, refs.id("body", getattr(doc.project, name)))
    for b, body in bodies:
        body_id = stored_id(body)
        body.reports_to_id = refs.id("body", b.reports_to)
        for m in b.members:
            session.add(
                Membership(
                    body_id=body_id,
                    person_id=refs.id("person", m.person),
                    role=m.role,
                    condition=m.condition,
                )
            )
        for position, item in enumerate(b.mandate, 1):
            session.add(MandateItem(body_id=body_id, position=position, **item.model_dump()))
    session.flush()
    _load_meetings(session=session, project=project, doc=doc, refs=refs)
    _load_decisions(session=session, project=project, doc=doc, refs=refs)
    load_changes(
        session=session, project_id=project_id, changes=doc.organisation_changes, refs=refs
    )
    return project


def _load_meetings(*, session: Session, project: Project, doc: OrganisationDoc, refs: Refs) -> None:
    for m in doc.meetings:
        meeting = Meeting(
            project_id=stored_id(project),
            body_id=refs.id("body", m.body),
            meeting_date=m.meeting_date,
            start_time=m.start_time,
            place=m.place,
            with_project_management=m.with_project_management,
            with_external_partners=m.with_external_partners,
            minutes=m.minutes,
        )
        session.add(meeting)
        session.flush()
        meeting_id = stored_id(meeting)
        refs.bind("meeting", m.key, meeting_id)
        for position, a in enumerate(m.agenda, 1):
            session.add(
                AgendaItem(
                    meeting_id=meeting_id,
                    position=position,
                    title=a.title,
                    description=a.description,
                )
            )
        for r in m.attendance:
            session.add(
                Attendance(
                    meeting_id=meeting_id,
                    person_id=refs.id("person", r.person),
                    status=r.status,
                    reason=r.reason,
                )
            )
    session.flush()


def _load_decisions(
    *, session: Session, project: Project, doc: OrganisationDoc, refs: Refs
) -> None:
    created = []
    for d in doc.decisions:
        decision = Decision(
            project_id=stored_id(project),
            number=d.number,
            body_id=refs.id("body", d.body),
            meeting_id=refs.id("meeting", d.meeting),
            decision_date=d.decision_date,
            title=d.title,
            text=d.text,
            kind=d.kind,
            search_text=fold(f"{d.title}\n{d.text}"),
        )
        session.add(decision)
        session.flush()
        decision_id = stored_id(decision)
        refs.bind("decision", d.key, decision_id)
        created.append((d, decision))
        for a in d.actions:
            session.add(
                FollowUpAction(
                    decision_id=decision_id,
                    text=a.text,
                    owner_person_id=refs.id("person", a.owner),
                    due_date=a.due_date,
                    done_date=a.done_date,
                )
            )
    for d, decision in created:
        decision.superseded_by_id = refs.id("decision", d.superseded_by)
    session.flush()
