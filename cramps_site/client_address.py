"""The visitor's address, which behind a reverse proxy is not REMOTE_ADDR.

A proxy such as nginx (deploy/nginx/) appends the address it saw to
X-Forwarded-For. Anything to the left of it came from the client, who can
write whatever it likes there, so the header is read only when the site is
behind a proxy (DJANGO_BEHIND_PROXY) and the request really came from one
(DJANGO_TRUSTED_PROXIES), and then from the right: the first address that is
not one of our proxies is the client. See docs/deploy.md.
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request) -> str:
    """The address rate limits and reports count by; never one the client chose."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote
    return forwarded_client(
        remote, request.META.get("HTTP_X_FORWARDED_FOR", ""), settings.TRUSTED_PROXIES
    )


def forwarded_client(remote: str, forwarded_for: str, trusted: Iterable[Network]) -> str:
    """The right-most address in the chain that is not a trusted proxy.

    The chain is the X-Forwarded-For entries followed by the peer itself. An
    entry that is not an address ends the walk: it was written by the client
    or by a proxy we do not trust, so it is taken as the client, as it is.
    """
    trusted = tuple(trusted)
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    chain = [*hops, remote]
    for hop in reversed(chain):
        if not is_trusted(hop, trusted):
            return hop
    return chain[0]


def is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == network.version and ip in network for network in trusted)
