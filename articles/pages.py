"""The article page as readers see it: the one way to render it, for any app.

The article view, the admin's preview and other apps' views (the comments
app shows the article again with a form that needs fixing) all call
render_article_page(). What goes under the article comes from the functions
named in settings.ARTICLE_PAGE_SECTIONS, so this app never imports the apps
that add them. Each is called as ``section(request, article, **options)`` with
the options given to render_article_page(), and returns its HTML as a
SafeString (as render_to_string does).

Everything on the page but those sections is the same for every reader: the
frame (articles/frames.py). Each process keeps the frames it uses, per
article and articles' version (articles/page_cache.py); one it does not have
is read from the database (articles/stored_frames.py), or else rendered
here and stored there for the others. A reader who gets a page of their own
(their pending comment, a message) or the first reader after a comment
decision pays for the sections alone.
"""

import time
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from articles import feedback, page_cache, stored_frames
from articles.frames import TEMPLATE, article_context, render_frame
from articles.models import Article


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
    before, after = frame(request, article)
    return HttpResponse(f"{before}{''.join(sections)}{after}", status=status)


FRAMES = page_cache.PageStore(settings.PAGE_CACHE_ENTRIES)


def frame(request, article: Article) -> tuple[str, str]:
    """The page before and after the sections, as every reader sees it.

    Its related cards' comment counts are read again, in one query, when the
    site version has moved on (a comment decision), and the frame refilled.
    """
    thanks = request.GET.get("helpful") == feedback.THANKS
    key = (article.pk, thanks)
    version = page_cache.request_version(request)
    kept = FRAMES.get(key)
    if kept is None or kept.version != version.articles or time.time() >= kept.expires:
        # The "thank you" variant is rare: rendered where it is asked for, never stored.
        kept = None if thanks else stored_frames.stored_frame(article, version.articles)
        if kept is None:
            return _render(key, article, thanks, version)
        FRAMES.put(key, kept)
    filled_under, before, after = kept.filled
    if filled_under == version.site:
        return before, after
    counts = kept.counts()
    if len(counts) < len(set(kept.related_ids)):
        # A related article is gone without the articles' version moving: render afresh.
        return _render(key, article, thanks, version)
    return kept.fill(version.site, counts)


def _render(key, article: Article, thanks: bool, version: page_cache.Version) -> tuple[str, str]:
    """Render the frame here, keep it, and store it for other processes."""
    rendered, counts = render_frame(article, thanks, version.articles)
    if not thanks:
        stored_frames.keep_rendered_frame(article, rendered)
    FRAMES.put(key, rendered)
    return rendered.fill(version.site, counts)


@receiver(setting_changed)
def forget_frames_rendered_with_other_settings(**kwargs):
    FRAMES.clear()
