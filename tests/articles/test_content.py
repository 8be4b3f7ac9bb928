"""The shipped content: enough related articles, loaded idempotently."""

import pytest
from django.core.management import call_command

from articles.content_loader import CONTENT_DIR, load_all, parse
from articles.models import Article, Reference, Synonym


def test_at_least_eight_related_articles_of_300_words_with_sections():
    sources = [parse(p) for p in CONTENT_DIR.glob("*.md") if p.stem != "leg-cramps-at-night"]
    assert len(sources) >= 8
    for source in sources:
        assert len(source.body.split()) >= 300, source.slug
        assert source.body.count("\n## ") >= 2, source.slug
        assert source.meta["summary"] and source.meta["topic"], source.slug


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    call_command("load_site_content")
    counts = (Article.objects.count(), Reference.objects.count(), Synonym.objects.count())
    stamps = list(Article.objects.values_list("updated_at", flat=True).order_by("pk"))
    assert counts[0] >= 9
    assert load_all() == (0, 0)
    assert (Article.objects.count(), Reference.objects.count(), Synonym.objects.count()) == counts
    assert list(Article.objects.values_list("updated_at", flat=True).order_by("pk")) == stamps


@pytest.mark.django_db
def test_loader_never_overwrites_an_editors_change(site_content):
    article = Article.objects.get(slug="leg-cramps-at-night")
    article.title = "Night-time leg cramps (edited)"
    article.save()
    load_all()
    article.refresh_from_db()
    assert article.title == "Night-time leg cramps (edited)"


@pytest.mark.django_db
def test_emergency_article_uses_emergency_and_urgent_callouts(site_content):
    html = Article.objects.get(slug="leg-pain-emergency-dvt").body_html
    assert 'class="callout callout-emergency"' in html
    assert 'class="callout callout-urgent"' in html


@pytest.mark.django_db
def test_renamed_article_and_deleted_synonym_do_not_come_back(site_content):
    article = Article.objects.get(slug="magnesium-for-leg-cramps")
    article.slug = "magnesium-and-cramps"
    article.save()
    Synonym.objects.filter(term="charley horse").delete()
    assert load_all() == (0, 0)
    assert not Article.objects.filter(slug="magnesium-for-leg-cramps").exists()
    assert not Synonym.objects.filter(term="charley horse").exists()
