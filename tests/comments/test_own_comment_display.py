"""What the section tells a reader about their own comments (issue 12, items 11 and 13)."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from comments import decisions
from comments.models import Comment, CommentSettings
from comments.readers.section import count_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_comment(client, post_url, form_data):
    """A comment this test's client has just posted (its cookie remembers it)."""
    client.post(post_url, form_data)
    return Comment.objects.get()


def posted_minutes_ago(comment, minutes):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


# Item 11: the edit link lives as long as the edit window, and says until when.


def test_own_comment_says_until_when_it_can_be_edited(client, my_comment, article_url):
    posted_minutes_ago(my_comment, 5)
    deadline = timezone.localtime(timezone.now() + datetime.timedelta(minutes=10))

    page = client.get(article_url).content.decode()

    assert f"/comments/{my_comment.pk}/edit/?token=" in page
    said = re.search(r'You can edit this until <time datetime="([^"]+)">([^<]+)</time>', page)
    assert said is not None
    at = datetime.datetime.fromisoformat(said[1])
    assert abs((at - deadline).total_seconds()) < 5
    assert said[2] == f"{at:%H:%M}"


def test_edit_link_is_gone_once_the_window_closes(client, my_comment, article_url):
    posted_minutes_ago(my_comment, 16)

    page = client.get(article_url).content.decode()

    assert f"/comments/{my_comment.pk}/edit/" not in page
    assert "You can edit this until" not in page
    assert f"/comments/{my_comment.pk}/delete/?token=" in page


def test_edit_link_follows_the_edit_window_setting(client, my_comment, article_url):
    config = CommentSettings.load()
    config.edit_window_minutes = 60
    config.save()
    posted_minutes_ago(my_comment, 30)

    page = client.get(article_url).content.decode()

    assert f"/comments/{my_comment.pk}/edit/?token=" in page


def test_other_readers_see_no_edit_deadline(client, my_comment, article_url):
    decisions.approve(Comment.objects.all())

    page = Client().get(article_url).content.decode()

    assert f'id="comment-{my_comment.pk}"' in page
    assert "You can edit this until" not in page


# Item 13: the count line reads right above the reader's own pending comment.


def test_no_zero_count_above_the_readers_own_pending_comment(client, my_comment, article_url):
    page = client.get(article_url).content.decode()

    assert ">0 comments" not in page
    assert "No published comments yet. Yours is awaiting moderation." in page


def test_published_count_and_the_readers_own_pending_comments(
    client, post_url, form_data, article_url, an_approved_comment
):
    client.post(post_url, form_data)
    client.post(post_url, form_data | {"body": "And a second thought."})

    page = client.get(article_url).content.decode()

    assert "1 published comment. Your 2 comments are awaiting moderation." in page


def test_an_empty_section_invites_a_first_comment_without_a_zero(article_url, client):
    page = client.get(article_url).content.decode()

    assert ">0 comments" not in page
    assert "No comments yet. Be the first to share your experience." in page


@pytest.mark.parametrize(
    ("published", "awaiting", "line"),
    [
        (0, 0, ""),
        (1, 0, "1 comment"),
        (3, 0, "3 comments"),
        (0, 1, "No published comments yet. Yours is awaiting moderation."),
        (0, 2, "No published comments yet. Your 2 comments are awaiting moderation."),
        (1, 1, "1 published comment. Yours is awaiting moderation."),
        (4, 3, "4 published comments. Your 3 comments are awaiting moderation."),
    ],
)
def test_count_line_reads_right(published, awaiting, line):
    assert count_line(published, awaiting) == line


def test_own_published_comment_is_simply_counted(client, my_comment, article_url):
    decisions.approve(Comment.objects.filter(pk=my_comment.pk))

    page = client.get(article_url).content.decode()

    assert '<p class="comments-count">1 comment</p>' in page
