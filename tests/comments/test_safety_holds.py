"""What moderators see of a medical-safety hold: first in the queue, named, marked, emailed."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentSettings, Phrase
from comments.moderation.dashboard import moderation_figures
from comments.ownership import edit_url

pytestmark = pytest.mark.django_db

S = Comment.Status
CHANGELIST = reverse("admin:comments_comment_changelist")
DASHBOARD = "/admin/comments/dashboard/"
RED_FLAG = "Since the flight home my left calf is swollen and hot to touch, is that cramp?"
SELF_HARM = "honestly some nights i just want to die, the pain never stops"
DOSING = "I double the dose of my water tablets when the cramps are bad"


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.fixture
def a_safety_queue(an_article, comment_factory):
    """Pending comments, the ordinary ones oldest, the urgent ones newest."""

    def held(body, rule, minutes_ago):
        return comment_factory(
            an_article,
            body,
            moderation_rule=rule,
            moderation_reason="held",
            created_at=ago(minutes=minutes_ago),
        )

    return {
        "ordinary": held("Is magnesium worth trying?", "first_comment", 90),
        "links": held("See a.example and b.example", "too_many_links", 80),
        "dosing": held(DOSING, "dosing_advice", 60),
        "red flag": held(RED_FLAG, "red_flag_symptom", 20),
        "self-harm": held(SELF_HARM, "self_harm", 10),
    }


def queue_order(client, url=CHANGELIST):
    return [c.pk for c in client.get(url).context["cl"].result_list]


def test_queue_lists_urgent_holds_first_then_review_holds_then_oldest(admin_client, a_safety_queue):
    q = a_safety_queue

    assert queue_order(admin_client) == [
        q["red flag"].pk,
        q["self-harm"].pk,
        q["dosing"].pk,
        q["ordinary"].pk,
        q["links"].pk,
    ]


def test_lists_other_than_the_queue_stay_newest_first(admin_client, a_safety_queue):
    order = queue_order(admin_client, f"{CHANGELIST}?status__exact=all")

    assert order == sorted(order, reverse=True)


def test_queue_names_the_category_and_concept_and_marks_the_words(admin_client, a_safety_queue):
    page = admin_client.get(CHANGELIST).content.decode()

    assert "<strong>Red-flag symptom:</strong> possible clot in the leg" in page
    assert "<strong>Self-harm:</strong>" in page
    assert "<strong>Dosing advice:</strong> doubling a dose" in page
    assert "<mark>want to die</mark>" in page
    assert "<mark>double the dose</mark>" in page


def test_marked_words_keep_only_a_little_text_around_them(
    admin_client, an_article, comment_factory
):
    filler = "Cramps again last night and the stretching did little. " * 8
    comment_factory(an_article, f"{filler}Then I took 20 tablets of quinine. {filler}")

    page = admin_client.get(CHANGELIST).content.decode()

    why = page[page.index('class="safety-words"') :]
    why = why[: why.index("</span>")]
    assert "<mark>" in why
    assert why.count("Cramps again last night") <= 2
    assert "…" in why


def test_the_comment_text_is_escaped_around_the_marks(admin_client, an_article, comment_factory):
    comment_factory(an_article, "<b>x</b> i want to die <script>alert(1)</script>")

    page = admin_client.get(CHANGELIST).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>want to die</mark>" in page


def test_a_moderators_safety_phrase_is_marked_in_the_queue(admin_client, a_safety_queue):
    Phrase.objects.create(kind=Phrase.Kind.DOSING, text="b.example")

    page = admin_client.get(CHANGELIST).content.decode()

    assert "<mark>b.example</mark>" in page


def test_comment_page_shows_the_findings_with_the_whole_text_marked(admin_client, a_safety_queue):
    comment = a_safety_queue["red flag"]
    url = reverse("admin:comments_comment_change", args=[comment.pk])

    page = admin_client.get(url).content.decode()

    assert "Medical safety" in page
    assert "<strong>Red-flag symptom:</strong> possible clot in the leg" in page
    assert "Since the flight home my left <mark>" in page
    assert "is that cramp?" in page


def test_comment_page_says_when_nothing_was_found(admin_client, a_safety_queue):
    url = reverse("admin:comments_comment_change", args=[a_safety_queue["ordinary"].pk])

    page = admin_client.get(url).content.decode()

    assert "Nothing found by the medical-safety detector." in page
    assert "<mark>" not in page


# The dashboard.


def test_dashboard_counts_pending_safety_holds_and_the_oldest_wait(a_safety_queue):
    figures = moderation_figures()

    assert (figures.urgent_holds, figures.review_holds) == (2, 1)
    # The dosing hold, an hour old; the ordinary comments are older but not safety holds.
    assert datetime.timedelta(minutes=59) < figures.oldest_safety_hold_age
    assert figures.oldest_safety_hold_age < datetime.timedelta(minutes=61)


def test_decided_safety_holds_leave_the_dashboards_figures(a_safety_queue):
    Comment.objects.filter(pk=a_safety_queue["dosing"].pk).update(status=S.REJECTED)

    figures = moderation_figures()

    assert (figures.urgent_holds, figures.review_holds) == (2, 0)
    assert figures.oldest_safety_hold_age < datetime.timedelta(minutes=21)


def test_dashboard_page_shows_the_safety_holds(admin_client, a_safety_queue):
    page = admin_client.get(DASHBOARD).content.decode()

    assert '<td id="urgent-holds">2</td>' in page
    assert '<td id="review-holds">1</td>' in page
    assert '<td id="oldest-safety-wait">1 hour</td>' in page


def test_dashboard_without_safety_holds_shows_none(admin_client, a_pending_comment):
    page = admin_client.get(DASHBOARD).content.decode()

    assert '<td id="urgent-holds">0</td>' in page
    assert '<td id="oldest-safety-wait">—</td>' in page


# The immediate email.


@pytest.fixture
def moderators(a_moderator):
    """The moderator's address, and batching that would hold back a second email."""
    config = CommentSettings.load()
    config.moderator_email_interval_minutes = 60
    config.save()
    return ["mod@example.com"]


def urgent_emails():
    return [m for m in mail.outbox if m.subject.startswith("Urgent:")]


def batched_emails():
    return [m for m in mail.outbox if "for moderation" in m.subject]


def post(post_url, form_data, body):
    """Posts from a new visitor; returns the comment."""
    client = Client()
    response = client.post(post_url, form_data | {"body": body})
    assert response.status_code == 303
    return client, Comment.objects.latest("pk")


def test_each_urgent_hold_emails_moderators_at_once(moderators, post_url, form_data):
    _, red_flag = post(post_url, form_data, RED_FLAG)
    _, self_harm = post(post_url, form_data, SELF_HARM)

    sent = urgent_emails()
    assert [m.to for m in sent] == [moderators, moderators]
    assert "(red-flag symptom)" in sent[0].subject
    assert "(possible self-harm)" in sent[1].subject
    assert "Red-flag symptom: possible clot in the leg" in sent[0].body
    assert f"/admin/comments/comment/{red_flag.pk}/change/" in sent[0].body
    assert f"/admin/comments/comment/{self_harm.pk}/change/" in sent[1].body
    assert "want to die" not in sent[1].body, "the comment's words stay in the admin"
    assert len(batched_emails()) == 1, "the batched email still waits out its interval"


def test_an_edited_urgent_hold_is_not_emailed_again(moderators, post_url, form_data):
    client, comment = post(post_url, form_data, RED_FLAG)

    response = client.post(edit_url(comment), {"body": f"{RED_FLAG} Now it hurts to breathe too."})

    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.moderation_rule == "red_flag_symptom"
    assert len(urgent_emails()) == 1


def test_an_edit_that_makes_a_hold_urgent_emails_at_once(moderators, post_url, form_data):
    client, comment = post(post_url, form_data, "Cramps every night this week.")
    assert urgent_emails() == []

    client.post(edit_url(comment), {"body": RED_FLAG})

    assert len(urgent_emails()) == 1


def test_an_ordinary_or_dosing_hold_is_only_batched(moderators, post_url, form_data):
    post(post_url, form_data, "Cramps every night this week.")
    post(post_url, form_data, DOSING)

    assert urgent_emails() == []
    assert len(batched_emails()) == 1


def test_no_urgent_email_when_moderator_emails_are_off(moderators, post_url, form_data):
    config = CommentSettings.load()
    config.notify_moderators = False
    config.save()

    post(post_url, form_data, SELF_HARM)

    assert mail.outbox == []
