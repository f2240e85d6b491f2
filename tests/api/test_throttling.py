"""Throttling (issue "Hardening"): anonymous clients by address, signed-in users at a
rate of their own, anonymous exports by how many run at once; limits shared through
Redis, and each process's own while Redis is unreachable (never unlimited, never a 500).

Rates are real and low here (settings_test.py lifts them for the rest of the suite);
the tests that need Redis start their own on a private port, never the shared one."""

import time

import orjson
import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from conflictapi import cache as cache_module
from conflictapi.api import throttling
from tests import services
from tests.api.helpers_personas import errors, list_url
from tests.factories import EventFactory
from tests.services import free_port

pytestmark = pytest.mark.django_db

EXPORT = reverse("events-api:event-export")
UNLIMITED = "1000000/minute"


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates by scope; the scopes not named stay unlimited."""

    def set_rates(**scopes):
        base = dict.fromkeys(("anon", "user", "login", "login_account"), UNLIMITED)
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", base | scopes)

    return set_rates


def token_client(user):
    _instance, token = AuthToken.objects.create(user)
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def assert_throttled(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    [error] = errors(response)
    assert error["code"] == "throttled"
    assert response.json()["type"] == "client_error" and error["attr"] is None


# Request rates


def test_anonymous_clients_over_their_rate_get_429_with_retry_after(rates):
    rates(anon="2/minute")
    client = APIClient()

    assert client.get(list_url("actor")).status_code == 200
    assert client.get(list_url("event")).status_code == 200
    assert_throttled(client.get(list_url("actor")))


def test_another_anonymous_address_has_its_own_count(rates):
    rates(anon="1/minute")
    assert APIClient().get(list_url("actor")).status_code == 200
    assert_throttled(APIClient().get(list_url("actor")))
    other = APIClient(REMOTE_ADDR="198.51.100.7")
    assert other.get(list_url("actor")).status_code == 200


def test_signed_in_users_have_a_rate_of_their_own(rates, curator, editor):
    rates(anon="1/minute", user="3/minute")
    client = token_client(curator)

    # Past the anonymous rate, from the same address...
    for _ in range(3):
        assert client.get(list_url("actor")).status_code == 200
    # ...up to the user's own.
    assert_throttled(client.get(list_url("actor")))
    # Another user, and anonymous readers at that address, counted apart.
    assert token_client(editor).get(list_url("actor")).status_code == 200
    assert APIClient().get(list_url("actor")).status_code == 200


def test_curators_writes_are_not_held_to_the_anonymous_rate(rates, curator):
    rates(anon="1/minute")
    assert APIClient().get(list_url("outlet")).status_code == 200
    assert_throttled(APIClient().get(list_url("outlet")))

    client = token_client(curator)
    for n in range(3):
        response = client.post(
            list_url("outlet"),
            {"name": f"Outlet {n}", "slug": f"outlet-{n}", "kind": "news"},
            format="json",
        )
        assert response.status_code == 201, response.content


def test_sign_in_keeps_its_own_limit(rates, curator):
    rates(login="2/minute")
    login = reverse("knox-login")
    client = APIClient()
    wrong = {"HTTP_AUTHORIZATION": "Basic Y3VyYXRvcjp3cm9uZw=="}  # curator:wrong
    statuses = [client.post(login, **wrong).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


# Anonymous exports: how many at once


@pytest.fixture
def one_export_at_once(settings):
    settings.API_ANON_EXPORT_CONCURRENCY = 1
    EventFactory.create_batch(3)


def read(response):
    """The whole body of a streaming response (the test client closes it at the end)."""
    return b"".join(response.streaming_content)


def close(response, monkeypatch):
    """Close a response as the server does when the client goes away, keeping the
    test's database connection (request_finished would close it: the test runs in a
    transaction, which a served request never does)."""
    with monkeypatch.context() as patch:
        patch.setattr(connection, "close_if_unusable_or_obsolete", lambda: None)
        response.close()


def test_a_second_anonymous_export_waits_for_the_first(one_export_at_once):
    client = APIClient()
    first = client.get(EXPORT, {"format": "csv"})
    assert first.status_code == 200

    second = client.get(EXPORT, {"format": "ndjson"})
    assert second.status_code == 429
    assert int(second["Retry-After"]) > 0
    [error] = errors(second)
    assert error["code"] == "throttled" and error["attr"] is None

    assert len(read(first).splitlines()) == 1 + 3
    third = client.get(EXPORT, {"format": "geojson"})
    assert third.status_code == 200
    # The GeoJSON export holds a slot as the others do.
    assert client.get(EXPORT, {"format": "csv"}).status_code == 429
    assert len(orjson.loads(read(third))["features"]) == 3


def test_every_row_of_the_acled_read_is_an_export_too(one_export_at_once, monkeypatch):
    """ACLED's `limit=0` reads every row, as the export does: it takes the same slot;
    a page of it does not."""
    # The test runs in a transaction, which the end of a served request would close.
    monkeypatch.setattr(connection, "close_if_unusable_or_obsolete", lambda: None)
    client = APIClient()
    everything = client.get("/api/acled/acled/read", {"limit": "0"})
    assert everything.status_code == 200
    assert client.get(EXPORT, {"format": "csv"}).status_code == 429
    assert client.get("/api/acled/acled/read", {"limit": "0"}).status_code == 429
    page = client.get("/api/acled/acled/read", {"limit": "10"})
    assert page.status_code == 200
    assert len(orjson.loads(read(page))["data"]) == 3

    assert len(orjson.loads(read(everything))["data"]) == 3
    after = client.get(EXPORT, {"format": "csv"})
    assert after.status_code == 200
    assert len(read(after).splitlines()) == 1 + 3


def test_a_closed_export_frees_its_slot(one_export_at_once, monkeypatch):
    """A client that goes away mid-export: the server closes the response."""
    client = APIClient()
    first = client.get(EXPORT, {"format": "csv"})
    next(iter(first.streaming_content))  # the header row, then the client is gone
    close(first, monkeypatch)

    second = client.get(EXPORT, {"format": "csv"})
    assert second.status_code == 200
    read(second)


def test_an_export_that_fails_mid_stream_frees_its_slot(one_export_at_once, monkeypatch):
    from events.api import export

    def failing_blocks(lines, fmt):
        yield next(lines)  # a row out, the database's cursor (COPY on PostgreSQL) open
        raise RuntimeError("cannot write the row")

    client = APIClient()
    monkeypatch.setattr(export, "_blocks", failing_blocks)
    first = client.get(EXPORT, {"format": "ndjson"})
    assert first.status_code == 200
    with pytest.raises(RuntimeError):
        read(first)

    monkeypatch.undo()
    second = client.get(EXPORT, {"format": "ndjson"})
    assert second.status_code == 200
    read(second)


def test_a_slot_nobody_releases_expires(one_export_at_once, monkeypatch):
    """A process that dies mid-export never closes its response: the slot is a lease."""
    monkeypatch.setattr(throttling, "EXPORT_SLOT_SECONDS", 1)
    client = APIClient()
    abandoned = client.get(EXPORT, {"format": "csv"})
    assert client.get(EXPORT, {"format": "csv"}).status_code == 429

    time.sleep(1.2)
    fresh = client.get(EXPORT, {"format": "csv"})
    assert fresh.status_code == 200
    # The late release of the abandoned export leaves the fresh one's slot alone.
    close(abandoned, monkeypatch)
    assert client.get(EXPORT, {"format": "csv"}).status_code == 429
    read(fresh)


def test_a_forged_x_forwarded_for_is_not_a_new_exporter(one_export_at_once):
    client = APIClient()
    first = client.get(EXPORT, {"format": "csv"}, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert first.status_code == 200
    second = client.get(EXPORT, {"format": "csv"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert second.status_code == 429
    read(first)


def test_signed_in_users_exports_are_not_limited_at_once(one_export_at_once, curator):
    client = token_client(curator)
    first = client.get(EXPORT, {"format": "csv"})
    second = client.get(EXPORT, {"format": "csv"})
    assert (first.status_code, second.status_code) == (200, 200)
    read(second)  # the inner export's transaction (a savepoint in tests) ends first
    read(first)


def test_exports_also_count_against_the_anonymous_rate(one_export_at_once, rates):
    rates(anon="1/minute")
    client = APIClient()
    read(client.get(EXPORT, {"format": "csv"}))
    assert_throttled(client.get(EXPORT, {"format": "csv"}))


# Redis: shared, and each process on its own while it is away


class OwnRedis(services.OwnRedis):
    """A redis-server of the test's own, that tells the throttle counts it holds."""

    def counts(self):
        """The throttle counters it holds, by key."""
        client = redis.Redis(port=self.port)
        return {
            key.decode().split(":", 2)[-1]: int(client.get(key))
            for key in client.scan_iter("*throttle_*")
        }


@pytest.fixture
def throttle_redis(settings, monkeypatch):
    """CACHES["throttle"] on a private port where nothing listens yet; Redis tried
    again at once after a failure (RETRY_SECONDS 0), so the tests need not wait."""
    port = free_port()
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "conflictapi.cache.FallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    monkeypatch.setattr(cache_module, "_down_until", {})
    monkeypatch.setattr(cache_module, "_last_fallback_warning", [0.0])
    monkeypatch.setattr(cache_module.FallbackRedisCache, "RETRY_SECONDS", 0)
    server = OwnRedis(port)
    yield server
    caches["throttle"]._local.clear()
    if server.process:
        server.stop()


def test_with_redis_unreachable_each_process_still_limits(throttle_redis, rates, caplog):
    rates(anon="2/minute")
    client = APIClient()
    with caplog.at_level("WARNING", logger="conflictapi.cache"):
        statuses = [client.get(list_url("actor")).status_code for _ in range(4)]

    assert statuses == [200, 200, 429, 429]
    assert_throttled(client.get(list_url("actor")))
    # One warning, not one a request.
    warnings = [r for r in caplog.records if "throttles count per process" in r.message]
    assert len(warnings) == 1


def test_with_redis_unreachable_exports_are_still_limited(throttle_redis, one_export_at_once):
    client = APIClient()
    first = client.get(EXPORT, {"format": "csv"})
    assert first.status_code == 200
    assert client.get(EXPORT, {"format": "csv"}).status_code == 429
    read(first)
    second = client.get(EXPORT, {"format": "csv"})
    assert second.status_code == 200
    read(second)


def test_counts_are_shared_through_redis_and_return_to_it(throttle_redis, rates):
    rates(anon="3/minute")
    client = APIClient()
    assert client.get(list_url("actor")).status_code == 200  # counted in this process

    throttle_redis.start()
    assert client.get(list_url("actor")).status_code == 200
    # Counted in Redis, where every process reads it: another process that counted the
    # address twice more there leaves this one no budget.
    assert throttle_redis.counts() == {"throttle_anon_127.0.0.1": 1}
    shared = redis.Redis(port=throttle_redis.port)
    [key] = shared.keys("*throttle_anon_127.0.0.1")
    shared.incrby(key, 2)
    assert_throttled(client.get(list_url("actor")))

    throttle_redis.stop()  # back to this process's own count (1 so far), still limiting
    statuses = [client.get(list_url("actor")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
