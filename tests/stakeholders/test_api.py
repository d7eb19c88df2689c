from datetime import date

from sqlmodel import select

from app import clock
from app.audit.models import AuditEvent
from app.stakeholders.models import (
    ActivityDelegate,
    CommunicationAction,
    ExternalActivity,
    Stakeholder,
    StakeholderPosition,
)
from tests.factories import bearer, make_person
from tests.stakeholders.factories import make_action, make_activity, make_stakeholder

BODY = {
    "name": "Praktiserende læger",
    "kind": "external",
    "organisation": "Almen praksis",
    "influence": 3,
    "interest": 2,
    "attitude": "sceptical",
    "needs": "Nye attester og kontaktpersoner.",
}


def url(world, rest=""):
    return f"/api/projects/{world.project.id}{rest}"


def test_stakeholder_crud_with_strategy_and_history(client, world, session):
    headers = bearer(client, "leader")
    created = client.post(
        url(world, "/stakeholders"), json=BODY | {"group_id": world.group_a.id}, headers=headers
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["strategy"], body["quadrant_strategy"]) == ("keep_satisfied", "keep_satisfied")
    assert body["strategy_label"] == "Hold tilfreds (grå eminencer)"
    sid = body["id"]
    listed = client.get(url(world, "/stakeholders"), headers=bearer(client, "directorate"))
    assert [s["name"] for s in listed.json()] == ["Praktiserende læger"]
    moved = client.patch(
        url(world, f"/stakeholders/{sid}"),
        json={
            "interest": 4,
            "attitude": "positive",
            "version": 1,
            "assessment_note": "Efter brevet.",
        },
        headers=headers,
    )
    assert moved.status_code == 200 and moved.json()["strategy"] == "manage_closely"
    detail = client.get(url(world, f"/stakeholders/{sid}"), headers=headers).json()
    assert [(h["interest"], h["attitude"]) for h in detail["history"]] == [
        (2, "sceptical"),
        (4, "positive"),
    ]
    moves = client.get(url(world, "/stakeholders/moves"), headers=headers).json()
    assert moves[0]["stakeholder_name"] == "Praktiserende læger"
    assert (moves[0]["before"]["interest"], moves[0]["after"]["interest"]) == (2, 4)
    assert (
        client.delete(url(world, f"/stakeholders/{sid}?version=1"), headers=headers).status_code
        == 409
    )
    assert (
        client.delete(url(world, f"/stakeholders/{sid}?version=2"), headers=headers).status_code
        == 204
    )
    assert session.exec(select(Stakeholder)).all() == []
    actions = [
        e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "stakeholder"))
    ]
    assert actions == ["created", "moved", "deleted"]


def test_bad_input_is_422_in_danish_naming_the_field_and_stores_nothing(client, world, session):
    headers = bearer(client, "leader")
    for change, field, needle in [
        ({"influence": 7}, "influence", "skal være fra 1 til 5, ikke 7"),
        ({"attitude": "begejstret"}, "attitude", "kender ikke »begejstret«"),
        ({"strategy_override": "monitor"}, "override_reason", "Angiv en begrundelse"),
        ({"group_id": world.steering.id}, "group_id", "implementeringsgrupper"),
    ]:
        answer = client.post(url(world, "/stakeholders"), json=BODY | change, headers=headers)
        assert answer.status_code == 422, answer.text
        errors = answer.json()["errors"]
        assert errors[0]["field"] == field and needle in errors[0]["message"], errors
    assert session.exec(select(Stakeholder)).all() == []
    assert session.exec(select(StakeholderPosition)).all() == []


def test_only_the_leader_and_the_responsible_group_edit(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    for name in ("steering", "directorate", "secretariat"):
        assert (
            client.post(
                url(world, "/stakeholders"), json=BODY, headers=bearer(client, name)
            ).status_code
            == 403
        )
    refused = client.patch(
        url(world, f"/stakeholders/{s.id}"),
        json={"influence": 1, "version": 1},
        headers=bearer(client, "member_b"),
    )
    assert refused.status_code == 403
    assert session.get(Stakeholder, s.id).influence == 4
    ok = client.patch(
        url(world, f"/stakeholders/{s.id}"),
        json={"influence": 1, "version": 1},
        headers=bearer(client, "member_a"),
    )
    assert ok.status_code == 200
    assert (
        client.patch(
            url(world, f"/stakeholders/{s.id}"),
            json={"influence": 2, "version": 1},
            headers=bearer(client, "member_a"),
        ).status_code
        == 409
    )


def test_other_projects_and_unknown_ids(client, world, session):
    foreign = make_stakeholder(session, world.other_project)
    assert (
        client.get(url(world, "/stakeholders"), headers=bearer(client, "outsider")).status_code
        == 403
    )
    assert (
        client.get(
            url(world, f"/stakeholders/{foreign.id}"), headers=bearer(client, "leader")
        ).status_code
        == 404
    )
    assert (
        client.get("/api/projects/999/stakeholders", headers=bearer(client, "leader")).status_code
        == 404
    )
    assert client.get(url(world, "/stakeholders")).status_code == 401


def test_grid_is_the_plotly_figure_with_a_point_per_stakeholder(client, world, session):
    make_stakeholder(
        session, world.project, name="KL", influence=2, interest=3, attitude="supportive"
    )
    make_stakeholder(
        session, world.project, name="Borgere", influence=1, interest=5, attitude="sceptical"
    )
    figure = client.get(
        url(world, "/stakeholders/grid"), headers=bearer(client, "directorate")
    ).json()
    points = {
        name: (x, y, trace["name"])
        for trace in figure["data"]
        for name, x, y in zip(trace["text"], trace["x"], trace["y"], strict=True)
    }
    assert points == {"KL": (3, 2, "Fortaler"), "Borgere": (5, 1, "Skeptisk")}
    hover = " ".join(t["hovertemplate"] for t in figure["data"])
    assert "Strategi" in hover
    customdata = [row for t in figure["data"] for row in t["customdata"]]
    assert ["Hold informeret (gidsler)" in row for row in customdata] == [True, True]
    labels = " ".join(a["text"] for a in figure["layout"]["annotations"])
    for name in ("Ressourcepersoner", "Grå eminencer", "Gidsler", "Eksterne interessenter"):
        assert name in labels


def test_communication_actions_api(client, world, session):
    s = make_stakeholder(session, world.project, group_id=world.group_a.id)
    person = make_person(session, world.project, name="Lene Kragh")
    headers = bearer(client, "member_a")
    created = client.post(
        url(world, f"/stakeholders/{s.id}/actions"),
        json={
            "what": "Brev til lægerne",
            "channel": "email",
            "planned_date": "2013-01-14",
            "responsible_person_id": person.id,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    action = created.json()
    assert (action["group_id"], action["responsible_person_name"]) == (
        world.group_a.id,
        "Lene Kragh",
    )
    make_action(session, s, what="Senere", planned_date=date(2013, 3, 1))
    plan = client.get(
        url(world, f"/communication-actions?group_id={world.group_a.id}&end=2013-02-01"),
        headers=bearer(client, "steering"),
    )
    assert [a["what"] for a in plan.json()] == ["Brev til lægerne"]
    done = client.patch(
        url(world, f"/communication-actions/{action['id']}"),
        json={"done": True, "version": 1},
        headers=headers,
    )
    assert done.status_code == 200 and done.json()["done_date"] == clock.today().isoformat()
    assert (
        client.patch(
            url(world, f"/communication-actions/{action['id']}"),
            json={"done": False, "version": 2},
            headers=bearer(client, "member_b"),
        ).status_code
        == 403
    )
    bad = client.post(
        url(world, f"/stakeholders/{s.id}/actions"),
        json={"what": "X", "channel": "brevdue", "planned_date": "2013-01-14"},
        headers=headers,
    )
    assert bad.status_code == 422 and "»Kanal«" in bad.json()["errors"][0]["message"]
    listed = client.get(url(world, f"/stakeholders/{s.id}/actions"), headers=headers).json()
    assert [a["what"] for a in listed] == ["Brev til lægerne", "Senere"]
    assert (
        client.delete(
            url(world, f"/communication-actions/{action['id']}"),
            headers=headers,
            params={"version": done.json()["version"]},
        ).status_code
        == 204
    )
    assert len(session.exec(select(CommunicationAction)).all()) == 1


def test_activities_api_enforces_the_delegate_limit(client, world, session):
    people = [make_person(session, world.project, name=f"Delegeret {i}") for i in range(4)]
    stranger = make_person(session, world.other_project)
    headers = bearer(client, "leader")
    body = {
        "title": "KL's implementeringsnetværk",
        "kind": "network",
        "organiser": "KL",
        "delegate_limit": 3,
        "limit_note": "med beslutningskompetence og faglig indsigt",
    }
    too_many = client.post(
        url(world, "/activities"),
        json=body | {"delegate_ids": [p.id for p in people]},
        headers=headers,
    )
    assert too_many.status_code == 422
    assert "højst 3 delegerede" in too_many.json()["errors"][0]["message"]
    assert too_many.json()["errors"][0]["field"] == "delegate_ids"
    not_ours = client.post(
        url(world, "/activities"), json=body | {"delegate_ids": [stranger.id]}, headers=headers
    )
    assert not_ours.status_code == 422
    assert session.exec(select(ExternalActivity)).all() == []
    created = client.post(
        url(world, "/activities"),
        json=body | {"delegate_ids": [p.id for p in people[:3]]},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    aid = created.json()["id"]
    fourth = client.post(
        url(world, f"/activities/{aid}/delegates"),
        json={"person_id": people[3].id},
        headers=headers,
    )
    assert fourth.status_code == 422
    assert fourth.json()["errors"][0]["message"].startswith(
        "KL's implementeringsnetværk tillader højst 3 delegerede"
    )
    assert (
        client.delete(
            url(world, f"/activities/{aid}/delegates/{people[0].id}"), headers=headers
        ).status_code
        == 204
    )
    added = client.post(
        url(world, f"/activities/{aid}/delegates"),
        json={"person_id": people[3].id},
        headers=headers,
    )
    assert added.status_code == 201
    assert [d["name"] for d in added.json()["delegates"]] == [
        "Delegeret 1",
        "Delegeret 2",
        "Delegeret 3",
    ]
    dated = client.patch(
        url(world, f"/activities/{aid}"),
        json={"activity_date": "2013-02-05", "start_time": "9.30", "version": 3},
        headers=headers,
    )
    assert dated.status_code == 200 and dated.json()["start_time"] == "09:30"
    assert (
        client.post(
            url(world, "/activities"), json=body, headers=bearer(client, "directorate")
        ).status_code
        == 403
    )
    assert (
        client.get(url(world, "/activities"), headers=bearer(client, "directorate")).json()[0][
            "activity_date"
        ]
        == "2013-02-05"
    )
    version = client.get(url(world, f"/activities/{aid}"), headers=headers).json()["version"]
    gone = client.delete(
        url(world, f"/activities/{aid}"), headers=headers, params={"version": version}
    )
    assert gone.status_code == 204
    assert session.exec(select(ActivityDelegate)).all() == []


def test_an_activity_of_another_project_is_not_found(client, world, session):
    foreign = make_activity(session, world.other_project)
    assert (
        client.get(
            url(world, f"/activities/{foreign.id}"), headers=bearer(client, "leader")
        ).status_code
        == 404
    )
