import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from app import clock
from app.danish import format_date
from tests.browser.conftest import axe_violations, project_nav, sign_in

pytestmark = pytest.mark.browser


def open_group(page: Page, name: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Implementering af førtidspensions- og fleksjobreformen").click()
    project_nav(page).get_by_role("link", name="Planer og opgaver").click()
    page.get_by_role("table", name=re.compile("Planoverholdelse")).get_by_role(
        "link", name=name
    ).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def test_group_member_logs_progress_without_a_page_reload(page: Page):
    sign_in(page, "information")
    open_group(page, "Information til eksterne interessenter")
    assert axe_violations(page) == []
    page.evaluate("window.reformstyrNoReload = true")
    row = page.locator("tr", has_text="Oplæg for LBR om reformen")
    row.get_by_role("button", name=re.compile("Log fremdrift")).click()
    form = page.get_by_role("form", name=re.compile("Log fremdrift: Oplæg for LBR"))
    form.get_by_label("Hvad er der sket?").fill("Oplægget er aftalt til LBR's møde i marts.")
    form.get_by_label("Fremdrift (%)").fill("25")
    assert axe_violations(page) == []
    form.get_by_role("button", name="Gem fremdrift").click()
    row = page.locator("tr", has_text="Oplæg for LBR om reformen")
    expect(row).to_contain_text("Oplægget er aftalt til LBR's møde i marts.")
    expect(row).to_contain_text("25 %")
    expect(row).to_contain_text("I gang")
    expect(page.locator("#flash")).to_contain_text("Fremdriften er registreret.")
    assert page.evaluate("window.reformstyrNoReload") is True


def test_steering_group_member_approves_the_submitted_plan(page: Page):
    sign_in(page, "styregruppe")
    page.goto("/")
    page.get_by_role("link", name="Implementering af førtidspensions- og fleksjobreformen").click()
    page.get_by_role("link", name="Planer og opgaver").click()
    assert axe_violations(page) == []
    awaiting = page.get_by_role("region", name="Afventer godkendelse i Styregruppen")
    awaiting.get_by_role("link", name="Uddannelse af medarbejdere").click()
    decide = page.get_by_role("heading", name="Beslutning om version 1 (Styregruppen)")
    expect(decide).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label(re.compile("^Bemærkninger")).fill(
        "Godkendt. Temadagen planlægges, når bekendtgørelsen foreligger."
    )
    page.get_by_role("button", name="Godkend version 1").click()
    versions = page.get_by_role("table", name="Planens versioner")
    expect(versions.get_by_role("row", name=re.compile("^1 "))).to_contain_text("Godkendt")
    expect(versions).to_contain_text("beslutning nr.")
    expect(page.get_by_text("Godkendt baseline: version 1")).to_be_visible()
    expect(decide).to_have_count(0)
    assert axe_violations(page) == []


def test_project_leader_moves_a_forecast_and_sees_the_slippage(page: Page):
    sign_in(page, "projektleder")
    page.goto("/")
    page.get_by_role("link", name="Implementering af førtidspensions- og fleksjobreformen").click()
    project_nav(page).get_by_role("link", name="Milepæle").click()
    assert axe_violations(page) == []
    name = "Alle sagsbehandlere har gennemført kursus i den nye lov"
    planned, today = date(2013, 4, 30), clock.today()
    row = page.locator("tr", has_text=name)
    # Still open after its date: late until today (the browser's server runs on today's date).
    expect(row).to_contain_text(f"+{(today - planned).days} dage")
    expect(row).to_have_class(re.compile("is-late"))
    forecast = today + timedelta(days=30)
    row.get_by_role("button", name=f"Ret {name}").click()
    page.get_by_label(f"Prognose for {name}").fill(forecast.isoformat())
    assert axe_violations(page) == []
    page.get_by_role("button", name=f"Gem {name}").click()
    row = page.locator("tr", has_text=name)
    expect(row).to_contain_text(f"+{(forecast - planned).days} dage")
    expect(row).to_contain_text(format_date(forecast))
    expect(row).to_have_class(re.compile("is-slipping"))


def test_a_refused_task_shows_its_summary_at_the_form_and_a_saved_one_its_message(page: Page):
    sign_in(page, "information")
    open_group(page, "Information til eksterne interessenter")
    page.get_by_text("Tilføj en opgave").click()
    form = page.locator("form", has=page.get_by_role("button", name="Tilføj opgave"))
    form.get_by_label("Titel").fill("Pressemeddelelse om reformen")
    form.get_by_label("Startdato").fill("2013-02-01")
    form.get_by_label("Frist").fill("2013-01-31")
    form.get_by_role("button", name="Tilføj opgave").click()
    summary = page.get_by_role("alert").filter(has_text="Der er et problem")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    message = "Slutdatoen (31.01.2013) ligger før startdatoen (01.02.2013)."
    expect(summary.get_by_role("link", name=message)).to_have_attribute("href", "#new-due_date")
    expect(page.locator("#new-due_date-error")).to_have_text(message)
    expect(page.locator("#new-due_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new-title")).to_have_value("Pressemeddelelse om reformen")
    assert axe_violations(page) == []
    page.locator("#new-due_date").fill("2013-03-29")
    page.get_by_role("button", name="Tilføj opgave").click()
    expect(page.locator("#flash")).to_contain_text("Opgaven er tilføjet.")
    expect(page.locator("#flash")).to_be_in_viewport()
    expect(
        page.locator("tr[id^=task-]", has_text="Pressemeddelelse om reformen")
    ).to_be_in_viewport()


def test_returning_a_plan_without_comments_shows_the_summary_at_the_decision(page: Page):
    sign_in(page, "styregruppe")
    page.goto("/")
    page.get_by_role("link", name="Implementering af førtidspensions- og fleksjobreformen").click()
    page.get_by_role("link", name="Planer og opgaver").click()
    awaiting = page.get_by_role("region", name="Afventer godkendelse i Styregruppen")
    awaiting.get_by_role("link", name="Uddannelse af medarbejdere").click()
    page.get_by_role("button", name="Send tilbage til gruppen").click()
    summary = page.get_by_role("alert").filter(has_text="Der er et problem")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    message = "Skriv styregruppens bemærkninger, når planen sendes tilbage."
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator("#decision-comment-error")).to_have_text(message)
    expect(
        page.get_by_role("heading", name="Beslutning om version 1 (Styregruppen)")
    ).to_be_visible()
    assert axe_violations(page) == []


def test_a_group_member_logs_progress_on_a_390_px_phone(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "information")
    open_group(page, "Information til eksterne interessenter")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    row = page.locator("tr", has_text="Oplæg for LBR om reformen")
    row.get_by_role("button", name=re.compile("Log fremdrift")).click()
    form = page.get_by_role("form", name=re.compile("Log fremdrift: Oplæg for LBR"))
    form.get_by_label("Hvad er der sket?").fill("Oplægget er sendt til LBR's sekretariat.")
    form.get_by_label("Fremdrift (%)").fill("40")
    save = form.get_by_role("button", name="Gem fremdrift")
    save.scroll_into_view_if_needed()
    expect(save).to_be_in_viewport(ratio=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    save.click()
    row = page.locator("tr", has_text="Oplæg for LBR om reformen")
    expect(row).to_contain_text("Oplægget er sendt til LBR's sekretariat.")
    expect(row).to_contain_text("40 %")
    expect(page.locator("#flash")).to_contain_text("Fremdriften er registreret.")
    expect(page.locator("#flash")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
