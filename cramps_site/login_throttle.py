"""Admin login throttling with django-axes: who a client is, and the lockout page.

Axes counts failed logins per account and per client in the shared cache
(settings: AXES_*). A client is its network, hashed, exactly as for comment
rate limits, so no address is kept and one person's many addresses count once.
The lockout page says when logins open again: the end is remembered beside
axes' own count when the lock starts, as attempts during a lock do not move it.
"""

import datetime
import math
import time

from axes.helpers import get_cache, get_client_cache_keys, get_cool_off, get_failure_limit
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from comments.moderation.ratelimit import client_key
from comments.privacy import client_ip

TEMPLATE = "admin/login_locked.html"


def client_network(request: HttpRequest) -> str:
    """What axes takes for the client's address: its /24 or /64, hashed with the key."""
    return client_key(client_ip(request))


def locked_until(request: HttpRequest, credentials: dict | None) -> float:
    """When the account's or the network's lock ends (the later of the two), as a timestamp."""
    cache = get_cache()
    limit = get_failure_limit(request, credentials)
    cool_off = int(get_cool_off(request).total_seconds())
    now = time.time()
    ends = []
    for key in get_client_cache_keys(request, credentials):
        if cache.get(key, 0) >= limit:
            cache.add(f"{key}:until", now + cool_off, timeout=cool_off)
            ends.append(cache.get(f"{key}:until", now + cool_off))
    return max(ends, default=now + cool_off)


def lockout_response(
    request: HttpRequest, original_response=None, credentials: dict | None = None
) -> HttpResponse:
    """The admin-styled 429 page: what happened and when to try again."""
    until = locked_until(request, credentials)
    seconds = max(1, math.ceil(until - time.time()))
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": int(get_cool_off(request).total_seconds() // 60),
        "until": datetime.datetime.fromtimestamp(until, tz=datetime.UTC),
        "minutes_left": math.ceil(seconds / 60),
    }
    response = render(request, TEMPLATE, context, status=429)
    response["Retry-After"] = str(seconds)
    return response
