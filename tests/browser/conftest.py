"""Playwright driving Debian's chromium against a live test server.

Playwright's own browser download is not used: the set-up installs the
``chromium`` package, and the tests launch /usr/bin/chromium.
"""
import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("MERKKIPAJA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Debian's chromium is not installed: run `make chromium` (apt-get install chromium).")
    return path


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs its own event loop; Django's async-unsafe
    # guard must not mistake the test's ORM calls for calls from that loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGUMENTS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fi-FI", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
