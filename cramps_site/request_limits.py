"""Refuse a request body that is too big before anything reads it.

The Content-Length header is checked against the limit, so a 5 MB post to a
comment form costs the server its headers only: 413 and the body is never
read. Staff get a larger limit in the admin, where hero images are uploaded.
A body of unknown length (chunked) gets 411: Django reads a body only up to
its Content-Length, so it would otherwise be taken as empty. The limits are
settings (REQUEST_BODY_LIMIT, STAFF_REQUEST_BODY_LIMIT) described in
docs/security.md; Django's own DATA_UPLOAD_* limits apply after this.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

MB = 1024 * 1024


def body_limit(request: HttpRequest) -> int:
    """Bytes this request may send: more for staff in the admin, which uploads images."""
    if request.path_info.startswith(reverse("admin:index")) and request.user.is_staff:
        return settings.STAFF_REQUEST_BODY_LIMIT
    return settings.REQUEST_BODY_LIMIT


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The 4xx answer for a body this site will not read, else None."""
    declared = request.META.get("CONTENT_LENGTH", "").strip()
    if not declared:
        if request.META.get("HTTP_TRANSFER_ENCODING"):
            return answer(411, "Send the request with a Content-Length header.")
        return None
    if not declared.isdigit():
        return answer(400, "The Content-Length header is not a number of bytes.")
    limit = body_limit(request)
    if int(declared) > limit:
        return answer(413, f"The request is larger than this site accepts ({limit // MB} MB).")
    return None


def answer(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestBodyLimitMiddleware:
    """After authentication (the staff limit needs the user), before any view or CSRF check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return refusal(request) or self.get_response(request)
