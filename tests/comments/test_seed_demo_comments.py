"""seed_demo_comments: realistic threads, bulk inserted, counts fixed."""

import io

import pytest
from django.core.management import CommandError, call_command

from comments.models import Comment

pytestmark = pytest.mark.django_db


def seed(*args):
    call_command("seed_demo_comments", *args, stdout=io.StringIO())


def test_creates_n_comments_per_article_pending_by_default(an_article, a_closed_article):
    seed("--per-article", "20", "--seed", "1")

    for article in (an_article, a_closed_article):
        assert article.comments.count() == 20
        article.refresh_from_db()
        assert article.approved_comment_count == 0
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}


def test_approved_comments_are_public_and_counted(an_article):
    seed("--per-article", "30", "--status", "approved", "--seed", "2")

    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 30
    assert Comment.objects.published().count() == 30


def test_makes_threads_that_respect_the_depth_limit(an_article):
    seed("--per-article", "50", "--seed", "3")

    depths = {d: Comment.objects.filter(depth=d).count() for d in (0, 1, 2)}
    assert depths == {0: 35, 1: 10, 2: 5}
    for reply in Comment.objects.filter(depth__gt=0).select_related("parent"):
        assert reply.parent.depth == reply.depth - 1
        assert reply.parent.article_id == reply.article_id
        assert reply.root_id == (reply.parent.root_id or reply.parent_id)
        assert reply.created_at >= reply.parent.created_at


def test_text_and_names_vary_and_guests_are_blank(an_article):
    seed("--per-article", "200", "--seed", "4")

    assert Comment.objects.values("body").distinct().count() > 30
    assert Comment.objects.filter(author_name="").exists()
    assert Comment.objects.exclude(author_name="").exists()


def test_ten_thousand_comments_in_batches_not_one_by_one(
    article_factory, django_assert_max_num_queries
):
    """Bulk inserts: the query count stays far below one per comment (time is for make bench)."""
    for n in range(10):
        article_factory(slug=f"article-{n}", title=f"Article {n}")

    with django_assert_max_num_queries(120):
        seed("--per-article", "1000", "--status", "approved")

    assert Comment.objects.count() == 10_000
    assert Comment.objects.exclude(body_html="").count() == 10_000


def test_negative_count_is_refused(an_article):
    with pytest.raises(CommandError):
        seed("--per-article", "-1")


def test_unknown_status_is_refused(an_article):
    with pytest.raises(CommandError):
        seed("--per-article", "1", "--status", "spam")
