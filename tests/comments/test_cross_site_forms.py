"""Guest forms are protected by Fetch metadata and Origin, not by a token cookie."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments import subscriptions
from comments.models import Comment, Report, email_token_for
from comments.ownership import delete_url, edit_url

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}


@pytest.fixture
def browser():
    """A client that checks CSRF like production does (Django's test client skips it)."""
    return Client(enforce_csrf_checks=True)


def form_fields(page: str) -> dict[str, str]:
    """The hidden fields of the rendered comment form, as a browser would send them."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))


def post_from_the_page(browser, article_url, post_url, **headers):
    fields = form_fields(browser.get(article_url).content.decode())
    return browser.post(post_url, fields | {"body": "Stretching helped me."}, headers=headers)


def test_a_same_origin_post_without_javascript_is_accepted(browser, article_url, post_url):
    response = post_from_the_page(browser, article_url, post_url, **SAME_ORIGIN)

    assert response.status_code == 303
    assert Comment.objects.get().body == "Stretching helped me."


def test_an_older_browser_with_only_a_matching_origin_is_accepted(browser, article_url, post_url):
    """No Fetch metadata (Safari before 16.4): the Origin header decides."""
    response = post_from_the_page(browser, article_url, post_url, Origin="http://testserver")

    assert response.status_code == 303
    assert Comment.objects.count() == 1


def test_a_typed_or_bookmarked_navigation_counts_as_same_origin(browser, article_url, post_url):
    response = post_from_the_page(browser, article_url, post_url, **{"Sec-Fetch-Site": "none"})

    assert response.status_code == 303


@pytest.mark.parametrize(
    "headers",
    [
        CROSS_SITE,
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://blog.testserver"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {},
    ],
    ids=["cross-site", "fetch-only", "sibling-subdomain", "foreign-origin", "null-origin", "none"],
)
def test_a_post_not_proven_same_origin_is_refused_with_a_clear_page(
    browser, article_url, post_url, headers
):
    response = post_from_the_page(browser, article_url, post_url, **headers)

    assert response.status_code == 403
    assert "This form could not be accepted" in response.content.decode()
    assert not response.cookies, "a refusal sets no cookie either"
    assert not Comment.objects.exists()


def test_a_trusted_origin_is_accepted_even_from_another_site(
    browser, article_url, post_url, settings
):
    """CSRF_TRUSTED_ORIGINS keeps its meaning, e.g. for a site behind another domain."""
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.example.org"]

    response = post_from_the_page(
        browser,
        article_url,
        post_url,
        **{"Sec-Fetch-Site": "cross-site", "Origin": "https://www.example.org"},
    )

    assert response.status_code == 303


def test_reports_edits_and_deletes_are_refused_from_another_site(browser, an_approved_comment):
    report = browser.post(
        reverse("comments:report", args=[an_approved_comment.pk]),
        {"reason": Report.Reason.SPAM},
        headers=CROSS_SITE,
    )
    edit = browser.post(edit_url(an_approved_comment), {"body": "Changed"}, headers=CROSS_SITE)
    delete = browser.post(delete_url(an_approved_comment), headers=CROSS_SITE)

    assert [report.status_code, edit.status_code, delete.status_code] == [403, 403, 403]
    assert not Report.objects.exists()
    assert Comment.objects.filter(
        pk=an_approved_comment.pk, body__startswith="Drinking water"
    ).exists()


def test_a_report_from_the_site_itself_is_filed(browser, an_approved_comment):
    response = browser.post(
        reverse("comments:report", args=[an_approved_comment.pk]),
        {"reason": Report.Reason.SPAM},
        headers=SAME_ORIGIN,
    )

    assert response.status_code == 303
    assert Report.objects.count() == 1


def test_confirming_reply_emails_needs_the_sites_own_origin(browser):
    url = reverse(
        "comments:confirm", args=[subscriptions.confirm_link_token(email_token_for("a@b.org"))]
    )

    assert browser.post(url, headers=CROSS_SITE).status_code == 403
    assert not subscriptions.is_confirmed("a@b.org")
    assert browser.post(url, headers=SAME_ORIGIN).status_code == 200
    assert subscriptions.is_confirmed("a@b.org")


def test_the_admin_still_needs_djangos_csrf_token(browser, admin_user):
    """Token CSRF stays behind the login: a same-origin post without a token is refused."""
    browser.force_login(admin_user)

    response = browser.post(
        reverse("admin:articles_topic_add"), {"name": "X", "slug": "x"}, headers=SAME_ORIGIN
    )

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
