from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from articles import feedback
from articles import search as site_search
from articles.forms import FeedbackForm
from articles.models import Article, Person, Tag, Topic
from articles.page_cache import cache_public_page
from articles.pages import render_article_page
from cramps_site.env import DEFAULT_ADMIN_PATH
from cramps_site.origin_csrf import origin_checked

LIST_PAGE_SIZE = 12


@cache_public_page()
def home(request):
    articles = Article.objects.published().for_listing()
    featured = articles.filter(featured=True).first() or articles.first()
    latest = articles.exclude(pk=featured.pk)[:6] if featured else []
    return render(
        request,
        "articles/home.html",
        {"featured": featured, "latest": latest, "topics": Topic.objects.with_article_counts()},
    )


@cache_public_page(params=("comments_page", "comments_order", "reply_to", "helpful"))
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().for_article_page(), slug=slug)
    return render_article_page(request, article)


FEEDBACK_LIMITED = (
    "Thank you. We have had many answers from your network just now: please try again later."
)


@require_POST
@origin_checked
def article_feedback(request, slug):
    """ "Was this page helpful?": no JavaScript, no cookie, a thank-you where the reader was."""
    article = get_object_or_404(Article.objects.published().for_article_page(), slug=slug)
    form = FeedbackForm(request.POST, article=article)
    if not form.is_valid():
        return _article_with_feedback(request, article, form, status=400)
    if not feedback.allows_feedback(request):
        response = _article_with_feedback(request, article, form, status=429)
        response["Retry-After"] = str(feedback.LIMIT_SECONDS)
        return response
    feedback.record_feedback(article, form.is_helpful, form.cleaned_data["note"])
    return HttpResponseRedirect(feedback.thanks_url(article), status=303)


def _article_with_feedback(request, article, form, status):
    limited = FEEDBACK_LIMITED if status == 429 else ""
    context = {"feedback_form": form, "feedback_limited": limited}
    return render_article_page(request, article, status=status, extra_context=context)


def _listing(request, template, queryset, **context):
    """One page of articles; a page that does not exist is a 404, not a copy."""
    try:
        page = Paginator(queryset, LIST_PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    return render(request, template, {"page_obj": page, **context})


@cache_public_page(params=("page",))
def article_list(request):
    return _listing(
        request, "articles/article_list.html", Article.objects.published().for_listing()
    )


@cache_public_page(params=("page",))
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.with_article_counts(), slug=slug)
    articles = Article.objects.published().for_listing().filter(topic=topic)
    return _listing(request, "articles/topic_detail.html", articles, topic=topic)


@cache_public_page()
def topic_list(request):
    return render(
        request, "articles/topic_list.html", {"topics": Topic.objects.with_article_counts()}
    )


@cache_public_page(params=("page",))
def tag_detail(request, slug):
    tag = get_object_or_404(Tag.objects.in_use(), slug=slug)
    articles = Article.objects.published().for_listing().filter(tags=tag)
    return _listing(request, "articles/tag_detail.html", articles, tag=tag)


def tag_list(request):
    return render(request, "articles/tag_list.html", {"tags": Tag.objects.with_article_counts()})


def person_detail(request, slug):
    """Who wrote or reviewed what: readers of health content judge the source."""
    person = get_object_or_404(Person.objects.credited(), slug=slug)
    articles = Article.objects.published().for_listing()
    return render(
        request,
        "articles/person_detail.html",
        {
            "person": person,
            "written": articles.filter(author=person),
            "reviewed": articles.filter(reviewer=person),
        },
    )


def search(request):
    query = site_search.clean_query(request.GET.get("q", ""))
    hits = site_search.search(query) if query else []
    did_you_mean = site_search.suggestion(query) if query else None
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
        {"query": query, "hits": hits, "did_you_mean": did_you_mean, **suggestions},
    )


@require_GET
def robots_txt(request):
    sitemap = settings.SITE_URL + reverse("sitemap")
    # A moved admin (DJANGO_ADMIN_PATH) is not named: robots.txt is public and would
    # hand its path to anyone. Its pages tell crawlers not to index them anyway.
    admin = (
        [f"Disallow: /{DEFAULT_ADMIN_PATH}"] if settings.ADMIN_PATH == DEFAULT_ADMIN_PATH else []
    )
    lines = ["User-agent: *", *admin, "Disallow: /comments/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
