"""The search over HTTP: the API (paged, X-Total-Count, refusals) and the page with its box."""

from sqlmodel import Session

from app.reports.models import ReportStatus
from tests.factories import bearer, login
from tests.search.factories import fill, report


def test_api_pages_the_hits(client, session: Session, world):
    fill(session, world)
    headers = bearer(client, "member_a")
    url = f"/api/projects/{world.project.id}/search"
    answer = client.get(url, params={"q": "rehab", "limit": 3}, headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert answer.headers["X-Total-Count"] == "8" and body["total"] == 8
    assert len(body["items"]) == 3
    assert set(body["items"][0]) == {"kind", "kind_label", "id", "title", "snippet", "url"}
    rest = client.get(url, params={"q": "rehab", "offset": 3}, headers=headers).json()
    assert len(rest["items"]) == 5


def test_api_bad_queries_never_fail_the_server(client, session: Session, world):
    fill(session, world)
    headers = bearer(client, "leader")
    url = f"/api/projects/{world.project.id}/search"
    for q in ["", '"', "NEAR(", "*", "a" * 200, "(rehab OR"]:
        assert client.get(url, params={"q": q}, headers=headers).status_code == 200, q
    too_long = client.get(url, params={"q": "a" * 201}, headers=headers)
    assert too_long.status_code == 422
    assert "Søgetekst" in too_long.json()["detail"]
    assert client.get(url, headers=headers).status_code == 422  # q missing


def test_api_refuses_outsiders_and_hides_drafts_from_the_directorate(
    client, session: Session, world
):
    report(session, world, 1, ReportStatus.draft)
    url = f"/api/projects/{world.project.id}/search"
    assert client.get(url, params={"q": "x"}).status_code == 401
    assert client.get(url, params={"q": "x"}, headers=bearer(client, "outsider")).status_code == 403
    found = client.get(url, params={"q": "statusrapport"}, headers=bearer(client, "directorate"))
    assert found.json()["total"] == 0
    leader = client.get(url, params={"q": "statusrapport"}, headers=bearer(client, "leader"))
    assert leader.json()["total"] == 1


def test_page_shows_hits_with_marks_and_the_box_is_on_project_pages(
    client, session: Session, world
):
    fill(session, world)
    login(client, "member_b")
    home = client.get(f"/projects/{world.project.id}/search", params={"q": "sundhed"})
    assert home.status_code == 200
    assert "1 resultat for »sundhed«" in home.text
    assert "<mark>sundhedskoordinator</mark>" in home.text
    assert 'id="project-search"' in home.text
    partial = client.get(
        f"/projects/{world.project.id}/search",
        params={"q": "ingenting"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )
    assert partial.text.lstrip().startswith('<section id="search-results"')
    assert "Intet i projektet matcher »ingenting«." in partial.text
    empty = client.get(f"/projects/{world.project.id}/search")
    assert "Skriv et eller flere ord for at søge." in empty.text


def test_a_too_long_search_is_told_beside_the_field_with_422(client, session: Session, world):
    login(client, "leader")
    url = f"/projects/{world.project.id}/search"
    page = client.get(url, params={"q": "x" * 201})
    assert page.status_code == 422
    message = "Feltet »Søgetekst« må højst være 200 tegn."
    assert (
        f'<p id="search-q-error" class="field-error" aria-live="polite">{message}</p>' in page.text
    )
    assert 'aria-describedby="search-q-error" aria-invalid="true"' in page.text
    assert "<h1>Søg i projektet</h1>" in page.text
    partial = client.get(
        url, params={"q": "x" * 201}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    )
    assert partial.status_code == 422
    assert partial.text.lstrip().startswith('<section id="search-results"')
    assert f'hx-swap-oob="innerHTML">{message}</p>' in partial.text
    fine = client.get(
        url, params={"q": "x"}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    )
    assert fine.status_code == 200 and 'hx-swap-oob="innerHTML"></p>' in fine.text
