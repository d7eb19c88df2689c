"""The project's navigation in base.html: the areas a role sees, the current one marked, and the
»Menu« disclosure a phone folds them into (docs/accessibility.md)."""

import re

from tests.factories import login


def nav_of(html: str) -> str:
    return re.search(r'<nav class="project-nav".*?</nav>', html, re.S).group(0)


def links(nav: str) -> list[str]:
    return re.findall(r"<a href=\"[^\"]+\"[^>]*>([^<]+)</a>", nav)


def test_the_areas_fold_into_a_menu_that_names_the_current_area(client, world):
    login(client, "leader")
    nav = nav_of(client.get(f"/projects/{world.project.id}/plans").text)
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", nav, re.S).group(1)
    assert summary.startswith("Menu") and "du er på:</span> Planer og opgaver" in summary
    assert '<details class="project-nav__menu">' in nav  # closed: one row on a phone
    assert re.findall(r'aria-current="page">([^<]+)<', nav) == ["Planer og opgaver"]
    assert links(nav)[-2:] == ["Revisionsspor", "Adgang"]
    assert 'role="search"' in nav


def test_the_directorate_sees_the_overview_and_the_reports_only(client, world):
    login(client, "directorate")
    nav = nav_of(client.get(f"/projects/{world.project.id}").text)
    assert links(nav) == ["Overblik", "Statusrapporter"]
    assert "du er på:</span> Overblik" in nav


def test_a_page_with_its_own_areas_keeps_them(client, world):
    """The template's names are nav_…: a page's own `areas` (director areas) is not shadowed."""
    login(client, "leader")
    answer = client.get(f"/projects/{world.project.id}/organisation/people")
    assert answer.status_code == 200
    assert 'aria-current="page">Organisation<' in nav_of(answer.text)
