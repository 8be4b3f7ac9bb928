"""The admin queue: pending first, poster history, decisions with a reason, replies."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment

pytestmark = pytest.mark.django_db

S = Comment.Status
CHANGELIST = "/admin/comments/comment/"


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def listed(response) -> list[str]:
    return [comment.body for comment in response.context["cl"].result_list]


@pytest.fixture
def a_mixed_queue(an_article, comment_factory):
    """Two pending comments (the older posted second), one approved, one spam."""
    comment_factory(an_article, "Newer pending", created_at=ago(hours=1))
    comment_factory(an_article, "Older pending", created_at=ago(days=2))
    comment_factory(an_article, "Approved one", status=S.APPROVED, created_at=ago(days=3))
    comment_factory(an_article, "Spam one", status=S.SPAM, created_at=ago(minutes=5))


def test_queue_opens_on_pending_comments_oldest_first(admin_client, a_mixed_queue):
    response = admin_client.get(CHANGELIST)

    assert listed(response) == ["Older pending", "Newer pending"]


def test_status_all_still_lists_every_comment_newest_first(admin_client, a_mixed_queue):
    response = admin_client.get(CHANGELIST, {"status__exact": "all"})

    assert listed(response) == ["Spam one", "Newer pending", "Older pending", "Approved one"]


@pytest.mark.parametrize(("status", "body"), [("approved", "Approved one"), ("spam", "Spam one")])
def test_other_statuses_are_one_click_away(admin_client, a_mixed_queue, status, body):
    response = admin_client.get(CHANGELIST, {"status__exact": status})

    assert listed(response) == [body]


def test_status_filter_marks_pending_as_chosen_by_default(admin_client, a_mixed_queue):
    page = admin_client.get(CHANGELIST).content.decode()

    assert '<li class="selected">\n    <a href="?status__exact=pending">Pending</a>' in page
    assert '<a href="?status__exact=all">All</a>' in page


def test_queue_shows_the_rule_that_held_each_comment(admin_client, an_article, comment_factory):
    comment_factory(
        an_article,
        "See http://a.example and http://b.example",
        moderation_rule="too_many_links",
        moderation_reason="More than 1 link",
    )

    page = admin_client.get(CHANGELIST).content.decode()

    assert "too_many_links" in page
    assert "More than 1 link" in page


@pytest.fixture
def posters_with_history(an_article, comment_factory):
    """Comments by the same email, the same network, and a stranger, in time order."""

    def post(body, minutes_ago, **fields):
        return comment_factory(an_article, body, created_at=ago(minutes=minutes_ago), **fields)

    return {
        "first by email": post("a", 50, author_email="ann@example.com", ip_hash="net-1"),
        "second by email": post("b", 40, author_email="ANN@example.com ", ip_hash="net-2"),
        "third by email": post("c", 30, author_email="ann@example.com", ip_hash="net-3"),
        "same network": post("d", 20, author_email="bob@example.com", ip_hash="net-1"),
        "no email, same network": post("e", 10, ip_hash="net-2"),
        "stranger": post("f", 5, author_email="cat@example.com", ip_hash="net-9"),
        "nothing known": post("g", 1),
    }


def test_earlier_comments_count_matches_email_or_network(posters_with_history):
    counts = dict(Comment.objects.for_moderation_queue().values_list("body", "earlier_comments"))

    assert counts == {"a": 0, "b": 1, "c": 2, "d": 1, "e": 1, "f": 0, "g": 0}


def test_earlier_comments_column_is_shown(admin_client, posters_with_history):
    response = admin_client.get(CHANGELIST)

    assert ">Earlier</a>" in response.content.decode()
    by_body = {c.body: c.earlier_comments for c in response.context["cl"].result_list}
    assert by_body["c"] == 2


@pytest.fixture
def regulars(an_article, comment_factory):
    """Makes n pending comments by three returning posters."""

    def make(n):
        for k in range(n):
            comment_factory(
                an_article,
                f"Comment {k}",
                author_email=f"regular{k % 3}@example.com",
                ip_hash=f"net-{k % 2}",
                created_at=ago(minutes=n - k),
            )

    return make


def test_queue_query_count_is_the_same_for_one_and_many_returning_posters(admin_client, regulars):
    regulars(1)
    admin_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(CHANGELIST)

    regulars(49)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 50
    assert len(many) == len(one)


def choose(client, action, *comments, url=CHANGELIST):
    return client.post(url, {"action": action, "_selected_action": [c.pk for c in comments]})


def confirm(client, action, *comments, reason="", url=CHANGELIST):
    data = {"action": action, "_selected_action": [c.pk for c in comments], "post": "yes"}
    return client.post(url, data | {"reason": reason}, follow=True)


def test_bulk_action_asks_for_confirmation_and_an_optional_reason(admin_client, a_pending_comment):
    response = choose(admin_client, "reject", a_pending_comment)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Reject 1 comment?" in page
    assert 'value="Reject"' in page
    assert "Rejected" not in page, "nothing has happened yet"
    assert "Is magnesium worth trying?" in page
    assert '<textarea name="reason"' in page
    assert "No, take me back" in page
    a_pending_comment.refresh_from_db()
    assert a_pending_comment.status == S.PENDING, "nothing changes before confirming"


@pytest.mark.parametrize(
    ("action", "status", "done"),
    [
        ("approve", S.APPROVED, "Approved 2 comments."),
        ("reject", S.REJECTED, "Rejected 2 comments."),
        ("mark_spam", S.SPAM, "Marked 2 comments as spam."),
    ],
)
def test_confirmed_bulk_action_decides_with_the_reason(
    admin_client, admin_user, an_article, comment_factory, action, status, done
):
    comments = [comment_factory(an_article, f"Held {k}") for k in range(3)]

    response = confirm(admin_client, action, *comments[:2], reason="Checked with the nurse")

    assert done in response.content.decode()
    for comment in comments[:2]:
        comment.refresh_from_db()
        assert (comment.status, comment.decided_by) == (status, admin_user)
        assert comment.moderation_reason == "Checked with the nurse"
        event = comment.events.first()
        assert (event.actor, event.from_status, event.to_status, event.reason) == (
            admin_user,
            S.PENDING,
            status,
            "Checked with the nurse",
        )
    comments[2].refresh_from_db()
    assert comments[2].status == S.PENDING


def test_bulk_action_without_a_reason_keeps_the_rule_that_held_it(
    admin_client, an_article, comment_factory
):
    held = comment_factory(an_article, "Held", moderation_reason="First comment")

    confirm(admin_client, "approve", held)

    held.refresh_from_db()
    assert held.status == S.APPROVED
    assert held.moderation_reason == "First comment"
    assert held.events.first().reason == ""


def test_confirmation_keeps_the_filter_so_approved_comments_can_be_rejected(
    admin_client, an_approved_comment
):
    url = f"{CHANGELIST}?status__exact=approved"
    page = choose(admin_client, "reject", an_approved_comment, url=url).content.decode()
    assert "Drinking water before bed" in page

    confirm(admin_client, "reject", an_approved_comment, url=url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == S.REJECTED


def test_select_across_all_pages_is_carried_through_the_confirmation(
    admin_client, an_article, comment_factory
):
    held = [comment_factory(an_article, f"Held {k}") for k in range(3)]
    chosen = {"action": "mark_spam", "_selected_action": [held[0].pk], "select_across": "1"}

    page = admin_client.post(CHANGELIST, chosen).content.decode()
    assert 'name="select_across" value="1"' in page
    admin_client.post(CHANGELIST, chosen | {"post": "yes", "reason": ""})

    assert set(Comment.objects.values_list("status", flat=True)) == {S.SPAM}


def test_bulk_decision_keeps_article_count_right(admin_client, an_article, comment_factory):
    held = [comment_factory(an_article, f"Held {k}") for k in range(2)]

    confirm(admin_client, "approve", *held)

    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 2


def change_form_data(comment, **changes) -> dict:
    data = {
        "body": comment.body,
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "user": comment.user_id or "",
        "status": comment.status,
        "moderation_rule": comment.moderation_rule,
        "moderation_reason": comment.moderation_reason,
        "notify_replies": "",
        "moderator_reply": "",
    }
    return data | changes


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def test_reply_as_moderator_publishes_a_badged_reply_at_once(
    admin_client, admin_user, an_approved_comment, article_url
):
    data = change_form_data(an_approved_comment, moderator_reply="Thanks, Margaret: see our guide.")

    response = admin_client.post(change_url(an_approved_comment), data, follow=True)

    assert "Your reply is published under the comment." in response.content.decode()
    reply = Comment.objects.get(parent=an_approved_comment)
    assert (reply.status, reply.user, reply.depth) == (S.APPROVED, admin_user, 1)
    assert reply.body == "Thanks, Margaret: see our guide."
    assert reply.is_published()
    page = Client().get(article_url).content.decode()
    reply_html = page[page.index(f'id="comment-{reply.pk}"') :]
    assert "Thanks, Margaret: see our guide." in reply_html
    assert '<span class="badge text-bg-primary">Moderator</span>' in reply_html[:2000]


def test_reply_as_moderator_is_logged_as_the_moderators_reply(
    admin_client, admin_user, an_approved_comment
):
    data = change_form_data(an_approved_comment, moderator_reply="Noted.")

    admin_client.post(change_url(an_approved_comment), data)

    event = Comment.objects.get(parent=an_approved_comment).events.get()
    assert (event.actor, event.from_status, event.to_status) == (admin_user, "", S.APPROVED)
    assert event.reason == "Reply by a moderator"


def test_a_blank_reply_box_adds_nothing(admin_client, an_approved_comment):
    admin_client.post(change_url(an_approved_comment), change_form_data(an_approved_comment))

    assert not Comment.objects.filter(parent=an_approved_comment).exists()


def test_reply_box_is_on_the_change_page_only(admin_client, an_approved_comment):
    change = admin_client.get(change_url(an_approved_comment)).content.decode()
    add = admin_client.get(reverse("admin:comments_comment_add")).content.decode()

    assert "Reply as moderator" in change
    assert 'name="moderator_reply"' in change
    assert "Reply as moderator" not in add


def test_moderators_can_reply_too(moderator_client, a_moderator, an_approved_comment):
    data = change_form_data(an_approved_comment, moderator_reply="From the team.")

    response = moderator_client.post(change_url(an_approved_comment), data)

    assert response.status_code == 302
    reply = Comment.objects.get(parent=an_approved_comment)
    assert reply.user == a_moderator
    assert reply.by_moderator


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def test_moderation_pages_need_no_inline_script_or_style(admin_client, a_pending_comment):
    """The site's CSP allows neither, so the admin pages must work without them."""
    pages = [
        admin_client.get(CHANGELIST),
        choose(admin_client, "approve", a_pending_comment),
        admin_client.get(change_url(a_pending_comment)),
        admin_client.get("/admin/comments/dashboard/"),
    ]

    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert INLINE_SCRIPT.findall(html) == []
        assert 'style="' not in html
        assert "<style" not in html
