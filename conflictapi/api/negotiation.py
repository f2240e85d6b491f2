"""Which format a response is in: an explicit `?format=` wins over `Accept` (GDAL, for
one, always sends `Accept: text/plain, application/json`, and a client that names a
format in the URL means it); without it, `Accept` chooses, as DRF's default does."""

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation


class FormatFirstContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if fmt:
            for renderer in renderers:
                if renderer.format == fmt:
                    return renderer, renderer.media_type
            # An unknown format: DRF's answer (404), as before.
            raise Http404
        return super().select_renderer(request, renderers, format_suffix)
