"""Section 3: the streaming export (CSV, NDJSON and GeoJSON) against PostgreSQL's COPY:
throughput, completeness and the serving worker's peak RSS."""

import hashlib
import json
import threading
import time

from benchmarks.common import CAPPED, ERROR, MISSING, ms, scalar, verdict
from benchmarks.server import Client, Gunicorn, proc_status, query_string

# --- section 3: streaming export ---------------------------------------------------------

EXPORT_COLUMNS_SQL = """
SELECT e.id, e.title, t.slug AS event_type, e.date, e.date_start, e.date_end,
       e.date_precision, p.slug AS place, p.name AS place_name, p.country,
       trim_scale(p.latitude) AS latitude, trim_scale(p.longitude) AS longitude,
       e.geo_precision,
       e.fatalities_low, e.fatalities_best, e.fatalities_high, x.actors, x.actor_names,
       x.roles, e.status,
       to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at,
       i.value AS acled_id
FROM events_event e
LEFT JOIN events_eventidentifier i ON i.event_id = e.id AND i.scheme = 'acled'
LEFT JOIN events_eventtype t ON t.id = e.event_type_id AND t.status = 'published'
LEFT JOIN events_place p ON p.id = e.place_id AND p.status = 'published'
LEFT JOIN LATERAL (
    SELECT string_agg(a.slug, '|' ORDER BY ep.role, a.name, a.id) AS actors,
           string_agg(a.name, '|' ORDER BY ep.role, a.name, a.id) AS actor_names,
           string_agg(ep.role, '|' ORDER BY ep.role, a.name, a.id) AS roles
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


class JsonLines:
    """Counts the lines of NDJSON, or of GeoJSON (a Feature a line, between the
    FeatureCollection's first and last lines)."""

    def __init__(self):
        self.newlines = 0

    def feed(self, chunk):
        self.newlines += chunk.count(b"\n")


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
    counter = CsvRows() if fmt == "csv" else JsonLines()
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
        out.update(rows=max(0, counter.newlines - (2 if fmt == "geojson" else 0)))
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
        report.add(sec, "export", "endpoint not found (404)", result=MISSING)
        return
    span = export_filter(published)
    formats = ("csv", "ndjson", "geojson")
    variants = [(fmt, None) for fmt in formats]
    if span:
        variants += [(fmt, span) for fmt in formats]

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
        # COPY's floor is CSV: the CSV export's bytes compare with it.
        if fmt == "csv" and result["header"] != copy_header:
            checks.append("header differs from COPY's")
            report.detail(f"Section 3: {label} header differs from COPY's columns:")
            report.detail(f"    export: {result['header']}")
            report.detail(f"    COPY:   {copy_header}")
        elif fmt == "csv" and not result["capped"]:
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


def _read_json(client, path):
    started = time.perf_counter()
    response = client.open(path)
    body = response.read()
    seconds = time.perf_counter() - started
    if response.status != 200:
        return response.status, body[:300].decode("utf-8", "replace"), seconds
    return 200, json.loads(body), seconds


def section_acled(report, database_url, budget, published, rounds=5):
    """acled/read with a country and a date range at limit=5000 (ACLED's default page),
    against the export's rows/s over the same date range (section 3's rows)."""
    sec = "3"
    span = export_filter(published)
    if not span:
        report.add(sec, "acled/read (country, dates)", "no dated events", result=MISSING)
        return
    dates = {"event_date": f"{span[0]}|{span[1]}", "event_date_where": "BETWEEN"}
    with Gunicorn(database_url) as server:
        client = Client(server.port, timeout=300.0)
        try:
            # The country of the range's newest event, as ACLED names it.
            status, first, _ = _read_json(
                client, f"/api/acled/acled/read?{query_string({**dates, 'limit': 1})}"
            )
            if status == 404:
                report.add(sec, "acled/read", "endpoint not found (404)", result=MISSING)
                return
            if status != 200 or not first["data"]:
                report.add(sec, "acled/read", f"HTTP {status}", result=ERROR, note=str(first))
                return
            country = first["data"][0]["country"]
            query = {"country": country, **dates, "limit": 5000}
            path = f"/api/acled/acled/read?{query_string(query)}"
            rows = seconds = 0
            for _ in range(rounds):
                status, body, took = _read_json(client, path)
                if status != 200:
                    report.add(sec, "acled/read", f"HTTP {status}", result=ERROR, note=str(body))
                    return
                rows += body["count"]
                seconds += took
            # The export's CSV streaming of the same range, measured in this run; else
            # its all-rows rate.
            export_rate = export_rates_of(report).get("csv")
        finally:
            client.close()
    rate = rows / seconds if seconds else 0.0
    ratio = rate / export_rate if export_rate else 0.0
    report.add(
        sec,
        f"acled/read country={country} date {span[0]}..{span[1]} limit=5000",
        f"{rate:,.0f} rows/s = {ratio:.2f}x export" if export_rate else f"{rate:,.0f} rows/s",
        ">= 0.5x the export's rows/s",
        verdict(ratio >= 0.5) if export_rate else MISSING,
        f"{rows:,} rows in {seconds:.1f} s over {rounds} requests"
        + ("" if export_rate else "; no export rate in this run (section 3 measures it)"),
    )


def export_rates_of(report):
    """{format: rows/s} of the dated exports section 3 reported in this run."""
    rates = {}
    for row in report.rows:
        if row.section == "3" and row.measure.startswith("export ") and "(date " in row.measure:
            fmt = row.measure.split()[1]
            try:
                rates[fmt] = float(row.value.split(" rows/s")[0].replace(",", ""))
            except ValueError:
                continue
    return rates
