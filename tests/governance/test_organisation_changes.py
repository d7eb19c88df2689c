"""Dated organisation changes: a member seated, given a new role or taken out leaves a change
dated »Gælder fra« (default: today) in the same transaction; the project leader registers
others by hand and deletes those; the API lists them newest first with the total; refusals
change nothing; the changes travel with the project document."""

from datetime import date

import pytest
from sqlmodel import col, func, select

from app.audit.models import AuditEvent
from app.clock import today
from app.errors import Conflict, Invalid
from app.governance import bodies, changes, memberships, people
from app.governance.models import (
    BodyKind,
    ChangeKind,
    MemberRole,
    Membership,
    OrganisationChange,
)
from app.governance.schemas import (
    BodyCreate,
    MembershipCreate,
    MembershipUpdate,
    OrganisationChangeCreate,
)
from app.projectdoc.document import export_project, import_project
from tests.factories import bearer, csrf_of, login, make_body, make_person
from tests.governance.factories import access

HTMX = {"HX-Request": "true"}


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def logged(session, world) -> list[OrganisationChange]:
    return list(
        session.exec(
            select(OrganisationChange)
            .where(OrganisationChange.project_id == world.project.id)
            .order_by(OrganisationChange.id)
        ).all()
    )


def api(world, path: str = "") -> str:
    return f"/api/projects/{world.project.id}/organisation-changes{path}"


# The membership service ---------------------------------------------------------------------


def test_a_member_seated_from_a_past_day_is_a_change_dated_that_day(session, world):
    leader = access(session, world, "leader")
    person = make_person(session, world.project, name="Anne Andersen")
    membership = memberships.add_member(
        session=session,
        by=leader,
        body_id=world.steering.id,
        data=MembershipCreate(
            person_id=person.id, role=MemberRole.chair, effective_date=date(2013, 3, 1)
        ),
    )
    [change] = logged(session, world)
    assert (change.kind, change.effective_date) == (ChangeKind.member_joined, date(2013, 3, 1))
    assert (change.body_id, change.body_name) == (world.steering.id, "Styregruppen")
    assert (change.person_id, change.person_name) == (person.id, "Anne Andersen")
    assert change.description == "Anne Andersen indtræder som formand."
    assert not change.manual and change.created_by_name == "leader"
    assert membership.id is not None
    # One write, one audit record: the change is part of the membership's.
    audited = session.exec(
        select(AuditEvent.entity, AuditEvent.action).where(
            col(AuditEvent.entity).in_(["membership", "organisation_change"])
        )
    ).all()
    assert audited == [("membership", "created")]


def test_a_new_role_and_leaving_are_changes_and_leaving_defaults_to_today(session, world):
    leader = access(session, world, "leader")
    [membership] = session.exec(
        select(Membership).where(Membership.body_id == world.steering.id)
    ).all()
    memberships.update_member(
        session=session,
        by=leader,
        body_id=world.steering.id,
        membership_id=membership.id,
        data=MembershipUpdate(role=MemberRole.chair, effective_date=date(2013, 4, 1), version=1),
    )
    # The condition alone is no change to the organisation; the same role again neither.
    memberships.update_member(
        session=session,
        by=leader,
        body_id=world.steering.id,
        membership_id=membership.id,
        data=MembershipUpdate(role=MemberRole.chair, version=2),
    )
    memberships.remove_member(
        session=session,
        by=leader,
        body_id=world.steering.id,
        membership_id=membership.id,
        version=membership.version,
    )
    role, left = logged(session, world)
    assert (role.kind, role.effective_date) == (ChangeKind.role_changed, date(2013, 4, 1))
    assert role.description == "Sanne Styr skifter rolle fra medlem til formand."
    assert (left.kind, left.effective_date) == (ChangeKind.member_left, today())
    assert left.description == "Sanne Styr udtræder (var formand)."


def test_a_refused_membership_records_no_change(session, world):
    leader = access(session, world, "leader")
    person = make_person(session, world.project, name="Bo Madsen")
    with pytest.raises(Invalid):
        memberships.add_member(
            session=session,
            by=leader,
            body_id=world.steering.id,
            data=MembershipCreate(person_id=person.id, role=MemberRole.ad_hoc),
        )
    session.rollback()
    assert logged(session, world) == []


def test_a_manual_change_is_deleted_and_a_recorded_one_stays(session, world):
    leader = access(session, world, "leader")
    manual = changes.create_change(
        session=session,
        by=leader,
        data=OrganisationChangeCreate(
            effective_date=date(2013, 3, 1),
            body_id=world.management.id,
            description="  Ny projektleder pr. 1.3.2013  ",
        ),
    )
    assert manual.manual and manual.description == "Ny projektleder pr. 1.3.2013"
    assert manual.body_name == "Projektledelsen" and manual.kind == ChangeKind.other
    with pytest.raises(Invalid) as blank:
        changes.create_change(
            session=session,
            by=leader,
            data=OrganisationChangeCreate(effective_date=date(2013, 3, 1), description=" "),
        )
    assert blank.value.field == "description"
    session.rollback()
    [membership] = session.exec(
        select(Membership).where(Membership.body_id == world.steering.id)
    ).all()
    memberships.remove_member(
        session=session,
        by=leader,
        body_id=world.steering.id,
        membership_id=membership.id,
        version=membership.version,
    )
    recorded = logged(session, world)[-1]
    with pytest.raises(Conflict):
        changes.delete_change(session=session, by=leader, change_id=recorded.id)
    changes.delete_change(session=session, by=leader, change_id=manual.id)
    assert [c.kind for c in logged(session, world)] == [ChangeKind.member_left]


def test_a_body_with_changes_can_still_be_deleted_and_its_changes_keep_its_name(session, world):
    leader = access(session, world, "leader")
    person = make_person(session, world.project, name="Gitte Gruppe")
    group = make_body(session, world.project, name="Gruppe C")
    memberships.add_member(
        session=session, by=leader, body_id=group.id, data=MembershipCreate(person_id=person.id)
    )
    bodies.delete_body(session=session, by=leader, body_id=group.id, version=group.version)
    people.delete_person(session=session, by=leader, person_id=person.id, version=person.version)
    joined, removed = logged(session, world)
    for change in (joined, removed):
        session.refresh(change)
        assert change.body_id is None and change.body_name == "Gruppe C"
    assert joined.kind == ChangeKind.member_joined
    assert joined.person_id is None and joined.person_name == "Gitte Gruppe"
    assert removed.kind == ChangeKind.body_removed


def test_setting_up_a_body_is_a_dated_change(session, world):
    leader = access(session, world, "leader")
    bodies.create_body(
        session=session,
        by=leader,
        data=BodyCreate(kind=BodyKind.implementation_group, name="Arbejdsgruppen"),
    )
    [change] = logged(session, world)
    assert change.kind == ChangeKind.body_created and change.body_name == "Arbejdsgruppen"


# The API ------------------------------------------------------------------------------------


def test_the_api_lists_newest_first_with_total_and_date_filter(client, session, world):
    leader = bearer(client, "leader")
    for day, text in [("2013-01-15", "Først"), ("2013-03-01", "Sidst"), ("2013-02-01", "Midt")]:
        answer = client.post(
            api(world), json={"effective_date": day, "description": text}, headers=leader
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["kind_label"] == "Anden ændring" and answer.json()["manual"]
    reader = bearer(client, "directorate")
    listed = client.get(api(world), headers=reader)
    assert [c["description"] for c in listed.json()] == ["Sidst", "Midt", "Først"]
    assert listed.headers["X-Total-Count"] == "3"
    paged = client.get(
        api(world),
        params={"from_date": "2013-01-20", "to_date": "2013-03-01", "offset": 1, "limit": 1},
        headers=reader,
    )
    assert [c["description"] for c in paged.json()] == ["Midt"]
    assert paged.headers["X-Total-Count"] == "2"
    last = listed.json()[0]
    assert client.get(api(world, f"/{last['id']}"), headers=reader).json() == last
    assert client.delete(api(world, f"/{last['id']}"), headers=leader).status_code == 204
    assert count(session, OrganisationChange) == 2


def test_only_the_project_leader_registers_or_deletes_and_a_refusal_changes_nothing(
    client, session, world
):
    made = client.post(
        api(world),
        json={"effective_date": "2013-03-01", "description": "Ny projektleder"},
        headers=bearer(client, "leader"),
    ).json()
    for name in ("steering", "secretariat", "directorate", "member_a"):
        headers = bearer(client, name)
        answer = client.post(
            api(world), json={"effective_date": "2013-03-01", "description": "Nej"}, headers=headers
        )
        assert answer.status_code == 403, name
        assert client.delete(api(world, f"/{made['id']}"), headers=headers).status_code == 403
    assert client.get(api(world), headers=bearer(client, "outsider")).status_code == 403
    assert count(session, OrganisationChange) == 1
    assert count(session, AuditEvent, AuditEvent.entity == "organisation_change") == 1, (
        "only the leader's change is audited"
    )


def test_a_bad_date_answers_422_naming_gaelder_fra(client, session, world):
    leader = bearer(client, "leader")
    answer = client.post(
        api(world), json={"effective_date": "1.3.2013", "description": "Ny"}, headers=leader
    )
    assert answer.status_code == 422
    assert "»Gælder fra«" in answer.json()["errors"][0]["message"]
    person = make_person(session, world.project, name="Dato Dorte")
    seat = client.post(
        f"/api/projects/{world.project.id}/bodies/{world.steering.id}/members",
        json={"person_id": person.id, "effective_date": "2013-13-01"},
        headers=leader,
    )
    assert seat.status_code == 422 and "»Gælder fra«" in seat.text
    [membership] = session.exec(
        select(Membership).where(Membership.body_id == world.steering.id)
    ).all()
    leave = client.delete(
        f"/api/projects/{world.project.id}/bodies/{world.steering.id}/members/{membership.id}",
        params={"effective_date": "i morgen"},
        headers=leader,
    )
    assert leave.status_code == 422 and "»Gælder fra«" in leave.text
    assert count(session, OrganisationChange) == 0 and count(session, Membership) == 1
    left = client.delete(
        f"/api/projects/{world.project.id}/bodies/{world.steering.id}/members/{membership.id}",
        params={"effective_date": "2013-05-31", "version": membership.version},
        headers=leader,
    )
    assert left.status_code == 204
    [change] = logged(session, world)
    assert (change.kind, change.effective_date) == (ChangeKind.member_left, date(2013, 5, 31))


# The pages ----------------------------------------------------------------------------------


def test_members_form_dates_the_change_and_the_bodys_changes_are_swapped_in(client, session, world):
    person = make_person(session, world.project, name="Karen Kvist")
    login(client, "leader")
    path = f"/projects/{world.project.id}/organisation/bodies/{world.steering.id}"
    headers = HTMX | {"X-CSRF-Token": csrf_of(client, path)}
    refused = client.post(
        f"{path}/members",
        data={"person_id": str(person.id), "role": "member", "effective_date": "31-02-2013"},
        headers=headers,
    )
    assert refused.status_code == 422 and "Gælder fra" in refused.text
    assert count(session, Membership, Membership.person_id == person.id) == 0
    added = client.post(
        f"{path}/members",
        data={"person_id": str(person.id), "role": "member", "effective_date": "2013-02-01"},
        headers=headers,
    )
    assert added.status_code == 200
    assert 'id="org-changes"' in added.text and 'hx-swap-oob="true"' in added.text
    assert "01.02.2013" in added.text and "Karen Kvist indtræder som medlem." in added.text
    membership = session.exec(select(Membership).where(Membership.person_id == person.id)).one()
    removed = client.post(
        f"{path}/members/{membership.id}/delete",
        data={"effective_date": "2013-04-30", "version": str(membership.version)},
        headers=headers,
    )
    assert removed.status_code == 200 and "Karen Kvist udtræder (var medlem)." in removed.text
    assert logged(session, world)[-1].effective_date == date(2013, 4, 30)
    body_page = client.get(path)
    assert "Ændringer i Styregruppen" in body_page.text and "30.04.2013" in body_page.text


def test_the_organisation_page_shows_and_registers_changes(client, session, world):
    login(client, "leader")
    org = f"/projects/{world.project.id}/organisation"
    token = csrf_of(client, org)
    missing = client.post(
        f"{org}/changes",
        data={"csrf_token": token, "effective_date": "", "description": "Ny projektleder"},
    )
    assert missing.status_code == 422 and "Gælder fra" in missing.text
    answer = client.post(
        f"{org}/changes",
        data={
            "csrf_token": token,
            "effective_date": "2013-03-01",
            "body_id": str(world.management.id),
            "kind": "other",
            "person_id": "",
            "description": "Ny projektleder pr. 1.3.2013",
            "shown": "few",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("#org-changes")
    page = client.get(org)
    assert "Ændringer i organisationen" in page.text
    assert "Ny projektleder pr. 1.3.2013" in page.text and "01.03.2013" in page.text
    [change] = logged(session, world)
    no_token = client.post(f"{org}/changes/{change.id}/delete", data={})
    assert no_token.status_code == 403 and count(session, OrganisationChange) == 1
    deleted = client.post(
        f"{org}/changes/{change.id}/delete",
        data={"csrf_token": token, "shown": "paged"},
        headers=HTMX | {"X-CSRF-Token": token},
    )
    assert deleted.status_code == 200 and "Ingen ændringer registreret endnu." in deleted.text
    assert count(session, OrganisationChange) == 0


def test_a_reader_sees_the_changes_page_without_forms(client, session, world):
    changes.create_change(
        session=session,
        by=access(session, world, "leader"),
        data=OrganisationChangeCreate(effective_date=date(2013, 3, 1), description="Ny leder"),
    )
    login(client, "directorate")
    page = client.get(f"/projects/{world.project.id}/organisation/changes")
    assert page.status_code == 200 and "Ny leder" in page.text
    assert "Registrér en ændring" not in page.text
    refused = client.post(
        f"/projects/{world.project.id}/organisation/changes",
        data={
            "csrf_token": csrf_of(client, f"/projects/{world.project.id}/organisation/changes"),
            "effective_date": "2013-03-01",
            "description": "Nej",
        },
    )
    assert refused.status_code == 403 and count(session, OrganisationChange) == 1


# The project document -----------------------------------------------------------------------


def test_the_changes_travel_with_the_project_document(session, world):
    leader = access(session, world, "leader")
    person = make_person(session, world.project, name="Dorthe Dok")
    memberships.add_member(
        session=session,
        by=leader,
        body_id=world.group_a.id,
        data=MembershipCreate(person_id=person.id, effective_date=date(2013, 1, 2)),
    )
    changes.create_change(
        session=session,
        by=leader,
        data=OrganisationChangeCreate(
            effective_date=date(2013, 3, 1), description="Ny projektleder pr. 1.3.2013"
        ),
    )
    document = export_project(session=session, project=world.project)
    joined, manual = document["organisation_changes"]
    assert joined["effective_date"] == "2013-01-02" and joined["kind"] == "member_joined"
    assert joined["body_name"] == "Gruppe A" and joined["person_name"] == "Dorthe Dok"
    assert joined["body"] and joined["person"] and not joined["manual"]
    assert manual["body"] is None and manual["manual"]
    copy = import_project(session=session, data=document, by=None)
    again = export_project(session=session, project=copy)
    assert again["organisation_changes"] == document["organisation_changes"]
    broken = dict(document, organisation_changes=[dict(joined, body="body-999")])
    with pytest.raises(Exception) as refused:
        import_project(session=session, data=broken, by=None)
    assert "$.organisation_changes[0].body" in str(refused.value.errors)  # type: ignore[attr-defined]


def test_a_body_set_up_or_closed_is_noted_in_the_callers_transaction(session, world):
    leader = access(session, world, "leader")
    group = make_body(session, world.project, name="Gruppe D")
    changes.note_body(
        session=session,
        by=leader,
        body=group,
        kind=ChangeKind.body_created,
        effective_date=date(2013, 2, 1),
    )
    changes.note_body(session=session, by=leader, body=group, kind=ChangeKind.body_removed)
    session.commit()
    created, removed = logged(session, world)
    assert (created.description, created.effective_date) == (
        "Gruppe D oprettes (implementeringsgruppe).",
        date(2013, 2, 1),
    )
    assert (removed.description, removed.effective_date) == ("Gruppe D nedlægges.", today())
