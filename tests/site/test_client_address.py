"""Behind a proxy, the client is the right-most address no trusted proxy wrote."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from comments.moderation.ratelimit import network_of
from comments.privacy import client_ip
from cramps_site import env
from cramps_site.client_address import client_address, forwarded_client

LOOPBACK = env.trusted_proxies({})
PROXIES = [ipaddress.ip_network("127.0.0.1"), ipaddress.ip_network("10.0.0.0/24")]


@pytest.fixture
def behind_proxy(settings):
    """Settings as DJANGO_BEHIND_PROXY=1 with the default trusted proxies."""
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = LOOPBACK
    return settings


def request_from(remote, forwarded_for=None):
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_the_header_is_ignored_when_not_behind_a_proxy(settings):
    settings.BEHIND_PROXY = False
    settings.TRUSTED_PROXIES = LOOPBACK
    request = request_from("127.0.0.1", "198.51.100.7")

    assert client_address(request) == "127.0.0.1"


def test_behind_a_proxy_the_address_the_proxy_appended_is_the_client(behind_proxy):
    assert client_address(request_from("127.0.0.1", "198.51.100.7")) == "198.51.100.7"


def test_a_client_that_sends_the_header_itself_is_counted_by_its_own_address(behind_proxy):
    """Straight to the app server, not through the proxy: the header is the client's."""
    assert client_address(request_from("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_addresses_a_client_prepends_through_the_proxy_are_ignored(behind_proxy):
    """nginx appends to what the client sent: only the right-most entry is nginx's."""
    request = request_from("127.0.0.1", "127.0.0.1, 10.0.0.1, 198.51.100.7")

    assert client_address(request) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    chain = "1.2.3.4, 198.51.100.7, 10.0.0.5"

    assert forwarded_client("127.0.0.1", chain, PROXIES) == "198.51.100.7"


def test_a_trusted_proxy_without_the_header_is_the_client(behind_proxy):
    assert client_address(request_from("127.0.0.1")) == "127.0.0.1"


def test_when_every_hop_is_trusted_the_left_most_is_the_client():
    assert forwarded_client("127.0.0.1", "10.0.0.7, 10.0.0.5", PROXIES) == "10.0.0.7"


def test_ipv6_and_ipv4_mapped_loopback_proxies_are_trusted_by_default():
    assert forwarded_client("::1", "2001:db8::5", LOOPBACK) == "2001:db8::5"
    assert forwarded_client("::ffff:127.0.0.1", "198.51.100.7", LOOPBACK) == "198.51.100.7"


def test_other_loopback_addresses_are_not_trusted_by_default():
    """A local client on 127.0.0.2 is a client, not our nginx on 127.0.0.1."""
    assert forwarded_client("127.0.0.2", "198.51.100.7", LOOPBACK) == "127.0.0.2"


def test_garbage_in_the_header_is_a_client_of_an_unknown_network_not_a_crash(behind_proxy):
    request = request_from("127.0.0.1", "<script>, ::::, 999.1.1.1")

    assert client_address(request) == "999.1.1.1"
    assert network_of(client_address(request)) == "unknown"


def test_garbage_left_of_the_proxys_entry_does_not_matter(behind_proxy):
    assert client_address(request_from("127.0.0.1", "<script>, 198.51.100.7")) == "198.51.100.7"


def test_comments_count_by_the_same_address(behind_proxy):
    assert client_ip(request_from("127.0.0.1", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"


def test_trusted_proxies_default_to_the_loopback_addresses():
    assert [str(n) for n in LOOPBACK] == ["127.0.0.1/32", "::1/128"]


def test_trusted_proxies_take_addresses_and_networks():
    networks = env.trusted_proxies({"DJANGO_TRUSTED_PROXIES": "10.0.0.5, 10.0.1.0/24, fd00::/8"})

    assert [str(n) for n in networks] == ["10.0.0.5/32", "10.0.1.0/24", "fd00::/8"]


def test_a_typo_in_the_trusted_proxies_fails_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES"):
        env.trusted_proxies({"DJANGO_TRUSTED_PROXIES": "10.0.0.300"})
