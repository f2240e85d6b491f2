"""The benchmark suite, in one command:

    .venv/bin/python -m benchmarks.run [--database-url URL] [--quick] [--json PATH]
                                       [--sections 1,2,3,4,5]

It reads the database only (a read-only session), talks only to 127.0.0.1, starts and
always stops its own gunicorn, bounds every loop in count and time, and prints one table.
See benchmarks/README.md for what each figure means and the targets.
"""

import argparse
import atexit
import base64
import contextlib
import datetime
import hashlib
import http.client
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/conflictapi_bench"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SEED = 20261124

PASS, FAIL, MISSING, ERROR, INFO, CAPPED = "PASS", "FAIL", "MISSING", "ERROR", "INFO", "CAPPED"


@dataclass
class Budget:
    """How much each section does; --quick is a smoke run of the same code paths."""

    list_requests: int = 300
    list_rounds: int = 5
    list_threads: int = 4
    filtered_requests: int = 30
    filtered_seconds: float = 90.0
    export_seconds: float = 600.0
    copy_passes: int = 2
    search_sources: int = 8
    search_seconds: float = 120.0
    list_seconds: float = 600.0
    verify_pages: int = 3

    @classmethod
    def quick(cls):
        return cls(
            list_requests=60,
            list_rounds=2,
            filtered_requests=8,
            filtered_seconds=25.0,
            export_seconds=60.0,
            copy_passes=1,
            search_sources=3,
            search_seconds=40.0,
            list_seconds=120.0,
            verify_pages=2,
        )


@dataclass
class Row:
    section: str
    measure: str
    value: str
    target: str = ""
    result: str = INFO
    note: str = ""


@dataclass
class Report:
    rows: list = field(default_factory=list)
    details: list = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def add(self, *args, **kwargs):
        row = Row(*args, **kwargs)
        self.rows.append(row)
        log(f"  {row.section} {row.measure}: {row.value} {row.result} {row.note}".rstrip())
        return row

    def detail(self, line=""):
        self.details.append(line)


def log(message):
    print(message, file=sys.stderr, flush=True)


def percentile(values, q):
    """Nearest-rank percentile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def ms(seconds):
    return f"{seconds * 1000:.1f}"


def verdict(ok):
    return PASS if ok else FAIL


# --- HTTP ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


class Client:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1, reconnecting when the server
    has closed it."""

    def __init__(self, port, timeout=120.0):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def _connect(self):
        self.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def open(self, path, accept="application/json"):
        """Send a GET and return the http.client response, headers read, body not."""
        for attempt in (1, 2):
            if self.conn is None:
                self._connect()
            try:
                self.conn.request("GET", path, headers={"Accept": accept})
                return self.conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path, accept="application/json"):
        started = time.perf_counter()
        response = self.open(path, accept)
        body = response.read()
        seconds = time.perf_counter() - started
        if response.will_close:
            self.close()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return Response(response.status, headers, body, seconds)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- gunicorn ---------------------------------------------------------------------------


def proc_status(pid):
    """VmRSS and VmHWM of a process, in bytes (None when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, amount = line.split(":", 1)
            values[key] = int(amount.split()[0]) * 1024
    return values


def child_pids(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]
    except OSError:
        pass
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
    return children


class Gunicorn:
    """gunicorn serving the app under benchmarks.settings on a free 127.0.0.1 port."""

    def __init__(self, database_url, workers=2, threads=4):
        self.database_url = database_url
        self.workers = workers
        self.threads = threads
        self.port = None
        self.proc = None
        self.log_file = None

    def start(self, timeout=60.0):
        self.port = free_port()
        self.log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in stop)
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DATABASE_URL": self.database_url,
            "PYTHONPATH": str(BASE_DIR),
        }
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "conflictapi.wsgi:application",
            "--worker-class",
            "gthread",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "900",
            "--graceful-timeout",
            "5",
            "--keep-alive",
            "60",
            "--log-level",
            "warning",
            "--no-control-socket",
        ]
        self.proc = subprocess.Popen(
            cmd,
            cwd=BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            with contextlib.suppress(OSError, http.client.HTTPException):
                client = Client(self.port, timeout=5)
                ok = client.get("/healthz").status == 200
                client.close()
                if ok and len(self.worker_pids()) >= self.workers:
                    return self
            time.sleep(0.25)
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"gunicorn did not come up on 127.0.0.1:{self.port}:\n{tail}")

    def worker_pids(self):
        return child_pids(self.proc.pid) if self.proc and self.proc.poll() is None else []

    def log_tail(self, lines=30):
        if self.log_file is None:
            return ""
        with contextlib.suppress(OSError):
            return "\n".join(Path(self.log_file.name).read_text().splitlines()[-lines:])
        return ""

    def stop(self):
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if self.log_file is not None:
            self.log_file.close()
            with contextlib.suppress(OSError):
                os.unlink(self.log_file.name)
            self.log_file = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- data drawn from the database (read only) -------------------------------------------


def fetch(sql, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def scalar(sql, params=()):
    rows = fetch(sql, params)
    return rows[0][0] if rows else None


def sample_rows(sql, n, rng, params=()):
    """Up to n rows of `sql` (which must select from a table aliased `s` with a uuid `id`),
    spread over the table by starting at random uuids: cheap and repeatable."""
    rows, seen = [], set()
    for _ in range(n * 3):
        if len(rows) >= n:
            break
        start = f"{rng.getrandbits(128):032x}"
        found = fetch(f"{sql} AND s.id >= %s ORDER BY s.id LIMIT 1", (*params, start))
        if found and found[0] not in seen:
            seen.add(found[0])
            rows.append(found[0])
    return rows


def dataset_sizes():
    tables = {
        "events": "events_event",
        "published events": "events_event WHERE status = 'published'",
        "participants": "events_eventparticipant",
        "actors": "actors_actor",
        "aliases": "actors_actorname",
        "places": "events_place",
    }
    return {name: scalar(f"SELECT count(*) FROM {table}") for name, table in tables.items()}


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


# --- section 1: events list, (a) API vs (b) naive vs (c) floor ---------------------------

LIST_PATHS = {
    "a": "/api/v1/events/",
    "b": "/bench/naive/events/",
    "b2": "/bench/naive-paged/events/",
    "c": "/bench/floor/events/",
}
CITED_PATHS = {
    "b": "/bench/naive/events-cited/",
    "b2": "/bench/naive-paged/events-cited/",
    "c": "/bench/floor/events-cited/",
}
LIST_NAMES = {
    "a": "(a) API",
    "b": "(b) naive DRF",
    "b2": "(b') naive serializers, API's paging",
    "c": "(c) floor SQL+orjson",
}


def first_difference(left, right, path="$"):
    """Where two parsed JSON documents first differ, or None."""
    if isinstance(left, dict) and isinstance(right, dict):
        if set(left) != set(right):
            return (
                f"{path}: keys differ: only left {sorted(set(left) - set(right))}, "
                f"only right {sorted(set(right) - set(left))}"
            )
        for key in left:
            diff = first_difference(left[key], right[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return f"{path}: {len(left)} items vs {len(right)}"
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            diff = first_difference(a, b, f"{path}[{i}]")
            if diff:
                return diff
        return None
    if left != right or type(left) is not type(right):
        return f"{path}: {left!r} vs {right!r}"
    return None


def canonical(doc):
    """Citations have no defined order: compare them sorted by id."""
    for row in doc.get("results", []) if isinstance(doc, dict) else []:
        if isinstance(row, dict) and isinstance(row.get("citations"), list):
            row["citations"].sort(key=lambda c: str(c.get("id")))
    return doc


def run_batch(port, paths, threads, deadline):
    """GET every path with `threads` keep-alive clients; (wall seconds, [(latency, status)])."""
    lock = threading.Lock()
    queue = list(reversed(paths))
    results = []

    def worker():
        client = Client(port)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if not queue:
                        return
                    path = queue.pop()
                try:
                    response = client.get(path)
                    item = (response.seconds, response.status)
                except (OSError, http.client.HTTPException):
                    client.close()
                    item = (None, 0)
                with lock:
                    results.append(item)
        finally:
            client.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(max(1.0, deadline - time.monotonic() + 30))
    return time.perf_counter() - started, results


def section_list(report, server, budget, rng):
    sec = "1"
    client = Client(server.port)
    probe = client.get(f"{LIST_PATHS['a']}?page_size=100")
    available = {"a": probe.status == 200}
    if not available["a"]:
        report.add(
            sec,
            "events list (a) API",
            f"HTTP {probe.status}",
            result=MISSING if probe.status == 404 else ERROR,
            note=probe.body[:200].decode("utf-8", "replace"),
        )
        count = scalar("SELECT count(*) FROM events_event WHERE status = 'published'")
        cited = False
    else:
        doc = probe.json()
        count = doc["count"]
        results = doc.get("results") or [{}]
        cited = "citations" in results[0]
    paths = dict(LIST_PATHS)
    if cited:
        paths.update(CITED_PATHS)
    for key in ("b", "b2", "c"):
        status = client.get(f"{paths[key]}?page_size=100").status
        available[key] = status == 200
        if not available[key]:
            report.add(sec, f"events list {LIST_NAMES[key]}", f"HTTP {status}", result=ERROR)
    shape = "with citations" if cited else "participants, no citations (as the API's list rows)"
    report.detail(f"Section 1: page_size=100; (b) and (c) rows are {shape}.")

    num_pages = max(1, math.ceil(count / 100))
    # Equal JSON: the API against the floor (and the naive baseline) on sample pages.
    samples = [1, num_pages, rng.randint(1, min(num_pages, 100))][: budget.verify_pages]
    for key in ("c", "b", "b2"):
        if not (available["a"] and available[key]):
            continue
        problems = []
        for page in sorted(set(samples)):
            a = client.get(f"{LIST_PATHS['a']}?page_size=100&page={page}")
            other = client.get(f"{paths[key]}?page_size=100&page={page}")
            if a.status != 200 or other.status != 200:
                problems.append(f"page {page}: HTTP {a.status} vs {other.status}")
                continue
            diff = first_difference(canonical(a.json()), canonical(other.json()))
            if diff:
                problems.append(f"page {page}: {diff[:300]}")
        pages = ", ".join(str(p) for p in sorted(set(samples)))
        report.add(
            sec,
            f"JSON (a) == {LIST_NAMES[key]}",
            "identical" if not problems else "MISMATCH",
            "identical",
            verdict(not problems),
            f"pages {pages}" + (f"; {problems[0]}" if problems else ""),
        )
        for problem in problems:
            report.detail(f"  (a) vs {LIST_NAMES[key]}: {problem}")
    client.close()

    keys = [k for k in ("a", "b", "b2", "c") if available[k]]
    if not keys:
        return
    # Every page-number page counts the list: how much of each request that is.
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        scalar("SELECT count(*) FROM events_event WHERE status = 'published'")
        timings.append(time.perf_counter() - t0)
    report.add(
        sec,
        "count(*) of published events (in-process)",
        f"median {ms(percentile(timings, 0.5))} ms",
        note="paid by every page of (b); (a), (b') and (c) cache it",
    )
    pages = [rng.randint(1, min(num_pages, 100)) for _ in range(budget.list_requests)]
    per_round = max(1, budget.list_requests // budget.list_rounds)
    stats = {k: {"wall": 0.0, "lat": [], "errors": 0, "n": 0} for k in keys}
    deadline = time.monotonic() + budget.list_seconds
    for key in keys:  # warm every worker thread's connection and caches
        run_batch(server.port, [f"{paths[key]}?page_size=100&page=1"] * 16, 4, deadline)
    for round_no in range(budget.list_rounds):
        chunk = pages[round_no * per_round : (round_no + 1) * per_round]
        order = keys[round_no % len(keys) :] + keys[: round_no % len(keys)]
        for key in order:
            batch = [f"{paths[key]}?page_size=100&page={p}" for p in chunk]
            wall, results = run_batch(server.port, batch, budget.list_threads, deadline)
            stats[key]["wall"] += wall
            stats[key]["n"] += len(results)
            stats[key]["lat"] += [lat for lat, status in results if status == 200]
            stats[key]["errors"] += sum(1 for _, status in results if status != 200)
        if time.monotonic() > deadline:
            report.detail("Section 1: time budget reached; fewer requests than planned.")
            break
    rps = {}
    for key in keys:
        s = stats[key]
        if not s["lat"]:
            report.add(sec, f"events list {LIST_NAMES[key]}", "no successful request", result=ERROR)
            continue
        rps[key] = s["n"] / s["wall"]
        report.add(
            sec,
            f"events list {LIST_NAMES[key]}",
            f"{rps[key]:.1f} req/s, p50 {ms(percentile(s['lat'], 0.5))} ms, "
            f"p95 {ms(percentile(s['lat'], 0.95))} ms",
            note=f"{s['n']} req, {budget.list_threads} threads"
            + (f", {s['errors']} errors" if s["errors"] else ""),
            result=INFO if not s["errors"] else ERROR,
        )
    report.data["list"] = {k: {"rps": rps.get(k), **stats[k]} for k in keys}
    if "a" in rps and "b" in rps:
        ratio = rps["a"] / rps["b"]
        report.add(sec, "(a)/(b) throughput", f"{ratio:.2f}x", ">= 5x", verdict(ratio >= 5))
    if "a" in rps and "b2" in rps:
        ratio = rps["a"] / rps["b2"]
        report.add(
            sec,
            "(a)/(b') throughput",
            f"{ratio:.2f}x",
            result=INFO,
            note="the serialization path alone: (b') pages and counts as the API does",
        )
    if "a" in rps and "c" in rps:
        ratio = rps["a"] / rps["c"]
        report.add(sec, "(a)/(c) throughput", f"{ratio:.2f}x", ">= 0.5x", verdict(ratio >= 0.5))


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


def query_string(params):
    return urllib.parse.urlencode(params)


WARM_REQUESTS = 16
WARM_SECONDS = 30.0


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


# --- section 3: streaming export ---------------------------------------------------------

EXPORT_COLUMNS_SQL = """
SELECT e.id, e.title, t.slug AS event_type, e.date, e.date_start, e.date_end,
       e.date_precision, p.slug AS place, p.name AS place_name, p.country,
       trim_scale(p.latitude) AS latitude, trim_scale(p.longitude) AS longitude,
       e.geo_precision,
       e.fatalities_low, e.fatalities_best, e.fatalities_high, x.actors, x.roles, e.status,
       to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at
FROM events_event e
LEFT JOIN events_eventtype t ON t.id = e.event_type_id AND t.status = 'published'
LEFT JOIN events_place p ON p.id = e.place_id AND p.status = 'published'
LEFT JOIN LATERAL (
    SELECT string_agg(a.slug, '|' ORDER BY ep.role, a.name) AS actors,
           string_agg(ep.role, '|' ORDER BY ep.role, a.name) AS roles
    FROM events_eventparticipant ep JOIN actors_actor a ON a.id = ep.actor_id
    WHERE ep.event_id = e.id AND a.status = 'published'
) x ON true
WHERE e.status = 'published' {where}
ORDER BY e.date_start DESC, e.id DESC
"""


class CsvRows:
    """Counts CSV records in a byte stream, newlines inside quoted fields excepted."""

    def __init__(self):
        self.quoted = False
        self.newlines = 0
        self.last = b""
        self.head = b""
        self.digest = hashlib.sha256()

    def feed(self, chunk):
        self.digest.update(chunk)
        if len(self.head) < 4096:
            self.head += chunk[:4096]
        for i, part in enumerate(chunk.split(b'"')):
            if i:
                self.quoted = not self.quoted
            if not self.quoted:
                self.newlines += part.count(b"\n")
        if chunk:
            self.last = chunk[-1:]

    @property
    def records(self):
        return self.newlines + (1 if self.last not in (b"", b"\n") else 0)

    @property
    def header(self):
        return self.head.split(b"\n", 1)[0].decode("utf-8", "replace").strip()


class NdjsonRows:
    def __init__(self):
        self.newlines = 0
        self.tail = b""

    def feed(self, chunk):
        self.newlines += chunk.count(b"\n")
        self.tail = (self.tail + chunk)[-4096:]

    @property
    def trailer(self):
        lines = self.tail.rstrip(b"\n").rsplit(b"\n", 1)
        try:
            return json.loads(lines[-1])
        except ValueError:
            return None


def copy_throughput(where_sql):
    """rows, seconds, header and SHA-256 of COPY (the export's columns) TO STDOUT, read to
    the end."""
    from django.db import connection

    sql = EXPORT_COLUMNS_SQL.format(where=where_sql)
    counter = CsvRows()
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
    ):
        for chunk in copy:
            counter.feed(bytes(chunk))
    seconds = time.perf_counter() - started
    return counter.records - 1, seconds, counter.header, counter.digest.hexdigest()


class RssWatch:
    """Polls VmRSS of the gunicorn workers while a request runs."""

    def __init__(self, pids, interval=0.02):
        self.pids = pids
        self.interval = interval
        self.peak = dict.fromkeys(pids, 0)
        self.idle = {pid: (proc_status(pid) or {}).get("VmRSS", 0) for pid in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for pid in self.pids:
                rss = (proc_status(pid) or {}).get("VmRSS", 0)
                self.peak[pid] = max(self.peak[pid], rss)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        for pid in self.pids:
            hwm = (proc_status(pid) or {}).get("VmHWM", 0)
            self.peak[pid] = max(self.peak[pid], hwm)

    def serving(self):
        """The worker that grew most (the one that served), its idle and peak RSS."""
        pid = max(self.pids, key=lambda p: self.peak[p] - self.idle[p])
        return pid, self.idle[pid], self.peak[pid]


def run_export(port, path, fmt, cap_seconds):
    counter = CsvRows() if fmt == "csv" else NdjsonRows()
    client = Client(port, timeout=min(300.0, cap_seconds + 30))
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    nbytes, capped, first_byte = 0, False, None
    started = time.perf_counter()
    try:
        response = client.open(path, accept="*/*")
        headers = {k.lower(): v for k, v in response.getheaders()}
        if response.status != 200:
            body = response.read()
            return {"status": response.status, "body": body[:300].decode("utf-8", "replace")}
        deadline = time.monotonic() + cap_seconds
        while True:
            n = response.readinto(buf)
            if not n:
                break
            if first_byte is None:
                first_byte = time.perf_counter() - started
            nbytes += n
            counter.feed(bytes(view[:n]))
            if time.monotonic() > deadline:
                capped = True
                break
    finally:
        client.close()
    seconds = time.perf_counter() - started
    out = {
        "status": 200,
        "seconds": seconds,
        "first_byte": first_byte,
        "bytes": nbytes,
        "capped": capped,
        "x_row_count": headers.get("x-row-count"),
    }
    if fmt == "csv":
        out.update(
            rows=max(0, counter.records - 1),
            header=counter.header,
            digest=counter.digest.hexdigest(),
        )
    else:
        trailer = counter.trailer
        is_trailer = isinstance(trailer, dict) and "complete" in trailer
        out.update(rows=counter.newlines - (1 if is_trailer else 0), trailer=trailer)
    return out


def export_filter(published):
    """A date range holding roughly the middle tenth of the events (by date_start)."""
    base = "FROM events_event WHERE status = 'published' AND date_start IS NOT NULL"
    with_date = scalar(f"SELECT count(*) {base}") or 0
    if not with_date:
        return None
    low = scalar(
        f"SELECT date_start {base} ORDER BY date_start OFFSET %s LIMIT 1", (with_date // 20 * 9,)
    )
    high = scalar(
        f"SELECT date_start {base} ORDER BY date_start OFFSET %s LIMIT 1", (with_date // 20 * 11,)
    )
    return low.isoformat(), high.isoformat()


def section_export(report, database_url, budget, published):
    sec = "3"
    with Gunicorn(database_url) as server:
        # Headers only: a missing route answers 404; anything else means it is there.
        client = Client(server.port)
        status = client.open("/api/v1/events/export/?format=ndjson", accept="*/*").status
        client.close()
    if status == 404:
        report.add(sec, "export csv/ndjson", "endpoint not found (404)", result=MISSING)
        return
    span = export_filter(published)
    variants = [(fmt, None) for fmt in ("csv", "ndjson")]
    if span:
        variants += [(fmt, span) for fmt in ("csv", "ndjson")]

    def where(span):
        if not span:
            return ""
        return (
            f"AND (e.date_start <= '{span[1]}' OR e.date_start IS NULL) "
            f"AND (e.date_end >= '{span[0]}' OR e.date_end IS NULL)"
        )

    copies = {}
    for span_key in {v[1] for v in variants}:
        best = None
        for _ in range(budget.copy_passes):
            measured = copy_throughput(where(span_key))
            if best is None or measured[1] < best[1]:
                best = measured
        copies[span_key] = best
        label = "all" if not span_key else f"{span_key[0]}..{span_key[1]}"
        report.add(
            sec,
            f"COPY TO STDOUT ({label})",
            f"{best[0] / best[1]:,.0f} rows/s",
            note=f"{best[0]:,} rows in {best[1]:.1f} s (best of {budget.copy_passes})",
        )

    for fmt, span in variants:
        label = f"export {fmt} " + ("(all)" if not span else f"(date {span[0]}..{span[1]})")
        query = {"format": fmt}
        if span:
            query.update(date_from=span[0], date_to=span[1])
        path = f"/api/v1/events/export/?{query_string(query)}"
        # A fresh server for each export, so the workers' peak RSS is this export's.
        with Gunicorn(database_url) as server:
            with RssWatch(server.worker_pids()) as watch:
                result = run_export(server.port, path, fmt, budget.export_seconds)
            pid, idle, peak = watch.serving()
        if result["status"] != 200:
            report.add(sec, label, f"HTTP {result['status']}", result=ERROR, note=result["body"])
            continue
        copy_rows, copy_seconds, copy_header, copy_digest = copies[span]
        rows, seconds = result["rows"], result["seconds"]
        rate, copy_rate = rows / seconds, copy_rows / copy_seconds
        declared = result["x_row_count"]
        checks = []
        complete = rows == copy_rows
        if declared is None:
            checks.append("no X-Row-Count")
        elif str(rows) != declared:
            checks.append(f"X-Row-Count {declared} but {rows} rows read")
            complete = False
        if fmt == "ndjson":
            trailer = result["trailer"]
            if not (isinstance(trailer, dict) and trailer.get("complete") is True):
                checks.append("no trailer")
                complete = False
            elif trailer.get("rows") != rows:
                checks.append(f"trailer says {trailer.get('rows')} rows, {rows} read")
                complete = False
        elif result["header"] != copy_header:
            checks.append("header differs from COPY's")
            report.detail(f"Section 3: {label} header differs from COPY's columns:")
            report.detail(f"    export: {result['header']}")
            report.detail(f"    COPY:   {copy_header}")
        elif not result["capped"]:
            same = result["digest"] == copy_digest
            checks.append("bytes identical to COPY's" if same else "bytes differ from COPY's")
        state = "complete" if complete else f"CUT ({rows:,} of {copy_rows:,})"
        if result["capped"]:
            state = f"stopped at the suite's {budget.export_seconds:.0f} s cap"
        ratio = rate / copy_rate if copy_rate else 0.0
        ok_speed = ratio >= 0.5
        ok_rss = peak <= 100 * 2**20
        outcome = CAPPED if result["capped"] else verdict(complete and ok_speed and ok_rss)
        report.add(
            sec,
            label,
            f"{rate:,.0f} rows/s = {ratio:.2f}x COPY; peak RSS {peak / 2**20:.0f} MB",
            ">= 0.5x COPY; <= 100 MB",
            outcome,
            f"{state}; {rows:,} rows, {result['bytes'] / 2**20:.0f} MB in {seconds:.1f} s "
            f"(first byte {ms(result['first_byte'] or 0)} ms); worker {pid} idle "
            f"{idle / 2**20:.0f} MB" + (f"; {'; '.join(checks)}" if checks else ""),
        )


# --- section 4: name search --------------------------------------------------------------


def _keep_case(template, word):
    return word.capitalize() if template[:1].isupper() else word.lower()


def _sub(pattern, replacement, text, flags=re.IGNORECASE):
    return re.sub(pattern, lambda m: _keep_case(m.group(0), replacement), text, flags=flags)


QAEDA = r"qa(?:e|i|'i|’i|ʿi|`i)da"
SUN_LETTERS = {"t": "at", "th": "ath", "d": "ad", "dh": "adh", "r": "ar", "z": "az", "s": "as"}
SUN_LETTERS |= {"sh": "ash", "n": "an"}
ARABIC_ARTICLE_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})


def strip_accents(text):
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def add_accents(text):
    words = text.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    words[i] = words[i].translate(str.maketrans({"a": "ā", "i": "ī", "u": "ū"}))
    return " ".join(words)


def sun_letter(text):
    def repl(m):
        rest = m.group(2)
        for letters in ("sh", "th", "dh", "t", "d", "r", "z", "s", "n"):
            if rest.lower().startswith(letters):
                return _keep_case(m.group(1), SUN_LETTERS[letters]) + "-" + rest
        return m.group(0)

    return re.sub(r"\b(al)-(\w+)", repl, text, count=1, flags=re.IGNORECASE)


CONTROL = "as stored (control)"
# family: (PostgreSQL regex the stored name matches, [(variant kind, function)])
SEARCH_FAMILIES = {
    "Nusra/Nosra": (
        "(?i)n[uo]srah?",
        [
            ("u->o", lambda s: _sub("nusra", "nosra", s) if re.search("(?i)nusra", s) else None),
            ("o->u", lambda s: _sub("nosra", "nusra", s) if re.search("(?i)nosra", s) else None),
            (
                "-ah",
                lambda s: _sub(r"nusrah?\b", "nusrah", s) if "nusrah" not in s.lower() else None,
            ),
        ],
    ),
    "Qaeda/Qaida/Qa'ida": (
        "(?i)qa(e|i|'i|’i|ʿi)da",
        [
            ("Qaida", lambda s: _sub(QAEDA, "qaida", s)),
            ("Qa'ida", lambda s: _sub(QAEDA, "qa'ida", s)),
            ("Qaeda", lambda s: _sub(QAEDA, "qaeda", s)),
        ],
    ),
    "النصرة/نصرة": (
        "نصرة",
        [
            (
                "drop ال",
                lambda s: re.sub(r"(^|\s)النصرة", r"\1نصرة", s) if "النصرة" in s else None,
            ),
            (
                "add ال",
                lambda s: re.sub(r"(^|\s)نصرة", r"\1النصرة", s) if "النصرة" not in s else None,
            ),
        ],
    ),
    "Arabic script": (
        "[\u0621-\u064a]",
        [
            ("diacritics", lambda s: re.sub("([\u0628-\u064a])", "\\1\u064e", s, count=2)),
            ("hamza folded", lambda s: s.translate(ARABIC_ARTICLE_FOLD)),
        ],
    ),
    "accents": (
        "[\u00c0-\u024f\u1e00-\u1eff]",
        [("stripped", strip_accents)],
    ),
    "accents (added)": (
        "(?i)(sham|islam|tahrir|ahrar|jabhat|nusra|qaeda)",
        [("macrons", add_accents)],
    ),
    "hyphens": (
        "-",
        [
            ("hyphen->space", lambda s: s.replace("-", " ")),
            ("space->hyphen", lambda s: s.replace("-", " ").replace(" ", "-", 1)),
        ],
    ),
    "al- prefix": (
        r"(?i)(^|\s)al[- ]\w",
        [
            ("dropped", lambda s: re.sub(r"(?i)(^|\s)al[- ](\w)", r"\1\2", s)),
            ("el-", lambda s: re.sub(r"(?i)(^|\s)al([- ])", r"\1el\2", s)),
            ("sun letter", sun_letter),
        ],
    ),
    CONTROL: ("^.", [("exact", lambda s: s)]),
}


PUBLISHED_NAMES = (
    "SELECT a.id, a.id AS actor_id, a.name FROM actors_actor a WHERE a.status = 'published'"
    " UNION ALL"
    " SELECT n.id, n.actor_id, n.name FROM actors_actorname n"
    " JOIN actors_actor a ON a.id = n.actor_id AND a.status = 'published'"
)
MAX_OWNERS = 1000


def search_sources(pattern, n, rng):
    """Stored spellings (an actor's name or an alias) that match `pattern`, spread over
    the table, each with the ids of every published actor bearing it (synthetic data
    gives many actors the same name, so any of them on page 1 is a hit)."""
    if not fetch(f"SELECT 1 FROM ({PUBLISHED_NAMES}) s WHERE s.name ~ %s LIMIT 1", (pattern,)):
        return []
    found, seen = [], set()
    sql = f"SELECT s.name FROM ({PUBLISHED_NAMES}) s WHERE s.name ~ %s"
    for (name,) in sample_rows(sql, n * 2, rng, (pattern,)):
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        owners = {
            str(r[0])
            for r in fetch(
                f"SELECT DISTINCT s.actor_id FROM ({PUBLISHED_NAMES}) s "
                "WHERE lower(s.name) = lower(%s) LIMIT %s",
                (name, MAX_OWNERS + 1),
            )
        }
        if 0 < len(owners) <= MAX_OWNERS:
            found.append((owners, name))
        if len(found) >= n:
            break
    return found


SEARCH_WARM_WORDS = (
    *("army", "front", "brigade", "forces", "movement", "council", "police", "union"),
    *("guard", "party", "militia", "battalion", "corps", "division", "group", "alliance"),
)


def section_search(report, server, budget, rng):
    sec = "4"
    client = Client(server.port)
    try:
        probe = client.get("/api/v1/actors/?q=a&page_size=1")
        if probe.status != 200:
            report.add(sec, "actor name search", f"HTTP {probe.status}", result=MISSING)
            return
        # Warm-up, as in section 2: single words, none of them a measured query.
        warm_paths = [f"/api/v1/actors/?q={word}" for word in SEARCH_WARM_WORDS]
        run_batch(server.port, warm_paths, budget.list_threads, time.monotonic() + WARM_SECONDS)
        latencies, hits, total, misses = [], 0, 0, []
        per_family = {}
        deadline = time.monotonic() + budget.search_seconds
        for family, (pattern, variants) in SEARCH_FAMILIES.items():
            sources = search_sources(pattern, budget.search_sources, rng)
            fam_hits = fam_total = 0
            for owners, name in sources:
                for kind, make in variants:
                    if time.monotonic() > deadline:
                        break
                    query = make(name)
                    if not query or (query == name and kind != "exact"):
                        continue
                    response = client.get(f"/api/v1/actors/?{query_string({'q': query})}")
                    if response.status != 200:
                        misses.append(f"{family}/{kind}: {query!r} -> HTTP {response.status}")
                        fam_total += 1
                        continue
                    latencies.append(response.seconds)
                    doc = response.json()
                    ids = {str(r.get("id")) for r in doc.get("results", [])}
                    fam_total += 1
                    if owners & ids:
                        fam_hits += 1
                    else:
                        where = (
                            "not matched"
                            if doc.get("count", 0) <= len(ids)
                            else f"not on page 1 of {doc.get('count')}"
                        )
                        misses.append(
                            f"{family}/{kind}: {query!r} (stored {name!r}, "
                            f"{len(owners)} actors): {where}"
                        )
            per_family[family] = (fam_hits, fam_total, len(sources))
            if family != CONTROL:
                hits += fam_hits
                total += fam_total
        report.data["search"] = {"per_family": per_family, "misses": misses}
        if not total:
            report.add(
                sec, "actor name search", "no variant could be drawn from the data", result=ERROR
            )
            return
        p95 = percentile(latencies, 0.95) if latencies else float("inf")
        report.add(
            sec,
            "actor name search latency",
            f"p95 {ms(p95)} ms (p50 {ms(percentile(latencies, 0.5)) if latencies else '-'})",
            "<= 20 ms p95",
            verdict(p95 <= 0.020),
            f"n={len(latencies)} queries of /api/v1/actors/?q=",
        )
        report.add(
            sec,
            "actor name search recall",
            f"{hits}/{total} = {100 * hits / total:.0f}%",
            "100%",
            verdict(hits == total),
            "hit = an actor bearing the stored spelling on page 1 (default page size); "
            + ", ".join(
                f"{fam} {h}/{t}" if t else f"{fam} (no data)"
                for fam, (h, t, _) in per_family.items()
                if fam != CONTROL
            ),
        )
        c_hits, c_total, _ = per_family.get(CONTROL, (0, 0, 0))
        if c_total:
            report.add(
                sec,
                "actor name search, spelling as stored",
                f"{c_hits}/{c_total} = {100 * c_hits / c_total:.0f}%",
                result=INFO,
                note="control, not in the recall: a miss here is ranking, not spelling",
            )
        for miss in misses[:40]:
            report.detail(f"Section 4 miss: {miss}")
    finally:
        client.close()


# --- section 5: query counts -------------------------------------------------------------

LIST_ENDPOINTS = (
    "/api/v1/outlets/",
    "/api/v1/documents/",
    "/api/v1/actors/",
    "/api/v1/affiliations/",
    "/api/v1/events/",
    "/api/v1/event-types/",
    "/api/v1/places/",
)


def section_queries(report):
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext, override_settings

    sec = "5"
    with override_settings(ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"]):
        client = TestClient(raise_request_exception=False, HTTP_HOST="127.0.0.1")
        for endpoint in LIST_ENDPOINTS:
            counts, statuses, sizes = [], set(), []
            client.get(endpoint, {"page_size": 1})  # warm caches (content types, etc.)
            for size in (1, 100, 1000):
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(endpoint, {"page_size": size})
                statuses.add(response.status_code)
                counts.append(len(ctx.captured_queries))
                if response.status_code == 200:
                    sizes.append(len(json.loads(response.content).get("results", [])))
            if statuses != {200}:
                report.add(sec, f"queries {endpoint}", f"HTTP {sorted(statuses)}", result=ERROR)
                continue
            ok = len(set(counts)) == 1 and max(counts) <= 6
            report.add(
                sec,
                f"queries {endpoint}",
                "/".join(str(c) for c in counts),
                "constant, <= 6",
                verdict(ok),
                "page_size 1/100/1000 (rows " + "/".join(str(s) for s in sizes) + ")",
            )


# --- main --------------------------------------------------------------------------------


def print_table(report, out=sys.stdout):
    headers = ("#", "measure", "value", "target", "result", "note")
    rows = [(r.section, r.measure, r.value, r.target, r.result, r.note) for r in report.rows]
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in rows)) if rows else len(headers[i])
        for i in range(5)
    ]
    widths = [w if i != 2 else min(w, 60) for i, w in enumerate(widths)]
    line = "  ".join(h.ljust(widths[i]) for i, h in enumerate(headers[:5])) + "  note"
    print(line, file=out)
    print("-" * min(160, len(line) + 40), file=out)
    for row in rows:
        cells = "  ".join(str(row[i]).ljust(widths[i]) for i in range(5))
        print(f"{cells}  {row[5]}", file=out)
    if report.details:
        print("", file=out)
        for line in report.details:
            print(line, file=out)


def check_local(database_url):
    parts = urllib.parse.urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"--database-url must be a PostgreSQL URL, not {parts.scheme}://")
    host = parts.hostname or ""
    if host and host not in LOCAL_HOSTS and not host.startswith("/"):
        raise SystemExit(f"The suite talks only to this machine; {host} is not 127.0.0.1.")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help=f"PostgreSQL on this machine (default: $DATABASE_URL or {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--quick", action="store_true", help="fewer requests: a smoke run")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--sections", default="1,2,3,4,5", help="which sections to run (default 1,2,3,4,5)"
    )
    args = parser.parse_args(argv)
    check_local(args.database_url)
    sections = {s.strip() for s in args.sections.split(",") if s.strip()}
    budget = Budget.quick() if args.quick else Budget()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    sys.path.insert(0, str(BASE_DIR))
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()

    # SIGTERM ends the run through the finally blocks and atexit, stopping gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    report = Report()
    started = time.monotonic()
    sizes = dataset_sizes()
    report.data["sizes"] = sizes
    db_name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    log(f"Database {db_name}: {sizes}")
    report.add(
        "0",
        "data set",
        f"{sizes['published events']:,} published events",
        note=", ".join(f"{k} {v:,}" for k, v in sizes.items() if k != "published events"),
    )
    published = sizes["published events"]

    def run_section(number, title, func, *func_args):
        if number not in sections:
            return
        log(f"Section {number}: {title}")
        t0 = time.monotonic()
        try:
            func(*func_args)
        except Exception as exc:
            report.add(number, title, f"crashed: {type(exc).__name__}: {exc}"[:200], result=ERROR)
            import traceback

            tb = "".join(traceback.format_exception(exc, limit=-6, chain=False))
            report.detail(f"Section {number} traceback (last frames):\n{tb.rstrip()}")
        log(f"Section {number} done in {time.monotonic() - t0:.0f} s")

    server = None
    try:
        if sections & {"1", "2", "4"}:
            server = Gunicorn(args.database_url).start()
            log(f"gunicorn on 127.0.0.1:{server.port}, workers {server.worker_pids()}")
        run_section(
            "1", "events list", section_list, report, server, budget, random.Random(SEED + 1)
        )
        run_section(
            "2",
            "filtered lists",
            section_filtered,
            report,
            server,
            budget,
            random.Random(SEED + 2),
            published,
        )
        run_section(
            "4", "name search", section_search, report, server, budget, random.Random(SEED + 4)
        )
    finally:
        if server is not None:
            server.stop()
    run_section(
        "3", "streaming export", section_export, report, args.database_url, budget, published
    )
    run_section("5", "query counts", section_queries, report)

    order = {s: i for i, s in enumerate("012345")}
    report.rows.sort(key=lambda r: order.get(r.section, 9))
    elapsed = time.monotonic() - started
    print(
        f"\nBenchmarks on database {db_name}, "
        f"{'quick' if args.quick else 'full'} run, {elapsed:.0f} s\n"
    )
    print_table(report)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "database": db_name,
                    "quick": args.quick,
                    "seconds": elapsed,
                    "rows": [asdict(r) for r in report.rows],
                    "details": report.details,
                    "data": report.data,
                },
                indent=2,
                default=str,
            )
        )
    failed = [r for r in report.rows if r.result in (FAIL, ERROR)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
