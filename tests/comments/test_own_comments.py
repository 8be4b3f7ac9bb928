"""A commenter edits their comment for a while and deletes it any time, by a signed link."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from comments import decisions
from comments.models import DELETED_TEXT, Comment
from comments.ownership import delete_url, edit_url, holds_token, owner_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_comment(client, post_url, form_data):
    """A comment this test's client has just posted (its cookie remembers it)."""
    client.post(post_url, form_data)
    return Comment.objects.get()


@pytest.fixture
def an_old_comment(an_article, comment_factory):
    """An approved comment posted an hour ago, past the edit window."""
    return comment_factory(
        an_article,
        "Posted a while ago.",
        status=Comment.Status.APPROVED,
        created_at=timezone.now() - datetime.timedelta(hours=1),
    )


def test_author_sees_edit_and_delete_links_and_others_do_not(client, my_comment, article_url):
    mine = client.get(article_url).content.decode()
    theirs = Client().get(article_url).content.decode()

    # The signed token carries the second it was made, so match the link, then check it.
    token = re.search(rf'href="/comments/{my_comment.pk}/edit/\?token=([^"]+)"', mine)[1]
    assert holds_token(my_comment, token)
    assert f"/comments/{my_comment.pk}/delete/?token=" in mine
    assert f"/comments/{my_comment.pk}/edit/" not in theirs


def test_edit_page_needs_the_right_token(client, my_comment, an_approved_comment):
    assert client.get(edit_url(my_comment)).status_code == 200
    assert client.get(f"/comments/{my_comment.pk}/edit/").status_code == 404
    assert client.get(f"/comments/{my_comment.pk}/edit/?token=forged").status_code == 404
    other_token = owner_token(an_approved_comment)
    assert client.get(f"/comments/{my_comment.pk}/edit/?token={other_token}").status_code == 404


def test_edit_changes_the_text_and_goes_through_the_rules_again(client, my_comment):
    response = client.post(edit_url(my_comment), {"body": "Update: I double the dose now."})

    my_comment.refresh_from_db()
    assert response.status_code == 303
    assert my_comment.body == "Update: I double the dose now."
    assert my_comment.status == Comment.Status.PENDING
    assert my_comment.moderation_rule == "dosing_advice"
    assert "Edited by its author" in my_comment.moderation_reason


def test_an_edit_that_adds_a_red_flag_is_held_and_shows_the_urgent_note(client, my_comment):
    """The detector runs again on the new text, and the poster lands on the note."""
    response = client.post(edit_url(my_comment), {"body": "Update: now my calf is swollen and red"})

    my_comment.refresh_from_db()
    assert my_comment.status == Comment.Status.PENDING
    assert my_comment.moderation_rule == "red_flag_symptom"
    assert "possible clot in the leg" in my_comment.moderation_reason
    assert response["Location"].endswith("#urgent-help")
    assert "When to get urgent help" in client.get(response["Location"]).content.decode()


def test_an_edit_that_takes_the_worry_out_is_checked_again(client, post_url, form_data):
    client.post(post_url, form_data | {"body": "I want to die"})
    comment = Comment.objects.get()

    client.post(edit_url(comment), {"body": "Sorry, bad night. Stretching helps."})

    comment.refresh_from_db()
    assert comment.moderation_rule not in {"self_harm", "red_flag_symptom"}


def test_editing_an_approved_comment_unpublishes_it_until_checked(an_approved_comment, an_article):
    client = Client()
    client.post(edit_url(an_approved_comment), {"body": "Now with different words entirely."})

    an_approved_comment.refresh_from_db()
    an_article.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.PENDING
    assert an_article.approved_comment_count == 0


def test_editing_spam_keeps_it_spam(an_article, comment_factory):
    spam = comment_factory(an_article, "casino", status=Comment.Status.SPAM)

    Client().post(edit_url(spam), {"body": "Innocent words now."})

    spam.refresh_from_db()
    assert (spam.body, spam.status) == ("Innocent words now.", Comment.Status.SPAM)


def test_invalid_edit_is_shown_again(client, my_comment):
    response = client.post(edit_url(my_comment), {"body": ""})

    assert response.status_code == 400
    my_comment.refresh_from_db()
    assert my_comment.body.startswith("Calf stretches")


def test_edit_after_the_window_is_refused_but_delete_is_offered(an_old_comment):
    response = Client().post(edit_url(an_old_comment), {"body": "Sneaky change"})

    page = response.content.decode()
    an_old_comment.refresh_from_db()
    assert response.status_code == 403
    assert "The time for editing this comment has passed" in page
    assert f"/comments/{an_old_comment.pk}/delete/?token=" in page
    assert an_old_comment.body == "Posted a while ago."


def test_edit_and_delete_from_another_site_are_refused(my_comment):
    strict = Client(enforce_csrf_checks=True, headers={"Sec-Fetch-Site": "cross-site"})

    assert strict.post(edit_url(my_comment), {"body": "Changed"}).status_code == 403
    assert strict.post(delete_url(my_comment)).status_code == 403
    assert Comment.objects.filter(pk=my_comment.pk, body__startswith="Calf").exists()


def test_delete_asks_first_then_removes_and_fixes_the_count(an_old_comment, an_article):
    client = Client()
    assert "Delete your comment?" in client.get(delete_url(an_old_comment)).content.decode()

    response = client.post(delete_url(an_old_comment))

    an_article.refresh_from_db()
    assert response.status_code == 303
    assert response["Location"] == f"{an_article.get_absolute_url()}#comments"
    assert not Comment.objects.filter(pk=an_old_comment.pk).exists()
    assert an_article.approved_comment_count == 0
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your comment has been deleted."
    ]


def test_delete_needs_the_token(an_old_comment):
    assert (
        Client().post(f"/comments/{an_old_comment.pk}/delete/", {"token": "x"}).status_code == 404
    )
    assert Comment.objects.filter(pk=an_old_comment.pk).exists()


def test_delete_page_says_replies_stay(a_thread):
    parent, _, _ = a_thread
    page = Client().get(delete_url(parent)).content.decode()
    assert "Replies to it stay" in page
    assert "removed too" not in page


def test_deleting_a_comment_with_replies_keeps_a_placeholder_and_the_replies(
    a_thread, an_article, article_url
):
    """Other people's replies are theirs: deleting yours must not take them."""
    parent, reply, deep = a_thread
    Comment.objects.filter(pk=parent.pk).update(ip_hash="abc", notify_replies=True)

    response = Client().post(delete_url(parent))

    assert response.status_code == 303
    placeholder = Comment.objects.get(pk=parent.pk)
    assert placeholder.deleted_at is not None
    assert placeholder.body == DELETED_TEXT
    assert (placeholder.author_name, placeholder.author_email) == ("", "")
    assert (placeholder.email_token, placeholder.ip_hash) == ("", "")
    assert not placeholder.notify_replies
    assert placeholder.status == Comment.Status.APPROVED
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 2

    page = Client().get(article_url).content.decode()
    assert DELETED_TEXT in page
    assert "Drinking water before bed" not in page
    assert "Margaret" not in page
    assert "Same for me." in page and "Me too, every night." in page
    assert f"reply_to={parent.pk}" not in page
    assert f"/comments/{parent.pk}/report/" not in page


def test_a_placeholder_can_be_neither_edited_nor_deleted_again(a_thread):
    parent, _, _ = a_thread
    decisions.delete_by_author(parent)

    assert Client().get(edit_url(parent)).status_code == 404
    assert Client().post(edit_url(parent), {"body": "Back from the dead"}).status_code == 404
    assert Client().post(delete_url(parent)).status_code == 404
    assert Comment.objects.get(pk=parent.pk).body == DELETED_TEXT


def test_nobody_can_reply_to_a_placeholder(client, a_thread, post_url, form_data):
    parent, _, _ = a_thread
    decisions.delete_by_author(parent)

    response = client.post(post_url, form_data | {"reply_to": str(parent.pk)})

    assert response.status_code == 400
    assert "no longer available" in response.content.decode()


def test_deleting_the_last_reply_under_placeholders_removes_them_too(a_thread, an_article):
    parent, reply, deep = a_thread
    decisions.delete_by_author(parent)
    decisions.delete_by_author(reply)
    assert Comment.objects.count() == 3

    decisions.delete_by_author(deep)

    assert not Comment.objects.exists()
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 0


def test_a_held_edit_is_not_a_moderators_decision(client, my_comment):
    client.post(edit_url(my_comment), {"body": "Update: I double the dose now."})

    my_comment.refresh_from_db()
    assert my_comment.status == Comment.Status.PENDING
    assert (my_comment.decided_at, my_comment.decided_by) == (None, None)
    assert my_comment.moderation_reason.startswith("Edited by its author")


def test_a_held_edit_of_an_approved_comment_clears_the_earlier_decision(
    an_approved_comment, admin_user
):
    decisions.decide(
        Comment.objects.filter(pk=an_approved_comment.pk), Comment.Status.PENDING, by=admin_user
    )
    decisions.decide(
        Comment.objects.filter(pk=an_approved_comment.pk), Comment.Status.APPROVED, by=admin_user
    )

    Client().post(edit_url(an_approved_comment), {"body": "Now with different words entirely."})

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.PENDING
    assert (an_approved_comment.decided_at, an_approved_comment.decided_by) == (None, None)
    event = an_approved_comment.events.latest("pk")
    assert (event.actor, event.from_status, event.to_status) == (None, "approved", "pending")
    assert event.reason.startswith("Edited by its author")


def test_edits_are_rate_limited_like_posts(client, my_comment, settings):
    settings.COMMENT_RATE_LIMITS = "3/m"  # the post itself was the first
    codes = [
        client.post(edit_url(my_comment), {"body": f"Edit number {k}"}).status_code
        for k in range(3)
    ]

    assert codes == [303, 303, 429]
    my_comment.refresh_from_db()
    assert my_comment.body == "Edit number 1"


def test_a_rate_limited_edit_keeps_the_typed_text(client, my_comment, settings):
    settings.COMMENT_RATE_LIMITS = "1/m"

    response = client.post(edit_url(my_comment), {"body": "My careful rewording"})

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "My careful rewording" in page
    assert "posted or edited several comments in a short time" in page


def test_links_for_emails_are_absolute(an_old_comment, settings):
    assert edit_url(an_old_comment, absolute=True).startswith(f"{settings.SITE_URL}/comments/")


def test_privacy_notice_sits_next_to_the_form(client, article_url):
    page = client.get(article_url).content.decode()

    assert "How we handle your details" in page
    assert "Your email is never shown on the site." in page
