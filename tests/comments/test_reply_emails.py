"""Reply emails: double opt-in, sent only on approval, one-click unsubscribe."""

import datetime
import email.policy
import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import decisions, subscriptions
from comments.models import Comment, Subscriber, email_token_for
from comments.subscriptions import is_confirmed

pytestmark = pytest.mark.django_db

S = Comment.Status
MARGARET = "margaret@example.com"


def confirmation_emails():
    return [m for m in mail.outbox if m.subject.startswith("Confirm reply emails")]


def reply_emails():
    return [m for m in mail.outbox if m.subject.startswith("New reply")]


def link_in(message, kind) -> str:
    return re.search(rf"http://127\.0\.0\.1:8000(/comments/{kind}/[^/\s]+/)", message.body)[1]


@pytest.fixture
def asking_for_replies(form_data):
    """A submission that ticks "Email me when someone replies"."""
    return form_data | {"author_email": MARGARET, "notify_replies": "on"}


@pytest.fixture
def a_confirmed_address(db):
    """MARGARET has confirmed that she wants reply emails."""
    subscriptions.confirm(email_token_for(MARGARET))


@pytest.fixture
def a_subscribed_comment(an_approved_comment, a_confirmed_address):
    """Margaret's approved comment, with reply emails asked for and confirmed."""
    Comment.objects.filter(pk=an_approved_comment.pk).update(notify_replies=True)
    an_approved_comment.refresh_from_db()
    return an_approved_comment


@pytest.fixture
def a_pending_reply(an_article, a_subscribed_comment, comment_factory):
    """A guest's reply to Margaret, still waiting for a moderator."""
    return comment_factory(an_article, "Magnesium did nothing for me.", parent=a_subscribed_comment)


def approve(comment, by=None):
    decisions.decide(Comment.objects.filter(pk=comment.pk), S.APPROVED, by=by)


# Double opt-in


def test_the_form_offers_reply_emails(client, article_url):
    page = client.get(article_url).content.decode()

    assert 'name="notify_replies"' in page
    assert "Email me when someone replies" in page


def test_ticking_the_box_sends_a_confirmation_link_not_a_subscription(
    client, post_url, asking_for_replies
):
    client.post(post_url, asking_for_replies)

    [message] = confirmation_emails()
    assert message.to == [MARGARET]
    assert "/comments/confirm/" in message.body
    assert "If it was not you, ignore this email" in message.body
    assert Comment.objects.get().notify_replies
    assert not is_confirmed(MARGARET)


def test_the_box_needs_an_email_address(client, post_url, form_data):
    response = client.post(post_url, form_data | {"notify_replies": "on"})

    assert response.status_code == 400
    assert "Add your email to get replies by email, or untick the box." in (
        response.content.decode()
    )
    assert not Comment.objects.exists()


def test_at_most_one_confirmation_email_a_day_per_address(client, post_url, asking_for_replies):
    for k in range(3):
        client.post(post_url, asking_for_replies | {"body": f"Comment number {k}"})
    assert len(confirmation_emails()) == 1

    Subscriber.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(days=1))
    client.post(post_url, asking_for_replies | {"body": "The next day"})

    assert len(confirmation_emails()) == 2


def test_spam_never_sends_a_confirmation(client, post_url, asking_for_replies):
    client.post(post_url, asking_for_replies | {"homepage": "http://bot.example"})

    assert Comment.objects.get().status == S.SPAM
    assert confirmation_emails() == []


def test_a_confirmed_address_is_not_asked_again(
    client, post_url, asking_for_replies, a_confirmed_address
):
    client.post(post_url, asking_for_replies)

    assert confirmation_emails() == []


def test_the_confirmation_link_shows_a_button_and_confirms_on_post(
    client, post_url, asking_for_replies
):
    client.post(post_url, asking_for_replies)
    url = link_in(confirmation_emails()[0], "confirm")

    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm my email address" in page.content.decode()
    assert not is_confirmed(MARGARET), "a mail scanner opening the link confirms nothing"

    done = client.post(url)

    assert "your address is confirmed" in done.content.decode()
    assert is_confirmed(MARGARET)
    assert subscriptions.wanting_replies([email_token_for(MARGARET)])


def test_a_forged_or_expired_confirmation_link_is_refused(client, monkeypatch):
    forged = reverse("comments:confirm", args=["not-a-signed-token"])
    then = time.time() - subscriptions.CONFIRM_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(time, "time", lambda: then)
    old = reverse("comments:confirm", args=[subscriptions.confirm_link_token("a" * 32)])
    monkeypatch.undo()

    for url in (forged, old):
        assert client.get(url).status_code == 400
        assert client.post(url).status_code == 400
    assert not Subscriber.objects.filter(confirmed_at__isnull=False).exists()


def test_is_confirmed_ignores_case_and_spaces(a_confirmed_address):
    assert is_confirmed(" Margaret@Example.com ")
    assert not is_confirmed("someone@example.com")
    assert not is_confirmed("")


# Reply emails


def test_no_email_while_the_reply_waits_for_moderation(a_pending_reply):
    assert reply_emails() == []


def test_approving_a_reply_emails_the_subscribed_author(admin_user, a_pending_reply, an_article):
    approve(a_pending_reply, by=admin_user)

    [message] = reply_emails()
    assert message.to == [MARGARET]
    assert message.subject == "New reply to your comment on “Night cramps explained”"
    assert "Guest replied to your comment" in message.body
    assert "Magnesium did nothing for me." in message.body
    assert "Drinking water before bed helped my cramps." in message.body
    assert (
        f"http://127.0.0.1:8000{an_article.get_absolute_url()}#comment-{a_pending_reply.pk}"
        in message.body
    )


def test_reply_email_has_list_unsubscribe_headers_for_one_click(a_pending_reply):
    approve(a_pending_reply)

    [message] = reply_emails()
    unsubscribe = link_in(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.message().as_string()


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP])
def test_list_unsubscribe_is_sent_as_a_plain_url_not_encoded_words(
    a_pending_reply, settings, policy
):
    """Mail apps read only a plain <https://...> URL; long values must not become =?utf-8?q?."""
    settings.SITE_URL = "https://a-fairly-long-site-name-for-leg-health.example.org"
    approve(a_pending_reply)
    [message] = reply_emails()

    raw = message.message(policy=policy).as_bytes()

    headers = raw.split(b"\r\n\r\n" if policy is email.policy.SMTP else b"\n\n")[0]
    line = re.search(rb"^List-Unsubscribe: .*(?:\r?\n[ \t].*)*", headers, re.MULTILINE)[0]
    assert line.startswith(b"List-Unsubscribe: <https://a-fairly-long-site-name")
    assert b"=?" not in line
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers
    value = email.message_from_bytes(raw, policy=email.policy.default)["List-Unsubscribe"]
    assert value == message.extra_headers["List-Unsubscribe"]
    assert value.startswith("<https://") and value.endswith("/>")


def test_a_reply_is_announced_once_even_if_approved_again(a_pending_reply):
    approve(a_pending_reply)
    decisions.decide(Comment.objects.filter(pk=a_pending_reply.pk), S.REJECTED)
    approve(a_pending_reply)

    assert len(reply_emails()) == 1


def test_rejected_replies_are_never_announced(a_pending_reply):
    decisions.decide(Comment.objects.filter(pk=a_pending_reply.pk), S.REJECTED)
    decisions.decide(Comment.objects.filter(pk=a_pending_reply.pk), S.SPAM)

    assert reply_emails() == []


def test_a_reply_approved_on_its_page_is_announced(admin_client, a_pending_reply):
    url = reverse("admin:comments_comment_change", args=[a_pending_reply.pk])
    data = {
        "article": a_pending_reply.article_id,
        "parent": a_pending_reply.parent_id,
        "body": a_pending_reply.body,
        "status": S.APPROVED,
    }

    assert admin_client.post(url, data).status_code == 302
    assert len(reply_emails()) == 1


def test_a_moderators_reply_is_announced_at_once(admin_client, a_subscribed_comment):
    url = reverse("admin:comments_comment_change", args=[a_subscribed_comment.pk])
    data = {
        "article": a_subscribed_comment.article_id,
        "body": a_subscribed_comment.body,
        "author_name": "Margaret",
        "author_email": MARGARET,
        "status": S.APPROVED,
        "notify_replies": "on",
        "moderator_reply": "Thank you, Margaret.",
    }

    admin_client.post(url, data)

    [message] = reply_emails()
    assert "Moderator replied to your comment" in message.body


def test_no_email_without_confirmation(an_approved_comment, an_article, comment_factory):
    Comment.objects.filter(pk=an_approved_comment.pk).update(notify_replies=True)
    reply = comment_factory(an_article, "A reply", parent=an_approved_comment)

    approve(reply)

    assert reply_emails() == []


def test_no_email_when_the_box_was_not_ticked(
    an_approved_comment, a_confirmed_address, an_article, comment_factory
):
    reply = comment_factory(an_article, "A reply", parent=an_approved_comment)

    approve(reply)

    assert reply_emails() == []


def test_no_email_about_your_own_reply(a_subscribed_comment, an_article, comment_factory):
    reply = comment_factory(
        an_article, "Adding to my comment", parent=a_subscribed_comment, author_email=MARGARET
    )

    approve(reply)

    assert reply_emails() == []


# Unsubscribing


def test_unsubscribe_link_shows_a_button_then_stops_reply_emails(
    client, a_pending_reply, an_article, comment_factory
):
    approve(a_pending_reply)
    url = link_in(reply_emails()[0], "unsubscribe")

    assert "Stop reply emails" in client.get(url).content.decode()
    assert subscriptions.wanting_replies([a_pending_reply.parent.email_token])
    assert "we will not email you about replies" in client.post(url).content.decode()

    another = comment_factory(an_article, "Another reply", parent=a_pending_reply.parent)
    approve(another)
    assert len(reply_emails()) == 1
    assert is_confirmed(MARGARET), "the address stays confirmed for the auto-approve rule"


def test_one_click_unsubscribe_works_without_a_csrf_token(a_pending_reply):
    """RFC 8058: the mail app POSTs List-Unsubscribe=One-Click to the header's URL."""
    approve(a_pending_reply)
    url = link_in(reply_emails()[0], "unsubscribe")
    mail_app = Client(enforce_csrf_checks=True)

    response = mail_app.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not subscriptions.wanting_replies([a_pending_reply.parent.email_token])


def test_ticking_the_box_again_after_unsubscribing_needs_a_new_confirmation(
    client, post_url, asking_for_replies, a_confirmed_address
):
    subscriptions.unsubscribe(email_token_for(MARGARET))

    client.post(post_url, asking_for_replies)

    assert len(confirmation_emails()) == 1
    assert not subscriptions.wanting_replies([email_token_for(MARGARET)])


def test_a_forged_unsubscribe_link_is_refused(client):
    url = reverse("comments:unsubscribe", args=["forged:token"])

    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
