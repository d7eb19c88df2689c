"""Issue 26 in the project document: the demo carries kinds of activity, their activities, the
grant's posts and the expenses' links, and the round trip keeps them exactly; an expense flagged
"ikke knyttet til en aktivitet" survives the round trip; a document that breaks a condition or
a post's budget is refused with paths; economy entries over several years round-trip."""

import copy

import pytest
from sqlmodel import select

from app.budget import overview
from app.budget.models import Grant
from app.demo.loader import demo_document, load_demo
from app.errors import InvalidDocument
from app.projectdoc.document import export_project, import_project


def _import(session, doc):
    doc = copy.deepcopy(doc)
    doc["project"]["name"] = "Kopi"
    return import_project(session=session, data=doc, by=None)


def _round_trip(session, project) -> tuple[dict, dict]:
    first = export_project(session=session, project=project)
    second = export_project(session=session, project=_import(session, first))
    second["project"]["name"] = first["project"]["name"]
    return first, second


def test_the_demo_carries_kinds_posts_and_links_through_the_round_trip(session):
    project = load_demo(session=session)
    first, second = _round_trip(session, project)
    assert second == first
    assert [k["name"] for k in first["activity_kinds"]][:3] == [
        "Workshop",
        "Netværksmøde",
        "Seminar",
    ]
    grant = first["grants"][0]
    assert [p["title"] for p in grant["posts"]] == [
        "Sagsbehandler i rehabiliteringsteamet (frikøb)",
        "Socialrådgiver, opfølgning på ressourceforløb (frikøb)",
    ]
    booked = [e for e in first["expenditures"] if e["post"]]
    assert len(booked) == 7
    assert any(e["external_activity"] for e in first["expenditures"])


def test_a_flagged_expense_survives_the_round_trip(session):
    doc = demo_document()
    doc["grants"][0]["eligible_categories"].append(
        {"category": "transport", "condition": "Kun netværksmøder", "activity_kinds": ["seminar"]}
    )
    doc["expenditures"].append(
        {
            "key": "kørsel",
            "grant": "svendborg-pulje",
            "date": "2013-03-01",
            "amount": "300.00",
            "category": "transport",
            "purpose": doc["grants"][0]["purposes"][0]["key"],
            "description": "Kørsel",
            "condition_note": "Kørsel til netværksmøde i Odense",
        }
    )
    project = _import(session, doc)
    first, second = _round_trip(session, project)
    assert second == first
    grant = session.exec(select(Grant).where(Grant.project_id == project.id)).one()
    st = overview.statement(
        session=session, project_id=project.id, grant_id=grant.id, made_date=grant.last_date
    )
    flagged = [r for r in st.rows if r.unlinked]
    assert [r.expense.description for r in flagged] == ["Kørsel"]


@pytest.mark.parametrize(
    ("change", "path", "text"),
    [
        (
            lambda d: (
                d["grants"][0]["eligible_categories"].append(
                    {"category": "transport", "activity_kinds": ["seminar"]}
                ),
                d["expenditures"][-1].update(grant="svendborg-pulje", purpose=None),
            ),
            "$.expenditures[18].external_activity",
            "»br-netvaerk« er af typen »Netværksmøde«",
        ),
        (
            lambda d: d["grants"][0]["posts"][0].update(budget="1000.00"),
            "$.expenditures[1].amount",
            "stillingen »Sagsbehandler i rehabiliteringsteamet (frikøb)«s budget",
        ),
        (
            lambda d: d["expenditures"][0].update(post="post-ressourceforloeb"),
            "$.expenditures[0].post",
            "Kun løn til projektansatte og frikøb",
        ),
        (
            lambda d: d["activity_kinds"][0]["meetings"].append("findes-ikke"),
            "$.activity_kinds[0].meetings[1]",
            "henviser ikke til noget",
        ),
        (
            lambda d: d["reform_economy"][0].update(last_year=2016, per_year=["1.00"]),
            "$.reform_economy[0].per_year",
            "ét beløb for hvert år",
        ),
    ],
)
def test_a_document_breaking_the_new_rules_is_refused_with_paths(session, change, path, text):
    doc = demo_document()
    change(doc)
    with pytest.raises(InvalidDocument) as refused:
        _import(session, doc)
    found = {e["path"]: e["message"] for e in refused.value.errors}
    assert path in found, found
    assert text in found[path]


def test_economy_over_several_years_round_trips(session):
    doc = demo_document()
    entry = doc["reform_economy"][0]
    entry.update(last_year=entry["year"] + 2, per_year=["0.00", entry["expected"], "0.00"])
    doc["reform_economy"][1].update(last_year=doc["reform_economy"][1]["year"] + 3)
    project = _import(session, doc)
    first, second = _round_trip(session, project)
    assert second == first
    assert first["reform_economy"][0]["per_year"] == ["0.00", entry["expected"], "0.00"]
    assert first["reform_economy"][1]["per_year"] is None
