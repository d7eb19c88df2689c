"""The organisation's pages as read models: what one page of people, bodies or the
organisation's dated changes shows, gathered by one call (the page handlers add only what the
caller may do)."""

from dataclasses import dataclass

from sqlmodel import Session

from app.governance.bodies import bodies, get_body
from app.governance.changes import list_changes
from app.governance.mandates import Mandate, mandate_items, mandates
from app.governance.memberships import members_of_bodies, members_with_people
from app.governance.models import Body, DirectorArea, Membership, OrganisationChange, Person
from app.governance.people import director_areas, memberships_of_people, people

# The newest changes a page of the organisation shows; the rest are on the changes' own page.
CHANGES_SHOWN = 10


@dataclass
class PeopleOverview:
    """The people page: director areas, people and each person's seats in the bodies."""

    areas: list[DirectorArea]
    people: list[Person]
    seats: dict[int, list[tuple[Membership, Body]]]


def people_overview(*, session: Session, project_id: int) -> PeopleOverview:
    """The project's director areas and people, with where each person sits."""
    return PeopleOverview(
        areas=director_areas(session=session, project_id=project_id),
        people=people(session=session, project_id=project_id),
        seats=memberships_of_people(session=session, project_id=project_id),
    )


@dataclass
class BodiesOverview:
    """The bodies page: every body in order, by id, with its members and its mandate."""

    bodies: list[Body]
    by_id: dict[int | None, Body]
    counts: dict[int | None, Mandate]
    members: dict[int, list[tuple[Membership, Person]]]


def bodies_overview(*, session: Session, project_id: int) -> BodiesOverview:
    """The project's bodies with their members and how far their mandates are met."""
    listed = bodies(session=session, project_id=project_id)
    every = mandates(session=session, project_id=project_id)
    return BodiesOverview(
        bodies=listed,
        by_id={b.id: b for b in listed},
        counts={m.body.id: m for m in every},
        members=members_of_bodies(session=session, body_ids=[b.id or 0 for b in listed]),
    )


@dataclass
class ChangeLog:
    """A page of the organisation's changes, newest first (of one body, or all), with the total
    and the bodies and people a change may be registered for."""

    changes: list[OrganisationChange]
    total: int
    body: Body | None
    bodies: list[Body]
    people: list[Person]


def change_log(
    *,
    session: Session,
    project_id: int,
    body: Body | None = None,
    offset: int = 0,
    limit: int = CHANGES_SHOWN,
    listed: list[Body] | None = None,
    everyone: list[Person] | None = None,
) -> ChangeLog:
    """The newest changes of the project (of `body` when given), from `offset`, with the total
    (`listed` and `everyone`: the bodies and people, when the caller has read them already)."""
    rows, total = list_changes(
        session=session,
        project_id=project_id,
        body_id=body.id if body else None,
        offset=offset,
        limit=limit,
    )
    return ChangeLog(
        changes=rows,
        total=total,
        body=body,
        bodies=listed if listed is not None else bodies(session=session, project_id=project_id),
        people=everyone if everyone is not None else people(session=session, project_id=project_id),
    )


@dataclass
class BodyPage:
    """A body's page: the body, the bodies reporting to it, its members, the people who could
    join it, its mandate and its newest dated changes (with every body, in order and by id, for
    the reporting line)."""

    body: Body
    bodies: list[Body]
    by_id: dict[int | None, Body]
    reports: list[Body]
    members: list[tuple[Membership, Person]]
    candidates: list[Person]
    mandate: Mandate
    org_changes: ChangeLog


def body_page(*, session: Session, project_id: int, body_id: int) -> BodyPage:
    """A body of this project with what its page shows, or NotFound."""
    body = get_body(session=session, project_id=project_id, body_id=body_id)
    listed = bodies(session=session, project_id=project_id)
    members = members_with_people(session=session, body_id=body_id)
    seated = {p.id for _, p in members}
    everyone = people(session=session, project_id=project_id)
    return BodyPage(
        body=body,
        bodies=listed,
        by_id={b.id: b for b in listed},
        reports=[b for b in listed if b.reports_to_id == body.id],
        members=members,
        candidates=[p for p in everyone if p.id not in seated],
        mandate=Mandate(body=body, items=mandate_items(session=session, body_id=body_id)),
        org_changes=change_log(
            session=session, project_id=project_id, body=body, listed=listed, everyone=everyone
        ),
    )
