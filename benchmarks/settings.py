"""Settings for benchmark runs: the production settings (DEBUG off), the app's URLs plus the
two comparison endpoints, no throttling, and a read-only database session.

DATABASE_URL still chooses the database; `python -m benchmarks.run` sets it.
"""

import os

# Production settings refuse to load without a key when DEBUG is off.
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
os.environ["DEBUG"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from conflictapi.settings import *  # noqa: F403
from conflictapi.settings import DATABASES, REST_FRAMEWORK

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.urls"
# Plain HTTP on loopback: no redirect to HTTPS; and no limit on exports at once (the
# suite measures them, it does not abuse them).
SECURE_SSL_REDIRECT = False
API_ANON_EXPORT_CONCURRENCY = 0


class _AnyRate(dict):
    """A rate for every throttle scope, so a view that names its own throttle never
    throttles (nor fails on an unknown scope) during a run."""

    def __missing__(self, key):
        return "1000000000/second"


REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": _AnyRate(),
}

# The suite only reads: a read-only session guarantees it cannot change the data it measures.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get(
    "BENCH_READ_ONLY", "1"
) not in ("0", "false", "no", "off"):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        _options.get("options", "") + " -c default_transaction_read_only=on"
    ).strip()
