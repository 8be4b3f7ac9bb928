"""What search engines and feed readers get: tags, JSON-LD, sitemap, feed."""

import json
import re

import pytest
from django.urls import reverse

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
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_feed_lists_published_articles(client, site_content):
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert xml.count("<item>") == 10
    assert "<title>Leg cramps at night</title>" in xml
