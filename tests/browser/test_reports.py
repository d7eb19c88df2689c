"""Browser journeys of the reports: the directorate opens the latest status report from its
dashboard and finds no way to change it (and the server refuses a change sent anyway); the
Gantt chart draws, filters through htmx, and is axe-clean; the leader edits a draft inline."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, project_nav, sign_in

pytestmark = pytest.mark.browser
PROJECT = "Implementering af førtidspensions- og fleksjobreformen"


def test_the_directorate_reads_the_latest_report_and_can_change_nothing(page: Page):
    sign_in(page, "direktion")
    page.get_by_role("link", name="Statusoverblik").click()
    expect(page.get_by_role("heading", name="Statusoverblik", level=1)).to_be_visible()
    row = page.locator("table.rp-dashboard tbody tr", has_text=PROJECT)
    expect(row).to_contain_text("Rød")
    assert axe_violations(page) == []
    row.get_by_role("link", name="Nr. 1, status pr. 28.02.2013").click()

    expect(page.get_by_role("heading", name="Statusrapport nr. 1", level=1)).to_be_visible()
    expect(page.get_by_text("Rapporten er udsendt og frosset")).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_text("01.11.2012–28.02.2013").first).to_be_visible()
    assert main.locator("form, textarea, select, input, button").count() == 0
    assert main.get_by_role("button").count() == 0
    expect(main.get_by_role("link", name="Hent som PDF")).to_be_visible()
    expect(main.locator("svg[role='img']").first).to_be_visible()  # the Gantt, page by page
    assert axe_violations(page) == []

    report_url = page.url
    status = page.evaluate(
        """async (url) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const answer = await fetch(url + '/texts/summary', {
                method: 'POST',
                headers: {'X-CSRF-Token': token,
                          'Content-Type': 'application/x-www-form-urlencoded'},
                body: 'text=Direktionen+skriver+om&version=4'});
            return answer.status;
        }""",
        report_url,
    )
    assert status == 403
    page.reload()
    expect(page.get_by_text("Direktionen skriver om")).to_have_count(0)

    page.goto(report_url.rsplit("/", 1)[0])
    expect(page.get_by_role("heading", name="Udsendte rapporter")).to_be_visible()
    expect(page.get_by_text("Statusrapport nr. 2")).to_have_count(0)


def test_the_gantt_draws_filters_and_is_accessible(page: Page):
    sign_in(page, "projektleder")
    page.get_by_role("link", name=PROJECT).click()
    project_nav(page).get_by_role("link", name="Gantt").click()
    chart = page.locator("#gantt-result .chart__plot[data-drawn='true']")
    expect(chart).to_be_attached(timeout=30_000)
    expect(chart.locator("svg.main-svg").first).to_be_visible()

    page.get_by_label("Fra").fill("2012-12-01")
    page.get_by_label("Til").fill("2013-06-30")
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile("start=2012-12-01"))
    expect(chart).to_be_attached(timeout=30_000)
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    expect(chart.get_by_text("feb 2013").first).to_be_attached()
    expect(chart.get_by_text("uge 5").first).to_be_attached()
    expect(chart.get_by_text("Status: Blokeret")).to_be_attached()
    expect(chart.get_by_text("Temadag om overgangen fra gammel til ny lov").first).to_be_attached()
    assert axe_violations(page) == []

    page.get_by_label("Status").select_option(label="Blokeret")
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile("status=blocked"))
    expect(chart).to_be_attached(timeout=30_000)
    expect(chart.get_by_text("Status: I gang")).to_have_count(0)
    page.get_by_text("Diagrammets data som tabel").click()
    table = page.get_by_role("table", name="Opgaver i diagrammet")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the one blocked task
    expect(table).to_contain_text("Temadag om overgangen")
    assert axe_violations(page) == []


def test_the_leader_writes_the_summary_of_the_draft(page: Page):
    sign_in(page, "projektleder")
    page.get_by_role("link", name=PROJECT).click()
    project_nav(page).get_by_role("link", name="Statusrapporter").click()
    page.get_by_role("link", name="Statusrapport nr. 2").click()
    expect(page.get_by_role("heading", name="Statusrapport nr. 2", level=1)).to_be_visible()
    page.get_by_text("Skriv tekst til »Sammenfatning«").click()
    page.get_by_label("Tekst til afsnittet »Sammenfatning«").fill(
        "Rehabiliteringsteamet er i drift; samarbejdsaftalen med Regionen mangler."
    )
    page.get_by_role("button", name="Gem teksten").first.click()
    # The live region's message has a "Luk" button beside it (app/static/js/app.js).
    expect(page.locator("#flash .notice")).to_contain_text("Rapporten er gemt.")
    expect(page.locator("#report .rp-text").first).to_have_text(
        "Rehabiliteringsteamet er i drift; samarbejdsaftalen med Regionen mangler."
    )
    assert axe_violations(page) == []
