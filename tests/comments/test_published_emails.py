"""Issue 12, item 16: a poster who asked is emailed when their comment is published.

The one box, "Email me when my comment is published and when someone
replies", asks for it; the address must be confirmed (double opt-in), and
every email has a one-click unsubscribe link.
"""

import re

import pytest
from django.core import mail

from comments import decisions, subscriptions
from comments.models import Comment, CommentSettings, email_token_for

pytestmark = pytest.mark.django_db

S = Comment.Status
ALICE = "alice@example.com"
SITE = "http://127.0.0.1:8000"


def published_emails():
    return [m for m in mail.outbox if m.subject.endswith("is published")]


@pytest.fixture
def a_confirmed_address(db):
    """ALICE has confirmed her address."""
    subscriptions.confirm(email_token_for(ALICE))


@pytest.fixture
def asking_to_be_told(form_data):
    """A submission with ALICE's email and the box ticked."""
    return form_data | {"author_name": "Alice", "author_email": ALICE, "notify_replies": "on"}


@pytest.fixture
def alices_pending_comment(client, post_url, asking_to_be_told, a_confirmed_address):
    """Alice's comment, posted through the form, waiting for a moderator."""
    client.post(post_url, asking_to_be_told)
    mail.outbox.clear()
    comment = Comment.objects.get()
    assert comment.status == S.PENDING
    return comment


def approve(comment, by=None):
    decisions.approve(Comment.objects.filter(pk=comment.pk), by=by)


def test_the_form_says_what_the_box_asks_for(client, article_url):
    page = client.get(article_url).content.decode()

    assert "Email me when my comment is published and when someone replies" in page


def test_approval_by_a_moderator_emails_the_poster_a_link_to_the_comment(
    alices_pending_comment, a_moderator, an_article
):
    approve(alices_pending_comment, by=a_moderator)

    [message] = published_emails()
    assert message.to == [ALICE]
    assert message.subject == f"Your comment on “{an_article.title}” is published"
    assert f"{SITE}{an_article.get_absolute_url()}#comment-{alices_pending_comment.pk}" in (
        message.body
    )
    assert "Hello Alice" in message.body
    unsubscribe = re.search(rf"{SITE}(/comments/unsubscribe/[^/\s]+/)", message.body)[0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_comment_approved_at_once_emails_the_poster(
    client, post_url, asking_to_be_told, a_confirmed_address, comment_factory, an_article
):
    comment_factory(an_article, "An earlier word.", status=S.APPROVED, author_email=ALICE)
    config = CommentSettings.load()
    config.auto_approve_confirmed_returning = True
    config.save()
    mail.outbox.clear()

    client.post(post_url, asking_to_be_told)

    comment = Comment.objects.latest("pk")
    assert comment.status == S.APPROVED
    [message] = published_emails()
    assert f"#comment-{comment.pk}" in message.body


def test_once_per_comment_even_if_approved_again(alices_pending_comment, a_moderator):
    approve(alices_pending_comment, by=a_moderator)
    decisions.decide(Comment.objects.filter(pk=alices_pending_comment.pk), S.PENDING)
    approve(alices_pending_comment, by=a_moderator)

    assert len(published_emails()) == 1


@pytest.mark.parametrize("status", [S.SPAM, S.REJECTED])
def test_never_for_spam_or_rejected(alices_pending_comment, a_moderator, status):
    decisions.decide(Comment.objects.filter(pk=alices_pending_comment.pk), status, by=a_moderator)

    assert published_emails() == []


def test_not_without_the_box_ticked(client, post_url, form_data, a_confirmed_address, a_moderator):
    client.post(post_url, form_data | {"author_email": ALICE})

    approve(Comment.objects.get(), by=a_moderator)

    assert published_emails() == []


def test_not_to_an_unconfirmed_address(client, post_url, asking_to_be_told, a_moderator):
    client.post(post_url, asking_to_be_told)

    approve(Comment.objects.get(), by=a_moderator)

    assert published_emails() == []


def test_confirming_before_approval_is_enough(client, post_url, asking_to_be_told, a_moderator):
    client.post(post_url, asking_to_be_told)
    subscriptions.confirm(email_token_for(ALICE))

    approve(Comment.objects.get(), by=a_moderator)

    assert len(published_emails()) == 1


def test_not_after_unsubscribing(alices_pending_comment, a_moderator):
    subscriptions.unsubscribe(email_token_for(ALICE))

    approve(alices_pending_comment, by=a_moderator)

    assert published_emails() == []


def test_a_bulk_approval_emails_each_poster_who_asked_once(
    alices_pending_comment, an_article, comment_factory, a_moderator
):
    other = comment_factory(an_article, "Bob's thoughts.", author_email="bob@example.com")

    decisions.approve(Comment.objects.filter(pk__in=[alices_pending_comment.pk, other.pk]))

    assert [m.to for m in published_emails()] == [[ALICE]]
