"""The one door: each change of a comment's fate runs its steps, and nothing else changes one."""

import re
from pathlib import Path

from django.core import mail
from django.urls import reverse

from comments import decisions
from comments.models import Comment, ModerationEvent, Report, email_token_for
from comments.moderation.rules import PostContext

S = Comment.Status
ROOT = Path(__file__).resolve().parents[2]


def count_of(article) -> int:
    article.refresh_from_db()
    return article.approved_comment_count


def test_posting_renders_the_text_once_escaped_with_links_marked(an_article):
    comment = Comment(article=an_article, body="<b>hi</b>\nsee https://example.org")

    decisions.post(comment, PostContext())

    comment.refresh_from_db()
    assert "&lt;b&gt;hi&lt;/b&gt;<br>" in comment.body_html
    assert 'rel="nofollow ugc noopener"' in comment.body_html


def test_a_post_is_stored_under_its_emails_token_whatever_its_case(an_article):
    """The rules and the reader's later posts find the author by this token."""
    comment = Comment(article=an_article, body="Hi", author_email=" Sam@Example.com ")

    decisions.post(comment, PostContext())

    comment.refresh_from_db()
    assert comment.email_token == email_token_for("sam@example.com") != ""


def test_the_article_page_shows_the_stored_html(client, article_url, comment_factory, an_article):
    comment = comment_factory(an_article, "first line", status=S.APPROVED)
    Comment.objects.filter(pk=comment.pk).update(body_html="stored <em>html</em>")

    assert "stored <em>html</em>" in client.get(article_url).content.decode()


def test_an_authors_edit_renders_the_new_text(an_article, comment_factory):
    comment = comment_factory(an_article, "old words", status=S.APPROVED)
    comment.body = "new <words>"

    decisions.edit_by_author(comment, PostContext())

    comment.refresh_from_db()
    assert "new &lt;words&gt;" in comment.body_html


def test_a_moderators_status_change_in_the_admin_is_a_logged_decision(
    an_article, comment_factory, admin_user
):
    comment = comment_factory(an_article, "Held for review")
    comment.status = S.APPROVED

    decisions.save_by_moderator(comment, by=admin_user, changed=["status"])

    event = comment.events.latest("pk")
    assert (event.actor, event.from_status, event.to_status) == (admin_user, S.PENDING, S.APPROVED)
    assert count_of(an_article) == 1


def test_removal_leaves_a_tombstone_keeps_replies_and_logs_why(
    a_thread, an_article, admin_user, client, article_url
):
    top, reply, _ = a_thread

    decisions.remove(top, by=admin_user, reason="Unsafe advice")

    top.refresh_from_db()
    assert top.body == decisions.REMOVED_TEXT
    assert top.author_email == "" and top.deleted_at is not None
    assert Comment.objects.filter(pk=reply.pk).exists()
    event = top.events.latest("pk")
    assert (event.actor, event.to_status, event.reason) == (
        admin_user,
        decisions.REMOVED,
        "Unsafe advice",
    )
    page = client.get(article_url).content.decode()
    assert decisions.REMOVED_TEXT in page
    assert count_of(an_article) == 2


def test_a_moderators_reply_is_published_logged_and_counted(
    an_approved_comment, an_article, admin_user
):
    reply = decisions.reply_as_moderator(an_approved_comment, admin_user, "Please see your GP.")

    assert reply.is_published()
    assert reply.events.get().actor == admin_user
    assert count_of(an_article) == 2


def test_reports_past_the_threshold_hide_the_comment_and_tell_moderators(
    an_approved_comment, an_article, a_moderator
):
    for network in ("a", "b", "c"):
        decisions.file_report(an_approved_comment, Report.Reason.ABUSE, "", network, threshold=3)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == S.PENDING
    assert an_approved_comment.moderation_rule == decisions.SENT_BACK_RULE
    assert count_of(an_article) == 0
    assert any(a_moderator.email in m.to for m in mail.outbox)


def test_purge_recounts_and_erase_forgets(an_article, comment_factory):
    kept = comment_factory(an_article, "Mine", author_email="me@example.com", status=S.APPROVED)

    assert decisions.erase_commenter("ME@example.com", delete=True) == 1

    assert not Comment.objects.filter(pk=kept.pk).exists()
    assert count_of(an_article) == 0


def test_admin_delete_goes_through_the_door(admin_client, an_article, comment_factory):
    comment = comment_factory(an_article, status=S.APPROVED)
    url = reverse("admin:comments_comment_delete", args=[comment.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert count_of(an_article) == 0


def test_saving_a_comment_directly_has_no_side_effects(a_pending_comment, an_article):
    comment = Comment.objects.get(pk=a_pending_comment.pk)
    events = ModerationEvent.objects.count()
    comment.status = S.APPROVED
    comment.save()

    assert ModerationEvent.objects.count() == events
    assert count_of(an_article) == 0


def test_no_code_outside_the_decisions_module_sets_a_status():
    """The design, checked by reading: `.status =` appears only in comments/decisions.py."""
    assignment = re.compile(r"\.status\s*=(?!=)")
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("articles", "comments", "cramps_site")
        for path in (ROOT / app).rglob("*.py")
        if path.name != "decisions.py"
        and "migrations" not in path.parts
        and assignment.search(path.read_text())
    ]
    assert offenders == []


def test_the_models_hold_no_send_audit_or_recount_call():
    models = ROOT / "comments" / "models"
    source = "\n".join(p.read_text() for p in models.glob("*.py"))

    for call in ("send(", "enqueue(", "ModerationEvent.objects", "approved_comment_count"):
        assert call not in source, call
    assert "def save(" not in (models / "comment.py").read_text()
