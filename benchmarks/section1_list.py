"""Section 1: the events list, page of 100 — (a) the API vs (b) the naive DRF baseline vs
(c) the floor (raw SQL and orjson): equal JSON on sample pages, then throughput."""

import math
import time

from benchmarks.common import ERROR, INFO, MISSING, ms, percentile, scalar, verdict
from benchmarks.server import Client, run_batch

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
