"""The budget in the project document: the demo loads with its grant, export → import → export
gives the same document, and a document that breaks a grant's rules is refused with paths."""

import copy
from datetime import date

import pytest
from sqlmodel import select

from app.budget import overview
from app.budget.models import Grant
from app.demo.loader import demo_document, load_demo
from app.errors import InvalidDocument
from app.governance.models import Project
from app.projectdoc.document import export_project, import_project, parse


def test_the_demo_grant_and_its_spending(session):
    project = load_demo(session=session)
    grant = session.exec(select(Grant).where(Grant.project_id == project.id)).one()
    assert (grant.amount_ore, grant.first_date, grant.last_date) == (
        46_147_400,
        date(2012, 11, 27),
        date(2013, 7, 1),
    )
    summary = overview.grant_summary(
        session=session, project_id=project.id, grant_id=grant.id, as_of=date(2013, 12, 31)
    )
    assert [c.category for c in summary.view.categories] == ["staff_buyout", "consultancy"]
    assert len(summary.view.purposes) == 3
    assert summary.view.fund.pool_ore == 3_500_000_000
    assert summary.budgeted_ore == 46_147_400
    assert 0 < summary.remaining_ore < 10_000_000  # a remainder to pay back
    st = overview.statement(
        session=session, project_id=project.id, grant_id=grant.id, made_date=date(2013, 9, 1)
    )
    assert st.unused_ore == summary.remaining_ore
    assert any(line.material and line.explanation for line in st.lines)


def test_export_import_export_gives_the_same_document(session):
    project = load_demo(session=session)
    first = export_project(session=session, project=project)
    assert len(first["expenditures"]) > 10 and first["grants"][0]["amount"] == "461474.00"
    copy_doc = copy.deepcopy(first)
    copy_doc["project"]["name"] = "Kopi"
    imported = import_project(session=session, data=copy_doc, by=None)
    second = export_project(session=session, project=imported)
    second["project"]["name"] = first["project"]["name"]
    assert second == first


def _demo_with(change) -> dict:
    doc = demo_document()
    change(doc)
    return doc


@pytest.mark.parametrize(
    ("change", "path", "text"),
    [
        (
            lambda d: d["expenditures"][0].update(date="2013-07-02"),
            "$.expenditures[0].date",
            "efter tilskudsperiodens sidste dag 01.07.2013",
        ),
        (
            lambda d: d["expenditures"][0].update(category="materials"),
            "$.expenditures[0].category",
            "ikke en tilskudsberettiget udgiftsart",
        ),
        (
            lambda d: d["expenditures"][0].update(amount="-5.00"),
            "$.expenditures[0].amount",
            "korrektion",
        ),
        (
            lambda d: d["expenditures"][0].update(amount="500000.00"),
            "$.expenditures[0].amount",
            "mere end der er tilbage",
        ),
        (
            lambda d: d["expenditures"][0].update(group="nowhere"),
            "$.expenditures[0].group",
            "henviser ikke",
        ),
        (
            lambda d: d["budget_lines"][0].update(amount="461474.00"),
            "$.budget_lines",
            "større end tilskuddet",
        ),
    ],
)
def test_a_document_that_breaks_the_rules_is_refused(session, change, path, text):
    with pytest.raises(InvalidDocument) as refused:
        parse(_demo_with(change))
    assert any(e["path"] == path and text in e["message"] for e in refused.value.errors), (
        refused.value.errors
    )
    assert session.exec(select(Project)).all() == []


def test_amounts_in_the_document_are_exact_text(session):
    doc = _demo_with(lambda d: d["expenditures"][0].update(amount=14500.5))
    with pytest.raises(InvalidDocument) as refused:
        parse(doc)
    assert refused.value.errors[0]["path"] == "$.expenditures[0].amount"
