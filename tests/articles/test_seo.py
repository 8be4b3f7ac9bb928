"""What search engines and feed readers get: tags, JSON-LD, sitemap, feed."""

import datetime
import importlib
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article_html(client, site_content):
    """The seed article's page."""
    return client.get(reverse("articles:detail", args=["leg-cramps-at-night"])).content.decode()


def json_ld(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(block.group(1))


def test_title_description_canonical_and_social_tags(article_html):
    assert "<title>Leg cramps at night | " in article_html
    assert (
        '<meta name="description" content="Why leg cramps strike at night (nocturnal leg cramps)'
        in article_html
    )
    assert '<link rel="canonical" href="http://127.0.0.1:8000/articles/leg-cramps-at-night/">' in (
        article_html
    )
    for tag in ('property="og:title"', 'property="og:description"', 'name="twitter:card"'):
        assert tag in article_html


def test_json_ld_is_a_medical_web_page_with_review_data(article_html):
    data = json_ld(article_html)
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-09-15"
    assert data["reviewedBy"]["name"] == "Dr Samuel Okafor"
    assert data["author"]["name"] == "Dr Amelia Hart"
    assert data["about"]["name"] == "Leg cramps"
    assert data["datePublished"].startswith("2026-01-12")
    assert "dateModified" in data


def test_json_ld_cannot_break_out_of_its_script_tag(client, article_factory):
    article = article_factory(slug="breakout", title="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_published_pages_with_lastmod(client, site_content):
    xml = client.get(reverse("sitemap")).content.decode()
    assert "/articles/leg-cramps-at-night/</loc><lastmod>" in xml
    assert xml.count("/articles/") >= 10
    assert "/topics/leg-cramps/</loc><lastmod>" in xml
    assert "/tags/night-cramps/</loc><lastmod>" in xml
    assert xml.count("<url>") == xml.count("<lastmod>")


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text


def test_robots_txt_keeps_crawlers_off_the_admin_at_its_default_path(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/\n" in text
    assert "Disallow: /comments/\n" in text


def test_robots_txt_never_names_a_moved_admin(client, settings):
    """robots.txt is public: listing DJANGO_ADMIN_PATH there would hand it to anyone."""
    settings.ADMIN_PATH = "staff-door/"
    text = client.get("/robots.txt").content.decode()
    assert "staff-door" not in text
    assert "/admin/" not in text  # the admin is not there
    assert "Disallow: /comments/\n" in text


def test_the_admins_pages_tell_crawlers_not_to_index_them(client):
    """Why a moved admin needs no line in robots.txt: its own pages keep crawlers out."""
    html = client.get(reverse("admin:login")).content.decode()
    assert '<meta name="robots" content="NONE,NOARCHIVE">' in html


def test_feed_lists_published_articles(client, site_content):
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert xml.count("<item>") == 10
    assert "<title>Leg cramps at night</title>" in xml


def test_sitemap_feed_and_robots_use_site_url_whatever_host_was_asked(
    client, site_content, settings
):
    """One public address everywhere: a request to another host name changes no link."""
    settings.ALLOWED_HOSTS = ["other.example"]
    settings.SITE_URL = "https://legs.example.org"
    asked = {"HTTP_HOST": "other.example"}
    sitemap = client.get(reverse("sitemap"), **asked).content.decode()
    feed = client.get(reverse("articles:feed"), **asked).content.decode()
    robots = client.get("/robots.txt", **asked).content.decode()

    assert "<loc>https://legs.example.org/articles/leg-cramps-at-night/</loc>" in sitemap
    assert "<link>https://legs.example.org/articles/leg-cramps-at-night/</link>" in feed
    assert "<link>https://legs.example.org/</link>" in feed
    assert 'href="https://legs.example.org/feed/"' in feed
    assert "Sitemap: https://legs.example.org/sitemap.xml" in robots
    assert "other.example" not in sitemap + feed + robots


def test_modified_dates_are_when_the_content_changed_not_when_it_was_loaded(client, site_content):
    """The seed article's text dates from its last review (15 Sep 2026), not today."""
    html = client.get(reverse("articles:detail", args=["leg-cramps-at-night"])).content.decode()
    sitemap = client.get(reverse("sitemap")).content.decode()

    reviewed = timezone.make_aware(datetime.datetime(2026, 9, 15, 9, 0))
    assert datetime.datetime.fromisoformat(json_ld(html)["dateModified"]) == reviewed
    meta = re.search(r'property="article:modified_time" content="([^"]+)"', html).group(1)
    assert datetime.datetime.fromisoformat(meta) == reviewed
    assert "/articles/leg-cramps-at-night/</loc><lastmod>2026-09-15</lastmod>" in sitemap
    today = timezone.localdate().isoformat()
    assert f"<lastmod>{today}</lastmod>" not in sitemap


def test_saving_without_changing_the_words_keeps_the_content_date(site_content):
    article = Article.objects.get(slug="leg-cramps-at-night")
    before = article.content_changed_at
    article.featured = False
    article.save()
    article.refresh_from_db()
    assert article.content_changed_at == before


def test_existing_articles_get_a_content_date_from_their_file_or_last_save(
    site_content, article_factory
):
    """The data migration: shipped and untouched means the file's date; else the last save."""
    migration = importlib.import_module("articles.migrations.0003_article_content_changed_at")
    hand_made = article_factory(slug="hand-made")
    Article.objects.update(content_changed_at=timezone.now() + datetime.timedelta(days=9))

    migration.estimate_content_changes(apps, None)

    shipped = Article.objects.get(slug="leg-cramps-at-night")
    assert shipped.content_changed_at.date() == datetime.date(2026, 9, 15)
    hand_made.refresh_from_db()
    assert hand_made.content_changed_at == hand_made.updated_at
