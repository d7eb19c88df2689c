"""Meeting-frequency rules on any body against any counterpart (issue 20): the project
management, external partners, or any meeting of the body; judged once
(app.governance.meeting_rules), set by the project leader on the body's page and the API, and
carried by the project document."""

import copy
from datetime import date

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.errors import Conflict, Forbidden, Invalid
from app.governance import meeting_rules
from app.governance.models import MeetingCounterpart, MeetingRule
from app.governance.schemas import MeetingRuleUpdate
from app.projectdoc.document import export_project, import_project
from app.workstreams import compliance
from tests.factories import bearer, csrf_of, login
from tests.governance.factories import access, make_meeting

PM = MeetingCounterpart.project_management
EXTERNAL = MeetingCounterpart.external_partners
ANY = MeetingCounterpart.any


def set_rule(session, world, body, counterpart, days, version=0, who="leader"):
    return meeting_rules.set_meeting_rule(
        session=session,
        by=access(session, world, who),
        body_id=body.id,
        counterpart=counterpart,
        data=MeetingRuleUpdate(meeting_interval_days=days, version=version),
    )


def judged(session, world, on):
    found = meeting_rules.statuses(session=session, project_id=world.project.id, on=on)
    return {(s.body.name, s.counterpart): s for s in found}


def test_a_steering_group_rule_against_the_project_management(session, world):
    set_rule(session, world, world.steering, PM, 30)
    make_meeting(session, world, meeting_date=date(2013, 1, 1), with_project_management=True)
    make_meeting(session, world, meeting_date=date(2013, 2, 1))  # without the management
    kept = judged(session, world, date(2013, 1, 20))[("Styregruppen", PM)]
    assert not kept.overdue and kept.next_due_date == date(2013, 1, 31) and not kept.message
    late = judged(session, world, date(2013, 2, 15))[("Styregruppen", PM)]
    assert late.overdue and late.days_since == 45
    assert late.message == (
        "Styregruppen har ikke mødt projektledelsen i 45 dage (regel: mindst hver 30. dag)"
    )
    assert [
        s.body.name
        for s in meeting_rules.breaches(
            session=session, project_id=world.project.id, on=date(2013, 2, 15)
        )
    ] == ["Styregruppen"]


def test_a_working_group_must_meet_its_external_partners(session, world):
    set_rule(session, world, world.group_a, EXTERNAL, 92)
    make_meeting(
        session,
        world,
        body_id=world.group_a.id,
        meeting_date=date(2012, 11, 10),
        with_external_partners=True,
    )
    # A meeting with the project management only does not count for this rule.
    make_meeting(
        session,
        world,
        body_id=world.group_a.id,
        meeting_date=date(2013, 1, 10),
        with_project_management=True,
    )
    on = date(2013, 2, 13)
    rule = judged(session, world, on)[("Gruppe A", EXTERNAL)]
    assert rule.message == (
        "Gruppe A har ikke mødt eksterne samarbejdspartnere i 95 dage (regel: mindst hver 92. dag)"
    )
    # Flagged in the group's plan compliance the way the management rule is.
    item = next(
        c
        for c in compliance.compliance(session=session, project_id=world.project.id, on=on)
        if c.group.id == world.group_a.id
    )
    assert item.meeting_overdue and item.meeting_interval_days is None
    assert item.last_meeting_date == date(2013, 1, 10)
    assert (
        "Har ikke mødtes med eksterne samarbejdspartnere siden 10.11.2012 "
        "(reglen: mindst hver 92. dag)"
    ) in item.problems


def test_a_rule_on_any_meeting_of_the_body(session, world):
    set_rule(session, world, world.management, ANY, 14)
    make_meeting(session, world, body_id=world.management.id, meeting_date=date(2013, 2, 1))
    assert not judged(session, world, date(2013, 2, 10))[("Projektledelsen", ANY)].overdue
    late = judged(session, world, date(2013, 2, 20))[("Projektledelsen", ANY)]
    assert (
        late.message == "Projektledelsen har ikke holdt møde i 19 dage (regel: mindst hver 14. dag)"
    )


def test_a_rule_with_no_meeting_counts_from_the_projects_start(session, world):
    world.project.start_date = date(2013, 1, 1)
    session.add(world.project)
    session.commit()
    set_rule(session, world, world.group_b, EXTERNAL, 30)
    assert not judged(session, world, date(2013, 1, 31))[("Gruppe B", EXTERNAL)].overdue
    late = judged(session, world, date(2013, 2, 1))[("Gruppe B", EXTERNAL)]
    assert late.message == (
        "Gruppe B har intet møde med eksterne samarbejdspartnere registreret "
        "(regel: mindst hver 30. dag)"
    )


def test_one_rule_per_body_and_counterpart_and_the_refusals(session, world):
    with pytest.raises(Forbidden):
        set_rule(session, world, world.steering, PM, 30, who="member_a")
    with pytest.raises(Forbidden):
        set_rule(session, world, world.steering, PM, 30, who="steering")
    with pytest.raises(Invalid) as self_meeting:
        set_rule(session, world, world.management, PM, 30)
    assert self_meeting.value.field == "counterpart"
    with pytest.raises(Conflict):
        set_rule(session, world, world.steering, PM, 30, version=3)
    first = set_rule(session, world, world.steering, PM, 30)
    other = set_rule(session, world, world.steering, EXTERNAL, 60)
    assert first.id != other.id and first.version == other.version == 1
    with pytest.raises(Conflict):
        set_rule(session, world, world.steering, PM, 14, version=0)
    cleared = set_rule(session, world, world.steering, PM, None, version=1)
    assert cleared.meeting_interval_days is None and cleared.version == 2
    rows = session.exec(select(MeetingRule).where(MeetingRule.body_id == world.steering.id)).all()
    assert {r.counterpart for r in rows} == {PM, EXTERNAL}
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "meeting_rule_set")).all()
    assert len(events) == 3


def test_the_document_carries_the_counterpart_and_reads_old_entries_as_the_management(session):
    from app.demo.loader import demo_document

    document = demo_document()
    project = import_project(session=session, data=copy.deepcopy(document), by=None)
    rules = session.exec(select(MeetingRule).where(MeetingRule.project_id == project.id)).all()
    # The demo's entries have no counterpart: they are rules against the project management.
    assert rules and {r.counterpart for r in rules} == {PM}
    exported = export_project(session=session, project=project)
    steering = next(b["key"] for b in exported["bodies"] if b["kind"] == "steering_group")
    group = exported["group_settings"][0]["group"]
    exported["group_settings"] += [
        {"group": steering, "counterpart": "any", "meeting_interval_days": 30},
        {"group": group, "counterpart": "external_partners", "meeting_interval_days": 92},
    ]
    second = import_project(session=session, data=copy.deepcopy(exported), by=None)
    again = export_project(session=session, project=second)
    pairs = {
        (s["group"], s["counterpart"], s["meeting_interval_days"]) for s in again["group_settings"]
    }
    assert (steering, "any", 30) in pairs and (group, "external_partners", 92) in pairs
    assert (
        export_project(
            session=session,
            project=import_project(session=session, data=copy.deepcopy(again), by=None),
        )["group_settings"]
        == again["group_settings"]
    )


def test_a_document_with_two_rules_for_the_same_counterpart_is_refused(session):
    from app.demo.loader import demo_document
    from app.errors import InvalidDocument
    from app.projectdoc.document import parse

    document = demo_document()
    document["group_settings"].append(dict(document["group_settings"][0]))
    with pytest.raises(InvalidDocument) as refused:
        parse(document)
    paths = {e["path"]: e["message"] for e in refused.value.errors}
    assert paths["$.group_settings[4].group"] == "Organet har to mødekadencer med samme modpart."


# HTTP


def rules_url(world, body, tail=""):
    return f"/api/projects/{world.project.id}/bodies/{body.id}/meeting-rules{tail}"


def test_the_api_sets_and_lists_rules_on_any_body(client, world, session):
    leader = bearer(client, "leader")
    answer = client.patch(
        rules_url(world, world.group_a, "/external_partners"),
        json={"meeting_interval_days": 92, "version": 0},
        headers=leader,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["counterpart"] == "external_partners" and body["meeting_interval_days"] == 92
    assert body["counterpart_label"] == "Med eksterne samarbejdspartnere" and body["version"] == 1
    listed = client.get(
        f"/api/projects/{world.project.id}/meeting-rules",
        params={"as_of": "2013-02-13"},
        headers=bearer(client, "directorate"),
    ).json()
    assert [(r["body_name"], r["counterpart"], r["meeting_overdue"]) for r in listed] == [
        ("Gruppe A", "external_partners", True)
    ]
    every = client.get(rules_url(world, world.management), headers=leader).json()
    assert [r["counterpart"] for r in every] == ["external_partners", "any"]
    # The old group route is the group's rule against the project management.
    old = client.get(
        f"/api/projects/{world.project.id}/group-settings/{world.group_a.id}", headers=leader
    )
    assert old.json()["meeting_interval_days"] is None


def test_the_api_refuses_non_leaders_bad_intervals_and_stale_versions(client, world, session):
    path = rules_url(world, world.steering, "/any")
    member = client.patch(
        path, json={"meeting_interval_days": 30, "version": 0}, headers=bearer(client, "member_a")
    )
    assert member.status_code == 403
    leader = bearer(client, "leader")
    bad = client.patch(path, json={"meeting_interval_days": 0, "version": 0}, headers=leader)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "meeting_interval_days"
    assert "Dage mellem møder" in bad.json()["errors"][0]["message"]
    unknown = client.patch(
        rules_url(world, world.steering, "/everybody"),
        json={"meeting_interval_days": 30, "version": 0},
        headers=leader,
    )
    assert unknown.status_code == 422
    assert (
        client.patch(
            path, json={"meeting_interval_days": 30, "version": 0}, headers=leader
        ).status_code
        == 200
    )
    stale = client.patch(path, json={"meeting_interval_days": 14, "version": 0}, headers=leader)
    assert stale.status_code == 409
    assert session.exec(select(MeetingRule)).one().meeting_interval_days == 30
    other = client.patch(
        f"/api/projects/{world.other_project.id}/bodies/{world.steering.id}/meeting-rules/any",
        json={"meeting_interval_days": 30, "version": 1},
        headers=bearer(client, "outsider"),
    )
    assert other.status_code == 404


def test_meetings_carry_the_external_partners_flag_over_the_api(client, world):
    made = client.post(
        f"/api/projects/{world.project.id}/meetings",
        json={
            "body_id": world.group_a.id,
            "meeting_date": "2013-02-01",
            "with_external_partners": True,
        },
        headers=bearer(client, "secretariat"),
    )
    assert made.status_code == 201, made.text
    assert made.json()["with_external_partners"] and made.json()["with_project_management"]


def page(world, body, tail=""):
    return f"/projects/{world.project.id}/organisation/bodies/{body.id}{tail}"


def test_the_body_page_sets_a_rule_and_shows_its_breach(client, world, session):
    make_meeting(
        session,
        world,
        body_id=world.group_a.id,
        meeting_date=date(2012, 11, 10),
        with_external_partners=True,
    )
    login(client, "leader")
    token = csrf_of(client, page(world, world.group_a))
    saved = client.post(
        page(world, world.group_a, "/meeting-rules/external_partners"),
        data={"csrf_token": token, "meeting_interval_days": "92", "version": "0"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    html = client.get(page(world, world.group_a)).text
    assert "Mødekadence" in html and "Mindst hver 92. dag" in html
    assert "Møde overskredet" in html
    assert "Gruppe A har ikke mødt eksterne samarbejdspartnere i" in html
    plans = client.get(f"/projects/{world.project.id}/plans").text
    assert "Mødekadencer" in plans and "Med eksterne samarbejdspartnere" in plans
    refused = client.post(
        page(world, world.group_a, "/meeting-rules/any"),
        data={"csrf_token": token, "meeting_interval_days": "400", "version": "0"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    assert 'id="meeting-rules"' in refused.text and "Dage mellem møder" in refused.text
    stale = client.post(
        page(world, world.group_a, "/meeting-rules/external_partners"),
        data={"csrf_token": token, "meeting_interval_days": "30", "version": "0"},
    )
    assert stale.status_code == 409
    login(client, "member_a")
    token = csrf_of(client, page(world, world.group_a))
    forbidden = client.post(
        page(world, world.group_a, "/meeting-rules/any"),
        data={"csrf_token": token, "meeting_interval_days": "30", "version": "0"},
    )
    assert forbidden.status_code == 403
    assert session.exec(select(MeetingRule)).one().meeting_interval_days == 92
