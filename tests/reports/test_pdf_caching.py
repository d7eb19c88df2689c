"""An issued report's PDF carries a strong ETag and answers 304 to it (it can never change); a
draft's PDF is made again only when its content has changed (app/reports/pdf.py)."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.reports import pdf
from app.reports.models import ReportStatus
from tests.factories import ProjectWorld, bearer
from tests.reports.factories import issued_report, make_report


def test_an_issued_pdf_answers_304_to_its_etag_on_the_page_and_the_api(
    client: TestClient, world: ProjectWorld, session: Session
) -> None:
    report = issued_report(session, world)
    directorate = bearer(client, "directorate")
    for url in (
        f"/projects/{world.project.id}/reports/{report.id}.pdf",
        f"/api/projects/{world.project.id}/status-reports/{report.id}.pdf",
    ):
        first = client.get(url, headers=directorate)
        assert first.status_code == 200 and first.content.startswith(b"%PDF")
        etag = first.headers["etag"]
        digest = client.get(
            f"/api/projects/{world.project.id}/status-reports/{report.id}", headers=directorate
        ).json()["pdf_sha256"]
        assert etag == f'"{digest}"'
        again = client.get(url, headers=directorate | {"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        other = client.get(url, headers=directorate | {"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.content == first.content


def test_a_304_is_no_way_round_the_permissions(
    client: TestClient, world: ProjectWorld, session: Session
) -> None:
    report = issued_report(session, world)
    url = f"/projects/{world.project.id}/reports/{report.id}.pdf"
    etag = client.get(url, headers=bearer(client, "directorate")).headers["etag"]
    outsider = bearer(client, "outsider")
    assert client.get(url, headers=outsider | {"If-None-Match": etag}).status_code in (403, 404)


def test_a_draft_pdf_has_no_etag_and_is_made_again_when_its_content_changes(
    client: TestClient, world: ProjectWorld, session: Session
) -> None:
    report = make_report(session, world)
    url = f"/projects/{world.project.id}/reports/{report.id}.pdf"
    leader = bearer(client, "leader")
    first = client.get(url, headers=leader)
    assert first.status_code == 200 and "etag" not in first.headers
    assert client.get(url, headers=leader).content == first.content  # kept: the same content
    answer = client.patch(
        f"/api/projects/{world.project.id}/status-reports/{report.id}",
        headers=leader,
        json={"texts": {"summary": "Nyt resumé"}, "version": report.version},
    )
    assert answer.status_code == 200, answer.text
    assert client.get(url, headers=leader).content != first.content


def test_the_digest_covers_what_the_pdf_is_made_from() -> None:
    content = {"report": {"number": 1}, "texts": {"summary": "A"}}
    same = pdf.content_digest(content, status=ReportStatus.draft, approved=None)
    assert same == pdf.content_digest(dict(content), status=ReportStatus.draft, approved=None)
    changed = {"report": {"number": 1}, "texts": {"summary": "B"}}
    assert same != pdf.content_digest(changed, status=ReportStatus.draft, approved=None)
    assert same != pdf.content_digest(content, status=ReportStatus.submitted, approved=None)
