from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """The process is up. Touches no database, so a load balancer can tell a dead app
    from a dead database."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    """The process can serve: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "detail": str(exc)}, status=503)
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    """JSON 404 under /api/, in the one error shape; Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "client_error",
                "errors": [{"code": "not_found", "detail": "No such endpoint.", "attr": None}],
            },
            status=404,
        )
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
