"""Liveness endpoint: answers 200 when the web process and the database respond."""

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the PostGIS version when the database answers; when it does not, 503 with Retry-After
    and `"database": "unavailable"` (spatial.database_health, through spatial.error_responses)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT postgis_lib_version()")
        (postgis,) = cursor.fetchone()
    return JsonResponse({"status": "ok", "database": "ok", "postgis": postgis})
