"""Each comment's card head is stored when it changes, and readers see the change at once."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from comments import cards, decisions
from comments.models import Comment

pytestmark = pytest.mark.django_db

APPROVED = Comment.Status.APPROVED


def stored(comment) -> str:
    return Comment.objects.get(pk=comment.pk).card_html


def card_on_page(article_url, comment) -> str:
    page = Client().get(article_url).content.decode()
    return re.search(rf'id="comment-{comment.pk}">(.*?)</header>', page, re.S)[1]


def test_a_new_comment_has_its_card_stored_stamped_and_escaped(an_article, comment_factory):
    comment = comment_factory(an_article, "Hello", author_name="<i>Eve</i>", status=APPROVED)

    card = stored(comment)

    assert card.startswith(cards.stamp())
    assert 'aria-label="Comment by &lt;i&gt;Eve&lt;/i&gt;"' in card
    assert '<span class="comment-author">&lt;i&gt;Eve&lt;/i&gt;</span>' in card


def test_a_guest_without_email_gets_an_avatar_from_the_new_rows_number(an_article, comment_factory):
    comment = comment_factory(an_article, "Hello", status=APPROVED)

    assert f"/comments/avatar/{comment.avatar_token}.png" in stored(comment)


def test_a_moderators_rename_shows_on_the_next_request(
    an_approved_comment, article_url, a_moderator
):
    assert "Margaret" in card_on_page(article_url, an_approved_comment)
    an_approved_comment.author_name = "M."

    decisions.save_by_moderator(an_approved_comment, by=a_moderator, changed=["author_name"])

    card = card_on_page(article_url, an_approved_comment)
    assert '<span class="comment-author">M.</span>' in card and "Margaret" not in card


def test_an_erased_commenter_is_a_guest_on_the_next_request(an_approved_comment, article_url):
    assert "Margaret" in card_on_page(article_url, an_approved_comment)

    decisions.erase_commenter("margaret@example.com", delete=False)

    card = card_on_page(article_url, an_approved_comment)
    assert "Margaret" not in card and "Comment by Guest" in card
    assert "Margaret" not in stored(an_approved_comment)


@pytest.mark.parametrize("how", ["author", "moderator"])
def test_a_deleted_or_removed_comment_with_replies_keeps_an_anonymous_card(
    a_thread, article_url, a_moderator, how
):
    top = a_thread[0]
    if how == "author":
        decisions.delete_by_author(top)
    else:
        decisions.remove(top, by=a_moderator)

    card = card_on_page(article_url, top)
    assert 'aria-label="Deleted comment"' in card
    assert "Margaret" not in card and "comment-author" not in card
    assert "Margaret" not in stored(top)


def test_a_card_from_older_code_is_made_again_on_the_fly_then_stored(
    an_approved_comment, article_url
):
    fresh = card_on_page(article_url, an_approved_comment)
    Comment.objects.filter(pk=an_approved_comment.pk).update(
        card_html="<!--card older-->" + "<article>stale</article>"
    )
    # Another address than before, so no page or rows kept from before serve it.
    assert card_on_page(article_url + "?comments_page=1", an_approved_comment) == fresh

    call_command("refresh_comment_cards", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored(an_approved_comment).startswith(cards.stamp())
    assert "stale" not in stored(an_approved_comment)


def test_the_stored_card_leaves_the_static_avatar_url_to_each_render(
    an_article, comment_factory, article_url
):
    """A task worker or a command may decide without collected static files."""
    comment = comment_factory(an_article, "Hello", author_name="A\x1fB", status=APPROVED)

    assert "user-avatar.svg" not in stored(comment)
    card = card_on_page(article_url, comment)
    assert re.search(r'data-fallback="[^"]*user-avatar\.svg"', card)
    assert '<span class="comment-author">AB</span>' in card
