"""Topic, tag and list pages: pagination, canonical links, empty labels."""

import pytest
from django.urls import reverse

from articles.models import Tag, Topic
from articles.views import LIST_PAGE_SIZE


@pytest.fixture
def many_articles(article_factory, a_tag):
    """More published articles than fit on one listing page, all tagged."""
    articles = [
        article_factory(slug=f"many-{i}", title=f"Many {i}") for i in range(LIST_PAGE_SIZE + 3)
    ]
    for article in articles:
        article.tags.add(a_tag)
    return articles


@pytest.mark.parametrize(
    "url",
    [
        reverse("articles:list"),
        reverse("articles:topic", args=["leg-cramps"]),
        reverse("articles:tag", args=["night-cramps"]),
    ],
)
def test_second_page_has_the_rest_and_its_own_canonical(client, many_articles, url):
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count('class="article-card"') == LIST_PAGE_SIZE
    assert second.count('class="article-card"') == 3
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{url}?page=2">' in second
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{url}">' in first
    assert 'rel="next"' in first and 'rel="prev"' in second


@pytest.mark.parametrize("page", ["3", "999999", "0", "-1", "abc", "1e9"])
def test_pages_that_do_not_exist_are_404(client, many_articles, page):
    assert client.get(reverse("articles:list"), {"page": page}).status_code == 404


def test_list_pages_keep_the_heading_outline(client, many_articles):
    html = client.get(reverse("articles:list")).content.decode()
    assert '<h2 class="article-card__title">' in html and "<h3" not in html


def test_topic_or_tag_used_only_by_drafts_is_404(client, a_draft_article):
    lonely_tag = Tag.objects.create(name="draft only", slug="draft-only")
    a_draft_article.tags.add(lonely_tag)
    Topic.objects.create(name="Empty topic", slug="empty-topic")
    assert client.get(reverse("articles:tag", args=["draft-only"])).status_code == 404
    assert client.get(reverse("articles:topic", args=["empty-topic"])).status_code == 404
    assert client.get(reverse("articles:topic", args=["leg-cramps"])).status_code == 404
