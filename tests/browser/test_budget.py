"""Browser journeys on the budget: the project leader records an expenditure and sees an
out-of-period one refused with the Danish message at the field; others only read."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, project_nav, sign_in

pytestmark = pytest.mark.browser
PROJECT = "Implementering af førtidspensions- og fleksjobreformen"


def _open_budget(page: Page, as_of: str = "") -> None:
    page.get_by_role("link", name=PROJECT).click()
    project_nav(page).get_by_role("link", name="Budget").click()
    expect(page.get_by_role("heading", name="Budget og tilskud", level=1)).to_be_visible()
    if as_of:
        page.get_by_label("Status pr.").fill(as_of)
        page.get_by_role("button", name="Vis status", exact=True).click()
        expect(page).to_have_url(re.compile(f"as_of={as_of}"))


def test_the_leader_records_an_expense_and_is_refused_outside_the_period(page: Page):
    sign_in(page, "projektleder")
    _open_budget(page, "2013-05-27")
    expect(page.locator("#bu-burn[data-drawn='true']")).to_be_attached(timeout=30_000)
    expect(page.get_by_text("Tilskudsperioden slutter 01.07.2013 (om 35 dage)")).to_be_visible()
    assert axe_violations(page) == []

    form = page.locator("#bu-expense-form")
    form.get_by_label("Dato").fill("2013-05-20")
    form.get_by_label("Beløb i kr.").fill("13.125,00")
    form.locator("#new-category").select_option(label="Frikøb af medarbejdere")
    form.get_by_label("Formål").select_option(index=1)
    form.get_by_label("Beskrivelse").fill("Frikøb af sagsbehandler til rehabiliteringsteamet, maj")
    form.get_by_label("Leverandør eller frikøbt medarbejder").fill("Mette Holm")
    form.get_by_label("Timer (ved frikøb)").fill("37,5")
    form.get_by_label("Timesats i kr. (ved frikøb)").fill("350")
    form.get_by_label("Gruppe").select_option(label="Organisering af rehabiliteringsteam")
    form.get_by_role("button", name="Registrér udgift").click()
    # The message (with its close button) in the live region at the foot of the viewport.
    expect(page.locator("#flash .notice")).to_contain_text("Udgiften er registreret.")
    expect(page.locator("#flash")).to_be_in_viewport()
    row = page.locator(
        "#bu-expenses tr", has_text="Frikøb af sagsbehandler til rehabiliteringsteamet, maj"
    )
    expect(row).to_contain_text("13.125 kr.")
    expect(row).to_contain_text("37,5 timer à 350 kr.")
    rows_before = page.locator("#bu-expenses tbody tr").count()

    form = page.locator("#bu-expense-form")
    form.get_by_label("Dato").fill("2013-07-02")
    form.get_by_label("Beløb i kr.").fill("5.000")
    form.locator("#new-category").select_option(label="Konsulentbistand")
    form.get_by_label("Formål").select_option(index=1)
    form.get_by_label("Beskrivelse").fill("Facilitering efter periodens udløb")
    form.get_by_role("button", name="Registrér udgift").click()
    message = "Udgiften er dateret 02.07.2013, efter tilskudsperiodens sidste dag 01.07.2013."
    error = page.locator("#new-date-error")
    expect(error).to_have_text(message)
    expect(page.locator("#new-date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new-date")).to_have_attribute("aria-describedby", "new-date-error")
    expect(page.locator("#new-description")).to_have_value("Facilitering efter periodens udløb")
    assert page.locator("#bu-expenses tbody tr").count() == rows_before
    assert axe_violations(page) == []


def test_the_steering_group_reads_the_budget_and_the_statement(page: Page):
    sign_in(page, "styregruppe")
    _open_budget(page)
    expect(page.get_by_text("461.474 kr.").first).to_be_visible()
    expect(page.locator("#bu-expense-form")).to_have_count(0)
    expect(page.get_by_role("heading", name="Reformens økonomi")).to_be_visible()
    page.get_by_role("link", name="Tilskudsregnskab").click()
    expect(page.get_by_role("heading", name=re.compile("^Tilskudsregnskab"))).to_be_visible()
    expect(page.get_by_text("Forklaring mangler")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1366, 390])
def test_an_amount_written_the_english_way_is_refused_in_view_then_saved(page: Page, width: int):
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    sign_in(page, "projektleder")
    _open_budget(page, "2013-05-27")
    # The form is reached from the top of the page.
    page.get_by_role("link", name="Registrér en udgift").click()
    form = page.locator("#bu-expense-form")
    expect(form.get_by_label("Dato")).to_be_in_viewport()
    form.get_by_label("Dato").fill("2013-05-20")
    form.get_by_label("Beløb i kr.").fill("12,500.00")
    form.locator("#new-category").select_option(label="Konsulentbistand")
    form.get_by_label("Formål").select_option(index=1)
    form.get_by_label("Beskrivelse").fill("Facilitering af workshop, maj")
    form.get_by_role("button", name="Registrér udgift").click()

    summary = page.locator("#bu-expense-form .error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Feltet »Beløb« kan ikke læses")
    expect(page.locator("#new-amount-error")).to_contain_text("12.500,50")
    expect(page.locator("#new-amount")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new-amount")).to_have_value("12,500.00")
    # The summary's link takes the person to the field.
    summary.get_by_role("link").click()
    expect(page.locator("#new-amount")).to_be_focused()
    assert axe_violations(page) == []

    page.locator("#new-amount").fill("12.500,50")
    page.locator("#bu-expense-form").get_by_role("button", name="Registrér udgift").click()
    flash = page.locator("#flash")
    expect(flash).to_contain_text("Udgiften er registreret.")
    expect(flash).to_be_in_viewport()
    expect(page.locator("#bu-expense-form .error-summary")).to_have_count(0)
    row = page.locator("#bu-expenses tr", has_text="Facilitering af workshop, maj")
    expect(row).to_contain_text("12.500,50 kr.")
    # The form and its button fit the viewport's width (on a phone too).
    button = page.locator("#bu-expense-form").get_by_role("button", name="Registrér udgift")
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert axe_violations(page) == []
