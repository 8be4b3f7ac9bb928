"""A commenter with a confirmed email gets their comment's edit and delete links by email."""

import re

import pytest
from django.core import mail
from django.tasks import default_task_backend
from django.test import Client, override_settings

from comments import subscriptions
from comments.models import Comment, email_token_for

pytestmark = pytest.mark.django_db

MARGARET = "margaret@example.com"


def own_link_emails():
    return [m for m in mail.outbox if m.subject.startswith("Your comment on")]


@pytest.fixture
def a_confirmed_address(db):
    """MARGARET has confirmed her address (through a reply-email confirmation link)."""
    subscriptions.confirm(email_token_for(MARGARET))


@pytest.fixture
def with_email(form_data):
    """A submission that gives MARGARET's address, without asking for replies."""
    return form_data | {"author_email": MARGARET}


def test_a_confirmed_address_gets_working_edit_and_delete_links(
    client, post_url, with_email, a_confirmed_address
):
    client.post(post_url, with_email)

    comment = Comment.objects.get()
    [message] = own_link_emails()
    assert message.to == [MARGARET]
    assert message.subject == "Your comment on “Night cramps explained”"
    assert "Calf stretches before bed" in message.body
    assert "for 15 minutes after posting" in message.body
    links = re.findall(r"http://127\.0\.0\.1:8000(/comments/\d+/\w+/\?token=\S+)", message.body)
    assert [link.split("/")[3] for link in links] == ["edit", "delete"]

    stranger = Client()  # another device: no cookie, only the email
    assert stranger.get(links[0]).status_code == 200
    assert stranger.post(links[1]).status_code == 303
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_an_unconfirmed_address_gets_nothing(client, post_url, with_email):
    """The form must not be a way to send mail to strangers."""
    client.post(post_url, with_email)

    assert own_link_emails() == []


def test_no_email_address_no_email(client, post_url, form_data, a_confirmed_address):
    client.post(post_url, form_data)

    assert own_link_emails() == []


def test_spam_gets_no_links(client, post_url, with_email, a_confirmed_address):
    client.post(post_url, with_email | {"homepage": "http://bot.example"})

    assert Comment.objects.get().status == Comment.Status.SPAM
    assert own_link_emails() == []


def test_an_edit_sends_no_second_email(client, post_url, with_email, a_confirmed_address):
    client.post(post_url, with_email)
    [message] = own_link_emails()
    edit = re.search(r"http://127\.0\.0\.1:8000(/comments/\d+/edit/\?token=\S+)", message.body)[1]

    client.post(edit, {"body": "A better wording of my comment."})

    assert len(own_link_emails()) == 1


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_the_links_are_sent_by_a_background_task(client, post_url, with_email, a_confirmed_address):
    client.post(post_url, with_email)

    assert mail.outbox == []
    queued = [result.task.name for result in default_task_backend.results]
    assert "email_own_comment_links" in queued


def test_the_privacy_notice_says_what_is_kept_and_whom_to_ask(client, article_url, settings):
    page = client.get(article_url).content.decode()

    assert "cookie for 30 days that remembers your last 20 comments" in page
    assert "we also email you your comment’s edit and delete links" in page
    assert "never send them to an address that has not been confirmed" in page
    assert f'email the moderators at <a href="mailto:{settings.MODERATION_CONTACT_EMAIL}">' in page

    settings.MODERATION_CONTACT_EMAIL = "moderators@example.org"
    page = client.get(article_url).content.decode()
    assert 'href="mailto:moderators@example.org"' in page


def test_without_a_contact_address_the_privacy_notice_names_no_mailbox(
    client, article_url, settings
):
    """Only development runs without one (production refuses to start)."""
    settings.MODERATION_CONTACT_EMAIL = ""
    page = client.get(article_url).content.decode()

    assert "To have all your comments removed" in page
    assert "mailto:" not in page.split('id="comment-privacy"')[1].split("</details>")[0]
    assert "noreply" not in page
