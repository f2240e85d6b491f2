"""Settings for the test suite: production settings (DEBUG off) with a throwaway key.

DATABASE_URL still chooses the database, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from conflictapi.settings import *  # noqa: F403

# Throttling is tested on its own (tests/api/test_throttling.py); elsewhere it would
# make results depend on how many requests earlier tests made within the minute.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {  # noqa: F405
    "anon": "1000000/minute",
    "user": "1000000/minute",
    "login": "1000000/minute",
    "login_account": "1000000/minute",
}
# Export slots (API_ANON_EXPORT_CONCURRENCY) keep their default: each is released as
# its response ends, and tests/conftest.py empties the throttle cache before each test.

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# The test client speaks plain HTTP; redirecting it to HTTPS is tested on its own
# (tests/conflictapi/test_deploy.py).
SECURE_SSL_REDIRECT = False
