"""Success measures computed from the registrations: the service, the API and the monitoring
page's "Overfør til succesmål" form, refusals included."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.errors import Forbidden, Invalid, NotFound
from app.participants import indicators
from app.participants.schemas import IndicatorFromRegistrations
from app.risks.models import Measurement
from tests.factories import bearer, csrf_of, login
from tests.participants.factories import (
    TODAY,
    access,
    exit_participant,
    make_participant,
    make_scheme,
)
from tests.risks.factories import make_indicator

AS_OF = date(2013, 12, 31)


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _six_people(session, world):
    """Six started in May 2013; five left for a job and one dropped out on 01.11.2013."""
    scheme = make_scheme(session, world)
    people = [
        make_participant(session, world, scheme, start_date=date(2013, 5, 1 + i)) for i in range(6)
    ]
    for p in people[:5]:
        exit_participant(session, world, p, date(2013, 11, 1), outcome="job")
    exit_participant(session, world, people[5], date(2013, 11, 1), outcome="dropout")
    return scheme


def _record(session, world, indicator, name="leader", **overrides):
    values = {"metric": "started", "as_of": AS_OF, "scheme_id": None} | overrides
    return indicators.record_indicator_from_registrations(
        session=session,
        by=access(session, world, name),
        indicator_id=indicator.id,
        data=IndicatorFromRegistrations(**values),
        today=TODAY,
    )


# Service


def test_the_value_recorded_is_the_registrations_value(session, world):
    scheme = _six_people(session, world)
    indicator = make_indicator(session, world.project, name="Deltagere i alt", unit="personer")
    events = _count(session, AuditEvent)
    measurement, value = _record(session, world, indicator, scheme_id=scheme.id)
    expected = indicators.indicator_value(
        session=session, project_id=world.project.id, metric="started", as_of=AS_OF
    )
    assert value == indicators.indicator_value(
        session=session,
        project_id=world.project.id,
        metric="started",
        as_of=AS_OF,
        scheme_id=scheme.id,
    )
    # Six people, published as 5: measurements are read by every role.
    assert measurement.value == Decimal(str(expected.value)) == Decimal(5)
    assert measurement.measured_date == AS_OF and measurement.indicator_id == indicator.id
    assert "Deltagere startet i alt" in measurement.note and "Virksomhedscentre" in measurement.note
    assert "afrundet til nærmeste 5" in measurement.note
    assert measurement.recorded_by_id == world.users["leader"].id
    # One audit event: the measurement, with the note saying where it came from.
    assert _count(session, AuditEvent) == events + 1
    event = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.entity) == ("created", "measurement")
    assert event.entity_id == str(measurement.id)
    assert "deltagerregistreringerne" in event.after["note"]


def test_the_published_figure_is_recorded_dated_its_month_end(session, world):
    _six_people(session, world)
    indicator = make_indicator(session, world.project, name="Andel placeret", unit="%")
    # 5 of 6 placed: published from the rounded counts, 5 of 5.
    measurement, value = _record(session, world, indicator, metric="placed_share")
    assert (value.value, value.exact) == (100, False)
    assert measurement.value == Decimal(100)
    job, value = _record(session, world, indicator, metric="exit:job", as_of=date(2013, 12, 1))
    assert (job.value, job.measured_date) == (Decimal(5), date(2013, 11, 30))
    assert value.as_of == date(2013, 11, 30)


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"metric": "nonsense"}, "metric", "kan ikke beregnes fra deltagerregistreringerne"),
        # Only one dropped out: a figure of fewer than 5 people is not passed on.
        ({"metric": "exit:dropout"}, "metric", "færre end 5 personer"),
        # Nobody has left by the end of May: there is no share to compute.
        ({"metric": "placed_share", "as_of": date(2013, 5, 31)}, "metric", "ingen deltagere"),
        ({"as_of": date(2012, 12, 31)}, "as_of", "før indikatorens basisdato"),
        ({"as_of": date(2015, 1, 2)}, "as_of", "ligger i fremtiden"),
        # Its month end, 31.12.2012, lies before the baseline.
        ({"as_of": date(2013, 1, 15)}, "as_of", "før indikatorens basisdato"),
        ({"scheme_id": 999_999}, "scheme_id", "Registreringsskemaet findes ikke"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(session, world, overrides, field, text):
    _six_people(session, world)
    indicator = make_indicator(session, world.project)
    events = _count(session, AuditEvent)
    with pytest.raises(Invalid, match=text) as refused:
        _record(session, world, indicator, **overrides)
    assert refused.value.field == field
    assert _count(session, Measurement) == 0 and _count(session, AuditEvent) == events


def test_a_second_measurement_on_the_same_day_is_refused(session, world):
    _six_people(session, world)
    indicator = make_indicator(session, world.project)
    _record(session, world, indicator)
    with pytest.raises(Invalid, match="allerede en måling") as refused:
        _record(session, world, indicator, metric="active")
    assert refused.value.field == "as_of" and _count(session, Measurement) == 1


def test_an_indicator_of_another_project_is_not_found(session, world):
    _six_people(session, world)
    theirs = make_indicator(session, world.other_project)
    with pytest.raises(NotFound, match="Succesmålet findes ikke i dette projekt"):
        _record(session, world, theirs)
    assert _count(session, Measurement) == 0


@pytest.mark.parametrize("name", ["steering", "directorate", "secretariat"])
def test_only_those_who_may_add_measurements_may_do_it(session, world, name):
    _six_people(session, world)
    indicator = make_indicator(session, world.project)
    with pytest.raises(Forbidden):
        _record(session, world, indicator, name=name)
    assert _count(session, Measurement) == 0


def test_group_members_measure_their_own_groups_indicators_only(session, world):
    _six_people(session, world)
    indicator = make_indicator(session, world.project, group_id=world.group_a.id)
    with pytest.raises(Forbidden):
        _record(session, world, indicator, name="member_b")
    measurement, _ = _record(session, world, indicator, name="member_a")
    assert measurement.recorded_by_id == world.users["member_a"].id


# API


def _url(world, indicator) -> str:
    return f"/api/projects/{world.project.id}/indicators/{indicator.id}/from-registrations"


def test_the_api_records_the_value(client, session, world):
    _six_people(session, world)
    indicator = make_indicator(session, world.project)
    answer = client.post(
        _url(world, indicator),
        json={"metric": "exited", "as_of": "2013-12-31"},
        headers=bearer(client, "leader"),
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["metric"] == {
        "metric": "exited",
        "label": "Afsluttede deltagere",
        "as_of": "2013-12-31",
        "value": 5.0,
        "people": 5,
        "shown": "5",
        "exact": False,
    }
    assert Decimal(body["measurement"]["value"]) == 5
    assert body["measurement"]["measured_date"] == "2013-12-31"
    listed = client.get(
        f"/api/projects/{world.project.id}/indicators/{indicator.id}/measurements",
        headers=bearer(client, "directorate"),
    )
    assert [m["id"] for m in listed.json()] == [body["measurement"]["id"]]


def test_the_api_refuses_with_the_field_named(client, session, world):
    _six_people(session, world)
    indicator = make_indicator(session, world.project)
    leader = bearer(client, "leader")
    unknown = client.post(
        _url(world, indicator), json={"metric": "nonsense", "as_of": "2013-12-31"}, headers=leader
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "metric"
    assert "kan ikke beregnes" in unknown.json()["errors"][0]["message"]
    theirs = make_indicator(session, world.other_project)
    other = client.post(
        _url(world, theirs), json={"metric": "started", "as_of": "2013-12-31"}, headers=leader
    )
    # Another project's indicator in the path is 404, as everywhere (issue 16, finding 10).
    assert other.status_code == 404
    assert other.json()["detail"] == "Succesmålet findes ikke i dette projekt."
    forbidden = client.post(
        _url(world, indicator),
        json={"metric": "started", "as_of": "2013-12-31"},
        headers=bearer(client, "steering"),
    )
    assert forbidden.status_code == 403
    outsider = client.post(
        _url(world, indicator),
        json={"metric": "started", "as_of": "2013-12-31"},
        headers=bearer(client, "outsider"),
    )
    assert outsider.status_code == 403
    assert _count(session, Measurement) == 0


# The monitoring page's form


def test_the_leader_transfers_a_figure_from_the_monitoring_page(client, session, world):
    _six_people(session, world)
    indicator = make_indicator(session, world.project, name="Afsluttet til job")
    login(client, "leader")
    page = client.get(f"/projects/{world.project.id}/participants/monitoring")
    assert "Overfør til succesmål" in page.text and "Afsluttet til job" in page.text
    token = csrf_of(client, f"/projects/{world.project.id}/participants/monitoring")
    url = f"/projects/{world.project.id}/participants/monitoring/indicator"
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    form = {"indicator_id": str(indicator.id), "metric": "exit:job", "as_of": "2013-12-31"}
    answer = client.post(url, data=form, headers=headers)
    assert answer.status_code == 200, answer.text
    assert 'id="participants-to-indicator"' in answer.text and "er gemt som måling" in answer.text
    measurement = session.exec(select(Measurement)).one()
    assert measurement.value == Decimal(5) and measurement.measured_date == AS_OF

    refused = client.post(url, data=form | {"metric": "exit:dropout"}, headers=headers)
    assert refused.status_code == 422
    assert 'aria-describedby="metric-error" aria-invalid="true"' in refused.text
    assert "færre end 5 personer" in refused.text
    assert _count(session, Measurement) == 1


def test_the_steering_group_sees_no_transfer_form(client, session, world):
    _six_people(session, world)
    make_indicator(session, world.project)
    login(client, "steering")
    page = client.get(f"/projects/{world.project.id}/participants/monitoring")
    assert page.status_code == 200 and "Overfør til succesmål" not in page.text
