"""A commenter edits their comment for a while and deletes it any time, by a signed link."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from comments.ownership import delete_url, edit_url, owner_token

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

    assert edit_url(my_comment) in mine
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


def test_edit_and_delete_need_the_csrf_token(my_comment):
    strict = Client(enforce_csrf_checks=True)

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


def test_delete_warns_that_replies_go_too(a_thread):
    parent, _, _ = a_thread
    page = Client().get(delete_url(parent)).content.decode()
    assert "Replies to it will be removed too." in page


def test_links_for_emails_are_absolute(an_old_comment, settings):
    assert edit_url(an_old_comment, absolute=True).startswith(f"{settings.SITE_URL}/comments/")


def test_privacy_notice_sits_next_to_the_form(client, article_url):
    page = client.get(article_url).content.decode()

    assert "How we handle your details" in page
    assert "Your email is never shown on the site." in page
