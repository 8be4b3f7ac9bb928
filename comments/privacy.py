"""Who posted, kept only as much as moderation needs: never a raw IP."""

from django.utils.crypto import salted_hmac

from cramps_site.client_address import client_address


def client_ip(request) -> str:
    """The visitor's address, proxies taken into account (see client_address)."""
    return client_address(request)


def ip_hash(ip: str) -> str:
    """Salted with SECRET_KEY: equal IPs match, but the IP cannot be read back."""
    if not ip:
        return ""
    return salted_hmac("comments.ip", ip, algorithm="sha256").hexdigest()
