"""Memberships: who sits in which body with which role (an ad hoc member with the condition on
which it is called in). Each seat taken, role changed or seat left is kept as a dated
organisation change (app/governance/changes.py), from the day given as »Gælder fra« (default:
today), in the same transaction. One commit per use case, at the end; a refusal raises before
any write."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.service import Access
from app.db import get_for_update, stored_id
from app.errors import Invalid, NotFound, require_version
from app.governance import changes
from app.governance.bodies import get_body
from app.governance.models import (
    BODY_KIND_LABELS,
    MEMBER_ROLE_LABELS,
    Body,
    BodyKind,
    ChangeKind,
    MemberRole,
    Membership,
    Person,
)
from app.governance.people import get_person, person_in_project
from app.governance.schemas import MembershipCreate, MembershipUpdate

# Roles that belong to one kind of body only.
ROLE_KINDS = {
    MemberRole.group_lead: BodyKind.implementation_group,
    MemberRole.project_leader: BodyKind.project_management,
}


def members_with_people(*, session: Session, body_id: int) -> list[tuple[Membership, Person]]:
    """A body's memberships with their people, chair and members first, secretariat last."""
    return members_of_bodies(session=session, body_ids=[body_id])[body_id]


def members_of_bodies(
    *, session: Session, body_ids: list[int]
) -> dict[int, list[tuple[Membership, Person]]]:
    """Several bodies' memberships with their people (in one query), each body's in the order of
    `members_with_people`."""
    order = sa.case(
        {
            r: i
            for i, r in enumerate(
                [
                    MemberRole.chair,
                    MemberRole.project_leader,
                    MemberRole.group_lead,
                    MemberRole.member,
                    MemberRole.ad_hoc,
                    MemberRole.secretariat,
                ]
            )
        },
        value=Membership.role,
    )
    found: dict[int, list[tuple[Membership, Person]]] = {body_id: [] for body_id in body_ids}
    for membership, person in session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(col(Membership.body_id).in_(body_ids))
        .order_by(order, col(Membership.id))
    ).all():
        found[membership.body_id].append((membership, person))
    return found


def get_membership(
    *, session: Session, project_id: int, body_id: int, membership_id: int, lock: bool = False
) -> Membership:
    """A membership of a body of this project, or NotFound."""
    get_body(session=session, project_id=project_id, body_id=body_id)
    membership = (
        get_for_update(session=session, model=Membership, item_id=membership_id)
        if lock
        else session.get(Membership, membership_id)
    )
    if membership is None or membership.body_id != body_id:
        raise NotFound("Medlemskabet findes ikke.")
    return membership


def _check_membership(body: Body, membership: Membership) -> None:
    needed_kind = ROLE_KINDS.get(membership.role)
    if needed_kind and body.kind != needed_kind:
        raise Invalid(
            f"Rollen »{MEMBER_ROLE_LABELS[membership.role]}« findes kun i en "
            f"{BODY_KIND_LABELS[needed_kind].lower()}.",
            field="role",
        )
    membership.condition = membership.condition.strip()
    if membership.role == MemberRole.ad_hoc:
        if not membership.condition:
            raise Invalid(
                "Et ad hoc-medlem skal have en betingelse for, hvornår det tilkobles "
                "(f.eks. »når det omhandler ydelser«).",
                field="condition",
            )
    else:
        # Only ad hoc members are attached on a condition; another role carries none.
        membership.condition = ""


def add_member(*, session: Session, by: Access, body_id: int, data: MembershipCreate) -> Membership:
    """Seat a person of the project in a body with a role (an ad hoc member with its condition)."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id, lock=True)
    person = person_in_project(session=session, project_id=by.project_id, person_id=data.person_id)
    assert person is not None
    existing = session.exec(
        select(Membership).where(Membership.body_id == body_id, Membership.person_id == person.id)
    ).first()
    if existing:
        raise Invalid(
            f"{person.name} er allerede med i {body.name} (som "
            f"{MEMBER_ROLE_LABELS[existing.role].lower()}). En person kan kun være med "
            f"én gang i et organ; ret rollen i stedet.",
            field="person_id",
        )
    membership = Membership(
        body_id=body_id, person_id=stored_id(person), role=data.role, condition=data.condition
    )
    _check_membership(body, membership)
    session.add(membership)
    session.flush()
    audit.record(
        session=session,
        by=by.user,
        action="created",
        entity="membership",
        entity_id=membership.id,
        project_id=by.project_id,
        after=audit.snapshot(membership) | {"person": person.name, "body": body.name},
    )
    changes.record_change(
        session=session,
        by=by,
        kind=ChangeKind.member_joined,
        effective_date=data.effective_date,
        body=body,
        person=person,
        description=changes.joined_text(person, membership.role, membership.condition),
    )
    session.commit()
    return membership


def update_member(
    *, session: Session, by: Access, body_id: int, membership_id: int, data: MembershipUpdate
) -> Membership:
    """Change a member's role or ad hoc condition; a new role is a dated change (»Gælder fra«)."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id)
    membership = get_membership(
        session=session,
        project_id=by.project_id,
        body_id=body_id,
        membership_id=membership_id,
        lock=True,
    )
    require_version(membership, data.version)
    before = audit.snapshot(membership)
    old_role = membership.role
    edits = data.model_dump(exclude_unset=True, exclude={"version", "effective_date"})
    if edits.get("condition", "") is None:
        edits["condition"] = ""
    if edits.get("role", "") is None:
        del edits["role"]
    membership.sqlmodel_update(edits)
    _check_membership(body, membership)
    membership.version += 1
    audit.log(session=session, by=by, action="updated", row=membership, before=before)
    if membership.role != old_role:
        person = get_person(
            session=session, project_id=by.project_id, person_id=membership.person_id
        )
        changes.record_change(
            session=session,
            by=by,
            kind=ChangeKind.role_changed,
            effective_date=data.effective_date,
            body=body,
            person=person,
            description=changes.role_text(person, old_role, membership.role),
        )
    session.commit()
    return membership


def remove_member(
    *,
    session: Session,
    by: Access,
    body_id: int,
    membership_id: int,
    version: int | None,
    effective_date: date | None = None,
) -> None:
    """Take a person out of a body from `effective_date` (default: today); their past
    attendance at meetings stays, and the organisation's changes keep that they left."""
    body = get_body(session=session, project_id=by.project_id, body_id=body_id)
    membership = get_membership(
        session=session,
        project_id=by.project_id,
        body_id=body_id,
        membership_id=membership_id,
        lock=True,
    )
    require_version(membership, version)
    person = get_person(session=session, project_id=by.project_id, person_id=membership.person_id)
    before = audit.snapshot(membership)
    session.delete(membership)
    audit.log(session=session, by=by, action="deleted", row=membership, before=before)
    changes.record_change(
        session=session,
        by=by,
        kind=ChangeKind.member_left,
        effective_date=effective_date,
        body=body,
        person=person,
        description=changes.left_text(person, membership.role),
    )
    session.commit()
