"""Who posted, kept only as much as moderation needs: never a raw IP."""

from django.conf import settings
from django.utils.crypto import salted_hmac


def client_ip(request) -> str:
    """The visitor's address; behind our proxy, the one it appended last."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(ip: str) -> str:
    """Salted with SECRET_KEY: equal IPs match, but the IP cannot be read back."""
    if not ip:
        return ""
    return salted_hmac("comments.ip", ip, algorithm="sha256").hexdigest()
