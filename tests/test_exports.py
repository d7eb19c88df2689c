"""Every list exported as Excel and CSV (app/exports.py, app/web/exports.py), through the page
route and the API, read back: header row, a known row (a date, an amount), a filter honoured,
formula-looking text kept as text, and a refusal. Also the favicon and the meetings page's
calendar link."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app import clock
from app.exports import Table, csv_bytes, xlsx_bytes
from tests.budget.factories import access as budget_access
from tests.budget.factories import make_grant, record
from tests.factories import bearer, login
from tests.governance.factories import make_decision, make_meeting
from tests.risks.factories import make_item
from tests.stakeholders.factories import make_action, make_stakeholder
from tests.workstreams.factories import make_milestone, make_task

FORMULA = "=SUM(A1)"
DAY = date(2013, 3, 15)


@dataclass
class Case:
    """One list: its path segment and file name, the header of the column that holds the
    known row's text, the known row's date column, the filter's query and a text it leaves
    out, and the first headers."""

    segment: str
    filename: str
    text_column: str
    date_column: str | None
    filter: dict[str, str]
    excluded: str
    headers: list[str]


CASES = [
    Case("tasks", "opgaver", "Opgave", "Frist", {"group": "A"}, "B-opgave", ["Gruppe", "Opgave"]),
    Case(
        "milestones", "milepaele", "Milepæl", "Planlagt", {"group": "A"}, "B-milepæl", ["Milepæl"]
    ),
    Case("decisions", "beslutninger", "Beslutning", "Dato", {"body_id": "S"}, "Ledelsens", ["Nr."]),
    Case(
        "risks", "risici", "Titel", "Næste revision", {"group": "A"}, "B-risiko", ["Type", "Titel"]
    ),
    Case("stakeholders", "interessenter", "Interessent", None, {}, "", ["Interessent"]),
    Case(
        "communication", "kommunikationsplan", "Hvad", "Dato", {"group_id": "A"}, "B-info", ["Dato"]
    ),
    Case("meetings", "moeder", "Sted", "Dato", {"body_id": "S"}, "Rådhuset", ["Dato", "Uge"]),
    Case("expenditures", "udgifter", "Beskrivelse", "Dato", {"grant": "G"}, "Egen kaffe", ["Nr."]),
]


@pytest.fixture
def filled(session, world):
    """One known row per list (its text formula-looking, dated 15.03.2013) and one that the
    case's filter leaves out; returns the ids the filters name."""
    a, b = world.group_a.id, world.group_b.id
    make_task(session, world, title=FORMULA, start_date=date(2013, 3, 1), due_date=DAY)
    make_task(session, world, title="B-opgave", group_id=b, start_date=DAY, due_date=DAY)
    make_milestone(session, world, name=FORMULA, planned_date=DAY)
    make_milestone(session, world, name="B-milepæl", group_id=b, planned_date=DAY)
    make_decision(session, world, title=FORMULA, decision_date=DAY)
    make_decision(session, world, title="Ledelsens", body_id=world.management.id)
    make_item(session, world.project, title=FORMULA, review_date=DAY, group_id=a)
    make_item(session, world.project, title="B-risiko", group_id=b)
    stakeholder = make_stakeholder(session, world.project, name=FORMULA, group_id=a)
    other = make_stakeholder(session, world.project, name="Andre", group_id=b)
    make_action(session, stakeholder, what=FORMULA, planned_date=DAY)
    make_action(session, other, what="B-info", planned_date=DAY)
    make_meeting(session, world, meeting_date=DAY, place=FORMULA)
    make_meeting(session, world, body_id=world.management.id, place="Rådhuset")
    leader = budget_access(session, world.users["leader"], world.project)
    grant = make_grant(session, leader)
    record(session, leader, grant, date="2013-03-15", amount="12500.50", description=FORMULA)
    record(session, leader, None, description="Egen kaffe")
    return {"A": str(a), "S": str(world.steering.id), "G": str(grant.id)}


def _query(case: Case, ids: dict[str, str]) -> dict[str, str]:
    return {k: ids.get(v, v) for k, v in case.filter.items()}


def _xlsx_rows(content: bytes) -> tuple[list[list], object]:
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    text = content[3:].decode("utf-8")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _known_row(rows: list[list], case: Case, text: str) -> dict:
    header = rows[0]
    found = [dict(zip(header, r, strict=True)) for r in rows[1:] if text in r]
    assert len(found) == 1, rows
    return found[0]


@pytest.mark.parametrize("case", CASES, ids=[c.segment for c in CASES])
def test_page_exports_xlsx_read_back(client, world, filled, case):
    login(client, "leader")
    answer = client.get(f"/projects/{world.project.id}/{case.segment}.xlsx")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    day = clock.today().isoformat()
    assert f'filename="{case.filename}-{day}.xlsx"' in answer.headers["content-disposition"]
    rows, ws = _xlsx_rows(answer.content)
    assert rows[0][: len(case.headers)] == case.headers
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert all(c.font.b for c in ws[1])
    row = _known_row(rows, case, FORMULA)
    # Formula-looking text stays text.
    column = rows[0].index(case.text_column) + 1
    cell = next(
        c for c in ws.iter_cols(min_col=column, max_col=column) for c in c if c.value == FORMULA
    )
    assert cell.data_type == "s"
    if case.date_column:
        assert row[case.date_column] == datetime(2013, 3, 15)
        date_cell = ws.cell(row=cell.row, column=rows[0].index(case.date_column) + 1)
        assert date_cell.number_format == "DD.MM.YYYY"
    if case.segment == "expenditures":
        assert row["Beløb (kr.)"] == pytest.approx(12500.50)
        assert row["Tilskud"] != "Egenfinansiering"


@pytest.mark.parametrize("case", CASES, ids=[c.segment for c in CASES])
def test_page_exports_csv_read_back(client, world, filled, case):
    login(client, "leader")
    answer = client.get(f"/projects/{world.project.id}/{case.segment}.csv")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert f"{case.filename}-" in answer.headers["content-disposition"]
    rows = _csv_rows(answer.content)
    assert rows[0][: len(case.headers)] == case.headers
    row = _known_row(rows, case, "'" + FORMULA)  # the apostrophe keeps it from being a formula
    if case.date_column:
        assert row[case.date_column] == "15.03.2013"
    if case.segment == "expenditures":
        assert row["Beløb (kr.)"] == "12500,50"


@pytest.mark.parametrize("case", [c for c in CASES if c.filter], ids=lambda c: c.segment)
@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_the_api_exports_with_the_pages_filters(client, world, filled, case, format):
    headers = bearer(client, "leader")
    url = f"/api/projects/{world.project.id}/{case.segment}/export"
    whole = client.get(url, params={"format": format}, headers=headers)
    assert whole.status_code == 200, whole.text
    assert case.excluded in whole.content.decode("utf-8", "replace") or format == "xlsx"
    answer = client.get(url, params={"format": format} | _query(case, filled), headers=headers)
    assert answer.status_code == 200, answer.text
    rows = _xlsx_rows(answer.content)[0] if format == "xlsx" else _csv_rows(answer.content)
    texts = {str(v) for r in rows for v in r}
    assert case.excluded not in texts
    assert FORMULA in texts or "'" + FORMULA in texts
    if format == "xlsx":
        assert case.excluded in {str(v) for r in _xlsx_rows(whole.content)[0] for v in r}


@pytest.mark.parametrize("case", [c for c in CASES if c.filter], ids=lambda c: c.segment)
def test_the_page_export_honours_the_filter(client, world, filled, case):
    login(client, "leader")
    url = f"/projects/{world.project.id}/{case.segment}.csv"
    texts = {v for r in _csv_rows(client.get(url, params=_query(case, filled)).content) for v in r}
    assert case.excluded not in texts and "'" + FORMULA in texts


def test_a_group_member_exports_what_the_page_shows_them(client, world, filled):
    login(client, "member_b")
    page = client.get(f"/projects/{world.project.id}/groups/{world.group_a.id}")
    assert page.status_code == 200
    answer = client.get(f"/projects/{world.project.id}/tasks.csv", params={"group": filled["A"]})
    assert answer.status_code == 200
    assert "'" + FORMULA in {v for r in _csv_rows(answer.content) for v in r}


@pytest.mark.parametrize("case", CASES, ids=[c.segment for c in CASES])
def test_someone_without_a_role_in_the_project_exports_nothing(client, world, filled, case):
    login(client, "outsider")
    for url in (
        f"/projects/{world.project.id}/{case.segment}.xlsx",
        f"/projects/{world.project.id}/{case.segment}.csv",
        f"/api/projects/{world.project.id}/{case.segment}/export?format=csv",
    ):
        answer = client.get(url)
        assert answer.status_code in (403, 404), url
        assert "attachment" not in answer.headers.get("content-disposition", "")
        assert FORMULA not in answer.text


def test_an_unknown_format_is_refused(client, world):
    headers = bearer(client, "leader")
    url = f"/api/projects/{world.project.id}/tasks/export?format=pdf"
    assert client.get(url, headers=headers).status_code == 422


def test_the_table_writes_every_kind_of_cell():
    table = Table(
        title="Prøve: [1]",
        columns=["Tekst", "Dato", "Beløb", "Tal", "Ja/nej", "Tom"],
        rows=[["-2+3", date(2013, 3, 15), Decimal("-25.00"), 7, True, None]],
    )
    rows = _csv_rows(csv_bytes(table))
    assert rows[1] == ["'-2+3", "15.03.2013", "-25,00", "7", "Ja", ""]
    values, ws = _xlsx_rows(xlsx_bytes(table))
    assert values[1] == ["-2+3", datetime(2013, 3, 15), -25, 7, "Ja", None]
    assert ws.title == "Prøve   1 "
    assert ws["C2"].number_format == '#,##0.00 "kr."'


def test_every_list_page_offers_its_export_with_the_pages_filters(client, world, filled):
    login(client, "leader")
    p = world.project.id
    a = filled["A"]
    pages = {
        f"/projects/{p}/groups/{a}": f"/projects/{p}/tasks.xlsx?group={a}",
        f"/projects/{p}/plans": f"/projects/{p}/tasks.csv",
        f"/projects/{p}/milestones?group={a}": f"/projects/{p}/milestones.xlsx?group={a}",
        f"/projects/{p}/decisions?q=sum": f"/projects/{p}/decisions.csv?q=sum",
        f"/projects/{p}/risks?group={a}": f"/projects/{p}/risks.xlsx?group={a}",
        f"/projects/{p}/stakeholders": f"/projects/{p}/stakeholders.csv",
        f"/projects/{p}/communication?status=open": f"/projects/{p}/communication.csv?status=open",
        f"/projects/{p}/meetings": f"/projects/{p}/meetings.xlsx",
        f"/projects/{p}/budget?grant={filled['G']}": f"/projects/{p}/expenditures.csv?grant=",
    }
    for page, link in pages.items():
        text = client.get(page).text
        assert "Eksportér" in text and link in text, (page, link)


def test_the_meetings_page_links_the_calendar_feed(client, world):
    login(client, "leader")
    text = client.get(f"/projects/{world.project.id}/meetings").text
    assert f'href="/projects/{world.project.id}/calendar"' in text
    assert "Outlook: Tilføj kalender → Fra internettet, og indsæt adressen" in text


def test_the_favicon_is_an_svg(client):
    answer = client.get("/favicon.ico", follow_redirects=False)
    assert answer.status_code in (301, 302, 307, 308)
    icon = client.get(answer.headers["location"])
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert 'rel="icon" href="/static/favicon.svg?v=' in client.get("/login").text
