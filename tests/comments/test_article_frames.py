"""A comment decision keeps the article page's frame; every change still shows next request.

The frame (articles/pages.py) is kept under the articles' own version, which
comment decisions leave alone; the comment section and the related cards'
comment counts are read again under the site version, which they move.
"""

import gzip

import pytest
from django.test import Client

from articles import page_cache, pages
from articles.models import Article
from comments import decisions
from comments.models import Comment
from tests.comments.conftest import add_comment

pytestmark = pytest.mark.django_db

S = Comment.Status


@pytest.fixture
def reader():
    """A reader who only reads: served the shared page cache's copy."""
    return Client()


@pytest.fixture
def a_related_article(article_factory):
    """Another article on the same topic: a card under an_article."""
    return article_factory(slug="cramps-in-pregnancy", title="Cramps in pregnancy")


def text_of(response) -> str:
    assert response.status_code == 200
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def related_cards(page: str) -> str:
    """The "Related articles" part of an article page."""
    return page.split('id="related-heading"', 1)[1].split("</section>", 1)[0]


def frame_of(article):
    return pages.FRAMES.get((article.pk, False))


@pytest.fixture(params=["reader", "an_own_reader"])
def someone(request):
    """Both kinds of reader: the page cache's copy, and a render of one's own."""
    return request.getfixturevalue(request.param)


def test_an_approved_comment_shows_next_request_and_the_frame_is_kept(
    someone, an_article, article_url, a_pending_comment
):
    before = text_of(someone.get(article_url))
    frame = frame_of(an_article)

    decisions.approve(Comment.objects.filter(pk=a_pending_comment.pk))
    after = text_of(someone.get(article_url))

    assert a_pending_comment.body not in before
    assert a_pending_comment.body in after
    assert frame_of(an_article) is frame


def test_a_rejected_comment_is_gone_next_request(
    someone, an_article, article_url, an_approved_comment
):
    assert an_approved_comment.body in text_of(someone.get(article_url))
    frame = frame_of(an_article)

    decisions.reject(Comment.objects.filter(pk=an_approved_comment.pk))

    assert an_approved_comment.body not in text_of(someone.get(article_url))
    assert frame_of(an_article) is frame


def test_a_moderators_edit_shows_next_request(
    someone, an_article, article_url, an_approved_comment, a_moderator
):
    assert an_approved_comment.body in text_of(someone.get(article_url))
    comment = Comment.objects.get(pk=an_approved_comment.pk)
    comment.body = "Water helped, and so did stretching."

    decisions.save_by_moderator(comment, by=a_moderator, changed=["body"])
    page = text_of(someone.get(article_url))

    assert "Water helped, and so did stretching." in page
    assert an_approved_comment.body not in page
    assert frame_of(an_article) is not None


def test_an_authors_delete_shows_next_request(
    someone, an_article, article_url, an_approved_comment
):
    assert an_approved_comment.body in text_of(someone.get(article_url))

    decisions.delete_by_author(Comment.objects.get(pk=an_approved_comment.pk))

    assert an_approved_comment.body not in text_of(someone.get(article_url))


def test_a_decision_on_a_related_article_shows_in_its_card_next_request(
    someone, an_article, article_url, a_related_article
):
    """The count on another article's card is filled in per site version, not kept in the frame."""
    assert "<span>0 comments</span>" in related_cards(text_of(someone.get(article_url)))
    frame = frame_of(an_article)

    add_comment(a_related_article, "Same here.", status=S.APPROVED)
    one = related_cards(text_of(someone.get(article_url)))
    add_comment(a_related_article, "And me.", status=S.APPROVED)
    two = related_cards(text_of(someone.get(article_url)))

    assert "<span>1 comment</span>" in one and "0 comments" not in one
    assert "<span>2 comments</span>" in two
    assert frame_of(an_article) is frame


def test_a_related_articles_new_title_shows_next_request(
    someone, an_article, article_url, a_related_article
):
    assert "Cramps in pregnancy" in related_cards(text_of(someone.get(article_url)))
    frame = frame_of(an_article)

    Article.objects.filter(pk=a_related_article.pk).update(title="Leg cramps when pregnant")
    page_cache.bump_site_version()  # as the article admin's save does
    cards = related_cards(text_of(someone.get(article_url)))

    assert "Leg cramps when pregnant" in cards and "Cramps in pregnancy" not in cards
    assert frame_of(an_article) is not frame


def test_an_edited_article_shows_next_request(someone, an_article, article_url):
    assert an_article.title in text_of(someone.get(article_url))

    Article.objects.filter(pk=an_article.pk).update(title="Night cramps, revised")
    page_cache.bump_site_version()  # as the article admin's save does

    assert "Night cramps, revised" in text_of(someone.get(article_url))


def test_a_newly_published_article_shows_in_related_cards_next_request(
    someone, an_article, article_url, a_draft_article
):
    assert a_draft_article.title not in text_of(someone.get(article_url))

    Article.objects.filter(pk=a_draft_article.pk).update(status=Article.Status.PUBLISHED)
    page_cache.bump_site_version()  # as the article admin's save does

    assert a_draft_article.title in related_cards(text_of(someone.get(article_url)))


def test_a_frame_whose_related_article_is_gone_is_rendered_again(
    someone, an_article, article_url, a_related_article
):
    """Should an article go without the admin's bump, the card is not left with no count."""
    assert "Cramps in pregnancy" in related_cards(text_of(someone.get(article_url)))

    Article.objects.filter(pk=a_related_article.pk).delete()
    page_cache.invalidate_article(an_article.pk)

    assert "Cramps in pregnancy" not in text_of(someone.get(article_url))
