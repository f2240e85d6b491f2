"""Request limits, counted in the throttles' own cache (CACHES["throttle"]: Redis, so
limits hold across processes; each process's memory while Redis is unreachable or
without REDIS_URL, so each process then limits on its own).

- anonymous clients, by address (`anon`, API_ANON_RATE); signed-in users, by account
  (`user`, API_USER_RATE), whatever address they come from;
- sign-in: per client address and per account, counted before the credentials are
  tried (so a wrong password meets the limit, not a 401 forever);
- anonymous exports: at most API_ANON_EXPORT_CONCURRENCY at once per client address
  (ExportSlots), as well as by request rate.

A client's address is the peer's, or the one the outermost of API_TRUSTED_PROXIES
proxies saw (DRF's get_ident): a forged X-Forwarded-For does not make a new client.

Rates are counted in fixed windows that start at a client's first request: one atomic
round trip to the cache a check (DRF's own throttles keep every request's time, a read
and a write of a growing list that processes race on).
"""

import base64
import binascii
import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.exceptions import Throttled
from rest_framework.throttling import (
    AnonRateThrottle,
    BaseThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from conflictapi.cache import hit


class ThrottleCache:
    """caches["throttle"], looked up on each use (tests swap CACHES); this process's
    memory where CACHES names no `throttle` (never the default cache, which drops
    writes while Redis is away)."""

    def __getattr__(self, name):
        if "throttle" in settings.CACHES:
            return getattr(caches["throttle"], name)
        return getattr(_process_cache, name)


_process_cache = LocMemCache("throttle-process", {})


throttle_cache = ThrottleCache()


class WindowRateThrottle(SimpleRateThrottle):
    """A SimpleRateThrottle counting hits in a fixed window (num_requests a duration)."""

    cache = throttle_cache

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count, self._wait = hit(self.cache, self.key, self.duration)
        return count <= self.num_requests

    def wait(self):
        return self._wait


class AnonThrottle(WindowRateThrottle, AnonRateThrottle):
    """Anonymous requests, per client address (API_ANON_RATE)."""


class UserThrottle(WindowRateThrottle, UserRateThrottle):
    """Signed-in users' requests, per user (API_USER_RATE); not limited as anonymous."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


# An export slot is a lease: renewed as the export streams, so that a process that
# dies holding one frees it after at most this long.
EXPORT_SLOT_SECONDS = 120
# The Retry-After of an export refused for the slots: exports take a while.
EXPORT_RETRY_SECONDS = 30


class ExportSlot:
    def __init__(self, key, token):
        self.key = key
        self.token = token
        self.renewed = time.monotonic()
        self.released = False

    def renew(self):
        """Extend the lease, at most every quarter of it."""
        now = time.monotonic()
        if now - self.renewed >= EXPORT_SLOT_SECONDS / 4:
            self.renewed = now
            throttle_cache.touch(self.key, EXPORT_SLOT_SECONDS)

    def release(self):
        # Not a slot that another export took after this one's lease ran out.
        if not self.released:
            self.released = True
            if throttle_cache.get(self.key) == self.token:
                throttle_cache.delete(self.key)


def take_export_slot(request):
    """One of the client's API_ANON_EXPORT_CONCURRENCY export slots, for an anonymous
    request (None for a signed-in user, who has no such limit, or with the limit 0);
    Throttled (429 with Retry-After) while all are held."""
    limit = settings.API_ANON_EXPORT_CONCURRENCY
    if not limit or (request.user and request.user.is_authenticated):
        return None
    ident = BaseThrottle().get_ident(request)
    for n in range(limit):
        key = f"throttle_export_{ident}_{n}"
        token = uuid.uuid4().hex
        if throttle_cache.add(key, token, EXPORT_SLOT_SECONDS):
            return ExportSlot(key, token)
    raise Throttled(
        wait=EXPORT_RETRY_SECONDS,
        detail=f"At most {limit} exports at once from one client; retry when one is done.",
    )


def hold_while_streaming(response, slot):
    """`response` (streaming) holding `slot` until it ends: read to the end, failed, or
    closed (as the server closes it when the client goes away)."""
    if slot is None:
        return response
    response.streaming_content = _holding(response.streaming_content, slot)
    response._resource_closers.append(slot.release)
    return response


def _holding(chunks, slot):
    try:
        for chunk in chunks:
            slot.renew()
            yield chunk
    finally:
        slot.release()


class LoginClientThrottle(WindowRateThrottle):
    """Sign-in attempts from one client address (API_LOGIN_RATE)."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountThrottle(WindowRateThrottle):
    """Sign-in attempts on one account, from anywhere (API_LOGIN_ACCOUNT_RATE): a
    password guessed from many addresses still meets a limit."""

    scope = "login_account"

    def get_cache_key(self, request, view):
        username = basic_username(request)
        if not username:
            return None
        digest = hashlib.sha256(username.lower().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


def basic_username(request):
    """The username of an HTTP Basic Authorization header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded.partition(":")[0] or None
