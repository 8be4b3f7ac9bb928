"""Inputs that Django's own code would answer with a 500, made harmless.

- A NUL byte in a query string is dropped before any view sees it.
  PostgreSQL cannot store or compare text with NUL in it, so a view passing a
  parameter to the database (search, the admin's list filters) would fail; no
  person types a NUL, so nothing is lost. Form fields already refuse NUL with
  a message (Django's CharField validator).
- A media path longer than the file system allows is a 404:
  django.views.static.serve lets the OSError through.
"""

from django.http import Http404, QueryDict
from django.views.static import serve

NUL = "\x00"


class DropNulFromQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(NUL in key + "".join(values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                for value in values:
                    cleaned.appendlist(key.replace(NUL, ""), value.replace(NUL, ""))
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


def serve_media(request, path, document_root):
    """Django's static file view, with a name too long for the disk a 404."""
    try:
        return serve(request, path, document_root=document_root)
    except OSError:
        raise Http404("No such file") from None
