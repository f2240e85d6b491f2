from functools import partial

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from conflictapi.api.counts import CachedCountPaginator


class PageNumberPagination(PageNumberPagination):
    """`page` and `page_size` (default 50, at most 1000). An out-of-range page is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    django_paginator_class = CachedCountPaginator

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: ["Give a whole number from 1 to 1000."]}
            )
        # Larger pages are served at the maximum, as `next` then shows.
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        # A view that shapes its rows itself names the columns (`page_values`): the
        # page is then read as dicts of them, and counted without their joins.
        values = getattr(view, "page_values", None)
        if values:
            self.django_paginator_class = partial(CachedCountPaginator, values=values)
        return super().paginate_queryset(queryset, request, view)
