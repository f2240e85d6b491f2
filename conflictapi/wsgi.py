import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictapi.settings")
application = get_wsgi_application()

from conflictapi.checks import require_settings  # noqa: E402 (needs the settings above)

require_settings()


def warm_up():
    """Import every view and compile every URL pattern at boot, so that a worker's
    first request costs what its hundredth does (otherwise ~300 ms of imports land on
    whichever client comes first, after every worker restart)."""
    from django.conf import settings
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URLconf and every view)
    resolver._populate()
    # Django's Redis cache imports its client library on first use: do it now.
    if any("redis" in cache["BACKEND"].lower() for cache in settings.CACHES.values()):
        import redis  # noqa: F401
    # What is loaded now lives as long as the worker: move it out of the garbage
    # collector's view, so that a full collection scans what requests allocate, not
    # the ~120,000 objects of the loaded app (a 40-60 ms pause every few hundred
    # requests otherwise; ~25 ms with this).
    gc.collect()
    gc.freeze()


warm_up()
