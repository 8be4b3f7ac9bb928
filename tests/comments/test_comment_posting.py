"""Posting as a guest: the no-JavaScript path is the reference."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from comments.models import Comment
from comments.ownership import COOKIE

pytestmark = pytest.mark.django_db


def test_guest_comment_is_saved_pending_and_redirects_to_it(client, post_url, form_data):
    response = client.post(post_url, form_data)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert response.status_code == 303
    assert response["Location"] == f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Thanks! Your comment is awaiting moderation."]


def test_guest_with_blank_name_is_shown_as_guest(client, post_url, form_data, article_url):
    client.post(post_url, form_data)

    page = client.get(article_url).content.decode()
    comment = Comment.objects.get()
    assert comment.author_name == ""
    assert 'class="comment-author">Guest</span>' in page


def test_success_message_is_shown_after_the_redirect(client, post_url, form_data):
    response = client.post(post_url, form_data, follow=True)

    assert "Thanks! Your comment is awaiting moderation." in response.content.decode()


def test_pending_comment_is_visible_to_its_author_marked_awaiting(
    client, post_url, form_data, article_url
):
    client.post(post_url, form_data | {"author_name": "Priya"})

    page = client.get(article_url).content.decode()
    assert "Calf stretches before bed really work for me." in page
    assert "Awaiting moderation" in page
    assert 'class="comment-author">Priya</span>' in page


def test_pending_comment_is_hidden_from_other_readers(client, post_url, form_data, article_url):
    client.post(post_url, form_data)

    page = Client().get(article_url).content.decode()
    assert "Calf stretches before bed really work for me." not in page
    assert "Awaiting moderation" not in page


def test_forged_ownership_cookie_shows_nothing(client, a_pending_comment, article_url):
    """The cookie is signed: a reader cannot claim someone else's comment id."""
    client.cookies[COOKIE] = str(a_pending_comment.pk)

    page = client.get(article_url).content.decode()
    assert a_pending_comment.body not in page


def test_pending_comment_does_not_change_the_public_count(client, post_url, form_data, an_article):
    client.post(post_url, form_data)

    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 0


def test_post_stores_a_hash_of_the_ip_never_the_ip(client, post_url, form_data):
    client.post(post_url, form_data, REMOTE_ADDR="203.0.113.7")

    comment = Comment.objects.get()
    assert comment.ip_hash and "203.0.113.7" not in comment.ip_hash
    assert len(comment.ip_hash) == 64


def test_reply_attaches_to_its_parent(client, post_url, form_data, an_approved_comment):
    response = client.post(post_url, form_data | {"reply_to": an_approved_comment.pk})

    reply = Comment.objects.get(parent=an_approved_comment)
    assert (reply.depth, reply.root) == (1, an_approved_comment)
    assert response["Location"].endswith(f"#comment-{reply.pk}")


def test_reply_to_deepest_level_becomes_a_sibling(client, post_url, form_data, a_thread):
    top, reply, deep = a_thread

    client.post(post_url, form_data | {"reply_to": deep.pk})

    newest = Comment.objects.latest("pk")
    assert newest.depth == 2
    assert newest.parent == reply
    assert newest.root == top


def test_staff_comment_is_published_at_once_with_moderator_badge(
    client, admin_user, post_url, form_data, article_url, an_article
):
    client.force_login(admin_user)

    response = client.post(post_url, form_data, follow=True)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.user == admin_user
    assert "Thanks! Your comment is published." in response.content.decode()
    assert ">Moderator</span>" in Client().get(article_url).content.decode()
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 1


def test_posting_without_any_sign_of_its_origin_is_refused(post_url, form_data):
    """No token any more (cramps_site/origin_csrf.py): no Origin header, no post."""
    client = Client(enforce_csrf_checks=True)

    response = client.post(post_url, form_data)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_posting_with_the_rendered_form_passes_csrf(article_url, post_url):
    """The whole no-JS round trip: the page's own form, as a browser sends it."""
    import re

    client = Client(enforce_csrf_checks=True)
    page = client.get(article_url).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))

    response = client.post(
        post_url,
        fields | {"body": "Works without JavaScript."},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
    )

    assert response.status_code == 303
    assert Comment.objects.get().body == "Works without JavaScript."


def test_new_thread_redirects_to_the_last_page_where_its_author_sees_it(
    client, post_url, form_data, an_article, comment_factory
):
    for n in range(51):
        comment_factory(an_article, f"Thread {n}", status=Comment.Status.APPROVED)

    response = client.post(post_url, form_data)

    newest = Comment.objects.latest("pk")
    assert response["Location"].endswith(f"?comments_page=2#comment-{newest.pk}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="comment-{newest.pk}"' in page


def test_reply_in_a_later_thread_redirects_to_that_threads_page(
    client, post_url, form_data, an_article, comment_factory
):
    threads = [
        comment_factory(an_article, f"Thread {n}", status=Comment.Status.APPROVED)
        for n in range(55)
    ]

    response = client.post(post_url, form_data | {"reply_to": threads[52].pk})

    reply = Comment.objects.latest("pk")
    assert response["Location"].endswith(f"?comments_page=2#comment-{reply.pk}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="comment-{reply.pk}"' in page
    assert "Awaiting moderation" in page
