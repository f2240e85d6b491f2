"""The app's URLs, plus the comparison endpoints for the events list:
/bench/naive/events/ (plain nested DRF serializers, stock pagination),
/bench/naive-paged/events/ (the same on the project's pagination) and
/bench/floor/events/ (raw SQL and orjson). The `-cited` variants add citations, for
when the API's list rows carry them."""

from django.urls import path

from benchmarks import floor, naive
from conflictapi.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/naive/events/", naive.NaiveEventList.as_view(), name="bench-naive-events"),
    path(
        "bench/naive/events-cited/",
        naive.NaiveEventList.as_view(with_citations=True),
        name="bench-naive-events-cited",
    ),
    path(
        "bench/naive-paged/events/",
        naive.NaiveEventList.as_view(pagination_class=naive.ApiLinkPagination),
        name="bench-naive-paged-events",
    ),
    path(
        "bench/naive-paged/events-cited/",
        naive.NaiveEventList.as_view(pagination_class=naive.ApiLinkPagination, with_citations=True),
        name="bench-naive-paged-events-cited",
    ),
    path("bench/floor/events/", floor.events_page, name="bench-floor-events"),
    path(
        "bench/floor/events-cited/",
        floor.events_page,
        {"with_citations": True},
        name="bench-floor-events-cited",
    ),
    *app_urlpatterns,
]

handler404 = "conflictapi.api.views.not_found"
