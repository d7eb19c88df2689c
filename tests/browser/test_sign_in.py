import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_project_leader_signs_in_sees_svendborg_and_signs_out(page: Page):
    sign_in(page, "projektleder")
    expect(page.get_by_role("heading", name="Dine projekter")).to_be_visible()
    page.get_by_role("link", name="Implementering af førtidspensions- og fleksjobreformen").click()
    expect(page.get_by_text("Svendborg Kommune", exact=False).first).to_be_visible()
    # The implementation group's link in the list of groups (the »Mødekadence« card may name
    # the group too, in text).
    group = page.get_by_role("link", name="Organisering af rehabiliteringsteam")
    expect(page.get_by_role("listitem").filter(has=group)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("heading", name="Log ind i Reformstyr")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_wrong_password_shows_a_danish_message(page: Page):
    page.goto("/login")
    assert axe_violations(page) == []
    page.get_by_label("Brugernavn").fill("projektleder")
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("alert")).to_have_text("Forkert brugernavn eller adgangskode.")
