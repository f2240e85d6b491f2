"""Floor (c): the events list page as fast as this stack can plausibly make it — raw SQL
through Django's psycopg connection and orjson — producing the same JSON as
/api/v1/events/?page=&page_size= (same keys, same values, same next/previous links). A
bare Django view: no DRF, no serializers, no ORM. It does the least work the page needs:
the count from the cache (under the data generation, as the API keeps it), the page's
ids from an index-only scan then its rows, the participations, then their actors.

The `-cited` route adds each event's citations (one more statement), for when the API's
list rows carry them.
"""

import math

import orjson
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param

from conflictapi.generation import generation

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"

COUNT_SQL = "SELECT count(*) FROM events_event WHERE status = 'published'"

# The API's ordering (Event.Meta.ordering: -date_start, -id), so the page holds the same rows.
PAGE_SQL = """
SELECT e.id, e.status, e.retraction_reason, e.version, e.created_at, e.updated_at, e.title,
       t.id, t.slug, t.name,
       e.date, e.date_start, e.date_end, e.date_precision,
       p.id, p.slug, p.name, p.latitude, p.longitude, p.country, p.status, t.status,
       e.geo_precision, e.fatalities_low, e.fatalities_best, e.fatalities_high, e.summary
FROM events_event e
JOIN events_eventtype t ON t.id = e.event_type_id
LEFT JOIN events_place p ON p.id = e.place_id
WHERE e.id IN (
    SELECT id FROM events_event WHERE status = 'published'
    ORDER BY date_start DESC, id DESC LIMIT %s OFFSET %s
)
ORDER BY e.date_start DESC, e.id DESC
"""

PARTICIPATIONS_SQL = """
SELECT event_id, actor_id, role, note FROM events_eventparticipant WHERE event_id = ANY(%s)
"""
# EventParticipant.Meta.ordering: role, actor name (in the database's collation).
# Anonymous readers see published actors only.
ACTORS_SQL = """
SELECT id, slug, name FROM actors_actor WHERE id = ANY(%s) AND status = 'published'
ORDER BY name, id
"""

CITATIONS_SQL = """
SELECT c.event_id, c.id, d.id, d.title, o.id, o.slug, o.name, d.published_on, d.url,
       c.quote, c.locator, c.credibility, c.note
FROM events_eventcitation c
JOIN sources_document d ON d.id = c.document_id AND d.status = 'published'
LEFT JOIN sources_outlet o ON o.id = d.outlet_id AND o.status = 'published'
"""


def _page_size(value):
    # DRF's rule: a positive integer, capped at the maximum; anything else is the default.
    try:
        size = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    if size <= 0:
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE)


def _url_maker(request, view_name):
    prefix, _, suffix = request.build_absolute_uri(
        reverse(view_name, args=[PLACEHOLDER])
    ).partition(PLACEHOLDER)
    return lambda pk: f"{prefix}{pk}{suffix}"


def _float(value):
    return None if value is None else float(value)


def _not_found():
    return JsonResponse(
        {"type": "client_error", "errors": [{"code": "not_found", "detail": "Invalid page."}]},
        status=404,
    )


def events_page(request, with_citations=False):
    size = _page_size(request.GET.get("page_size"))
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        return _not_found()
    with connection.cursor() as cursor:
        key = f"bench-floor:count:{generation()}"
        count = cache.get(key)
        if count is None:
            cursor.execute(COUNT_SQL)
            count = cursor.fetchone()[0]
            cache.set(key, count, timeout=300)
        num_pages = max(1, math.ceil(count / size))
        if number < 1 or number > num_pages:
            return _not_found()
        cursor.execute(PAGE_SQL, [size, (number - 1) * size])
        rows = cursor.fetchall()
        ids = [row[0] for row in rows]
        cursor.execute(PARTICIPATIONS_SQL, [ids])
        participations = cursor.fetchall()
        cursor.execute(ACTORS_SQL, [list({row[1] for row in participations})])
        actors = {row[0]: (rank, row[1], row[2]) for rank, row in enumerate(cursor.fetchall())}
        citation_rows = []
        if with_citations:
            cursor.execute(CITATIONS_SQL, [ids])
            citation_rows = sorted(cursor.fetchall(), key=lambda row: row[1])

    event_url = _url_maker(request, "events-api:event-detail")
    type_url = _url_maker(request, "events-api:eventtype-detail")
    place_url = _url_maker(request, "events-api:place-detail")
    actor_url = _url_maker(request, "actors-api:actor-detail")

    participants = {pk: [] for pk in ids}
    participations = [row for row in participations if row[1] in actors]
    participations.sort(key=lambda row: (row[2], actors[row[1]][0]))
    for event_id, actor_id, role, note in participations:
        _, slug, name = actors[actor_id]
        participants[event_id].append(
            {
                "actor": {"id": actor_id, "url": actor_url(actor_id), "slug": slug, "name": name},
                "role": role,
                "note": note,
            }
        )
    citations = {pk: [] for pk in ids}
    if with_citations:
        document_url = _url_maker(request, "sources-api:document-detail")
        outlet_url = _url_maker(request, "sources-api:outlet-detail")
        for row in citation_rows:
            (event_id, pk, doc_id, title, outlet_id, outlet_slug, outlet_name) = row[:7]
            (published_on, source_url, quote, locator, credibility, note) = row[7:]
            citations[event_id].append(
                {
                    "id": pk,
                    "document": {
                        "id": doc_id,
                        "url": document_url(doc_id),
                        "title": title,
                        "outlet": None
                        if outlet_id is None
                        else {
                            "id": outlet_id,
                            "url": outlet_url(outlet_id),
                            "slug": outlet_slug,
                            "name": outlet_name,
                        },
                        "published_on": published_on,
                        "source_url": source_url,
                    },
                    "quote": quote,
                    "locator": locator,
                    "credibility": credibility,
                    "note": note,
                }
            )

    results = []
    for row in rows:
        (pk, status, reason, version, created_at, updated_at, title) = row[:7]
        (type_id, type_slug, type_name, date, date_start, date_end, precision) = row[7:14]
        (place_id, place_slug, place_name, latitude, longitude, country) = row[14:20]
        (place_status, type_status) = row[20:22]
        (geo_precision, low, best, high, summary) = row[22:]
        # Anonymous readers see a place or type that is not published as absent.
        if place_status != "published":
            place_id = latitude = longitude = country = None
        if type_status != "published":
            type_id = None
        item = {
            "id": pk,
            "url": event_url(pk),
            "status": status,
            "retraction_reason": reason,
            "version": version,
            "created_at": created_at,
            "updated_at": updated_at,
            "title": title,
            "event_type": None
            if type_id is None
            else {
                "id": type_id,
                "url": type_url(type_id),
                "slug": type_slug,
                "name": type_name,
            },
            "date": date,
            "date_start": date_start,
            "date_end": date_end,
            "date_precision": precision,
            "place": None
            if place_id is None
            else {
                "id": place_id,
                "url": place_url(place_id),
                "slug": place_slug,
                "name": place_name,
            },
            "country": country or None,
            "latitude": _float(latitude),
            "longitude": _float(longitude),
            "geo_precision": geo_precision,
            "fatalities_low": low,
            "fatalities_best": best,
            "fatalities_high": high,
            "summary": summary,
            "participants": participants[pk],
        }
        if with_citations:
            item["citations"] = citations[pk]
        results.append(item)

    # DRF's links: this request's URL on the API's list path, page replaced (or dropped for 1).
    query = request.META.get("QUERY_STRING", "")
    url = request.build_absolute_uri(reverse("events-api:event-list"))
    if query:
        url = f"{url}?{query}"
    next_link = replace_query_param(url, "page", number + 1) if number < num_pages else None
    previous_link = None
    if number == 2:
        previous_link = remove_query_param(url, "page")
    elif number > 2:
        previous_link = replace_query_param(url, "page", number - 1)
    body = orjson.dumps(
        {
            "count": count,
            "count_exact": True,
            "next": next_link,
            "previous": previous_link,
            "results": results,
        },
        option=orjson.OPT_UTC_Z,
    )
    return HttpResponse(body, content_type="application/json")
