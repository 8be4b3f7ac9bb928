"""What each comment shows, and what it never shows."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments.models import Comment

pytestmark = pytest.mark.django_db

APPROVED = Comment.Status.APPROVED


def page_of(article_url, client=None, query=""):
    return (client or Client()).get(article_url + query).content.decode()


def test_section_has_heading_count_and_form(an_approved_comment, article_url):
    page = page_of(article_url)

    assert '<section id="comments"' in page
    assert "<h2" in page and "Your thoughts on this</h2>" in page
    assert "1 comment</p>" in page
    assert "<form" in page and 'id="comment-form"' in page
    assert 'name="csrfmiddlewaretoken"' not in page, "guest forms are checked by origin"


def test_comment_shows_avatar_name_dates_text_and_links(an_approved_comment, article_url):
    an_approved_comment.created_at = timezone.now() - timedelta(days=3, hours=2)
    an_approved_comment.save()
    pk = an_approved_comment.pk

    page = page_of(article_url)

    assert f'id="comment-{pk}"' in page
    avatar = re.search(
        r'<img class="comment-avatar" src="(/comments/avatar/[0-9a-f]{32}\.png)"'
        r' data-fallback="[^"]+user-avatar\.svg" alt="User avatar" width="48" height="48"',
        page,
    )
    assert avatar
    assert 'class="comment-author">Margaret</span>' in page
    local = timezone.localtime(an_approved_comment.created_at)
    assert f'<time class="comment-date" datetime="{local.isoformat(timespec="seconds")}"' in page
    assert "3\xa0days ago" in page
    assert local.strftime("%-d %B %Y, %H:%M") in page
    assert "Drinking water before bed helped my cramps." in page
    assert f'href="{article_url}#comment-{pk}">Permalink</a>' in page
    assert f'href="{article_url}?reply_to={pk}#comment-form">Reply' in page


def test_email_is_never_in_the_page(an_approved_comment, article_url, client, post_url, form_data):
    client.post(post_url, form_data | {"author_email": "secret.person@example.org"})

    page = page_of(article_url, client)

    assert "margaret@example.com" not in page
    assert "secret.person" not in page
    assert "Awaiting moderation" in page


def test_html_and_script_are_shown_as_text(an_article, comment_factory, article_url):
    comment_factory(
        an_article,
        '<script>alert("x")</script> <b>bold</b> <img src=x onerror=alert(1)>',
        author_name="<i>Eve</i>",
        status=APPROVED,
    )

    page = page_of(article_url)

    assert "<script>alert" not in page
    assert "<b>bold</b>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;i&gt;Eve&lt;/i&gt;" in page


def test_links_are_marked_as_user_content_and_lines_kept(an_article, comment_factory, article_url):
    comment_factory(
        an_article, "First line\nSee https://example.org/cramps for more", status=APPROVED
    )

    page = page_of(article_url)

    assert "First line<br>See" in page
    assert (
        '<a href="https://example.org/cramps" rel="nofollow ugc noopener">'
        "https://example.org/cramps</a>" in page
    )


def test_quote_in_text_cannot_forge_a_link_attribute(an_article, comment_factory, article_url):
    comment_factory(an_article, 'x rel="nofollow" y', status=APPROVED)

    page = page_of(article_url)

    assert "x rel=&quot;nofollow&quot; y" in page


def test_replies_are_nested_two_levels(a_thread, article_url):
    top, reply, deep = a_thread

    page = page_of(article_url)

    nested = re.search(
        rf'id="comment-{top.pk}".*?<ol class="comment-replies">.*?id="comment-{reply.pk}"'
        rf'.*?<ol class="comment-replies">.*?id="comment-{deep.pk}"',
        page,
        re.S,
    )
    assert nested


def test_reply_link_works_without_javascript(an_approved_comment, article_url):
    page = page_of(article_url, query=f"?reply_to={an_approved_comment.pk}")

    assert "Reply to Margaret</h3>" in page
    assert f'name="reply_to" value="{an_approved_comment.pk}"' in page


@pytest.mark.parametrize("reply_to", ["999999", "abc", "", "-1", "9" * 30])
def test_bad_reply_to_in_the_address_is_ignored(an_approved_comment, article_url, reply_to):
    response = Client().get(f"{article_url}?reply_to={reply_to}")

    assert response.status_code == 200
    assert "Add your comment</h3>" in response.content.decode()


def test_threads_are_oldest_first_fifty_a_page(an_article, comment_factory, article_url):
    start = timezone.now() - timedelta(days=10)
    for n in range(51):
        comment_factory(
            an_article,
            f"Thread number {n:02d}.",
            status=APPROVED,
            created_at=start + timedelta(minutes=n),
        )

    first = page_of(article_url)
    second = page_of(article_url, query="?comments_page=2")

    assert "Thread number 00." in first and "Thread number 49." in first
    assert "Thread number 50." not in first
    assert f'href="{article_url}?comments_page=2#comments" rel="next">Newer comments' in first
    assert "Thread number 50." in second and "Thread number 49." not in second
    assert f'href="{article_url}#comments" rel="prev">Older comments' in second
    assert first.index("Thread number 00.") < first.index("Thread number 01.")


@pytest.mark.parametrize("number", ["0", "-3", "abc", "99999"])
def test_odd_page_numbers_fall_back_to_a_real_page(an_approved_comment, article_url, number):
    response = Client().get(f"{article_url}?comments_page={number}")

    assert response.status_code == 200
    assert an_approved_comment.body in response.content.decode()


@pytest.mark.parametrize(
    ("number", "shown"),
    [("0", 2), ("-3", 2), ("99999", 2), ("9" * 30, 2), ("abc", 1), ("2.0", 1), ("2", 2)],
)
def test_odd_page_numbers_give_the_page_the_paginator_gives(
    an_article, comment_factory, article_url, number, shown
):
    """Below 1 or past the end: the last page; not a number: the first (Paginator.get_page)."""
    start = timezone.now() - timedelta(days=10)
    for n in range(51):
        comment_factory(
            an_article,
            f"Thread number {n:02d}.",
            status=APPROVED,
            created_at=start + timedelta(minutes=n),
        )

    page = page_of(article_url, query=f"?comments_page={number}")

    assert ("Thread number 50." in page) is (shown == 2)
    assert ("Thread number 00." in page) is (shown == 1)


def test_no_outside_urls_for_images(an_approved_comment, article_url):
    page = page_of(article_url)

    sources = re.findall(r'<img[^>]+src="([^"]+)"', page)
    assert sources
    assert all(src.startswith("/") for src in sources)
    assert "gravatar" not in page.lower()


def test_form_is_crispy_with_labels_and_help(article_url):
    page = page_of(article_url)

    assert 'for="id_body" class="form-label requiredField">' in page
    assert 'aria-describedby="id_body_helptext"' in page
    assert "Name (optional)" in page and "Email (optional)" in page
    assert 'maxlength="3000"' in page
    assert 'action="/comments/post/night-cramps-explained/"' in page
