"""CSRF protection for the guest forms without a cookie: Fetch metadata, then Origin.

A reader who only reads must get no cookie at all (issue 10), so the guest
comment, report, edit, delete and subscription forms carry no CSRF token.
Browsers say where a request comes from instead: the same algorithm as
django-modern-csrf and Go's CrossOriginProtection
(https://words.filippo.io/csrf/):

1. Safe methods (GET, HEAD, OPTIONS) pass.
2. ``Sec-Fetch-Site: same-origin`` or ``none`` (typed or bookmarked) passes;
   any other value (cross-site, same-site) is refused, unless the Origin is
   in CSRF_TRUSTED_ORIGINS.
3. Without Fetch metadata (older browsers), an ``Origin`` equal to this site's
   own, or listed in CSRF_TRUSTED_ORIGINS, passes; any other is refused.
4. With neither header nothing says the request is ours: refused.

Only views marked ``@origin_checked`` use this; Django's token CSRF stays on
the admin and on everything else. Django's test client sets
``_dont_enforce_csrf_checks`` unless built with ``enforce_csrf_checks=True``,
and that is honoured here as in Django's own middleware.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
PASSING_FETCH_SITES = {"same-origin", "none"}
TEMPLATE = "403_cross_site.html"

CROSS_SITE = "The form was sent from another website."
FOREIGN_ORIGIN = "The form was sent from another address than this site's."
UNKNOWN_ORIGIN = "Your browser did not say that the form was sent from this site."


def origin_checked(view):
    """Mark a public form's view: Fetch metadata and Origin instead of a token."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.origin_checked = True
    return wrapped


def refusal_reason(request) -> str | None:
    """Why an unsafe request must be refused as cross-site, or None if it may pass."""
    if request.method in SAFE_METHODS:
        return None
    origin = request.headers.get("Origin")
    trusted = origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site in PASSING_FETCH_SITES or trusted:
            return None
        return CROSS_SITE
    if origin is None:
        return UNKNOWN_ORIGIN
    if trusted or origin == f"{request.scheme}://{request.get_host()}":
        return None
    return FOREIGN_ORIGIN


class OriginCsrfMiddleware:
    """Runs before Django's CsrfViewMiddleware; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "origin_checked", False):
            return None
        if getattr(request, "_dont_enforce_csrf_checks", False):
            return None
        reason = refusal_reason(request)
        if reason is not None:
            return render(request, TEMPLATE, {"reason": reason}, status=403)
        # The origin is proven: Django's token check has nothing left to add.
        request._dont_enforce_csrf_checks = True
        return None
