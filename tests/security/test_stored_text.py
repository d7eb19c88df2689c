"""Stored text with HTML or script in it is shown as text everywhere: on the pages of every domain,
in charts' data, in PDF, in Excel (where a formula is neutralised) and in the .ics feed (where a
line break cannot start a new event)."""

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.security.stage import Stage

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","Klik her")'
RAW = ("<script>alert", "<img src=x onerror")


@pytest.fixture(scope="module")
def stored(stage: Stage) -> dict[str, str]:
    """The same hostile text stored through the API of every domain, as the project leader."""
    p, group = stage.fillers["project"], stage.fillers["group_b"]
    headers = stage.bearer["leader"]

    def post(url: str, body: dict) -> dict:
        answer = stage.api.post(f"/api/projects/{p}{url}", json=body, headers=headers)
        assert answer.status_code == 201, (url, answer.text)
        return answer.json()

    post("/people", {"name": "Person " + SCRIPT, "title": FORMULA})
    post("/tasks", {"title": "Opgave " + SCRIPT, "group_id": group})
    post(
        "/milestones",
        {"name": "Milepæl " + SCRIPT, "group_id": group, "planned_date": "2013-05-01"},
    )
    post(
        "/stakeholders",
        {
            "name": "Interessent " + SCRIPT,
            "influence": 4,
            "interest": 4,
            "attitude": "neutral",
            "group_id": group,
        },
    )
    post("/risks", {"title": "Risiko " + SCRIPT, "probability": 3, "consequence": 3})
    post(
        "/expenditures",
        {
            "grant_id": stage.fillers["grant"],
            "date": "2013-03-04",
            "amount": "100.00",
            "category": stage.fillers["grant_category"],
            "description": FORMULA,
            "supplier": "Leverandør " + SCRIPT,
            "hours": "1",
            "hourly_rate": "100.00",
            "purpose_id": stage.fillers["grant_purpose"],
        },
    )
    meeting = post(
        "/meetings",
        {
            "body_id": stage.fillers["body_steering"],
            "meeting_date": "2013-05-02",
            "place": "Rådhuset\r\nBEGIN:VEVENT\r\nSUMMARY:falsk " + SCRIPT,
        },
    )
    post(f"/meetings/{meeting['id']}/agenda", {"title": "Punkt " + SCRIPT})
    return {"meeting": str(meeting["id"])}


PAGES = [
    "/projects/{p}/organisation/people",
    "/projects/{p}/groups/{g}",
    "/projects/{p}/plans",
    "/projects/{p}/milestones",
    "/projects/{p}/stakeholders",
    "/projects/{p}/risks",
    "/projects/{p}/budget",
    "/projects/{p}/meetings/{m}",
    "/projects/{p}/calendar",
    "/projects/{p}",
    "/projects/{p}/gantt",
    "/projects/{p}/reports/{r}",
]
# Pages that summarise rather than list the stored rows: only the absence of markup is checked.
SUMMARIES = {"/projects/{p}/plans", "/projects/{p}", "/projects/{p}/reports/{r}"}


@pytest.mark.parametrize("template", PAGES)
def test_pages_show_stored_html_as_text(stage: Stage, stored, template: str):
    url = template.format(
        p=stage.fillers["project"],
        g=stage.fillers["group_b"],
        m=stored["meeting"],
        r=stage.fillers["report"],
    )
    answer = stage.browsers["leader"].get(url)
    assert answer.status_code == 200, url
    for raw in RAW:
        assert raw not in answer.text, f"{url} puts stored markup into the page: {raw}"
    assert (
        template in SUMMARIES or "&lt;script&gt;" in answer.text or ("\\u003cscript" in answer.text)
    ), f"{url} does not show the stored text at all"


def test_the_statement_pdf_shows_the_text_as_text(stage: Stage, stored):
    p, grant = stage.fillers["project"], stage.fillers["grant"]
    answer = stage.api.get(
        f"/api/projects/{p}/grants/{grant}/statement.pdf", headers=stage.bearer["leader"]
    )
    assert answer.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "<script>" in re.sub(r"\s+", "", text) or "alert" in text


def _formula_cells(content: bytes) -> list[str]:
    """Every cell an xlsx file stores as a formula (Excel would run it)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            m
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
            for m in re.findall(r"<f>(.*?)</f>", archive.read(name).decode("utf-8"))
        ]


def _texts(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        str(cell.value)
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_excel_exports_neutralise_formulas(stage: Stage, stored):
    p, grant = stage.fillers["project"], stage.fillers["grant"]
    statement = stage.api.get(
        f"/api/projects/{p}/grants/{grant}/statement.xlsx", headers=stage.bearer["leader"]
    )
    assert statement.status_code == 200
    assert not any("HYPERLINK" in f for f in _formula_cells(statement.content))
    assert any("HYPERLINK" in t for t in _texts(statement.content)), "the text is not exported"
    for url in (
        f"/api/projects/{p}/participants.xlsx",
        f"/api/projects/{p}/participants/monitoring.xlsx",
    ):
        answer = stage.api.get(url, headers=stage.bearer["leader"])
        assert answer.status_code == 200, url
        assert _formula_cells(answer.content) == [], url


def test_the_calendar_feed_keeps_stored_text_inside_its_event(stage: Stage, stored):
    p = stage.fillers["project"]
    feed = stage.api.get(f"/api/projects/{p}/calendar.ics", headers=stage.bearer["leader"])
    assert feed.status_code == 200
    lines = feed.text.replace("\r\n ", "").splitlines()
    assert "SUMMARY:falsk" not in [line.split(" ", 1)[0] for line in lines]
    assert not any(line.startswith("SUMMARY:falsk") for line in lines), (
        "a line break in stored text started a new calendar property"
    )
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    assert not any(line.startswith("BEGIN:VEVENT") and line != "BEGIN:VEVENT" for line in lines)
