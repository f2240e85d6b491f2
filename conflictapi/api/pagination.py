"""The two ways through a list: page numbers (`page`, counted, any ordering) and keyset
pages (`cursor`, constant time at any depth, in the list's own order)."""

import base64
import datetime
import uuid
from functools import partial

from django.conf import settings
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from conflictapi.api.paginator import CachedCountPaginator

SEARCH_PARAM = "q"


def link_header(links):
    """An RFC 8288 Link header of (rel, url) pairs, those without a url left out; None
    when none is left."""
    parts = [f'<{url}>; rel="{rel}"' for rel, url in links if url]
    return ", ".join(parts) or None


COUNT_EXACT_SCHEMA = {
    "type": "boolean",
    "description": "False when `count` is a lower bound: a text search (`q`) is counted "
    "exactly up to API_SEARCH_COUNT_LIMIT matches (1,000 by default). Pages past the "
    "bound are served, and counted exactly, as `next` reaches them.",
}


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
        self.django_paginator_class = self.paginator_class(request, view)
        return super().paginate_queryset(queryset, request, view)

    @staticmethod
    def paginator_class(request, view):
        """The paginator for this request. A view that shapes its rows itself names the
        columns (`page_values`): the page is then read as dicts of them, and counted
        without their joins. A text search (`q`) is counted exactly up to
        `API_SEARCH_COUNT_LIMIT` matches, and past that reports the limit with
        `count_exact` false, as search engines do: counting every match of a common
        word means reading every matching row (~1 s for 740,000 of a million events)."""
        options = {}
        if values := getattr(view, "page_values", None):
            options["values"] = values
        if request.query_params.get(SEARCH_PARAM):
            options["count_limit"] = settings.API_SEARCH_COUNT_LIMIT
        return partial(CachedCountPaginator, **options)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            paginator.make_exact()  # the last page of a bounded count is not the last
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.count_exact,
                "next": next_link,
                "previous": previous_link,
                "results": data,
            },
            headers=self.link_headers(next_link, previous_link),
        )

    def link_headers(self, next_link, previous_link):
        """`Link` in every format: first, prev, next, and last when the count is exact
        (a bounded search count does not know its last page)."""
        url = self.request.build_absolute_uri()
        paginator = self.page.paginator
        last = None
        if paginator.count_exact:
            last = replace_query_param(url, self.page_query_param, paginator.num_pages)
        header = link_header(
            [
                ("first", remove_query_param(url, self.page_query_param)),
                ("prev", previous_link),
                ("next", next_link),
                ("last", last),
            ]
        )
        return {"Link": header} if header else {}

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        properties = envelope["properties"]
        envelope["properties"] = {
            "count": {
                **properties["count"],
                "description": "How many rows match: exact, or (when `count_exact` is "
                "false, for a text search that matches very many) a lower bound.",
            },
            "count_exact": COUNT_EXACT_SCHEMA,
            **{key: value for key, value in properties.items() if key != "count"},
        }
        envelope["required"] = ["count", "count_exact", "results"]
        return envelope


class KeysetPagination:
    """Deep pages in constant time: the rows after the cursor in (`key`, id) order,
    newest first, whatever the depth; `previous` is null. The page is read as dicts of
    `values` and shaped by the view's `shape(rows)`; it is counted as the page-number
    pages are. Not with `page` or `ordering`."""

    query_param = "cursor"
    parameter = OpenApiParameter(
        "cursor",
        str,
        description="Keyset pagination for deep pages and sync: send an empty cursor for "
        "the first page, then follow `next`. Newest first by date; `previous` is null. "
        "Not with `page` or `ordering`.",
    )

    def __init__(self, key, values):
        self.key = key
        self.values = values

    @classmethod
    def asked(cls, request):
        return cls.query_param in request.query_params

    def paginate(self, request, queryset, view, shape):
        if {"page", "ordering"} & set(request.query_params):
            raise ValidationError({self.query_param: ["Use cursor without page or ordering."]})
        after = self.decode(request.query_params[self.query_param])
        size = view.paginator.get_page_size(request)
        key = self.key
        page_qs = queryset.order_by(f"-{key}", "-pk")
        if after is not None:
            day, pk = after
            # key <= day bounds the index scan; the OR then skips the day's ties.
            page_qs = page_qs.filter(**{f"{key}__lte": day}).filter(
                Q(**{f"{key}__lt": day}) | Q(**{key: day, "pk__lt": pk})
            )
        rows = list(page_qs.values(*self.values)[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        next_url = None
        if more:
            next_url = replace_query_param(
                request.build_absolute_uri(), self.query_param, self.encode(rows[-1])
            )
        counter = view.paginator.paginator_class(request, view)(queryset, size)
        return Response(
            {
                "count": counter.count,
                "count_exact": counter.count_exact,
                "next": next_url,
                "previous": None,
                "results": shape(rows),
            },
            # Keyset pages know only the next one.
            headers={"Link": link_header([("next", next_url)])} if next_url else {},
        )

    def encode(self, row):
        raw = f"{row[self.key].isoformat()}|{row['id']}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, value):
        """(day, id) after which the page starts; None for the first page."""
        if not value:
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            day, _, pk = raw.partition("|")
            return datetime.date.fromisoformat(day), uuid.UUID(pk)
        except (ValueError, UnicodeDecodeError):
            raise ValidationError({self.query_param: ["Not a cursor this API gave out."]}) from None
