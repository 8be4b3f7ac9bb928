"""What a new moderator runs into in the first week (issue 12, points 1 to 9)."""

import pytest
from django.urls import reverse

from comments import decisions
from comments.models import Comment, ModerationEvent, Report

S = Comment.Status
CHANGELIST = reverse("admin:comments_comment_changelist")
EVENTS = reverse("admin:comments_moderationevent_changelist")


# Actions act on what the list shows: every status, as after a search.
EVERY_STATUS = f"{CHANGELIST}?status__exact=all"


def choose(client, action, *comments):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments]})


def confirm(client, action, *comments, reason=""):
    data = {"action": action, "_selected_action": [c.pk for c in comments], "post": "yes"}
    return client.post(EVERY_STATUS, data | {"reason": reason}, follow=True)


@pytest.mark.parametrize(
    ("action", "title", "button"),
    [
        ("approve", "Approve 1 comment?", "Approve"),
        ("reject", "Reject 1 comment?", "Reject"),
        ("mark_spam", "Mark 1 comment as spam?", "Mark as spam"),
        ("remove", "Remove 1 comment?", "Remove"),
    ],
)
def test_confirmation_pages_ask_in_the_present_tense(
    admin_client, a_pending_comment, action, title, button
):
    page = choose(admin_client, action, a_pending_comment).content.decode()

    assert f"<title>{title}" in page or title in page
    assert f'value="{button}"' in page


def test_titles_name_the_article_not_its_id(an_approved_comment, an_article):
    assert str(an_approved_comment).startswith(f"Margaret on “{an_article.title}”: ")


def test_a_search_looks_through_every_status(admin_client, an_article, comment_factory):
    comment_factory(an_article, "Alice's approved words", author_name="Alice", status=S.APPROVED)
    comment_factory(an_article, "Alice's spam", author_name="Alice", status=S.SPAM)

    page = admin_client.get(CHANGELIST, {"q": "Alice"}).content.decode()

    assert "Alice&#x27;s approved words" in page
    assert "Alice&#x27;s spam" in page


def test_the_queue_without_a_search_still_opens_on_pending(admin_client, an_approved_comment):
    page = admin_client.get(CHANGELIST).content.decode()

    assert "Drinking water before bed" not in page


def test_the_comment_page_shows_each_reports_reason_and_note(admin_client, an_approved_comment):
    decisions.file_report(
        an_approved_comment, Report.Reason.MEDICAL, "Says to stop warfarin", "a", 3
    )
    decisions.file_report(an_approved_comment, Report.Reason.SPAM, "", "b", 3)

    url = reverse("admin:comments_comment_change", args=[an_approved_comment.pk])
    page = admin_client.get(url).content.decode()

    assert "Unsafe medical advice" in page
    assert "Says to stop warfarin" in page
    assert "Spam or advertising" in page


def test_a_reply_shows_its_parents_words(admin_client, a_thread):
    top, reply, _ = a_thread
    url = reverse("admin:comments_comment_change", args=[reply.pk])

    page = admin_client.get(url).content.decode()

    assert "Drinking water before bed helped my cramps." in page
    assert reverse("admin:comments_comment_change", args=[top.pk]) in page


def test_one_list_of_every_event_filterable_by_moderator_action_and_date(
    admin_client, admin_user, an_article, comment_factory
):
    mine = comment_factory(an_article, "Decided by admin")
    other = comment_factory(an_article, "Left alone")
    decisions.reject(Comment.objects.filter(pk=mine.pk), by=admin_user, reason="Off topic")

    by_admin = admin_client.get(EVENTS, {"actor": admin_user.pk}).content.decode()
    rejected = admin_client.get(EVENTS, {"to_status": "rejected"}).content.decode()
    # The admin's date filter links carry aware datetimes, as these do.
    since_2000 = admin_client.get(EVENTS, {"created_at__gte": "2000-01-01 00:00:00+00:00"})
    since_2100 = admin_client.get(EVENTS, {"created_at__gte": "2100-01-01 00:00:00+00:00"})

    assert "Off topic" in by_admin
    assert f"#{other.pk}<" not in by_admin
    assert "Off topic" in rejected and "posted → pending" not in rejected
    assert "Off topic" in since_2000.content.decode()
    assert since_2100.status_code == 200 and "Off topic" not in since_2100.content.decode()


def test_moderators_may_read_the_event_list_but_not_change_it(moderator_client, a_pending_comment):
    assert moderator_client.get(EVENTS).status_code == 200
    event = ModerationEvent.objects.get()
    url = reverse("admin:comments_moderationevent_delete", args=[event.pk])
    assert moderator_client.post(url, {"post": "yes"}).status_code == 403


def test_events_outlive_their_comment_as_a_tombstone(admin_client, a_pending_comment, an_article):
    number = a_pending_comment.pk

    decisions.purge(Comment.objects.filter(pk=number), reason="Spam sweep")

    events = ModerationEvent.objects.filter(comment_number=number)
    assert events.count() == 2
    assert {e.article_id for e in events} == {an_article.pk}
    assert events.latest("pk").to_status == "deleted"
    assert f"#{number} (deleted)" in admin_client.get(EVENTS).content.decode()


def test_a_moderators_edit_keeps_both_texts_and_marks_the_comment(
    admin_client, admin_user, an_approved_comment, client, article_url
):
    comment = Comment.objects.get(pk=an_approved_comment.pk)
    comment.body = "Drinking water helped. [phone number removed]"

    decisions.save_by_moderator(comment, by=admin_user, changed=["body"])

    event = ModerationEvent.objects.filter(to_status="edited").get()
    assert event.text_before == "Drinking water before bed helped my cramps."
    assert event.text_after == "Drinking water helped. [phone number removed]"
    assert "Edited by a moderator" in client.get(article_url).content.decode()


def test_a_moderators_edit_through_the_admin_page_is_kept(admin_client, an_approved_comment):
    url = reverse("admin:comments_comment_change", args=[an_approved_comment.pk])
    data = {
        "body": "Edited words",
        "author_name": "Margaret",
        "author_email": "margaret@example.com",
        "user": "",
        "status": S.APPROVED,
        "moderation_reason": "",
        "moderator_reply": "",
    }

    assert admin_client.post(url, data).status_code == 302

    assert ModerationEvent.objects.filter(to_status="edited", text_after="Edited words").exists()


def test_moderators_remove_with_a_reason_and_replies_stay(
    moderator_client, a_moderator, a_thread, client, article_url
):
    top, reply, _ = a_thread

    confirm(moderator_client, "remove", top, reason="Unsafe dosing advice")

    top.refresh_from_db()
    assert top.body == decisions.REMOVED_TEXT
    assert Comment.objects.filter(pk=reply.pk).exists()
    event = top.events.latest("pk")
    assert (event.actor, event.reason) == (a_moderator, "Unsafe dosing advice")
    assert decisions.REMOVED_TEXT in client.get(article_url).content.decode()


def test_moderators_erase_a_guests_comments_found_by_a_search(
    moderator_client, an_article, comment_factory, an_approved_comment
):
    guest = [comment_factory(an_article, f"Guest words {k}", author_name="Pat") for k in range(2)]
    answered = comment_factory(an_article, "Pat again", author_name="Pat", status=S.APPROVED)
    kept_reply = comment_factory(
        an_article, "Someone else answers", parent=answered, status=S.APPROVED
    )
    found = moderator_client.get(CHANGELIST, {"q": "Pat"}).content.decode()
    assert "Guest words 0" in found and "Pat again" in found

    confirm(moderator_client, "erase", *guest, answered, reason="Asked by email")

    assert not Comment.objects.filter(pk__in=[c.pk for c in guest]).exists()
    answered.refresh_from_db()
    assert answered.author_name == "" and answered.body == decisions.DELETED_TEXT
    assert Comment.objects.filter(pk=kept_reply.pk).exists()
    assert Comment.objects.filter(pk=an_approved_comment.pk).exists()
