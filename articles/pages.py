"""The article page as readers see it: the one way to render it, for any app.

The article view, the admin's preview and other apps' views (the comments
app shows the article again with a form that needs fixing) all call
render_article_page(). What goes under the article comes from the functions
named in settings.ARTICLE_PAGE_SECTIONS, so this app never imports the apps
that add them. Each is called as ``section(request, article, **options)`` with
the options given to render_article_page(), and returns its HTML as a
SafeString (as render_to_string does).

Everything on the page but those sections is the same for every reader, so
it is rendered once per article and content version (articles/page_cache.py)
and kept in each process as a frame the sections are put into: a reader who
gets a page of their own (their pending comment, a message) or the first
reader after a change pays for the sections alone. A frame lives no longer
than a cached page would (PAGE_CACHE_SECONDS, the next scheduled
publication), as the related articles and the footer's year move on too.
"""

import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import prefetch_related_objects
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from articles import feedback, page_cache
from articles.forms import FeedbackForm
from articles.models import Article

TEMPLATE = "articles/article_detail.html"
# Where the sections go in a frame: no template or article text can hold it.
SECTIONS = "\x00sections\x00"


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


@dataclass(frozen=True)
class Frame:
    version: str
    expires: float
    before: str
    after: str


FRAMES = page_cache.PageStore(settings.PAGE_CACHE_ENTRIES)


def _frame(request, article: Article) -> tuple[str, str]:
    """The page around the sections, rendered once per article and content version."""
    thanks = request.GET.get("helpful") == feedback.THANKS
    key = (article.pk, thanks)
    version = page_cache.request_version(request)
    now = time.time()
    frame = FRAMES.get(key)
    if frame is None or frame.version != version or now >= frame.expires:
        context = article_context(request, article) | {"sections": [SECTIONS], "preview": False}
        page = render(request, TEMPLATE, context).content.decode()
        before, after = page.split(SECTIONS)
        frame = Frame(version, page_cache.expiry(now), before, after)
        FRAMES.put(key, frame)
    return frame.before, frame.after


@receiver(setting_changed)
def forget_frames_rendered_with_other_settings(**kwargs):
    FRAMES.clear()
