"""A reader who only reads gets no cookie at all (issue 10): privacy, and cacheable pages."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Tag
from comments import subscriptions
from comments.models import email_token_for
from comments.ownership import delete_url, edit_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_tagged_article(an_article):
    """The article with a tag, so the tag page exists."""
    an_article.tags.add(Tag.objects.create(name="Calves", slug="calves"))
    return an_article


def public_urls(article, comment) -> dict[str, str]:
    token = email_token_for("reader@example.org")
    return {
        "home": reverse("articles:home"),
        "articles": reverse("articles:list"),
        "article": article.get_absolute_url(),
        "article comments page": f"{article.get_absolute_url()}?comments_page=2",
        "article reply form": f"{article.get_absolute_url()}?reply_to={comment.pk}",
        "search": reverse("articles:search") + "?q=cramps",
        "empty search": reverse("articles:search"),
        "topics": reverse("articles:topics"),
        "topic": article.topic.get_absolute_url(),
        "tag": reverse("articles:tag", args=["calves"]),
        "feed": reverse("articles:feed"),
        "sitemap": reverse("sitemap"),
        "robots": reverse("robots"),
        "report": reverse("comments:report", args=[comment.pk]),
        "edit": edit_url(comment),
        "delete": delete_url(comment),
        "confirm": reverse("comments:confirm", args=[subscriptions.confirm_link_token(token)]),
        "unsubscribe": reverse(
            "comments:unsubscribe", args=[subscriptions.unsubscribe_link_token(token)]
        ),
        "avatar": reverse("comments:avatar", args=[comment.avatar_token]),
        "not found": "/no-such-page/",
    }


def test_reading_any_public_page_sets_no_cookie(a_tagged_article, an_approved_comment):
    reader = Client(enforce_csrf_checks=True)

    for name, url in public_urls(a_tagged_article, an_approved_comment).items():
        response = reader.get(url)

        assert response.status_code in {200, 404}, name
        assert not response.cookies, f"{name} set {list(response.cookies)}"


def test_posting_a_comment_sets_only_the_own_comment_cookie_and_the_message(
    article_url, post_url, form_data
):
    """After writing, the reader gets what lets them see and edit their comment."""
    response = Client().post(post_url, form_data)

    assert response.status_code == 303
    assert set(response.cookies) == {"comments_mine", "messages"}


def test_a_message_once_shown_is_cleared_from_the_cookie(article_url, post_url, form_data):
    reader = Client()
    reader.post(post_url, form_data)

    page = reader.get(article_url)

    assert "awaiting moderation" in page.content.decode()
    assert page.cookies["messages"].value == ""
