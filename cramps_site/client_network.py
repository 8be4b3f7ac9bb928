"""A visitor's network, hashed, and a count of what it did: for site-wide rate limits.

A client is its network, an IPv4 /24 or an IPv6 /64, since one person easily
holds many addresses in either; the network is hashed with the site's key
before it becomes a cache key, so it is never stored. Counts live in fixed
windows in the default cache, which every worker shares.

Kept small on purpose: the address is read like comments/privacy.py reads it
(the last X-Forwarded-For entry behind our proxy); cramps_site/client_address.py
is meant to become the one reader of it.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


def _address(request) -> str:
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def network_hash(request, purpose: str) -> str:
    """The client's /24 or /64, hashed for one purpose; "unknown" networks share one."""
    try:
        address = ipaddress.ip_address(_address(request))
    except ValueError:
        network = "unknown"
    else:
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        prefix = 24 if address.version == 4 else 64
        network = str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
    return salted_hmac(purpose, network, algorithm="sha256").hexdigest()[:32]


def within_limit(request, purpose: str, count: int, seconds: int) -> bool:
    """Count one more action by this client's network; False once over count per window."""
    window = int(time.time() // seconds)
    key = f"net:{purpose}:{network_hash(request, purpose)}:{seconds}:{window}"
    cache.add(key, 0, timeout=seconds + 5)
    try:
        return cache.incr(key) <= count
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=seconds + 5)
        return True
