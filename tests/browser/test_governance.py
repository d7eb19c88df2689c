import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, project_nav, sign_in

pytestmark = pytest.mark.browser

PROJECT = "Implementering af førtidspensions- og fleksjobreformen"


def open_project(page: Page) -> None:
    page.get_by_role("link", name=PROJECT).click()


def test_project_leader_adds_an_ad_hoc_member_and_sees_it_on_the_chart(page: Page):
    sign_in(page, "projektleder")
    open_project(page)
    project_nav(page).get_by_role("link", name="Organisation").click()
    expect(page.get_by_role("heading", name="Kommissorium")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Organer og medlemmer").click()
    page.get_by_role("link", name="Styregruppen", exact=True).click()
    expect(page.get_by_role("heading", name="Styregruppen", level=1)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Person (skal udfyldes)").select_option(
        label="Karsten Friis, Teamleder, Ressourceforløb"
    )
    page.get_by_label("Rolle", exact=True).select_option(label="Ad hoc-medlem")
    page.get_by_role("button", name="Tilføj medlem").click()
    summary = page.locator("#members [data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Et ad hoc-medlem skal have en betingelse")
    expect(page.locator("#member-new-condition-error")).to_contain_text(
        "Et ad hoc-medlem skal have en betingelse"
    )
    condition = page.get_by_label("Betingelse (kun ad hoc-medlem)")
    expect(condition).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []

    condition.fill("når det omhandler ressourceforløb for unge")
    page.get_by_role("button", name="Tilføj medlem").click()
    # The members table, not the body's organisation changes (which name him too).
    members = page.get_by_role("table", name="Medlemmer af Styregruppen med roller")
    row = members.get_by_role("row").filter(has_text="Karsten Friis")
    expect(row).to_contain_text("Ad hoc-medlem")
    expect(row).to_contain_text("når det omhandler ressourceforløb for unge")
    expect(page.locator("#flash")).to_contain_text("Karsten Friis er tilføjet")

    page.get_by_role("link", name="Organisationsdiagram").click()
    steering = page.locator(".gov-node").filter(
        has=page.get_by_role("heading", name="Styregruppen")
    )
    expect(steering).to_contain_text("Karsten Friis")
    expect(steering).to_contain_text("når det omhandler ressourceforløb for unge")
    expect(steering).to_contain_text("Tilkobles ad hoc, når det omhandler ydelser")
    expect(page.get_by_role("heading", name="Sammensætning af ressourceforløb")).to_be_visible()
    assert axe_violations(page) == []


def test_project_leader_follows_up_a_steering_group_duty_inline(page: Page):
    sign_in(page, "projektleder")
    open_project(page)
    project_nav(page).get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Mandater").click()
    steering = page.locator("section.gov-mandate").filter(
        has=page.get_by_role("heading", name="Styregruppen")
    )
    expect(steering).to_contain_text("1 af 11 opfyldt")
    assert axe_violations(page) == []
    steering.get_by_role("row").filter(has_text="samarbejdsaftale").get_by_role(
        "button", name="Følg op"
    ).click()
    steering.get_by_label("Status").select_option(label="Opfyldt")
    steering.get_by_label("Dato").fill("2013-05-15")
    steering.get_by_label("Note").fill("Samarbejdsaftalen med Regionen er underskrevet")
    assert axe_violations(page) == []
    steering.get_by_role("button", name="Gem").click()
    expect(steering).to_contain_text("2 af 11 opfyldt")
    row = steering.get_by_role("row").filter(has_text="samarbejdsaftale")
    expect(row).to_contain_text("Opfyldt")
    expect(row).to_contain_text("15.05.2013")


def test_steering_member_searches_the_log_and_follows_a_supersession(page: Page):
    sign_in(page, "styregruppe")
    open_project(page)
    page.get_by_role("link", name="Møder og beslutninger").click()
    expect(page.get_by_role("heading", name="Møder", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="27.11.2012", exact=True).click()
    attendance = page.get_by_role("table", name="Fremmøde ved mødet")
    expect(attendance.get_by_role("row").filter(has_text="Marianne Wederkopp")).to_contain_text(
        "Indkaldt ad hoc"
    )
    assert axe_violations(page) == []

    page.get_by_role("link", name="Beslutningsprotokol").click()
    page.get_by_role("searchbox", name="Søg", exact=True).fill("kvartal")
    page.get_by_role("button", name="Søg", exact=True).click()
    results = page.locator("#decision-results")
    expect(results).to_contain_text("1 beslutning matcher")
    results.get_by_role("link", name="Status til direktionen hvert kvartal").click()
    expect(page.get_by_role("note")).to_contain_text("Afløser beslutning nr. 3")
    assert axe_violations(page) == []
    page.get_by_role("link", name="beslutning nr. 3: Status til direktionen hver måned").click()
    expect(page.get_by_role("note")).to_contain_text("afløst")


def test_every_organisation_page_passes_axe(page: Page):
    sign_in(page, "admin")
    expect(page.get_by_role("link", name="Nyt projekt")).to_be_visible()
    page.get_by_role("link", name="Nyt projekt").click()
    assert axe_violations(page) == []
    page.goto("/")
    open_project(page)
    base = page.url.rstrip("/")
    for path in (
        "/organisation",
        "/organisation/edit",
        "/organisation/people",
        "/organisation/bodies",
        "/organisation/mandates",
        "/meetings",
        "/decisions",
        "/decisions/new",
    ):
        page.goto(base + path)
        assert axe_violations(page) == [], path
    page.goto(base + "/organisation/people")
    page.get_by_role("button", name="Redigér Finn Boye").click()
    expect(page.get_by_label("Navn (skal udfyldes)").first).to_be_visible()
    assert axe_violations(page) == []
