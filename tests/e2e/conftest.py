"""Browser-test fixtures: one headless Chromium per run, a fresh page per test.

The tests drive Debian's Chromium (never a downloaded Playwright build) against
pytest-django's `live_server`, which serves static files from the finders and gives
each test a flushed database (transactional_db).
"""

import os
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

# Sync Playwright runs an asyncio loop in the main thread from the moment the session's
# browser starts until the run ends, so Django would otherwise refuse every ORM call made
# from it: in these tests, in pytest-django's flush, and in any test collected after them.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOT_DIR = Path(__file__).parent / "screenshots"
NOT_FOUND = (
    "Chromium not found: install it with `apt-get install chromium` (Debian) "
    "to run the browser tests"
)


def chromium_path() -> str | None:
    """`CHROMIUM_PATH` if set (a path or a command name), else `chromium` on the PATH."""
    override = os.environ.get("CHROMIUM_PATH")
    return shutil.which(override) if override else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        message = NOT_FOUND
        if os.environ.get("CHROMIUM_PATH"):
            message += f" (CHROMIUM_PATH={os.environ['CHROMIUM_PATH']!r} is not an executable)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}. CI must run the browser tests, so this is an error.")
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so `page` can see if the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies) whose base URL is the live server.

    If the test fails, a full-page screenshot goes to tests/e2e/screenshots/<test>.png.
    If it passes but the browser logged an error (such as a CSP violation), it errors
    at teardown.
    """
    # Reduced motion turns off Bootstrap's transitions (the collapsing nav), so a page
    # is settled as soon as a click returns. CSP stays enforced: axe is injected through
    # Playwright's evaluate, which the site's CSP does not block, so no bypass_csp.
    # A test may ask for other context options (a phone's viewport, the browser's time zone)
    # with @pytest.mark.browser_context(viewport=..., timezone_id=...).
    marker = request.node.get_closest_marker("browser_context")
    options = {"viewport": DESKTOP_VIEWPORT, **(marker.kwargs if marker else {})}
    context = browser.new_context(base_url=live_server.url, reduced_motion="reduce", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    browser_errors = _record_browser_errors(page)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)
        except PlaywrightError as error:
            warnings.warn(f"Could not save a screenshot of the failed test: {error}", stacklevel=1)
    context.close()
    if request.node.get_closest_marker("expects_error_pages"):
        # The page itself answered 403/404/429 on purpose; Chromium logs that as a failed load.
        browser_errors[:] = [e for e in browser_errors if "Failed to load resource" not in e]
    if report is not None and report.passed and browser_errors:
        pytest.fail(
            "The browser reported errors (a CSP violation, a script error or a failed load):\n"
            + "\n".join(browser_errors)
        )


def _record_browser_errors(page: Page) -> list[str]:
    """Collect console errors (CSP violations show up there) and uncaught script errors.

    The missing /favicon.ico that browsers ask for on their own is not counted.
    """
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            errors.append(f"console: {message.text} ({url or page.url})")

    def on_page_error(error: PlaywrightError) -> None:
        errors.append(f"script error: {error} ({page.url})")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors
