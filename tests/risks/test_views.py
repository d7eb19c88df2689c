import json
import re
from datetime import date
from decimal import Decimal

from sqlmodel import func, select

from app.risks.models import Indicator, Measurement, RaidItem
from app.risks.rules import RaidStatus
from tests.factories import csrf_of, login
from tests.risks.factories import make_indicator, make_item, make_measurement


def _page(world, rest: str = "") -> str:
    return f"/projects/{world.project.id}{rest}"


def _htmx(client, world) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, _page(world, "/risks"))}


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_register_page_shows_heat_map_table_flags_and_the_form(client, world, session):
    make_item(
        session,
        world.project,
        title="Ingen samarbejdsaftale med Regionen",
        probability=3,
        consequence=5,
        review_date=date(2013, 2, 1),
    )
    make_item(session, world.project, title="Loven vedtages for sent", status=RaidStatus.closed)
    login(client, "leader")
    page = client.get(_page(world, "/risks"))
    assert page.status_code == 200
    html = page.text
    assert 'aria-current="page">Risici og mål</a>' in html
    assert 'id="risk-heatmap"' in html and "/static/vendor/plotly.min.js" in html
    assert "Ingen samarbejdsaftale med Regionen" in html
    assert "15 høj" in html and "Revision overskredet" in html
    assert "1 med overskredet revisionsdato" in html
    assert "Tilføj en post" in html and "Ret<span" in html


def test_directorate_reads_without_forms(client, world, session):
    make_item(session, world.project)
    make_indicator(session, world.project)
    login(client, "directorate")
    html = client.get(_page(world, "/risks")).text
    assert "Loven vedtages for sent" in html
    assert "Tilføj en post" not in html and "hx-get" not in html
    assert "Tilføj indikator" not in client.get(_page(world, "/indicators")).text
    token = csrf_of(client, _page(world, "/risks"))
    answer = client.post(
        _page(world, "/risks"),
        data={
            "csrf_token": token,
            "title": "x",
            "kind": "risk",
            "probability": "2",
            "consequence": "2",
            "status": "open",
        },
    )
    assert answer.status_code == 403
    assert _count(session, RaidItem) == 1


def test_filters_narrow_the_register(client, world, session):
    make_item(session, world.project, title="En risiko")
    make_item(
        session, world.project, title="Et problem", kind="issue", probability=None, consequence=None
    )
    login(client, "leader")
    html = client.get(_page(world, "/risks"), params={"kind": "issue"}).text
    table = html.split('id="raid-table"')[1]
    assert "Et problem" in table and "En risiko" not in table
    assert 'value="issue" selected' in html


def test_leader_adds_a_risk_with_the_form(client, world, session):
    login(client, "leader")
    token = csrf_of(client, _page(world, "/risks"))
    answer = client.post(
        _page(world, "/risks"),
        data={
            "csrf_token": token,
            "kind": "risk",
            "title": "For få uddannede sagsbehandlere",
            "probability": "4",
            "consequence": "4",
            "owner_id": "",
            "group_id": str(world.group_a.id),
            "status": "open",
            "review_date": "2013-03-01",
            "description": "",
            "response": "Plan",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    item = session.exec(select(RaidItem)).one()
    assert answer.headers["location"] == _page(world, f"/risks#item-{item.id}")
    assert item.score == 16 and item.group_id == world.group_a.id


def test_a_probability_of_0_in_the_form_is_shown_next_to_the_field(client, world, session):
    login(client, "leader")
    token = csrf_of(client, _page(world, "/risks"))
    answer = client.post(
        _page(world, "/risks"),
        data={
            "csrf_token": token,
            "kind": "risk",
            "title": "Forkert",
            "probability": "0",
            "consequence": "3",
            "status": "open",
            "review_date": "",
        },
    )
    assert answer.status_code == 422
    assert (
        '<p class="field-error" id="probability-error">Sandsynligheden skal være et helt tal '
        "fra 1 til 5 (ikke 0).</p>"
    ) in answer.text
    assert re.search(r'<select id="probability"[^>]*aria-invalid="true"', answer.text)
    assert 'value="Forkert"' in answer.text
    assert _count(session, RaidItem) == 0


def test_inline_edit_of_status_and_review_date(client, world, session):
    item = make_item(session, world.project, title="Regionen")
    login(client, "leader")
    headers = _htmx(client, world)
    edit = client.get(_page(world, f"/risks/{item.id}/row/edit"), headers=headers)
    assert edit.status_code == 200
    assert edit.text.lstrip().startswith(f'<tr id="item-{item.id}"')
    assert 'name="version" value="1"' in edit.text
    saved = client.post(
        _page(world, f"/risks/{item.id}/row"),
        headers=headers,
        data={"status": "in_progress", "review_date": "2013-04-01", "version": "1"},
    )
    assert saved.status_code == 200
    assert "Under håndtering" in saved.text and "01.04.2013" in saved.text
    assert "risk.updated" in saved.headers["HX-Trigger"]
    session.refresh(item)
    assert item.status == RaidStatus.in_progress and item.version == 2


def test_inline_edit_with_an_outdated_version_answers_409_with_the_stored_values(
    client, world, session
):
    item = make_item(session, world.project, version=2, status=RaidStatus.in_progress)
    login(client, "leader")
    answer = client.post(
        _page(world, f"/risks/{item.id}/row"),
        headers=_htmx(client, world),
        data={"status": "closed", "review_date": "", "version": "1"},
    )
    assert answer.status_code == 409
    assert "ændret af en anden" in answer.text
    assert 'name="version" value="2"' in answer.text
    assert '<option value="in_progress" selected>' in answer.text
    session.refresh(item)
    assert item.status == RaidStatus.in_progress


def test_inline_edit_with_a_bad_date_answers_422(client, world, session):
    item = make_item(session, world.project)
    login(client, "leader")
    answer = client.post(
        _page(world, f"/risks/{item.id}/row"),
        headers=_htmx(client, world),
        data={"status": "closed", "review_date": "32.13.2013", "version": "1"},
    )
    assert answer.status_code == 422
    assert f'id="review-{item.id}-error"' in answer.text
    assert "skal være en dato" in answer.text


def test_group_member_sees_edit_buttons_only_for_their_group(client, world, session):
    mine = make_item(session, world.project, title="Min", group_id=world.group_a.id)
    theirs = make_item(session, world.project, title="Deres", group_id=world.group_b.id)
    login(client, "member_a")
    html = client.get(_page(world, "/risks")).text
    assert f"/risks/{mine.id}/row/edit" in html and f"/risks/{theirs.id}/row/edit" not in html
    answer = client.post(
        _page(world, f"/risks/{theirs.id}/row"),
        headers=_htmx(client, world),
        data={"status": "closed", "review_date": "", "version": "1"},
    )
    assert answer.status_code == 403
    group_select = html.split('id="group_id"')[1].split("</select>")[0]
    assert "Gruppe A" in group_select and "Gruppe B" not in group_select
    assert "Ingen (projektledelsen)" not in group_select


def test_item_page_edit_and_conflict(client, world, session):
    item = make_item(session, world.project, title="Pulje")
    login(client, "leader")
    page = client.get(_page(world, f"/risks/{item.id}"))
    assert page.status_code == 200 and "12 middel" in page.text
    token = csrf_of(client, _page(world, f"/risks/{item.id}"))
    form = {
        "csrf_token": token,
        "kind": "risk",
        "title": "Puljen bruges ikke",
        "probability": "2",
        "consequence": "4",
        "status": "open",
        "review_date": "",
        "version": "1",
        "owner_id": "",
        "group_id": "",
        "description": "",
        "response": "",
    }
    assert (
        client.post(
            _page(world, f"/risks/{item.id}"), data=form, follow_redirects=False
        ).status_code
        == 303
    )
    stale = client.post(_page(world, f"/risks/{item.id}"), data=form | {"title": "Igen"})
    assert stale.status_code == 409 and "ændret af en anden" in stale.text
    assert 'value="Puljen bruges ikke"' in stale.text
    session.refresh(item)
    assert item.title == "Puljen bruges ikke" and item.version == 2
    assert (
        client.post(
            _page(world, f"/risks/{item.id}/delete"),
            data={"csrf_token": token, "version": "2"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert _count(session, RaidItem) == 0


# --- Indicators ----------------------------------------------------------------------------------


def _missing_indicator(session, world) -> Indicator:
    indicator = make_indicator(
        session,
        world.project,
        name="Temperaturmåling",
        unit="point",
        frequency="half_yearly",
        baseline_value=Decimal("2.9"),
        baseline_date=date(2012, 12, 31),
        target_value=Decimal("3.8"),
        target_date=date(2014, 12, 31),
    )
    make_measurement(session, indicator, measured_date=date(2014, 6, 30), value=Decimal("3.6"))
    return indicator


def test_indicators_page_flags_the_missing_measurement(client, world, session):
    indicator = _missing_indicator(session, world)
    login(client, "directorate")
    html = client.get(_page(world, "/indicators")).text
    assert "1 måling mangler" in html
    assert f'/indicators/{indicator.id}">Temperaturmåling</a> – skulle være målt 31.12.2014' in html
    assert "Måling mangler" in html and "3,6 point" in html


def test_indicator_page_shows_chart_table_and_quick_form(client, world, session):
    indicator = _missing_indicator(session, world)
    login(client, "leader")
    html = client.get(_page(world, f"/indicators/{indicator.id}")).text
    data = re.search(
        r'<script type="application/json" id="indicator-chart-data">(.*?)</script>', html, re.S
    ).group(1)
    figure = json.loads(data)
    assert 'id="indicator-chart"' in html
    assert figure["data"][1]["name"] == "Mål: 3,8 point senest 31.12.2014"
    assert "<caption>Målinger af Temperaturmåling, nyeste først</caption>" in html
    assert f'hx-post="/projects/{world.project.id}/indicators/{indicator.id}/measurements"' in html


def test_adding_a_measurement_with_htmx_updates_latest_value_and_flag(client, world, session):
    indicator = _missing_indicator(session, world)
    login(client, "leader")
    answer = client.post(
        _page(world, f"/indicators/{indicator.id}/measurements"),
        headers=_htmx(client, world),
        data={"measured_date": "2014-12-31", "value": "3,8", "note": ""},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<section id="measurements"')
    assert '<dd id="latest-value">3,8 point (31.12.2014)</dd>' in answer.text
    assert "Målinger afsluttet" in answer.text and "Måling mangler" not in answer.text
    assert "Målet er nået" in answer.text
    assert "measurement.recorded" in answer.headers["HX-Trigger"]
    stored = session.exec(
        select(Measurement).where(Measurement.measured_date == date(2014, 12, 31))
    ).one()
    assert stored.value == Decimal("3.8")


def test_a_measurement_before_the_baseline_in_the_quick_form(client, world, session):
    indicator = _missing_indicator(session, world)
    login(client, "leader")
    answer = client.post(
        _page(world, f"/indicators/{indicator.id}/measurements"),
        headers=_htmx(client, world),
        data={"measured_date": "2012-12-01", "value": "3", "note": ""},
    )
    assert answer.status_code == 422
    assert 'id="m-measured_date-error"' in answer.text
    assert "ligger før indikatorens basisdato (31.12.2012)" in answer.text
    assert 'value="2012-12-01"' in answer.text
    assert _count(session, Measurement) == 1


def test_measurement_without_htmx_redirects_back(client, world, session):
    indicator = _missing_indicator(session, world)
    login(client, "leader")
    token = csrf_of(client, _page(world, f"/indicators/{indicator.id}"))
    answer = client.post(
        _page(world, f"/indicators/{indicator.id}/measurements"),
        data={"csrf_token": token, "measured_date": "2014-12-31", "value": "1.000", "note": ""},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert session.exec(
        select(Measurement).where(Measurement.measured_date == date(2014, 12, 31))
    ).one().value == Decimal("1000")


def test_leader_adds_and_edits_an_indicator_with_forms(client, world, session):
    login(client, "leader")
    token = csrf_of(client, _page(world, "/indicators"))
    form = {
        "csrf_token": token,
        "name": "Påbegyndte ressourceforløb",
        "definition": "",
        "unit": "forløb",
        "direction": "higher",
        "frequency": "quarterly",
        "baseline_value": "0",
        "baseline_date": "2013-01-01",
        "target_value": "120",
        "target_date": "2014-12-31",
        "owner_id": "",
        "group_id": "",
    }
    bad = client.post(_page(world, "/indicators"), data=form | {"frequency": "daily"})
    assert bad.status_code == 422 and "Hyppigheden »daily« er ukendt" in bad.text
    assert _count(session, Indicator) == 0
    created = client.post(_page(world, "/indicators"), data=form, follow_redirects=False)
    assert created.status_code == 303
    indicator = session.exec(select(Indicator)).one()
    assert indicator.target_value == Decimal("120")
    edit = form | {"target_value": "125,5", "version": "1"}
    assert (
        client.post(
            _page(world, f"/indicators/{indicator.id}"), data=edit, follow_redirects=False
        ).status_code
        == 303
    )
    session.refresh(indicator)
    assert indicator.target_value == Decimal("125.5")
    stale = client.post(_page(world, f"/indicators/{indicator.id}"), data=edit)
    assert stale.status_code == 409 and "ændret af en anden" in stale.text


def test_group_member_cannot_add_measurements_to_another_groups_indicator(client, world, session):
    indicator = make_indicator(session, world.project, group_id=world.group_b.id)
    login(client, "member_a")
    html = client.get(_page(world, f"/indicators/{indicator.id}")).text
    assert "Tilføj en måling" not in html
    answer = client.post(
        _page(world, f"/indicators/{indicator.id}/measurements"),
        headers=_htmx(client, world),
        data={"measured_date": "2013-02-01", "value": "1", "note": ""},
    )
    assert answer.status_code == 403
    assert _count(session, Measurement) == 0


def test_a_measurement_typed_the_danish_way_is_read_exactly_and_an_ambiguous_one_refused(
    client, world, session
):
    indicator = _missing_indicator(session, world)
    login(client, "leader")
    url = _page(world, f"/indicators/{indicator.id}/measurements")
    headers = _htmx(client, world)
    stored = client.post(
        url, headers=headers, data={"measured_date": "2014-12-31", "value": "1.234,5", "note": ""}
    )
    assert stored.status_code == 200
    assert '<dd id="latest-value">1.234,5 point (31.12.2014)</dd>' in stored.text
    measurement = session.exec(
        select(Measurement).where(Measurement.measured_date == date(2014, 12, 31))
    ).one()
    assert measurement.value == Decimal("1234.5")

    refused = client.post(
        url, headers=headers, data={"measured_date": "2014-11-30", "value": "12,500.00", "note": ""}
    )
    assert refused.status_code == 422
    assert refused.text.lstrip().startswith('<section id="measurements"')
    assert 'id="m-value-error"' in refused.text and "»12,500.00«" in refused.text
    assert "Skriv f.eks. 12500, 12.500 eller 12.500,50" in refused.text
    assert re.search(r'<input id="m-value"[^>]*aria-invalid="true"', refused.text)
    assert 'value="12,500.00"' in refused.text  # what was typed, to correct
    assert "data-error-summary" in refused.text and 'href="#m-value"' in refused.text
    assert _count(session, Measurement) == 2


def test_an_edit_that_empties_a_text_field_stores_it_empty(client, world, session):
    item = make_item(session, world.project, title="Pulje", description="Noget", response="Plan")
    login(client, "leader")
    token = csrf_of(client, _page(world, f"/risks/{item.id}"))
    answer = client.post(
        _page(world, f"/risks/{item.id}"),
        data={
            "csrf_token": token,
            "kind": "risk",
            "title": "Pulje",
            "probability": "2",
            "consequence": "4",
            "status": "open",
            "review_date": "",
            "version": "1",
            "owner_id": "",
            "group_id": "",
            "description": "",
            "response": "  ",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    session.refresh(item)
    assert (item.description, item.response) == ("", "")
