"""A visitor's network, hashed, and a count of what it did: for site-wide rate limits.

A client is its network, an IPv4 /24 or an IPv6 /64, since one person easily
holds many addresses in either; the network is hashed with the site's key
before it becomes a cache key, so it is never stored. Counts live in fixed
windows in the default cache, which every worker shares.

The address is the one cramps_site/client_address.py reads: behind a proxy,
from X-Forwarded-For only when the request came from a trusted proxy.
"""

import ipaddress
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from cramps_site.client_address import client_address


def network_hash(request, purpose: str) -> str:
    """The client's /24 or /64, hashed for one purpose; "unknown" networks share one."""
    try:
        address = ipaddress.ip_address(client_address(request))
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
