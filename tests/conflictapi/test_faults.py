"""Faults degrade, never crash (issue 12): with Redis gone, requests go on and /readyz
says the cache is degraded, and all recovers when it returns; with the database
unreachable, clients get a 503 with Retry-After and /readyz names the database without
the driver's message. These start their own Redis (on a private port) and point at a
closed port for the database, so they never touch the shared services; they run once
per CI run (in the SQLite pass)."""

import base64
import http.client as http_client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import EventFactory
from tests.services import OwnRedis, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="once per CI run: in the SQLite pass"
)


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
import sys
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for url in sys.argv[1:]:
    response = client.get(url)
    out[url] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "body": response.content.decode(),
    }
print(json.dumps(out))
"""


def probe(database_url, *paths, timeout=120):
    """What the app answers for each path, in a process of its own using that database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conflictapi.settings_test",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_unreachable_database_is_a_503_with_retry_after():
    port = free_port()  # nothing listens there
    out = probe(f"postgres://postgres@127.0.0.1:{port}/gone", "/api/v1/events/", "/readyz")

    listing = out["/api/v1/events/"]
    assert listing["status"] == 503 and listing["retry_after"]
    body = json.loads(listing["body"])
    assert body["errors"][0]["code"] == "database_unavailable"

    ready = out["/readyz"]
    assert ready["status"] == 503 and ready["retry_after"]
    assert json.loads(ready["body"])["database"] == "unavailable"
    for body in (listing["body"], ready["body"]):
        assert str(port) not in body and "127.0.0.1" not in body


def test_a_database_that_never_answers_is_a_503_not_a_hang():
    """A server that takes connections but does not answer them (overloaded, frozen, a
    stuck proxy): the attempt gives up (connect_timeout), rather than holding the request
    until the worker is killed."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshakes; nobody ever answers
        port = silent.getsockname()[1]
        started = time.monotonic()
        try:
            out = probe(f"postgres://postgres@127.0.0.1:{port}/gone", "/readyz", timeout=25)
        except subprocess.TimeoutExpired:
            pytest.fail("a request waited on the silent database for 25 s")
    assert time.monotonic() - started < 20
    ready = out["/readyz"]
    assert ready["status"] == 503 and ready["retry_after"]
    assert json.loads(ready["body"])["database"] == "unavailable"


# A live server under load, against a PostgreSQL and a Redis of the test's own ----------

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Text a 503's body must never carry: where the database is, or what the driver said.
LEAKS = ("127.0.0.1", "localhost", "psycopg", "OperationalError", "refused", "server closed")


class OwnPostgres:
    """A PostgreSQL cluster of the test's own, in a temporary directory, on a private
    port and socket, with trust authentication. PostgreSQL refuses to run as root: as
    root, its commands run as the `postgres` user, who owns the directory."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="faults-postgres-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args):
        result = subprocess.run(
            [*self.as_postgres, *args], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"{args[0]} failed: {result.stderr[-2000:]}"

    def init(self, database):
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self.run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()
        self.run(
            str(PG_BIN / "createdb"),
            "-h",
            str(self.root),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            database,
        )

    def start(self):
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "postgres.log"),
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self, mode="fast"):
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self):
        return (self.data / "postmaster.pid").exists()


def http(method, port, path, body=None, headers=None, timeout=10):
    """(status, headers, body) of one request; an exception if none came back in time."""
    conn = http_client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            method, path, body=body, headers={"Accept": "application/json", **(headers or {})}
        )
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


class Server:
    """gunicorn serving the app (threads and processes, as in production)."""

    def __init__(self, env, log):
        self.port = free_port()
        self.env = env
        self.log = log
        self.process = None

    def start(self):
        self.log_file = open(self.log, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "conflictapi.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "-k",
                "gthread",
                "-w",
                "2",
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        assert wait_for(self.up, 30), f"gunicorn did not start: {self.log.read_text()[-2000:]}"

    def up(self):
        assert self.process.poll() is None, f"gunicorn exited: {self.log.read_text()[-2000:]}"
        try:
            return http("GET", self.port, "/healthz", timeout=1)[0] == 200
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log_file.close()

    def request(self, method, path, body=None, headers=None):
        return http(method, self.port, path, body, headers)

    def ready(self):
        status, _, body = self.request("GET", "/readyz")
        return status, json.loads(body)


# The schema, a few published events with their actors, and a curator who may create.
SETUP = """
from django.contrib.auth.models import Group, User
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import EventParticipantFactory
EventParticipantFactory.create_batch(5)
user = User.objects.create_user("faults-curator", password="faults-curator-password")
user.groups.add(Group.objects.get(name="curators"))
"""


@pytest.fixture(scope="module")
def live():
    """A migrated, seeded PostgreSQL and a Redis of the test's own, and gunicorn serving
    the app against them with persistent database connections."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL's binaries are not in {PG_BIN} (set PG_BIN)")
    root = Path(tempfile.mkdtemp(prefix="faults-"))
    postgres = OwnPostgres()
    redis = OwnRedis(free_port())
    server = None
    try:
        postgres.init("conflictapi")
        redis.start()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "conflictapi.settings",
            "DEBUG": "0",
            "SECRET_KEY": "faults-test-not-a-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{postgres.port}/conflictapi",
            "CONN_MAX_AGE": "600",
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "API_ANON_RATE": "1000000/minute",
            "API_LOGIN_RATE": "1000/minute",
            "API_LOGIN_ACCOUNT_RATE": "1000/hour",
            "API_USER_RATE": "1000000/minute",
            # Plain HTTP on loopback (a deployment redirects to HTTPS).
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        server = Server(env, root / "gunicorn.log")
        server.start()
        yield SimpleNamespace(postgres=postgres, redis=redis, server=server)
    finally:
        if server:
            server.stop()
        redis.stop()
        if postgres.running():
            postgres.stop("fast")
        shutil.rmtree(postgres.root, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def services(live):
    """The live server, its PostgreSQL and its Redis, running again after the test
    whatever it stopped (so that one failure does not fail the tests after it)."""
    yield live
    if not live.postgres.running():
        live.postgres.start()
    if not live.redis.answers():
        live.redis.start()


class Load:
    """Client threads asking, until stopped, for lists, a detail page, readiness and (with
    a token) a create; each answer, or the failure to get one, is recorded with when it
    was asked and when it came."""

    def __init__(self, server, token, detail, threads=6):
        self.server = server
        self.token = token
        self.detail = detail
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(threads)]
        self.records = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def asks(self):
        yield "events", "GET", "/api/v1/events/", None, {}
        yield "actors", "GET", "/api/v1/actors/", None, {}
        yield "detail", "GET", self.detail, None, {}
        yield "readyz", "GET", "/readyz", None, {}
        slug = f"faults-{uuid.uuid4().hex}"
        body = json.dumps({"name": slug, "slug": slug, "kind": "news"})
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        yield "create", "POST", "/api/v1/outlets/", body, headers

    def run(self):
        while not self.stopping.is_set():
            for name, method, path, body, headers in self.asks():
                asked = time.monotonic()
                try:
                    status, response_headers, text = self.server.request(
                        method, path, body, headers
                    )
                except Exception as exc:  # a reset or a hang is what this looks for
                    status, response_headers, text = None, {}, repr(exc)
                record = SimpleNamespace(
                    name=name,
                    asked=asked,
                    answered=time.monotonic(),
                    status=status,
                    headers=response_headers,
                    body=text,
                )
                with self.lock:
                    self.records.append(record)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        for thread in self.threads:
            thread.join(30)

    def asked_between(self, start, end=float("inf")):
        with self.lock:
            return [r for r in self.records if r.asked >= start and r.answered <= end]

    def each_answered_since(self, start, times=2):
        """Wait until every kind of request was asked and answered at least `times`
        times since `start`."""
        kinds = {"events", "actors", "detail", "readyz", "create"}

        def done():
            seen = Counter(r.name for r in self.asked_between(start))
            return all(seen[kind] >= times for kind in kinds)

        return wait_for(done, 30)


def sign_in(server):
    credentials = base64.b64encode(b"faults-curator:faults-curator-password").decode()
    status, _, body = server.request(
        "POST", "/api/v1/auth/login/", headers={"Authorization": f"Basic {credentials}"}
    )
    assert status == 200, body
    return json.loads(body)["token"]


def first_event(server):
    status, _, body = server.request("GET", "/api/v1/events/")
    assert status == 200, body
    return f"/api/v1/events/{json.loads(body)['results'][0]['id']}/"


def assert_all(records, expected):
    """There were such requests, and each was answered as expected."""
    assert records
    wrong = [(r.name, r.status, r.body[:300]) for r in records if not expected(r)]
    assert not wrong, f"{len(wrong)} of {len(records)} unexpected: {wrong[:10]}"


def test_postgres_stopping_under_load_is_a_503_then_recovers_without_a_restart(services):
    server, postgres = services.server, services.postgres
    ok = {"events": 200, "actors": 200, "detail": 200, "readyz": 200, "create": 201}
    with Load(server, sign_in(server), first_event(server)) as load:
        assert load.each_answered_since(0)
        postgres.stop("immediate")
        down = time.monotonic()
        assert load.each_answered_since(down)
        restarting = time.monotonic()
        postgres.start()
        up = time.monotonic()
        assert load.each_answered_since(up)
        end = time.monotonic()

    answered = load.asked_between(0)
    # Around the stop and the start: answers are as in service or as in the outage
    # (never a 500, a reset or a hang).
    assert_all(answered, lambda r: r.status in (ok[r.name], 503))

    outage = load.asked_between(down, restarting)
    assert_all(outage, lambda r: r.status == 503)
    for record in outage:
        assert record.headers.get("Retry-After", "").isdigit(), record.headers
        assert record.headers.get("Content-Type") == "application/json"
        for leak in (*LEAKS, str(postgres.port)):
            assert leak not in record.body, record.body
        body = json.loads(record.body)
        if record.name == "readyz":
            assert body == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
        else:
            assert body["type"] == "server_error"
            assert [e["code"] for e in body["errors"]] == ["database_unavailable"]

    # Once PostgreSQL answers again, so does every worker's thread: the connections it
    # kept from before are found dead and replaced, with no restart of the server.
    after = load.asked_between(up, end)
    assert_all(after, lambda r: r.status == ok[r.name])
    assert server.ready() == (200, {"status": "ok", "database": "ok", "cache": "ok"})
    assert "Internal Server Error" not in server.log.read_text()
    assert server.process.poll() is None


def test_redis_stopping_under_load_degrades_then_recovers(services):
    server, redis = services.server, services.redis
    ok = {"events": 200, "actors": 200, "detail": 200, "readyz": 200, "create": 201}
    with Load(server, sign_in(server), first_event(server)) as load:
        assert load.each_answered_since(0)
        redis.stop()
        down = time.monotonic()
        assert load.each_answered_since(down)
        restarting = time.monotonic()
        redis.start()
        assert wait_for(lambda: server.ready()[1]["cache"] == "ok")
        up = time.monotonic()
        assert load.each_answered_since(up)
        end = time.monotonic()

    # Reads and writes go on throughout: the cache and throttling fail open.
    answered = load.asked_between(0)
    assert_all(answered, lambda r: r.status == ok[r.name])

    outage = [r for r in load.asked_between(down, restarting) if r.name == "readyz"]
    assert outage
    for record in outage:
        assert json.loads(record.body) == {
            "status": "degraded",
            "database": "ok",
            "cache": "unavailable",
        }
    back = [r for r in load.asked_between(up, end) if r.name == "readyz"]
    assert back
    for record in back:
        assert json.loads(record.body) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "Redis unreachable, cache failing open" in server.log.read_text()


def test_a_postgres_restart_between_requests_is_not_seen_by_clients(services):
    """The quick blip: PostgreSQL restarts while the server is idle, so every connection
    the workers keep (CONN_MAX_AGE) is dead when the next requests come. Each is found
    dead before use (CONN_HEALTH_CHECKS) and replaced: no client sees an error."""
    server, postgres = services.server, services.postgres

    def burst():
        with ThreadPoolExecutor(16) as pool:
            return list(pool.map(lambda _: server.request("GET", "/api/v1/events/")[0], range(48)))

    assert burst() == [200] * 48  # every worker's thread now keeps a connection
    postgres.stop("immediate")
    postgres.start()
    assert burst() == [200] * 48
