"""Section 2: filtered lists and deep pages (page number and cursor), p95 latency, with
the EXPLAIN of the view's own queryset."""

import base64
import contextlib
import datetime
import json
import math
import random
import re
import time
import urllib.parse

from benchmarks.common import ERROR, MISSING, fetch, ms, percentile, sample_rows, verdict
from benchmarks.server import WARM_REQUESTS, WARM_SECONDS, Client, query_string, run_batch

# --- EXPLAIN ----------------------------------------------------------------------------

SCAN_RE = re.compile(
    r"((?:Parallel )?(?:Seq Scan|Index Scan Backward|Index Scan|Index Only Scan Backward|"
    r"Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan)(?: using \S+)? on \S+(?: \w+)?)"
)
EVENTS_SEQ_RE = re.compile(r"Seq Scan on events_event(?:\s|$)")


def scan_nodes(plan):
    return [m.group(1) for line in plan.splitlines() for m in SCAN_RE.finditer(line)]


def events_queryset(params):
    """The list view's filtered queryset for these query parameters, as the view builds
    it: EventFilterSet(params, queryset=<visible events>, request=<anonymous>).qs."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from events.api.views import EventViewSet
    from events.filters import EventFilterSet
    from events.models import Event

    wsgi_request = APIRequestFactory().get("/api/v1/events/", params, HTTP_HOST="127.0.0.1")
    view = EventViewSet(action_map={"get": "list"})
    request = Request(wsgi_request)
    view.request, view.action, view.args, view.kwargs, view.format_kwarg = (
        request,
        "list",
        (),
        {},
        None,
    )
    try:
        base = view.get_queryset()
    except Exception:  # the view is being changed: fall back to what it filters
        base = Event.objects.filter(status="published").select_related("event_type", "place")
    filterset = EventFilterSet(
        {k: v for k, v in params.items() if k not in ("page", "page_size", "cursor")},
        queryset=base,
        request=request,
    )
    return filterset.qs


def explain_events(params):
    """Plans of the page query and the count query the list runs for these parameters."""
    from django.db import connection

    size = int(params.get("page_size", 50))
    offset = (int(params.get("page", 1)) - 1) * size
    qs = events_queryset(params)
    try:  # the page as the paginator reads it (keys first, then the page's rows)
        from conflictapi.api.paginator import deferred_slice

        page_plan = deferred_slice(qs, offset, offset + size).explain()
    except ImportError:
        page_plan = qs[offset : offset + size].explain()
    sql, sql_params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) AS s", sql_params)
        count_plan = "\n".join(row[0] for row in cursor.fetchall())
    return page_plan, count_plan


# --- section 2: filtered lists -----------------------------------------------------------


def filtered_params(rng, n, published):
    """Query parameters for each filtered list, drawn from the data."""
    queries = {}
    first, last = fetch(
        "SELECT min(date_start), max(date_start) FROM events_event WHERE status = 'published'"
    )[0]
    span = (last - first).days if first and last else 0

    def date_range():
        start = first + datetime.timedelta(days=rng.randint(0, max(0, span - 365)))
        end = start + datetime.timedelta(days=rng.randint(30, 365))
        return start.isoformat(), end.isoformat()

    actors = sample_rows(
        "SELECT s.slug FROM actors_actor s WHERE s.status = 'published' AND EXISTS "
        "(SELECT 1 FROM events_eventparticipant ep WHERE ep.actor_id = s.id)",
        n,
        rng,
    )
    if actors and first:
        queries["actor + date range"] = [
            {"actor": slug, "date_from": d[0], "date_to": d[1]}
            for (slug,), d in zip(actors, (date_range() for _ in actors), strict=True)
        ]
    parents = sample_rows(
        "SELECT s.slug FROM events_place s WHERE s.status = 'published' AND EXISTS "
        "(SELECT 1 FROM events_place c WHERE c.parent_id = s.id)",
        n,
        rng,
    )
    types = [
        r[0]
        for r in fetch(
            "SELECT slug FROM events_eventtype WHERE status = 'published' AND parent_id IS NULL "
            "ORDER BY slug"
        )
    ]
    if parents and types:
        queries["place (descendants) + event type"] = [
            {"place": slug, "event_type": rng.choice(types)} for (slug,) in parents
        ]
    points = sample_rows(
        "SELECT s.longitude, s.latitude FROM events_place s WHERE s.status = 'published' "
        "AND s.latitude IS NOT NULL",
        n,
        rng,
    )
    if points:
        queries["bbox (1x1 degree)"] = [
            {
                "bbox": ",".join(
                    f"{v:.4f}"
                    for v in (
                        max(-180.0, float(lon) - 0.5),
                        max(-90.0, float(lat) - 0.5),
                        min(180.0, float(lon) + 0.5),
                        min(90.0, float(lat) + 0.5),
                    )
                )
            }
            for lon, lat in points
        ]
    titles = sample_rows(
        "SELECT s.title FROM events_event s WHERE s.status = 'published'", n * 2, rng
    )
    words = []
    for (title,) in titles:
        candidates = re.findall(r"[^\W\d_]{4,}", title)
        if candidates:
            words.append(rng.choice(candidates).lower())
    if words:
        queries["q text (title/summary)"] = [{"q": w} for w in words[:n]]
    num_pages = max(1, math.ceil(published / 100))
    deep = min(5000, num_pages)
    queries[f"deep page ~{deep} (page_size=100)"] = [
        {"page_size": 100, "page": max(1, min(num_pages, deep + rng.randint(-30, 30)))}
        for _ in range(n)
    ]
    return queries


def measure_paths(port, paths, seconds):
    """Sequential GETs over one keep-alive connection: latencies of 200s, other statuses."""
    client = Client(port)
    latencies, statuses, bodies = [], {}, []
    deadline = time.monotonic() + seconds
    try:
        for path in paths:
            if time.monotonic() > deadline:
                break
            response = client.get(path)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status == 200:
                latencies.append(response.seconds)
                bodies.append(response.body)
    finally:
        client.close()
    return latencies, statuses, bodies


def section_filtered(report, server, budget, rng, published):
    sec = "2"
    queries = filtered_params(rng, budget.filtered_requests, published)
    # Warm-up: every server thread's database connection is a PostgreSQL backend whose
    # first query of a kind loads catalog entries (~5 ms a statement); a long-running
    # server has paid that long ago. Each kind is first sent with parameters drawn
    # apart from the measured ones (so no measured count is cached by it).
    warm = filtered_params(random.Random(rng.random()), WARM_REQUESTS, published)
    deep_bodies = []
    for name, plist in queries.items():
        paths = [f"/api/v1/events/?{query_string(p)}" for p in plist]
        measured = set(paths)
        warm_paths = [
            path
            for path in (f"/api/v1/events/?{query_string(p)}" for p in warm.get(name, []))
            if path not in measured
        ]
        run_batch(server.port, warm_paths, budget.list_threads, time.monotonic() + WARM_SECONDS)
        latencies, statuses, bodies = measure_paths(server.port, paths, budget.filtered_seconds)
        if name.startswith("deep page"):
            deep_bodies = bodies
        bad = {s: c for s, c in statuses.items() if s != 200}
        seq = "?"
        try:
            page_plan, count_plan = explain_events(plist[0])
            seq = "yes" if EVENTS_SEQ_RE.search(page_plan + "\n" + count_plan) else "no"
            report.detail(f"Section 2 plan, {name}: {query_string(plist[0])}")
            for label, plan in (("page", page_plan), ("count", count_plan)):
                nodes = scan_nodes(plan) or ["(no scan node)"]
                report.detail(f"    {label:5}: " + "; ".join(nodes))
        except Exception as exc:  # a 400 for bad params, or a view mid-change
            report.detail(f"Section 2 plan, {name}: EXPLAIN failed: {exc}")
        if not latencies:
            report.add(sec, name, f"no 200 (statuses {statuses})", "<= 50 ms p95", ERROR)
            continue
        p95 = percentile(latencies, 0.95)
        report.add(
            sec,
            name,
            f"p95 {ms(p95)} ms (p50 {ms(percentile(latencies, 0.5))})",
            "<= 50 ms p95",
            verdict(p95 <= 0.050 and not bad),
            f"n={len(latencies)}; seq scan on events_event: {seq}"
            + (f"; non-200: {bad}" if bad else ""),
        )
    section_cursor(report, server, budget, deep_bodies)


def _decode_token(token):
    codecs = [
        (base64.b64decode, base64.b64encode),
        (base64.urlsafe_b64decode, base64.urlsafe_b64encode),
    ]
    if "-" in token or "_" in token:  # the URL-safe alphabet
        codecs.reverse()
    for decode, encode in codecs:
        try:
            raw = decode(token + "=" * (-len(token) % 4)).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if raw[:1] in "{[":
            with contextlib.suppress(ValueError):
                return "json", encode, json.loads(raw)
        parsed = urllib.parse.parse_qs(raw, keep_blank_values=True)
        if parsed:
            return "qs", encode, parsed
    return None


def app_cursor(row):
    """The page after `row`, with a cursor made by the app's own encoder, where it has one."""
    try:
        from events.api.views import EventViewSet
    except ImportError:
        return None
    try:
        token = EventViewSet.keyset.encode(
            {"date_start": datetime.date.fromisoformat(row["date_start"]), "id": row["id"]}
        )
    except (KeyError, TypeError, ValueError):
        return None
    return "/api/v1/events/?" + urllib.parse.urlencode({"page_size": 100, "cursor": token})


def craft_cursor(template_url, last_row, target_row):
    """A cursor at `target_row`, made from a real cursor (which points after `last_row`) by
    putting target_row's values where last_row's values stand. None if it cannot be."""
    parts = urllib.parse.urlsplit(template_url)
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    token = (query.get("cursor") or [None])[0]
    decoded = _decode_token(token) if token else None
    if decoded is None:
        return None
    kind, encode, value = decoded
    by_value = {str(v): k for k, v in last_row.items() if v is not None and not isinstance(v, dict)}
    replaced = 0

    def swap(item):
        nonlocal replaced
        if isinstance(item, list):
            return [swap(i) for i in item]
        if isinstance(item, dict):
            return {k: swap(v) for k, v in item.items()}
        key = by_value.get(str(item))
        if key is None:
            return item
        replaced += 1
        new = target_row.get(key)
        return new if not isinstance(item, str) else str(new)

    value = swap(value)
    if not replaced:
        return None
    raw = (
        json.dumps(value, separators=(",", ":"))
        if kind == "json"
        else urllib.parse.urlencode(value, doseq=True)
    )
    new_token = encode(raw.encode()).decode()
    if not token.endswith("="):
        new_token = new_token.rstrip("=")
    query["cursor"] = [new_token]
    return f"{parts.path}?{urllib.parse.urlencode(query, doseq=True)}"


def section_cursor(report, server, budget, deep_bodies):
    sec = "2"
    client = Client(server.port)
    try:
        probe = client.get("/api/v1/events/?page_size=100&cursor=")
        doc = probe.json() if probe.status == 200 else {}
        next_url = doc.get("next") if isinstance(doc, dict) else None
        if probe.status != 200 or not next_url or "cursor=" not in next_url:
            report.add(
                sec,
                "deep page via cursor",
                "not available",
                "<= 50 ms p95",
                MISSING,
                f"?cursor= answered HTTP {probe.status}"
                + ("" if probe.status != 200 else ", no cursor in next"),
            )
            return
        last_row = doc["results"][-1]
        paths, checks = [], []
        for body in deep_bodies:
            rows = json.loads(body).get("results") or []
            if len(rows) >= 2:
                middle = len(rows) // 2
                crafted = app_cursor(rows[middle - 1]) or craft_cursor(
                    next_url, last_row, rows[middle - 1]
                )
                if crafted:
                    paths.append(crafted)
                    checks.append(rows[middle])
        how = "cursors placed at the deep pages' rows"
        if not paths:
            # The cursor is opaque: walk it from the start instead.
            how = "walked from page 1 (cursor opaque: could not place it deep)"
            url = next_url
            deadline = time.monotonic() + budget.filtered_seconds
            while url and len(paths) < budget.filtered_requests and time.monotonic() < deadline:
                path = urllib.parse.urlsplit(url)
                path = f"{path.path}?{path.query}"
                paths.append(path)
                response = client.get(path)
                url = response.json().get("next") if response.status == 200 else None
        exact = same_date = 0
        for path, expected in zip(paths, checks, strict=False):
            response = client.get(path)
            rows = (response.json().get("results") or [{}]) if response.status == 200 else [{}]
            exact += rows[0].get("id") == expected.get("id")
            same_date += rows[0].get("date_start") == expected.get("date_start")
        latencies, statuses, _ = measure_paths(server.port, paths, budget.filtered_seconds)
        if not latencies:
            report.add(sec, "deep page via cursor", f"statuses {statuses}", "<= 50 ms", ERROR)
            return
        p95 = percentile(latencies, 0.95)
        check = (
            f"; position check: {exact}/{len(checks)} exact, {same_date}/{len(checks)} same date"
            if checks
            else ""
        )
        report.add(
            sec,
            "deep page via cursor",
            f"p95 {ms(p95)} ms (p50 {ms(percentile(latencies, 0.5))})",
            "<= 50 ms p95",
            verdict(p95 <= 0.050),
            f"n={len(latencies)}; {how}{check}",
        )
    finally:
        client.close()
