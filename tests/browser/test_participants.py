"""Participant registration in the browser: a registrar records a follow-up that was due and
sees it leave the due list; the steering group sees aggregates only, published as of a month end;
a pasted CPR number is refused next to its field."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, project_nav, sign_in

pytestmark = pytest.mark.browser


def _project_id(page: Page) -> str:
    page.goto("/")
    page.get_by_role("link", name="Implementering af førtidspensions- og fleksjobreformen").click()
    return re.search(r"/projects/(\d+)", page.url).group(1)


def test_registrar_records_a_due_follow_up_and_it_leaves_the_list(page: Page):
    sign_in(page, "projektleder")
    project = _project_id(page)
    project_nav(page).get_by_role("link", name="Deltagere").click()
    expect(page.get_by_role("heading", name="Deltagere", exact=True)).to_be_visible()
    page.get_by_role("link", name="Opfølgninger der forfalder").click()
    expect(page).to_have_url(
        f"{page.url.split('/projects')[0]}/projects/{project}/participants/due"
    )
    rows = page.locator("#due-list tbody tr")
    count = rows.count()
    assert count > 0
    row = rows.first
    code = row.get_by_role("rowheader").inner_text()
    expect(row.get_by_text("Forfalden")).to_be_visible()
    assert axe_violations(page) == []

    row.get_by_text("Registrér opfølgning").click()
    row.get_by_label("Udvikling i praktikken").select_option("Flere timer")
    row.get_by_label("Timetal pr. uge i praktikken").fill("14")
    row.get_by_label("Støtte fra virksomhedsmentor").select_option("ja")
    assert axe_violations(page) == []
    row.get_by_role("button", name=f"Gem opfølgning for {code}").click()

    expect(page.get_by_role("rowheader", name=code)).to_have_count(0)
    expect(rows).to_have_count(count - 1)
    expect(page.locator("#flash")).to_contain_text(f"Opfølgningen for {code} er gemt.")
    page.reload()
    expect(page.get_by_role("rowheader", name=code)).to_have_count(0)

    page.get_by_role("link", name="Deltagere", exact=True).last.click()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", name=f"Deltager {code}")).to_be_visible()
    latest = page.get_by_role("table", name=f"Opfølgninger for {code}").locator("tbody tr").last
    expect(latest).to_contain_text("Flere timer")
    expect(latest).to_contain_text("14")
    assert axe_violations(page) == []


def test_refused_quick_follow_up_shows_the_message_next_to_the_field(page: Page):
    sign_in(page, "projektleder")
    project = _project_id(page)
    page.goto(f"/projects/{project}/participants/due")
    row = page.locator("#due-list tbody tr").first
    row.get_by_text("Registrér opfølgning").click()
    row.get_by_label("Opfølgningsdato").fill("2013-01-01")
    row.get_by_label("Udvikling i praktikken").select_option("Uændret")
    row.get_by_role("button", name=re.compile("Gem opfølgning")).click()
    row = page.locator("#due-list tbody tr").first
    summary = row.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link")).to_contain_text("ligger før deltagerens startdato")
    expect(row.locator("p.field-error")).to_contain_text("ligger før deltagerens startdato")
    expect(row.get_by_label("Opfølgningsdato")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []


def test_steering_group_sees_the_monitoring_with_suppressed_small_cells(page: Page):
    sign_in(page, "styregruppe")
    project = _project_id(page)
    page.goto(f"/projects/{project}/participants")
    expect(page).to_have_url(re.compile(r"/participants/monitoring$"))
    expect(page.get_by_role("heading", name="Monitorering af deltagere")).to_be_visible()
    expect(page.locator("#chart-over-time .main-svg").first).to_be_attached()
    expect(page.get_by_role("table", name="Afslutninger fordelt på status")).to_contain_text("<5")
    expect(page.get_by_text("VC-001")).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_label("Registreringsskema").select_option(
        label="Fleksjob på 10 timer eller derunder"
    )
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("heading", name="Timer pr. uge i fleksjobbet over tid")).to_be_visible()
    assert axe_violations(page) == []


def test_the_monitoring_is_published_as_of_a_month_end_and_rounded(page: Page):
    sign_in(page, "styregruppe")
    project = _project_id(page)
    page.goto(f"/projects/{project}/participants/monitoring")
    page.get_by_label("Opgjort pr.").fill("2013-11-15")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_label("Opgjort pr.")).to_have_value("2013-10-31")
    expect(page.get_by_text("opgjort pr. 31.10.2013", exact=False)).to_be_visible()
    counts = page.locator(".participants-keys dd").all_inner_texts()[:3]
    assert all(c in ("0", "<5") or int(c.replace(".", "")) % 5 == 0 for c in counts), counts
    assert axe_violations(page) == []


def test_a_pasted_cpr_number_is_refused_next_to_the_field(page: Page):
    sign_in(page, "projektleder")
    project = _project_id(page)
    page.goto(f"/projects/{project}/participants/new")
    page.get_by_role("link", name="Fleksjob på 10 timer eller derunder").click()
    page.get_by_label("Deltagerkode").fill("010190\u20131234")
    page.get_by_label("Timer pr. uge i fleksjobbet").fill("8")
    page.get_by_label("Arbejdsgiver").select_option("Privat virksomhed")
    page.get_by_label("Personlig jobformidler tilknyttet").select_option("nej")
    page.get_by_role("button", name="Registrér deltageren").click()
    expect(page.locator("#new-code-error")).to_contain_text("ligner et CPR-nummer")
    expect(page.get_by_label("Deltagerkode")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
