"""Chromium through Playwright against pytest-django's live server.

Debian's Chromium is launched directly: Playwright's own browser download
does not work on our machines. Without it the browser tests skip, unless
REQUIRE_BROWSER is 1, true or yes (CI), where a missing browser is a failure.
"""

import importlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_steps import MODERATOR_PASSWORD, MODERATOR_USERNAME
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from articles.content_loader import load_all
from articles.search import FTS_TABLE
from comments.models import CommentSettings
from scripts.chromium import CHROMIUM_PATH, launch

SHIPPED_PHRASES = importlib.import_module("comments.migrations.0002_default_phrases")
# Where the live server listens (host or host:port, as pytest-django takes it),
# and so the only host a page may ask anything of.
LIVE_SERVER_ADDRESS = os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
LIVE_SERVER_HOST = LIVE_SERVER_ADDRESS.rpartition(":")[0] or LIVE_SERVER_ADDRESS
# Schemes that never touch the network.
LOCAL_SCHEMES = {"data", "blob", "about"}
# Chromium also logs each 4xx or 5xx response as a console error. Watch.response
# judges those from the responses themselves, which say what was asked for.
HTTP_STATUS_LINE = re.compile(
    r"Failed to load resource: the server responded with a status of \d\d\d"
)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname == LIVE_SERVER_HOST


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="module", autouse=True)
def orm_beside_playwright():
    """Lets fixtures and tests use the ORM while Playwright's event loop runs.

    Playwright's sync API keeps an asyncio loop running in this thread from
    start to stop, so Django sees an async context and refuses ORM calls. The
    live server has its own thread, so nothing here is concurrent. The loop
    lives as long as the browser fixture, in this module's scope: the flag
    goes when it does, so no test outside tests/browser runs with it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(orm_beside_playwright):
    """A headless Chromium for the test module (see orm_beside_playwright)."""
    if not Path(CHROMIUM_PATH).exists():
        reason = f"Chromium not found at {CHROMIUM_PATH} (set CHROMIUM_PATH or install chromium)"
        if browser_required():
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = launch(playwright)
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
    server = LiveServer(LIVE_SERVER_ADDRESS, start=False)
    server.thread.server_class = SerialWSGIServer
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_site(live_server, transactional_db):
    """The live server's address, with the site's shipped articles and word lists."""
    if connection.vendor == "sqlite":
        # The FTS5 table is created by a migration, not a model, so the flush
        # between transactional tests leaves its rows behind; clear them.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    load_all()
    # The flush between transactional tests also empties the moderation word
    # lists a migration ships; the urgent-help note depends on them.
    SHIPPED_PHRASES.seed_phrases(apps, schema_editor=None)
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
    """What the pages of one test asked for, got, and complained about."""

    def __init__(self):
        self.outside_requests: list[str] = []
        self.failed_responses: list[str] = []
        self.console_errors: list[str] = []
        self.expected_page_statuses: set[int] = set()

    def expect_page_status(self, *statuses: int) -> None:
        """Let a page itself answer with these (a 404, a 400 for a rejected form)."""
        self.expected_page_statuses.update(statuses)

    def request(self, request):
        if not is_local(request.url):
            self.outside_requests.append(request.url)

    def response(self, response):
        """Any failed CSS, script, image or avatar fails the test; pages as expected."""
        if response.status < 400:
            return
        request = response.request
        is_page = request.resource_type == "document" and request.is_navigation_request()
        if is_page and response.status in self.expected_page_statuses:
            return
        kind = "page" if is_page else request.resource_type
        self.failed_responses.append(f"{response.status} for {kind} {response.url}")

    def console(self, message):
        if message.type == "error" and not HTTP_STATUS_LINE.search(message.text):
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def page_error(self, error):
        self.console_errors.append(f"uncaught: {error}")

    def attach(self, context):
        context.on("request", self.request)
        context.on("response", self.response)
        context.on("page", lambda page: self.attach_page(page))
        # Anything non-local is also stopped, so a leak fails fast, not by timeout.
        context.route(lambda url: not is_local(url), lambda route: route.abort())

    def attach_page(self, page):
        page.on("console", self.console)
        page.on("pageerror", self.page_error)


@pytest.fixture
def watch():
    """Fails the test if a page reached off 127.0.0.1, failed to load, or logged an error."""
    seen = Watch()
    yield seen
    assert not seen.outside_requests, f"requests left 127.0.0.1: {seen.outside_requests}"
    assert not seen.failed_responses, f"failed responses: {seen.failed_responses}"
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
def approved_comments(live_site):
    """A few approved comments, with replies, on every article."""
    call_command("seed_demo_comments", per_article=6, status="approved", seed=6, stdout=None)
