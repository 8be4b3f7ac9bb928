"""The article page as readers see it: the one way to render it, for any app.

The article view, the admin's preview and other apps' views (the comments
app shows the article again with a form that needs fixing) all call
render_article_page(). What goes under the article comes from the functions
named in settings.ARTICLE_PAGE_SECTIONS, so this app never imports the apps
that add them. Each is called as ``section(request, article, **options)`` with
the options given to render_article_page(), and returns its HTML as a
SafeString (as render_to_string does).

Everything on the page but those sections is the same for every reader, so
it is rendered once per article and articles' version (articles/page_cache.py)
and kept in each process as a frame the sections are put into: a reader who
gets a page of their own (their pending comment, a message) or the first
reader after a comment decision pays for the sections alone. A frame lives
no longer than a cached page would (PAGE_CACHE_SECONDS, the next scheduled
publication), as the related articles and the footer's year move on too.

Comments touch the frame only through the related cards' comment counts:
the frame keeps a slot for each, filled in once per site version with one
query, so a comment decision (which moves the site version, not the
articles') re-renders no article template.
"""

import re
import time
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import prefetch_related_objects
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.utils.module_loading import import_string

from articles import feedback, page_cache
from articles.forms import FeedbackForm
from articles.models import Article
from cramps_site.prepared_queries import Prepared

TEMPLATE = "articles/article_detail.html"
# Where the sections and the related cards' counts go in a frame: no template
# or article text can hold these.
SECTIONS = "\x00sections\x00"
COUNT_SLOT = "\x00count {}\x00"
COUNT_SLOTS = re.compile("\x00count (\\d+)\x00")


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


@cache
def _sections() -> list:
    return [import_string(path) for path in settings.ARTICLE_PAGE_SECTIONS]


def render_article_page(
    request, article: Article, *, status=200, preview=False, extra_context=None, **options
):
    """The page; a preview (drafts in the admin) shows the article alone.

    extra_context is this app's own (a feedback form coming back with its
    errors); options go to the sections.
    """
    sections = [] if preview else [section(request, article, **options) for section in _sections()]
    if preview or extra_context:
        context = article_context(request, article) | {"sections": sections, "preview": preview}
        context |= extra_context or {}
        return render(request, TEMPLATE, context, status=status)
    before, after = _frame(request, article)
    return HttpResponse(f"{before}{''.join(sections)}{after}", status=status)


def comment_count(count: int) -> str:
    """What an article card says of its comments (templates/includes/_article_card.html)."""
    return f"{count} comment{pluralize(count)}"


@dataclass
class Frame:
    """The page around the sections, cut at the related cards' count slots.

    pieces alternate text and a related article's pk; filled is the page
    with counts put in, and the site version they were read under.
    """

    version: str
    expires: float
    pieces: list
    counts: Prepared  # the related articles' comment counts
    filled: tuple = field(default=(None, "", ""))

    @property
    def related_ids(self) -> set[int]:
        return {int(pk) for pk in self.pieces[1::2]}

    def fill(self, site_version, counts: dict[int, int]) -> tuple[str, str]:
        text = "".join(
            piece if i % 2 == 0 else comment_count(counts[int(piece)])
            for i, piece in enumerate(self.pieces)
        )
        before, after = text.split(SECTIONS)
        self.filled = (site_version, before, after)
        return before, after


FRAMES = page_cache.PageStore(settings.PAGE_CACHE_ENTRIES)


def _frame(request, article: Article) -> tuple[str, str]:
    """The page around the sections, rendered once per article and articles' version.

    Its related cards' comment counts are read again, in one query, when the
    site version has moved on (a comment decision), and the frame refilled.
    """
    thanks = request.GET.get("helpful") == feedback.THANKS
    key = (article.pk, thanks)
    version = page_cache.request_version(request)
    now = time.time()
    frame = FRAMES.get(key)
    if frame is None or frame.version != version.articles or now >= frame.expires:
        context = article_context(request, article)
        related = list(context["related"])
        for card in related:
            card.comment_count_slot = COUNT_SLOT.format(card.pk)
        context |= {"related": related, "sections": [SECTIONS], "preview": False}
        page = render(request, TEMPLATE, context).content.decode()
        pieces = COUNT_SLOTS.split(page)
        counts = Article.objects.filter(pk__in=[card.pk for card in related]).values_list(
            "pk", "approved_comment_count"
        )
        frame = Frame(version.articles, page_cache.expiry(now), pieces, Prepared.of(counts))
        FRAMES.put(key, frame)
        return frame.fill(version.site, {card.pk: card.approved_comment_count for card in related})
    filled_under, before, after = frame.filled
    if filled_under == version.site:
        return before, after
    counts = dict(frame.counts.rows())
    if len(counts) < len(frame.related_ids):
        FRAMES.put(key, None)  # a related article is gone: render the frame again
        return _frame(request, article)
    return frame.fill(version.site, counts)


@receiver(setting_changed)
def forget_frames_rendered_with_other_settings(**kwargs):
    FRAMES.clear()
