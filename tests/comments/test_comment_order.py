"""Issue 12, item 17: threads oldest first, or newest first by a link kept in the URL."""

import html
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.readers.section import discussion
from comments.threads import comment_url, page_number_of

pytestmark = pytest.mark.django_db

APPROVED = Comment.Status.APPROVED
NEWEST = "?comments_order=newest"


@pytest.fixture
def fifty_one_threads(an_article, comment_factory):
    """51 approved threads a minute apart: two pages."""
    start = timezone.now() - timedelta(days=10)
    return [
        comment_factory(
            an_article,
            f"Thread number {n:02d}.",
            status=APPROVED,
            created_at=start + timedelta(minutes=n),
        )
        for n in range(51)
    ]


def page_of(url):
    return html.unescape(Client().get(url).content.decode())


def test_newest_first_lists_the_newest_thread_first(fifty_one_threads, article_url):
    page = page_of(f"{article_url}{NEWEST}")

    assert page.index("Thread number 50.") < page.index("Thread number 49.")
    assert "Thread number 00." not in page


def test_the_default_and_anything_else_is_oldest_first(fifty_one_threads, article_url):
    for query in ("", "?comments_order=sideways", "?comments_order="):
        page = page_of(f"{article_url}{query}")
        assert page.index("Thread number 00.") < page.index("Thread number 01.")


def test_order_links_mark_the_current_order(
    an_approved_comment, comment_factory, an_article, article_url
):
    comment_factory(an_article, "A second thread.", status=APPROVED)

    oldest = page_of(article_url)
    newest = page_of(f"{article_url}{NEWEST}")

    assert f'<a href="{article_url}#comments" aria-current="true">Oldest first</a>' in oldest
    assert f'<a href="{article_url}{NEWEST}#comments">Newest first</a>' in oldest
    assert f'<a href="{article_url}#comments">Oldest first</a>' in newest
    assert (
        f'<a href="{article_url}{NEWEST}#comments" aria-current="true">Newest first</a>' in newest
    )


def test_no_order_links_for_a_single_thread(an_approved_comment, article_url):
    assert "Newest first" not in page_of(article_url)


def test_pagination_keeps_the_order(fifty_one_threads, article_url):
    first = page_of(f"{article_url}{NEWEST}")
    second = page_of(f"{article_url}{NEWEST}&comments_page=2")

    assert (
        f'href="{article_url}{NEWEST}&comments_page=2#comments" rel="next">Older comments' in first
    )
    assert "Thread number 00." in second and "Thread number 01." not in second
    assert f'href="{article_url}{NEWEST}#comments" rel="prev">Newer comments' in second


def test_reply_links_and_permalinks_keep_the_order(fifty_one_threads, article_url):
    newest = fifty_one_threads[-1]

    page = page_of(f"{article_url}{NEWEST}")

    assert f'href="{article_url}{NEWEST}&reply_to={newest.pk}#comment-form"' in page
    assert f'href="{article_url}{NEWEST}#comment-{newest.pk}">Permalink' in page


def test_replies_inside_a_thread_stay_oldest_first(
    a_thread, comment_factory, an_article, article_url
):
    top, reply, _ = a_thread
    comment_factory(an_article, "A later answer to the top.", parent=top, status=APPROVED)

    page = page_of(f"{article_url}{NEWEST}")

    assert page.index(reply.body) < page.index("A later answer to the top.")


def test_posting_keeps_the_order(client, post_url, form_data, fifty_one_threads, article_url):
    form_page = client.get(f"{article_url}{NEWEST}").content.decode()
    assert f'action="{post_url}{NEWEST}"' in form_page

    response = client.post(f"{post_url}{NEWEST}", form_data)

    comment = Comment.objects.latest("pk")
    assert response["Location"] == f"{article_url}{NEWEST}#comment-{comment.pk}"
    # The poster sees their own pending thread at the top, with the newest.
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert page.index(form_data["body"]) < page.index("Thread number 50.")


def test_a_reply_lands_on_its_threads_page_in_either_order(
    fifty_one_threads, comment_factory, an_article
):
    oldest_thread = fifty_one_threads[0]
    reply = comment_factory(an_article, "Late reply.", parent=oldest_thread, status=APPROVED)

    assert page_number_of(reply) == 1
    assert page_number_of(reply, newest=True) == 2
    assert "comments_order=newest&comments_page=2" in comment_url(reply, newest=True)


@pytest.mark.parametrize("n", [2, 120])
def test_newest_first_costs_the_same_queries(
    an_article, comment_factory, n, django_assert_num_queries
):
    for k in range(n):
        comment_factory(an_article, f"Thread {k}", status=APPROVED)
    request = RequestFactory().get(f"/articles/{an_article.slug}/{NEWEST}")
    article = Article.objects.for_article_page().get(pk=an_article.pk)  # as the page reads it

    with django_assert_num_queries(1):  # one query, as oldest first
        discussion(request, article)


def test_the_cached_page_keeps_each_order_apart(fifty_one_threads, article_url):
    """The public page cache keys on comments_order: one order never serves the other."""
    oldest = page_of(article_url)
    newest = page_of(f"{article_url}{NEWEST}")
    oldest_again = page_of(article_url)

    assert newest.index("Thread number 50.") < newest.index("Thread number 49.")
    assert "Thread number 50." not in oldest and "Thread number 50." not in oldest_again
