"""The shared cache (Redis), failing open: while Redis is unreachable, a read is a miss
and a write is dropped, with a warning in the log, so that requests go on (counts are
counted, throttling counts per process... nothing is a 500); all recovers by itself when
Redis returns. `/readyz` reports the cache as degraded meanwhile."""

import logging
import time

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
