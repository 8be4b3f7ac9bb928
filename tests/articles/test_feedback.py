""" "Was this page helpful?": without JS or cookies, rate-limited, notes for editors only."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import feedback
from articles.models import Feedback
from cramps_site.client_network import network_hash

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def a_fresh_cache():
    """Rate-limit counts from other tests never carry over."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def feedback_url(an_article):
    """Where the article's feedback form posts."""
    return reverse("articles:feedback", args=[an_article.slug])


def test_every_article_asks_whether_it_helped(client, an_article, feedback_url):
    html = client.get(an_article.get_absolute_url()).content.decode()

    assert 'id="helpful"' in html
    assert "Was this page helpful?" in html
    assert f'action="{feedback_url}"' in html
    buttons = re.findall(r'<input type="submit"\s+name="helpful"\s+value="(\w+)"', html)
    assert buttons == ["Yes", "No"]


def test_an_answer_is_kept_and_the_reader_thanked_without_a_cookie(
    client, an_article, feedback_url
):
    response = client.post(feedback_url, {"helpful": "Yes", "note": "  Clear advice.  "})

    assert response.status_code == 303
    assert response["Location"] == f"{an_article.get_absolute_url()}?helpful=thanks#helpful"
    assert not response.cookies
    answer = Feedback.objects.get()
    assert (answer.article, answer.helpful, answer.note) == (an_article, True, "Clear advice.")

    landing = client.get(response["Location"]).content.decode()
    assert "Thank you for your feedback" in landing
    assert "Was this page helpful?" not in landing


def test_no_without_a_note_is_an_answer_too(client, feedback_url):
    assert client.post(feedback_url, {"helpful": "No"}).status_code == 303
    assert Feedback.objects.get().helpful is False


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Please choose Yes or No."),
        ({"helpful": "maybe"}, "Please choose Yes or No."),
        ({"helpful": "No", "note": "x" * 501}, "Please keep it to 500 characters"),
    ],
)
def test_a_bad_answer_is_explained_and_not_kept(client, feedback_url, data, error):
    response = client.post(feedback_url, data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Feedback.objects.exists()


def test_only_published_articles_take_answers_and_only_by_post(
    client, a_draft_article, feedback_url
):
    draft_url = reverse("articles:feedback", args=[a_draft_article.slug])
    assert client.post(draft_url, {"helpful": "Yes"}).status_code == 404
    assert client.get(feedback_url).status_code == 405
    assert not Feedback.objects.exists()


def test_answers_are_limited_per_network(client, feedback_url):
    for k in range(feedback.LIMIT_COUNT):
        response = client.post(feedback_url, {"helpful": "Yes"}, REMOTE_ADDR=f"203.0.113.{k}")
        assert response.status_code == 303

    refused = client.post(
        feedback_url, {"helpful": "No", "note": "again"}, REMOTE_ADDR="203.0.113.99"
    )
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(feedback.LIMIT_SECONDS)
    assert "many answers from your network" in refused.content.decode()
    assert Feedback.objects.count() == feedback.LIMIT_COUNT

    elsewhere = client.post(feedback_url, {"helpful": "No"}, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 303


def test_networks_are_hashed_never_kept_as_addresses():
    def hashed(address):
        return network_hash(RequestFactory().get("/", REMOTE_ADDR=address), "test")

    assert hashed("203.0.113.5") == hashed("203.0.113.250")
    assert hashed("203.0.113.5") != hashed("203.0.114.5")
    assert hashed("2001:db8:1:2::1") == hashed("2001:db8:1:2:ffff::9")
    assert hashed("::ffff:203.0.113.5") == hashed("203.0.113.6")
    assert "203.0.113" not in hashed("203.0.113.5")
    assert hashed("not an address") == hashed("")


def test_notes_are_never_shown_to_readers(client, an_article, feedback_url):
    client.post(feedback_url, {"helpful": "No", "note": "The zebrafish part confused me."})

    for url in (an_article.get_absolute_url(), reverse("articles:search") + "?q=zebrafish"):
        assert "confused me" not in client.get(url).content.decode()


def test_the_article_list_in_admin_counts_answers_per_article(
    admin_client, an_article, feedback_url, article_factory, django_assert_num_queries
):
    for answer in ("Yes", "Yes", "No"):
        admin_client.post(feedback_url, {"helpful": answer})
    changelist = reverse("admin:articles_article_changelist")

    html = admin_client.get(changelist).content.decode()
    assert "2 / 1 (67% helpful)" in html

    with CaptureQueriesContext(connection) as one_article:
        admin_client.get(changelist)
    for k in range(4):
        article_factory(slug=f"more-{k}", title=f"More {k}")
    with django_assert_num_queries(len(one_article.captured_queries)):
        admin_client.get(changelist)


def test_editors_read_notes_in_a_read_only_list(admin_client, feedback_url):
    admin_client.post(feedback_url, {"helpful": "No", "note": "Say more about magnesium."})
    changelist = reverse("admin:articles_feedback_changelist")

    html = admin_client.get(changelist + "?note=yes").content.decode()
    assert "Say more about magnesium." in html
    assert "Night cramps explained" in html
    assert admin_client.get(reverse("admin:articles_feedback_add")).status_code == 403
    answer = Feedback.objects.get()
    change = admin_client.get(reverse("admin:articles_feedback_change", args=[answer.pk]))
    assert 'name="note"' not in change.content.decode()
