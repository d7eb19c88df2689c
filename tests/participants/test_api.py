"""The participants API: every rule at the HTTP level, refusals included."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.schemes import field_keys, key_from_label
from tests.factories import bearer
from tests.participants.factories import (
    exit_participant,
    follow_up,
    make_participant,
    make_scheme,
    scheme_definition,
    start_values,
)


def _url(world, rest: str = "") -> str:
    return f"/api/projects/{world.project.id}/participants{rest}"


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _register(client, world, scheme, headers, **overrides):
    body = {
        "scheme_id": scheme.id,
        "start_date": "2013-05-01",
        "start_values": start_values(),
        "target_group": "I ressourceforløb",
    } | overrides
    return client.post(_url(world), json=body, headers=headers)


def test_scheme_crud_is_for_the_project_leader(client, world, session):
    url = f"/api/projects/{world.project.id}/participant-schemes"
    leader = bearer(client, "leader")
    created = client.post(url, json=scheme_definition(), headers=leader)
    assert created.status_code == 201, created.text
    scheme = created.json()
    assert scheme["follow_up_every"] == 3 and scheme["exit_outcomes"][0]["key"] == "job"
    assert (
        client.post(
            url, json=scheme_definition(name="Andet"), headers=bearer(client, "steering")
        ).status_code
        == 403
    )
    listed = client.get(url, headers=bearer(client, "directorate"))
    assert listed.status_code == 200 and [s["name"] for s in listed.json()] == ["Virksomhedscentre"]
    patched = client.patch(
        f"{url}/{scheme['id']}", json={"retention_months": 36, "version": 1}, headers=leader
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(
        f"{url}/{scheme['id']}", json={"retention_months": 12, "version": 1}, headers=leader
    )
    assert stale.status_code == 409
    version = patched.json()["version"]
    gone = client.delete(f"{url}/{scheme['id']}", headers=leader, params={"version": version})
    assert gone.status_code == 204
    assert _count(session, RegistrationScheme) == 0


def test_invalid_scheme_is_a_danish_422(client, world):
    url = f"/api/projects/{world.project.id}/participant-schemes"
    bad = scheme_definition(start_fields=[{"key": "sex", "label": "Køn", "type": "choice"}])
    answer = client.post(url, json=bad, headers=bearer(client, "leader"))
    assert answer.status_code == 422
    assert "skal have mindst én mulighed" in answer.json()["errors"][0]["message"]


def test_register_and_read_a_participant(client, world, session):
    scheme = make_scheme(session, world)
    headers = bearer(client, "leader")
    created = _register(client, world, scheme, headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["code"] == "VC-001" and body["status"] == "active"
    assert body["next_follow_up_date"] == "2013-08-01"
    pid = body["id"]
    fu = client.post(
        _url(world, f"/{pid}/follow-ups"),
        json={"follow_up_date": "2013-08-05", "values": {"development": "Uændret", "hours": 10}},
        headers=headers,
    )
    assert fu.status_code == 201, fu.text
    done = client.post(
        _url(world, f"/{pid}/exit"),
        json={"exit_date": "2013-10-01", "outcome": "flex_job", "values": {"placements": 2}},
        headers=headers,
    )
    assert done.status_code == 201, done.text
    assert done.json()["exit_outcome_label"] == "Delvis selvforsørgelse – fleksjob"
    detail = client.get(_url(world, f"/{pid}"), headers=headers).json()
    assert [f["values"]["hours"] for f in detail["follow_ups"]] == [10]
    version = {"version": done.json()["version"]}
    assert (
        client.delete(_url(world, f"/{pid}/exit"), headers=headers, params=version).status_code
        == 204
    )
    assert client.get(_url(world, f"/{pid}"), headers=headers).json()["status"] == "active"


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"code": "010190-1234"}, "code", "ligner et CPR-nummer"),
        (
            {"start_values": start_values(goal="cpr 0101901234")},
            "start_values.goal",
            "ligner et CPR-nummer",
        ),
        (
            {"start_values": start_values(name="Anna")},
            "start_values.name",
            "findes ikke i registreringsskemaet",
        ),
        ({"start_values": start_values(sex="Andet")}, "start_values.sex", "er ikke en mulighed"),
        ({"target_group": "Unge"}, "target_group", "findes ikke i registreringsskemaet"),
    ],
)
def test_refused_registrations_name_the_field_and_store_nothing(
    client, world, session, overrides, field, words
):
    scheme = make_scheme(session, world)
    answer = _register(client, world, scheme, bearer(client, "leader"), **overrides)
    assert answer.status_code == 422, answer.text
    detail = answer.json()["errors"][0]
    assert detail["field"] == field
    assert words in detail["message"]
    assert _count(session, Participant) == 0


def test_follow_up_before_start_and_unknown_outcome_are_refused(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    headers = bearer(client, "leader")
    early = client.post(
        _url(world, f"/{p.id}/follow-ups"),
        json={"follow_up_date": "2013-04-01", "values": {"development": "Uændret"}},
        headers=headers,
    )
    assert early.status_code == 422
    assert early.json()["errors"][0] == {
        "in": "body",
        "field": "follow_up_date",
        "code": "invalid",
        "message": "Opfølgningsdatoen (01.04.2013) ligger før deltagerens startdato (01.05.2013).",
    }
    outcome = client.post(
        _url(world, f"/{p.id}/exit"),
        json={"exit_date": "2013-09-01", "outcome": "lottery"},
        headers=headers,
    )
    assert outcome.status_code == 422
    assert outcome.json()["errors"][0]["field"] == "outcome"
    unknown = client.post(
        _url(world, f"/{p.id}/follow-ups"),
        json={"follow_up_date": "2013-08-01", "values": {"development": "Uændret", "mood": "god"}},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert _count(session, FollowUp) == 0
    session.refresh(p)
    assert p.exit_date is None


@pytest.mark.parametrize("name", ["steering", "directorate", "member_a", "secretariat", "outsider"])
def test_non_registrars_get_403_on_row_level_records(client, world, session, name):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    headers = bearer(client, name)
    before = _count(session, AuditEvent)
    for path in ("", f"/{p.id}", "/due"):
        assert client.get(_url(world, path), headers=headers).status_code == 403, path
    assert (
        client.get(
            f"/api/projects/{world.project.id}/participants.xlsx", headers=headers
        ).status_code
        == 403
    )
    assert _register(client, world, scheme, headers).status_code == 403
    assert (
        client.post(
            _url(world, f"/{p.id}/follow-ups"),
            json={"follow_up_date": "2013-08-01", "values": {"development": "Uændret"}},
            headers=headers,
        ).status_code
        == 403
    )
    assert client.delete(_url(world, f"/{p.id}"), headers=headers).status_code == 403
    assert _count(session, Participant) == 1 and _count(session, FollowUp) == 0
    reads = session.exec(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "read")
    ).one()
    assert reads == 0 and _count(session, AuditEvent) >= before


def test_reads_through_the_api_are_audited(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme)
    headers = bearer(client, "leader")
    assert client.get(_url(world), headers=headers).status_code == 200
    assert client.get(_url(world, f"/{p.id}"), headers=headers).status_code == 200
    assert (
        client.get(_url(world, "/due?as_of=2013-08-01"), headers=headers).json()[0]["code"]
        == "VC-001"
    )
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "read").order_by(AuditEvent.id)
    ).all()
    assert [(e.after["view"], e.username) for e in events] == [
        ("list", "leader"),
        ("detail", "leader"),
        ("due", "leader"),
    ]


def test_registrars_are_appointed_by_the_leader_through_the_api(client, world, session):
    scheme = make_scheme(session, world)
    make_participant(session, world, scheme)
    url = f"/api/projects/{world.project.id}/participant-registrars"
    member = world.users["member_b"]
    assert (
        client.post(
            url, json={"user_id": member.id}, headers=bearer(client, "member_a")
        ).status_code
        == 403
    )
    refused = client.post(
        url, json={"user_id": world.users["steering"].id}, headers=bearer(client, "leader")
    )
    assert refused.status_code == 422
    created = client.post(url, json={"user_id": member.id}, headers=bearer(client, "leader"))
    assert created.status_code == 201 and created.json()["username"] == "member_b"
    listed = client.get(url, headers=bearer(client, "leader")).json()
    assert [(r["username"], r["is_project_leader"]) for r in listed] == [
        ("leader", True),
        ("member_b", False),
    ]
    assert client.get(_url(world), headers=bearer(client, "member_b")).status_code == 200
    assert client.delete(f"{url}/{member.id}", headers=bearer(client, "leader")).status_code == 204
    assert client.get(_url(world), headers=bearer(client, "member_b")).status_code == 403


def _group_of(session, world, scheme, n, group="I risiko for ressourceforløb"):
    for i in range(n):
        make_participant(
            session, world, scheme, start_date=date(2013, 5, 1 + i), target_group=group
        )


def _groups_row(answer, name):
    table = next(t for t in answer.json()["tables"] if t["key"] == "groups")
    return next(r for r in table["rows"] if r[0] == name)


def test_monitoring_suppresses_cells_of_fewer_than_five_at_the_boundary(client, world, session):
    scheme = make_scheme(session, world)
    _group_of(session, world, scheme, 6, "I ressourceforløb")
    _group_of(session, world, scheme, 5, None)
    _group_of(session, world, scheme, 4)
    url = _url(world, f"/monitoring?scheme_id={scheme.id}&as_of=2013-12-31")
    headers = bearer(client, "steering")
    answer = client.get(url, headers=headers)
    assert answer.status_code == 200
    assert _groups_row(answer, "I risiko for ressourceforløb")[1] == "<5"
    assert _groups_row(answer, "I ressourceforløb")[1] == "5"  # 6, rounded to the nearest 5
    # The smallest other cell is hidden too, or the total (15) would give the 4 away.
    assert _groups_row(answer, "Uden målgruppe")[1] == ".."
    assert answer.json()["key_figures"][0] == {"label": "Startet i alt", "value": "15"}
    make_participant(
        session,
        world,
        scheme,
        start_date=date(2013, 6, 1),
        target_group="I risiko for ressourceforløb",
    )
    answer = client.get(url, headers=headers)
    assert _groups_row(answer, "I risiko for ressourceforløb")[1] == "5"
    assert _groups_row(answer, "Uden målgruppe")[1] == "5"
    assert "VC-001" not in answer.text


def test_monitoring_is_open_to_every_role_and_charts_come_as_plotly_json(client, world, session):
    scheme = make_scheme(session, world)
    _group_of(session, world, scheme, 5)
    for name in ("directorate", "member_a", "secretariat"):
        assert (
            client.get(_url(world, "/monitoring"), headers=bearer(client, name)).status_code == 200
        )
    assert (
        client.get(_url(world, "/monitoring"), headers=bearer(client, "outsider")).status_code
        == 403
    )
    chart = client.get(
        _url(
            world, f"/monitoring/charts/over_time?scheme_id={scheme.id}&as_of=2013-06-30&unit=month"
        ),
        headers=bearer(client, "directorate"),
    )
    assert chart.status_code == 200
    assert chart.json()["data"][0]["name"] == "Startet"
    assert chart.json()["data"][0]["y"][-2:] == [5, 0]


def test_monitoring_excel_for_the_grantor_is_suppressed_and_neutralised(client, world, session):
    outcomes = scheme_definition()["exit_outcomes"] + [
        {"key": "formula", "label": '=HYPERLINK("http://x")'}
    ]
    scheme = make_scheme(session, world, exit_outcomes=outcomes)
    _group_of(session, world, scheme, 7)
    p = make_participant(session, world, scheme, start_date=date(2013, 5, 20))
    exit_participant(session, world, p, date(2013, 9, 1), outcome="formula")
    answer = client.get(
        _url(world, f"/monitoring.xlsx?scheme_id={scheme.id}&as_of=2013-12-31"),
        headers=bearer(client, "steering"),
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    wb = load_workbook(BytesIO(answer.content))
    assert wb.sheetnames[0] == "Om tallene"
    about = {row[0]: row[1] for row in wb["Om tallene"].iter_rows(values_only=True) if row[0]}
    assert about["Startet i alt"] == 10 and about["Afsluttet"] == "<5"  # 8, rounded
    outcomes_sheet = wb["Afslutninger fordelt på status"]
    formula_row = next(r for r in outcomes_sheet.iter_rows() if "HYPERLINK" in str(r[0].value))
    assert formula_row[0].value == '=HYPERLINK("http://x")' and formula_row[0].quotePrefix
    assert formula_row[2].value == "<5"
    assert all(c.data_type != "f" for row in outcomes_sheet.iter_rows() for c in row)
    over_time = list(wb["Deltagere over tid"].iter_rows(values_only=True))
    assert over_time[0][:3] == ("Periode", "Startet", "Aktive ved periodens slut")
    assert over_time[1][:2] == ("2. kvt. 2013", 10)


def test_row_level_excel_is_for_the_project_leader_and_audited(client, world, session):
    scheme = make_scheme(session, world)
    p = make_participant(session, world, scheme, start_values=start_values(goal="=1+2"))
    follow_up(session, world, p, date(2013, 8, 1), hours=12)
    url = f"/api/projects/{world.project.id}/participants.xlsx"
    client.post(
        f"/api/projects/{world.project.id}/participant-registrars",
        json={"user_id": world.users["member_a"].id},
        headers=bearer(client, "leader"),
    )
    assert client.get(url, headers=bearer(client, "member_a")).status_code == 403
    answer = client.get(url, headers=bearer(client, "leader"))
    assert answer.status_code == 200
    wb = load_workbook(BytesIO(answer.content))
    people = list(wb["VC deltagere"].iter_rows(values_only=True))
    assert people[0][:4] == ("Deltagerkode", "Målgruppe", "Startdato", "Alder")
    assert people[1][0] == "VC-001" and people[1][3] == 41
    [goal] = [c for c in wb["VC deltagere"][2] if c.value == "=1+2"]
    assert goal.data_type == "s" and goal.quotePrefix
    follow_ups = list(wb["VC opfølgninger"].iter_rows(values_only=True))
    assert follow_ups[1][0] == "VC-001" and follow_ups[1][3] == 12
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "read")).one()
    assert event.after == {"view": "export", "count": 1, "codes": ["VC-001"]}


def test_metric_endpoint_for_success_measures(client, world, session):
    scheme = make_scheme(session, world)
    _group_of(session, world, scheme, 3)
    answer = client.get(
        _url(world, "/metrics/started?as_of=2013-12-31"), headers=bearer(client, "steering")
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "metric": "started",
        "label": "Deltagere startet i alt",
        "as_of": "2013-12-31",
        "value": None,
        "people": None,
        "shown": "<5",
        "exact": False,
    }
    exact = client.get(
        _url(world, "/metrics/started?as_of=2013-12-30"), headers=bearer(client, "leader")
    )
    assert exact.json() | {"label": ""} == {
        "metric": "started",
        "label": "",
        "as_of": "2013-12-30",
        "value": 3.0,
        "people": 3,
        "shown": "<5",
        "exact": True,
    }
    assert (
        client.get(_url(world, "/metrics/nonsense"), headers=bearer(client, "steering")).status_code
        == 422
    )
    far = client.get(
        _url(world, "/metrics/started?as_of=1066-10-14"), headers=bearer(client, "steering")
    )
    assert far.status_code == 422 and "skal ligge mellem" in far.json()["errors"][0]["message"]


def test_fields_and_outcomes_sent_without_a_key_get_the_key_the_pages_make(client, world, session):
    url = f"/api/projects/{world.project.id}/participant-schemes"
    leader = bearer(client, "leader")
    outcomes = [{"key": "job", "label": "Job"}, {"label": "Over 10 timer"}, {"label": "Job"}]
    created = client.post(url, json=scheme_definition(exit_outcomes=outcomes), headers=leader)
    assert created.status_code == 201, created.text
    scheme = created.json()
    assert [o["key"] for o in scheme["exit_outcomes"]] == ["job", "over_10_timer", "job_2"]
    row = session.get(RegistrationScheme, scheme["id"])
    # »Age« is taken by a start field the change does not send: the page's add-field form
    # would make age_2, and so does the API.
    expected = key_from_label("Age", field_keys(row))
    exit_fields = [*scheme["exit_fields"], {"key": "", "label": "Age", "type": "text"}]
    patched = client.patch(
        f"{url}/{scheme['id']}",
        json={
            "exit_fields": exit_fields,
            "exit_outcomes": [
                *scheme["exit_outcomes"],
                {"label": "Flyttet", "placement": False},
                {"key": "", "label": "Over 10 timer"},
            ],
            "version": 1,
        },
        headers=leader,
    )
    assert patched.status_code == 200, patched.text
    answer = patched.json()
    assert expected == "age_2" and answer["exit_fields"][-1]["key"] == "age_2"
    assert [o["key"] for o in answer["exit_outcomes"]][-2:] == ["flyttet", "over_10_timer_2"]
