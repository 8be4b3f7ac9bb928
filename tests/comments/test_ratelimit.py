"""Rate limits per client network, in the cache every worker shares."""

import html
import ipaddress
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from comments.checks import rate_limits_from_environment
from comments.models import Comment, CommentSettings
from comments.moderation import ratelimit
from comments.moderation.ratelimit import Limit, network_of, parse

pytestmark = pytest.mark.django_db

LIMITED = "You have posted several comments in a short time. Please wait a minute and try again"


@pytest.fixture
def two_a_minute(settings):
    """Two posts per window, as an operator would set it.

    An hour's window, not a minute's: a test's posts then never straddle the
    start of a new window, which would reset the count mid-test.
    """
    settings.COMMENT_RATE_LIMITS = "2/h"


def client_at(ip: str, **extra) -> Client:
    return Client(REMOTE_ADDR=ip, **extra)


def post(client, post_url, form_data, n):
    return client.post(post_url, form_data | {"body": f"Comment number {n} about cramps."})


# Parsing.


@pytest.mark.parametrize(
    ("spec", "limits"),
    [
        ("5/m,30/d", [Limit(5, 60), Limit(30, 86400)]),
        (" 10 / h ", [Limit(10, 3600)]),
        ("3/10m", [Limit(3, 600)]),
        ("1/s", [Limit(1, 1)]),
        ("off", []),
        ("OFF", []),
        ("", []),
    ],
)
def test_limits_parse(spec, limits):
    assert parse(spec) == limits


@pytest.mark.parametrize("spec", ["5", "five/m", "5/w", "0/m", "5/m,", "5/0m", "-1/m", "5/m;30/d"])
def test_bad_limits_are_refused_with_a_clear_error(spec):
    with pytest.raises(ImproperlyConfigured, match="is not like 5/m or 30/d"):
        parse(spec)


def test_environment_wins_over_the_admin_setting(settings):
    settings.COMMENT_RATE_LIMITS = "7/h"
    assert ratelimit.limits_for(ratelimit.COMMENTS) == [Limit(7, 3600)]
    settings.COMMENT_RATE_LIMITS = "off"
    assert ratelimit.limits_for(ratelimit.COMMENTS) == []


def test_without_the_environment_the_admin_setting_applies(settings):
    settings.COMMENT_RATE_LIMITS = None
    settings = CommentSettings.load()
    settings.rate_limits = "4/m"
    settings.save()
    assert ratelimit.limits_for(ratelimit.COMMENTS) == [Limit(4, 60)]


def test_a_bad_environment_value_falls_back_and_is_logged(settings, caplog):
    """A typo must not turn every post into a 500; `manage.py check` reports it."""
    settings.COMMENT_RATE_LIMITS = "lots"
    with caplog.at_level(logging.ERROR, logger="comments.ratelimit"):
        limits = ratelimit.limits_for(ratelimit.COMMENTS)
    assert limits == [Limit(5, 60), Limit(30, 86400)]
    assert "COMMENT_RATE_LIMITS='lots' is not valid" in caplog.text


def test_a_bad_admin_value_falls_back_to_the_default(settings):
    settings.COMMENT_RATE_LIMITS = None
    CommentSettings.load()
    CommentSettings.objects.update(rate_limits="garbage")
    cache.clear()
    assert ratelimit.limits_for(ratelimit.COMMENTS) == [Limit(5, 60), Limit(30, 86400)]


def test_system_check_reports_a_bad_environment_value(settings):
    settings.COMMENT_RATE_LIMITS = "5 per minute"
    errors = rate_limits_from_environment()
    assert [e.id for e in errors] == ["comments.E001"]
    settings.COMMENT_RATE_LIMITS = "5/m,30/d"
    assert rate_limits_from_environment() == []


# Clients.


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("203.0.113.5", "203.0.113.0/24"),
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.0/24"),
        ("", "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_a_client_is_its_network(ip, network):
    assert network_of(ip) == network


def test_the_client_key_does_not_reveal_the_network():
    key = ratelimit.client_key("203.0.113.5")
    assert "203" not in key
    assert key == ratelimit.client_key("203.0.113.200")
    assert key != ratelimit.client_key("198.51.100.1")


def test_fixed_windows_count_and_then_roll_over():
    limits = [Limit(2, 60)]
    start = 1_000_020.0  # 20 s into a minute window
    assert ratelimit.hit("comments", "203.0.113.5", limits, now=start)
    assert ratelimit.hit("comments", "203.0.113.5", limits, now=start + 1)
    assert not ratelimit.hit("comments", "203.0.113.5", limits, now=start + 2)
    assert ratelimit.hit("comments", "203.0.113.5", limits, now=start + 60)


# Posting.


def test_two_clients_in_one_network_share_a_count(two_a_minute, post_url, form_data):
    first, second = client_at("203.0.113.5"), client_at("203.0.113.77")
    elsewhere = client_at("198.51.100.1")

    assert post(first, post_url, form_data, 1).status_code == 303
    assert post(second, post_url, form_data, 2).status_code == 303
    assert post(first, post_url, form_data, 3).status_code == 429
    assert post(second, post_url, form_data, 4).status_code == 429
    assert post(elsewhere, post_url, form_data, 5).status_code == 303
    assert Comment.objects.count() == 3


def test_over_the_limit_is_429_with_the_article_page_and_the_text_kept(
    two_a_minute, post_url, form_data
):
    client = client_at("203.0.113.5")
    post(client, post_url, form_data, 1)
    post(client, post_url, form_data, 2)

    typed = "My third comment <b>about</b> night cramps."
    response = client.post(post_url, form_data | {"body": typed})

    page = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert LIMITED in html.unescape(page)
    assert html.escape(typed) in page
    assert Comment.objects.count() == 2


def test_a_cache_flush_resets_the_counts(two_a_minute, post_url, form_data):
    """Documented in README: clearing the cache forgets every count."""
    client = client_at("203.0.113.5")
    post(client, post_url, form_data, 1)
    post(client, post_url, form_data, 2)
    assert post(client, post_url, form_data, 3).status_code == 429

    cache.clear()

    assert post(client, post_url, form_data, 4).status_code == 303


def test_a_daily_limit_holds_when_the_minute_one_does_not(settings, post_url, form_data):
    settings.COMMENT_RATE_LIMITS = "100/m,3/d"
    client = client_at("203.0.113.5")
    codes = [post(client, post_url, form_data, n).status_code for n in range(4)]
    assert codes == [303, 303, 303, 429]


def test_off_means_no_limit(settings, post_url, form_data):
    settings.COMMENT_RATE_LIMITS = "off"
    client = client_at("203.0.113.5")
    assert {post(client, post_url, form_data, n).status_code for n in range(8)} == {303}


def test_invalid_posts_are_not_counted(two_a_minute, post_url, form_data):
    client = client_at("203.0.113.5")
    for _ in range(3):
        assert client.post(post_url, form_data | {"body": ""}).status_code == 400
    assert post(client, post_url, form_data, 1).status_code == 303


def test_staff_are_not_limited(two_a_minute, post_url, form_data):
    staff = get_user_model().objects.create_user("mod", password="pw", is_staff=True)
    client = client_at("203.0.113.5")
    client.force_login(staff)
    assert {post(client, post_url, form_data, n).status_code for n in range(4)} == {303}


def test_forwarded_for_is_ignored_unless_behind_a_proxy(two_a_minute, post_url, form_data):
    """Otherwise anyone could dodge the limit by sending a made-up header."""
    codes = [
        post(
            client_at("203.0.113.5", HTTP_X_FORWARDED_FOR=f"198.51.{n}.1"), post_url, form_data, n
        ).status_code
        for n in range(3)
    ]
    assert codes == [303, 303, 429]


def test_behind_a_proxy_the_forwarded_address_is_the_client(
    two_a_minute, post_url, form_data, settings
):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.2")]
    proxy = "10.0.0.2"
    codes = [
        post(
            client_at(proxy, HTTP_X_FORWARDED_FOR=f"198.51.{n}.1"), post_url, form_data, n
        ).status_code
        for n in range(3)
    ]
    assert codes == [303, 303, 303]


def stored_cache_keys() -> list[str]:
    """The keys as the shared store holds them: Redis or the database table."""
    from django.core.cache import cache

    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        return [key.decode() for key in cache._cache.get_client().keys("*")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM django_cache")
        return [row[0] for row in cursor.fetchall()]


def test_no_address_reaches_the_cache_store(two_a_minute, post_url, form_data):
    post(client_at("203.0.113.5"), post_url, form_data, 1)

    keys = stored_cache_keys()
    assert any(":rl:comments:" in key for key in keys)
    assert not any("203.0.113" in key for key in keys)
