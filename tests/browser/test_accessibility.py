"""axe-core (WCAG 2.1 AA) on every page of the app and on every htmx fragment in place, signed in
as the project leader (the administrator for the administrator's pages); charts carry a text
alternative and a table with their data.

The pages come from the app's routes, so a new page is checked without anyone remembering it.
Fragments (rows, edit forms) are put into a page as htmx would swap them in, then checked.
"""

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from playwright.sync_api import Browser, Page

from app.config import Settings
from app.main import create_app
from tests.browser.conftest import _free_port, axe_violations, sign_in
from tests.security.inventory import Endpoint, application_endpoints
from tests.security.route_access import rule_of
from tests.security.stage import fill, find_fillers, make_template, module_database

pytestmark = pytest.mark.browser

PAGES = sorted(
    (
        e
        for e in application_endpoints()
        if e.method == "GET"
        and not e.is_api
        and not e.path.startswith("/static")
        and e.path not in ("/healthz",)
        and not e.path.endswith((".ics", ".csv", ".xlsx"))  # files, not pages
        and not e.path.endswith("/attachments/{attachment_id}")  # a download, not a page
        and "/export" not in e.path
    ),
    key=lambda e: e.key,
)


@pytest.fixture(scope="module")
def demo_server(template_database: str, tmp_path_factory) -> Iterator[tuple[str, dict]]:
    """The demo (with the security stage's extra rows) served on loopback for this module."""
    workdir = tmp_path_factory.mktemp("a11y")
    template = make_template(template_database, workdir, "a11y_template")
    with module_database(template, workdir, "accessibility") as url:
        app = create_app(Settings(database_url=url))
        fillers = find_fillers(app.state.db)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", fillers
        server.should_exit = True
        thread.join(timeout=10)
        app.state.db.dispose()


@pytest.fixture(scope="module")
def pages(browser: Browser, demo_server) -> Iterator[dict[str, Page]]:
    base_url, _ = demo_server
    signed_in = {}
    for role, username in (("leader", "projektleder"), ("admin", "admin")):
        context = browser.new_context(
            base_url=base_url, viewport={"width": 1366, "height": 768}, locale="da-DK"
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, username)
        signed_in[role] = page
    yield signed_in
    for page in signed_in.values():
        page.context.close()


def _who(endpoint: Endpoint) -> str:
    rule = rule_of(endpoint.key)
    return "leader" if rule is None or "leader" in rule.access else "admin"


@pytest.mark.parametrize("endpoint", PAGES, ids=[e.key for e in PAGES])
def test_every_page_and_fragment_passes_axe(pages, demo_server, endpoint: Endpoint):
    _, fillers = demo_server
    page = pages[_who(endpoint)]
    url = fill(endpoint.path, fillers)
    answer = page.request.get(url)
    # A route whose feature is off in the test settings (single sign-on) answers as the route
    # table says; its error page is what the person sees, so that page is checked instead
    # (tests/browser/test_sso.py checks the pages with the feature on).
    rule = rule_of(endpoint.key)
    expected = rule.answers if rule is not None and rule.answers else None
    assert answer.status < 400 or answer.status == expected, f"{url}: {answer.status}"
    body = answer.text()
    if "<html" in body[:300].lower():
        page.goto(url)
        page.wait_for_load_state("load")
    else:
        # A fragment: swapped into the project's home page as htmx would do it.
        page.goto(f"/projects/{fillers['project']}")
        page.evaluate(
            """html => {
                const main = document.querySelector('main');
                const wrapper = html.trim().startsWith('<tr')
                    ? '<table><caption>Fragment</caption><tbody>' + html + '</tbody></table>'
                    : html;
                main.insertAdjacentHTML('afterbegin', '<section aria-label="Fragment">'
                                        + wrapper + '</section>');
            }""",
            body,
        )
    assert axe_violations(page) == [], url


def test_charts_have_a_label_and_their_data_as_a_table(pages, demo_server):
    _, fillers = demo_server
    page = pages["leader"]
    charted = 0
    for endpoint in PAGES:
        if _who(endpoint) != "leader":
            continue
        url = fill(endpoint.path, fillers)
        page.goto(url)
        plots = page.locator(".chart__plot, [data-plotly-source]")
        if plots.count() == 0:
            continue
        charted += 1
        for index in range(plots.count()):
            plot = plots.nth(index)
            assert plot.get_attribute("role") == "img", url
            assert (plot.get_attribute("aria-label") or "").strip(), url
        assert page.locator("table").count() >= 1, f"{url}: a chart without its data table"
    assert charted > 0, "no page with a chart was found"
