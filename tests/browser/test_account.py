"""'Min konto' in the browser: a user opens it from the header, sees their browser session and an
API token, revokes the token and is told so."""

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_a_user_sees_their_tokens_and_revokes_one(page: Page, live_server: str):
    script = httpx.post(
        live_server + "/api/token", data={"username": "projektleder", "password": "demo"}
    )
    headers = {"Authorization": f"Bearer {script.json()['access_token']}"}
    sign_in(page, "projektleder")
    page.get_by_role("link", name="Min konto").click()
    expect(page.get_by_role("heading", name="Min konto", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Dine sessioner og API-nøgler")
    expect(table.get_by_role("row")).to_have_count(3)  # the header, this browser, the script
    expect(table.get_by_role("row").filter(has_text="(denne browser)")).to_be_visible()
    assert axe_violations(page) == []
    table.get_by_role("row").filter(has_text="API-nøgle").get_by_role(
        "button", name="Tilbagekald"
    ).click()
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table.get_by_role("row").filter(has_text="API-nøgle")).to_have_count(0)
    # The confirmation stands next to the table, as a status, and has the keyboard focus.
    confirmation = page.get_by_role("status").filter(has_text="API-nøglen er tilbagekaldt")
    expect(confirmation).to_be_visible()
    expect(confirmation.locator("p")).to_be_focused()
    assert axe_violations(page) == []
    assert httpx.get(live_server + "/api/me", headers=headers).status_code == 401


def test_the_account_page_fits_a_phone(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "projektleder")
    page.goto("/account")
    expect(page.get_by_role("heading", name="Min konto", level=1)).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
