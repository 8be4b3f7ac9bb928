"""Every status change leaves a ModerationEvent, whichever way it was made."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from test_comment_admin import change_page_post_data  # pytest puts this folder on sys.path

from comments import decisions
from comments.models import Comment, ModerationEvent

pytestmark = pytest.mark.django_db

S = Comment.Status


def events_of(comment):
    return list(
        comment.events.order_by("created_at", "pk").values_list(
            "actor__username", "from_status", "to_status", "reason"
        )
    )


def test_a_posted_comment_logs_the_rule_that_decided_it(client, post_url, form_data):
    client.post(post_url, form_data)

    comment = Comment.objects.get()
    [(actor, before, after, reason)] = events_of(comment)
    assert (actor, before, after) == (None, "", S.PENDING)
    assert reason == comment.moderation_reason != ""


def test_decide_logs_each_changed_comment_and_skips_the_rest(
    admin_user, an_article, comment_factory
):
    held = comment_factory(an_article, "Held")
    already = comment_factory(an_article, "Already approved", status=S.APPROVED)

    changed = decisions.decide(
        Comment.objects.filter(pk__in=[held.pk, already.pk]),
        S.APPROVED,
        by=admin_user,
        reason="Fine",
    )

    assert changed == 1
    assert events_of(held)[-1] == ("admin", S.PENDING, S.APPROVED, "Fine")
    assert events_of(already) == [(None, "", S.APPROVED, "")]


def test_automatic_decision_has_no_actor(an_article, comment_factory):
    comment = comment_factory(an_article, "Held")

    decisions.decide(Comment.objects.filter(pk=comment.pk), S.SPAM, reason="Blocked word")

    assert events_of(comment)[-1] == (None, S.PENDING, S.SPAM, "Blocked word")


def test_reports_reaching_the_threshold_are_logged(an_approved_comment):
    for k in range(3):
        decisions.file_report(an_approved_comment, "spam", "", f"net-{k}", threshold=3)

    assert events_of(an_approved_comment)[-1] == (
        None,
        S.APPROVED,
        S.PENDING,
        "Reported 3 times",
    )


def test_a_status_change_on_the_comment_page_is_logged_with_the_moderator(
    admin_client, a_pending_comment
):
    url = reverse("admin:comments_comment_change", args=[a_pending_comment.pk])
    data = {
        "article": a_pending_comment.article_id,
        "body": a_pending_comment.body,
        "status": S.REJECTED,
        "moderation_reason": "Off topic",
    }

    assert admin_client.post(url, data).status_code == 302

    assert events_of(a_pending_comment)[-1] == ("admin", S.PENDING, S.REJECTED, "Off topic")


def test_editing_text_logs_an_edit_not_a_change_of_status(admin_client, a_pending_comment):
    url = reverse("admin:comments_comment_change", args=[a_pending_comment.pk])
    data = {"body": "Fixed a typo", "status": S.PENDING}

    admin_client.post(url, data)

    assert events_of(a_pending_comment)[1:] == [
        ("admin", S.PENDING, "edited", "Text edited by a moderator")
    ]
    a_pending_comment.refresh_from_db()
    assert a_pending_comment.status == S.PENDING


def test_a_change_in_the_article_inline_is_logged_with_the_moderator(
    admin_client, an_article, a_pending_comment
):
    url = reverse("admin:articles_article_change", args=[an_article.pk])
    data = change_page_post_data(admin_client.get(url))
    data["comments-0-status"] = S.APPROVED

    assert admin_client.post(url, data).status_code == 302

    assert events_of(a_pending_comment)[-1] == ("admin", S.PENDING, S.APPROVED, "")


def test_save_only_saves_the_row(a_pending_comment, an_article):
    """Side effects belong to comments.decisions: save() writes no log and no count."""
    before = list(events_of(a_pending_comment))
    comment = Comment.objects.get(pk=a_pending_comment.pk)
    comment.status = S.APPROVED
    comment.save()

    assert events_of(comment) == before
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 0


def test_consecutive_decisions_log_the_status_each_started_from(admin_user, a_pending_comment):
    decisions.decide(Comment.objects.filter(pk=a_pending_comment.pk), S.APPROVED, by=admin_user)

    decisions.decide(Comment.objects.filter(pk=a_pending_comment.pk), S.REJECTED, by=admin_user)

    assert events_of(a_pending_comment)[-1] == ("admin", S.APPROVED, S.REJECTED, "")


def test_the_comment_page_shows_the_log_newest_first(admin_client, admin_user, a_pending_comment):
    comments = Comment.objects.filter(pk=a_pending_comment.pk)
    decisions.decide(comments, S.APPROVED, by=admin_user, reason="Looks fine")
    ModerationEvent.objects.filter(to_status=S.APPROVED).update(
        created_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    decisions.decide(comments, S.SPAM, by=admin_user, reason="Link farm after all")
    ModerationEvent.objects.filter(to_status=S.SPAM).update(
        created_at=timezone.now() + datetime.timedelta(minutes=2)
    )
    url = reverse("admin:comments_comment_change", args=[a_pending_comment.pk])

    page = admin_client.get(url).content.decode()

    log = page[page.index('class="audit-log"') :]
    assert log.index("Link farm after all") < log.index("Looks fine")
    assert log.index("Looks fine") < log.index("Automatic")
    assert "<td>posted</td>" in log
