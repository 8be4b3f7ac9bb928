"""Readers report approved comments; enough different readers send one back to pending."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from comments import decisions
from comments.models import Comment, CommentSettings, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_url(an_approved_comment):
    """The no-JavaScript report page for the approved comment."""
    return f"/comments/{an_approved_comment.pk}/report/"


def report_from(ip, url, reason="medical", note=""):
    return Client(REMOTE_ADDR=ip).post(url, {"reason": reason, "note": note})


def test_report_page_shows_the_comment_and_the_reasons(client, report_url):
    page = client.get(report_url).content.decode()

    assert "Drinking water before bed helped my cramps." in page
    for label in ("Unsafe medical advice", "Spam", "Abusive", "personal information"):
        assert label in page


def test_only_published_comments_can_be_reported(client, a_pending_comment):
    assert client.get(f"/comments/{a_pending_comment.pk}/report/").status_code == 404
    assert (
        client.post(f"/comments/{a_pending_comment.pk}/report/", {"reason": "spam"}).status_code
        == 404
    )
    assert client.get("/comments/999999/report/").status_code == 404


def test_a_report_is_kept_with_a_hash_of_the_address(report_url, an_approved_comment):
    response = report_from("203.0.113.5", report_url, note="Says to stop statins")

    report = Report.objects.get()
    assert response.status_code == 303
    assert (report.comment, report.reason, report.note) == (
        an_approved_comment,
        "medical",
        "Says to stop statins",
    )
    assert report.ip_hash and "203.0.113" not in report.ip_hash
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Thank you. A moderator will look at this comment."]


@pytest.mark.parametrize("data", [{}, {"reason": "boring"}, {"reason": "spam", "note": "x" * 501}])
def test_a_bad_report_is_shown_again_not_kept(client, report_url, data):
    response = client.post(report_url, data)

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_three_different_readers_send_it_back_to_pending(
    report_url, an_approved_comment, an_article
):
    for ip in ("203.0.113.5", "198.51.100.1", "192.0.2.44"):
        report_from(ip, report_url)

    an_approved_comment.refresh_from_db()
    an_article.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.PENDING
    assert an_approved_comment.moderation_reason == "Reported 3 times"
    assert an_approved_comment.moderation_rule == "reported"
    assert an_article.approved_comment_count == 0


def test_two_reports_are_not_enough(report_url, an_approved_comment):
    for ip in ("203.0.113.5", "198.51.100.1"):
        report_from(ip, report_url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.APPROVED


def test_one_reader_reporting_again_counts_once(report_url, an_approved_comment):
    for _ in range(3):
        report_from("203.0.113.5", report_url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.count() == 1


def test_the_threshold_is_a_setting(report_url, an_approved_comment):
    settings = CommentSettings.load()
    settings.report_threshold = 1
    settings.save()

    report_from("203.0.113.5", report_url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.PENDING


def test_resolved_reports_no_longer_count(report_url, an_approved_comment):
    for ip in ("203.0.113.5", "198.51.100.1"):
        report_from(ip, report_url)
    Report.objects.update(resolved=True)

    report_from("192.0.2.44", report_url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.open().count() == 1


def test_reports_are_rate_limited(settings, report_url, article_factory, comment_factory):
    settings.COMMENT_REPORT_RATE_LIMITS = "2/h"
    reader = Client(REMOTE_ADDR="203.0.113.5")
    codes = [reader.post(report_url, {"reason": "spam"}).status_code for _ in range(3)]

    assert codes == [303, 303, 429]
    assert Report.objects.count() == 1


def test_strangers_see_a_report_link_on_approved_comments(client, article_url, an_approved_comment):
    page = client.get(article_url).content.decode()

    assert f'href="/comments/{an_approved_comment.pk}/report/"' in page


def test_report_admin_lists_in_fixed_queries(
    admin_client, an_article, comment_factory, django_assert_max_num_queries
):
    for n in range(30):
        comment = comment_factory(an_article, f"Comment {n}", status=Comment.Status.APPROVED)
        Report.objects.create(comment=comment, reason="spam", ip_hash=f"h{n}")

    with django_assert_max_num_queries(8):
        response = admin_client.get("/admin/comments/report/")

    assert response.status_code == 200
    assert "Comment 29" in response.content.decode()


def send_back(url):
    for ip in ("203.0.113.5", "198.51.100.1", "192.0.2.44"):
        report_from(ip, url)


def test_a_moderators_bulk_approval_sticks_against_the_old_reports(
    report_url, an_approved_comment, a_moderator
):
    """The reports were dealt with: one more must not send it straight back."""
    send_back(report_url)
    decisions.decide(
        Comment.objects.filter(pk=an_approved_comment.pk), Comment.Status.APPROVED, by=a_moderator
    )

    assert not Report.objects.open().exists()
    report_from("100.64.0.1", report_url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.open().count() == 1


def test_approving_on_the_comments_page_resolves_its_reports(
    report_url, an_approved_comment, a_moderator, an_approved_comment_elsewhere
):
    send_back(report_url)
    other_report = Report.objects.create(
        comment=an_approved_comment_elsewhere, reason="spam", ip_hash="h"
    )
    an_approved_comment.refresh_from_db()

    decisions.decide(
        Comment.objects.filter(pk=an_approved_comment.pk), Comment.Status.APPROVED, by=a_moderator
    )

    assert not an_approved_comment.reports.open().exists()
    assert Report.objects.open().get() == other_report


def test_reports_after_the_approval_count_again(report_url, an_approved_comment, a_moderator):
    send_back(report_url)
    decisions.decide(
        Comment.objects.filter(pk=an_approved_comment.pk), Comment.Status.APPROVED, by=a_moderator
    )

    for ip in ("100.64.0.1", "100.65.0.1", "100.66.0.1"):
        report_from(ip, report_url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.PENDING


def test_an_automatic_change_to_approved_leaves_reports_open(an_approved_comment):
    Report.objects.create(comment=an_approved_comment, reason="spam", ip_hash="h")
    decisions.decide(Comment.objects.filter(pk=an_approved_comment.pk), Comment.Status.PENDING)
    decisions.decide(Comment.objects.filter(pk=an_approved_comment.pk), Comment.Status.APPROVED)

    assert Report.objects.open().count() == 1


@pytest.fixture
def an_approved_comment_elsewhere(an_article, comment_factory):
    """Another approved comment, whose reports a decision on the first must not touch."""
    return comment_factory(an_article, "Something else", status=Comment.Status.APPROVED)


@pytest.mark.parametrize(
    "addresses",
    [
        ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:aaaa::3"),
        ("203.0.113.5", "203.0.113.6", "203.0.113.250"),
    ],
)
def test_one_network_counts_as_one_reporter(report_url, an_approved_comment, addresses):
    """Rate limits treat a /64 or a /24 as one client; so does the report threshold."""
    for ip in addresses:
        report_from(ip, report_url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.count() == 1


def test_reporters_on_different_ipv6_networks_still_count(report_url, an_approved_comment):
    for ip in ("2001:db8:1:1::1", "2001:db8:1:2::1", "2001:db8:1:3::1"):
        report_from(ip, report_url)

    an_approved_comment.refresh_from_db()
    assert an_approved_comment.status == Comment.Status.PENDING


def test_a_deleted_comments_placeholder_cannot_be_reported(client, a_thread):

    parent, _, _ = a_thread
    decisions.delete_by_author(parent)

    assert client.get(f"/comments/{parent.pk}/report/").status_code == 404
