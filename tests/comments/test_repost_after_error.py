"""Issue 12, item 10: a person who posts again after an error page never lands in spam.

The form given back with the error carries, signed, when the reader first
saw the form; the "too fast" rule counts from then. When that is unknown (the
posted token was refused: "please post it again"), the rule stays quiet.
"""

import re

import pytest

from comments.models import Comment
from comments.readers.forms import form_token

pytestmark = pytest.mark.django_db

TEXT = "Calf stretches before bed really work for me."


def token_in(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page)[1]


def post_then_repost_at_once(client, post_url, first_try: dict, fix: dict):
    error_page = client.post(post_url, first_try)
    assert error_page.status_code == 400
    again = first_try | fix | {"token": token_in(error_page.content.decode())}
    return client.post(post_url, again)


def test_reposting_at_once_after_a_refused_token_is_pending_not_spam(client, post_url, form_data):
    response = post_then_repost_at_once(client, post_url, form_data | {"token": "garbage"}, {})

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule != "submitted_too_fast"


def test_reposting_at_once_after_fixing_a_mistake_is_pending_not_spam(client, post_url, form_data):
    """The reader spent a minute on the form before the error: that time still counts."""
    response = post_then_repost_at_once(
        client, post_url, form_data | {"author_email": "not-an-email"}, {"author_email": ""}
    )

    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_an_error_does_not_reset_the_timer_for_a_bot(client, post_url, form_data, an_article):
    """A form posted at once, refused, and posted again at once is still too fast."""
    first_try = form_data | {"token": form_token(an_article), "author_email": "bad"}

    post_then_repost_at_once(client, post_url, first_try, {"author_email": ""})

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_rule == "submitted_too_fast"


def test_a_bots_first_quick_post_is_still_spam(client, post_url, form_data, an_article):
    client.post(post_url, form_data | {"token": form_token(an_article)})

    assert Comment.objects.get().moderation_rule == "submitted_too_fast"


def test_a_form_given_back_twice_keeps_the_first_time(client, post_url, form_data):
    first = client.post(post_url, form_data | {"body": ""})
    second = client.post(
        post_url, form_data | {"body": "", "token": token_in(first.content.decode())}
    )
    client.post(post_url, form_data | {"token": token_in(second.content.decode())})

    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_form_given_back_still_expires(client, post_url, form_data, monkeypatch):
    """Counting from the first sight is for "too fast" only: "too old" counts from the last."""
    import time

    page = client.post(post_url, form_data | {"body": ""}).content.decode()
    monkeypatch.setattr(time, "time", lambda real=time.time: real() + 7 * 60 * 60)

    client.post(post_url, form_data | {"token": token_in(page)})

    assert Comment.objects.get().moderation_rule == "form_too_old"
