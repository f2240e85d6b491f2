"""Strict readers for settings that come from the environment.

A value that cannot be parsed stops start-up with ImproperlyConfigured naming the
variable, rather than being guessed at.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    if "\x00" in value:
        raise ImproperlyConfigured(f"{name} contains a NUL byte.")
    return value


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name, default, *, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


_RATE_UNITS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def env_rate(name, default):
    """A throttle rate, `N/unit` (unit one of second, minute, hour, day; DRF reads its
    first letter): checked here, so that a typo stops start-up, not every request."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    count, slash, unit = raw.strip().partition("/")
    unit = unit.strip().lower()
    if not slash or not count.strip().isdigit() or int(count) < 1 or unit not in _RATE_UNITS:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate; give requests per unit, e.g. 120/minute "
            "(second, minute, hour or day)."
        )
    return f"{int(count)}/{unit}"


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{name}={raw!r} has an empty item; give a comma-separated list."
        )
    return items


# Seconds a PostgreSQL connection attempt may take before it fails (libpq's
# connect_timeout).
CONNECT_TIMEOUT_SECONDS = 5


def env_database(name, default):
    import dj_database_url

    url = env_str(name, default)
    try:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is not a usable database URL: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise ImproperlyConfigured(
            f"{name} names the engine {engine!r}; use sqlite:/// or postgres://."
        )
    if engine.endswith("sqlite3"):
        # SQLite is the zero-set-up default: no persistent connections to share.
        config["CONN_MAX_AGE"] = 0
    else:
        # A server that takes connections but does not answer (overloaded, stopped with
        # SIGSTOP, a stuck proxy) would otherwise hold a request until the worker is
        # killed: give up connecting after this long (a 503). `?connect_timeout=N` in
        # the URL overrides it.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    return config


def env_origins(name, default=()):
    """A comma-separated list of origins: scheme://host[:port], no path."""
    from urllib.parse import urlsplit

    origins = env_list(name, default)
    for origin in origins:
        try:
            url = urlsplit(origin)
            url.port  # noqa: B018 (raises on a port that is not a number)
        except ValueError:
            url = None
        if (
            url is None
            or url.scheme not in ("http", "https")
            or not url.hostname
            or url.path
            or url.query
            or url.fragment
        ):
            raise ImproperlyConfigured(
                f"{name} has {origin!r}, which is not an origin; give scheme://host[:port]."
            )
    return origins


def env_tile_url(name):
    """A map tile server's URL template, https://host/{z}/{x}/{y}.png ({s} may stand for
    a subdomain), and the origin a Content-Security-Policy must allow images from
    ("https://*.host" for {s}); (None, None) when not set."""
    from urllib.parse import urlsplit

    raw = env_str(name)
    if raw is None:
        return None, None
    url = urlsplit(raw.strip())
    host = (url.hostname or "").replace("{s}", "*")
    if (
        url.scheme not in ("http", "https")
        or not host
        or "*" in host.removeprefix("*.")
        or any(part not in raw for part in ("{z}", "{x}", "{y}"))
    ):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a tile URL; give http(s)://host/…/{{z}}/{{x}}/{{y}}.png "
            "({s} may stand for a subdomain: https://{s}.host/…)."
        )
    port = f":{url.port}" if url.port else ""
    return raw.strip(), f"{url.scheme}://{host}{port}"
