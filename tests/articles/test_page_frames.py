"""Article pages' frames stored in the database (articles/stored_frames.py).

The first reader after a change, and a new process, read the stored frame
instead of rendering it; a stored frame is used only under the version, the
code stamp and the time it was made for, and only for its own article.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import frames, page_cache, pages, stored_frames
from articles.models import Article, PageFrame

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(an_own_reader):
    """Renders of their own, never the page cache's: each shows how the frame was got."""
    return an_own_reader


@pytest.fixture
def frames_in_the_database(an_article, django_capture_on_commit_callbacks):
    """What an editor's change leaves once its task has run: every frame stored."""
    with django_capture_on_commit_callbacks(execute=True):
        stored_frames.articles_changed()
    pages.FRAMES.clear()  # a new process: nothing kept in memory
    return PageFrame.objects.all()


def page(reader, article) -> str:
    response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def mark(stored: PageFrame, text: str, instead: str) -> None:
    """Change the stored frame's text, so a page shows whether it came from the store."""
    stored.pieces = [
        piece.replace(text, instead) if isinstance(piece, str) else piece for piece in stored.pieces
    ]
    stored.save()


def test_a_change_stores_every_published_articles_frame_under_the_new_version(
    an_article, a_draft_article, frames_in_the_database
):
    version = page_cache.current_version().articles

    assert [(f.article_id, f.version) for f in frames_in_the_database] == [(an_article.pk, version)]
    assert frames_in_the_database[0].stamp == stored_frames.frame_stamp()


def test_a_reader_gets_the_stored_frame_rather_than_a_render(
    reader, an_article, frames_in_the_database
):
    mark(frames_in_the_database.get(), an_article.title, "Stored title")

    text = page(reader, an_article)

    assert "<title>Stored title" in text
    assert 'id="comments"' in text  # the sections, put in where the frame left them


def test_each_article_gets_its_own_stored_frame(reader, an_article, article_factory):
    other = article_factory(slug="other", title="Another cramps article")
    stored_frames.articles_changed()
    assert stored_frames.store_frames.call() == 2
    pages.FRAMES.clear()

    assert "<title>Another cramps article" in page(reader, other)
    assert f"<title>{an_article.title}" in page(reader, an_article)


def test_a_stored_frame_shows_the_same_page_as_a_render(reader, an_article, frames_in_the_database):
    from_store = page(reader, an_article)
    PageFrame.objects.all().delete()
    pages.FRAMES.clear()

    rendered = page(reader, an_article)

    def without_the_form_time(text):  # the comment form's signed render time
        return re.sub(r'name="token" value="[^"]*"', "", text)

    assert without_the_form_time(from_store) == without_the_form_time(rendered)


def test_an_article_changed_since_is_rendered_not_read_from_the_store(
    reader, an_article, frames_in_the_database
):
    Article.objects.filter(pk=an_article.pk).update(title="Night cramps, revised")
    page_cache.bump_site_version()  # a change whose frames are not stored yet

    assert "Night cramps, revised" in page(reader, an_article)


def test_a_frame_a_process_renders_is_stored_for_the_others(reader, an_article):
    page_cache.bump_site_version()
    assert page(reader, an_article)
    pages.FRAMES.clear()  # another process
    mark(PageFrame.objects.get(article=an_article), an_article.title, "Stored title")

    assert "<title>Stored title" in page(reader, an_article)


def test_the_article_an_editor_saves_has_its_frame_stored_with_the_change(
    admin_client, reader, an_article
):
    """Stored in the save's own transaction: no reader renders it, even before the task."""
    url = reverse("admin:articles_article_change", args=[an_article.pk])
    change_page = admin_client.get(url)
    form = change_page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "hero_image"}
    data.pop("publish_at")
    data |= {
        "title": "Night cramps, revised by an editor",
        "tags": [],
        "publish_at_0": timezone.localtime(an_article.publish_at).date().isoformat(),
        "publish_at_1": timezone.localtime(an_article.publish_at).strftime("%H:%M:%S"),
    }
    for inline in change_page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
        data[management.add_prefix("TOTAL_FORMS")] = management.initial["INITIAL_FORMS"]

    response = admin_client.post(url, data)  # the task never runs: no commit in a test

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = PageFrame.objects.get(article=an_article)
    assert stored.version == page_cache.current_version().articles
    mark(stored, "Night cramps, revised by an editor", "Stored with the change")
    pages.FRAMES.clear()
    assert "Stored with the change" in page(reader, an_article)


def test_a_frame_stored_by_other_code_is_not_used(reader, an_article, frames_in_the_database):
    """A deploy (templates, code, static files' names) gives another stamp."""
    frames_in_the_database.update(stamp="made-by-the-previous-deploy", pieces=["Old", None, ""])

    text = page(reader, an_article)

    assert "Old" not in text and an_article.title in text


def test_the_stamp_changes_with_what_a_page_shows(settings):
    before = stored_frames.frame_stamp()
    settings.SITE_NAME = "Another name"

    assert stored_frames.frame_stamp() != before


def test_a_frame_past_its_time_is_not_used(reader, an_article, frames_in_the_database):
    """The next scheduled publication or the new year end it (its related cards, its footer)."""
    frames_in_the_database.update(
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


def test_the_task_stores_only_what_is_missing(an_article, article_factory, frames_in_the_database):
    article_factory(slug="another")

    assert stored_frames.store_frames.call() == 1
    assert stored_frames.store_frames.call() == 0


def test_the_task_stops_when_a_newer_change_comes(an_article, article_factory, monkeypatch):
    """The newer change queued the task again; the older run's frames would go unused."""
    article_factory(slug="another")
    stored_frames.articles_changed()
    store = stored_frames.store_frame

    def store_then_change(article, version, frame=None):
        made = store(article, version, frame)
        page_cache.bump_site_version()  # an editor saves something meanwhile
        return made

    monkeypatch.setattr(stored_frames, "store_frame", store_then_change)

    assert stored_frames.store_frames.call() == 1


def test_an_article_that_fails_to_render_leaves_the_others_stored(
    an_article, article_factory, monkeypatch, caplog
):
    broken = article_factory(slug="broken")
    stored_frames.articles_changed()
    render = stored_frames.render_frame

    def render_or_fail(article, thanks, version):
        if article.pk == broken.pk:
            raise ValueError("a template error")
        return render(article, thanks, version)

    monkeypatch.setattr(stored_frames, "render_frame", render_or_fail)

    assert stored_frames.store_frames.call() == 1
    assert "Could not render the frame of article" in caplog.text
    assert list(PageFrame.objects.values_list("article", flat=True)) == [an_article.pk]


def test_the_thanks_page_is_rendered_not_stored(reader, an_article, frames_in_the_database):
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
    pages.FRAMES.clear()

    assert response.status_code == 302
    stored = PageFrame.objects.get(article=an_article)
    assert stored.version == page_cache.current_version().articles
    assert "Night-time muscle cramps" in page(reader, an_article)
