"""The editors' admin: filters, overdue reviews, rendering on save."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


@pytest.fixture
def an_overdue_article(article_factory):
    """An article whose medical review date has passed."""
    return article_factory(
        slug="overdue",
        title="Overdue review",
        next_review_due=timezone.localdate() - datetime.timedelta(days=3),
    )


def test_changelist_flags_overdue_reviews(admin_client, an_article, an_overdue_article):
    html = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert html.count("Overdue since") == 1
    assert "Preview" in html


def test_review_due_filter(admin_client, an_article, an_overdue_article):
    url = reverse("admin:articles_article_changelist") + "?review=overdue"
    html = admin_client.get(url).content.decode()
    assert "Overdue review" in html and "Night cramps explained" not in html


def test_admin_search_and_status_filter(admin_client, an_article, a_draft_article):
    url = reverse("admin:articles_article_changelist")
    assert "zebrafish" in admin_client.get(url + "?q=zebrafish").content.decode()
    html = admin_client.get(url + "?status__exact=published").content.decode()
    assert "zebrafish" not in html


def change_form_data(admin_client, article, **changes):
    """The article's admin change form as the browser would post it, with changes."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "hero_image"}
    data.update(
        tags=[],
        author=article.author_id,
        reviewer=article.reviewer_id,
        topic=article.topic_id,
        publish_at_0=article.publish_at.date().isoformat(),
        publish_at_1="09:00:00",
    )
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
        data[management.add_prefix("TOTAL_FORMS")] = management.initial["INITIAL_FORMS"]
    data.pop("publish_at", None)
    return url, data | changes


def test_editing_in_admin_renders_markdown_on_save(admin_client, an_article):
    url, data = change_form_data(admin_client, an_article, body="## Fresh heading\n\nNew text.")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    an_article.refresh_from_db()
    assert '<h2 id="fresh-heading">Fresh heading</h2>' in an_article.body_html


def test_admin_moves_the_content_date_only_when_the_words_change(admin_client, an_article):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Article.objects.filter(pk=an_article.pk).update(content_changed_at=long_ago)

    url, data = change_form_data(admin_client, an_article, featured="on")
    assert admin_client.post(url, data).status_code == 302
    an_article.refresh_from_db()
    assert an_article.content_changed_at == long_ago

    url, data = change_form_data(admin_client, an_article, summary="A clearer summary.")
    assert admin_client.post(url, data).status_code == 302
    an_article.refresh_from_db()
    assert an_article.content_changed_at > timezone.now() - datetime.timedelta(minutes=1)


def test_a_new_reference_is_a_content_change(admin_client, an_article):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Article.objects.filter(pk=an_article.pk).update(content_changed_at=long_ago)
    url, data = change_form_data(admin_client, an_article)
    data |= {
        "references-TOTAL_FORMS": "1",
        "references-0-title": "NICE: leg cramps",
        "references-0-url": "https://cks.nice.org.uk/topics/leg-cramps/",
        "references-0-position": "0",
    }

    assert admin_client.post(url, data).status_code == 302
    an_article.refresh_from_db()
    assert an_article.references.count() == 1
    assert an_article.content_changed_at > timezone.now() - datetime.timedelta(minutes=1)
