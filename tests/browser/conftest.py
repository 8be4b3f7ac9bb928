"""Chromium through Playwright against pytest-django's live server.

Debian's Chromium is launched directly: Playwright's own browser download
does not work on our machines. Without it the browser tests skip, unless
REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_steps import MODERATOR_PASSWORD, MODERATOR_USERNAME
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from articles.content_loader import load_all
from articles.search import FTS_TABLE
from comments.config import CommentSettings

# Playwright's sync API runs an event loop in this thread, so Django sees an
# async context and refuses ORM calls from fixtures and tests; the live server
# runs in its own thread, so nothing here is actually concurrent.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Schemes that never touch the network.
LOCAL_SCHEMES = {"data", "blob", "about"}
# Chromium logs every 4xx response as a console error; some pages are meant to
# answer 400 (a rejected comment) or 404. Those lines are not script errors.
HTTP_STATUS_LINE = re.compile(
    r"Failed to load resource: the server responded with a status of 4\d\d"
)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM_PATH).exists():
        reason = f"Chromium not found at {CHROMIUM_PATH} (set CHROMIUM_PATH or install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class SerialWSGIServer(WSGIServer):
    """Answers one request at a time, closing each connection after it.

    With SQLite the test database lives in memory, and the live server shares
    that one connection across its threads; two requests at once (a page's
    avatars, say) then collide inside sqlite3 and fail at random.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, made serial (see SerialWSGIServer)."""
    server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"), start=False)
    server.thread.server_class = SerialWSGIServer
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_site(live_server, transactional_db):
    """The live server's address, with the site's shipped articles loaded."""
    if connection.vendor == "sqlite":
        # The FTS5 table is created by a migration, not a model, so the flush
        # between transactional tests leaves its rows behind; clear them.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    load_all()
    # The anti-spam rules (issue 5) rightly stop a form posted at machine speed,
    # again and again, from one address: in these journeys that is a person.
    # Their counters and the cached settings live in the cache, so start clean.
    cache.clear()
    CommentSettings.objects.update_or_create(
        pk=1, defaults={"min_seconds_to_submit": 0, "rate_limits": "off"}
    )
    yield live_server.url
    # The database cache's table outlives the flush: leave no settings behind.
    cache.clear()


@pytest.fixture
def a_moderator(transactional_db):
    """A staff user who may moderate comments in the admin."""
    return get_user_model().objects.create_superuser(
        MODERATOR_USERNAME, "moderator@example.com", MODERATOR_PASSWORD
    )


class Watch:
    """What the pages of one test asked for and complained about."""

    def __init__(self):
        self.outside_requests: list[str] = []
        self.console_errors: list[str] = []
        self.allowed = [HTTP_STATUS_LINE]

    def request(self, request):
        if not is_local(request.url):
            self.outside_requests.append(request.url)

    def console(self, message):
        if message.type == "error" and not any(p.search(message.text) for p in self.allowed):
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def page_error(self, error):
        self.console_errors.append(f"uncaught: {error}")

    def attach(self, context):
        context.on("request", self.request)
        context.on("page", lambda page: self.attach_page(page))
        # Anything non-local is also stopped, so a leak fails fast, not by timeout.
        context.route(lambda url: not is_local(url), lambda route: route.abort())

    def attach_page(self, page):
        page.on("console", self.console)
        page.on("pageerror", self.page_error)


@pytest.fixture
def watch():
    """Fails the test if any page reached off 127.0.0.1 or logged an error."""
    seen = Watch()
    yield seen
    assert not seen.outside_requests, f"requests left 127.0.0.1: {seen.outside_requests}"
    assert not seen.console_errors, f"console errors: {seen.console_errors}"


@pytest.fixture
def new_context(browser, live_site, watch):
    """Makes watched browser contexts on the live site (a fresh cookie jar each)."""
    contexts = []

    def make(**options):
        # Bootstrap scrolls smoothly unless motion is reduced, and Playwright
        # waits for every scroll to settle before it clicks: reduce it.
        defaults = {
            "base_url": live_site,
            "viewport": {"width": 1280, "height": 900},
            "reduced_motion": "reduce",
        }
        options = defaults | options
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)
        watch.attach(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A JavaScript-enabled page on the live site."""
    return new_context().new_page()


@pytest.fixture
def nojs_page(new_context):
    """A page on the live site with JavaScript turned off."""
    return new_context(java_script_enabled=False).new_page()
