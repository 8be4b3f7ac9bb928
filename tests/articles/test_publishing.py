"""published() is the single gate: drafts and scheduled articles never leak."""

import pytest
from django.urls import reverse

from articles import search
from articles.models import Article

HIDDEN_TITLES = ("Secret draft about zebrafish", "Scheduled piece on quokkas")


@pytest.fixture
def hidden_articles(a_draft_article, a_scheduled_article, a_tag):
    """A draft and a scheduled article, both tagged, next to a published one."""
    for article in (a_draft_article, a_scheduled_article):
        article.tags.add(a_tag)
    return [a_draft_article, a_scheduled_article]


def test_published_queryset_excludes_drafts_and_future(an_article, hidden_articles):
    assert list(Article.objects.published()) == [an_article]
    assert an_article.is_published()
    assert not any(article.is_published() for article in hidden_articles)


@pytest.mark.parametrize(
    "url",
    [
        reverse("articles:home"),
        reverse("articles:list"),
        reverse("articles:topic", args=["leg-cramps"]),
        reverse("articles:tag", args=["night-cramps"]),
        reverse("articles:feed"),
        reverse("sitemap"),
        reverse("articles:search") + "?q=zebrafish",
        reverse("articles:search") + "?q=quokkas",
    ],
)
def test_hidden_articles_are_not_listed_anywhere(client, an_article, hidden_articles, url):
    html = client.get(url).content.decode()
    for title in HIDDEN_TITLES:
        assert title not in html
    for article in hidden_articles:
        assert article.get_absolute_url() not in html


def test_hidden_articles_404(client, hidden_articles):
    for article in hidden_articles:
        assert client.get(article.get_absolute_url()).status_code == 404


def test_search_engine_never_returns_hidden_articles(hidden_articles):
    assert search.search("zebrafish") == []
    assert search.search("quokkas") == []


def test_staff_can_preview_a_draft_in_the_admin(admin_client, a_draft_article):
    url = reverse("admin:articles_article_preview", args=[a_draft_article.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Secret draft about zebrafish" in response.content.decode()
    assert 'content="noindex"' in response.content.decode()


def test_readers_cannot_open_the_preview(client, a_draft_article):
    url = reverse("admin:articles_article_preview", args=[a_draft_article.pk])
    assert client.get(url).status_code == 302


def test_related_articles_never_include_hidden_ones(client, an_article, hidden_articles, a_tag):
    an_article.tags.add(a_tag)
    html = client.get(an_article.get_absolute_url()).content.decode()
    for title in HIDDEN_TITLES:
        assert title not in html


def test_staff_without_view_permission_cannot_preview(client, django_user_model, a_draft_article):
    clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)
    url = reverse("admin:articles_article_preview", args=[a_draft_article.pk])
    assert client.get(url).status_code == 403
