"""The meeting cycle in the browser: the secretariat moves an agenda item with the keyboard and
the focus stays on the moved item's button."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_secretariat_moves_an_agenda_item_from_the_keyboard(page: Page, live_server: str):
    sign_in(page, "sekretariat")
    page.goto("/projects/1/meetings/1")
    items = page.locator("#agenda ol.gov-agenda > li")
    first = items.nth(0)
    title = first.locator(".gov-agenda__title").inner_text()
    item_id = first.get_attribute("id").removeprefix("agenda-item-")
    down = page.locator(f"#agenda-{item_id}-down")
    down.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Punktet er flyttet.")
    expect(items.nth(1).locator(".gov-agenda__title")).to_have_text(title)
    expect(page.locator(f"#agenda-{item_id}-down")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # now it has an »up« button too, just before
    expect(page.locator(f"#agenda-{item_id}-up")).to_be_focused()
    page.keyboard.press("Enter")
    expect(items.nth(0).locator(".gov-agenda__title")).to_have_text(title)
    # Back at the top: its »up« is gone, so its »down« holds the focus.
    expect(page.locator(f"#agenda-{item_id}-down")).to_be_focused()
    assert axe_violations(page) == []
