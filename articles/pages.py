"""The article page as readers see it: the one way to render it, for any app.

The article view, the admin's preview and other apps' views (the comments
app shows the article again with a form that needs fixing) all call
render_article_page(). What goes under the article comes from the functions
named in settings.ARTICLE_PAGE_SECTIONS, so this app never imports the apps
that add them. Each is called as ``section(request, article, **options)`` with
the options given to render_article_page(), and returns its HTML as a
SafeString (as render_to_string does).
"""

from functools import cache

from django.conf import settings
from django.shortcuts import render
from django.utils.module_loading import import_string

from articles import feedback
from articles.forms import FeedbackForm
from articles.models import Article

TEMPLATE = "articles/article_detail.html"


def article_context(request, article: Article) -> dict:
    """What the article itself shows: its text, tags, related reading and "Was this helpful?"."""
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
    context = article_context(request, article) | {"sections": sections, "preview": preview}
    context |= extra_context or {}
    return render(request, TEMPLATE, context, status=status)
