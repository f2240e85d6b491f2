"""Shared plumbing of the benchmark suite: the budget, the report (its rows, the printed
table), percentiles and verdicts, and the read-only queries that draw data from the
database."""

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


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
