"""Comment fixtures; the articles they sit under come from tests/conftest.py."""

import pytest
from django.urls import reverse

from comments.forms import form_token
from comments.models import Comment


def add_comment(article, body="Stretching helped me.", parent=None, **fields) -> Comment:
    comment = Comment(article=article, body=body, **fields)
    comment.attach_to(parent)
    comment.save()
    return comment


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
        "token": form_token(an_article),
    }
