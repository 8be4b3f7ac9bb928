"""Property-based attacks on everything a visitor can send: never a 500, never half a comment.

Hypothesis throws arbitrary Unicode, NUL bytes, right-to-left and zero-width
characters, broken UTF-8 and lone surrogates (as the raw bytes a client could
send) and very long inputs at the comment form, the edit, delete and report
links, search, and every URL with a slug or a page number. Runs on SQLite and,
in CI's second pass, on PostgreSQL, which refuses NUL in text.
"""

import re
import time
import urllib.parse

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from articles.models import Article
from comments import decisions
from comments.models import (
    Comment,
    CommentSettings,
    ModerationEvent,
    Report,
    Subscriber,
    email_token_for,
)
from comments.ownership import OWNER_SALT, delete_url, edit_url
from comments.readers.forms import form_token

pytestmark = pytest.mark.django_db

# Modest: the whole file runs in well under a minute on either database.
fuzz = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters attackers reach for: NUL and other controls, bidi overrides and
# isolates, zero-width joiners, a BOM, a combining accent, non-characters.
TRICKY = (
    "\x00\x01\x1b\x7f\r\n\t\u0085\u00a0\u202a\u202b\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u0301\ufffd\uffff\U0010ffff<>&\"'%;\\"
)
# Any character a client can encode; lone surrogates go as raw bytes below.
characters = st.characters(codec="utf-8")
# How a bad input may be refused: a clear 400, a 404 for what does not exist, or
# 413 when it is larger than a request may be (cramps_site/request_limits.py).
REFUSED = (400, 404, 413)
tricky_text = st.text(alphabet=st.sampled_from(TRICKY) | characters, max_size=60)
huge_text = st.builds(
    lambda piece, times: piece * times,
    st.text(alphabet=st.sampled_from(TRICKY) | characters, min_size=1, max_size=4),
    st.integers(min_value=1_000, max_value=60_000),
)
hostile_text = st.one_of(st.text(), tricky_text, huge_text)

# Bytes no conforming client sends but any client can: invalid UTF-8, an
# overlong NUL, and UTF-16 surrogates encoded on their own (CESU-8 style).
LONE_SURROGATES = [chr(code).encode("utf-8", "surrogatepass") for code in (0xD800, 0xDBFF, 0xDC00)]
BROKEN_BYTES = [b"\x00", b"\xff", b"\xc0\x80", b"\xe2\x80", *LONE_SURROGATES]
hostile_bytes = st.lists(
    st.one_of(st.sampled_from(BROKEN_BYTES), st.binary(max_size=8), st.just(b"text")), max_size=12
).map(b"".join)

# What a page-number parameter can hold: numbers of any size and sign, and junk.
page_numbers = st.one_of(
    st.integers().map(str),
    st.just("9" * 5000),
    st.just("99999999999999999999999"),
    st.sampled_from(["", "0", "-1", "1.5", "1e9", "nan", "inf", "\u0661", "\uff11", "1\x00"]),
    tricky_text,
)
# Comment ids as they can arrive in a URL (<int:pk>) or a reply_to field.
comment_ids = st.one_of(
    st.integers(min_value=0, max_value=10**30).map(str), st.just("9" * 5000), tricky_text
)
PARENT = "the published comment"  # stands for its id, known only inside the test
# Anything JSON can hold, signed with the site's own salt: a token of the wrong shape.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


def quoted(raw: bytes | str) -> str:
    """Percent-encoded as a client would put it in a URL or a form body."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return urllib.parse.quote_from_bytes(raw, safe="")


def assert_not_a_server_error(response) -> None:
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, response.status_code


@pytest.fixture(autouse=True)
def unlimited_posting(settings, db):
    """Thousands of posts from one address: limits would turn them all into 429s.

    The cache is cleared too, so no settings cached by another test carry over.
    """
    settings.COMMENT_RATE_LIMITS = "off"
    settings.COMMENT_REPORT_RATE_LIMITS = "off"
    cache.clear()


@pytest.fixture
def a_high_report_threshold(db):
    """Reports never send the fuzzed comment back to pending, so every example reaches it."""
    config = CommentSettings.load()
    config.report_threshold = 10_000
    config.save()


@pytest.fixture
def a_thread_parent(an_article):
    """A published comment that fuzzed replies answer."""
    comment = Comment(article=an_article, body="Magnesium helps me.", status="approved")
    comment.attach_to(None)
    decisions.add(comment)
    return comment


def post_url(article) -> str:
    return reverse("comments:post", args=[article.slug])


def comment_form(article, **fields) -> dict:
    """A submission as the rendered form sends it, read a minute ago."""
    return {
        "body": "Calf stretches help me.",
        "author_name": "",
        "author_email": "",
        "reply_to": "",
        "homepage": "",
        "token": form_token(article, rendered_at=time.time() - 60),
        **fields,
    }


def assert_comment_is_whole(comment: Comment) -> None:
    """Every field a saved comment carries agrees with the others."""
    assert comment.status in Comment.Status.values
    assert comment.email_token == email_token_for(comment.author_email)
    for text in (comment.body, comment.author_name, comment.author_email):
        assert "\x00" not in text
    if comment.parent_id is None:
        assert (comment.depth, comment.root_id) == (0, None)
    else:
        parent = comment.parent
        assert comment.article_id == parent.article_id
        assert comment.depth == parent.depth + 1 <= 2
        assert comment.root_id == (parent.root_id or parent.pk)
    first = ModerationEvent.objects.filter(comment=comment, from_status="")
    assert list(first.values_list("to_status", flat=True)) == [comment.status]
    article = Article.objects.get(pk=comment.article_id)
    published = Comment.objects.approved().not_deleted().filter(article=article).count()
    assert article.approved_comment_count == published


def assert_saved_only_if_accepted(response, before: set[int], article) -> Comment | None:
    """A redirect to the permalink means one whole new comment; anything else means none."""
    assert_not_a_server_error(response)
    new = list(Comment.objects.exclude(pk__in=before))
    if response.status_code != 303:
        assert response.status_code in REFUSED, response.status_code
        assert new == []
        return None
    assert len(new) == 1
    comment = new[0]
    anchor = re.search(r"#comment-(\d+)$", response["Location"])
    assert anchor is None or int(anchor[1]) == comment.pk
    assert comment.article_id == article.pk
    assert_comment_is_whole(comment)
    return comment


def existing_ids() -> set[int]:
    return set(Comment.objects.values_list("pk", flat=True))


@fuzz
@given(
    body=hostile_text,
    name=st.one_of(st.just(""), tricky_text, hostile_text),
    email=st.one_of(st.just(""), st.emails(), hostile_text),
    honeypot=st.one_of(st.just(""), st.text(max_size=5)),
)
def test_hostile_new_comment_is_refused_cleanly_or_saved_whole(
    client, an_article, body, name, email, honeypot
):
    before = existing_ids()
    data = comment_form(
        an_article, body=body, author_name=name, author_email=email, homepage=honeypot
    )
    response = client.post(post_url(an_article), data)
    comment = assert_saved_only_if_accepted(response, before, an_article)
    if comment is not None:
        assert comment.body == body.strip()
        assert comment.author_name == name.strip()


@fuzz
@given(
    body=hostile_text,
    reply_to=st.one_of(st.just(PARENT), comment_ids),
    email=st.one_of(st.just("ann@example.com"), hostile_text),
    notify=st.booleans(),
)
def test_hostile_reply_is_refused_cleanly_or_threaded_whole(
    client, an_article, a_thread_parent, body, reply_to, email, notify
):
    before = existing_ids()
    reply_to = str(a_thread_parent.pk) if reply_to == PARENT else reply_to
    data = comment_form(
        an_article, body=body, reply_to=reply_to, author_email=email, notify_replies=notify
    )
    response = client.post(post_url(an_article), data)
    comment = assert_saved_only_if_accepted(response, before, an_article)
    if comment is not None and reply_to.strip():
        assert comment.parent_id == a_thread_parent.pk


@fuzz
@given(fields=st.dictionaries(
    st.sampled_from(["body", "author_name", "author_email", "reply_to", "token", "homepage",
                     "notify_replies", "csrfmiddlewaretoken", "x"]),
    hostile_bytes,
))  # fmt: skip
def test_form_body_of_broken_utf8_and_lone_surrogates_never_half_saves(client, an_article, fields):
    before = existing_ids()
    fields.setdefault("token", form_token(an_article, rendered_at=time.time() - 60).encode())
    raw = "&".join(f"{quoted(k)}={quoted(v)}" for k, v in fields.items())
    response = client.post(
        post_url(an_article), raw, content_type="application/x-www-form-urlencoded"
    )
    assert_saved_only_if_accepted(response, before, an_article)


@fuzz
@given(query=st.one_of(hostile_text.map(quoted), hostile_bytes.map(quoted)))
@example(query="cramp%00")  # was a 500 on PostgreSQL
@example(query=quoted("\u202ecramp\u200b" * 50))
def test_search_answers_any_query_without_error(client, site_content, query):
    response = client.get(f"/search/?q={query}")
    assert response.status_code == 200


@fuzz
@given(
    prefix=st.sampled_from(
        ["/articles/", "/topics/", "/tags/", "/comments/post/", "/media/", "/static/"]
    ),
    slug=st.one_of(hostile_text.map(quoted), hostile_bytes.map(quoted)),
)
@example(prefix="/media/", slug="a" * 1000)  # was a 500: a name too long for the disk
def test_any_slug_is_a_page_or_a_not_found(client, site_content, prefix, slug):
    response = client.get(f"{prefix}{slug}/")
    assert response.status_code in (200, 301, 404, 405), response.status_code


@fuzz
@given(
    path=st.sampled_from(
        [
            "/articles/",
            "/topics/leg-cramps/",
            "/articles/leg-cramps-at-night/",
            "/search/",
            "/sitemap.xml",
        ]
    ),
    parameter=st.sampled_from(["page", "comments_page", "reply_to", "p"]),
    number=st.one_of(page_numbers.map(quoted), hostile_bytes.map(quoted)),
)
def test_any_page_number_is_a_page_or_a_not_found(client, site_content, path, parameter, number):
    response = client.get(f"{path}?{parameter}={number}&q=cramp")
    assert response.status_code in (200, 404), response.status_code


def as_header(raw: bytes | str) -> str:
    """How a WSGI server hands Django a header: its bytes read as Latin-1."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return raw.decode("latin-1")


@fuzz
@given(
    name=st.sampled_from(["comments_mine", "messages", "csrftoken", "sessionid", "x"]),
    value=st.one_of(hostile_text, hostile_bytes).map(as_header),
)
def test_any_cookie_still_gets_the_article_and_its_comments(client, an_article, name, value):
    url = reverse("articles:detail", args=[an_article.slug])
    response = client.get(url, HTTP_COOKIE=f"{name}={value}")
    assert response.status_code == 200
    assert b'id="comment-form"' in response.content


@pytest.fixture
def own_comment(an_article):
    """A guest's pending comment, still inside its edit window."""
    comment = Comment(article=an_article, body="I stretch before bed.", author_name="Ann")
    comment.attach_to(None)
    decisions.add(comment)
    return comment


@fuzz
@given(
    action=st.sampled_from(["edit", "delete", "report"]),
    pk=comment_ids.map(quoted),
    token=st.one_of(hostile_text.map(quoted), hostile_bytes.map(quoted)),
    method=st.sampled_from(["get", "post"]),
)
def test_forged_links_are_not_found_and_change_nothing(
    client, own_comment, action, pk, token, method
):
    before = Comment.objects.values_list("pk", "body", "status", "deleted_at")
    before = list(before)
    url = f"/comments/{pk}/{action}/?token={token}"
    response = getattr(client, method)(url, {"token": token, "body": "Changed.", "reason": "spam"})
    assert response.status_code in REFUSED, response.status_code
    assert list(Comment.objects.values_list("pk", "body", "status", "deleted_at")) == before
    assert not Report.objects.exists()


@fuzz
@given(
    link=st.sampled_from(["confirm", "unsubscribe"]),
    token=st.one_of(hostile_text.map(quoted), hostile_bytes.map(quoted)),
    method=st.sampled_from(["get", "post"]),
)
def test_forged_email_links_are_refused_and_subscribe_nobody(client, link, token, method):
    response = getattr(client, method)(f"/comments/{link}/{token}/")
    assert response.status_code in REFUSED, response.status_code
    assert not Subscriber.objects.exists()


@fuzz
@given(payload=json_values)
def test_signed_tokens_of_any_shape_open_nothing(client, own_comment, payload):
    """Even with the right salt, only [id, posting time] of this comment is a key."""
    token = quoted(signing.dumps(payload, salt=OWNER_SALT))
    for action in ("edit", "delete"):
        response = client.get(f"/comments/{own_comment.pk}/{action}/?token={token}")
        assert response.status_code == 404


@fuzz
@given(body=hostile_text)
def test_hostile_edit_is_refused_cleanly_or_saved_whole(client, own_comment, body):
    old = own_comment.body
    response = client.post(edit_url(own_comment), {"body": body})
    assert_not_a_server_error(response)
    own_comment.refresh_from_db()
    if response.status_code == 303:
        assert own_comment.body == body.strip()
        assert "\x00" not in own_comment.body
    else:
        assert response.status_code == 400
        assert own_comment.body == old
    assert own_comment.email_token == email_token_for(own_comment.author_email)


@fuzz
@given(extra=st.dictionaries(st.text(max_size=10), hostile_text, max_size=3))
def test_delete_link_with_hostile_extra_fields_deletes_exactly_its_comment(
    client, an_article, extra
):
    comment = Comment(article=an_article, body="Delete me.")
    comment.attach_to(None)
    decisions.add(comment)
    response = client.post(delete_url(comment), extra)
    assert response.status_code == 303
    assert not Comment.objects.filter(pk=comment.pk).exists()


@fuzz
@given(
    reason=st.one_of(st.sampled_from(Report.Reason.values), hostile_text),
    note=hostile_text,
    address=st.integers(min_value=0, max_value=2**24 - 1),
)
def test_hostile_report_is_refused_cleanly_or_stored_whole(
    client, a_high_report_threshold, a_thread_parent, reason, note, address
):
    before = set(Report.objects.values_list("pk", flat=True))
    ip = f"10.{address >> 16}.{(address >> 8) & 255}.{address & 255}"
    url = reverse("comments:report", args=[a_thread_parent.pk])
    response = client.post(url, {"reason": reason, "note": note}, REMOTE_ADDR=ip)
    assert_not_a_server_error(response)
    new = list(Report.objects.exclude(pk__in=before))
    if response.status_code == 303:
        assert reason in Report.Reason.values
        assert len(new) <= 1  # one network reports a comment once
        assert all(r.reason == reason and r.note == note.strip() for r in new)
    else:
        assert response.status_code in REFUSED
        assert new == []
