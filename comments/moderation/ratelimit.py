"""How often one client may post comments or reports.

A client is its network, not its address: an IPv4 /24 or an IPv6 /64, since
one person easily holds many addresses in either. The network is hashed with
the site's key before it becomes a cache key, so it is never stored.

Counts live in fixed windows in Django's default cache, which every worker
shares (Redis when REDIS_URL is set, the database otherwise), counted
atomically by cramps_site.rate_counter. Clearing the cache resets every count.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

from comments.models import CommentSettings
from comments.models.rate_limits import Limit, parse
from cramps_site import rate_counter

log = logging.getLogger(__name__)

COMMENTS = "comments"
REPORTS = "reports"
# Settings read from the environment (cramps_site/settings.py) win over the
# admin's, so a load test can say "off".
ENV_VARS = {COMMENTS: "COMMENT_RATE_LIMITS", REPORTS: "COMMENT_REPORT_RATE_LIMITS"}


def limits_for(scope: str) -> list[Limit]:
    """The environment's limits, else the admin's; a bad value never breaks posting.

    A bad environment value is also reported by `manage.py check` (see checks.py).
    """
    env_value = getattr(settings, ENV_VARS[scope], None)
    if env_value is not None:
        try:
            return parse(env_value)
        except ImproperlyConfigured:
            log.error("%s=%r is not valid; using the admin setting.", ENV_VARS[scope], env_value)
    stored = CommentSettings.load()
    admin_value = stored.rate_limits if scope == COMMENTS else stored.report_rate_limits
    try:
        return parse(admin_value)
    except ImproperlyConfigured:
        log.error("The %s rate limit %r is not valid; using the default.", scope, admin_value)
        field = "rate_limits" if scope == COMMENTS else "report_rate_limits"
        return parse(CommentSettings._meta.get_field(field).default)


def network_of(ip: str) -> str:
    """The /24 or /64 an address belongs to; "unknown" for anything else."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return "unknown"
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def client_key(ip: str) -> str:
    return salted_hmac("comments.ratelimit", network_of(ip), algorithm="sha256").hexdigest()[:32]


def hit(scope: str, ip: str, limits: list[Limit] | None = None, now: float | None = None) -> bool:
    """Count one more action by this client; False when it is over any limit."""
    limits = limits_for(scope) if limits is None else limits
    client = client_key(ip)
    allowed = True
    for limit in limits:
        count = rate_counter.hit(f"rl:{scope}:{client}", limit.seconds, now=now)
        allowed = allowed and count <= limit.count
    return allowed


RETRY_AFTER_SECONDS = 60


def allows_comment(request, ip: str) -> bool:
    """A post or an edit by this visitor; staff are never limited."""
    return request.user.is_staff or hit(COMMENTS, ip)


def refused(response):
    """The 429 answer, telling clients when to try again."""
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
