"""published() is the one gate; approved_comment_count follows it."""

import pytest

from comments import decisions
from comments.models import Comment

pytestmark = pytest.mark.django_db

S = Comment.Status


def public_ids(article=None):
    comments = Comment.objects.published()
    if article is not None:
        comments = comments.filter(article=article)
    return set(comments.values_list("pk", flat=True))


def count_of(article):
    article.refresh_from_db()
    return article.approved_comment_count


def test_only_approved_comments_are_published(an_article, comment_factory):
    shown = comment_factory(an_article, status=S.APPROVED)
    for status in (S.PENDING, S.REJECTED, S.SPAM):
        comment_factory(an_article, status=status)

    assert public_ids() == {shown.pk}
    assert count_of(an_article) == 1


@pytest.mark.parametrize("status", [S.REJECTED, S.SPAM, S.PENDING])
def test_parent_leaving_approved_hides_its_whole_subtree(a_thread, an_article, status):
    top, reply, deep = a_thread
    assert count_of(an_article) == 3

    decisions.decide(Comment.objects.filter(pk=top.pk), status)

    assert public_ids() == set()
    assert count_of(an_article) == 0


def test_hiding_a_reply_hides_the_replies_under_it(a_thread, an_article):
    top, reply, deep = a_thread

    decisions.decide(Comment.objects.filter(pk=reply.pk), S.REJECTED)

    assert public_ids() == {top.pk}
    assert count_of(an_article) == 1


def test_reapproving_the_parent_brings_the_thread_back(a_thread, an_article):
    top, _, _ = a_thread
    decisions.decide(Comment.objects.filter(pk=top.pk), S.SPAM)

    decisions.decide(Comment.objects.filter(pk=top.pk), S.APPROVED)

    assert count_of(an_article) == 3


def test_comments_of_unpublished_articles_are_not_published(a_draft_article, comment_factory):
    comment_factory(a_draft_article, status=S.APPROVED)

    assert public_ids() == set()


def test_is_published_agrees_with_the_gate(a_thread):
    top, reply, _ = a_thread
    decisions.decide(Comment.objects.filter(pk=top.pk), S.REJECTED)

    assert not top.is_published()
    assert not reply.is_published()


def test_count_follows_posting_deciding_and_purging(an_article, comment_factory):
    comment = comment_factory(an_article)
    assert count_of(an_article) == 0

    decisions.decide(Comment.objects.filter(pk=comment.pk), S.APPROVED)
    assert count_of(an_article) == 1

    decisions.purge(Comment.objects.filter(pk=comment.pk))
    assert count_of(an_article) == 0


def test_purging_a_parent_recounts_its_replies_too(a_thread, an_article):
    top, _, _ = a_thread

    decisions.purge(Comment.objects.filter(pk=top.pk))

    assert count_of(an_article) == 0
    assert not Comment.objects.exists()


def test_counts_are_per_article(an_article, article_factory, comment_factory):
    other = article_factory(slug="other", title="Other")
    comment_factory(an_article, status=S.APPROVED)
    comment_factory(other, status=S.APPROVED)
    comment_factory(other, status=S.APPROVED)

    assert (count_of(an_article), count_of(other)) == (1, 2)


def test_decide_records_who_and_when(a_pending_comment, admin_user):
    decisions.decide(Comment.objects.filter(pk=a_pending_comment.pk), S.APPROVED, by=admin_user)

    a_pending_comment.refresh_from_db()
    assert a_pending_comment.decided_by == admin_user
    assert a_pending_comment.decided_at is not None


def test_depth_is_capped_at_two(a_thread, an_article, comment_factory):
    _, reply, deep = a_thread

    deeper = comment_factory(an_article, parent=deep)

    assert (deeper.depth, deeper.parent) == (2, reply)
