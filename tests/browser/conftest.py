"""A real browser for end-to-end tests: Debian's chromium driven by Playwright.

Never a downloaded browser: Playwright launches /usr/bin/chromium. Without
it these tests skip with the reason, except under CI=true, where they fail.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.support.environment import IN_CI

CHROMIUM = os.environ.get("STET_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The machine's network is closed: keep chromium from trying to reach out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        message = f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium chromium-driver)"
        (pytest.fail if IN_CI else pytest.skip)(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while it runs; the
    # ORM calls the tests make between page actions are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def new_page(browser, live_server):
    """A function giving a fresh page (own cookies) logged in as a user, or anonymous."""
    contexts = []

    def open_page(user=None, password="pw"):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            page.goto("/admin/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
        return page

    yield open_page
    for context in contexts:
        context.close()
