"""Times import_acled on a synthetic ACLED export: a first import, an unchanged
re-import, and a newer export in which 1% of the rows changed; reports each run's wall
time, rows a second and peak RSS (of the import process alone).

    python -m benchmarks.imports --rows 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/import_bench

The database must be one you may write to (the script migrates it, and refuses one
that already holds ACLED imports unless --reuse). It talks only to 127.0.0.1.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse

from benchmarks.common import BASE_DIR
from interop.acled_columns import FIELDS

COUNTRIES = [
    ("Syria", "SYR", "760", 35.0, 38.0),
    ("Iraq", "IRQ", "368", 33.0, 44.0),
    ("Yemen", "YEM", "887", 15.0, 47.0),
    ("Lebanon", "LBN", "422", 33.8, 35.8),
]
TYPES = [
    ("Political violence", "Battles", "Armed clash"),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
    ("Political violence", "Violence against civilians", "Attack"),
    ("Demonstrations", "Protests", "Peaceful protest"),
    ("Strategic developments", "Strategic developments", "Looting/property destruction"),
]
WORDS = [
    "north",
    "south",
    "old",
    "new",
    "upper",
    "lower",
    "al",
    "tal",
    "kafr",
    "deir",
    "ain",
    "jabal",
    "wadi",
]


def synthetic_rows(n, seed=1, changed=0.0):
    """N ACLED rows; `changed` is the share of rows whose fatalities and notes differ
    (a newer export of the same events)."""
    rng = random.Random(seed)
    change = random.Random(seed + 1)
    places = []
    for country, iso3, iso, lat, lon in COUNTRIES:
        for a1 in range(14):
            for a2 in range(8):
                for a3 in range(4):
                    for loc in range(6):
                        places.append(
                            (
                                country,
                                iso3,
                                iso,
                                f"Admin {country[:3]} {a1}",
                                f"District {a1}-{a2}",
                                f"Subdistrict {a1}-{a2}-{a3}",
                                f"{rng.choice(WORDS).title()} {a1}{a2}{a3}{loc}",
                                f"{lat + rng.uniform(-2, 2):.4f}",
                                f"{lon + rng.uniform(-2, 2):.4f}",
                            )
                        )
    actors = [(f"Armed Group {i}", 2) for i in range(1500)]
    actors += [(f"Military Forces of Country {i}", 1) for i in range(40)]
    actors += [(f"Communal Militia {i}", 4) for i in range(400)]
    for i in range(n):
        place = places[rng.randrange(len(places))]
        disorder, event_type, sub = TYPES[rng.randrange(len(TYPES))]
        a1, i1 = actors[min(int(rng.paretovariate(1.2)) - 1, len(actors) - 1)]
        a2, i2 = actors[rng.randrange(len(actors))] if rng.random() < 0.7 else ("", 0)
        if a2 == a1:
            a2, i2 = "", 0
        assoc = actors[rng.randrange(len(actors))][0] if rng.random() < 0.2 else ""
        if assoc in (a1, a2):
            assoc = ""
        year = 2015 + rng.randrange(10)
        day = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        fatalities = int(rng.expovariate(0.3)) if disorder == "Political violence" else 0
        notes = (
            f"On {day}, {a1} clashed with {a2 or 'unknown forces'} near {place[6]}. "
            + "Sources report heavy fighting; " * rng.randrange(1, 6)
        )
        if changed and change.random() < changed:
            fatalities += 1
            notes += " Updated."
        low, high = sorted((i1, i2)) if i2 else (i1, 0)
        yield {
            "event_id_cnty": f"{place[1]}{i + 1}",
            "event_date": day,
            "year": str(year),
            "time_precision": str(rng.choice((1, 1, 1, 2, 3))),
            "disorder_type": disorder,
            "event_type": event_type,
            "sub_event_type": sub,
            "actor1": a1,
            "assoc_actor_1": assoc,
            "inter1": str(i1),
            "actor2": a2,
            "assoc_actor_2": "",
            "inter2": str(i2) if a2 else "",
            "interaction": str(low * 10 + high),
            "civilian_targeting": "",
            "iso": place[2],
            "region": "Middle East",
            "country": place[0],
            "admin1": place[3],
            "admin2": place[4],
            "admin3": place[5],
            "location": place[6],
            "latitude": place[7],
            "longitude": place[8],
            "geo_precision": str(rng.choice((1, 1, 2, 3))),
            "source": "Outlet A; Outlet B" if rng.random() < 0.3 else "Outlet A",
            "source_scale": "National",
            "notes": notes,
            "fatalities": str(fatalities),
            "tags": "",
            "timestamp": "1700000000",
        }


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def timed(args, env):
    """(seconds, peak RSS in MiB, stdout, CPU seconds) of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=BASE_DIR, stdout=subprocess.PIPE, text=True)
    out = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"failed ({process.returncode}): {' '.join(args)}\n{out}")
    return elapsed, usage.ru_maxrss / 1024, out, usage.ru_utime + usage.ru_stime


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/import_bench"),
    )
    parser.add_argument("--reuse", action="store_true", help="Allow a database with imports.")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--keep", help="Write the CSV files into this folder and keep them.")
    options = parser.parse_args(argv)
    host = urllib.parse.urlparse(options.database_url).hostname
    if host not in ("127.0.0.1", "localhost"):
        sys.exit("--database-url: only a database on 127.0.0.1.")
    if options.database_url.rstrip("/").endswith("/conflictapi_bench"):
        sys.exit("--database-url: not the read benchmarks' database.")
    env = {**os.environ, "DATABASE_URL": options.database_url, "DEBUG": "1"}
    python = sys.executable
    timed([python, "manage.py", "migrate", "-v", "0"], env)[0]
    if not options.reuse:
        check = (
            "from events.models import EventIdentifier as E;"
            "print(E.objects.filter(scheme='acled').exclude(value__startswith='CDA-').count())"
        )
        out = timed([python, "manage.py", "shell", "-c", check], env)[2]
        if int(out.strip().splitlines()[-1] or 0):
            sys.exit("The database holds ACLED imports already: give another, or --reuse.")
    folder = options.keep or tempfile.mkdtemp(prefix="import-bench-")
    first = os.path.join(folder, f"acled-{options.rows}.csv")
    newer = os.path.join(folder, f"acled-{options.rows}-newer.csv")
    started = time.perf_counter()
    write_csv(first, synthetic_rows(options.rows))
    write_csv(newer, synthetic_rows(options.rows, changed=0.01))
    size = os.path.getsize(first) / 2**20
    print(f"wrote {options.rows:,} rows ({size:,.0f} MiB) in {time.perf_counter() - started:.0f} s")
    command = [python, "manage.py", "import_acled", "--no-progress"]
    if options.batch_size:
        command += ["--batch-size", str(options.batch_size)]
    print(f"{'run':<28} {'seconds':>8} {'rows/s':>9} {'peak RSS MiB':>13} {'importer CPU s':>15}")
    for label, path in (
        ("import", first),
        ("re-import, unchanged", first),
        ("newer export, 1% changed", newer),
    ):
        seconds, rss, out, cpu = timed([*command, path], env)
        rate = options.rows / seconds
        print(f"{label:<28} {seconds:>8.1f} {rate:>9,.0f} {rss:>13,.0f} {cpu:>15.1f}")
        for line in out.splitlines():
            if line.startswith(("events", "actors")):
                print(f"    {line}")
    if not options.keep:
        for path in (first, newer):
            os.remove(path)
        os.rmdir(folder)


if __name__ == "__main__":
    main()
