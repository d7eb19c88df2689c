"""The project leader works with the Gantt: Plotly speaks Danish, the zoom buttons work from the
keyboard, the current view downloads as PNG/SVG and the whole chart as a PDF."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, project_nav, sign_in

pytestmark = pytest.mark.browser
PROJECT = "Implementering af førtidspensions- og fleksjobreformen"


def _open_gantt(page: Page) -> None:
    sign_in(page, "projektleder")
    page.get_by_role("link", name=PROJECT).click()
    project_nav(page).get_by_role("link", name="Gantt").click()
    expect(page.locator("#gantt-result .chart__plot[data-drawn='true']")).to_be_attached(
        timeout=30_000
    )


def test_plotly_speaks_danish_on_the_gantt(page: Page):
    _open_gantt(page)
    # The locale file is loaded after Plotly, and Plotly's own texts are Danish.
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    plotly = next(i for i, s in enumerate(scripts) if "/plotly.min.js?v=" in s)
    assert "/static/js/plotly-locale-da.js?v=" in scripts[plotly + 1]
    chart = page.locator("#gantt-result .chart__plot[data-drawn='true']")
    drag = chart.locator(".nsewdrag").first
    drag.scroll_into_view_if_needed()
    box = drag.bounding_box()
    assert box is not None
    # A row inside the viewport (the chart may be taller than the window).
    y = min(max(box["y"], 0) + 60, box["y"] + box["height"] - 10)
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=8)
    page.mouse.up()
    expect(page.locator(".plotly-notifier")).to_contain_text("Dobbeltklik for at zoome ud igen")


def test_zoom_buttons_work_from_the_keyboard_and_the_view_downloads(page: Page):
    _open_gantt(page)
    zoom = page.get_by_role("navigation", name="Zoom i tid")
    quarter = zoom.get_by_role("link", name=re.compile("^Kvartal"))
    quarter.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"start=\d{4}-\d{2}-01&end="))
    expect(zoom.get_by_role("link", name=re.compile("^Kvartal"))).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.locator("#gantt-result .chart__plot[data-drawn='true']")).to_be_attached(
        timeout=30_000
    )
    downloads = page.get_by_role("group", name="Hent diagrammet")
    pdf = downloads.get_by_role("link", name=re.compile("PDF, A3 liggende"))
    assert re.search(r"/gantt\.pdf\?start=.*paper=a3$", pdf.get_attribute("href") or "")
    with page.expect_download() as download:
        downloads.get_by_role("button", name="SVG, denne visning").click()
    name = download.value.suggested_filename
    assert name.startswith("gantt-implementering-af-foertidspensions") and name.endswith(".svg")
    expect(downloads.get_by_role("button", name="PNG, denne visning")).to_be_visible()
    assert axe_violations(page) == []

    # The whole project, and back to the default window.
    zoom.get_by_role("link", name=re.compile("^Hele projektet")).click()
    expect(zoom.get_by_role("link", name=re.compile("^Hele projektet"))).to_have_attribute(
        "aria-current", "true"
    )
    zoom.get_by_role("link", name="Standard").click()
    expect(page).not_to_have_url(re.compile("start="))
    expect(zoom.locator("[aria-current]")).to_have_count(0)
