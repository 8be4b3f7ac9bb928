"""The article page as readers see it: the one way to render it, for any app.

The article view, the admin's preview and other apps' views (the comments
app shows the article again with a form that needs fixing) all call
render_article_page(). What goes under the article comes from the functions
named in settings.ARTICLE_PAGE_SECTIONS, so this app never imports the apps
that add them. Each is called as ``section(request, article, **options)`` with
the options given to render_article_page(), and returns its HTML as a
SafeString (as render_to_string does).

Everything on the page but those sections is the same for every reader: the
frame (articles/frames.py), rendered once and put around the sections.
"""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from articles.frames import TEMPLATE, article_context, frame
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
