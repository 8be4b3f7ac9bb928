"""Article pages' frames stored by a task when articles change (articles/frames.py).

The first reader after a change, and a new process, read the stored frame
instead of rendering it; a stored frame is used only under the version, the
code stamp and the time it was made for.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import frames, page_cache
from articles.models import Article, PageFrame

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    """A reader with the own-comment cookie: a render of their own, never the page cache's."""
    client = Client()
    client.cookies["comments_mine"] = "none"
    return client


@pytest.fixture
def stored_frames(an_article, django_capture_on_commit_callbacks):
    """What an editor's change leaves: a new version, and every frame stored under it."""
    with django_capture_on_commit_callbacks(execute=True):
        frames.articles_changed()
    frames.FRAMES.clear()  # a new process: nothing kept in memory
    return PageFrame.objects.all()


def page(reader, article) -> str:
    response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_stores_every_published_articles_frame_under_the_new_version(
    an_article, a_draft_article, stored_frames
):
    version = page_cache.current_version().articles

    assert [(f.article_id, f.version) for f in stored_frames] == [(an_article.pk, version)]
    assert stored_frames[0].stamp == frames.frame_stamp()


def test_a_reader_gets_the_stored_frame_rather_than_a_render(reader, an_article, stored_frames):
    """Proved by marking the stored text: a render would not show the mark."""
    stored = stored_frames.get()
    stored.pieces = [
        piece.replace(an_article.title, "Stored title") if isinstance(piece, str) else piece
        for piece in stored.pieces
    ]
    stored.save()

    text = page(reader, an_article)

    assert "<title>Stored title" in text
    assert 'id="comments"' in text  # the sections, put in where the frame left them


def test_a_stored_frame_shows_the_same_page_as_a_render(reader, an_article, stored_frames):
    from_store = page(reader, an_article)
    PageFrame.objects.all().delete()
    frames.FRAMES.clear()

    rendered = page(reader, an_article)

    def without_the_form_time(text):  # the comment form's signed render time
        return re.sub(r'name="token" value="[^"]*"', "", text)

    assert without_the_form_time(from_store) == without_the_form_time(rendered)


def test_an_article_changed_since_is_rendered_not_read_from_the_store(
    reader, an_article, stored_frames
):
    Article.objects.filter(pk=an_article.pk).update(title="Night cramps, revised")
    page_cache.bump_site_version()  # the change, before its task has run

    assert "Night cramps, revised" in page(reader, an_article)


def test_a_frame_stored_by_other_code_is_not_used(reader, an_article, stored_frames):
    """A deploy (templates, code, static files' names) gives another stamp."""
    stored_frames.update(stamp="made-by-the-previous-deploy", pieces=["Old page", None, ""])

    text = page(reader, an_article)

    assert "Old page" not in text and an_article.title in text


def test_the_stamp_changes_with_what_a_page_shows(settings):
    before = frames.frame_stamp()
    settings.SITE_NAME = "Another name"

    assert frames.frame_stamp() != before


def test_a_frame_past_its_time_is_not_used(reader, an_article, stored_frames):
    """The next scheduled publication or the new year end it (its related cards, its footer)."""
    stored_frames.update(
        expires=timezone.now() - datetime.timedelta(seconds=1), pieces=["Old page", None, ""]
    )

    assert "Old page" not in page(reader, an_article)


def test_a_frame_ends_when_the_next_scheduled_article_is_published(an_article, article_factory):
    soon = timezone.now() + datetime.timedelta(hours=2)
    article_factory(slug="scheduled", publish_at=soon)

    assert frames.frame_expiry() == soon


def test_a_frame_ends_at_the_new_year_at_the_latest(an_article):
    expiry = timezone.localtime(frames.frame_expiry())

    assert (expiry.month, expiry.day, expiry.hour, expiry.minute) == (1, 1, 0, 0)
    assert expiry.year == timezone.localtime().year + 1


def test_the_task_stores_only_what_is_missing(an_article, article_factory, stored_frames):
    article_factory(slug="another")

    assert frames.store_frames.call() == 1
    assert frames.store_frames.call() == 0


def test_the_thanks_page_is_rendered_not_stored(reader, an_article, stored_frames):
    text = reader.get(an_article.get_absolute_url() + "?helpful=thanks").content.decode()

    assert "Thank you for your feedback" in text
    assert PageFrame.objects.count() == 1


def test_a_topic_renamed_in_the_admin_stores_frames_that_show_it(
    admin_client, reader, an_article, django_capture_on_commit_callbacks
):
    topic = an_article.topic
    url = reverse("admin:articles_topic_change", args=[topic.pk])
    data = {"name": "Night-time muscle cramps", "slug": topic.slug, "description": ""}

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    frames.FRAMES.clear()

    assert response.status_code == 302
    stored = PageFrame.objects.get(article=an_article)
    assert stored.version == page_cache.current_version().articles
    assert "Night-time muscle cramps" in page(reader, an_article)
