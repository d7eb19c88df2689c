import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, project_nav, sign_in
from tests.stakeholders.test_document import DEMO_STAKEHOLDERS

pytestmark = pytest.mark.browser

DRAWN_POINTS = """() => {
  const plot = document.getElementById('stakeholder-grid');
  return plot.data.filter(t => t.mode === 'markers+text')
    .flatMap(t => t.text.map((name, i) => ({name, x: t.x[i], y: t.y[i], attitude: t.name})));
}"""


def open_project(page: Page, path: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Implementering af førtidspensions- og fleksjobreformen").click()
    project_nav(page).get_by_role("link", name="Interessenter").click()
    if path:
        page.get_by_role("navigation", name="Interessenter og kommunikation").get_by_role(
            "link", name=path
        ).click()


def test_the_grid_draws_a_labelled_point_for_every_demo_stakeholder(page: Page):
    sign_in(page, "styregruppe")
    open_project(page, "")
    expect(page.get_by_role("heading", name="Interessentanalyse")).to_be_visible()
    grid = page.locator("#stakeholder-grid")
    expect(grid).to_have_attribute("data-drawn", "true")
    points = page.evaluate(DRAWN_POINTS)
    assert {p["name"] for p in points} == DEMO_STAKEHOLDERS
    assert all(0.5 < p["x"] < 5.5 and 0.5 < p["y"] < 5.5 for p in points)
    labels = grid.locator("g.textpoint text").all_text_contents()
    assert set(labels) == DEMO_STAKEHOLDERS
    for quadrant in ("Ressourcepersoner", "Grå eminencer", "Gidsler", "Eksterne interessenter"):
        expect(grid.get_by_text(quadrant)).to_be_visible()
    table = page.get_by_role("table", name="Interessenter")
    for name in DEMO_STAKEHOLDERS:
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Hvem har flyttet sig")).to_contain_text(
        "Det Lokale Beskæftigelsesråd (LBR)"
    )
    assert axe_violations(page) == []


def test_the_information_group_moves_a_stakeholder_and_plans_an_action(page: Page):
    sign_in(page, "information")
    open_project(page, "")
    page.get_by_role("link", name="Praktiserende læger", exact=True).click()
    page.get_by_text("Redigér interessenten eller flyt den på skemaet").click()
    page.get_by_label("Interesse (1–5)").select_option("4")
    page.get_by_label("Hvorfor har interessenten flyttet sig?").fill("Efter brevet om attester.")
    page.get_by_role("button", name="Gem ændringer").click()
    history = page.get_by_role("table", name="Placeringshistorik")
    expect(history).to_contain_text("Efter brevet om attester.")
    expect(page.get_by_text("Involvér tæt (ressourcepersoner)")).to_be_visible()

    page.get_by_label("Hvad (skal udfyldes)", exact=True).fill("Dialogmøde med praksiskonsulenten")
    page.get_by_label("Dato (skal udfyldes)", exact=True).fill("2013-02-12")
    page.get_by_role("button", name="Tilføj aktiviteten").click()
    row = page.get_by_role("row").filter(has_text="Dialogmøde med praksiskonsulenten")
    expect(row).to_contain_text("12.02.2013")
    row.get_by_role("button", name="Ret").click()
    edit = page.get_by_role(
        "form", name="Ret kommunikationsaktiviteten Dialogmøde med praksiskonsulenten"
    )
    edit.get_by_label("Dato (skal udfyldes)").fill("2013-02-19")
    assert axe_violations(page) == []
    edit.get_by_role("button", name="Gem").click()
    expect(row).to_contain_text("19.02.2013")
    row.get_by_role("button", name="Markér udført").click()
    expect(row).to_contain_text("Udført")
    assert axe_violations(page) == []


def _change_behind_the_pages_back(page: Page, action_id: int, version: int, what: str) -> None:
    """Someone else edits the action (through the API, with this browser's session)."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    answer = page.request.patch(
        f"/api/projects/1/communication-actions/{action_id}",
        data={"what": what, "version": version},
        headers={"X-CSRF-Token": token or ""},
    )
    assert answer.status == 200, answer.text()


def test_a_stale_edit_or_delete_of_an_action_leaves_the_page_intact_with_a_message(page: Page):
    sign_in(page, "information")
    open_project(page, "")
    page.get_by_role("link", name="Praktiserende læger", exact=True).click()
    page.get_by_label("Hvad (skal udfyldes)", exact=True).fill("Brev om attester")
    page.get_by_label("Dato (skal udfyldes)", exact=True).fill("2013-02-12")
    page.get_by_role("button", name="Tilføj aktiviteten").click()
    flash = page.locator("#flash")
    expect(flash).to_contain_text("Aktiviteten er planlagt.")
    expect(flash).to_be_in_viewport()
    row = page.get_by_role("row").filter(has_text="Brev om attester")
    action_id = int((row.get_attribute("id") or "").removeprefix("action-"))
    row = page.locator(f"#action-{action_id}")

    # A stale inline edit: the row shows the stored copy, with the summary focused in it.
    row.get_by_role("button", name="Ret").click()
    edit = page.get_by_role("form", name="Ret kommunikationsaktiviteten Brev om attester")
    _change_behind_the_pages_back(page, action_id, 1, "Brev om attester til lægerne")
    edit.get_by_label("Dato (skal udfyldes)").fill("2013-02-19")
    edit.get_by_role("button", name="Gem").click()
    summary = row.locator("[data-error-summary]")
    expect(summary).to_contain_text("ændret af en anden")
    expect(summary).to_be_focused()
    expect(row.get_by_label("Hvad (skal udfyldes)")).to_have_value("Brev om attester til lægerne")
    expect(page.locator("header.site-header")).to_have_count(1)
    assert axe_violations(page) == []
    row.get_by_role("button", name="Fortryd").click()
    expect(row).to_contain_text("Brev om attester til lægerne")

    # A stale delete: nothing is swapped; the message stands beside the button.
    _change_behind_the_pages_back(page, action_id, 2, "Brev om attester, 2. udgave")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Slet").click()
    message = row.locator(".feedback")
    expect(message).to_contain_text("Posten er ændret af en anden, siden du hentede den")
    expect(message).to_be_in_viewport()
    expect(row).to_contain_text("Brev om attester til lægerne")  # the row as it was
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.get_by_role("heading", name="Praktiserende læger", level=1)).to_have_count(1)
    expect(page.locator("#stakeholder-actions")).to_have_count(1)
    assert axe_violations(page) == []


def test_a_fourth_delegate_to_kls_network_is_refused(page: Page):
    sign_in(page, "projektleder")
    open_project(page, "Eksterne aktiviteter")
    expect(page.get_by_role("row").filter(has_text="22.11.2012")).to_contain_text(
        "Opstartsmøde for alle kommunerne"
    )
    assert axe_violations(page) == []
    page.get_by_role(
        "link", name="KL's implementeringsnetværk om førtidspension og fleksjob"
    ).click()
    page.get_by_label("Tilføj delegeret").select_option(label="Anne Højmark Jensen, Sundhedschef")
    page.get_by_role("button", name="Tilføj", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "tillader højst 3 delegerede fra kommunen; der er angivet 4"
    )
    assert page.locator(".stakeholders-delegate-list li").count() == 3
    assert axe_violations(page) == []


def test_calendar_subscription_url_is_shown_once(page: Page):
    sign_in(page, "direktion")
    # The directorate starts on the dashboard and its navigation offers only the reports; the
    # calendar page is still theirs to subscribe from, by its address.
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.goto("/projects/1/calendar")
    expect(page.get_by_role("table", name="Tidligere")).to_contain_text(
        "Netværk: Netværksmøde om rehabiliteringsindsatsen"
    )
    page.get_by_role("button", name="Opret kalenderadresse").click()
    url = page.get_by_label("Adresse til kalenderabonnement").input_value()
    assert "/calendar/" in url and url.endswith(".ics")
    assert axe_violations(page) == []
    feed = page.request.get(url)
    assert feed.status == 200 and "BEGIN:VCALENDAR" in feed.text()
    page.get_by_role("button", name="Tilbagekald adressen").click()
    expect(page.get_by_role("button", name="Opret kalenderadresse")).to_be_visible()
    assert page.request.get(url).status == 404
