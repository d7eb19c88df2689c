import copy
from datetime import date

import pytest
from sqlmodel import select

from app.demo.loader import demo_document, load_demo
from app.errors import InvalidDocument
from app.governance.models import Project
from app.projectdoc.document import export_project, import_project, parse
from app.stakeholders import activities, communication, rules, service
from app.stakeholders.models import Strategy

DEMO_STAKEHOLDERS = {
    "De politiske udvalg",
    "Det Lokale Beskæftigelsesråd (LBR)",
    "Medarbejdere i jobcenter og socialafdeling",
    "Region Syddanmark",
    "Regionens kliniske funktion",
    "Praktiserende læger",
    "KL",
    "Beskæftigelsesregion Syddanmark",
    "Arbejdsmarkedets parter",
    "Borgere",
}


def test_the_demo_has_the_seeds_stakeholders_and_external_activities(session):
    project = load_demo(session=session)
    stakeholders = service.list_stakeholders(session=session, project_id=project.id)
    assert {s.name for s in stakeholders} == DEMO_STAKEHOLDERS
    by_name = {s.name: s for s in stakeholders}
    assert rules.strategy_of(by_name["De politiske udvalg"]) == Strategy.manage_closely
    parties = by_name["Arbejdsmarkedets parter"]
    assert (
        rules.quadrant(influence=parties.influence, interest=parties.interest) == Strategy.monitor
    )
    assert rules.strategy_of(parties) == Strategy.keep_informed and parties.override_reason
    moved = {m.stakeholder.name for m in service.moves(session=session, project_id=project.id)}
    assert "Det Lokale Beskæftigelsesråd (LBR)" in moved and len(moved) >= 2
    assert len(communication.communication_actions(session=session, project_id=project.id)) >= 10

    by_title = {
        v.activity.title: v
        for v in activities.list_activities(session=session, project_id=project.id)
    }
    kl = by_title["KL's implementeringsnetværk om førtidspension og fleksjob"]
    assert kl.activity.delegate_limit == 3 and len(kl.delegates) == 3
    assert "beslutningskompetence" in kl.activity.limit_note
    seminar = by_title["Politisk seminar for de ansvarlige udvalg og LBR"]
    assert seminar.activity.audience == "De ansvarlige politiske udvalg og LBR"
    kick_off = by_title["Opstartsmøde for alle kommunerne"].activity
    assert (kick_off.organiser, kick_off.activity_date) == (
        "Beskæftigelsesregion Syddanmark",
        date(2012, 11, 22),
    )
    network = by_title["Netværksmøde om rehabiliteringsindsatsen"].activity
    assert network.activity_date == date(2012, 12, 13)
    assert network.theme == (
        "Hvordan tilrettelægger kommunen en resultatorienteret, tværfaglig "
        "og beskæftigelsesrettet rehabiliteringsindsats"
    )


def test_export_import_export_gives_the_same_document(session):
    project = load_demo(session=session)
    first = export_project(session=session, project=project)
    assert len(first["stakeholders"]) == len(DEMO_STAKEHOLDERS)
    assert all(s["history"] for s in first["stakeholders"])
    copy_doc = copy.deepcopy(first)
    copy_doc["project"]["name"] = "Kopi"
    imported = import_project(session=session, data=copy_doc, by=None)
    second = export_project(session=session, project=imported)
    second["project"]["name"] = first["project"]["name"]
    assert second == first


def _demo_with(change):
    doc = demo_document()
    change(doc)
    return doc


@pytest.mark.parametrize(
    ("change", "path", "needle"),
    [
        (
            lambda d: d["external_activities"][0]["delegates"].append("susanne-lund"),
            "$.external_activities[0].delegates",
            "tillader højst 3 delegerede",
        ),
        (
            lambda d: d["external_activities"][0]["delegates"].__setitem__(0, "ukendt"),
            "$.external_activities[0].delegates[0]",
            "henviser ikke til noget",
        ),
        (
            lambda d: d["stakeholders"][8].__setitem__("override_reason", ""),
            "$.stakeholders[8].override_reason",
            "skal have en begrundelse",
        ),
        (
            lambda d: d["stakeholders"][0].__setitem__("group", "styregruppe"),
            "$.stakeholders[0].group",
            "ikke en implementeringsgruppe",
        ),
        (
            lambda d: d["stakeholders"][0].__setitem__("influence", 4),
            "$.stakeholders[0].history[1]",
            "seneste placering",
        ),
        (
            lambda d: d["stakeholders"][1].__setitem__("director_area", "social"),
            "$.stakeholders[1].director_area",
            "ekstern interessent",
        ),
    ],
)
def test_the_document_check_names_each_error(change, path, needle):
    with pytest.raises(InvalidDocument) as raised:
        parse(_demo_with(change))
    assert any(e["path"] == path and needle in e["message"] for e in raised.value.errors), (
        raised.value.errors
    )


def test_a_score_out_of_range_in_the_document_is_refused_with_its_path(session):
    doc = _demo_with(lambda d: d["stakeholders"][0].__setitem__("influence", 7))
    with pytest.raises(InvalidDocument) as raised:
        import_project(session=session, data=doc, by=None)
    assert raised.value.errors[0]["path"] == "$.stakeholders[0].influence"
    assert session.exec(select(Project)).all() == []


def test_a_stakeholder_without_history_starts_at_the_projects_start(session):
    def strip_history(doc):
        for s in doc["stakeholders"]:
            s["history"] = []

    project = import_project(session=session, data=_demo_with(strip_history), by=None)
    for s in service.list_stakeholders(session=session, project_id=project.id):
        history = service.position_history(session=session, stakeholder_id=s.id)
        assert [(h.assessed_date, h.influence, h.interest) for h in history] == [
            (project.start_date, s.influence, s.interest)
        ]
