"""Requests no view should see."""

from django.http import Http404

from conflictapi.api.views import not_found


class RejectNulInPath:
    """A path with a NUL character names no record (PostgreSQL refuses NUL in text, so a
    lookup would be a database error): 404 before any view runs, in the 404's one shape.
    Query parameters and bodies are validated where they are read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return not_found(request, Http404("NUL in the path"))
        return self.get_response(request)
