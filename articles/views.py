from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles import search as site_search
from articles.models import Article, Tag, Topic
from articles.pages import render_article_page

LIST_PAGE_SIZE = 12


def home(request):
    articles = Article.objects.published().for_listing()
    featured = articles.filter(featured=True).first() or articles.first()
    latest = articles.exclude(pk=featured.pk)[:6] if featured else []
    return render(
        request,
        "articles/home.html",
        {"featured": featured, "latest": latest, "topics": Topic.objects.with_article_counts()},
    )


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().for_article_page(), slug=slug)
    return render_article_page(request, article)


def _listing(request, template, queryset, **context):
    """One page of articles; a page that does not exist is a 404, not a copy."""
    try:
        page = Paginator(queryset, LIST_PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    return render(request, template, {"page_obj": page, **context})


def article_list(request):
    return _listing(
        request, "articles/article_list.html", Article.objects.published().for_listing()
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.with_article_counts(), slug=slug)
    articles = Article.objects.published().for_listing().filter(topic=topic)
    return _listing(request, "articles/topic_detail.html", articles, topic=topic)


def topic_list(request):
    return render(
        request, "articles/topic_list.html", {"topics": Topic.objects.with_article_counts()}
    )


def tag_detail(request, slug):
    tag = get_object_or_404(Tag.objects.in_use(), slug=slug)
    articles = Article.objects.published().for_listing().filter(tags=tag)
    return _listing(request, "articles/tag_detail.html", articles, tag=tag)


def search(request):
    query = site_search.clean_query(request.GET.get("q", ""))
    hits = site_search.search(query) if query else []
    suggestions = {}
    if not hits:
        suggestions = {
            "topics": Topic.objects.with_article_counts(),
            "popular": Article.objects.published()
            .for_listing()
            .order_by("-featured", "-approved_comment_count", "-publish_at")[:5],
        }
    return render(
        request,
        "articles/search.html",
        {"query": query, "hits": hits, **suggestions},
    )


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /comments/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
