"""The public pages' cache: whole anonymous responses, kept in each process's memory.

Why this shape (issue 10, docs/performance.md):

- A hit must cost at most one SQL query, so pages live in a bounded LRU in
  each process, and only a small content version is shared: two rows in the
  database (PageVersion), read with one plain query. Reading a 116 KB page
  from the SQLite cache on every hit could not reach half the speed of a
  static file, and even Django's database cache API costs three times a
  plain query for a 32-byte value.
- The key is the path, the query parameters the view reads (so ``?fbclid=``
  on a shared link still hits) and that version. ``bump_site_version()``
  writes a new version, so every worker and every server sharing the
  database renders afresh on its next request: invalidation is exact.
- The version has two parts, read together: the site's (every change
  readers see moves it) and the articles' own (what an article page shows
  around its comments: moved by article, topic, tag and people changes, not
  by comment decisions), under which the article page's frame is kept
  (articles/pages.py) and stored (articles/stored_frames.py).
- Each article also has a discussion version (DiscussionVersion), moved with
  the site's by every decision on its comments and read with the article
  itself, under which each process keeps the article's published comments
  (comments/threads.py): a change elsewhere leaves them kept.
- Only readers with no state of their own share the cached copy: a request
  carrying a session (staff), flash messages or an app's private cookie (the
  comments app's own-comment cookie) gets a per-request render, marked
  ``private``, which is never stored. A response that sets a cookie or holds
  a CSRF token is never stored either.
- Per-response parts, registered by apps with ``fresh_part()`` (the comment
  form's signed render time), are cut out of the stored copy and made afresh
  for every response; the page is gzipped once (cramps_site/gzip_segments.py).
- A stored page lives at most PAGE_CACHE_SECONDS (relative dates such as
  "5 minutes ago" move on) and never past the next scheduled publication,
  so an article published at a future time appears on time.
- Conditional GET: a weak ETag over the stored page; it also changes every
  hour, so a 304 never leaves a browser with a form older than that.
"""

import hashlib
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from articles.models import Article, DiscussionVersion, PageVersion
from cramps_site.gzip_segments import SplicedPage
from cramps_site.messages import QuietCookieStorage

# The site's version (every change readers see) and the articles' (their own content).
ROW = 1
ARTICLES_ROW = 2
VERSION_SQL = f"SELECT id, value FROM {PageVersion._meta.db_table} WHERE id IN (%s, %s)"  # noqa: S608
# An ETag lasts at most this long, so a 304 keeps no form older than it.
ETAG_SECONDS = 3600
CACHEABLE_METHODS = {"GET", "HEAD"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers made per response, not stored with the page.
PER_RESPONSE_HEADERS = {"content-length", "content-encoding", "etag", "cache-control"}
SHARED = "public, no-cache"
PRIVATE = "private, no-cache"


# The API for code that changes what pages show


class Version(NamedTuple):
    """The content version a request reads: the site's, and the articles' own."""

    site: str
    articles: str


def bump_site_version() -> str:
    """Every cached page is out of date, article frames too: all render afresh.

    Written in the caller's transaction, so the new version becomes visible
    with the change itself: a render that read the old rows was stored under
    the old version, which no request asks for any more. Returns the new
    version, the articles' part as the site's (both are given the same value).
    """
    return _bump((ROW, ARTICLES_ROW))


def _bump(rows: tuple[int, ...]) -> str:
    value = uuid.uuid4().hex
    if PageVersion.objects.filter(pk__in=rows).update(value=value) < len(rows):
        # A new (or flushed) database: both rows, whichever was asked for.
        for pk in (ROW, ARTICLES_ROW):
            if pk in rows:
                PageVersion.objects.update_or_create(pk=pk, defaults={"value": value})
            else:
                PageVersion.objects.get_or_create(pk=pk, defaults={"value": uuid.uuid4().hex})
    return value


def invalidate_article(article_id: int) -> None:
    """Something under this article changed: its comments, its count, its text."""
    invalidate_articles([article_id])


def invalidate_articles(article_ids: Iterable[int]) -> None:
    """Several articles changed at once (a bulk moderation decision).

    Article cards on the home, listing, topic, tag, search and related lists
    show each article's comment count, so a change to one article is a change
    to many pages: this bumps the site version. Not the articles' own: an
    article page's frame is kept, its related cards' counts filled in per
    version (articles/pages.py). Each article's discussion version moves too,
    so what processes keep of its comments is read again (comments/threads.py).
    """
    ids = sorted({pk for pk in article_ids if pk is not None})
    if ids:
        _bump((ROW,))
        value = uuid.uuid4().hex
        DiscussionVersion.objects.bulk_create(
            [DiscussionVersion(article_id=pk, value=value) for pk in ids],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["value"],
        )


def current_version() -> Version:
    """The shared content version: one SQL query, through a plain cursor.

    The ORM would cost more than the rest of a cache hit; this is our own
    two-row table, so the SQL is ours to write.
    """
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [ROW, ARTICLES_ROW])
        values = dict(cursor.fetchall())
    if len(values) < 2:
        # A new database (or a flushed one): start a version.
        for pk in (ROW, ARTICLES_ROW):
            if pk not in values:
                values[pk] = PageVersion.objects.get_or_create(
                    pk=pk, defaults={"value": uuid.uuid4().hex}
                )[0].value
    return Version(values[ROW], values[ARTICLES_ROW])


def discussion_version(request, article: Article) -> tuple | None:
    """What the article's published comments are kept under in a process (comments/threads.py).

    Its discussion version, read with it (ArticleQuerySet.for_article_page);
    for an article with none yet (no comment decided since its creation),
    the articles' version; for one read without it, None: nothing is kept.
    """
    if not Article.discussion.is_cached(article):
        return None
    try:
        return ("discussion", article.discussion.value)
    except DiscussionVersion.DoesNotExist:
        return ("articles", request_version(request).articles)


def request_version(request) -> Version:
    """The content version this request reads: one query per request, whoever asks."""
    version = getattr(request, "page_version", None)
    if version is None:
        version = request.page_version = current_version()
    return version


# What apps register


@dataclass(frozen=True)
class FreshPart:
    """A piece of a page made for each response: a pattern whose group 1 is replaced."""

    pattern: re.Pattern[bytes]
    make: Callable[[bytes], bytes]


FRESH_PARTS: list[FreshPart] = []
PRIVATE_COOKIES: set[str] = set()


def fresh_part(pattern: bytes, make: Callable[[bytes], bytes]) -> None:
    """Register a per-response part: make(stored value) gives this response's value.

    Made at most once a second per page: every response within one second
    shares the value, so make() must depend on nothing finer than the second.
    """
    FRESH_PARTS.append(FreshPart(re.compile(pattern), make))


def private_cookie(name: str) -> None:
    """Register a cookie that makes a reader's pages their own: never from the cache."""
    PRIVATE_COOKIES.add(name)


@dataclass(frozen=True)
class Policy:
    """How a view's page is cached: which query parameters change it."""

    params: tuple[str, ...] = ()

    def key(self, request) -> tuple:
        if not self.params or not request.META.get("QUERY_STRING"):
            return (request.path, (None,) * len(self.params))
        return (request.path, tuple(request.GET.get(name) for name in self.params))


def cache_public_page(params: Iterable[str] = ()):
    """Mark a view whose anonymous page may be shared by every reader."""

    def mark(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        wrapped.page_cache = Policy(tuple(params))
        return wrapped

    return mark


# The stored page


@dataclass(frozen=True)
class Entry:
    version: Version
    expires: float
    status: int
    headers: tuple[tuple[str, str], ...]
    page: SplicedPage
    stored_parts: tuple[tuple[FreshPart, bytes], ...]
    digest: str
    this_second: dict = field(default_factory=dict, compare=False)

    def etag(self) -> str:
        return f'W/"{self.digest}-{int(time.time() // ETAG_SECONDS)}"'

    def respond(self, request) -> HttpResponse:
        etag = self.etag()
        meta = request.META  # not request.headers: building that costs more than a hit
        if meta.get("HTTP_IF_NONE_MATCH") == etag:
            response = HttpResponseNotModified()
        else:
            gzipped = bool(ACCEPTS_GZIP.search(meta.get("HTTP_ACCEPT_ENCODING", "")))
            body = self.body(gzipped)
            response = HttpResponse(body, status=self.status)
            for name, value in self.headers:
                response[name] = value
            if gzipped:
                response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(body))
        response["ETag"] = etag
        response["Cache-Control"] = SHARED
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    def body(self, gzipped: bool) -> bytes:
        """This second's bytes: fresh parts are made at most once a second per page."""
        second = int(time.time())
        if self.this_second.get("second") != second:
            self.this_second.clear()
            self.this_second["second"] = second
        if gzipped not in self.this_second:
            parts = [part.make(value) for part, value in self.stored_parts]
            page = self.page.gzip(parts) if gzipped else self.page.raw(parts)
            self.this_second[gzipped] = page
        return self.this_second[gzipped]


def storable(response) -> bool:
    """Only a plain 200 page that holds and sets nothing of one reader's."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and response.get("Content-Type", "").startswith("text/html")
        and b"csrfmiddlewaretoken" not in response.content
    )


def split_fresh_parts(body: bytes) -> tuple[list[bytes], list[tuple[FreshPart, bytes]]]:
    """The page cut at every registered part: fixed segments and (part, stored value)."""
    found = sorted(
        (match.start(1), match.end(1), part)
        for part in FRESH_PARTS
        for match in part.pattern.finditer(body)
    )
    segments, parts, at = [], [], 0
    for start, end, part in found:
        segments.append(body[at:start])
        parts.append((part, body[start:end]))
        at = end
    segments.append(body[at:])
    return segments, parts


def make_entry(response, version: Version, expires: float) -> Entry:
    segments, parts = split_fresh_parts(response.content)
    headers = tuple(
        (name, value)
        for name, value in response.items()
        if name.lower() not in PER_RESPONSE_HEADERS
    )
    digest = hashlib.blake2b(b"\0".join(segments), digest_size=12).hexdigest()
    return Entry(
        version=version,
        expires=expires,
        status=response.status_code,
        headers=headers,
        page=SplicedPage.of(segments),
        stored_parts=tuple(parts),
        digest=digest,
    )


class PageStore:
    """A bounded, thread-safe LRU of entries in this process."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry: Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


STORE = PageStore(settings.PAGE_CACHE_ENTRIES)


@receiver(setting_changed)
def forget_pages_rendered_with_other_settings(**kwargs):
    """A deploy restarts every process; tests that change a setting get the same."""
    STORE.clear()
    policy_of_path.cache_clear()


def expiry(now: float) -> float:
    """When a page stored now must be rendered again, even if nothing is bumped."""
    expires = now + settings.PAGE_CACHE_SECONDS
    next_publication = Article.objects.next_publication_time()
    if next_publication is not None:
        expires = min(expires, next_publication.timestamp())
    return expires


@lru_cache(maxsize=4096)
def policy_of_path(path: str) -> Policy | None:
    """The view's cache policy, or None; remembered, as URLs resolve the same way."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "page_cache", None)


class PageCacheMiddleware:
    """Serves and stores pages of views marked with @cache_public_page.

    Sits outside the session, CSRF, messages and CSP middleware, so a hit
    skips them and a stored page keeps the headers they set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        policy = self.policy_for(request)
        if policy is None:
            return self.get_response(request)
        if self.is_private(request):
            response = self.get_response(request)
            response["Cache-Control"] = PRIVATE
            return response
        key = policy.key(request)
        # The article page's frame (articles/pages.py) is kept under it too.
        version = request.page_version = current_version()
        now = time.time()
        entry = STORE.get(key)
        if entry is not None and entry.version == version and now < entry.expires:
            return entry.respond(request)
        response = self.get_response(request)
        if not storable(response):
            return response
        entry = make_entry(response, version, expiry(now))
        STORE.put(key, entry)
        return entry.respond(request)

    @staticmethod
    def policy_for(request) -> Policy | None:
        if request.method not in CACHEABLE_METHODS or settings.PAGE_CACHE_SECONDS <= 0:
            return None
        return policy_of_path(request.path_info)

    @staticmethod
    def is_private(request) -> bool:
        cookies = request.COOKIES
        return (
            settings.SESSION_COOKIE_NAME in cookies
            or QuietCookieStorage.cookie_name in cookies
            or any(name in cookies for name in PRIVATE_COOKIES)
        )
