"""The users page in the browser: an administrator unlocks an account from the keyboard and the
focus stays in that user's row."""

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_an_administrator_unlocks_an_account_and_the_focus_stays_in_its_row(
    page: Page, live_server: str
):
    for _ in range(5):
        wrong = {"username": "styregruppe", "password": "forkert"}
        assert httpx.post(live_server + "/api/token", data=wrong).status_code == 400
    sign_in(page, "admin")
    page.goto("/admin/users")
    row = page.get_by_role("row").filter(has_text="styregruppe")
    unlock = row.get_by_role("button", name="Lås op styregruppe")
    unlock.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("styregruppe kan logge ind igen.")
    expect(row.get_by_role("button", name="Lås op styregruppe")).to_have_count(0)
    expect(row.get_by_text("Låst op")).to_be_focused()
    page.keyboard.press("Tab")  # on from there, within the page's order
    assert page.evaluate("() => document.activeElement !== document.body")
    assert axe_violations(page) == []
