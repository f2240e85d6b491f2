import os

# Tests run with DEBUG off, as production does; they need a key but no secret.
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
