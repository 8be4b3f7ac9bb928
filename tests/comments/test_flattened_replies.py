"""Issue 12, item 12: a reply flattened at the deepest level says whom it answers."""

import re

import pytest
from django.core import mail
from django.test import Client

from comments import decisions, subscriptions
from comments.models import Comment, email_token_for
from comments.readers.section import discussion

pytestmark = pytest.mark.django_db

APPROVED = Comment.Status.APPROVED


@pytest.fixture
def a_deep_comment(an_article, a_thread, comment_factory):
    """The thread's deepest comment, by a named reader."""
    deep = a_thread[2]
    Comment.objects.filter(pk=deep.pk).update(
        author_name="Priya",
        author_email="priya@example.com",
        email_token=email_token_for("priya@example.com"),
        notify_replies=True,
    )
    deep.refresh_from_db()
    return deep


@pytest.fixture
def an_answer_to_the_deep_comment(client, post_url, form_data, a_deep_comment):
    """A guest's reply, through the form, to the deepest comment; approved."""
    client.post(post_url, form_data | {"reply_to": a_deep_comment.pk, "author_name": "Tom"})
    answer = Comment.objects.latest("pk")
    decisions.approve(Comment.objects.filter(pk=answer.pk))
    answer.refresh_from_db()
    return answer


def card_of(page: str, pk: int) -> str:
    """The comment's own card, without the replies under it."""
    return re.search(rf'id="comment-{pk}".*?</article>', page, re.S)[0]


def test_a_reply_to_the_deepest_level_sits_beside_it_and_remembers_whom_it_answers(
    a_deep_comment, an_answer_to_the_deep_comment
):
    answer = an_answer_to_the_deep_comment

    assert answer.depth == 2
    assert answer.parent_id == a_deep_comment.parent_id
    assert answer.replying_to_id == a_deep_comment.pk


def test_a_flattened_reply_says_replying_to_with_a_link(
    an_answer_to_the_deep_comment, a_deep_comment, article_url
):
    page = Client().get(article_url).content.decode()

    card = card_of(page, an_answer_to_the_deep_comment.pk)
    assert f'replying to <a href="#comment-{a_deep_comment.pk}">Priya</a>' in card


def test_replies_at_their_own_level_need_no_replying_to(a_thread, article_url):
    page = Client().get(article_url).content.decode()

    assert "replying to" not in page


def test_flattened_replies_cost_no_extra_query(
    an_article, an_answer_to_the_deep_comment, comment_factory, django_assert_num_queries
):
    """The answered comment is in the same thread, loaded with the page's replies."""
    for k in range(30):
        parent = Comment.objects.filter(depth=2).latest("pk")
        comment_factory(an_article, f"More {k}", parent=parent, status=APPROVED)
    request = Client().get("/").wsgi_request

    with django_assert_num_queries(1):
        html = discussion(request, an_article)

    assert html.count("replying to") == 31


def test_the_reply_email_goes_to_the_comment_it_answered(
    an_answer_to_the_deep_comment, a_deep_comment
):
    mail.outbox.clear()
    subscriptions.confirm(email_token_for("priya@example.com"))
    reply = Comment(article=a_deep_comment.article, body="Me as well.", status=APPROVED)
    reply.attach_to(a_deep_comment)
    decisions.add(reply)

    replies = [m for m in mail.outbox if m.subject.startswith("New reply")]
    assert [m.to for m in replies] == [["priya@example.com"]]
    assert "Hello Priya" in replies[0].body
