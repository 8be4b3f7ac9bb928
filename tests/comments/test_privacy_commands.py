"""purge_comments and erase_commenter: what they remove, and what they keep."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments import decisions
from comments.models import Comment, ModerationEvent, Subscriber, email_token_for

pytestmark = pytest.mark.django_db

PENDING, SPAM = Comment.Status.PENDING, Comment.Status.SPAM
APPROVED, REJECTED = Comment.Status.APPROVED, Comment.Status.REJECTED


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def comments_of_all_ages(an_article, comment_factory):
    """Pending, spam, approved and rejected comments, old and new, by name."""
    made = {}
    for status in (PENDING, SPAM, APPROVED, REJECTED):
        for age in (5, 40, 100):
            made[f"{status}-{age}"] = comment_factory(
                an_article, f"{status} {age}", status=status, created_at=days_ago(age)
            )
    return made


def remaining(made):
    left = set(Comment.objects.values_list("pk", flat=True))
    return {name for name, comment in made.items() if comment.pk in left}


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_purge_removes_old_pending_and_old_spam_by_the_settings(comments_of_all_ages, an_article):
    output = run("purge_comments")

    gone = set(comments_of_all_ages) - remaining(comments_of_all_ages)
    assert gone == {"pending-100", "spam-40", "spam-100"}
    assert "Deleted 1 pending comment(s) older than 90 days." in output
    assert "Deleted 2 spam comment(s) older than 30 days." in output
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 3


def test_purge_days_can_be_given(comments_of_all_ages):
    run("purge_comments", "--pending-days", "30", "--spam-days", "200")

    gone = set(comments_of_all_ages) - remaining(comments_of_all_ages)
    assert gone == {"pending-40", "pending-100"}


def test_purge_dry_run_deletes_nothing(comments_of_all_ages):
    output = run("purge_comments", "--dry-run")

    assert remaining(comments_of_all_ages) == set(comments_of_all_ages)
    assert "Would delete 1 pending" in output
    assert "Would delete 2 spam" in output


@pytest.fixture
def sams_comments(an_article, comment_factory):
    """Two comments by sam@example.com (one approved) and one by someone else."""
    fields = {"author_name": "Sam", "author_email": "sam@example.com", "ip_hash": "abc"}
    mine = [
        comment_factory(an_article, "Sam's approved words", status=APPROVED, **fields),
        comment_factory(an_article, "Sam's pending words", **fields),
    ]
    other = comment_factory(
        an_article, "Kim's words", author_name="Kim", author_email="kim@example.com", ip_hash="def"
    )
    Subscriber.objects.create(email_token=email_token_for("sam@example.com"))
    return mine, other


def test_erase_anonymizes_and_keeps_the_text(sams_comments, an_article):
    mine, other = sams_comments

    output = run("erase_commenter", "SAM@example.com")

    assert "Anonymized 2 comment(s)." in output
    for comment in mine:
        comment.refresh_from_db()
        assert (comment.author_name, comment.author_email) == ("", "")
        assert (comment.email_token, comment.ip_hash) == ("", "")
        assert comment.body.startswith("Sam's")
    assert [c.status for c in mine] == [APPROVED, PENDING]
    other.refresh_from_db()
    assert (other.author_name, other.ip_hash) == ("Kim", "def")
    assert not Subscriber.objects.exists()
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 1


def test_erase_with_delete_removes_the_comments(sams_comments, an_article):
    _, other = sams_comments

    run("erase_commenter", "sam@example.com", "--delete")

    assert list(Comment.objects.all()) == [other]
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 0


def test_erase_dry_run_changes_nothing(sams_comments):
    output = run("erase_commenter", "sam@example.com", "--dry-run")

    assert "Would anonymize 2 comment(s)." in output
    assert Comment.objects.filter(author_email="sam@example.com").count() == 2


def test_erase_refuses_something_that_is_not_an_email():
    with pytest.raises(CommandError, match="not an email address"):
        run("erase_commenter", "sam")


# purge_comments ages a pending comment from when it entered the queue.


def moved_to_pending(comment, days):
    """Backdate the comment's latest move to pending by this many days."""
    event = comment.events.filter(to_status=PENDING).exclude(from_status="").latest("created_at")
    ModerationEvent.objects.filter(pk=event.pk).update(created_at=days_ago(days))


@pytest.fixture
def an_old_comment_sent_back(an_article, comment_factory, a_moderator):
    """Approved 200 days ago, sent back to pending by a moderator today."""
    comment = comment_factory(an_article, "Old and good", status=APPROVED, created_at=days_ago(200))
    decisions.decide(Comment.objects.filter(pk=comment.pk), PENDING, by=a_moderator)
    return comment


def test_an_old_comment_sent_back_to_pending_waits_its_full_time(an_old_comment_sent_back):
    output = run("purge_comments")

    assert Comment.objects.filter(pk=an_old_comment_sent_back.pk).exists()
    assert "Deleted 0 pending comment(s)" in output


def test_it_is_purged_once_it_has_waited_since_being_sent_back(an_old_comment_sent_back):
    moved_to_pending(an_old_comment_sent_back, 100)

    run("purge_comments")

    assert not Comment.objects.filter(pk=an_old_comment_sent_back.pk).exists()


def test_a_comment_reported_back_to_pending_is_never_purged(an_article, comment_factory):
    comment = comment_factory(an_article, "Reported", status=APPROVED, created_at=days_ago(200))
    for k in range(3):
        decisions.file_report(comment, "abuse", "", f"net-{k}", threshold=3)
    moved_to_pending(comment, 365)

    output = run("purge_comments", "--pending-days", "1")

    comment.refresh_from_db()
    assert (comment.status, comment.moderation_rule) == (PENDING, "reported")
    assert "Deleted 0 pending comment(s)" in output


def test_a_comment_with_approved_replies_is_kept_and_the_output_says_so(
    an_article, comment_factory
):
    """Deleting it would take the approved replies with it (CASCADE)."""
    parent = comment_factory(an_article, "Old pending", created_at=days_ago(100))
    reply = comment_factory(an_article, "Approved answer", parent=parent, status=APPROVED)
    lonely = comment_factory(an_article, "Old, no replies", created_at=days_ago(100))
    old_spam = comment_factory(an_article, "Old spam", status=SPAM, created_at=days_ago(100))
    comment_factory(an_article, "Approved answer", parent=old_spam, status=APPROVED)

    output = run("purge_comments")

    assert set(Comment.objects.values_list("pk", flat=True)) >= {parent.pk, reply.pk, old_spam.pk}
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    assert "Deleted 1 pending comment(s) older than 90 days." in output
    assert "Kept 1 old pending comment(s) with approved replies" in output
    assert "Kept 1 old spam comment(s) with approved replies" in output


def test_dry_run_counts_only_what_would_go(an_article, comment_factory):
    parent = comment_factory(an_article, "Old pending", created_at=days_ago(100))
    comment_factory(an_article, "Approved answer", parent=parent, status=APPROVED)

    output = run("purge_comments", "--dry-run")

    assert "Would delete 0 pending comment(s)" in output
    assert "Kept 1 old pending comment(s)" in output


def test_erase_with_delete_keeps_other_peoples_replies(sams_comments, an_article, comment_factory):
    """Sam's words go; Kim's reply under them stays, under a placeholder."""
    (sams_approved, _), _ = sams_comments
    kims_reply = comment_factory(
        an_article, "Kim's reply to Sam", parent=sams_approved, author_name="Kim", status=APPROVED
    )

    run("erase_commenter", "sam@example.com", "--delete")

    sams_approved.refresh_from_db()
    assert sams_approved.deleted_at is not None
    assert "Sam" not in sams_approved.body and sams_approved.author_email == ""
    assert Comment.objects.filter(pk=kims_reply.pk).exists()
    assert not Comment.objects.filter(body="Sam's pending words").exists()
