from datetime import date
from decimal import Decimal

from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.risks.models import Measurement, RaidItem
from app.risks.rules import RaidStatus
from tests.factories import bearer
from tests.risks.factories import make_indicator, make_item, make_measurement


def _url(world, rest: str = "") -> str:
    return f"/api/projects/{world.project.id}/risks{rest}"


def _iurl(world, rest: str = "") -> str:
    return f"/api/projects/{world.project.id}/indicators{rest}"


RISK = {
    "title": "For få sagsbehandlere er uddannet",
    "probability": 4,
    "consequence": 4,
    "review_date": "2013-03-01",
    "response": "Uddannelsesplan i tre moduler.",
}


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_crud_of_a_risk(client, world, session):
    headers = bearer(client, "leader")
    created = client.post(_url(world), json=RISK, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["score"] == 16 and body["level"] == "high" and body["version"] == 1
    assert body["kind"] == "risk" and body["status"] == "open"
    item_id = body["id"]
    assert client.get(_url(world, f"/{item_id}"), headers=headers).json()["title"] == RISK["title"]
    patched = client.patch(
        _url(world, f"/{item_id}"),
        headers=headers,
        json={"probability": 2, "status": "in_progress", "version": 1},
    )
    assert patched.status_code == 200
    assert patched.json()["score"] == 8 and patched.json()["level"] == "medium"
    assert patched.json()["version"] == 2
    gone = client.delete(_url(world, f"/{item_id}"), params={"version": 2}, headers=headers)
    assert gone.status_code == 204
    assert client.get(_url(world, f"/{item_id}"), headers=headers).status_code == 404
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity == "raid_item")).all()
    assert actions == ["created", "updated", "deleted"]


def test_probability_0_answers_422_naming_the_field_and_stores_nothing(client, world, session):
    answer = client.post(
        _url(world), json=RISK | {"probability": 0}, headers=bearer(client, "leader")
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "probability"
    assert error["message"] == "Sandsynligheden skal være et helt tal fra 1 til 5 (ikke 0)."
    assert _count(session, RaidItem) == 0


def test_consequence_6_on_edit_answers_422(client, world, session):
    item = make_item(session, world.project)
    answer = client.patch(
        _url(world, f"/{item.id}"),
        json={"consequence": 6, "version": 1},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "consequence"
    session.refresh(item)
    assert item.consequence == 4 and item.version == 1


def test_outdated_version_answers_409(client, world, session):
    item = make_item(session, world.project, version=3)
    answer = client.patch(
        _url(world, f"/{item.id}"),
        json={"status": "closed", "version": 2},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 409
    assert "version 2, nu version 3" in answer.json()["detail"]
    session.refresh(item)
    assert item.status == RaidStatus.open


def test_roles_for_the_register(client, world, session):
    mine = make_item(session, world.project, group_id=world.group_a.id)
    theirs = make_item(session, world.project, group_id=world.group_b.id)
    for name in ("directorate", "steering", "secretariat"):
        headers = bearer(client, name)
        assert client.get(_url(world), headers=headers).status_code == 200
        assert client.post(_url(world), json=RISK, headers=headers).status_code == 403
        assert (
            client.patch(
                _url(world, f"/{mine.id}"), json={"status": "closed", "version": 1}, headers=headers
            ).status_code
            == 403
        )
        assert client.delete(_url(world, f"/{mine.id}"), headers=headers).status_code == 403
    member = bearer(client, "member_a")
    assert (
        client.post(
            _url(world), json=RISK | {"group_id": world.group_a.id}, headers=member
        ).status_code
        == 201
    )
    assert (
        client.post(
            _url(world), json=RISK | {"group_id": world.group_b.id}, headers=member
        ).status_code
        == 403
    )
    assert (
        client.patch(
            _url(world, f"/{theirs.id}"), json={"status": "closed", "version": 1}, headers=member
        ).status_code
        == 403
    )
    assert (
        client.patch(
            _url(world, f"/{mine.id}"), json={"status": "closed", "version": 1}, headers=member
        ).status_code
        == 200
    )
    assert client.get(_url(world), headers=bearer(client, "outsider")).status_code == 403
    session.refresh(theirs)
    assert theirs.status == RaidStatus.open


def test_another_projects_item_is_not_found(client, world, session):
    foreign = make_item(session, world.other_project)
    headers = bearer(client, "leader")
    assert client.get(_url(world, f"/{foreign.id}"), headers=headers).status_code == 404
    assert (
        client.patch(
            _url(world, f"/{foreign.id}"), json={"status": "closed", "version": 1}, headers=headers
        ).status_code
        == 404
    )


def test_list_flags_overdue_reviews_and_filters(client, world, session):
    make_item(session, world.project, title="gammel", review_date=date(2013, 1, 1))
    make_item(
        session,
        world.project,
        title="lukket",
        review_date=date(2013, 1, 1),
        status=RaidStatus.closed,
    )
    make_item(
        session,
        world.project,
        title="antagelse",
        kind="assumption",
        probability=None,
        consequence=None,
    )
    headers = bearer(client, "directorate")
    rows = {r["title"]: r for r in client.get(_url(world), headers=headers).json()}
    assert rows["gammel"]["review_overdue"] is True
    assert rows["lukket"]["review_overdue"] is False
    assert rows["antagelse"]["score"] is None
    only = client.get(_url(world), params={"kind": "assumption"}, headers=headers).json()
    assert [r["title"] for r in only] == ["antagelse"]
    open_only = client.get(_url(world), params={"open_only": True}, headers=headers).json()
    assert "lukket" not in {r["title"] for r in open_only}


def test_heatmap_figure_and_top_risks(client, world, session):
    make_item(session, world.project, title="Regionen", probability=3, consequence=5)
    make_item(session, world.project, title="Lægerne", probability=3, consequence=5)
    make_item(session, world.project, title="Pulje", probability=2, consequence=4)
    make_item(
        session,
        world.project,
        title="Lukket",
        probability=5,
        consequence=5,
        status=RaidStatus.closed,
    )
    headers = bearer(client, "directorate")
    figure = client.get(_url(world, "/heatmap"), headers=headers).json()
    heat = figure["data"][0]
    assert heat["type"] == "heatmap"
    assert heat["customdata"][2][4] == 2 and heat["customdata"][4][4] == 0
    assert "Regionen" in heat["hovertext"][2][4] and "Lægerne" in heat["hovertext"][2][4]
    top = client.get(_url(world, "/top"), params={"limit": 2}, headers=headers).json()
    assert [r["title"] for r in top] == ["Regionen", "Lægerne"]


# --- Indicators ----------------------------------------------------------------------------------

INDICATOR = {
    "name": "Medarbejdernes temperaturmåling",
    "unit": "point",
    "direction": "higher",
    "baseline_value": "2.9",
    "baseline_date": "2012-12-31",
    "target_value": "3.8",
    "target_date": "2014-12-31",
    "frequency": "half_yearly",
}


def test_crud_of_an_indicator_and_its_measurements(client, world, session):
    headers = bearer(client, "leader")
    created = client.post(_iurl(world), json=INDICATOR, headers=headers)
    assert created.status_code == 201, created.text
    indicator = created.json()
    assert indicator["baseline_value"] == "2.9" and indicator["frequency"] == "half_yearly"
    assert indicator["progress"] == "no_data"
    iid = indicator["id"]
    m = client.post(
        _iurl(world, f"/{iid}/measurements"),
        headers=headers,
        json={"measured_date": "2013-06-30", "value": "3.1", "note": "Fællesdag"},
    )
    assert m.status_code == 201, m.text
    assert m.json()["value"] == "3.1" and m.json()["recorded_by_name"] == "Test Bruger"
    mid = m.json()["id"]
    listed = client.get(_iurl(world, f"/{iid}/measurements"), headers=headers).json()
    assert [x["value"] for x in listed] == ["3.1"]
    patched = client.patch(
        _iurl(world, f"/{iid}/measurements/{mid}"),
        headers=headers,
        json={"value": "3.15", "version": 1},
    )
    assert patched.status_code == 200 and patched.json()["value"] == "3.15"
    stale = client.patch(
        _iurl(world, f"/{iid}/measurements/{mid}"),
        headers=headers,
        json={"value": "3.2", "version": 1},
    )
    assert stale.status_code == 409
    one = client.get(_iurl(world, f"/{iid}"), headers=headers).json()
    assert one["latest_value"] == "3.15" and one["latest_date"] == "2013-06-30"
    edited = client.patch(
        _iurl(world, f"/{iid}"), headers=headers, json={"target_value": "4", "version": 1}
    )
    assert edited.status_code == 200 and edited.json()["target_value"] == "4"
    assert (
        client.patch(
            _iurl(world, f"/{iid}"), headers=headers, json={"target_value": "5", "version": 1}
        ).status_code
        == 409
    )
    assert (
        client.delete(
            _iurl(world, f"/{iid}/measurements/{mid}"), params={"version": 2}, headers=headers
        ).status_code
        == 204
    )
    assert (
        client.delete(_iurl(world, f"/{iid}"), headers={**headers, "If-Match": '"2"'}).status_code
        == 204
    )
    assert client.get(_iurl(world, f"/{iid}"), headers=headers).status_code == 404


def test_unknown_frequency_answers_422_in_danish(client, world):
    answer = client.post(
        _iurl(world), json=INDICATOR | {"frequency": "daily"}, headers=bearer(client, "leader")
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "frequency"
    assert error["message"].startswith("Hyppigheden »daily« er ukendt. Vælg en af: ugentlig")


def test_a_measurement_before_the_baseline_answers_422_and_stores_nothing(client, world, session):
    indicator = make_indicator(session, world.project)
    answer = client.post(
        _iurl(world, f"/{indicator.id}/measurements"),
        json={"measured_date": "2012-12-31", "value": "1"},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "measured_date"
    assert (
        "Målingens dato (31.12.2012) ligger før indikatorens basisdato (01.01.2013)"
        in (error["message"])
    )
    assert _count(session, Measurement) == 0


def test_too_many_decimals_answer_422(client, world, session):
    indicator = make_indicator(session, world.project)
    answer = client.post(
        _iurl(world, f"/{indicator.id}/measurements"),
        json={"measured_date": "2013-02-01", "value": "1.2345"},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "Feltet »Værdi« må højst have 3 decimaler."


def test_roles_for_indicators(client, world, session):
    theirs = make_indicator(session, world.project, group_id=world.group_b.id)
    for name in ("directorate", "steering"):
        headers = bearer(client, name)
        assert client.get(_iurl(world), headers=headers).status_code == 200
        assert client.post(_iurl(world), json=INDICATOR, headers=headers).status_code == 403
        assert (
            client.post(
                _iurl(world, f"/{theirs.id}/measurements"),
                headers=headers,
                json={"measured_date": "2013-02-01", "value": "1"},
            ).status_code
            == 403
        )
    member_a = bearer(client, "member_a")
    assert (
        client.post(
            _iurl(world, f"/{theirs.id}/measurements"),
            headers=member_a,
            json={"measured_date": "2013-02-01", "value": "1"},
        ).status_code
        == 403
    )
    member_b = bearer(client, "member_b")
    assert (
        client.post(
            _iurl(world, f"/{theirs.id}/measurements"),
            headers=member_b,
            json={"measured_date": "2013-02-01", "value": "1"},
        ).status_code
        == 201
    )
    assert (
        client.post(
            _iurl(world), json=INDICATOR | {"group_id": world.group_a.id}, headers=member_a
        ).status_code
        == 201
    )


def test_indicator_list_flags_the_missing_measurement(client, world, session):
    late = make_indicator(
        session,
        world.project,
        name="Temperatur",
        frequency="half_yearly",
        baseline_date=date(2012, 12, 31),
        target_date=date(2014, 12, 31),
    )
    make_measurement(session, late, measured_date=date(2014, 6, 30), value=Decimal("3.6"))
    done = make_indicator(
        session,
        world.project,
        name="Uddannede",
        baseline_date=date(2012, 11, 27),
        target_date=date(2013, 6, 30),
        target_value=Decimal("40"),
    )
    make_measurement(session, done, measured_date=date(2013, 6, 30), value=Decimal("41"))
    rows = {
        r["name"]: r for r in client.get(_iurl(world), headers=bearer(client, "directorate")).json()
    }
    assert rows["Temperatur"]["measurement_missing"] is True
    assert rows["Temperatur"]["next_due_date"] == "2014-12-31"
    assert rows["Temperatur"]["due_state"] == "missing"
    assert rows["Uddannede"]["measurement_missing"] is False
    assert rows["Uddannede"]["due_state"] == "finished"
    assert rows["Uddannede"]["progress"] == "reached"


def test_indicator_chart_has_the_target_line(client, world, session):
    indicator = make_indicator(session, world.project)
    make_measurement(session, indicator, measured_date=date(2013, 1, 31), value=Decimal("2"))
    make_measurement(session, indicator, measured_date=date(2013, 2, 28), value=Decimal("3.5"))
    figure = client.get(
        _iurl(world, f"/{indicator.id}/chart"), headers=bearer(client, "directorate")
    ).json()
    measured, target = figure["data"]
    assert measured["name"] == "Målt"
    assert measured["x"] == ["2013-01-01", "2013-01-31", "2013-02-28"]
    assert measured["y"] == [0.0, 2.0, 3.5]
    assert target["name"] == "Mål: 4 møder senest 31.12.2014"
    assert target["y"] == [4.0, 4.0] and target["x"] == ["2013-01-01", "2014-12-31"]
    assert target["line"]["dash"] == "dash"
