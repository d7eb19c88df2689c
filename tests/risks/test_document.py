import copy
from datetime import date
from decimal import Decimal

import pytest

from app.demo.loader import demo_document, load_demo
from app.errors import InvalidDocument
from app.projectdoc.document import export_project, import_project, parse
from app.risks import measures, service
from app.risks.rules import DueState, Frequency, RaidKind, RaidStatus


def test_the_demo_has_the_seeds_risks_and_raid_kinds(session):
    project = load_demo(session=session)
    items = service.list_items(session=session, project_id=project.id)
    titles = {i.title for i in items}
    assert {
        "Loven vedtages senere end 1. januar 2013",
        "Puljemidlerne bliver ikke brugt inden 1. juli 2013",
        "For få sagsbehandlere er uddannet, når rehabiliteringsteamet starter",
        "Der indgås ingen samarbejdsaftale med Regionen",
    } <= titles
    assert {i.kind for i in items} == set(RaidKind)
    region = next(i for i in items if i.kind == RaidKind.dependency and "Region" in i.title)
    assert region.status == RaidStatus.open
    top = service.top_risks(session=session, project_id=project.id)
    assert top[0].title == "Der indgås ingen samarbejdsaftale med Regionen" and top[0].score == 15
    assert all(r.is_open and r.kind == RaidKind.risk for r in top)


def test_the_demo_indicators_have_one_missing_measurement(session):
    project = load_demo(session=session)
    overview = measures.indicator_overview(
        session=session, project_id=project.id, today=date(2015, 1, 20)
    )
    names = {s.indicator.name for s in overview}
    assert {
        "Afholdte møder i rehabiliteringsteamet",
        "Påbegyndte ressourceforløb",
        "Uddannede sagsbehandlere",
        "Medarbejdernes temperaturmåling af fremdriften",
        "Personer på ledighedsydelse",
    } <= names
    assert {Frequency.monthly, Frequency.quarterly, Frequency.half_yearly, Frequency.yearly} <= {
        s.indicator.frequency for s in overview
    }
    assert all(s.measurements for s in overview)
    assert {m.measured_date.year for s in overview for m in s.measurements} >= {2013, 2014}
    [missing] = [s for s in overview if s.due.state == DueState.missing]
    assert missing.indicator.name == "Medarbejdernes temperaturmåling af fremdriften"
    assert missing.due.next_due_date == date(2014, 12, 31)
    later = measures.missing_measurements(
        session=session, project_id=project.id, today=date(2026, 1, 1)
    )
    assert [s.indicator.id for s in later] == [missing.indicator.id]


def test_export_import_export_gives_the_same_document(session):
    project = load_demo(session=session)
    first = export_project(session=session, project=project)
    assert len(first["raid_items"]) == 14 and len(first["indicators"]) == 9
    temperature = next(i for i in first["indicators"] if i["frequency"] == "half_yearly")
    assert isinstance(temperature["baseline_value"], str)
    copy_doc = copy.deepcopy(first)
    copy_doc["project"]["name"] = "Kopi"
    imported = import_project(session=session, data=copy_doc, by=None)
    second = export_project(session=session, project=imported)
    second["project"]["name"] = first["project"]["name"]
    assert second == first
    values = [
        m.value
        for s in measures.indicator_overview(session=session, project_id=imported.id)
        for m in s.measurements
    ]
    assert Decimal("3.6") in values


def _demo_with(change):
    doc = demo_document()
    change(doc)
    return doc


def _risk(doc, n=0):
    return doc["raid_items"][n]


def _indicator(doc, n=0):
    return doc["indicators"][n]


@pytest.mark.parametrize(
    ("change", "path", "needle"),
    [
        (
            lambda d: _risk(d).__setitem__("probability", 0),
            "$.raid_items[0].probability",
            "fra 1 til 5",
        ),
        (
            lambda d: _risk(d).__setitem__("owner", "ukendt"),
            "$.raid_items[0].owner",
            "henviser ikke til noget",
        ),
        (
            lambda d: _risk(d).__setitem__("group", "styregruppe"),
            "$.raid_items[0].group",
            "ikke en implementeringsgruppe",
        ),
        (
            lambda d: _risk(d, 10).__setitem__("probability", 2),
            "$.raid_items[10].probability",
            "Kun en risiko",
        ),
        (
            lambda d: _indicator(d)["measurements"][0].__setitem__("measured_date", "2012-01-01"),
            "$.indicators[0].baseline_date",
            "første måling",
        ),
        (
            lambda d: _indicator(d)["measurements"][1].__setitem__("measured_date", "2013-01-31"),
            "$.indicators[0].measurements[1].measured_date",
            "to målinger",
        ),
        (
            lambda d: _indicator(d).__setitem__("frequency", "daily"),
            "$.indicators[0].frequency",
            "Hyppigheden »daily« er ukendt",
        ),
    ],
)
def test_invalid_documents_name_the_path(change, path, needle):
    with pytest.raises(InvalidDocument) as exc:
        parse(_demo_with(change))
    assert any(e["path"] == path and needle in e["message"] for e in exc.value.errors), (
        exc.value.errors
    )
