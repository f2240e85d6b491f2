"""Faults degrade, never crash (issue 12): with Redis gone, requests go on and /readyz
says the cache is degraded, and all recovers when it returns; with the database
unreachable, clients get a 503 with Retry-After and /readyz names the database without
the driver's message. These start their own Redis (on a private port) and point at a
closed port for the database, so they never touch the shared services; they run once
per CI run (in the SQLite pass)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import EventFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="once per CI run: in the SQLite pass"
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


class OwnRedis:
    """A redis-server of the test's own, on a private port, keeping nothing on disk."""

    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.answers), "redis-server did not start"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        assert wait_for(lambda: not self.answers())

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def own_redis(settings):
    redis = OwnRedis(free_port())
    redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "conflictapi.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.API_COUNT_CACHE_SECONDS = 300
    yield redis
    redis.stop()


def readiness():
    response = APIClient().get(reverse("readyz"))
    return response.status_code, response.json()


@pytest.mark.django_db
def test_redis_going_away_degrades_and_recovers(own_redis):
    EventFactory.create_batch(3)
    events = reverse("events-api:event-list")
    assert readiness() == (200, {"status": "ok", "database": "ok", "cache": "ok"})
    assert APIClient().get(events).json()["count"] == 3

    own_redis.stop()
    for _ in range(5):  # reads (counted, throttled) and the count cache all go on
        response = APIClient().get(events)
        assert response.status_code == 200
        assert response.json()["count"] == 3
    assert readiness() == (200, {"status": "degraded", "database": "ok", "cache": "unavailable"})

    own_redis.start()
    assert wait_for(lambda: readiness()[1]["cache"] == "ok")
    assert readiness() == (200, {"status": "ok", "database": "ok", "cache": "ok"})
    assert APIClient().get(events).json()["count"] == 3


PROBE = """
import json
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for name, url in (("list", "/api/v1/events/"), ("readyz", "/readyz")):
    response = client.get(url)
    out[name] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "body": response.content.decode(),
    }
print(json.dumps(out))
"""


def test_an_unreachable_database_is_a_503_with_retry_after():
    port = free_port()  # nothing listens there
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conflictapi.settings_test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/gone",
        "CONN_MAX_AGE": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])

    listing = out["list"]
    assert listing["status"] == 503 and listing["retry_after"]
    body = json.loads(listing["body"])
    assert body["errors"][0]["code"] == "database_unavailable"

    ready = out["readyz"]
    assert ready["status"] == 503
    assert json.loads(ready["body"])["database"] == "unavailable"
    for body in (listing["body"], ready["body"]):
        assert str(port) not in body and "127.0.0.1" not in body
