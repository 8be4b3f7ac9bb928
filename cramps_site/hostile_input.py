"""Inputs that Django's own code would answer with a 500, answered with a 400 or 404.

- A NUL byte in a query string: PostgreSQL cannot store or compare text with
  NUL in it, so a view passing a parameter to the database (search, the
  admin's filters) would fail. Form fields already refuse NUL (Django's
  CharField validator); the middleware covers every GET parameter at once.
- A media path longer than the file system allows: django.views.static.serve
  lets the OSError through.
"""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.views.static import serve

NUL = "\x00"


class RejectNulInQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(NUL in key + "".join(values) for key, values in request.GET.lists()):
            raise BadRequest("A NUL byte in the query string.")
        return self.get_response(request)


def serve_media(request, path, document_root):
    """Django's static file view, with a name too long for the disk a 404."""
    try:
        return serve(request, path, document_root=document_root)
    except OSError:
        raise Http404("No such file") from None
