"""Comment fixtures; the articles they sit under come from tests/conftest.py."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from comments import decisions
from comments.models import Comment
from comments.readers.forms import form_token
from cramps_site import rate_counter

# A form a person filled in: shown a minute ago, so the "too fast" rule is quiet.
READ_AND_WRITTEN = 60


@pytest.fixture(autouse=True)
def a_fresh_cache(request):
    """Rate-limit counts, cached settings and drawn avatars start from nothing in each test."""
    caches["avatars"].clear()
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if uses_db or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("transactional_db" if "transactional_db" in uses_db else "db")
        cache.clear()
    yield


def add_comment(article, body="Stretching helped me.", parent=None, **fields) -> Comment:
    comment = Comment(article=article, body=body, **fields)
    comment.attach_to(parent)
    return decisions.add(comment)


@pytest.fixture
def comment_factory():
    """Saves a comment on an article (pending unless status is given)."""
    return add_comment


@pytest.fixture
def an_approved_comment(an_article):
    """A public top-level comment by a named reader."""
    return add_comment(
        an_article,
        "Drinking water before bed helped my cramps.",
        author_name="Margaret",
        author_email="margaret@example.com",
        status=Comment.Status.APPROVED,
    )


@pytest.fixture
def a_pending_comment(an_article):
    """A guest's comment still waiting for a moderator."""
    return add_comment(an_article, "Is magnesium worth trying?")


@pytest.fixture
def a_thread(an_article, an_approved_comment):
    """An approved comment with an approved reply and an approved reply to that."""
    reply = add_comment(
        an_article, "Same for me.", parent=an_approved_comment, status=Comment.Status.APPROVED
    )
    deep = add_comment(
        an_article, "Me too, every night.", parent=reply, status=Comment.Status.APPROVED
    )
    return an_approved_comment, reply, deep


@pytest.fixture
def article_url(an_article):
    """The article page that shows the comments."""
    return reverse("articles:detail", args=[an_article.slug])


@pytest.fixture
def post_url(an_article):
    """Where the comment form posts."""
    return reverse("comments:post", args=[an_article.slug])


@pytest.fixture
def form_data(an_article):
    """A valid submission, as the rendered form would send it."""
    return {
        "body": "Calf stretches before bed really work for me.",
        "author_name": "",
        "author_email": "",
        "reply_to": "",
        "token": form_token(an_article, rendered_at=time.time() - READ_AND_WRITTEN),
        "homepage": "",
    }


@pytest.fixture
def a_moderator(db):
    """A staff account in the Moderators group, as create_moderator makes it."""
    from comments.moderation.moderators import create_moderator

    return create_moderator("mod", "mod@example.com", "calf-stretch-2024")


@pytest.fixture
def moderator_client(client, a_moderator):
    """A browser signed in as a_moderator."""
    client.force_login(a_moderator)
    return client


@pytest.fixture(autouse=True)
def rate_windows_that_hold_still(monkeypatch):
    """The rate limits' clock, stopped for the test.

    Counts are kept per fixed window (cramps_site/rate_counter.py): posts that
    straddle the start of a new minute or hour would see the count start again
    mid-test. tests/security/test_rate_counter.py moves the clock on purpose.
    """
    stopped = time.time()
    monkeypatch.setattr(rate_counter, "time", SimpleNamespace(time=lambda: stopped))
