"""The moderation dashboard's figures, on data whose answers are known."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from comments.models import Comment, ModerationEvent, Report
from comments.moderation.dashboard import ModeratorTally, duration_text, moderation_figures

pytestmark = pytest.mark.django_db

S = Comment.Status
DASHBOARD = "/admin/comments/dashboard/"
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def now():
    """The moment the figures are computed for."""
    return timezone.now()


@pytest.fixture
def a_month_of_moderation(now, an_article, comment_factory):
    """Two waiting comments, five decided ones by alice and bob, three reports."""
    users = get_user_model().objects
    alice = users.create_user("alice", is_staff=True)
    bob = users.create_user("bob", is_staff=True)

    def posted(body, at, status):
        return comment_factory(an_article, body, created_at=at, status=status)

    def event(comment, actor, before, after, at):
        ModerationEvent.objects.create(
            comment=comment,
            comment_number=comment.pk,
            article=comment.article,
            actor=actor,
            from_status=before,
            to_status=after,
            created_at=at,
        )

    posted("waiting 3h", now - 3 * HOUR, S.PENDING)
    posted("waiting 30min", now - HOUR / 2, S.PENDING)

    c1 = posted("decided after 1h", now - 2 * DAY, S.APPROVED)
    event(c1, alice, S.PENDING, S.APPROVED, c1.created_at + HOUR)
    c2 = posted("decided after 3h", now - 3 * DAY, S.APPROVED)
    event(c2, bob, S.PENDING, S.APPROVED, c2.created_at + 3 * HOUR)
    c3 = posted("decided after 10h, 20 days ago", now - 20 * DAY, S.REJECTED)
    event(c3, alice, S.PENDING, S.APPROVED, c3.created_at + 10 * HOUR)
    event(c3, bob, S.APPROVED, S.REJECTED, now - DAY)  # not a first decision
    c4 = posted("decided 39 days ago", now - 40 * DAY, S.APPROVED)
    event(c4, alice, S.PENDING, S.APPROVED, c4.created_at + DAY)
    c5 = posted("spam after 2h, reported, approved", now - 5 * DAY, S.APPROVED)
    event(c5, alice, S.PENDING, S.SPAM, c5.created_at + 2 * HOUR)
    event(c5, None, S.SPAM, S.PENDING, now - 2 * DAY)
    event(c5, bob, S.PENDING, S.APPROVED, now - DAY)
    # A moderator's own reply is posting, not deciding.
    comment_factory(an_article, "reply", parent=c1, user=alice, status=S.APPROVED)
    ModerationEvent.objects.filter(from_status="").update(actor=alice)

    Report.objects.create(comment=c1, reason="spam")
    Report.objects.create(comment=c2, reason="abuse")
    Report.objects.create(comment=c2, reason="abuse", resolved=True)


def test_dashboard_figures_on_known_data(now, a_month_of_moderation):
    figures = moderation_figures(now)

    assert figures.pending == 2
    assert figures.oldest_pending_age == 3 * HOUR
    # First decisions in 7 days: 1h, 3h, 2h. In 30 days also 10h.
    assert figures.median_to_decision == {7: 2 * HOUR, 30: 2.5 * HOUR}
    assert figures.decided == {7: 3, 30: 4}
    assert figures.by_moderator == [
        ModeratorTally("alice", last_7_days=2, last_30_days=3),
        ModeratorTally("bob", last_7_days=3, last_30_days=3),
    ]
    assert figures.open_reports == 2


def test_dashboard_with_nothing_to_show(db, now):
    figures = moderation_figures(now)

    assert (figures.pending, figures.oldest_pending_age, figures.open_reports) == (0, None, 0)
    assert figures.median_to_decision == {7: None, 30: None}
    assert figures.by_moderator == []


def test_dashboard_page_shows_the_figures(admin_client, a_month_of_moderation):
    page = admin_client.get(DASHBOARD).content.decode()

    assert '<td id="pending-count">2</td>' in page
    assert '<td id="oldest-wait">3 hours</td>' in page
    assert '<td id="open-reports">2</td>' in page
    assert '<th scope="row">Last 7 days</th><td>2 hours</td><td>3</td>' in page
    assert '<th scope="row">Last 30 days</th><td>2 hours 30 minutes</td><td>4</td>' in page
    assert '<th scope="row">alice</th><td>2</td><td>3</td>' in page
    assert '<th scope="row">bob</th><td>3</td><td>3</td>' in page


def test_dashboard_costs_the_same_queries_with_more_data(
    admin_client, a_month_of_moderation, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert admin_client.get(DASHBOARD).status_code == 200


def test_moderators_see_the_dashboard(moderator_client):
    assert moderator_client.get(DASHBOARD).status_code == 200


def test_staff_without_comment_permissions_do_not(client, db):
    client.force_login(get_user_model().objects.create_user("editor", is_staff=True))

    assert client.get(DASHBOARD).status_code == 403


def test_the_public_is_sent_to_the_login_page(client, db):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_dashboard_is_linked_from_the_admin_index_and_the_comment_list(moderator_client):
    index = moderator_client.get("/admin/").content.decode()
    comments = moderator_client.get("/admin/comments/comment/").content.decode()

    assert f'<a href="{DASHBOARD}">Moderation dashboard</a>' in index
    assert f'<a href="{DASHBOARD}">Moderation dashboard</a>' in comments


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (None, "—"),
        (datetime.timedelta(seconds=20), "under a minute"),
        (datetime.timedelta(minutes=1), "1 minute"),
        (datetime.timedelta(hours=2, minutes=30, seconds=9), "2 hours 30 minutes"),
        (datetime.timedelta(days=1, minutes=5), "1 day"),
        (datetime.timedelta(days=3, hours=4, minutes=5), "3 days 4 hours"),
    ],
)
def test_durations_read_in_two_units_at_most(duration, text):
    assert duration_text(duration) == text
