"""The project's bodies (directorate, steering group, project management, implementation
groups), their reporting lines and the organisation chart they make. One commit per use case,
at the end; a refusal raises before any write."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.models import ProjectMember, Role
from app.auth.service import Access
from app.db import project_row, stored_id
from app.errors import Invalid, NotFound, require_version
from app.governance import changes
from app.governance.models import (
    BODY_KIND_LABELS,
    Body,
    BodyKind,
    ChangeKind,
    MandateItem,
    MemberRole,
    Membership,
    Person,
    Project,
)
from app.governance.references import refuse_if_used
from app.governance.schemas import BodyCreate, BodyUpdate

# Only one body of each of these kinds per project; implementation groups are any number.
SINGLE_KINDS = (BodyKind.directorate, BodyKind.steering_group, BodyKind.project_management)
# The usual reporting line, used when a new body is created without one.
USUAL_LINE = {
    BodyKind.implementation_group: BodyKind.project_management,
    BodyKind.project_management: BodyKind.steering_group,
    BodyKind.steering_group: BodyKind.directorate,
}


def members(*, session: Session, body_id: int) -> list[Membership]:
    """A body's memberships, in the order they were added."""
    return list(
        session.exec(
            select(Membership).where(Membership.body_id == body_id).order_by(col(Membership.id))
        ).all()
    )


def bodies(*, session: Session, project_id: int) -> list[Body]:
    """The project's bodies: directorate, steering group, project management, then the groups."""
    order = sa.case({k: i for i, k in enumerate(BodyKind)}, value=Body.kind)
    return list(
        session.exec(
            select(Body)
            .where(Body.project_id == project_id)
            .order_by(order, col(Body.position), col(Body.id))
        ).all()
    )


def get_body(*, session: Session, project_id: int, body_id: int, lock: bool = False) -> Body:
    """A body of this project, or NotFound."""
    return project_row(
        Body,
        body_id,
        session=session,
        project_id=project_id,
        missing="Organet findes ikke i dette projekt.",
        lock=lock,
    )


def body_in_project(
    *, session: Session, project_id: int, body_id: int | None, field: str = "body_id"
) -> Body | None:
    """The body for an id given in input: Invalid (not 404) when not in this project."""
    if body_id is None:
        return None
    body = project_row(
        Body,
        body_id,
        session=session,
        project_id=project_id,
        missing="Organet findes ikke i dette projekt.",
        field=field,
    )
    return body


def implementation_groups(*, session: Session, project_id: int) -> list[Body]:
    """The project's implementation groups, in their set order."""
    return list(
        session.exec(
            select(Body)
            .where(Body.project_id == project_id, Body.kind == BodyKind.implementation_group)
            .order_by(col(Body.position), col(Body.id))
        ).all()
    )


def get_group(*, session: Session, project_id: int, group_id: int) -> Body:
    """An implementation group of this project, or NotFound."""
    missing = "Implementeringsgruppen findes ikke i dette projekt."
    group = project_row(Body, group_id, session=session, project_id=project_id, missing=missing)
    if group.kind != BodyKind.implementation_group:
        raise NotFound(missing)
    return group


def steering_group(*, session: Session, project_id: int) -> Body:
    """The project's steering group (the body that approves plans and reports)."""
    body = session.exec(
        select(Body)
        .where(Body.project_id == project_id, Body.kind == BodyKind.steering_group)
        .order_by(col(Body.id))
    ).first()
    if body is None:
        raise Invalid("Projektet har intet organ af typen Styregruppe.", field="body_id")
    return body


@dataclass(frozen=True)
class GoverningRole:
    """A body's role in the project's governance: the project's column that may name the body,
    the kind of body that holds the role when none is named, and the Danish names for both."""

    setting: str
    default_kind: BodyKind
    label: str
    default_label: str
    missing: str


PLAN_APPROVER = GoverningRole(
    "plan_approver_id",
    BodyKind.steering_group,
    "Godkender planer",
    "Standard: projektets organ af typen Styregruppe",
    "Vælg i kommissoriet, hvilket organ der godkender tids- og handleplaner.",
)
REPORT_APPROVER = GoverningRole(
    "report_approver_id",
    BodyKind.steering_group,
    "Godkender statusrapporter",
    "Standard: projektets organ af typen Styregruppe",
    "Vælg i kommissoriet, hvilket organ der godkender statusrapporter.",
)
REPORT_RECIPIENT = GoverningRole(
    "report_recipient_id",
    BodyKind.directorate,
    "Modtager statusrapporter",
    "Standard: projektets organ af typen Direktion",
    "Vælg i kommissoriet, hvilket organ der modtager statusrapporterne.",
)
GOVERNING_ROLES = (PLAN_APPROVER, REPORT_APPROVER, REPORT_RECIPIENT)


def find_governing_body(*, session: Session, project: Project, role: GoverningRole) -> Body | None:
    """The body that holds `role` in the project: the one its charter names, else the project's
    body of the role's default kind (the steering group approves, the directorate receives)."""
    chosen = getattr(project, role.setting)
    if chosen is not None:
        body = session.get(Body, chosen)
        if body is not None and body.project_id == project.id:
            return body
    return _body_of_kind(session=session, project_id=stored_id(project), kind=role.default_kind)


def governing_body(*, session: Session, project_id: int, role: GoverningRole) -> Body:
    """The body that holds `role` (find_governing_body), or Invalid naming the setting."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("Projektet findes ikke.")
    body = find_governing_body(session=session, project=project, role=role)
    if body is None:
        raise Invalid(role.missing, field=role.setting)
    return body


# The seats that decide for a body: an ad hoc member is called in for a matter, the
# secretariat serves the body; neither approves on its behalf.
DECIDING_SEATS = (MemberRole.chair, MemberRole.member)
PLAN_DECIDE_REFUSED = (
    "Kun medlemmer af det organ, der godkender planerne, må godkende eller sende en plan tilbage."
)
REPORT_APPROVE_REFUSED = (
    "Kun medlemmer af det organ, der godkender statusrapporterne, må godkende en statusrapport."
)


def acts_for(*, session: Session, access: Access, body: Body) -> bool:
    """May the user approve on the body's behalf: an administrator, a holder of the role
    »Styregruppemedlem« in the project, or a user whose person in the project sits in the body
    as chair or member (not ad hoc, not its secretariat; docs/governance.md, »Who may
    approve«). One query at most."""
    if access.has(Role.steering_member):
        return True
    person = (
        select(ProjectMember.person_id)
        .where(
            ProjectMember.project_id == access.project_id,
            ProjectMember.user_id == access.user.id,
            col(ProjectMember.person_id).is_not(None),
        )
        .scalar_subquery()
    )
    seat = session.exec(
        select(Membership.id).where(
            Membership.body_id == body.id,
            col(Membership.person_id).in_(person),
            col(Membership.role).in_(DECIDING_SEATS),
        )
    ).first()
    return seat is not None


def in_sentence(name: str) -> str:
    """A body's name inside a Danish sentence: »Styregruppen« and »Jobcentrets ledelse« become
    »styregruppen« and »jobcentrets ledelse«; a name with a proper noun after its first word
    (»Aabenraa Byråd«) or an abbreviation (»KL«) stays as it is."""
    words = name.split()
    if not words or words[0].isupper() or any(w[:1].isupper() for w in words[1:]):
        return name
    return name[:1].lower() + name[1:]


def _body_of_kind(*, session: Session, project_id: int, kind: BodyKind) -> Body | None:
    return session.exec(
        select(Body).where(Body.project_id == project_id, Body.kind == kind).order_by(col(Body.id))
    ).first()


def _check_reports_to(*, session: Session, body: Body, reports_to_id: int | None) -> None:
    target = body_in_project(
        session=session, project_id=body.project_id, body_id=reports_to_id, field="reports_to_id"
    )
    seen: set[int] = set()
    while target is not None and target.id not in seen:
        if target.id == body.id:
            raise Invalid(
                "Et organ kan ikke referere til sig selv, heller ikke gennem andre organer.",
                field="reports_to_id",
            )
        seen.add(target.id or 0)
        target = session.get(Body, target.reports_to_id) if target.reports_to_id else None


def _check_body_name(body: Body) -> None:
    body.name = body.name.strip()
    if not body.name:
        raise Invalid("Organets navn skal udfyldes.", field="name")


def create_body(*, session: Session, by: Access, data: BodyCreate) -> Body:
    """Add a body; without a reporting line given it gets the usual one for its kind."""
    project_id = by.project_id
    if data.kind in SINGLE_KINDS:
        existing = _body_of_kind(session=session, project_id=project_id, kind=data.kind)
        if existing:
            raise Invalid(
                f"Projektet har allerede en {BODY_KIND_LABELS[data.kind].lower()} "
                f"(»{existing.name}«). Der kan kun være én.",
                field="kind",
            )
    if "reports_to_id" in data.model_fields_set:
        reports_to_id = data.reports_to_id
    else:
        above = USUAL_LINE.get(data.kind)
        usual = above and _body_of_kind(session=session, project_id=project_id, kind=above)
        reports_to_id = usual.id if usual else None
    last = session.exec(
        select(func.max(Body.position)).where(Body.project_id == project_id, Body.kind == data.kind)
    ).one()
    body = Body(
        project_id=project_id,
        kind=data.kind,
        name=data.name,
        description=data.description,
        position=(last or 0) + 1,
    )
    _check_body_name(body)
    _check_reports_to(session=session, body=body, reports_to_id=reports_to_id)
    body.reports_to_id = reports_to_id
    session.add(body)
    session.flush()
    audit.log(session=session, by=by, action="created", row=body)
    changes.note_body(session=session, by=by, body=body, kind=ChangeKind.body_created)
    session.commit()
    return body


def update_body(*, session: Session, by: Access, body_id: int, data: BodyUpdate) -> Body:
    """Change a body's name, description or reporting line (its kind stays)."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id, lock=True)
    require_version(body, data.version)
    before = audit.snapshot(body)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "reports_to_id" in changes:
        _check_reports_to(session=session, body=body, reports_to_id=changes["reports_to_id"])
    for name in ("name", "description"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    body.sqlmodel_update(changes)
    _check_body_name(body)
    body.version += 1
    audit.log(session=session, by=by, action="updated", row=body, before=before)
    session.commit()
    return body


def delete_body(*, session: Session, by: Access, body_id: int, version: int | None) -> None:
    """Remove a body with its memberships and mandate, unless meetings, decisions, other bodies
    or other domains' work refer to it."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id, lock=True)
    require_version(body, version)
    refuse_if_used(
        session=session,
        table="body",
        item_id=body_id,
        what=f"»{body.name}«",
        ignore={"membership", "mandate_item"},
    )
    before = audit.snapshot(body) | {
        "members": [audit.snapshot(m) for m in members(session=session, body_id=body_id)],
        "mandate": [
            audit.snapshot(i)
            for i in session.exec(select(MandateItem).where(MandateItem.body_id == body_id)).all()
        ],
    }
    changes.note_body(session=session, by=by, body=body, kind=ChangeKind.body_removed)
    session.delete(body)
    audit.log(session=session, by=by, action="deleted", row=body, before=before)
    session.commit()


# The organisation chart -----------------------------------------------------------------------


@dataclass
class ChartNode:
    """A body in the organisation chart, with its members and the bodies reporting to it."""

    body: Body
    members: list[tuple[Membership, Person]]
    children: list["ChartNode"] = field(default_factory=list)


def organisation_tree(*, session: Session, project_id: int) -> list[ChartNode]:
    """The bodies as trees along their reporting lines (a body without one is a root)."""
    found = bodies(session=session, project_id=project_id)
    rows = session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(col(Membership.body_id).in_([b.id for b in found]))
        .order_by(col(Membership.id))
    ).all()
    order = [
        MemberRole.chair,
        MemberRole.project_leader,
        MemberRole.group_lead,
        MemberRole.member,
        MemberRole.ad_hoc,
        MemberRole.secretariat,
    ]
    seats: dict[int, list[tuple[Membership, Person]]] = {}
    for membership, person in sorted(rows, key=lambda r: order.index(r[0].role)):
        seats.setdefault(membership.body_id, []).append((membership, person))
    nodes = {b.id: ChartNode(body=b, members=seats.get(b.id or 0, [])) for b in found}
    roots = []
    for body in found:
        parent = nodes.get(body.reports_to_id)
        if parent is None or parent is nodes[body.id]:
            roots.append(nodes[body.id])
        else:
            parent.children.append(nodes[body.id])
    return roots
