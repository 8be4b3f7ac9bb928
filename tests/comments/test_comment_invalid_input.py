"""Bad submissions re-render the article page: nothing typed is lost."""

import html

import pytest
from django.core import signing
from django.urls import reverse

from comments.models import Comment
from comments.readers.forms import TOKEN_SALT

pytestmark = pytest.mark.django_db

TYPED = "My calves cramp at night <b>often</b>"


def rerender(client, url, data):
    response = client.post(url, data)
    return response, response.content.decode()


@pytest.mark.parametrize(
    ("field", "changes", "error"),
    [
        ("body", {"body": ""}, "Please write your comment before posting."),
        ("body", {"body": "   "}, "Please write your comment before posting."),
        ("body", {"body": "x"}, "Your comment is too short: write at least 2 characters."),
        ("body", {"body": "a" * 3001}, "Your comment is too long: 3000 characters at most"),
        ("body", {"body": "nul\x00byte"}, "Null characters are not allowed."),
        (
            "author_email",
            {"author_email": "not-an-email", "body": TYPED},
            "Enter a valid email address, like name@example.com, or leave it blank.",
        ),
        (
            "author_name",
            {"author_name": "n" * 81, "body": TYPED},
            "Please shorten your name to 80 characters.",
        ),
    ],
)
def test_invalid_field_rerenders_with_text_kept_and_error_by_the_field(
    client, post_url, form_data, field, changes, error
):
    data = form_data | {"author_name": "Tom", "author_email": "tom@example.com"} | changes

    response, page = rerender(client, post_url, data)

    assert response.status_code == 400
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert error in html.unescape(page)
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in page
    assert f'id="id_{field}_error"' in page
    assert html.escape(data["body"]) in page or data["body"].strip() == ""
    assert 'value="Tom"' in page or field == "author_name"
    assert not Comment.objects.exists()


def test_rerendered_page_says_why_at_the_top(client, post_url, form_data):
    _, page = rerender(client, post_url, form_data | {"body": ""})

    assert "Your comment was not posted" in page


@pytest.mark.parametrize(
    ("token", "error"),
    [
        ("", "This form could not be checked."),
        ("garbage", "This form could not be checked."),
        (signing.dumps(999_999, salt=TOKEN_SALT), "This form could not be checked."),
    ],
)
def test_tampered_form_token_is_refused_with_text_kept(client, post_url, form_data, token, error):
    _, page = rerender(client, post_url, form_data | {"token": token, "body": TYPED})

    assert error in page
    assert html.escape(TYPED) in page
    assert not Comment.objects.exists()


def test_old_form_is_kept_as_spam_and_answered_like_any_post(
    client, post_url, form_data, an_article, monkeypatch
):
    """Issue 5: a form older than max_form_age_hours is spam, not a visible refusal."""
    import time

    monkeypatch.setattr(time, "time", lambda real=time.time: real() + 7 * 60 * 60)

    response = client.post(post_url, form_data | {"body": TYPED}, follow=True)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_rule == "form_too_old"
    assert "Thanks! Your comment is awaiting moderation." in response.content.decode()


def test_rerendered_form_gets_a_fresh_token(client, post_url, form_data):
    old = form_data["token"]

    _, page = rerender(client, post_url, form_data | {"body": ""})

    assert f'value="{old}"' not in page
    assert 'name="token"' in page


def test_reply_to_a_missing_comment_is_refused_not_crashed(client, post_url, form_data):
    _, page = rerender(client, post_url, form_data | {"reply_to": "12345", "body": TYPED})

    assert "no longer available" in page
    assert html.escape(TYPED) in page


@pytest.mark.parametrize("reply_to", ["<x>", "9" * 30, "-5", "1.5"])
def test_reply_to_garbage_is_refused_not_crashed(client, post_url, form_data, reply_to):
    response, _ = rerender(client, post_url, form_data | {"reply_to": reply_to})

    assert response.status_code == 400


def test_reply_to_a_comment_on_another_article_is_refused(
    client, post_url, form_data, article_factory, comment_factory
):
    other = article_factory(slug="other", title="Other")
    elsewhere = comment_factory(other, status=Comment.Status.APPROVED)

    response, page = rerender(client, post_url, form_data | {"reply_to": elsewhere.pk})

    assert response.status_code == 400
    assert "no longer available" in page
    assert Comment.objects.count() == 1


def test_reply_to_a_pending_comment_is_refused(client, post_url, form_data, a_pending_comment):
    response, _ = rerender(client, post_url, form_data | {"reply_to": a_pending_comment.pk})

    assert response.status_code == 400


def test_closed_article_refuses_the_post_and_keeps_the_text(client, a_closed_article):
    url = reverse("comments:post", args=[a_closed_article.slug])
    data = {"body": TYPED, "token": signing.dumps(a_closed_article.pk, salt=TOKEN_SALT)}

    response, page = rerender(client, url, data)

    assert response.status_code == 400
    assert "Comments are closed on this article, so your comment was not posted." in page
    assert html.escape(TYPED) in page
    assert 'id="comment-form"' not in page
    assert not Comment.objects.exists()


def test_closed_article_page_says_so_and_has_no_form(client, a_closed_article):
    page = client.get(a_closed_article.get_absolute_url()).content.decode()

    assert "Comments are closed on this article." in page
    assert 'id="comment-form"' not in page
    assert "Reply" not in page


def test_unknown_article_is_404(client, form_data):
    response = client.post(reverse("comments:post", args=["no-such-article"]), form_data)

    assert response.status_code == 404


def test_draft_article_is_404(client, a_draft_article, form_data):
    url = reverse("comments:post", args=[a_draft_article.slug])

    assert client.post(url, form_data).status_code == 404


def test_scheduled_article_is_404(client, a_scheduled_article, form_data):
    url = reverse("comments:post", args=[a_scheduled_article.slug])

    assert client.post(url, form_data).status_code == 404


def test_get_on_the_post_url_is_refused(client, post_url):
    assert client.get(post_url).status_code == 405


def test_missing_fields_entirely_are_a_400_not_a_500(client, post_url):
    assert client.post(post_url, {}).status_code == 400


def test_rerendered_form_autofocuses_its_first_error_without_javascript(
    client, an_article, form_data
):
    """Focus lands on the first field to fix, before later ones, with no script needed."""
    import re

    from django.urls import reverse

    data = form_data | {"body": "", "author_email": "not-an-email"}
    html = client.post(reverse("comments:post", args=[an_article.slug]), data).content.decode()
    body = re.search(r'<textarea[^>]*name="body"[^>]*>', html).group(0)
    email = re.search(r'<input[^>]*name="author_email"[^>]*>', html).group(0)
    assert "autofocus" in body
    assert "autofocus" not in email

    data = form_data | {"author_email": "not-an-email"}
    html = client.post(reverse("comments:post", args=[an_article.slug]), data).content.decode()
    email = re.search(r'<input[^>]*name="author_email"[^>]*>', html).group(0)
    assert "autofocus" in email
