"""Fixtures shared by every test package: the site's articles and people."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, Person, Tag, Topic


@pytest.fixture
def a_topic(db):
    """The topic most test articles file under."""
    return Topic.objects.get_or_create(slug="leg-cramps", defaults={"name": "Leg cramps"})[0]


@pytest.fixture
def an_author(db):
    """A credited author and medical reviewer."""
    return Person.objects.get_or_create(
        name="Dr Test Writer", defaults={"credentials": "MBBS", "slug": "dr-test-writer"}
    )[0]


def make_article(topic, author, /, **fields) -> Article:
    today = timezone.localdate()
    defaults = {
        "title": "Night cramps explained",
        "slug": "night-cramps-explained",
        "summary": "What night cramps are and how to ease them.",
        "body": "Cramps are sudden.\n\n## Causes\n\nMany causes.\n",
        "status": Article.Status.PUBLISHED,
        "publish_at": timezone.now() - datetime.timedelta(days=1),
        "last_reviewed": today,
        "next_review_due": today + datetime.timedelta(days=365),
        "topic": topic,
        "author": author,
        "reviewer": author,
    }
    return Article.objects.create(**{**defaults, **fields})


@pytest.fixture
def article_factory(a_topic, an_author):
    """Makes published articles; pass fields to override the defaults."""
    return lambda **fields: make_article(a_topic, an_author, **fields)


@pytest.fixture
def an_article(article_factory):
    """A published article that takes comments."""
    return article_factory()


@pytest.fixture
def a_closed_article(article_factory):
    """A published article whose comments are closed."""
    return article_factory(title="Closed", slug="closed", allow_comments=False)


@pytest.fixture
def a_draft_article(article_factory):
    """An article still in draft: readers must never see it."""
    return article_factory(
        title="Secret draft about zebrafish", slug="secret-draft", status=Article.Status.DRAFT
    )


@pytest.fixture
def a_scheduled_article(article_factory):
    """A published article whose publish date is tomorrow."""
    return article_factory(
        title="Scheduled piece on quokkas",
        slug="scheduled-piece",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )


@pytest.fixture
def a_tag(db):
    """A tag shared by several articles."""
    return Tag.objects.get_or_create(slug="night-cramps", defaults={"name": "night cramps"})[0]


@pytest.fixture
def site_content(db):
    """The site's shipped articles and synonyms, loaded as `make run` does."""
    from articles.content_loader import load_all

    load_all()
    return Article.objects.all()


@pytest.fixture
def an_own_reader():
    """A reader with the own-comment cookie: a per-request render, never the page cache's."""
    client = Client()
    client.cookies["comments_mine"] = "none"
    return client
