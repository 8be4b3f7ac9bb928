"""Query counts are fixed, whatever an article carries or a list holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import page_cache, pages, stored_frames
from articles.models import Reference, Tag

# article (+topic, people), tags, references, related articles, and the
# comment section's own fixed queries (tests/comments guards those).
ARTICLE_PAGE_QUERIES = 5
# A render that the page cache then stores: its version, and when the next
# scheduled article goes public (articles/page_cache.py).
PAGE_CACHE_MISS_QUERIES = 2
# A frame rendered by the request (articles/pages.py): the stored frame it
# looks for first, when the next scheduled article goes public, and storing
# it for other processes (articles/stored_frames.py: a savepoint, an update
# that finds no row, an insert, the savepoint's release).
RENDERED_FRAME_QUERIES = 6
# A render whose frame the task has stored: the article (+topic, people), the
# version, the stored frame, its related cards' comment counts, the comment
# section's query and the next scheduled publication, for the page cache.
STORED_FRAME_QUERIES = 6
# The first render after the article's change, its frame stored with it: as
# above, but the process keeps the article's comments (their discussion
# version has not moved), so no page of threads is read.
AFTER_AN_ARTICLE_CHANGE_QUERIES = 5
# A reader's own render (an own-comment cookie) once the page's frame and its
# comments are kept: the article (+topic, people) and the content version.
OWN_RENDER_QUERIES = 2
# The first render after a comment decision (articles/page_cache.py moves the
# site's version, not the articles'): the frame is kept, so the article, the
# version, the related cards' comment counts, the comment section's one query
# and the next scheduled publication, for the page cache.
AFTER_A_COMMENT_DECISION_QUERIES = 5


def a_render_not_a_cache_hit():
    """The next request renders its page: the content version is new."""
    page_cache.bump_site_version()


def load_article(article, size, article_factory):
    """Give the article `size` tags and references, and `size` related articles."""
    tags = [Tag.objects.create(name=f"t{size}-{i}", slug=f"t{size}-{i}") for i in range(size)]
    article.tags.set(tags)
    Reference.objects.bulk_create(
        Reference(article=article, title=f"Ref {i}", url=f"https://example.org/{i}")
        for i in range(size)
    )
    for i in range(size):
        article_factory(slug=f"rel-{size}-{i}", title=f"Related {i}").tags.set(tags)


def shows_the_whole_article(response, size) -> bool:
    """The page, with its related cards and references, whatever was queried for it."""
    page = response.content.decode()
    return (
        response.status_code == 200
        and page.count('class="article-card"') == min(size, 4)
        and f"Ref {size - 1}" in page
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_article_page_query_count_is_fixed(
    client, article_factory, django_assert_num_queries, size
):
    article = article_factory(slug=f"weighted-{size}")
    load_article(article, size, article_factory)
    a_render_not_a_cache_hit()
    with django_assert_num_queries(
        ARTICLE_PAGE_QUERIES + PAGE_CACHE_MISS_QUERIES + RENDERED_FRAME_QUERIES
    ):
        response = client.get(article.get_absolute_url())
    assert shows_the_whole_article(response, size)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_a_render_with_a_stored_frame_is_fixed_and_reads_no_tags_or_related(
    client, article_factory, django_assert_num_queries, size
):
    """The first render after an article change, its frame stored with the change."""
    article = article_factory(slug=f"stored-{size}")
    load_article(article, size, article_factory)
    stored_frames.articles_changed([article])
    pages.FRAMES.clear()  # a new process, or one that kept nothing of this article

    with django_assert_num_queries(STORED_FRAME_QUERIES) as captured:
        response = client.get(article.get_absolute_url())

    assert shows_the_whole_article(response, size)
    assert not any("articles_reference" in query["sql"] for query in captured)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_a_readers_own_render_reuses_the_frame_at_a_fixed_count(
    client, article_factory, django_assert_num_queries, size
):
    """Tags, references and related articles are in the kept frame, not queried again."""
    article = article_factory(slug=f"own-{size}")
    load_article(article, size, article_factory)
    client.cookies["comments_mine"] = "none"  # never the page cache's copy
    client.get(article.get_absolute_url())
    with django_assert_num_queries(OWN_RENDER_QUERIES):
        response = client.get(article.get_absolute_url())
    assert shows_the_whole_article(response, size)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_a_render_after_a_comment_decision_reuses_the_frame_at_a_fixed_count(
    client, article_factory, django_assert_num_queries, size
):
    article = article_factory(slug=f"decided-{size}")
    load_article(article, size, article_factory)
    client.get(article.get_absolute_url())
    page_cache.invalidate_article(article.pk)  # what a comment decision calls
    with django_assert_num_queries(AFTER_A_COMMENT_DECISION_QUERIES):
        response = client.get(article.get_absolute_url())
    assert shows_the_whole_article(response, size)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_the_first_render_after_an_article_change_reads_its_stored_frame_and_no_comment(
    client, article_factory, django_assert_num_queries, size
):
    article = article_factory(slug=f"edited-{size}")
    load_article(article, size, article_factory)
    page_cache.invalidate_article(article.pk)  # a comment decided: its discussion version
    client.get(article.get_absolute_url())
    stored_frames.articles_changed([article])  # what the admin's save calls

    with django_assert_num_queries(AFTER_AN_ARTICLE_CHANGE_QUERIES) as captured:
        response = client.get(article.get_absolute_url())

    assert shows_the_whole_article(response, size)
    assert not any("comments_comment" in query["sql"] for query in captured)


@pytest.mark.django_db
def test_listing_pages_use_a_fixed_number_of_queries(client, article_factory):
    counts = []
    for batch in (1, 10):
        shared = Tag.objects.get_or_create(name="shared", slug="shared")[0]
        for i in range(batch):
            article_factory(slug=f"list-{batch}-{i}", title=f"List {batch} {i}").tags.add(shared)
        a_render_not_a_cache_hit()
        with CaptureQueriesContext(connection) as captured:
            listings = (("home", []), ("list", []), ("topic", ["leg-cramps"]), ("tag", ["shared"]),
                        ("feed", []), ("search", []))  # fmt: skip
            for name, args in listings:
                assert client.get(reverse(f"articles:{name}", args=args)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
