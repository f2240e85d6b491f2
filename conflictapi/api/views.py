from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from conflictapi.api.errors import RETRY_AFTER_SECONDS, error_response


@require_GET
def healthz(request):
    """The process is up. Touches no database, so a load balancer can tell a dead app
    from a dead database."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    """Whether the process can serve, by dependency, without driver messages (no hosts,
    ports or errors): 503 with Retry-After while the database is unreachable; 200
    "degraded" while the shared cache is (requests go on without it)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any database failure means "not ready"
        database = "unavailable"
    ping = getattr(cache, "ping", None)
    shared_cache = "local" if ping is None else ("ok" if ping() else "unavailable")
    if database != "ok":
        status = "unavailable"
    elif shared_cache == "unavailable":
        status = "degraded"
    else:
        status = "ok"
    response = JsonResponse(
        {"status": status, "database": database, "cache": shared_cache},
        status=503 if database != "ok" else 200,
    )
    if database != "ok":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def not_found(request, exception=None):
    """JSON 404 under /api/, in the one error shape; Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return error_response(404, "not_found", "No such endpoint.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
