"""The plan's structure in the browser (issue 20): a group member adds a sub-task on the group
page, sees it numbered and indented under its parent, and finds it indented with its number in
the group's Gantt chart."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.test_workstreams import open_group

pytestmark = pytest.mark.browser

PARENT = "Oplæg for LBR om reformen"
CHILD = "Aftal dato med LBR's sekretariat"


def test_a_sub_task_added_on_the_group_page_is_indented_there_and_in_the_gantt(page: Page):
    sign_in(page, "information")
    open_group(page, "Information til eksterne interessenter")
    parent_row = page.locator("table.ws-tasks tr", has_text=PARENT)
    number = parent_row.locator(".ws-number").inner_text().strip()
    parent_row.get_by_role("link", name=re.compile("Tilføj underopgave")).click()
    form = page.locator("#ny-opgave form")
    expect(form.get_by_label("Overordnet opgave")).to_have_value(
        re.compile(r"^\d+$")
    )  # the parent chosen
    form.get_by_label("Titel").fill(CHILD)
    form.get_by_label("Startdato").fill("2013-02-04")
    form.get_by_label("Frist").fill("2013-02-15")
    form.get_by_role("button", name="Tilføj opgave").click()
    expect(page.locator("#flash")).to_contain_text("Opgaven er tilføjet.")
    child_row = page.locator("table.ws-tasks tr", has_text=CHILD)
    expect(child_row.locator(".ws-number")).to_have_text(f"{number}.1")
    expect(child_row).to_have_class(re.compile(r"ws-depth-2"))
    parent_row = page.locator("table.ws-tasks tr", has_text=PARENT).first
    expect(parent_row).to_have_class(re.compile(r"ws-parent"))
    expect(parent_row).to_contain_text("beregnet ud fra underopgaverne")
    indent = child_row.locator("th").evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)")
    top = parent_row.locator("th").evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)")
    assert indent > top
    assert axe_violations(page) == []

    group_url = page.url.split("?")[0].split("#")[0]
    page.goto(f"{group_url}/gantt?start=2012-11-01&end=2013-12-31")
    label = f"{number}.1 {CHILD}"
    labels = page.locator(".annotation-text")
    expect(labels.filter(has_text=label)).to_have_count(1)
    parent = labels.filter(has_text=re.compile(rf"^{number} ")).first.bounding_box()
    child = labels.filter(has_text=label).first.bounding_box()
    assert parent and child and child["x"] > parent["x"], "indented under its parent"
    expect(page.get_by_text("Overordnet opgave (samlet for underopgaverne)").first).to_be_attached()
    page.get_by_label("Vis").select_option("1")
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.locator(".annotation-text").filter(has_text=label)).to_have_count(0)
    assert axe_violations(page) == []
