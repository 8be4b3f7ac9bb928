"""Who wrote and reviewed an article: people pages, the tags index, their SEO."""

import importlib
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse

from articles.content_loader import load_all
from articles.models import Article, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_reviewer(db):
    """A medical reviewer who wrote nothing."""
    return Person.objects.create(
        name="Dr Rhea Review",
        slug="dr-rhea-review",
        credentials="MD",
        bio="Rhea checks the advice before it is published.",
    )


@pytest.fixture
def a_reviewed_article(article_factory, a_reviewer):
    """A published article written by the test author and reviewed by a_reviewer."""
    return article_factory(reviewer=a_reviewer)


def json_ld(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(block.group(1))


def test_the_byline_links_to_the_author_and_the_reviewer(client, a_reviewed_article):
    html = client.get(a_reviewed_article.get_absolute_url()).content.decode()

    assert '<a href="/people/dr-test-writer/">Dr Test Writer</a>, MBBS' in html
    assert '<a href="/people/dr-rhea-review/">Dr Rhea Review</a>, MD' in html


def test_a_person_page_shows_credentials_bio_and_published_work_only(
    client, a_reviewed_article, article_factory, a_reviewer
):
    article_factory(
        slug="draft", title="Unfinished draft", reviewer=a_reviewer, status=Article.Status.DRAFT
    )
    html = client.get(reverse("articles:person", args=["dr-rhea-review"])).content.decode()

    assert "<h1" in html and "Dr Rhea Review</h1>" in html
    assert "MD" in html
    assert "Rhea checks the advice before it is published." in html
    assert "Articles medically reviewed (1)" in html
    assert a_reviewed_article.title in html
    assert "Unfinished draft" not in html
    assert "Articles written" not in html


def test_someone_credited_only_on_drafts_has_no_page(client, article_factory):
    hidden = Person.objects.create(name="Dr Draft Only", slug="dr-draft-only")
    article_factory(slug="d", author=hidden, reviewer=None, status=Article.Status.DRAFT)

    assert client.get(reverse("articles:person", args=["dr-draft-only"])).status_code == 404
    assert client.get(reverse("articles:person", args=["nobody"])).status_code == 404


def test_article_json_ld_people_point_to_their_pages(client, a_reviewed_article):
    data = json_ld(client.get(a_reviewed_article.get_absolute_url()).content.decode())

    assert data["author"]["url"] == "http://127.0.0.1:8000/people/dr-test-writer/"
    assert data["reviewedBy"]["url"] == "http://127.0.0.1:8000/people/dr-rhea-review/"


def test_a_person_page_is_a_profile_page_about_that_person(client, a_reviewed_article):
    html = client.get(reverse("articles:person", args=["dr-rhea-review"])).content.decode()
    data = json_ld(html)

    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert person["url"] == "http://127.0.0.1:8000/people/dr-rhea-review/"
    assert person["honorificSuffix"] == "MD"
    assert person["description"] == "Rhea checks the advice before it is published."
    assert '<link rel="canonical" href="http://127.0.0.1:8000/people/dr-rhea-review/">' in html


def test_a_person_page_takes_the_same_queries_for_one_article_or_many(
    client, article_factory, a_reviewer, django_assert_num_queries
):
    url = reverse("articles:person", args=["dr-rhea-review"])
    article_factory(slug="first", reviewer=a_reviewer, author=a_reviewer)
    with django_assert_num_queries(3):  # the person, the articles written, those reviewed
        client.get(url)
    for k in range(5):
        article_factory(slug=f"more-{k}", reviewer=a_reviewer, author=a_reviewer)
    with django_assert_num_queries(3):
        assert client.get(url).content.decode().count('class="article-card"') == 12


def test_the_tags_index_lists_tags_in_use_with_counts(client, an_article, a_draft_article, a_tag):
    an_article.tags.add(a_tag)
    a_draft_article.tags.create(name="zebrafish", slug="zebrafish")
    html = client.get(reverse("articles:tags")).content.decode()

    assert '<a href="/tags/night-cramps/">night cramps <span class="topic-links__count">(1)' in html
    assert "zebrafish" not in html
    assert '<a href="/tags/">Tags</a>' in html  # in the footer, on every page


def test_sitemap_lists_people_and_the_tags_index(client, site_content):
    xml = client.get(reverse("sitemap")).content.decode()

    assert "/people/dr-amelia-hart/</loc><lastmod>" in xml
    assert "/people/dr-samuel-okafor/</loc><lastmod>" in xml
    assert "/tags/</loc>" in xml
    assert xml.count("<url>") == xml.count("<lastmod>")


def test_shipped_people_get_their_bios_once(site_content):
    amelia = Person.objects.get(slug="dr-amelia-hart")
    assert amelia.credentials == "MBBS, MRCGP"
    assert amelia.bio.startswith("Amelia is a general practitioner")
    assert all(person.bio for person in Person.objects.all())

    amelia.bio = "Edited by an editor."
    amelia.save()
    load_all()
    amelia.refresh_from_db()
    assert amelia.bio == "Edited by an editor."


def test_existing_people_get_unique_page_addresses(db):
    """The migration that added slugs: names that slugify alike still get their own page."""
    migration = importlib.import_module("articles.migrations.0004_person_pages")
    Person.objects.create(name="Dr Jo Bloggs", slug="x1")
    Person.objects.create(name="Dr Jo Bloggs.", slug="x2")

    migration.give_people_slugs(apps, None)

    assert sorted(Person.objects.values_list("slug", flat=True)) == [
        "dr-jo-bloggs",
        "dr-jo-bloggs-2",
    ]
