"""Browser tests: qi's web pages opened from disk in Debian's chromium, driven by Playwright.

The browser is the system's chromium (`executable_path`), never one that Playwright
downloads. Without chromium, or without Playwright (the `test` extra), every test here
is skipped with the reason. Screenshots go to the folder named by QI_SCREENSHOTS (a
temporary folder by default) for a person to look at. With QI_BROWSER_TESTS=required
(as CI sets it where chromium is installed) a browser that cannot start fails the tests
instead of skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from tests.browser.browsing import CHROMIUM_ARGS, DESKTOP, PHONE, Tab, chromium_path

try:
    from playwright.sync_api import Browser, Playwright, sync_playwright
except ImportError:  # the test extra is not installed: the fixtures skip
    sync_playwright = None  # type: ignore[assignment]


def cannot_browse(reason: str) -> NoReturn:
    """Skip, or fail where the browser tests are required to run."""
    if os.environ.get("QI_BROWSER_TESTS") == "required":
        pytest.fail(f"{reason} (and QI_BROWSER_TESTS=required)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if sync_playwright is None:
        cannot_browse("playwright is not installed: pip install '.[test]'")
    try:
        manager = sync_playwright().start()
    except Exception as error:  # its driver (a bundled node) cannot run on this machine
        cannot_browse(f"playwright's driver cannot start here: {error}")
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        cannot_browse("no chromium to test the web pages in: apt-get install chromium")
    # A chromium that is installed but cannot start is a failure, not a skip.
    launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def new_tab(browser: Browser) -> Iterator[Callable[..., Tab]]:
    """Open tabs, each in a fresh browser context; `new_tab(phone=True)` emulates a phone."""
    contexts = []

    def open_tab(*, phone: bool = False) -> Tab:
        context = browser.new_context(
            viewport=PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone
        )
        contexts.append(context)
        return Tab.watching(context.new_page())

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def tab(new_tab: Callable[..., Tab]) -> Tab:
    return new_tab()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go for a person to look at: $QI_SCREENSHOTS or a temporary folder."""
    chosen = os.environ.get("QI_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
