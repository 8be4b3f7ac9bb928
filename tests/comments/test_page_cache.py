"""The public pages' cache: one query per hit, exact invalidation, nothing of one reader's."""

import datetime
import gzip
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import page_cache
from articles.models import Article, PageVersion
from comments import decisions
from comments.models import Comment
from comments.ownership import delete_url, edit_url
from comments.readers.forms import TOKEN_SALT

pytestmark = pytest.mark.django_db

S = Comment.Status
TOKEN = 'name="token" value="'


@pytest.fixture
def reader():
    """A reader who only reads: no cookie, ever."""
    return Client()


@pytest.fixture
def a_cached_article_page(reader, article_url, an_approved_comment):
    """The article page, rendered once and now held by the page cache."""
    first = reader.get(article_url)
    assert first.status_code == 200
    return first


def text_of(response) -> str:
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def form_time(page: str) -> int:
    token = page.split(TOKEN, 1)[1].split('"', 1)[0]
    return signing.loads(token, salt=TOKEN_SALT)["at"]


def test_a_warm_hit_costs_one_query(
    reader, article_url, a_cached_article_page, django_assert_num_queries
):
    with django_assert_num_queries(1):
        hit = reader.get(article_url)

    assert hit.status_code == 200
    assert "Drinking water before bed helped my cramps." in text_of(hit)
    assert hit["Cache-Control"] == "public, no-cache"


def test_query_parameters_the_page_does_not_read_share_the_cached_copy(
    reader, article_url, a_cached_article_page, django_assert_num_queries
):
    with django_assert_num_queries(1):
        hit = reader.get(f"{article_url}?fbclid=abc123&utm_source=x")

    assert hit.status_code == 200


def test_each_served_copy_has_a_form_made_at_that_moment(
    reader, article_url, a_cached_article_page, monkeypatch
):
    """The time trap stays exact: a cached page never hands out an old render time."""
    rendered_at = form_time(text_of(a_cached_article_page))
    later = time.time() + 600
    monkeypatch.setattr("comments.readers.forms.time.time", lambda: later)

    hit = reader.get(article_url)

    assert form_time(text_of(hit)) == int(later) > rendered_at
    assert text_of(hit).replace(str(int(later)), "") != ""


def test_a_gzipped_hit_is_the_same_page(reader, article_url, a_cached_article_page):
    plain = reader.get(article_url)
    zipped = reader.get(article_url, headers={"Accept-Encoding": "gzip, deflate, br"})

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content) / 2
    strip = lambda page: page.split(TOKEN)[0]  # noqa: E731 - the token differs by design
    assert strip(text_of(zipped)) == strip(text_of(plain))


def test_an_unchanged_page_answers_304_and_a_changed_one_does_not(
    reader, article_url, a_cached_article_page, an_approved_comment
):
    etag = reader.get(article_url)["ETag"]

    unchanged = reader.get(article_url, headers={"If-None-Match": etag})
    decisions.decide(Comment.objects.filter(pk=an_approved_comment.pk), S.REJECTED)
    changed = reader.get(article_url, headers={"If-None-Match": etag})

    assert etag.startswith('W/"')
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert changed.status_code == 200
    assert "Drinking water before bed" not in text_of(changed)


# Exact invalidation: the very next request shows each change.


def test_an_approved_comment_shows_on_the_next_request(
    reader, article_url, a_cached_article_page, a_pending_comment
):
    assert a_pending_comment.body not in text_of(reader.get(article_url))

    decisions.approve(Comment.objects.filter(pk=a_pending_comment.pk))

    assert a_pending_comment.body in text_of(reader.get(article_url))


def test_a_rejected_comment_is_gone_on_the_next_request(
    reader, article_url, a_cached_article_page, an_approved_comment
):
    decisions.decide(Comment.objects.filter(pk=an_approved_comment.pk), S.REJECTED)

    assert an_approved_comment.body not in text_of(reader.get(article_url))


def test_a_comment_published_on_posting_shows_on_the_next_request(
    reader, admin_client, article_url, post_url, form_data, a_cached_article_page
):
    """Staff comments are published at once."""
    admin_client.post(post_url, form_data | {"body": "A moderator's note on cramps."})

    assert "A moderator&#x27;s note on cramps." in text_of(reader.get(article_url))


def test_an_approved_comment_edited_in_the_admin_shows_on_the_next_request(
    reader, article_url, a_cached_article_page, an_approved_comment
):
    an_approved_comment.body = "Water before bed, and stretches."
    decisions.save_by_moderator(an_approved_comment, by=None, changed=["body"])

    assert "Water before bed, and stretches." in text_of(reader.get(article_url))


def test_edits_and_deletes_by_the_author_show_on_the_next_request(
    reader, article_url, a_cached_article_page, an_approved_comment, comment_factory, an_article
):
    other = comment_factory(an_article, "Magnesium did nothing for me.", status=S.APPROVED)
    reader.get(article_url)
    author = Client()

    author.post(edit_url(an_approved_comment), {"body": "Water, and calf stretches."})
    edited = text_of(reader.get(article_url))
    author.post(delete_url(other))
    deleted = text_of(reader.get(article_url))

    # The edit is checked again by the rules, which hold it: it leaves the page at once.
    assert Comment.objects.get(pk=an_approved_comment.pk).status == S.PENDING
    assert "Drinking water before bed" not in edited
    assert "Water, and calf stretches." not in edited
    assert "Magnesium did nothing for me." in edited
    assert "Magnesium did nothing for me." not in deleted


def test_the_comment_count_on_the_home_page_follows_a_decision(
    reader, a_pending_comment, an_article
):
    home = reverse("articles:home")
    assert "0 comments" in text_of(reader.get(home))

    decisions.decide(Comment.objects.filter(pk=a_pending_comment.pk), S.APPROVED)

    assert "1 comment<" in text_of(reader.get(home))


def test_another_worker_or_server_bumping_the_version_is_seen(
    reader, article_url, a_cached_article_page, an_article
):
    """The version lives in the shared database: a bump anywhere ends every process's copy.

    An article's change moves both rows (bump_site_version), and with them the page's frame.
    """
    Article.objects.filter(pk=an_article.pk).update(title="Cramps at night, revised")
    PageVersion.objects.update(value="written-by-another-server")

    assert "Cramps at night, revised" in text_of(reader.get(article_url))


def test_publishing_and_editing_in_the_admin_show_on_the_next_request(
    reader, admin_client, a_draft_article
):
    home = reverse("articles:home")
    assert a_draft_article.title not in text_of(reader.get(home))
    url = reverse("admin:articles_article_change", args=[a_draft_article.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "hero_image"}
    data.update(
        title="Freshly published on cramps",
        status=Article.Status.PUBLISHED,
        tags=[],
        author=a_draft_article.author_id,
        reviewer=a_draft_article.reviewer_id,
        topic=a_draft_article.topic_id,
        publish_at_0=(timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        publish_at_1="09:00:00",
    )
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
        data[management.add_prefix("TOTAL_FORMS")] = management.initial["INITIAL_FORMS"]
    data.pop("publish_at", None)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Freshly published on cramps" in text_of(reader.get(home))
    article_page = text_of(reader.get(a_draft_article.get_absolute_url()))
    assert "Freshly published on cramps" in article_page


def test_an_article_scheduled_for_later_appears_when_its_time_comes(
    reader, an_article, article_factory
):
    soon = timezone.now() + datetime.timedelta(seconds=1)
    article_factory(slug="scheduled", title="Scheduled cramps article", publish_at=soon)
    home = reverse("articles:home")
    page_cache.bump_site_version()  # as the admin's save does
    assert "Scheduled cramps article" not in text_of(reader.get(home))

    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.05)

    assert "Scheduled cramps article" in text_of(reader.get(home))


def test_articles_sharing_the_threads_query_each_show_their_own_comments_and_count(
    reader, article_url, an_article, an_approved_comment, article_factory
):
    """One SQL for every article's page of threads (comments/threads.py), bound to each."""
    other = article_factory(slug="other", title="Other")
    for body in ("First on the other article.", "Second on the other article."):
        decisions.add(Comment(article=other, body=body, status=S.APPROVED))

    first = text_of(reader.get(article_url))
    second = text_of(reader.get(other.get_absolute_url()))

    assert "Drinking water before bed" in first and "on the other article" not in first
    assert "Second on the other article." in second and "Drinking water" not in second
    assert ">1 comment<" in first and ">2 comments<" in second


def test_comments_on_an_article_scheduled_after_the_thread_query_was_built_appear_with_it(
    reader, article_url, a_cached_article_page, article_factory
):
    """The page of threads' SQL is built once for every article (comments/threads.py)
    and holds the moment of its build: an article going public later gets it anew."""
    soon = timezone.now() + datetime.timedelta(seconds=1)
    scheduled = article_factory(slug="scheduled", title="Scheduled", publish_at=soon)
    decisions.add(
        Comment(article=scheduled, body="Shown once the article is public.", status=S.APPROVED)
    )
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.05)
    assert "Drinking water before bed" in text_of(reader.get(article_url))  # the SQL, built

    page = text_of(reader.get(scheduled.get_absolute_url()))

    assert "Shown once the article is public." in page


# Nothing of one reader's in the shared copy, and no such reader fills it.


def test_a_pending_comment_and_the_thanks_reach_only_their_author(
    reader, article_url, post_url, form_data, a_cached_article_page
):
    author = Client()
    author.post(post_url, form_data)

    own = author.get(article_url)
    shared = reader.get(article_url)

    assert form_data["body"] in text_of(own) and "awaiting moderation" in text_of(own)
    assert own["Cache-Control"] == "private, no-cache"
    assert form_data["body"] not in text_of(shared)
    assert "awaiting moderation" not in text_of(shared)


def test_a_reader_with_their_own_cookie_never_fills_the_cache(
    article_url, post_url, form_data, an_approved_comment, django_assert_max_num_queries
):
    author = Client()
    author.post(post_url, form_data)
    page_cache.bump_site_version()
    author.get(article_url)

    with django_assert_max_num_queries(100) as captured:
        first_anonymous = Client().get(article_url)

    assert len(captured) > 1, "the author's render was not stored for others"
    assert form_data["body"] not in text_of(first_anonymous)


def test_staff_get_their_own_render_and_never_fill_the_cache(
    admin_client, article_url, an_approved_comment, django_assert_max_num_queries
):
    page_cache.bump_site_version()
    staff = admin_client.get(article_url)

    with django_assert_max_num_queries(100) as captured:
        Client().get(article_url)

    assert staff["Cache-Control"] == "private, no-cache"
    assert len(captured) > 1


def test_the_cached_copy_carries_no_token_message_or_cookie(
    reader, article_url, a_cached_article_page
):
    hit = reader.get(article_url)

    assert not hit.cookies
    page = text_of(hit)
    assert "csrfmiddlewaretoken" not in page
    assert "site-messages" not in page
    assert "?token=" not in page, "no author's edit or delete link"


def test_a_page_that_sets_a_cookie_is_never_stored():
    from django.http import HttpResponse

    response = HttpResponse("<p>hello</p>", content_type="text/html")
    response.set_cookie("x", "y")

    assert not page_cache.storable(response)


def test_a_bump_inside_a_transaction_that_rolls_back_changes_nothing(
    reader, article_url, a_cached_article_page, django_assert_num_queries
):
    """The version is written with the change: no change, no new version."""
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        page_cache.bump_site_version()
        raise RuntimeError("the change failed")

    with django_assert_num_queries(1):
        reader.get(article_url)


def test_a_page_holding_a_csrf_token_is_never_stored():
    from django.http import HttpResponse

    page = '<input type="hidden" name="csrfmiddlewaretoken" value="abc">'

    assert not page_cache.storable(HttpResponse(page, content_type="text/html"))


def test_page_cache_seconds_0_turns_the_cache_off(
    reader, article_url, a_cached_article_page, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0

    with django_assert_max_num_queries(100) as captured:
        response = reader.get(article_url)

    assert len(captured) > 1
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_search_pages_are_not_stored(reader, an_article, django_assert_max_num_queries):
    """Every query would be a page of its own, pushing articles out of the store."""
    reader.get(reverse("articles:search") + "?q=cramps")

    with django_assert_max_num_queries(100) as captured:
        reader.get(reverse("articles:search") + "?q=cramps")

    assert len(captured) > 1
