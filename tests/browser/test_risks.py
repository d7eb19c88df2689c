import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, project_nav, sign_in

pytestmark = pytest.mark.browser

PROJECT = "Implementering af førtidspensions- og fleksjobreformen"
TEMPERATURE = "Medarbejdernes temperaturmåling af fremdriften"


def _open_risks(page: Page) -> None:
    page.get_by_role("link", name=PROJECT).click()
    project_nav(page).get_by_role("link", name="Risici og mål").click()
    expect(page.get_by_role("heading", name="Risikolog", level=1)).to_be_visible()


def test_leader_records_the_missing_measurement_with_htmx(page: Page):
    sign_in(page, "projektleder")
    _open_risks(page)
    page.get_by_role("navigation", name="Risici og mål").get_by_role(
        "link", name="Succesmål"
    ).click()
    row = page.locator("tr", has_text=TEMPERATURE)
    expect(row.get_by_text("Måling mangler")).to_be_visible()
    assert axe_violations(page) == []

    row.get_by_role("link", name=TEMPERATURE).click()
    expect(page.get_by_role("heading", name=TEMPERATURE)).to_be_visible()
    page.locator("#indicator-chart[data-drawn]").wait_for()
    expect(page.locator("#latest-value")).to_have_text("3,6 point (30.06.2014)")
    expect(page.locator("#next-due")).to_contain_text("Måling mangler")
    assert axe_violations(page) == []

    url = page.url
    form = page.get_by_role("form", name="Tilføj en måling")
    form.get_by_label("Dato").fill("2014-12-31")
    form.get_by_label("Værdi (point)").fill("3,8")
    form.get_by_label("Note").fill("Målt på fællesdagen")
    form.get_by_role("button", name="Gem måling").click()

    expect(page.locator("#latest-value")).to_have_text("3,8 point (31.12.2014)")
    expect(page.locator("#next-due")).to_contain_text("Målinger afsluttet")
    expect(page.locator("#progress")).to_contain_text("Målet er nået")
    expect(page.locator("#flash")).to_contain_text("Målingen er gemt.")
    expect(page.locator("#flash")).to_be_in_viewport()
    expect(page.get_by_role("cell", name="Målt på fællesdagen")).to_be_visible()
    page.locator("#indicator-chart[data-drawn]").wait_for()
    assert page.url == url  # swapped in place, no reload
    assert axe_violations(page) == []


def test_measurement_before_the_baseline_shows_the_rule_next_to_the_field(page: Page):
    sign_in(page, "projektleder")
    _open_risks(page)
    page.get_by_role("link", name="Succesmål").click()
    page.locator("tr", has_text=TEMPERATURE).get_by_role("link", name=TEMPERATURE).click()
    form = page.get_by_role("form", name="Tilføj en måling")
    form.get_by_label("Dato").fill("2012-06-30")
    form.get_by_label("Værdi (point)").fill("3")
    form.get_by_role("button", name="Gem måling").click()
    error = page.locator("#m-measured_date-error")
    expect(error).to_contain_text("ligger før indikatorens basisdato (31.12.2012)")
    form = page.get_by_role("form", name="Tilføj en måling")
    expect(form.get_by_label("Dato")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#latest-value")).to_have_text("3,6 point (30.06.2014)")
    assert axe_violations(page) == []


def test_leader_closes_a_risk_inline_and_the_register_is_accessible(page: Page):
    sign_in(page, "projektleder")
    _open_risks(page)
    page.locator("#risk-heatmap[data-drawn]").wait_for()
    expect(page.get_by_role("table", name=re.compile("Antal åbne risici"))).to_be_visible()
    assert axe_violations(page) == []

    title = "Praktiserende læger leverer ikke lægeattester til tiden"
    row = page.locator("tr", has_text=title)
    expect(row.get_by_text("Revision overskredet")).to_be_visible()
    row.get_by_role("button", name=re.compile("^Ret")).click()
    page.get_by_label(f"Status for {title}").select_option(label="Lukket")
    page.get_by_label(f"Næste revision af {title}").fill("2015-06-30")
    assert axe_violations(page) == []
    page.get_by_role("button", name=f"Gem {title}").click()

    row = page.locator("tr", has_text=title)
    expect(row.get_by_text("Lukket")).to_be_visible()
    expect(row.get_by_text("30.06.2015")).to_be_visible()
    expect(row.get_by_text("Revision overskredet")).to_have_count(0)
    page.reload()
    expect(page.locator("tr", has_text=title).get_by_text("Lukket")).to_be_visible()


def test_group_member_edits_only_their_own_groups_risks(page: Page):
    sign_in(page, "information")
    _open_risks(page)
    own = page.locator("tr", has_text="Borgere og samarbejdspartnere får ikke klar besked")
    other = page.locator("tr", has_text="Der indgås ingen samarbejdsaftale med Regionen")
    expect(own.get_by_role("button", name=re.compile("^Ret"))).to_be_visible()
    expect(other.get_by_role("button", name=re.compile("^Ret"))).to_have_count(0)
    assert axe_violations(page) == []
