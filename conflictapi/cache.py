"""The shared cache (Redis), failing open: while Redis is unreachable, a read is a miss
and a write is dropped, with a warning in the log, so that requests go on (counts are
counted, nothing is a 500); all recovers by itself when Redis returns. `/readyz` reports
the cache as degraded meanwhile.

The throttles have a cache of their own (FallbackRedisCache, CACHES["throttle"]): a
dropped write there would stop all limiting, so while Redis is unreachable it counts in
the process's memory instead."""

import logging
import math
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("conflictapi.cache")

# At most one warning a minute, whatever the request rate.
WARN_EVERY_SECONDS = 60
_last_warning = [0.0]


def _warn(exc):
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        log.warning("Redis unreachable, cache failing open: %s", type(exc).__name__)


def _fail_open(method, default):
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            _warn(exc)
            return default(*args, **kwargs) if callable(default) else default

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class FailOpenRedisCache(RedisCache):
    get = _fail_open(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _fail_open(RedisCache.get_many, {})
    has_key = _fail_open(RedisCache.has_key, False)
    add = _fail_open(RedisCache.add, False)
    set = _fail_open(RedisCache.set, None)
    set_many = _fail_open(RedisCache.set_many, [])
    touch = _fail_open(RedisCache.touch, False)
    delete = _fail_open(RedisCache.delete, False)
    delete_many = _fail_open(RedisCache.delete_many, None)
    incr = _fail_open(RedisCache.incr, lambda key, delta=1, version=None: delta)
    clear = _fail_open(RedisCache.clear, None)

    def ping(self):
        """True when Redis answers."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError:
            return False


class FallbackRedisCache(RedisCache):
    """The throttles' cache (CACHES["throttle"]): Redis, so that limits hold across
    processes; while Redis is unreachable, this process's own memory instead, so that
    each process still limits on its own (never unlimited, never a 500). After a
    failure Redis is tried again every RETRY_SECONDS (not on every request, so a Redis
    that does not answer costs at most one timeout that often); counts go back to it
    as soon as it answers."""

    RETRY_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        # One store a process, whatever the thread (LocMemCache shares by name).
        self._local = LocMemCache(
            f"throttle-fallback:{server}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )
        self._location = server

    def _redis_down(self):
        return _down_until.get(self._location, 0.0) > time.monotonic()

    def _fell_over(self, exc):
        _down_until[self._location] = time.monotonic() + self.RETRY_SECONDS
        if time.monotonic() - _last_fallback_warning[0] >= WARN_EVERY_SECONDS:
            _last_fallback_warning[0] = time.monotonic()
            log.warning("Redis unreachable, throttles count per process: %s", type(exc).__name__)

    def _either(name):
        def method(self, *args, **kwargs):
            if not self._redis_down():
                try:
                    return getattr(RedisCache, name)(self, *args, **kwargs)
                except RedisError as exc:
                    self._fell_over(exc)
            return getattr(self._local, name)(*args, **kwargs)

        method.__name__ = name
        return method

    get = _either("get")
    get_many = _either("get_many")
    has_key = _either("has_key")
    add = _either("add")
    set = _either("set")
    set_many = _either("set_many")
    touch = _either("touch")
    incr = _either("incr")
    clear = _either("clear")
    del _either

    def delete(self, key, version=None):
        # Also here: a key set while Redis was away must not outlive its release.
        local = self._local.delete(key, version=version)
        if not self._redis_down():
            try:
                return RedisCache.delete(self, key, version=version) or local
            except RedisError as exc:
                self._fell_over(exc)
        return local

    def delete_many(self, keys, version=None):
        for key in keys:
            self.delete(key, version=version)

    def hit(self, key, window):
        """Count one hit on `key` in a window of `window` seconds that starts at its
        first hit: (hits so far, seconds until the window ends). One round trip."""
        if not self._redis_down():
            try:
                full_key = self.make_and_validate_key(key)
                client = self._cache.get_client(full_key, write=True)
                pipe = client.pipeline(transaction=False)
                pipe.set(full_key, 0, ex=window, nx=True)
                pipe.incr(full_key)
                pipe.ttl(full_key)
                _created, count, ttl = pipe.execute()
                if ttl < 0:  # no expiry (written by something else): give it one
                    client.expire(full_key, window)
                    ttl = window
                return count, ttl
            except RedisError as exc:
                self._fell_over(exc)
        return local_hit(self._local, key, window)

    def ping(self):
        """True when Redis answers."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError:
            return False


# When each Redis location may be tried again, by location (shared by the threads).
_down_until = {}
_last_fallback_warning = [0.0]
_local_lock = threading.Lock()


def local_hit(cache, key, window):
    """FallbackRedisCache.hit on any cache, atomic within this process: (hits so far,
    seconds until the window ends)."""
    with _local_lock:
        now = time.time()
        count, ends = cache.get(key) or (0, 0.0)
        if ends <= now:
            count, ends = 0, now + window
        count += 1
        cache.set(key, (count, ends), timeout=max(1, math.ceil(ends - now)))
    return count, max(1, math.ceil(ends - now))


def hit(cache, key, window):
    """Count a hit on `key` in `cache` (see FallbackRedisCache.hit)."""
    method = getattr(cache, "hit", None)
    if method is not None:
        return method(key, window)
    return local_hit(cache, key, window)
