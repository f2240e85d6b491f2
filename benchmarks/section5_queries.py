"""Section 5: query counts of every list endpoint at page sizes 1, 100 and 1000."""

import json

from benchmarks.common import ERROR, verdict

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
