"""Pytest plugin for browser tests: Debian's Chromium driven by Playwright, and live servers.

Load it from a conftest or test module with ``pytest_plugins = ["tests.web.browser"]``.

Fixtures:

* ``browser`` (session): a headless Chromium launched from the system binary
  (:func:`chromium_path`); ``playwright install`` is never used.
* ``live_server`` (function): a factory; ``live_server(app)`` serves an ASGI app with uvicorn on
  127.0.0.1 and a free port in a background thread and returns its base URL. Every server it
  started is stopped after the test.
* ``page`` (function): a fresh page in its own browser context (viewport 1280x800, locale id-ID)
  which refuses every request that does not go to 127.0.0.1/localhost, because the app must
  work offline, without any CDN.
* ``page_errors`` (function): the list ``page`` fills with console errors (CSP violations show up
  there), uncaught page errors and refused external requests; assert it is empty.
* ``shot`` (function): ``shot("name")`` saves the page as ``test-artifacts/screenshots/name.png``
  (the same as ``save_shot(page, "name")``) and returns the path.

When a test using ``page`` fails, a screenshot ``FAILED-<test name>.png`` is saved there too.

Chromium missing: the tests skip with the reason, except under ``CI=true`` where they fail,
because a skipped browser test is not a passing one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Route, sync_playwright

__all__ = ["SCREENSHOT_DIR", "LiveServer", "chromium_path", "save_shot"]

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() == "true"

# /usr/lib/chromium/chromium is the binary itself; /usr/bin/chromium is Debian's wrapper script,
# which works too but prints a harmless warning.
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
SERVER_START_TIMEOUT_S = 20.0


def chromium_path() -> str:
    """The system Chromium binary; skips the test without one (fails under CI=true)."""
    override = os.environ.get("SINERGI_CHROMIUM")
    candidates = [override] if override else [*CHROMIUM_CANDIDATES, shutil.which("chromium")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    reason = "Chromium not found: install it with `apt-get install -y chromium` (see .ci/run)"
    if IN_CI:
        pytest.fail(f"CI=true but {reason}: browser tests may not skip")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture
def page(
    browser: Browser, page_errors: list[str], request: pytest.FixtureRequest
) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    context.route("**/*", _local_only(page_errors))
    new_page = context.new_page()
    new_page.on("console", lambda message: _record_console(message, page_errors))
    new_page.on("pageerror", lambda error: page_errors.append(f"page error: {error}"))
    try:
        yield new_page
    finally:
        report = getattr(request.node, "_sinergi_call_report", None)
        if report is not None and report.failed and not new_page.is_closed():
            # The page may have crashed: then the test's own failure is all there is to report.
            with contextlib.suppress(Error):
                save_shot(new_page, f"FAILED-{request.node.name}")
        context.close()


def _local_only(errors: list[str]) -> Callable[[Route], None]:
    def handle(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            errors.append(f"external request refused: {url}")
            route.abort("blockedbyclient")

    return handle


def _record_console(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(f"console error: {message.text}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Keep the call phase's report on the item so the page fixture knows the test failed.
    report = yield
    if report.when == "call":
        item._sinergi_call_report = report  # type: ignore[attr-defined]
    return report


@pytest.fixture
def shot(page: Page) -> Callable[[str], Path]:
    """``shot(name)``: :func:`save_shot` of the test's page, without importing this module."""
    return lambda name: save_shot(page, name)


def save_shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as ``test-artifacts/screenshots/NAME.png``; returns the path."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "screenshot"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- live server ----------------------------------------------------------------------------------


class LiveServer:
    """An ASGI app served by uvicorn in a daemon thread on 127.0.0.1 and a free port."""

    def __init__(self, app: Any) -> None:
        # Binding the socket here, not in uvicorn, gives the port before the thread starts and
        # leaves no window in which another test could take it.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="auto",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"uvicorn for {self.url} stopped during startup (see log)")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"uvicorn for {self.url} not started in {SERVER_START_TIMEOUT_S}s"
                )
            time.sleep(0.02)
        # started is set once the socket listens; a connection proves it accepts requests.
        with socket.create_connection(("127.0.0.1", self.port), timeout=5):
            pass
        return self.url

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout=5)
        self._socket.close()


@pytest.fixture
def live_server() -> Iterator[Callable[[Any], str]]:
    servers: list[LiveServer] = []

    def start(app: Any) -> str:
        server = LiveServer(app)
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in reversed(servers):
            server.stop()
