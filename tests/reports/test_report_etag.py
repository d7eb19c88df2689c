"""An issued report's JSON carries a strong ETag over its bytes and answers 304 to it, after the
permission check; `private, no-cache`, never a shared cache (app/web/caching.py). A draft's JSON
and every report page stay `no-store` (the page's frame is the user's own)."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import ProjectWorld, bearer
from tests.reports.factories import issued_report, make_report


def _url(world: ProjectWorld, report_id: int | None) -> str:
    return f"/api/projects/{world.project.id}/status-reports/{report_id}"


def test_an_issued_reports_json_answers_304_to_its_etag(
    client: TestClient, world: ProjectWorld, session: Session
) -> None:
    report = issued_report(session, world)
    url = _url(world, report.id)
    for role in ("directorate", "leader"):
        headers = bearer(client, role)
        first = client.get(url, headers=headers)
        assert first.status_code == 200 and first.json()["frozen"] is True
        etag = first.headers["etag"]
        assert etag.startswith('"') and not etag.startswith("W/")
        assert first.headers["cache-control"] == "private, no-cache"
        again = client.get(url, headers=headers | {"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "private, no-cache"
        other = client.get(url, headers=headers | {"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.content == first.content


def test_the_etag_is_the_same_for_every_reader_and_no_way_round_the_permissions(
    client: TestClient, world: ProjectWorld, session: Session
) -> None:
    report = issued_report(session, world)
    url = _url(world, report.id)
    etag = client.get(url, headers=bearer(client, "directorate")).headers["etag"]
    assert client.get(url, headers=bearer(client, "leader")).headers["etag"] == etag
    outsider = bearer(client, "outsider")
    refused = client.get(url, headers=outsider | {"If-None-Match": etag})
    assert refused.status_code in (403, 404) and "etag" not in refused.headers
    anonymous = client.get(url, headers={"If-None-Match": etag})
    assert anonymous.status_code == 401


def test_a_draft_has_no_etag_and_is_never_stored(
    client: TestClient, world: ProjectWorld, session: Session
) -> None:
    report = make_report(session, world)
    url = _url(world, report.id)
    answer = client.get(url, headers=bearer(client, "leader"))
    assert answer.status_code == 200 and "etag" not in answer.headers
    assert answer.headers["cache-control"] == "no-store"
    hidden = client.get(url, headers=bearer(client, "directorate") | {"If-None-Match": "*"})
    assert hidden.status_code == 403


def test_the_report_page_stays_no_store_even_when_issued(
    client: TestClient, world: ProjectWorld, session: Session
) -> None:
    report = issued_report(session, world)
    page = client.get(
        f"/projects/{world.project.id}/reports/{report.id}", headers=bearer(client, "leader")
    )
    assert page.status_code == 200 and "etag" not in page.headers
    assert page.headers["cache-control"] == "no-store"
