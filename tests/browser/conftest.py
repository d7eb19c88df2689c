"""Browser tests: the app served by uvicorn on loopback, driven by Debian's chromium."""

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from sqlalchemy.engine import make_url

from app.config import ROOT
from app.db import Database
from app.demo.loader import load_demo
from app.main import create_app
from tests.conftest import PG_URL

CHROMIUM = "/usr/bin/chromium"
# Generous waits: a busy two-core CI machine can take seconds to draw a page; a real failure
# still fails, only later.
expect.set_options(timeout=15_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "app" / "static" / "vendor" / "axe.min.js"
# Chromium draws a date field (<input type=date>) in its own interface language, which on Linux
# comes from LANGUAGE/LANG (with Debian's chromium-l10n installed), not from the context's
# locale: with these a date field shows 15.05.2013 as a Danish user's browser does
# (docs/accessibility.md, »Datoer«).
CHROMIUM_ENV = {"LANGUAGE": "da", "LANG": "da_DK.UTF-8"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--lang=da-DK"],
            env={**os.environ, **CHROMIUM_ENV},
        )
        yield instance
        instance.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_template(template_database: str, tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """On SQLite, the demo is loaded once into a file that each browser test starts from a copy
    of (loading it renders a PDF and takes seconds); on PostgreSQL each test loads it anew."""
    if PG_URL:
        return None
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(template_database, path)
    database = Database(f"sqlite:///{path}")
    with database.session(write=True) as s:
        load_demo(session=s)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def live_server(settings, db, demo_template: Path | None) -> Iterator[str]:
    """The demo in this test's database, served on a free loopback port."""
    if demo_template is None:
        with db.session(write=True) as s:
            load_demo(session=s)
    else:
        db.dispose()
        target = Path(make_url(settings.database_url).database)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(demo_template, target)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1366, "height": 768}, locale="da-DK"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def sign_in(page: Page, username: str, password: str = "demo") -> None:
    page.goto("/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(lambda url: "/login" not in url)


def project_nav(page: Page) -> Locator:
    """The project's areas, the »Menu« opened first where it is folded (under 900 px wide)."""
    nav = page.get_by_role("navigation", name="Projektets områder")
    menu = nav.locator("details.project-nav__menu")
    if not menu.evaluate("details => details.open"):
        menu.locator("summary").click()
        expect(menu).to_have_attribute("open", "")
    return nav


@lru_cache
def _axe_source() -> str:
    return Path(AXE_JS).read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core (from npm, served by nobody: injected from disk) on the current page."""
    # Judged at rest: while htmx is busy, the requesting element is dimmed (.htmx-request,
    # opacity .6) for a moment, which a slow machine can catch between swap and cleanup.
    # (Polled with evaluate: wait_for_function would need eval, which the page's CSP forbids.)
    for _ in range(100):
        busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
        if page.evaluate(f"() => !document.querySelector('{busy}')"):
            break
        page.wait_for_timeout(50)
    # Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) still holds.
    page.evaluate(_axe_source())
    result = page.evaluate(
        "async () => (await axe.run(document, "
        "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]
