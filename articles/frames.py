"""The article page's frame: everything on it but what other apps add under it.

The frame is the same for every reader, so no reader should pay for it:

- It is rendered once per article and articles' version
  (articles/page_cache.py), for a reader with nothing of their own, and
  kept in each process: a reader who gets a page of their own (their
  pending comment, a message) or the first reader after a comment decision
  pays for the sections alone.
- When articles change (the admin, the content loader: articles_changed()),
  a task renders every published article's frame under the new version and
  stores it (PageFrame), once for every process and server sharing the
  database: the first reader after the change, and a new process, read it
  with one query instead of rendering it. Until the task has run, a process
  renders the frames it needs itself.
- A stored frame is used only under the articles' version and the stamp it
  was rendered with (frame_stamp(): code, templates, static files' names,
  settings), so a deploy never serves an old one.
- A frame lives until the next scheduled publication (its related articles
  move on then) or the new year (its footer's), whichever comes first.

Comments touch the frame only through the related cards' comment counts:
the frame keeps a slot for each, filled in once per site version with one
query, so a comment decision (which moves the site version, not the
articles') re-renders no article template.
"""

import datetime
import hashlib
import importlib.metadata
import time
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.dispatch import receiver
from django.http import HttpRequest, QueryDict
from django.shortcuts import render
from django.tasks import task
from django.template.defaultfilters import pluralize
from django.utils import timezone

from articles import feedback, page_cache
from articles.forms import FeedbackForm
from articles.models import Article, PageFrame
from cramps_site.prepared_queries import Prepared, Slot

TEMPLATE = "articles/article_detail.html"
# Where the sections and the related cards' counts go while a frame is cut into
# pieces: no template or article text can hold these.
SECTIONS = "\x00sections\x00"
COUNT_SLOT = "\x00count {}\x00"
COUNT_SLOTS = "\x00count "


def article_context(request, article: Article) -> dict:
    """What the article itself shows: its text, tags, related reading and "Was this helpful?"."""
    prefetch_related_objects([article], "tags", "references")
    tags = list(article.tags.all())
    related = Article.objects.published().related_to(article, [t.pk for t in tags])
    return {
        "article": article,
        "tags": tags,
        "related": related,
        "feedback_form": FeedbackForm(article=article),
        "feedback_thanks": request.GET.get("helpful") == feedback.THANKS,
    }


def comment_count(count: int) -> str:
    """What an article card says of its comments (templates/includes/_article_card.html)."""
    return f"{count} comment{pluralize(count)}"


@dataclass
class Frame:
    """The page around the sections, in pieces: text (str), a related article's
    comment count (its pk, int) and, once, the sections (None).

    filled is the page with counts put in, and the site version they were read under.
    """

    version: str
    expires: float
    pieces: list
    filled: tuple = field(default=(None, "", ""))

    @cached_property
    def related_ids(self) -> list[int]:
        return [piece for piece in self.pieces if isinstance(piece, int)]

    def counts(self) -> dict[int, int]:
        """The related articles' comment counts, now: one query."""
        return dict(related_counts(len(self.related_ids)).bind(**self._ids).rows())

    @cached_property
    def _ids(self) -> dict[str, int]:
        return {related_slot(i).name: pk for i, pk in enumerate(self.related_ids)}

    def fill(self, site_version, counts: dict[int, int]) -> tuple[str, str]:
        before, after = [], []
        into = before
        for piece in self.pieces:
            if piece is None:
                into = after
            elif isinstance(piece, int):
                into.append(comment_count(counts[piece]))
            else:
                into.append(piece)
        self.filled = (site_version, "".join(before), "".join(after))
        return self.filled[1:]


FRAMES = page_cache.PageStore(settings.PAGE_CACHE_ENTRIES)


def frame(request, article: Article) -> tuple[str, str]:
    """The page before and after the sections, as every reader sees it.

    Kept in this process; else the stored one, if the task has rendered it
    for this version; else rendered here. Its related cards' comment counts
    are read again, in one query, when the site version has moved on (a
    comment decision), and the frame refilled.
    """
    thanks = request.GET.get("helpful") == feedback.THANKS
    key = (article.pk, thanks)
    version = page_cache.request_version(request)
    kept = FRAMES.get(key)
    if kept is None or kept.version != version.articles or time.time() >= kept.expires:
        kept = None if thanks else stored_frame(article, version.articles)
        if kept is None:
            kept, counts = render_frame(article, thanks, version.articles)
            FRAMES.put(key, kept)
            return kept.fill(version.site, counts)
        FRAMES.put(key, kept)
    filled_under, before, after = kept.filled
    if filled_under == version.site:
        return before, after
    counts = kept.counts()
    if len(counts) < len(set(kept.related_ids)):
        # A related article is gone without the articles' version moving: render afresh.
        kept, counts = render_frame(article, thanks, version.articles)
        FRAMES.put(key, kept)
    return kept.fill(version.site, counts)


def render_frame(article: Article, thanks: bool, version: str) -> tuple[Frame, dict[int, int]]:
    """The frame, rendered for a reader with nothing of their own; and its related
    cards' comment counts as read with them."""
    request = reader_request(article, thanks)
    context = article_context(request, article)
    related = list(context["related"])
    for card in related:
        card.comment_count_slot = COUNT_SLOT.format(card.pk)
    context |= {"related": related, "sections": [SECTIONS], "preview": False}
    page = render(request, TEMPLATE, context).content.decode()
    made = Frame(version, frame_expiry().timestamp(), pieces(page))
    return made, {card.pk: card.approved_comment_count for card in related}


def reader_request(article: Article, thanks: bool = False) -> HttpRequest:
    """A reader with no cookie, message or login asking for the article: whom a frame is for."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = article.get_absolute_url()
    if thanks:
        request.GET = QueryDict(f"helpful={feedback.THANKS}")
    return request


def pieces(page: str) -> list:
    """The page cut at the sections and the count slots (see Frame)."""
    cut = []
    for i, part in enumerate(page.split(COUNT_SLOTS)):
        if i:
            pk, part = part.split("\x00", 1)
            cut.append(int(pk))
        text, *rest = part.split(SECTIONS)
        cut.append(text)
        for text in rest:
            cut += [None, text]
    if cut.count(None) != 1:
        raise ValueError(f"{TEMPLATE} must show the sections once.")
    return cut


def frame_expiry() -> datetime.datetime:
    """When a frame rendered now must be rendered again, even if no article changes."""
    now = timezone.localtime()
    new_year = now.replace(year=now.year + 1, month=1, day=1, hour=0, minute=0, second=0)
    new_year = new_year.replace(microsecond=0)
    next_publication = Article.objects.next_publication_time()
    return min(new_year, next_publication or new_year)


# Any articles, in SQL built once per process (cramps_site/prepared_queries.py).
ARTICLE = Slot("article")


def related_slot(i: int) -> Slot:
    return Slot(f"related_{i}")


@cache
def related_counts(how_many: int) -> Prepared:
    """The comment counts of that many articles, by pk: bind(related_0=..., ...)."""
    slots = [related_slot(i) for i in range(how_many)]
    return Prepared.of(
        Article.objects.filter(pk__in=slots).values_list("pk", "approved_comment_count"), *slots
    )


# Frames rendered for every process and server


@cache
def _stored_query() -> Prepared:
    stored = PageFrame.objects.filter(article=ARTICLE)
    return Prepared.of(stored.values_list("version", "stamp", "expires", "pieces"), ARTICLE)


def stored_frame(article: Article, version: str) -> Frame | None:
    """The task's frame of this article for this version and code, if there is one."""
    for stored_version, stamp, expires, cut in _stored_query().bind(article=article.pk).rows():
        if (stored_version, stamp) == (version, frame_stamp()) and expires > timezone.now():
            return Frame(version, expires.timestamp(), cut)
    return None


def articles_changed() -> None:
    """Articles, topics, tags or people changed: every page renders afresh, and
    the frames are rendered again by a task once the change is committed."""
    page_cache.bump_site_version()
    transaction.on_commit(store_frames.enqueue)


@task
def store_frames() -> int:
    """Render and store each published article's frame under the articles' version.

    Skips those stored already for it; returns how many it stored. A change
    while it runs moves the version on, and enqueues this again.
    """
    version = page_cache.current_version().articles
    stamp = frame_stamp()
    done = PageFrame.objects.filter(version=version, stamp=stamp, expires__gt=timezone.now())
    articles = (
        Article.objects.published()
        .for_article_page()
        .exclude(pk__in=done.values("article"))
        .order_by("pk")
    )
    stored = 0
    for article in articles:
        made, _ = render_frame(article, False, version)
        expires = datetime.datetime.fromtimestamp(made.expires, datetime.UTC)
        PageFrame.objects.update_or_create(
            article=article,
            defaults={
                "version": version,
                "stamp": stamp,
                "expires": expires,
                "pieces": made.pieces,
            },
        )
        stored += 1
    return stored


@cache
def frame_stamp() -> str:
    """What renders a frame besides the content, as one value: this app's code, the
    templates, the static files' hashed names, the settings a page shows and the
    versions of Django and crispy-forms. A deploy that changes any gives a new stamp."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    sources = [*Path(__file__).parent.rglob("*.py"), *(root / "templates").rglob("*.html")]
    for path in sorted(sources):
        name = path.resolve().relative_to(root.resolve()).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
    static_names = getattr(staticfiles_storage, "hashed_files", {})
    digest.update(repr(sorted(static_names.items())).encode())
    shown = (settings.SITE_NAME, settings.SITE_URL, settings.STATIC_URL, settings.TIME_ZONE)
    packages = [importlib.metadata.version(name) for name in ("django", "django-crispy-forms")]
    digest.update(repr((shown, packages)).encode())
    return digest.hexdigest()[:32]


@receiver(setting_changed)
def forget_frames_rendered_with_other_settings(**kwargs):
    FRAMES.clear()
    frame_stamp.cache_clear()
