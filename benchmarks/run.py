"""The benchmark suite, in one command:

    .venv/bin/python -m benchmarks.run [--database-url URL] [--quick] [--json PATH]
                                       [--sections 1,2,3,4,5]

It reads the database only (a read-only session), talks only to 127.0.0.1, starts and
always stops its own gunicorn, bounds every loop in count and time, and prints one table.
See benchmarks/README.md for what each figure means and the targets.
"""

import argparse
import json
import os
import random
import signal
import sys
import time
import urllib.parse
from dataclasses import asdict
from pathlib import Path

from benchmarks.common import BASE_DIR, ERROR, FAIL, Budget, Report, dataset_sizes, log, print_table
from benchmarks.section1_list import section_list
from benchmarks.section2_filters import section_filtered
from benchmarks.section3_export import section_acled, section_export
from benchmarks.section4_names import section_search
from benchmarks.section5_queries import section_queries
from benchmarks.server import Gunicorn

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/conflictapi_bench"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SEED = 20261124


# --- main --------------------------------------------------------------------------------


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
    if not os.environ.get("REDIS_URL"):
        # Without a shared cache, every page counts its rows afresh and deep pages have
        # no landmarks: the figures are not the production ones the targets are for.
        print(
            "warning: REDIS_URL is not set: list counts and deep-page landmarks are not "
            "cached, so sections 1 and 2 do not measure the production set-up. Set "
            "REDIS_URL=redis://127.0.0.1:6379/1 (a database the suite may flush).",
            file=sys.stderr,
        )
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
    run_section("3", "acled/read", section_acled, report, args.database_url, budget, published)
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
