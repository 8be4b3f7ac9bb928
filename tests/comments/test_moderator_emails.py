"""Moderators are emailed when comments are held: batched, with a link to the queue."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.tasks import default_task_backend
from django.test import override_settings

from comments import decisions, notifications
from comments.models import Comment, CommentSettings
from comments.notifications import MODERATOR_EMAIL_LOCK

pytestmark = pytest.mark.django_db

S = Comment.Status


@pytest.fixture
def moderators(a_moderator):
    """A moderator and a superuser with addresses, and a reader who must not hear."""
    users = get_user_model().objects
    users.create_superuser("root", "root@example.com", "calf-stretch-2024")
    users.create_user("reader", "reader@example.com", "calf-stretch-2024")
    return ["mod@example.com", "root@example.com"]


@pytest.fixture
def post_held(client, post_url, form_data):
    """Posts a guest comment that the rules hold for moderation."""

    def post(body="Is quinine safe for cramps?"):
        response = client.post(post_url, form_data | {"body": body})
        assert response.status_code == 303
        assert Comment.objects.latest("pk").status == S.PENDING

    return post


def held_emails():
    return [m for m in mail.outbox if "for moderation" in m.subject]


def test_a_held_comment_emails_each_moderator_with_a_link_to_the_queue(moderators, post_held):
    post_held()

    sent = held_emails()
    assert sorted(address for m in sent for address in m.to) == moderators
    assert all(len(m.to) == 1 for m in sent), "moderators do not see each other's addresses"
    message = sent[0]
    assert message.subject == "1 comment waits for moderation"
    assert "1 comment is waiting for moderation on Leg Health Guide." in message.body
    assert "http://127.0.0.1:8000/admin/comments/comment/" in message.body
    assert "http://127.0.0.1:8000/admin/comments/dashboard/" in message.body
    assert "at most once every 15 minutes" in message.body


def test_held_comments_are_batched_into_one_email_per_interval(moderators, post_held):
    for k in range(3):
        post_held(f"Held comment number {k}")

    assert len(held_emails()) == len(moderators)

    cache.delete(MODERATOR_EMAIL_LOCK)  # the interval has passed
    post_held("And a fourth")

    assert len(held_emails()) == 2 * len(moderators)
    assert held_emails()[-1].subject == "4 comments wait for moderation"
    assert "4 comments are waiting" in held_emails()[-1].body


def test_the_batching_lock_lasts_the_configured_interval(moderators, post_held, monkeypatch):
    config = CommentSettings.load()
    config.moderator_email_interval_minutes = 45
    config.save()
    calls = []
    real_add = cache.add
    monkeypatch.setattr(
        notifications.cache,
        "add",
        lambda key, value, timeout: calls.append((key, timeout)) or real_add(key, value, timeout),
    )

    post_held()

    assert [call for call in calls if call[0] == MODERATOR_EMAIL_LOCK] == [
        (MODERATOR_EMAIL_LOCK, 45 * 60)
    ]


def test_an_interval_of_zero_emails_every_held_comment(moderators, post_held):
    config = CommentSettings.load()
    config.moderator_email_interval_minutes = 0
    config.save()

    post_held("One")
    post_held("Two")

    assert len(held_emails()) == 2 * len(moderators)


def test_no_email_when_moderators_turned_notifications_off(moderators, post_held):
    config = CommentSettings.load()
    config.notify_moderators = False
    config.save()

    post_held()

    assert held_emails() == []


def test_no_email_for_published_comments(moderators, an_article, comment_factory):
    comment_factory(an_article, "Fine", status=S.APPROVED)

    assert held_emails() == []


def test_a_moderator_sending_a_comment_back_to_pending_does_not_email_the_team(
    moderators, a_moderator, an_approved_comment
):
    decisions.decide(Comment.objects.filter(pk=an_approved_comment.pk), S.PENDING, by=a_moderator)

    assert held_emails() == []


def test_a_comment_reported_back_to_pending_emails_moderators(moderators, an_approved_comment):
    for k in range(3):
        decisions.file_report(an_approved_comment, "abuse", "", f"net-{k}", threshold=3)

    assert len(held_emails()) == len(moderators)


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_emails_are_left_to_a_background_task(moderators, post_held):
    """Posting only enqueues: a slow mail server never slows the reader down."""
    post_held()

    assert mail.outbox == []
    queued = [result.task.name for result in default_task_backend.results]
    assert queued == ["email_moderators"]


def test_no_moderators_yet_takes_no_lock(post_held, a_moderator_to_come):
    """Nobody was emailed, so the first moderator must not wait out an interval."""
    post_held("Held before anyone moderates")

    assert held_emails() == []
    assert cache.get(MODERATOR_EMAIL_LOCK) is None

    a_moderator_to_come()
    post_held("Held once a moderator exists")

    [message] = held_emails()
    assert message.subject == "2 comments wait for moderation"


def test_an_empty_queue_takes_no_lock(moderators):
    assert notifications.email_moderators.call() == 0

    assert cache.get(MODERATOR_EMAIL_LOCK) is None


@pytest.fixture
def a_moderator_to_come(db):
    """Makes the site's first moderator, when called."""
    from comments.moderation.moderators import create_moderator

    return lambda: create_moderator("late", "late@example.com", "calf-stretch-2024")
